"""Across conferences: growth against targets, returning attendees, return rates, lifetime value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from . import vegalite as vl
from .formats import MET_TEXT, count, fmt, money, num, percent, status_of
from .parts import (
    domain_max,
    frame,
    kind_colour,
    long_form,
    numeric,
    status_colour,
    titled,
    unit_axis,
    unit_tooltip,
)
from .primitives import bars, no_data
from .theme import TARGET, WIDTH


def _per_conference(
    df: pd.DataFrame,
    value: str,
    *,
    title: str,
    unit: str,
    target: str | None = None,
    target_name: str = "Target",
    words: Mapping[str, str] = MET_TEXT,
) -> Any:
    """One value per conference (x in date order, colour by series), with per-conference targets as ticks."""
    d = df.copy()
    if value not in d or d[value].isna().all():
        return no_data(title)
    order = list(d["name"])
    tips = [
        vl.Tooltip("name:N", title="Conference"),
        vl.Tooltip("series:N", title="Series"),
        unit_tooltip(value, title, unit),
    ]
    ticks: list[Any] = []
    x = vl.X("name:N", title="Conference", sort=order, axis=vl.Axis(labelAngle=-30))
    upcoming = (
        d["upcoming"].fillna(False).astype(bool) if "upcoming" in d else pd.Series(False, index=d.index)
    )
    if target and target in d and d[target].notna().any():
        # an edition that has not started yet is not judged against its target
        words = {**words, "no target": "no target or not held yet"}
        d["status"] = [
            "no target" if (not t or soon) else status_of(v, t)
            for v, t, soon in zip(d[value], d[target], upcoming, strict=True)
        ]
        d["status_text"] = [words[s] for s in d["status"]]
        d["label"] = [
            fmt(v, unit) + ("\nnot held yet" if soon else f"\n{words[s]}" if s != "no target" else "")
            for v, s, soon in zip(d[value], d["status"], upcoming, strict=True)
        ]
        tips += [
            unit_tooltip(target, target_name, unit),
            vl.Tooltip("status_text:N", title=f"Against {target_name}"),
        ]
        colour = status_colour(f"Against {target_name}", words, d["status"])
        ticks.append(
            vl.Chart(d.dropna(subset=[target]))
            .mark_tick(color=TARGET, thickness=3, size=34)
            .encode(x=x, y=f"{target}:Q", tooltip=tips)
        )
        subtitle = f"Dark tick = {target_name.lower()} for that conference"
    else:
        d["label"] = [fmt(v, unit) for v in d[value]]
        colour = vl.Color("series:N", title="Series")
        subtitle = None
    # Each label sits above the higher of its bar and its target tick: the tick never strikes it.
    d["end"] = d[[value, target]].max(axis=1) if ticks else d[value]
    top = domain_max(d["end"].max(), headroom=1.3)
    low = min(0.0, float(d[value].min()))
    bar = (
        vl.Chart(d)
        .mark_bar(size=26)
        .encode(
            x=x,
            y=vl.Y(
                f"{value}:Q", axis=unit_axis(unit, title), scale=vl.Scale(domain=[low, top], nice=False)
            ),
            color=colour,
            tooltip=tips,
        )
    )
    # A label of two lines is drawn as two one-line texts (a multi-line text hangs below its baseline).
    parts = d["label"].str.split("\n", n=1)
    d["line1"] = parts.str[0]
    d["line2"] = [p[1] if len(p) > 1 else "" for p in parts]
    texts = [
        vl.Chart(d[d["line2"] == ""])
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="end:Q", text="line1:N"),
        vl.Chart(d[d["line2"] != ""])
        .mark_text(dy=-19, baseline="bottom", fontSize=10)
        .encode(x=x, y="end:Q", text="line1:N"),
        vl.Chart(d[d["line2"] != ""])
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="end:Q", text="line2:N"),
    ]
    chart = vl.layer(bar, *ticks, *texts).properties(width=max(WIDTH, 70 * len(d)), height=220)
    return titled(chart, title, subtitle)


def yoy_growth_by_conference(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendance, revenue, sponsors and talks (each conference's `yoy_growth` current) across conferences."""
    df = numeric(
        frame(rows), "attendance", "revenue", "sponsors", "talks", "target_attendance", "revenue_budget"
    )
    if df.empty:
        return no_data("Growth across conferences")
    return vl.vconcat(
        _per_conference(
            df,
            "attendance",
            title="Attendance",
            unit="count",
            target="target_attendance",
            target_name="Attendance target",
        ),
        _per_conference(
            df,
            "revenue",
            title="Revenue from paid orders",
            unit="money",
            target="revenue_budget",
            target_name="Revenue budget",
            words={**MET_TEXT, "met": "budget reached", "missed": "below budget"},
        ),
        _per_conference(df, "sponsors", title="Sponsors", unit="count"),
        _per_conference(df, "talks", title="Talks", unit="count"),
        spacing=24,
        title=vl.TitleParams("Growth across conferences", subtitle="Oldest first"),
    ).resolve_scale(color="independent")


def yoy_retention_by_conference(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Returning and new attendees per conference (each conference's `yoy_retention`)."""
    title = "Returning and new attendees"
    df = numeric(frame(rows), "returning", "new", "retention_rate")
    if df.empty or not (df["returning"].fillna(0) + df["new"].fillna(0)).any():
        return no_data(title)
    long = long_form(df, ["name", "retention_rate"], {"returning": "Returning", "new": "New"}, "attendees")
    x = vl.X("name:N", title="Conference", sort=list(df["name"]), axis=vl.Axis(labelAngle=-30))
    stacked = (
        vl.Chart(long)
        .mark_bar(size=26)
        .encode(
            x=x,
            y=vl.Y("sum(attendees):Q", axis=unit_axis("count", "Attendees")),
            color=kind_colour("Returning", "New"),
            tooltip=[
                vl.Tooltip("name:N", title="Conference"),
                vl.Tooltip("kind:N", title="Attendee"),
                vl.Tooltip("attendees:Q", title="Attendees", format=","),
                unit_tooltip("retention_rate", "Retention rate", "percent"),
            ],
        )
    )
    df["total"] = df["returning"].fillna(0) + df["new"].fillna(0)
    df["label"] = [
        "retention n/a" if num(r) is None else f"{percent(r)} returning" for r in df["retention_rate"]
    ]
    text = (
        vl.Chart(df)
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="total:Q", text="label:N")
    )
    chart = vl.layer(stacked, text).properties(width=max(WIDTH, 70 * len(df)), height=240)
    return titled(chart, title, "Returning = attended an earlier conference in this database")


def return_rates(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendee retention, sponsor renewal and speaker return rates per conference."""
    title = "Who comes back: attendees, sponsors, speakers"
    df = numeric(frame(rows), "retention_rate", "renewal_rate", "speaker_return_rate")
    if df.empty:
        return no_data(title)
    names = {
        "retention_rate": "Attendee retention",
        "renewal_rate": "Sponsor renewal",
        "speaker_return_rate": "Speaker return",
    }
    long = long_form(df, ["name"], names, "rate", var_name="measure")
    long = long.dropna(subset=["rate"])
    if long.empty:
        return no_data(title)
    chart = (
        vl.Chart(long)
        .mark_line(point=True)
        .encode(
            x=vl.X("name:N", title="Conference", sort=list(df["name"]), axis=vl.Axis(labelAngle=-30)),
            y=vl.Y("rate:Q", axis=unit_axis("percent", "Rate"), scale=vl.Scale(domain=[0, 100])),
            color=vl.Color("measure:N", title=None),
            tooltip=[
                vl.Tooltip("name:N", title="Conference"),
                vl.Tooltip("measure:N", title="Measure"),
                unit_tooltip("rate", "Rate", "percent"),
            ],
        )
        .properties(width=max(WIDTH, 70 * len(df)), height=240)
    )
    return titled(
        chart, title, "Share of this year's attendees, sponsors and speakers seen at an earlier conference"
    )


def attendee_lifetime_value(value: Mapping[str, Any] | None) -> Any:
    """Top attendees by total spent across every conference (usernames only, no e-mail addresses)."""
    title = "Attendee lifetime value: top spenders"
    users = (value or {}).get("top_users") or []
    if not users:
        return no_data(title, "No orders yet.")
    df = numeric(frame(users), "total_spent", "order_count", "conferences_attended")
    df = df[["username", "total_spent", "order_count", "conferences_attended"]]
    sub = (
        f"{count(value.get('total_users_with_orders'))} people with orders; average "
        f"{money(value.get('avg_ltv'))}, highest {money(value.get('max_ltv'))}, "
        f"lowest {money(value.get('min_ltv'))}"
    )
    return bars(
        df,
        category="username",
        value="total_spent",
        title=title,
        value_title="Total spent",
        category_title="Attendee",
        unit="money",
        sort="-x",
        subtitle=sub,
        tooltip=[
            unit_tooltip("order_count", "Orders", "count"),
            unit_tooltip("conferences_attended", "Conferences attended", "count"),
        ],
    )

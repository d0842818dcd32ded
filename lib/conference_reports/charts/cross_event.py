"""Across conferences: growth against targets, returning attendees, return rates, lifetime value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import vegalite as vl
from .formats import MET_TEXT, count, fmt, money, percent, status_of
from .parts import (
    Row,
    domain_max,
    having,
    highest,
    kind_colour,
    long_form,
    lowest,
    numeric,
    rows_of,
    status_colour,
    titled,
    unit_axis,
    unit_tooltip,
    values,
)
from .primitives import bars, no_data
from .theme import TARGET, WIDTH


def _per_conference(
    rows: Sequence[Row],
    value: str,
    *,
    title: str,
    unit: str,
    target: str | None = None,
    target_name: str = "Target",
    words: Mapping[str, str] = MET_TEXT,
) -> Any:
    """One value per conference (x in date order, colour by series), with per-conference targets as ticks."""
    d = [dict(r) for r in rows]
    if not values(d, value):
        return no_data(title)
    order = [r["name"] for r in d]
    tips = [
        vl.Tooltip("name:N", title="Conference"),
        vl.Tooltip("series:N", title="Series"),
        unit_tooltip(value, title, unit),
    ]
    ticks: list[Any] = []
    x = vl.X("name:N", title="Conference", sort=order, axis=vl.Axis(labelAngle=-30))
    if target and values(d, target):
        # an edition that has not started yet is not judged against its target (nor is one of target 0)
        words = {**words, "no target": "no target or not held yet"}
        for r in d:
            v, t, soon = r[value], r[target], bool(r.get("upcoming"))
            r["status"] = "no target" if soon or t == 0 else status_of(v, t)
            r["status_text"] = words[r["status"]]
            held = f"\n{words[r['status']]}" if r["status"] != "no target" else ""
            r["label"] = fmt(v, unit) + ("\nnot held yet" if soon else held)
        tips += [
            unit_tooltip(target, target_name, unit),
            vl.Tooltip("status_text:N", title=f"Against {target_name}"),
        ]
        colour = status_colour(f"Against {target_name}", words, [r["status"] for r in d])
        ticks.append(
            vl.Chart(having(d, target))
            .mark_tick(color=TARGET, thickness=3, size=34)
            .encode(x=x, y=f"{target}:Q", tooltip=tips)
        )
        subtitle = f"Dark tick = {target_name.lower()} for that conference"
    else:
        for r in d:
            r["label"] = fmt(r[value], unit)
        colour = vl.Color("series:N", title="Series")
        subtitle = None
    # Each label sits above the higher of its bar and its target tick: the tick never strikes it.
    for r in d:
        heights = [r[value], r[target]] if ticks else [r[value]]
        r["end"] = max((h for h in heights if h is not None), default=None)
    top = domain_max(highest(d, "end"), headroom=1.3)
    low = min(0.0, float(lowest(d, value)))
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
    for r in d:
        r["line1"], _, r["line2"] = r["label"].partition("\n")
    one_line = [dict(r) for r in d if not r["line2"]]
    two_lines = [dict(r) for r in d if r["line2"]]
    texts = [
        vl.Chart(one_line)
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="end:Q", text="line1:N"),
        vl.Chart(two_lines)
        .mark_text(dy=-19, baseline="bottom", fontSize=10)
        .encode(x=x, y="end:Q", text="line1:N"),
        vl.Chart(two_lines)
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="end:Q", text="line2:N"),
    ]
    chart = vl.layer(bar, *ticks, *texts).properties(width=max(WIDTH, 70 * len(d)), height=220)
    return titled(chart, title, subtitle)


def yoy_growth_by_conference(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendance, revenue, sponsors and talks (each conference's `yoy_growth` current) across conferences."""
    table = numeric(
        rows_of(rows), "attendance", "revenue", "sponsors", "talks", "target_attendance", "revenue_budget"
    )
    if not table:
        return no_data("Growth across conferences")
    return vl.vconcat(
        _per_conference(
            table,
            "attendance",
            title="Attendance",
            unit="count",
            target="target_attendance",
            target_name="Attendance target",
        ),
        _per_conference(
            table,
            "revenue",
            title="Revenue from paid orders",
            unit="money",
            target="revenue_budget",
            target_name="Revenue budget",
            words={**MET_TEXT, "met": "budget reached", "missed": "below budget"},
        ),
        _per_conference(table, "sponsors", title="Sponsors", unit="count"),
        _per_conference(table, "talks", title="Talks", unit="count"),
        spacing=24,
        title=vl.TitleParams("Growth across conferences", subtitle="Oldest first"),
    ).resolve_scale(color="independent")


def yoy_retention_by_conference(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Returning and new attendees per conference (each conference's `yoy_retention`)."""
    title = "Returning and new attendees"
    table = numeric(rows_of(rows), "returning", "new", "retention_rate")
    for r in table:
        r["total"] = (r.get("returning") or 0.0) + (r.get("new") or 0.0)
    if not any(r["total"] for r in table):
        return no_data(title)
    long = long_form(table, ["name", "retention_rate"], {"returning": "Returning", "new": "New"}, "attendees")
    x = vl.X("name:N", title="Conference", sort=[r["name"] for r in table], axis=vl.Axis(labelAngle=-30))
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
    for r in table:
        rate = r["retention_rate"]
        r["label"] = "retention n/a" if rate is None else f"{percent(rate)} returning"
    text = (
        vl.Chart(table)
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="total:Q", text="label:N")
    )
    chart = vl.layer(stacked, text).properties(width=max(WIDTH, 70 * len(table)), height=240)
    return titled(chart, title, "Returning = attended an earlier conference in this database")


def return_rates(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendee retention, sponsor renewal and speaker return rates per conference."""
    title = "Who comes back: attendees, sponsors, speakers"
    table = numeric(rows_of(rows), "retention_rate", "renewal_rate", "speaker_return_rate")
    if not table:
        return no_data(title)
    names = {
        "retention_rate": "Attendee retention",
        "renewal_rate": "Sponsor renewal",
        "speaker_return_rate": "Speaker return",
    }
    long = having(long_form(table, ["name"], names, "rate", var_name="measure"), "rate")
    order = [r["name"] for r in table]
    if not long:
        return no_data(title)
    chart = (
        vl.Chart(long)
        .mark_line(point=True)
        .encode(
            x=vl.X("name:N", title="Conference", sort=order, axis=vl.Axis(labelAngle=-30)),
            y=vl.Y("rate:Q", axis=unit_axis("percent", "Rate"), scale=vl.Scale(domain=[0, 100])),
            color=vl.Color("measure:N", title=None),
            tooltip=[
                vl.Tooltip("name:N", title="Conference"),
                vl.Tooltip("measure:N", title="Measure"),
                unit_tooltip("rate", "Rate", "percent"),
            ],
        )
        .properties(width=max(WIDTH, 70 * len(table)), height=240)
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
    shown = ("username", "total_spent", "order_count", "conferences_attended")
    table = [{k: r[k] for k in shown} for r in numeric(rows_of(users), *shown[1:])]
    sub = (
        f"{count(value.get('total_users_with_orders'))} people with orders; average "
        f"{money(value.get('avg_ltv'))}, highest {money(value.get('max_ltv'))}, "
        f"lowest {money(value.get('min_ltv'))}"
    )
    return bars(
        table,
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

"""Across conferences: growth against targets, returning attendees, return rates, lifetime value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import vegalite as vl
from .formats import MET_TEXT, count, fmt, money, percent, status_of
from .parts import (
    Row,
    bars_against_ticks,
    domain_max,
    end_labels,
    having,
    highest,
    kind_colour,
    long_form,
    numeric,
    rows_height,
    rows_of,
    status_colour,
    titled,
    unit_axis,
    unit_tooltip,
    values,
)
from .primitives import bars, no_data
from .theme import WIDTH


def _editions(rows: Sequence[Row]) -> vl.Y:
    """One row per conference, oldest at the top: horizontal bars keep every name and label legible
    however narrow the page (eight editions side by side ran together on a phone)."""
    names = [r["name"] for r in rows]
    return vl.Y("name:N", title=None, sort=names, scale=vl.Scale(domain=names))  # a row even with no mark


def _per_conference(
    rows: Sequence[Row],
    value: str,
    *,
    title: str,
    unit: str,
    target: str | None = None,
    target_name: str = "Target",
    words: Mapping[str, str] = MET_TEXT,
    subtitle: str | None = None,
) -> Any:
    """One bar per conference, labelled with its value; with targets, each against its own target
    (a dark tick), coloured and labelled by whether it met it."""
    d = [dict(r) for r in rows]
    if not values(d, value):
        return no_data(title)
    y = _editions(d)
    tips = [
        vl.Tooltip("name:N", title="Conference"),
        vl.Tooltip("series:N", title="Series"),
        unit_tooltip(value, title, unit),
    ]
    if target and values(d, target):
        # an edition that has not started yet is not judged against its target (nor is one of target 0)
        words = {**words, "no target": "no target or not held yet"}
        for r in d:
            v, t, soon = r[value], r[target], bool(r.get("upcoming"))
            r["status"] = "no target" if soon or t == 0 else status_of(v, t)
            r["status_text"] = words[r["status"]]
            held = f" · {words[r['status']]}" if r["status"] != "no target" else ""
            r["label"] = fmt(v, unit) + (" · not held yet" if soon else held)
            # the label starts past the further of bar and tick, so the tick never strikes it
            r["end"] = max((h for h in (v, t) if h is not None), default=None)
        tips += [
            unit_tooltip(target, target_name, unit),
            vl.Tooltip("status_text:N", title=f"Against {target_name}"),
        ]
        colour = status_colour(f"Against {target_name}", words, [r["status"] for r in d])
        subtitle = f"Dark tick = {target_name.lower()} for that conference"
    else:
        target, colour = None, vl.Color("series:N", title="Series")
        for r in d:
            r["label"], r["end"] = fmt(r[value], unit), r[value]
    chart = bars_against_ticks(d, y, tips, value=value, target=target, unit=unit, value_title=title,
                               colour=colour, headroom=1.3)
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
        _per_conference(table, "sponsors", title="Sponsors, active or not", unit="count",
                        subtitle="Every sponsor record (yoy_growth); the sponsor report counts active ones"),
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
    y = _editions(table)
    top = domain_max(highest(table, "total"), headroom=1.3)
    stacked = (
        vl.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=vl.X("sum(attendees):Q", axis=unit_axis("count", "Attendees", ticks=6),
                   scale=vl.Scale(domain=[0, top], nice=False)),
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
        r["label"] = ("not held yet" if r.get("upcoming") else "retention n/a") if rate is None \
            else f"{percent(rate)} returning"
        r["end"] = r["total"]
    chart = vl.layer(stacked, end_labels(table, y))
    chart = chart.properties(width=WIDTH - 60, height=rows_height(len(table)))
    return titled(chart, title, "Returning = attended an earlier conference in this database")


def return_rates(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendee retention, sponsor renewal and speaker return rates per conference."""
    title = "Who comes back: attendees, sponsors, speakers"
    table = numeric(rows_of(rows), "retention_rate", "renewal_rate", "speaker_return_rate")
    if not table:
        return no_data(title)
    names = {
        "retention_rate": "Attended any earlier conference",  # the table's words (yoy_retention)
        "renewal_rate": "Sponsor renewal",
        "speaker_return_rate": "Speaker return",
    }
    long = having(long_form(table, ["name"], names, "rate", var_name="measure"), "rate")
    if not long:
        return no_data(title)
    # Dots on each conference's row, not lines across conferences: consecutive editions may belong to
    # different series, and a line between them would draw a trend that is not there.
    chart = (
        vl.Chart(long)
        .mark_point(filled=True, size=80, opacity=0.9)
        .encode(
            y=_editions(table),
            x=vl.X("rate:Q", axis=unit_axis("percent", "Rate"), scale=vl.Scale(domain=[0, 100])),
            color=vl.Color("measure:N", title=None),
            shape=vl.Channel("measure:N", title=None),
            tooltip=[
                vl.Tooltip("name:N", title="Conference"),
                vl.Tooltip("measure:N", title="Measure"),
                unit_tooltip("rate", "Rate", "percent"),
            ],
        )
        .properties(width=WIDTH - 60, height=rows_height(len(table)))
    )
    return titled(
        chart,
        title,
        ["Share of this year's attendees, sponsors and speakers seen at an earlier conference",
         "No dot: nothing came before, no one to count, or (attendees) not held yet"],
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

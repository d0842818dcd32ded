"""Running the event: check-in, room utilisation, activity capacity, travel grants, talks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import BUDGET_TEXT, awaits, count, money, num, percent, target_of
from .parts import (
    Row,
    bands,
    end_labels,
    highest,
    kind_colour,
    local_instant,
    long_form,
    lowest,
    numeric,
    rows_height,
    rows_of,
    sums_by,
    target_ticks,
    time_axis,
    titled,
    total,
    unit_axis,
    unit_tooltip,
)
from .primitives import bars, bullets, no_data, stack
from .theme import WIDTH

MAX_DAY_PANELS = 7  # check-ins spread over more days are drawn per day instead


def checkin_throughput(records: Any, zone: Any = None) -> Any:
    """Check-ins per 15-minute window, in the conference's local time: one panel per day, each spanning
    that day's check-in hours, so the windows are visible bars (the nights between are left out)."""
    title = "Check-ins per 15 minutes"
    rows = numeric(rows_of(records), "count")
    if not rows:
        return no_data(title, "No check-ins yet.")
    starts = local_instant((r["bucket_start"] for r in rows), zone)
    ends = local_instant((r["bucket_end"] for r in rows), zone)
    for r, start, end in zip(rows, starts, ends, strict=True):
        r["start"], r["end"] = start, end
    busiest = max((r for r in rows if r["count"] is not None), key=lambda r: r["count"])  # the first on a tie
    sub = (
        f"{int(total(rows, 'count')):,} check-ins; busiest window "
        f"{busiest['start']:%Y-%m-%d %H:%M} with {int(busiest['count']):,}"
    )
    for r in rows:
        r["day"] = r["start"].replace(hour=0, minute=0, second=0, microsecond=0)
    days = sorted({r["day"] for r in rows})
    y_top = float(highest(rows, "count")) or 1.0
    if len(days) > MAX_DAY_PANELS:
        per_day = sums_by(rows, ["day"], ["count"])
        return titled(_checkins_by_day(per_day), "Check-ins per day", sub)
    panels = []
    for day in days:
        part = [r for r in rows if r["day"] == day]
        lo, hi = _hour_floor(lowest(part, "start")), _hour_ceil(highest(part, "end"))
        hours = max(1, int((hi - lo) / dt.timedelta(hours=1)))
        part = bands(part, "start", "end", gap=0.15)
        chart = (
            vl.Chart(part)
            .mark_bar()
            .encode(
                x=vl.X(
                    "x0:T",
                    title=None,
                    scale=vl.Scale(domain=[_wall_clock(lo), _wall_clock(hi)]),
                    axis=vl.Axis(
                        format="%H:%M",
                        tickCount=hours if hours <= 8 else max(2, hours // 2) if hours <= 16 else 6,
                        labelAngle=0,
                        labelOverlap="greedy",
                    ),
                ),
                x2="x1:T",
                y=vl.Y(
                    "count:Q", axis=unit_axis("count", "Check-ins"), scale=vl.Scale(domain=[0, y_top])
                ),
                y2=vl.datum(0),
                tooltip=[
                    vl.Tooltip("start:T", title="From", format="%Y-%m-%d %H:%M"),
                    vl.Tooltip("end:T", title="To", format="%H:%M"),
                    unit_tooltip("count", "Check-ins", "count"),
                ],
            )
            .properties(width=WIDTH, height=120)
        )
        panels.append(titled(chart, f"{day:%A %d %B} (local time)"))
    return titled(vl.vconcat(*panels, spacing=14), title, sub)


def _hour_floor(moment: dt.datetime) -> dt.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _hour_ceil(moment: dt.datetime) -> dt.datetime:
    floor = _hour_floor(moment)
    return floor if floor == moment else floor + dt.timedelta(hours=1)


def _wall_clock(moment: dt.datetime) -> vl.DateTime:
    """A naive datetime as a Vega-Lite date-time, read as local time like the data."""
    return vl.DateTime(
        year=moment.year, month=moment.month, date=moment.day, hours=moment.hour, minutes=moment.minute
    )


def _checkins_by_day(per_day: list[Row]) -> vl.Chart:
    """Check-ins per local day, one band each."""
    per_day = bands(per_day, "day", dt.timedelta(days=1))
    return (
        vl.Chart(per_day)
        .mark_bar()
        .encode(
            x=vl.X("x0:T", title="Local day", axis=time_axis("Local day", lowest(per_day, "day"),
                                                             highest(per_day, "day"))),
            x2="x1:T",
            y=vl.Y("count:Q", axis=unit_axis("count", "Check-ins")),
            y2=vl.datum(0),
            tooltip=[vl.Tooltip("day:T", title="Day", format="%Y-%m-%d"),
                     unit_tooltip("count", "Check-ins", "count")],
        )
        .properties(width=WIDTH, height=200)
    )


def room_utilization(records: Any, target: Any = None) -> Any:
    """Share of each room's slots used by talks, against the utilisation target."""
    title = "Room utilisation"
    rows = numeric(rows_of(records), "utilization_pct", "talk_slots", "total_slots", "room_capacity")
    if not rows:
        return no_data(title, "No rooms scheduled yet.")
    return bars(
        rows,
        category="room_name",
        value="utilization_pct",
        title=title,
        value_title="Slots used by talks (%)",
        category_title="Room",
        unit="percent",
        target=target,
        cap=100,
        tooltip=[
            unit_tooltip("talk_slots", "Talk slots", "count"),
            unit_tooltip("total_slots", "All slots", "count"),
            unit_tooltip("room_capacity", "Seats", "count"),
        ],
    )


def activity_utilization(records: Any) -> Any:
    """Confirmed and waitlisted sign-ups per activity against its capacity."""
    title = "Activity capacity"
    rows = numeric(
        rows_of(records), "confirmed", "waitlisted", "cancelled", "max_participants", "utilization_pct"
    )
    if not rows:
        return no_data(title, "No activities yet.")
    for r in rows:
        c, w, limit = r["confirmed"], r["waitlisted"], r["max_participants"] or None
        r["limit"] = limit
        r["label"] = (
            f"{int(c):,} of {int(limit):,} ({percent(r['utilization_pct'])})"
            + (f", {int(w):,} waitlisted" if w else "")
            if limit
            else f"{int(c):,} confirmed, no limit"
        )
    long = long_form(
        rows, ["name", "label", "limit"], {"confirmed": "Confirmed", "waitlisted": "Waitlisted"}, "people"
    )
    y = vl.Y("name:N", title="Activity", sort=[r["name"] for r in rows])
    stacked = (
        vl.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=vl.X("sum(people):Q", axis=unit_axis("count", "People")),
            color=kind_colour("Confirmed", "Waitlisted"),
            tooltip=[
                vl.Tooltip("name:N", title="Activity"),
                vl.Tooltip("kind:N", title="Sign-up"),
                vl.Tooltip("people:Q", title="People", format=","),
            ],
        )
    )
    cap_tips = [vl.Tooltip("name:N", title="Activity"), vl.Tooltip("limit:Q", title="Capacity", format=",")]
    cap = target_ticks(rows, y, "limit", cap_tips)  # copies made before `end` is added: they have none
    for r in rows:
        r["total"] = (r["confirmed"] or 0.0) + (r["waitlisted"] or 0.0)
        r["end"] = max(r["total"], r["limit"] or 0.0)
    chart = vl.layer(stacked, cap, end_labels(rows, y))
    chart = chart.properties(width=WIDTH - 120, height=rows_height(len(rows)))
    return titled(chart, title, "Dark tick = capacity (the limit each activity is measured against)")


def travel_grant_analytics(value: Mapping[str, Any] | None, grant_budget: Any = None) -> Any:
    """Grant applications by status, and money approved and disbursed against the grant budget (a number,
    or a record saying "not yet")."""
    title = "Travel grants"
    if not value or not num(value.get("total_applications")):
        return no_data(title, "No travel grant applications yet.")
    states = [
        {"status": str(k).replace("_", " ").capitalize(), "applications": v}
        for k, v in (value.get("by_status") or {}).items()
    ]
    by_status = bars(
        states,
        category="status",
        value="applications",
        title="Applications by status",
        value_title="Applications",
        category_title="Status",
        subtitle=f"{count(value.get('total_applications'))} applications; approval rate "
        f"{percent(value.get('approval_rate'))}",
    )
    budget = num(target_of(grant_budget))
    rows = [
        {"label": "Approved", "value": value.get("total_approved")},
        {"label": "Disbursed", "value": value.get("total_disbursed")},
    ]
    status = "not yet" if awaits(grant_budget) else None  # else judged on the numbers, in bullets
    for r in rows:
        r.update(target=budget, unit="money", higher_is_better=False, words=BUDGET_TEXT, status=status)
    asked = f"{money(value.get('total_requested'))} requested"
    money_chart = bullets(
        rows,
        title="Grant money against the grant budget",
        target_label="Budget",
        words=BUDGET_TEXT,
        subtitle=asked if budget else f"{asked}; no grant budget is set.",
    )
    return titled(stack(by_status, money_chart, spacing=18), title)


def _counts(mapping: Mapping[str, Any] | None, key: str) -> list[dict[str, Any]]:
    return [{key: (str(k) if k else "(none)"), "n": v} for k, v in (mapping or {}).items() if num(v)]


def content_analytics(value: Mapping[str, Any] | None) -> Any:
    """Talks by track, by submission type and by state."""
    title = "Content"
    if not value or not num(value.get("total_talks")):
        return no_data(title, "No talks yet.")
    sub = (
        f"{count(value.get('total_talks'))} talks, {count(value.get('total_rooms'))} rooms, "
        f"{count(value.get('total_schedule_slots'))} schedule slots"
    )
    parts = [
        bars(
            _counts(value.get(key), category),
            category=category,
            value="n",
            title=f"Talks by {what}",
            value_title="Talks",
            category_title=heading,
            sort="-x",
        )
        for key, category, what, heading in (
            ("by_track", "track", "track", "Track"),
            ("by_type", "kind", "submission type", "Type"),
            ("by_state", "state", "state", "State"),
        )
    ]
    return titled(stack(*parts, spacing=18), title, sub)

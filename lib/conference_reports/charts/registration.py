"""Registration: sales and registrations over time, ticket types against capacity, attendance, carts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import count, money, num, percent, target_of
from .parts import (
    PERIODS,
    bands,
    daily,
    highest,
    kind_colour,
    long_form,
    lowest,
    numeric,
    rows_of,
    time_axis,
    titled,
    total,
    unit_axis,
    unit_tooltip,
)
from .primitives import bars, bullet, no_data, stack
from .theme import PALETTE, WIDTH


def sales_by_date(records: Any) -> Any:
    """Paid orders and their revenue per day."""
    rows, period = daily(records, ["count", "revenue"])
    if not rows:
        return no_data("Sales over time")
    title = "Sales by day" if period == "Day" else "Sales by week"
    tips = [
        vl.Tooltip("day:T", title=period, format="%Y-%m-%d"),
        unit_tooltip("count", "Paid orders", "count"),
        unit_tooltip("revenue", "Revenue", "money"),
    ]
    rows = bands(rows, "day", PERIODS[period])
    x = vl.X("x0:T", title=period, axis=time_axis(period, lowest(rows, "day"), highest(rows, "day")))

    def panel(field: str, unit: str, title: str, colour: str) -> vl.Chart:
        y = vl.Y(f"{field}:Q", axis=unit_axis(unit, title))
        return (vl.Chart(rows).mark_bar(color=colour)
                .encode(x=x, x2="x1:T", y=y, y2=vl.datum(0), tooltip=tips)
                .properties(width=WIDTH, height=150))

    orders = panel("count", "count", "Paid orders", PALETTE[0])
    revenue = panel("revenue", "money", "Revenue", PALETTE[1])
    sums = f"{int(total(rows, 'count')):,} paid orders, {money(total(rows, 'revenue'))} in total"
    return titled(stack(orders, revenue, spacing=8), title, sums)


def registration_flow(records: Any) -> Any:
    """Registrations and cancellations per day."""
    rows, period = daily(records, ["registrations", "cancellations"])
    if not rows:
        return no_data("Registrations and cancellations")
    title = f"Registrations and cancellations by {'day' if period == 'Day' else 'week'}"
    kinds = {"registrations": "Registrations", "cancellations": "Cancellations"}
    long = long_form(rows, ["day"], kinds, "people")
    chart = (
        vl.Chart(long)
        .mark_line(point=True)
        .encode(
            x=vl.X("day:T", title=period, axis=time_axis(period, lowest(rows, "day"), highest(rows, "day"))),
            y=vl.Y("people:Q", axis=unit_axis("count", "People")),
            color=kind_colour("Registrations", "Cancellations", PALETTE[3]),
            tooltip=[
                vl.Tooltip("day:T", title=period, format="%Y-%m-%d"),
                vl.Tooltip("kind:N", title="What"),
                unit_tooltip("people", "People", "count"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )
    return titled(
        chart,
        title,
        f"{int(total(rows, 'registrations')):,} registrations, "
        f"{int(total(rows, 'cancellations')):,} cancellations",
    )


def ticket_sales_ratio(records: Any) -> Any:
    """Tickets sold against each ticket type's capacity."""
    title = "Ticket types: sold against capacity"
    rows = numeric(rows_of(records), "sold", "capacity", "fill_rate", "revenue", "revenue_pct")
    if not rows:
        return no_data(title)
    for r in rows:
        sold, capacity, fill = r["sold"], r["capacity"] or 0.0, r["fill_rate"] or 0.0
        r["label"] = (
            f"{int(sold):,} of {int(capacity):,} sold ({percent(fill)})" if capacity
            else f"{int(sold):,} sold, no limit"
        )
        r["fill"] = fill if capacity else 0.0
    return bars(
        rows,
        category="name",
        value="fill",
        title=title,
        value_title="Sold (% of capacity)",
        category_title="Ticket type",
        unit="percent",
        label="label",
        cap=100,
        tooltip=[
            unit_tooltip("sold", "Sold", "count"),
            unit_tooltip("capacity", "Capacity (0 = no limit)", "count"),
            unit_tooltip("revenue", "Revenue", "money"),
            unit_tooltip("revenue_pct", "Share of revenue", "percent"),
        ],
    )


def attendee_summary(summary: Mapping[str, Any] | None, target_attendance: Any = None) -> Any:
    """Attendees against the attendance target (a number, or the attendance KPI record with its judgement)."""
    title = "Attendance against target"
    if not summary:
        return no_data(title)
    sub = (
        f"{count(summary.get('total'))} registered attendees (attendee records), of whom "
        f"{count(summary.get('completed'))} completed registration and "
        f"{count(summary.get('checked_in'))} checked in"
    )
    if not num(target_of(target_attendance)):
        sub += "; no attendance target is set"
    return bullet(
        "Registered attendees", summary.get("total"), target_attendance or None, unit="count", title=title,
        subtitle=sub,
    )


def cart_funnel(value: Mapping[str, Any] | None, target_conversion_rate: Any = None) -> Any:
    """Carts by outcome, and the conversion rate against its target."""
    title = "Cart funnel"
    if not value or not num(value.get("total_carts")):
        return no_data(title, "No carts yet.")
    rows = [
        {"outcome": name, "carts": num(value.get(key))}
        for key, name in (
            ("completed", "Completed"),
            ("open", "Open"),
            ("abandoned", "Abandoned"),
            ("expired", "Expired"),
        )
    ]
    total = num(value.get("total_carts")) or 0
    for r in rows:
        r["share"] = (r["carts"] or 0) / total * 100 if total else 0
        r["label"] = f"{count(r['carts'])} ({percent(r['share'])})"
    outcome = bars(
        rows,
        category="outcome",
        value="carts",
        title="Carts by outcome",
        value_title="Carts",
        category_title="Outcome",
        label="label",
        sort=[r["outcome"] for r in rows],
        tooltip=[unit_tooltip("share", "Share of carts", "percent")],
        subtitle=f"{count(total)} carts; abandonment {percent(value.get('abandonment_rate'))}",
    )
    rate = bullet(
        "Conversion rate",
        value.get("conversion_rate"),
        target_conversion_rate,
        unit="percent",
        title="Cart conversion rate",
    )
    return titled(stack(outcome, rate, spacing=18), title)

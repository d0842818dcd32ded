"""Revenue: by source, by ticket type over time, cumulative against budget, gross to net."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import judged_status, money, num, percent, target_of
from .parts import (
    PERIODS,
    bands,
    daily,
    domain_max,
    highest,
    local_day,
    lowest,
    numeric,
    rows_of,
    status_colour,
    time_axis,
    titled,
    unit_axis,
    unit_tooltip,
    values,
)
from .primitives import bars, no_data, target_rule
from .theme import NEUTRAL, WIDTH


def revenue_breakdown(value: Mapping[str, Any] | None) -> Any:
    """Ticket, add-on and sponsorship revenue with their shares."""
    title = "Revenue by source"
    if not value or not num(value.get("total_revenue")):
        return no_data(title)
    rows = [
        {"source": name, "revenue": num(value.get(f"{key}_revenue")), "share": num(value.get(f"{key}_pct"))}
        for key, name in (("ticket", "Tickets"), ("addon", "Add-ons"), ("sponsor", "Sponsorships"))
    ]
    for r in rows:
        r["label"] = f"{money(r['revenue'])} ({percent(r['share'])})"
    return bars(
        rows,
        category="source",
        value="revenue",
        title=title,
        value_title="Revenue",
        unit="money",
        category_title="Source",
        label="label",
        subtitle=[
            f"Total {money(value.get('total_revenue'))} (django-program's revenue breakdown)",
            "Tickets and add-ons at their line totals, before order discounts and refunds; sponsorship at "
            "level cost. The money above gives the net figures.",
        ],
        tooltip=[unit_tooltip("share", "Share of revenue", "percent")],
    )


def revenue_by_ticket_type(records: Any) -> Any:
    """Daily ticket revenue stacked by ticket type."""
    title = "Ticket revenue by ticket type over time"
    rows, period = daily(records, ["revenue", "count"], ["ticket_type"])
    if not rows:
        return no_data(title)
    rows = bands(rows, "day", PERIODS[period])
    chart = (
        vl.Chart(rows)
        .mark_bar()
        .encode(
            x=vl.X("x0:T", title=period, axis=time_axis(period, lowest(rows, "day"), highest(rows, "day"))),
            x2="x1:T",
            y=vl.Y("sum(revenue):Q", title="Revenue", axis=unit_axis("money", "Revenue")),
            color=vl.Color("ticket_type:N", title="Ticket type"),
            tooltip=[
                vl.Tooltip("day:T", title=period, format="%Y-%m-%d"),
                vl.Tooltip("ticket_type:N", title="Ticket type"),
                vl.Tooltip("sum(revenue):Q", title="Revenue", format="$,.2f"),
                vl.Tooltip("sum(count):Q", title="Tickets", format=","),
            ],
        )
        .properties(width=WIDTH, height=240)
    )
    return titled(chart, title, "Revenue per week" if period != "Day" else "Revenue per day")


def cumulative_revenue(records: Any, budget: Any = None) -> Any:
    """Cumulative revenue by day against the revenue budget (rule + reached / not reached; `budget` a
    number, or a record saying "not yet")."""
    title = "Cumulative revenue against budget"
    rows = numeric(rows_of(records), "cumulative", "daily")
    if not rows:
        return no_data(title)
    for r, day in zip(rows, local_day(r["date"] for r in rows), strict=True):
        r["day"] = day
    b = num(target_of(budget))
    last = float(rows[-1]["cumulative"])
    words = {"met": "budget reached", "missed": "budget not reached", "no target": "no budget set",
             "not yet": "not yet"}
    state = judged_status(last, budget) if b else "no target"
    share = f" = {last / b * 100:,.1f}% of budget" if b else ""
    end = [
        {
            "day": rows[-1]["day"],
            "cumulative": last,
            "status": state,
            "status_text": words[state],
            "text": f"{money(last)}{share} · {words[state]}",
        }
    ]
    tips = [
        vl.Tooltip("day:T", title="Day", format="%Y-%m-%d"),
        unit_tooltip("cumulative", "Cumulative revenue", "money"),
        unit_tooltip("daily", "Revenue that day", "money"),
    ]
    y = vl.Y(
        "cumulative:Q",
        axis=unit_axis("money", "Cumulative revenue"),
        scale=vl.Scale(domain=[0, domain_max(last, b, headroom=1.1)]),
    )
    line = (
        vl.Chart(rows)
        .mark_area(line={"color": NEUTRAL}, color=NEUTRAL, opacity=0.15)
        .encode(
            x=vl.X("day:T", title="Day", axis=time_axis("Day", lowest(rows, "day"), highest(rows, "day"))),
            y=y,
            tooltip=tips,
        )
    )
    point = (
        vl.Chart(end)
        .mark_point(size=90, filled=True)
        .encode(
            x="day:T",
            y="cumulative:Q",
            color=status_colour("Against budget", words, [state]),
            tooltip=[vl.Tooltip("text:N", title="Latest")],
        )
    )
    # The latest figure sits on the side of its point away from the budget rule (above once reached);
    # the budget's label sits at the left edge, on the side of the rule the line is not on there.
    below = bool(b) and last < b
    label = (
        vl.Chart(end)
        .mark_text(align="right", baseline="top" if below else "bottom", dy=10 if below else -10,
                   fontWeight=600)
        .encode(x="day:T", y="cumulative:Q", text="text:N")
    )
    layers: list[Any] = [line, point, label]
    if b:
        first = float(rows[0]["cumulative"])
        side = "above" if first < b else "below"
        layers.append(target_rule(b, f"Revenue budget {money(b)}", axis="y", at="start", side=side))
    chart = vl.layer(*layers).properties(width=WIDTH, height=260)
    meaning = ("Paid order totals by day, before refunds and without sponsorship (django-program's "
               "cumulative revenue, the figure its revenue budget is compared with).")
    unset = [] if b else ["No revenue budget is set for this conference."]
    return titled(chart, title, [meaning, *unset])


def cashflow_waterfall(records: Any) -> Any:
    """Gross sales down to net revenue: discounts, refunds and credits as steps."""
    title = "From gross sales to net revenue"
    rows = numeric(rows_of(records), "value")
    if not any(values(rows, "value")):
        return no_data(title)
    steps, running = {"total": "Total", "increase": "Increase", "decrease": "Decrease"}, 0.0
    for r in rows:
        v = r["value"]
        if r["type"] == "total":
            r["start"], r["end"], running = 0.0, v, v
        else:
            r["start"], running = running, running + v
            r["end"] = running
        r["step"] = steps.get(r["type"], "Step")
        r["text"] = money(v)
    order = [r["label"] for r in rows]
    base = vl.Chart(rows).encode(x=vl.X("label:N", title=None, sort=order, axis=vl.Axis(labelAngle=0)))
    bar = base.mark_bar(size=48).encode(
        y=vl.Y("start:Q", axis=unit_axis("money", "Amount")),
        y2="end:Q",
        color=vl.Color(
            "step:N",
            title="Step",
            scale=vl.Scale(domain=["Total", "Increase", "Decrease"], range=[NEUTRAL, "#5a9e6f", "#b3546b"]),
        ),
        tooltip=[
            vl.Tooltip("label:N", title="Step"),
            unit_tooltip("value", "Amount", "money"),
            unit_tooltip("end", "Running total", "money"),
        ],
    )
    text = (
        base.mark_text(dy=-6, baseline="bottom")
        .encode(y="max_y:Q", text="text:N")
        .transform_calculate(max_y="max(datum.start, datum.end)")
    )
    meaning = [
        "django-program's waterfall: its net revenue takes the credits of fully refunded orders off a",
        "second time; The money's net ticket revenue and add-ons count each refund once.",
    ]
    return titled(vl.layer(bar, text).properties(width=WIDTH, height=240), title, meaning)

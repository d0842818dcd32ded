"""Figures the metrics compute that no other chart shows: payment reconciliation, where paid orders
came from (UTM tags), the visa-letter backlog and the tickets left per ticket type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import count, money, num, percent
from .parts import (
    Row,
    domain_max,
    highest,
    kind_colour,
    long_form,
    numeric,
    ranked,
    rows_height,
    rows_of,
    titled,
    total,
    unit_axis,
    unit_tooltip,
)
from .primitives import bars, labelled_bars, no_data, stack
from .theme import WIDTH

TOP_ROWS = 15  # campaign rows drawn per UTM tag; the subtitle sums the rest
LEFT = "#c3ccd6"  # tickets left: a light grey beside the sold blue

ORDER_STATUSES = {
    "pending": "Pending (not yet paid)",
    "paid": "Paid",
    "partially_refunded": "Partially refunded",
    "refunded": "Refunded",
    "cancelled": "Cancelled",
}

# Visa-letter statuses in workflow order, each with its name and where the request stands.
LETTER_STATUSES = {
    "submitted": ("Submitted", "waiting for review"),
    "under_review": ("Under review", "waiting for review"),
    "approved": ("Approved", "approved, letter not sent"),
    "generated": ("Letter generated", "approved, letter not sent"),
    "sent": ("Sent", "done"),
    "rejected": ("Rejected", "done"),
}


def _words(key: Any) -> str:
    return str(key).replace("_", " ").capitalize() if key else "(none)"


PAYMENT_STATUSES = {
    "succeeded": "Succeeded (received)",
    "pending": "Pending",
    "processing": "Processing",
    "failed": "Failed",
    "refunded": "Refunded",
}


def payment_status_summary_by_status(value: Mapping[str, Any] | None) -> Any:
    """The `payment_status_summary` metric: payment attempts by status (failed and pending among them),
    count and amount."""
    title = "Payments by status"
    rows = [r for r in (value or {}).get("by_status") or [] if num(r.get("count"))]
    if not rows:
        return no_data(title, "No payments recorded yet.")
    for r in rows:
        r["name"] = PAYMENT_STATUSES.get(r["status"]) or _words(r["status"])
        r["label"] = f"{count(r['count'])} · {money(r['amount'])}"
    sub = (
        f"{count(value.get('failed_count'))} failed payments ({money(value.get('failed_amount'))}); "
        f"{count(value.get('unsettled_count'))} pending or processing "
        f"({money(value.get('unsettled_amount'))})"
    )
    return bars(
        rows,
        category="name",
        value="count",
        title=title,
        value_title="Payments",
        category_title="Status",
        label="label",
        sort=[r["name"] for r in rows],
        subtitle=[sub, "Every payment on the conference's orders; reconciliation counts succeeded ones only"],
        tooltip=[unit_tooltip("amount", "Amount", "money")],
    )


def reconciliation_payments(
    value: Mapping[str, Any] | None, payments: Mapping[str, Any] | None = None
) -> Any:
    """The `reconciliation` metric: paid sales against succeeded payments, orders by status (pending
    ones not yet paid) and payments by method; with `payments` (`payment_status_summary`), the failed
    and pending payments too."""
    title = "Payments and reconciliation"
    if not value or not value.get("by_order_status"):
        return no_data(title, "No orders yet.")
    gap = num(value.get("discrepancy")) or 0.0
    agree = (
        "paid sales and payments received agree"
        if abs(gap) < 0.005
        else f"paid sales exceed payments received by {money(gap)}"
        if gap > 0
        else f"payments received exceed paid sales by {money(-gap)}"
    )
    totals = labelled_bars(
        [
            {"what": "Paid sales (order totals)", "amount": value.get("sales_total")},
            {"what": "Payments received (succeeded)", "amount": value.get("payments_total")},
            {"what": "Difference (sales − payments)", "amount": value.get("discrepancy")},
            {"what": "Refunded as store credit", "amount": value.get("refunds_total")},
            {"what": "Store credit not yet spent", "amount": value.get("credits_outstanding")},
        ],
        "amount",
        title="Paid sales against payments received",
        value_title="Amount",
        unit="money",
        subtitle=f"Paid or partially refunded orders: {agree}",
    )
    statuses = numeric(rows_of(value.get("by_order_status")), "count", "total")
    present = {r["status"] for r in statuses}
    known = [s for s in ORDER_STATUSES if s in present]
    rank = {s: i for i, s in enumerate([*known, *sorted(present - set(known))])}
    statuses.sort(key=lambda r: rank[r["status"]])
    for r in statuses:
        r["name"] = ORDER_STATUSES.get(r["status"]) or _words(r["status"])
        r["label"] = f"{count(r['count'])} · {money(r['total'])} order total"
    pending = [r for r in statuses if r["status"] == "pending"]
    waiting = (
        f"{count(total(pending, 'count'))} pending orders, {money(total(pending, 'total'))} not yet paid"
        if pending
        else "No pending orders"
    )
    by_status = bars(
        statuses,
        category="name",
        value="count",
        title="Orders by status",
        value_title="Orders",
        category_title="Status",
        label="label",
        sort=[r["name"] for r in statuses],
        subtitle=waiting,
        tooltip=[unit_tooltip("total", "Order total", "money")],
    )
    methods = numeric(rows_of(value.get("by_payment_method")), "count", "total")
    for r in methods:
        r["method"] = _words(r["method"])
        r["label"] = f"{money(r['total'])} · {count(r['count'])} payments"
    by_method = bars(
        methods,
        category="method",
        value="total",
        title="Payments received by method",
        value_title="Amount received",
        category_title="Method",
        unit="money",
        label="label",
        sort="-x",
        subtitle="Succeeded payments only (reconciliation counts no failed or pending payment attempts)",
        tooltip=[unit_tooltip("count", "Payments", "count")],
        note="No payments recorded yet.",
    )
    parts = [totals, by_status, by_method]
    if payments is not None:
        parts.append(payment_status_summary_by_status(payments))
    return titled(stack(*parts, spacing=18), title)


def _top(rows: list[Row], what: str) -> tuple[list[Row], str | None]:
    """The TOP_ROWS rows bringing most revenue, and a line summing the others (None when none)."""
    if len(rows) <= TOP_ROWS:
        return rows, None
    best = ranked(rows, "revenue", "count")
    rest = best[TOP_ROWS:]
    return best[:TOP_ROWS], (
        f"Top {TOP_ROWS} of {count(len(best))} {what}; the others brought {count(total(rest, 'count'))} "
        f"paid orders, {money(total(rest, 'revenue'))}"
    )


def registration_attribution(value: Mapping[str, Any] | None) -> Any:
    """The `registration_attribution` metric: paid orders with and without UTM tags, then the paid orders
    and their revenue by UTM source, medium and campaign."""
    title = "Where paid orders came from"
    tagged = num((value or {}).get("total_attributed")) or 0.0
    untagged = num((value or {}).get("total_unattributed")) or 0.0
    total = tagged + untagged
    if not value or not total:
        return no_data(title, "No paid orders yet.")
    split = labelled_bars(
        [
            {"what": "With a UTM source, medium or campaign", "orders": tagged},
            {"what": "Without UTM tags", "orders": untagged},
        ],
        "orders",
        title="Paid orders with and without campaign tags",
        value_title="Paid orders",
        unit="count",
        subtitle=f"{count(tagged)} of {count(total)} paid orders ({percent(tagged / total * 100)}) "
        "carry a UTM tag",
    )
    parts: list[Any] = [split]
    for key, tag, plural in (
        ("by_source", "UTM source", "sources"),
        ("by_medium", "UTM medium", "media"),
        ("by_campaign", "UTM campaign", "campaigns"),
    ):
        rows, rest = _top(numeric(rows_of(value.get(key)), "count", "revenue"), plural)
        if not rows:
            continue
        for r in rows:
            r["label"] = f"{money(r['revenue'])} · {count(r['count'])} paid orders"
        parts.append(
            bars(
                rows,
                category="name",
                value="revenue",
                title=f"Revenue by {tag}",
                value_title="Revenue (paid order totals)",
                category_title=tag,
                unit="money",
                label="label",
                sort="-x",
                subtitle=rest,
                tooltip=[unit_tooltip("count", "Paid orders", "count")],
            )
        )
    sub = None if len(parts) > 1 else "No paid order carries a UTM source, medium or campaign yet."
    return titled(stack(*parts, spacing=18), title, sub)


def letter_request_summary(value: Mapping[str, Any] | None) -> Any:
    """The `letter_request_summary` metric: visa-letter requests by status (what still waits), and the
    top nationalities."""
    title = "Visa letters"
    if not value or not num(value.get("total")):
        return no_data(title, "No visa letter requests yet.")
    by_status = dict(value.get("by_status") or {})
    order = [s for s in LETTER_STATUSES if s in by_status] + sorted(set(by_status) - set(LETTER_STATUSES))
    rows = []
    for status in order:
        name, stage = LETTER_STATUSES.get(status, (_words(status), "other"))
        rows.append({"status": name, "requests": by_status[status], "stage": stage,
                     "label": f"{count(by_status[status])} · {stage}"})
    not_sent = sum(num(by_status.get(s)) or 0 for s in ("approved", "generated"))
    days = num(value.get("avg_processing_days"))
    review = "no request reviewed yet" if days is None else f"mean days from request to review {days:,.1f}"
    if days is not None and days < 0:
        review += " (negative: some reviews are dated before their request)"
    statuses = bars(
        rows,
        category="status",
        value="requests",
        title="Requests by status",
        value_title="Requests",
        category_title="Status",
        label="label",
        sort=[r["status"] for r in rows],
        subtitle=[
            f"{count(value.get('pending_count'))} waiting for review, "
            f"{count(not_sent)} approved but not sent; "
            f"{percent(value.get('completion_rate'))} of {count(value.get('total'))} requests sent",
            review[0].upper() + review[1:],
        ],
        tooltip=[vl.Tooltip("stage:N", title="Stands")],
    )
    nationalities = bars(
        value.get("by_nationality") or [],
        category="nationality",
        value="count",
        title="Requests by nationality (top 10)",
        value_title="Requests",
        category_title="Nationality",
        sort="-x",
    )
    return titled(stack(statuses, nationalities, spacing=18), title)


def ticket_sales_ratio_stock(records: Any) -> Any:
    """From the `ticket_sales_ratio` metric: tickets sold and left of each ticket type that has a capacity."""
    title = "Tickets left per ticket type"
    rows = numeric(rows_of(records), "sold", "capacity", "revenue")
    if not rows:
        return no_data(title, "No ticket types yet.")
    limited = [r for r in rows if (r.get("capacity") or 0) > 0]
    if not limited:
        return no_data(title, "No ticket type has a capacity.")
    unlimited = len(rows) - len(limited)
    for r in limited:
        sold = r["sold"] = r["sold"] or 0.0
        cap = r["capacity"]
        r["left"], r["over"] = max(cap - sold, 0.0), max(sold - cap, 0.0)
        r["label"] = (
            f"{count(sold)} sold · {count(r['left'])} left of {count(cap)}"
            if not r["over"]
            else f"{count(sold)} sold of {count(cap)}: sold out, {count(r['over'])} over capacity"
        )
        r["end"] = max(sold, cap)
    long = long_form(limited, ["name", "capacity", "revenue"], {"sold": "Sold", "left": "Left"}, "tickets")
    y = vl.Y("name:N", title="Ticket type", sort=[r["name"] for r in limited])
    tips = [
        vl.Tooltip("name:N", title="Ticket type"),
        vl.Tooltip("kind:N", title="Tickets"),
        unit_tooltip("tickets", "Tickets", "count"),
        unit_tooltip("capacity", "Capacity", "count"),
        unit_tooltip("revenue", "Revenue (paid orders)", "money"),
    ]
    bar = (
        vl.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=vl.X(
                "sum(tickets):Q",
                axis=unit_axis("count", "Tickets"),
                scale=vl.Scale(domain=[0, domain_max(highest(limited, "end"), headroom=1.4)], nice=False),
            ),
            color=kind_colour("Sold", "Left", LEFT),
            order=vl.Order("kind_order:Q"),
            tooltip=tips,
        )
        .transform_calculate(kind_order="datum.kind == 'Sold' ? 0 : 1")
    )
    text = vl.Chart(limited).mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="label:N")
    chart = vl.layer(bar, text).properties(width=WIDTH - 120, height=rows_height(len(limited)))
    sub = (
        f"Tickets in paid orders against capacity: {count(total(limited, 'left'))} of "
        f"{count(total(limited, 'capacity'))} left"
    )
    if unlimited:
        sub += f"; {count(unlimited)} ticket type{'s' if unlimited > 1 else ''} without a limit not shown"
    return titled(chart, title, sub)

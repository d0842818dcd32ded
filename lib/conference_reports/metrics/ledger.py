"""Ledger metrics: refunds, credits, payment reconciliation and the cash-flow waterfall."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from .common import ZERO, credit_sums, paid_orders, pct, read_parts
from .registry import metric

CREDIT_STATUSES = ("available", "applied", "expired")

# Payment statuses of django-program, in the order a payment passes through them.
PAYMENT_STATUSES = ("succeeded", "pending", "processing", "failed", "refunded")


def _paid_order_sums(conn: Connection, conference: Conference) -> tuple[Any, Any, Any]:
    """(subtotal, discount_amount, total) summed over the conference's paid orders, as Decimals."""
    paid = paid_orders(conn, conference)
    return cents(paid.subtotal), cents(paid.discount), cents(paid.total)


@metric()
def refund_metrics(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Refund credits against paid revenue, and every credit of the conference counted by status."""
    c = t.credit.c
    credits = credit_sums(conn, conference)
    total_refunded = cents(credits.refunds)
    total_revenue = _paid_order_sums(conn, conference)[2]
    by_status = dict.fromkeys(CREDIT_STATUSES, 0)
    rows = conn.execute(
        select(c.status, func.count())
        .where(c.conference_id == conference.id)
        .group_by(c.status)
        .order_by(c.status)
    )
    by_status.update({status: n for status, n in rows})
    return {
        "total_refunded": total_refunded,
        "total_revenue": total_revenue,
        "refund_rate": pct(total_refunded, total_revenue),
        "refund_count": credits.refund_count,
        "by_status": by_status,
    }


@metric()
def credit_summary(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Credits: count, amount issued, remaining on available credits, amount of fully applied credits."""
    credits = credit_sums(conn, conference)
    return {
        "count": credits.credit_count,
        "total_issued": cents(credits.issued),
        "total_outstanding": cents(credits.outstanding),
        "total_applied": cents(credits.applied),
    }


@metric()
def reconciliation(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Paid sales vs succeeded payments; refund and credit balances; by payment method and order status."""
    o, p = t.order.c, t.payment.c
    sales_total = _paid_order_sums(conn, conference)[2]
    credits = credit_sums(conn, conference)
    parts = read_parts(conn, {
        "method": select(func.row_number().over(order_by=p.method).label("rank"), p.method.label("name"),
                         func.count().label("n"), sum_cents(conn, p.amount).label("cents"))
        .join(t.order, o.id == p.order_id)
        .where(o.conference_id == conference.id, p.status == "succeeded")
        .group_by(p.method),
        "status": select(func.row_number().over(order_by=o.status), o.status, func.count(),
                         sum_cents(conn, o.total))
        .where(o.conference_id == conference.id)
        .group_by(o.status),
    })
    payments_total = sum((cents(row.cents) for row in parts["method"]), ZERO)
    return {
        "sales_total": sales_total,
        "payments_total": payments_total,
        "refunds_total": cents(credits.refunds),
        "credits_outstanding": cents(credits.outstanding),
        "discrepancy": sales_total - payments_total,
        "by_payment_method": [
            {"method": row.name, "count": row.n, "total": cents(row.cents)} for row in parts["method"]
        ],
        "by_order_status": [
            {"status": row.name, "count": row.n, "total": cents(row.cents)} for row in parts["status"]
        ],
    }


@metric()
def payment_status_summary(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Payments on the conference's orders (any order status) by payment status: count and amount.

    Every django-program status is listed (0 when none), others found after them; `reconciliation`
    counts succeeded payments only. `unsettled` = pending + processing, not yet received or failed.
    """
    o, p = t.order.c, t.payment.c
    rows = conn.execute(
        select(p.status, func.count(), sum_cents(conn, p.amount))
        .join(t.order, o.id == p.order_id)
        .where(o.conference_id == conference.id)
        .group_by(p.status)
        .order_by(p.status)
    ).all()
    found = {status: (n, cents(total)) for status, n, total in rows}
    order = [*PAYMENT_STATUSES, *sorted(set(found) - set(PAYMENT_STATUSES), key=str)]
    by_status = [
        {"status": s, "count": n, "amount": amount}
        for s in order
        for n, amount in [found.get(s, (0, ZERO))]
    ]
    of = {row["status"]: row for row in by_status}
    return {
        "payment_count": sum(row["count"] for row in by_status),
        "total_amount": sum((row["amount"] for row in by_status), ZERO),
        "by_status": by_status,
        "failed_count": of["failed"]["count"],
        "failed_amount": of["failed"]["amount"],
        "unsettled_count": of["pending"]["count"] + of["processing"]["count"],
        "unsettled_amount": of["pending"]["amount"] + of["processing"]["amount"],
    }


@metric()
def cashflow_waterfall(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """Gross sales, minus discounts and refunds, plus applied credits, to net revenue."""
    gross, discounts, _ = _paid_order_sums(conn, conference)
    credits = credit_sums(conn, conference)
    refunds, applied = cents(credits.refunds), cents(credits.applied)
    return [
        {"label": "Gross Sales", "value": gross, "type": "total"},
        {"label": "Discounts", "value": ZERO - discounts, "type": "decrease"},
        {"label": "Refunds", "value": ZERO - refunds, "type": "decrease"},
        {"label": "Credits Applied", "value": applied, "type": "increase"},
        {"label": "Net Revenue", "value": gross - discounts - refunds + applied, "type": "total"},
    ]

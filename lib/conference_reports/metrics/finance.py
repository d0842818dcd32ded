"""Finance metrics: expenses against budget, ROI and UTM attribution (feedback is in `metrics.feedback`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Connection, Text, func, literal, select

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from .common import PAID, ZERO, absent, attendee_count, paid_orders, pct, ratio, read_parts, whole_sum
from .registry import metric, shared


@shared
def _expense_totals(conn: Connection, conference: Conference) -> tuple[Decimal, int]:
    """Sum and count of the expenses whose own conference_id is the conference."""
    e = t.expense.c
    total, count = conn.execute(
        select(sum_cents(conn, e.amount), func.count()).where(e.conference_id == conference.id)
    ).one()
    return cents(total), count


@metric()
def expense_summary(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Expense totals against category budgets (variance = budget - actual, positive = under budget)."""
    cat, exp = t.expense_category.c, t.expense.c
    rows = conn.execute(
        select(cat.name, cat.budget_amount, sum_cents(conn, exp.amount), func.count(exp.id))
        .select_from(t.expense_category.outerjoin(t.expense, exp.category_id == cat.id))
        .where(cat.conference_id == conference.id)
        .group_by(cat.id, cat.name, cat.budget_amount, cat.order)
        .order_by(cat.order, cat.name, cat.id)
    )
    by_category = []
    total_budget = ZERO
    for name, budget, actual_cents, count in rows:
        actual = cents(actual_cents)
        if budget is not None:
            total_budget += budget
        by_category.append({
            "name": name,
            "budget": budget,
            "actual": actual,
            "variance": None if budget is None else budget - actual,
            "expense_count": count,
        })
    total_expenses, expense_count = _expense_totals(conn, conference)
    variance = total_budget - total_expenses
    return {
        "total_expenses": total_expenses,
        "total_budget": total_budget,
        "budget_variance": variance,
        "budget_variance_pct": pct(variance, total_budget),
        "by_category": by_category,
        "expense_count": expense_count,
    }


@metric()
def event_roi(conn: Connection, conference: Conference) -> dict[str, Decimal]:
    """Paid-order revenue against recorded expenses: profit, margins, ROI and per-attendee figures."""
    revenue = cents(paid_orders(conn, conference).total)
    expenses, _ = _expense_totals(conn, conference)
    attendees = attendee_count(conn, conference)
    profit = revenue - expenses
    margin = pct(profit, revenue)
    return {
        "total_revenue": revenue,
        "total_expenses": expenses,
        "gross_profit": profit,
        "gross_margin_pct": margin,
        "net_profit": profit,
        "net_margin_pct": margin,
        "roi_pct": pct(profit, expenses),
        "cost_per_attendee": ratio(expenses, attendees),
        "revenue_per_attendee": ratio(revenue, attendees),
    }


@metric()
def registration_attribution(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Paid orders by utm_source / utm_medium / utm_campaign; unattributed = all three empty.

    One statement: the paid orders are read once, grouped by their three values, and the groups are
    counted per source, medium and campaign (non-empty values, most orders first).
    """
    o = t.order.c
    combos = (
        select(o.utm_source, o.utm_medium, o.utm_campaign, func.count().label("n"),
               sum_cents(conn, o.total).label("cents"))
        .where(o.conference_id == conference.id, o.status.in_(PAID))
        .group_by(o.utm_source, o.utm_medium, o.utm_campaign)
        .cte("combos")
    )
    orders = whole_sum(combos.c.n)

    def grouped(column: Any) -> Any:
        return (
            select(func.row_number().over(order_by=(orders.desc(), column)).label("rank"),
                   column.label("name"), orders.label("n"), func.sum(combos.c.cents).label("cents"))
            .where(column > "")
            .group_by(column)
        )

    empty = (combos.c.utm_source == "") & (combos.c.utm_medium == "") & (combos.c.utm_campaign == "")
    parts = read_parts(conn, {
        "source": grouped(combos.c.utm_source),
        "medium": grouped(combos.c.utm_medium),
        "campaign": grouped(combos.c.utm_campaign),
        "unattributed": select(literal(0), absent(Text), orders, absent(BigInteger)).where(empty),
    })
    total = paid_orders(conn, conference).orders
    unattributed = parts["unattributed"][0].n or 0

    def listed(part: str) -> list[dict[str, Any]]:
        return [{"name": row.name, "count": row.n, "revenue": cents(row.cents)} for row in parts[part]]

    return {
        "by_source": listed("source"),
        "by_medium": listed("medium"),
        "by_campaign": listed("campaign"),
        "total_attributed": total - unattributed,
        "total_unattributed": unattributed,
    }

"""Finance metrics: expenses against budget, ROI and UTM attribution (feedback is in `metrics.feedback`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from .common import PAID, ZERO, attendee_count, paid_orders, pct, ratio
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


def _utm_groups(conn: Connection, conference: Conference, column: Any) -> list[dict[str, Any]]:
    """Paid orders with a non-empty value in `column`, grouped by it, most orders first."""
    o = t.order.c
    count = func.count().label("count")
    rows = conn.execute(
        select(column, count, sum_cents(conn, o.total))
        .where(o.conference_id == conference.id, o.status.in_(PAID), column > "")
        .group_by(column)
        .order_by(count.desc(), column)
    )
    return [{"name": name, "count": n, "revenue": cents(c)} for name, n, c in rows]


@metric()
def registration_attribution(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Paid orders by utm_source / utm_medium / utm_campaign; unattributed = all three empty."""
    o = t.order.c
    unattributed_cond = (o.utm_source == "") & (o.utm_medium == "") & (o.utm_campaign == "")
    total, unattributed = conn.execute(
        select(func.count(), func.count().filter(unattributed_cond))
        .where(o.conference_id == conference.id, o.status.in_(PAID))
    ).one()
    return {
        "by_source": _utm_groups(conn, conference, o.utm_source),
        "by_medium": _utm_groups(conn, conference, o.utm_medium),
        "by_campaign": _utm_groups(conn, conference, o.utm_campaign),
        "total_attributed": total - unattributed,
        "total_unattributed": unattributed,
    }

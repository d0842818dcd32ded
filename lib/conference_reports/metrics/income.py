"""The income statement: one net ticket revenue, one total income, one surplus (docs/metrics.md).

Ticket lines and add-on lines: a line is an add-on when it names an add-on and no ticket type;
every other line (a ticket type, or a product since deleted) is a ticket. Each paid order's
subtotal is shared between its tickets and add-ons in proportion to their list amounts
(unit_price x quantity), its total and its refund credits in proportion to their line_total.
The smaller share is rounded down to the cent and the larger takes the rest (a tie counts tickets
as larger); an order without lines is all tickets. Discounts are the gross share minus the total
share. A fully refunded order is outside the paid set, so neither it nor its refund counts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Subquery

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from ..params import ConferenceParams
from .common import PAID, ZERO, attendee_count
from .finance import event_roi
from .ledger import cashflow_waterfall, refund_metrics
from .registry import metric
from .revenue import revenue_breakdown, revenue_per_attendee

CENT = Decimal("0.01")


def _addon_share(amount: Any, ticket_weight: Any, addon_weight: Any) -> ColumnElement[Any]:
    """The add-on part of `amount` (integer cents) split in proportion to the two weights.

    The smaller part is rounded down to the cent, the larger takes the remainder (tickets on a tie);
    no weight at all puts everything on tickets.
    """
    whole = ticket_weight + addon_weight
    return case(
        (whole <= 0, literal(0)),
        (addon_weight <= ticket_weight, (amount * addon_weight) // whole),
        else_=amount - (amount * ticket_weight) // whole,
    )


def _z(column: Any) -> ColumnElement[Any]:
    """column, 0 where NULL (an order without lines or refunds)."""
    return func.coalesce(column, 0)


def paid_order_money(conn: Connection, conference: Conference) -> Subquery:
    """One row per paid order of the conference (`id`): its money in integer cents, split between
    tickets and add-ons, and `ticket_net` (its net ticket revenue: ticket total less ticket refunds).

    The one place this split is decided: the income statement sums it, the pace dates it.
    """
    o, li, cr = t.order.c, t.order_line_item.c, t.credit.c
    paid = (o.conference_id == conference.id, o.status.in_(PAID))
    addon = li.addon_id.is_not(None) & li.ticket_type_id.is_(None)
    listed = li.unit_price * li.quantity
    lines = (
        select(
            li.order_id.label("order_id"),
            sum_cents(conn, case((~addon, listed))).label("list_ticket"),
            sum_cents(conn, case((addon, listed))).label("list_addon"),
            sum_cents(conn, case((~addon, li.line_total))).label("net_ticket"),
            sum_cents(conn, case((addon, li.line_total))).label("net_addon"),
            sum_cents(conn, case((li.ticket_type_id.is_(None) & li.addon_id.is_(None), li.line_total)))
            .label("no_product"),
            sum_cents(conn, case((li.ticket_type_id.is_not(None) & li.addon_id.is_not(None), li.line_total)))
            .label("both_products"),
        )
        .join(t.order, o.id == li.order_id)
        .where(*paid)
        .group_by(li.order_id)
        .subquery()
    )
    refunds = (
        select(cr.source_order_id.label("order_id"), sum_cents(conn, cr.amount).label("refund"))
        .join(t.order, o.id == cr.source_order_id)
        .where(*paid)
        .group_by(cr.source_order_id)
        .subquery()
    )
    orders = (
        select(
            o.id.label("id"),
            sum_cents(conn, o.subtotal).label("gross"),
            sum_cents(conn, o.discount_amount).label("discount"),
            sum_cents(conn, o.total).label("net"),
        )
        .where(*paid)
        .group_by(o.id)
        .subquery()
    )
    lt, la = _z(lines.c.list_ticket), _z(lines.c.list_addon)
    nt, na = _z(lines.c.net_ticket), _z(lines.c.net_addon)
    refund = _z(refunds.c.refund)
    has_lines = lines.c.order_id.is_not(None)
    addon_net = _addon_share(orders.c.net, nt, na)
    addon_refund = _addon_share(refund, nt, na)
    return (
        select(
            orders.c.id,
            orders.c.gross,
            orders.c.discount,
            orders.c.net,
            refund.label("refund"),
            _addon_share(orders.c.gross, lt, la).label("addon_gross"),
            addon_net.label("addon_net"),
            addon_refund.label("addon_refund"),
            (orders.c.net - addon_net - (refund - addon_refund)).label("ticket_net"),
            case((has_lines, nt + na - orders.c.net), else_=0).label("order_level_discount"),
            case((has_lines, 0), else_=orders.c.net).label("without_lines"),
            _z(lines.c.no_product).label("no_product"),
            _z(lines.c.both_products).label("both_products"),
        )
        .select_from(
            orders.outerjoin(lines, lines.c.order_id == orders.c.id).outerjoin(
                refunds, refunds.c.order_id == orders.c.id
            )
        )
        .subquery()
    )


def _order_sums(conn: Connection, conference: Conference) -> dict[str, Decimal]:
    """Sums over the conference's paid orders: order money, its ticket / add-on split, line oddities."""
    per_order = paid_order_money(conn, conference)
    row = conn.execute(
        select(*(func.coalesce(func.sum(column), 0).label(column.name) for column in per_order.c
                 if column.name != "id"))
    ).one()
    return {key: cents(value) for key, value in row._mapping.items()}


def _credit_sums(conn: Connection, conference: Conference) -> dict[str, Decimal]:
    """The credits django-program's revenue figures treat otherwise than this metric, summed."""
    o, cr = t.order.c, t.credit.c
    here = cr.conference_id == conference.id
    source_here = o.conference_id == conference.id
    paid_here = source_here & o.status.in_(PAID)
    is_refund = cr.source_order_id.is_not(None)
    fully_refunded = here & is_refund & source_here & (o.status == "refunded")
    row = conn.execute(
        select(
            sum_cents(conn, case((fully_refunded, cr.amount))).label("fully_refunded"),
            sum_cents(conn, case((here & is_refund & ~paid_here & ~fully_refunded, cr.amount)))
            .label("unpaid_source"),
            sum_cents(conn, case((~here & paid_here, cr.amount))).label("filed_elsewhere"),
            sum_cents(conn, case((here & (cr.status == "applied"), cr.amount))).label("applied"),
        )
        .select_from(t.credit.outerjoin(t.order, o.id == cr.source_order_id))
        .where(or_(here, paid_here))
    ).one()
    return {key: cents(value) for key, value in row._mapping.items()}


def _expenses(
    conn: Connection, conference: Conference
) -> tuple[Decimal, list[dict[str, Any]], Decimal | None]:
    """(total spent, per category {category, spent, budget}, sum of the budgets set or None).

    Spending is the conference's own expenses; one filed under another conference's category is
    listed under that category without a budget (its budget is the other conference's).
    """
    cat, e = t.expense_category.c, t.expense.c
    own = cat.conference_id == conference.id
    used = select(e.category_id).where(e.conference_id == conference.id)
    spending = t.expense_category.outerjoin(
        t.expense, and_(e.category_id == cat.id, e.conference_id == conference.id)
    )
    rows = conn.execute(
        select(cat.name, cat.budget_amount, own.label("own"), sum_cents(conn, e.amount))
        .select_from(spending)
        .where(or_(own, cat.id.in_(used)))
        .group_by(cat.id, cat.name, cat.budget_amount, cat.conference_id, cat.order)
        .order_by(case((own, 0), else_=1), cat.order, cat.name, cat.id)
    ).all()
    by_category = [
        {"category": name, "spent": cents(spent), "budget": budget if is_own else None}
        for name, budget, is_own, spent in rows
    ]
    total = cents(
        conn.execute(select(sum_cents(conn, e.amount)).where(e.conference_id == conference.id)).scalar_one()
    )
    budgets = [row["budget"] for row in by_category if row["budget"] is not None]
    return total, by_category, sum(budgets, ZERO) if budgets else None


def _per_attendee(amount: Decimal, attendees: int) -> Decimal | None:
    """amount / attendees rounded half up to the cent; None without attendees."""
    return (amount / attendees).quantize(CENT, ROUND_HALF_UP) if attendees else None


def _income_budget(
    streams: dict[str, tuple[bool, Decimal | None]],
) -> tuple[Decimal | None, list[str]]:
    """(income budget, the streams without one) from {stream: (part of the income, its budget)}.

    The budget is the sum of the budgets set, and only when it covers every stream that is part of the
    income: one without its budget leaves it None, since income judged against part of its budget
    would look far ahead of it.
    """
    unbudgeted = [name for name, (part, budget) in streams.items() if part and budget is None]
    budgets = [budget for _, budget in streams.values() if budget is not None]
    if unbudgeted or not budgets:
        return None, unbudgeted
    return sum(budgets, ZERO).quantize(CENT), []


def _sells_sponsorship(conn: Connection, conference: Conference) -> bool:
    """Whether the conference has sponsor levels (sponsorship is then part of its income)."""
    lv = t.sponsor_level.c
    return bool(conn.execute(select(lv.id).where(lv.conference_id == conference.id).limit(1)).first())


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


Steps = list[tuple[str, Decimal]]


def _less(amount: Decimal) -> Decimal:
    """-amount, without a negative zero ("-0.00")."""
    return ZERO - amount


def _entry(
    figure: str, what: str, amount: Decimal, steps: Steps, target: str, result: Decimal
) -> dict[str, Any]:
    """One reconciliation: django-program's `figure` (metric.key), the steps, this statement's figure."""
    return {
        "figure": figure,
        "from": f"django-program {what} ({figure})",
        "from_amount": amount,
        "steps": [{"label": label, "amount": value} for label, value in steps],
        "to": target,
        "to_amount": result,
    }


def _reconciliation(
    conn: Connection, conference: Conference, o: dict[str, Decimal], cr: dict[str, Decimal],
    statement: dict[str, Any], breakdown: dict[str, Any],
) -> list[dict[str, Any]]:
    """From each django-program revenue figure to this statement's, one step per difference."""
    credit_steps: Steps = [
        ("credits of fully refunded orders counted twice", cr["fully_refunded"]),
        ("refund credits of orders that are not paid here (pending, cancelled or another conference's)",
         cr["unpaid_source"]),
        ("refunds of this conference's paid orders filed under another conference",
         _less(cr["filed_elsewhere"])),
    ]
    refunds: Steps = [("refunds of paid and partially refunded orders", _less(o["refund"]))]
    cashflow_steps: Steps = [
        ("credits spent on orders, already inside those orders' totals", _less(cr["applied"])),
        *credit_steps,
        ("discounts larger than their order (its total stops at 0)", o["net"] - o["gross"] + o["discount"]),
    ]
    line_steps: Steps = [
        ("lines with neither ticket type nor add-on (django-program leaves them out)", o["no_product"]),
        ("lines with both a ticket type and an add-on (django-program counts them twice)",
         _less(o["both_products"])),
        ("paid orders without lines", o["without_lines"]),
        ("discounts taken on the whole order rather than on its lines", _less(o["order_level_discount"])),
    ]
    sales = ("net ticket revenue + add-ons", statement["ticket_sales_net"] + statement["addons"])
    roi = event_roi(conn, conference)
    return [
        _entry("revenue_per_attendee.net_revenue", "net revenue",
               revenue_per_attendee(conn, conference)["net_revenue"], credit_steps, *sales),
        _entry("cashflow_waterfall.Net Revenue", "net revenue",
               cashflow_waterfall(conn, conference)[-1]["value"], cashflow_steps, *sales),
        _entry("event_roi.total_revenue", "paid order totals, also cumulative_revenue's last total",
               roi["total_revenue"], refunds, *sales),
        _entry("revenue_breakdown.total_revenue", "total revenue", breakdown["total_revenue"],
               [*line_steps, *refunds], "total income", statement["total_income"]),
        _entry("refund_metrics.total_refunded", "total refunded",
               refund_metrics(conn, conference)["total_refunded"],
               [(label, _less(amount)) for label, amount in credit_steps], "refunds + add-on refunds",
               statement["refunds"] + statement["addon_refunds"]),
        _entry("event_roi.net_profit", "net profit", roi["net_profit"],
               [*refunds, ("sponsorship (django-program's ROI leaves it out)", statement["sponsorship"])],
               "surplus", statement["surplus"]),
    ]


@metric(params=True)
def income_statement(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> dict[str, Any]:
    """Tickets, add-ons, sponsorship and expenses as one statement with budgets, per-attendee figures
    and a reconciliation from django-program's revenue figures (definitions: docs/metrics.md)."""
    o = _order_sums(conn, conference)
    gross = o["gross"] - o["addon_gross"]
    ticket_total = o["net"] - o["addon_net"]
    refunds = o["refund"] - o["addon_refund"]
    ticket_net = ticket_total - refunds
    addons = o["addon_net"] - o["addon_refund"]
    breakdown = revenue_breakdown(conn, conference)
    sponsorship = breakdown["sponsor_revenue"]
    total_income = ticket_net + addons + sponsorship
    total_expenses, by_category, expense_budget = _expenses(conn, conference)
    attendees = attendee_count(conn, conference)
    goal = params.sponsor_goals.revenue if params is not None else None
    income_budget, unbudgeted = _income_budget({
        "registrations": (True, conference.revenue_budget),  # every conference registers people
        "sponsorship": (bool(sponsorship) or _sells_sponsorship(conn, conference), goal),
    })
    statement: dict[str, Any] = {
        "gross_ticket_sales": gross,
        "discounts": gross - ticket_total,
        "refunds": refunds,
        "ticket_sales_net": ticket_net,
        "addon_gross": o["addon_gross"],
        "addon_discounts": o["addon_gross"] - o["addon_net"],
        "addon_refunds": o["addon_refund"],
        "addons": addons,
        "sponsorship": sponsorship,
        "total_income": total_income,
        "total_expenses": total_expenses,
        "expenses_by_category": by_category,
        "surplus": total_income - total_expenses,
        "attendees": attendees,
        "cost_per_attendee": _per_attendee(total_expenses, attendees),
        "income_per_attendee": _per_attendee(total_income, attendees),
        "income_budget": income_budget,
        "income_unbudgeted": unbudgeted,
        "expense_budget": expense_budget,
        "budgeted_surplus": _minus(income_budget, expense_budget),
    }
    statement["reconciliation"] = _reconciliation(
        conn, conference, o, _credit_sums(conn, conference), statement, breakdown
    )
    return statement

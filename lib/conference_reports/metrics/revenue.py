"""Revenue metrics: per attendee, by source, by ticket type per day, and running totals."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, case, func, select

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from .common import PAID, ZERO, attendee_count, credit_sums, paid_orders, pct
from .registration import paid_order_day, sales_by_date
from .registry import metric


@metric()
def revenue_per_attendee(conn: Connection, conference: Conference) -> dict[str, Any]:
    """(Paid order totals - refund credits) / all attendees of the conference."""
    net = cents(paid_orders(conn, conference).total) - cents(credit_sums(conn, conference).refunds)
    attendees = attendee_count(conn, conference)
    return {
        "net_revenue": net,
        "attendee_count": attendees,
        "revenue_per_attendee": net / attendees if attendees else ZERO,
    }


def _sponsor_list_revenue(conn: Connection, conference: Conference) -> Any:
    """Sum over the conference's sponsor levels of cost x active sponsors at the level (list price),
    in cents, as a scalar subquery."""
    lv, sp = t.sponsor_level.c, t.sponsor.c
    return (
        select(sum_cents(conn, lv.cost))
        .select_from(t.sponsor.join(t.sponsor_level, lv.id == sp.level_id))
        .where(lv.conference_id == conference.id, sp.is_active.is_(True))
        .scalar_subquery()
    )


@metric()
def revenue_breakdown(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Ticket and add-on line revenue of paid orders plus sponsor list-price revenue, with shares.

    One statement: the paid orders' lines are read once for both line sums (a line counts for
    tickets when it names a ticket type, for add-ons when it names an add-on).
    """
    li, o = t.order_line_item.c, t.order.c
    row = conn.execute(
        select(
            sum_cents(conn, case((li.ticket_type_id.is_not(None), li.line_total))),
            sum_cents(conn, case((li.addon_id.is_not(None), li.line_total))),
            _sponsor_list_revenue(conn, conference),
        )
        .select_from(t.order_line_item.join(t.order, o.id == li.order_id))
        .where(o.conference_id == conference.id, o.status.in_(PAID))
    ).one()
    ticket, addon, sponsor = (cents(value) for value in row)
    total = ticket + addon + sponsor
    return {
        "ticket_revenue": ticket,
        "addon_revenue": addon,
        "sponsor_revenue": sponsor,
        "total_revenue": total,
        "ticket_pct": pct(ticket, total),
        "addon_pct": pct(addon, total),
        "sponsor_pct": pct(sponsor, total),
    }


@metric(dated=True)
def revenue_by_ticket_type(
    conn: Connection, conference: Conference, *, zone: ZoneInfo
) -> list[dict[str, Any]]:
    """Per order day in `zone` and ticket type name: line revenue and units of paid-order ticket lines."""
    li, o, tt = t.order_line_item.c, t.order.c, t.ticket_type.c
    day = paid_order_day(conn, conference, zone)
    joined = t.order_line_item.join(t.order, o.id == li.order_id).join(
        t.ticket_type, tt.id == li.ticket_type_id
    )
    rows = conn.execute(
        select(day, tt.name, sum_cents(conn, li.line_total), func.coalesce(func.sum(li.quantity), 0))
        .select_from(joined)
        .where(o.conference_id == conference.id, o.status.in_(PAID))
        .group_by(day, tt.name)
        .order_by(day, tt.name)
    )
    return [{"date": d, "ticket_type": n, "revenue": cents(c), "count": int(q)} for d, n, c, q in rows]


@metric(dated=True)
def cumulative_revenue(conn: Connection, conference: Conference, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """sales_by_date's daily paid revenue in `zone` with its running total."""
    running = ZERO
    result = []
    for row in sales_by_date(conn, conference, zone=zone):
        running += row["revenue"]
        result.append({"date": row["date"], "daily": row["revenue"], "cumulative": running})
    return result

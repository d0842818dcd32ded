"""Registration metrics: attendees, carts, sales and registrations by day."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from .. import schema as t
from ..conferences import Conference
from ..dialect import cents, local_day, sum_cents
from .common import PAID
from .registry import metric


@metric("registration")
def attendee_summary(conn: Connection, conference: Conference) -> dict[str, int]:
    """Attendees of the conference: total, checked in, completed registration (no order filter)."""
    a = t.attendee.c
    row = conn.execute(
        select(
            func.count(),
            func.count(a.checked_in_at),
            func.count().filter(a.completed_registration.is_(True)),
        ).where(a.conference_id == conference.id)
    ).one()
    return {"total": row[0], "checked_in": row[1], "completed": row[2]}


@metric("registration", dated=True)
def sales_by_date(conn: Connection, conference: Conference, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Paid orders per calendar day in `zone`: count and revenue."""
    o = t.order.c
    where = (o.conference_id == conference.id, o.status.in_(PAID))
    day = local_day(conn, o.created_at, zone, *where).label("day")
    rows = conn.execute(
        select(day, func.count(), sum_cents(conn, o.total)).where(*where).group_by(day).order_by(day)
    )
    return [{"date": d, "count": n, "revenue": cents(c)} for d, n, c in rows]

"""Registration metrics: attendees, carts, sales, ticket types, letters and registrations by day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, case, func, literal_column, select, union_all
from sqlalchemy.sql import ColumnElement

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, epoch_seconds_exact, local_day, sum_cents
from .common import PAID, ZERO, pct
from .registry import metric, shared


@metric()
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


def _paid(conference: Conference) -> tuple[ColumnElement[bool], ...]:
    o = t.order.c
    return o.conference_id == conference.id, o.status.in_(PAID)


@shared
def paid_order_day(conn: Connection, conference: Conference, zone: ZoneInfo) -> ColumnElement[Any]:
    """The local day in `zone` of a paid order's created_at, as the date-grouped metrics group by it."""
    return local_day(conn, t.order.c.created_at, zone, *_paid(conference)).label("day")


@shared
def _paid_orders_by_day(conn: Connection, conference: Conference, zone: ZoneInfo) -> tuple[Row[Any], ...]:
    """(day in zone, paid order count, revenue in cents) per day of order creation, oldest first."""
    o = t.order.c
    day = paid_order_day(conn, conference, zone)
    rows = conn.execute(
        select(day, func.count(), sum_cents(conn, o.total))
        .where(*_paid(conference))
        .group_by(day)
        .order_by(day)
    )
    return tuple(rows)


@metric(dated=True)
def sales_by_date(conn: Connection, conference: Conference, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Paid orders per calendar day in `zone`: count and revenue."""
    rows = _paid_orders_by_day(conn, conference, zone)
    return [{"date": d, "count": n, "revenue": cents(c)} for d, n, c in rows]


@metric(dated=True)
def registration_flow(conn: Connection, conference: Conference, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Per day in `zone`: attendees created (registrations) and cancelled orders by updated_at."""
    a, o = t.attendee.c, t.order.c
    reg_where = (a.conference_id == conference.id,)
    cancel_where = (o.conference_id == conference.id, o.status == "cancelled")
    events = union_all(
        select(local_day(conn, a.created_at, zone, *reg_where).label("day"),
               literal_column("1").label("reg"), literal_column("0").label("cancel")).where(*reg_where),
        select(local_day(conn, o.updated_at, zone, *cancel_where).label("day"),
               literal_column("0").label("reg"), literal_column("1").label("cancel")).where(*cancel_where),
    ).subquery()
    rows = conn.execute(
        select(events.c.day, func.sum(events.c.reg), func.sum(events.c.cancel))
        .group_by(events.c.day)
        .order_by(events.c.day)
    )
    return [{"date": d, "registrations": int(r), "cancellations": int(c)} for d, r, c in rows]


@metric(dated=True)
def aov_by_date(conn: Connection, conference: Conference, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Per day in `zone`: average order total of paid orders and their count."""
    rows = _paid_orders_by_day(conn, conference, zone)
    return [{"date": d, "aov": cents(c) / n, "count": n} for d, n, c in rows]


@metric()
def cart_funnel(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Carts by status; abandonment = (abandoned + expired) / total, conversion = checked_out / total."""
    c = t.cart.c
    total, completed, abandoned, expired, open_count = conn.execute(
        select(
            func.count(),
            func.count().filter(c.status == "checked_out"),
            func.count().filter(c.status == "abandoned"),
            func.count().filter(c.status == "expired"),
            func.count().filter(c.status == "open"),
        ).where(c.conference_id == conference.id)
    ).one()
    return {
        "total_carts": total,
        "completed": completed,
        "abandoned": abandoned,
        "expired": expired,
        "open": open_count,
        "abandonment_rate": pct(abandoned + expired, total),
        "conversion_rate": pct(completed, total),
    }


def _availability_window(start: dt.datetime | None, until: dt.datetime | None) -> str:
    """django-program's text: str() of both aware UTC datetimes, else 'Always available'."""
    if start is None or until is None:
        return "Always available"
    return f"{start} - {until}"


@metric()
def ticket_sales_ratio(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """Per ticket type (order, name): units sold and revenue in paid orders, window, fill rate, share."""
    tt, li, o = t.ticket_type.c, t.order_line_item.c, t.order.c
    paid = o.status.in_(PAID)
    joined = t.ticket_type.outerjoin(t.order_line_item, li.ticket_type_id == tt.id).outerjoin(
        t.order, o.id == li.order_id
    )
    rows = conn.execute(
        select(
            tt.name, tt.available_from, tt.available_until, tt.total_quantity,
            func.coalesce(func.sum(li.quantity).filter(paid), 0),
            sum_cents(conn, case((paid, li.line_total))),
        )
        .select_from(joined)
        .where(tt.conference_id == conference.id)
        .group_by(tt.id, tt.name, tt.available_from, tt.available_until, tt.total_quantity, tt.order)
        .order_by(tt.order, tt.name)
    ).all()
    total_revenue = sum((cents(r[5]) for r in rows), ZERO)
    result = []
    for name, start, until, quantity, sold, revenue_cents in rows:
        revenue = cents(revenue_cents)
        capacity = quantity if quantity > 0 else None
        result.append({
            "name": name,
            "sold": int(sold),
            "revenue": revenue,
            "is_early_bird": start is not None and until is not None,
            "availability_window": _availability_window(start, until),
            "capacity": capacity,
            "fill_rate": Decimal(int(sold)) / Decimal(capacity) * 100 if capacity else None,
            "revenue_pct": pct(revenue, total_revenue),
        })
    return result


def _avg_processing_days(conn: Connection, conference: Conference) -> float | None:
    """Mean reviewed_at - created_at of reviewed requests in days; None when none (or exactly 0)."""
    lr = t.letter_request.c
    seconds = conn.execute(
        select(func.avg(epoch_seconds_exact(conn, lr.reviewed_at) - epoch_seconds_exact(conn, lr.created_at)))
        .where(lr.conference_id == conference.id, lr.reviewed_at.is_not(None))
    ).scalar()
    if seconds is None:
        return None
    mean = dt.timedelta(microseconds=round(float(seconds) * 1_000_000))
    return mean.total_seconds() / 86400 if mean else None


@metric()
def letter_request_summary(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Visa letter requests: by status, top-10 nationalities, mean processing days, pending, completion."""
    lr = t.letter_request.c
    mine = lr.conference_id == conference.id
    by_status = dict(conn.execute(select(lr.status, func.count()).where(mine).group_by(lr.status)).all())
    count = func.count().label("count")
    by_nationality = conn.execute(
        select(lr.nationality, count).where(mine).group_by(lr.nationality)
        .order_by(count.desc(), lr.nationality).limit(10)
    )
    total = sum(by_status.values())
    return {
        "total": total,
        "by_status": by_status,
        "by_nationality": [{"nationality": n, "count": c} for n, c in by_nationality],
        "avg_processing_days": _avg_processing_days(conn, conference),
        "pending_count": by_status.get("submitted", 0) + by_status.get("under_review", 0),
        "completion_rate": by_status.get("sent", 0) / total * 100 if total else 0.0,
    }

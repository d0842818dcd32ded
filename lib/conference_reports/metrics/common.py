"""Definitions shared by the metric modules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from ..data import schema as t
from ..data.conferences import Conference

PAID = ("paid", "partially_refunded")
ZERO = Decimal("0.00")


def pct(part: Any, whole: Any) -> Decimal:
    """part / whole x 100 as a Decimal, 0.00 when whole is 0 (django-program's division guard)."""
    if not whole:
        return ZERO
    return Decimal(part) / Decimal(whole) * 100


def ratio(part: Any, whole: Any) -> Decimal:
    """part / whole as a Decimal, 0.00 when whole is 0."""
    if not whole:
        return ZERO
    return Decimal(part) / Decimal(whole)


def attendee_count(conn: Connection, conference: Conference) -> int:
    """The conference's attendee records (django-program's attendee total)."""
    a = t.attendee.c
    return conn.execute(select(func.count()).where(a.conference_id == conference.id)).scalar_one()

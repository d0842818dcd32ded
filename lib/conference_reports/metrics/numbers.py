"""Definitions the metrics and the report layer share that need no database: the paid statuses, zero
money, the guarded divisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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

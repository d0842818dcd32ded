"""Column types that read the same Python values from SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_money(value: Any) -> Decimal:
    """A money value as an exact Decimal in cents (SQLite hands back floats)."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENT)


def to_utc(value: Any) -> dt.datetime | None:
    """An aware UTC datetime from a driver value (SQLite: naive UTC text; PostgreSQL: aware)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class Money(TypeDecorator):
    """decimal(N,2) columns, returned as Decimal rounded to cents."""

    impl = Numeric
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else to_money(value)


class UtcDateTime(TypeDecorator):
    """datetime columns, returned as aware UTC datetimes on both backends."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        return to_utc(value)

"""Column types that read the same Python values from SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Numeric
from sqlalchemy.types import TypeDecorator

from ..errors import DatabaseFailed

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


def _checked(processor: Callable[[Any], Any] | None, kind: str) -> Callable[[Any], Any] | None:
    """A result processor whose failure on a malformed stored value is one clear DatabaseFailed."""
    if processor is None:
        return None

    def process(value: Any) -> Any:
        try:
            return processor(value)
        except (ValueError, TypeError, OverflowError):
            raise DatabaseFailed(f"the database holds {value!r}, which is not a valid {kind}") from None

    return process


class CalendarDate(TypeDecorator):
    """date columns; a malformed stored date (SQLite keeps text) is a DatabaseFailed, not a ValueError."""

    impl = Date
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any] | None:
        return _checked(super().result_processor(dialect, coltype), "date")


class UtcDateTime(TypeDecorator):
    """datetime columns, returned as aware UTC datetimes on both backends."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], Any] | None:
        return _checked(super().result_processor(dialect, coltype), "date and time")

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        return to_utc(value)

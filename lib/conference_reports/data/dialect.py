"""The one place that knows SQLite from PostgreSQL: table names, sums in cents, epoch seconds, local days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Connection,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    case,
    cast,
    func,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.sql import ColumnElement

from .schema import pg_table
from .types import to_utc


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def table(conn: Connection, declared: Table) -> Table:
    """`declared` as this backend names it (PostgreSQL holds Django's shortened long names)."""
    return pg_table(declared.name) if is_postgres(conn) else declared


# Tables (ordinary or partitioned) of the session's current schema, with their live columns: what
# SQLAlchemy's inspector finds with two catalog queries a table.
_PG_COLUMNS = text(
    "SELECT c.relname, a.attname FROM pg_catalog.pg_class AS c"
    " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
    " LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
    " WHERE c.relkind IN ('r', 'p') AND c.relname IN :names"
).bindparams(bindparam("names", expanding=True))


def table_columns(conn: Connection, names: list[str]) -> dict[str, set[str]]:
    """{table: its column names} for those of `names` that are tables of the default schema."""
    if is_postgres(conn):
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(_PG_COLUMNS, {"names": names}):
            found.setdefault(table, set()).update([column] if column is not None else [])
        return found
    inspector = inspect(conn)
    present = set(inspector.get_table_names()) & set(names)
    return {name: {c["name"] for c in inspector.get_columns(name)} for name in present}


def sum_cents(conn: Connection, column: Any) -> ColumnElement[Any]:
    """SUM of a decimal(N,2) column as an exact integer number of cents (0 for no rows).

    SQLite keeps decimals as REAL, so each value is rounded to whole cents before summing.
    """
    if is_postgres(conn):
        return func.coalesce(cast(func.sum(column) * 100, BigInteger), 0)
    return func.coalesce(func.sum(cast(func.round(column * 100), Integer)), 0)


def cents(value: Any) -> Decimal:
    """An integer number of cents (from sum_cents) as a Decimal amount."""
    return Decimal(int(value or 0)).scaleb(-2)


def epoch_seconds(conn: Connection, column: Any) -> ColumnElement[Any]:
    """Whole seconds since 1970-01-01 UTC of a datetime column (fraction dropped)."""
    if is_postgres(conn):
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    return cast(func.strftime("%s", column), Integer)


def utc_offset_changes(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, int]]:
    """(UTC instant, offset in minutes from then on) for zone over [start, end], first entry at start."""

    def offset(at: dt.datetime) -> int:
        delta = at.astimezone(zone).utcoffset() or dt.timedelta(0)
        return int(delta.total_seconds() // 60)

    changes = [(start, offset(start))]
    day = start
    while day < end:
        nxt = min(day + dt.timedelta(days=1), end)
        if offset(nxt) != changes[-1][1]:
            lo, hi = day, nxt  # the change lies in (lo, hi]: bisect it to the minute
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if offset(mid) == changes[-1][1]:
                    lo = mid
                else:
                    hi = mid
            hi = hi.replace(second=0, microsecond=0)
            changes.append((hi, offset(hi)))
        day = nxt
    return changes


def _modifier(minutes: int) -> str:
    return f"{minutes:+d} minutes"


def local_day(
    conn: Connection, column: Any, zone: ZoneInfo, *where: Any, bounds: Any = None
) -> ColumnElement[Any]:
    """The calendar day ('YYYY-MM-DD') of a UTC datetime column in zone.

    PostgreSQL converts natively. SQLite has no time zones, so the zone's UTC offsets over the
    span of the rows are written into the query as a CASE on the instant: the span of `column` over
    the rows selected by `where`, or, when `column` is costly to compute (a subquery's), the span of
    `bounds`, a select of one column whose instants include every value of `column`.
    """
    if is_postgres(conn):
        return func.to_char(func.timezone(zone.key, column), "YYYY-MM-DD")
    if bounds is None:
        span = select(func.min(column), func.max(column)).where(*where)
    else:
        instants = bounds.subquery("bounds").c[0]
        span = select(func.min(instants), func.max(instants))
    low, high = conn.execute(span).one()
    if low is None:
        return func.date(column)
    start = to_utc(low).replace(second=0, microsecond=0)
    end = to_utc(high) + dt.timedelta(minutes=1)
    changes = utc_offset_changes(zone, start, end)
    if len(changes) == 1:
        return func.date(column, _modifier(changes[0][1]))
    whens = [
        (column < literal(at.strftime("%Y-%m-%d %H:%M:%S"), String), literal(_modifier(before)))
        for (at, _), (_, before) in zip(changes[1:], changes[:-1], strict=True)
    ]
    return func.date(column, case(*whens, else_=literal(_modifier(changes[-1][1]))))


def epoch_seconds_exact(conn: Connection, column: Any) -> ColumnElement[Any]:
    """Seconds since 1970-01-01 UTC of a datetime column, fraction (microseconds) kept."""
    if is_postgres(conn):
        return func.extract("epoch", column)
    # SQLite text 'YYYY-MM-DD HH:MM:SS[.ffffff]': whole seconds plus the digits after position 19.
    fraction = func.coalesce(cast(literal("0", String) + func.substr(column, 20), Float), 0)
    return cast(func.strftime("%s", column), Integer) + fraction

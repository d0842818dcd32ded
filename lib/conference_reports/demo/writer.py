"""Buffered bulk writer: rows as dicts of Python values in, chunked bulk inserts out.

Generators hand over rows with native values (timezone-aware UTC datetimes, dates, Decimals,
bools). The writer fills omitted columns the way Django would (NULL when nullable, ``''`` for
NOT NULL text), converts values to the dialect's storage (Django's SQLite text formats) and
inserts every ``chunk_size`` rows: SQLite by executemany of SQLAlchemy's compiled ``insert()``,
PostgreSQL by COPY. Ids are assigned here, in insertion order, so they are deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from .ddl import table_name

Row = dict[str, Any]
_MISSING = object()
UTC = dt.UTC


def _sqlite_datetime(value: dt.datetime) -> str:
    """Django's SQLite form: naive UTC ``YYYY-MM-DD HH:MM:SS[.ffffff]``."""
    if value.tzinfo is UTC:
        return value.isoformat(" ")[:-6]  # drop "+00:00"
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: demo rows must carry UTC datetimes")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _sqlite_date(value: dt.date) -> str:
    return value.isoformat()


def _sqlite_decimal(value: Decimal) -> str:
    return str(value)  # as Django does; NUMERIC affinity stores 50.00 as 50 and 83.43 as REAL


def _column_kind(col: sa.Column[Any]) -> str:
    t = col.type
    if isinstance(t, sa.DateTime):
        return "datetime"
    if isinstance(t, sa.Date):
        return "date"
    if isinstance(t, sa.Boolean):
        return "bool"
    if isinstance(t, sa.Numeric) and not isinstance(t, sa.Float | sa.Integer):
        return "decimal"
    if isinstance(t, sa.String | sa.Text):
        return "text"
    return "other"


_SQLITE_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "datetime": _sqlite_datetime,
    "date": _sqlite_date,
    "decimal": _sqlite_decimal,
    "bool": int,
}


class _TableSpec:
    """Column order, Django-style defaults and value converters of one table."""

    def __init__(self, table: sa.Table, dialect: str) -> None:
        self.name = table.name
        self.columns = [c.name for c in table.columns]
        self.column_set = frozenset(self.columns)
        self.has_id = "id" in self.column_set
        self.template: dict[str, Any] = {}  # column order, with the value used when a row omits it
        self.converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, col in enumerate(table.columns):
            kind = _column_kind(col)
            self.template[col.name] = None if col.nullable else ("" if kind == "text" else _MISSING)
            if dialect == "sqlite" and kind in _SQLITE_CONVERTERS:
                self.converters.append((index, _SQLITE_CONVERTERS[kind]))
        self.insert_sql: str | None = None

    def to_tuple(self, row: Row) -> tuple[Any, ...]:
        merged = {**self.template, **row}  # keeps the column order; unknown keys land at the end
        if len(merged) != len(self.template):
            raise KeyError(f"{self.name} has no column(s) {sorted(set(row) - self.column_set)}")
        values = list(merged.values())
        for index, convert in self.converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        if _MISSING in values:
            missing = [n for n, v in merged.items() if v is _MISSING]
            raise KeyError(f"{self.name}: NOT NULL column(s) {missing} need a value")
        return tuple(values)


class RowWriter:
    """Collects rows per table and bulk-inserts them in chunks on one connection."""

    def __init__(
        self, conn: sa.Connection, tables: Mapping[str, sa.Table], *, chunk_size: int = 5000
    ) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self.chunk_size = chunk_size
        self._tables = tables
        self._specs: dict[str, _TableSpec] = {}
        self._buffers: dict[str, list[tuple[Any, ...]]] = {}
        self._next_ids: dict[str, int] = {}
        self.counts: dict[str, int] = dict.fromkeys(tables, 0)

    def _spec(self, table: str) -> _TableSpec:
        """The spec of a table named as in Django's models (the physical name may be shortened)."""
        spec = self._specs.get(table)
        if spec is None:
            spec = self._specs[table] = _TableSpec(
                self._tables[table_name(table, self.dialect)], self.dialect
            )
            self._buffers[table] = []
        return spec

    def next_id(self, table: str) -> int:
        """Reserve the next primary key of ``table`` (for rows written later)."""
        value = self._next_ids.get(table, 1)
        self._next_ids[table] = value + 1
        return value

    def add(self, table: str, row: Row) -> int:
        """Queue one row; assigns ``id`` when the table has one and the row does not. Returns the id."""
        spec = self._spec(table)
        if spec.has_id and "id" not in row:
            row["id"] = self.next_id(table)
        buffer = self._buffers[table]
        buffer.append(spec.to_tuple(row))
        if len(buffer) >= self.chunk_size:
            self.flush(table)
        return row.get("id", 0)

    def flush(self, table: str | None = None) -> None:
        """Insert the buffered rows of ``table`` (of every table when None)."""
        names = [table] if table is not None else list(self._buffers)
        for name in names:
            rows = self._buffers.get(name)
            if rows:
                spec = self._specs[name]
                self._insert(spec, rows)
                self.counts[spec.name] += len(rows)
                self._buffers[name] = []

    def _insert(self, spec: _TableSpec, rows: list[tuple[Any, ...]]) -> None:
        if self.dialect == "postgresql":
            columns = ", ".join(f'"{c}"' for c in spec.columns)
            driver = self.conn.connection.driver_connection  # psycopg: COPY is its fastest bulk path
            with driver.cursor() as cursor, cursor.copy(f'COPY "{spec.name}" ({columns}) FROM STDIN') as copy:  # type: ignore[union-attr]
                for values in rows:
                    copy.write_row(values)
            return
        if spec.insert_sql is None:
            compiled = sa.insert(self._tables[spec.name]).compile(dialect=self.conn.dialect)
            if tuple(compiled.positiontup or ()) != tuple(spec.columns):
                raise RuntimeError(f"unexpected column order compiling the insert into {spec.name}")
            spec.insert_sql = str(compiled)
        self.conn.exec_driver_sql(spec.insert_sql, rows)

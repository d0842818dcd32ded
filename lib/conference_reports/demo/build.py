"""``build_demo_db``: create django-program's schema at a target and fill it with demo data."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass

import sqlalchemy as sa

from ..data.db import connect_timeout
from ..errors import ConnectionFailed, first_line
from .ddl import Ddl, load_ddl
from .generate import generate_all
from .target import (
    BadDemoTarget,
    Target,
    check_sqlite_target,
    prepare_postgres,
    resolve_target,
    sqlite_build_file,
)
from .writer import RowWriter


@dataclass(frozen=True)
class DemoSummary:
    """What was built: where (password masked), which conferences, how many rows, how long it took."""

    target: str
    dialect: str
    conferences: tuple[str, ...]
    row_counts: dict[str, int]  # every table of the DDL (physical names), 0 when empty
    elapsed_seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())

    def describe(self) -> str:
        """A few lines for the command line."""
        filled = sum(1 for n in self.row_counts.values() if n)
        return "\n".join(
            [
                f"Demo database written to {self.target} ({self.dialect}) in {self.elapsed_seconds:.1f} s",
                f"Conferences: {', '.join(self.conferences)}",
                f"Rows: {self.total_rows:,} in {filled} of {len(self.row_counts)} tables",
            ]
        )


def build_demo_db(
    target: str | os.PathLike[str],
    *,
    scale: int = 1,
    seed: int = 7,
    today: dt.date | None = None,
    force: bool = False,
) -> DemoSummary:
    """Build a django-program database with demo content at ``target`` (a SQLite path or a URL).

    Same ``seed`` and ``today`` give identical rows. Refuses an existing database unless ``force``
    (``DemoDbExists``). A SQLite file is built beside the target and renamed into place at the
    end; on PostgreSQL everything happens in one transaction.
    """
    if int(scale) != scale or scale < 1:
        raise BadDemoTarget(f"scale must be a positive integer, not {scale!r}")
    today = today or dt.date.today()
    resolved = resolve_target(target)
    started = time.perf_counter()
    try:
        if resolved.dialect == "sqlite":
            slugs, rows = _build_sqlite(resolved, int(scale), seed, today, force)
        else:
            slugs, rows = _build_postgres(resolved, int(scale), seed, today, force)
    except sa.exc.DBAPIError as exc:
        reason = first_line(exc.orig if exc.orig else exc)
        raise ConnectionFailed(f"cannot build the demo database at {resolved.display}: {reason}") from None
    return DemoSummary(resolved.display, resolved.dialect, tuple(slugs), rows, time.perf_counter() - started)


def _build_sqlite(
    target: Target, scale: int, seed: int, today: dt.date, force: bool
) -> tuple[list[str], dict[str, int]]:
    check_sqlite_target(target, force=force)
    assert target.path is not None
    with sqlite_build_file(target.path) as tmp:
        engine = sa.create_engine(sa.URL.create("sqlite", database=str(tmp)))
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=OFF")  # a scratch file until renamed
                conn.exec_driver_sql("PRAGMA synchronous=OFF")
                result = _load(conn, load_ddl("sqlite"), scale, seed, today)
                conn.commit()
                conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        finally:
            engine.dispose()
    return result


def _build_postgres(
    target: Target, scale: int, seed: int, today: dt.date, force: bool
) -> tuple[list[str], dict[str, int]]:
    ddl = load_ddl("postgresql")
    engine = sa.create_engine(target.url, connect_args={"connect_timeout": connect_timeout()})
    try:
        with engine.begin() as conn:
            prepare_postgres(conn, target, ddl.tables, force=force)
            slugs, rows = _load(conn, ddl, scale, seed, today)
            _reset_identities(conn)
    finally:
        engine.dispose()
    return slugs, rows


_IDENTITY_TABLES = """
    SELECT table_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'
    ORDER BY table_name
"""


def _reset_identities(conn: sa.Connection) -> None:
    """Point each identity sequence past the ids written explicitly, so Django can insert next."""
    for table in conn.exec_driver_sql(_IDENTITY_TABLES).scalars().all():
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
        )


def _load(
    conn: sa.Connection, ddl: Ddl, scale: int, seed: int, today: dt.date
) -> tuple[list[str], dict[str, int]]:
    """Create the tables, stream the rows in, then add indexes and constraints."""
    for statement in ddl.pre:
        conn.exec_driver_sql(statement)
    metadata = sa.MetaData()
    metadata.reflect(conn, only=list(ddl.tables))
    writer = RowWriter(conn, {name: metadata.tables[name] for name in ddl.tables})
    slugs = generate_all(writer, scale=scale, seed=seed, today=today)
    writer.flush()
    for statement in ddl.post:
        conn.exec_driver_sql(statement)
    return slugs, dict(sorted(writer.counts.items()))

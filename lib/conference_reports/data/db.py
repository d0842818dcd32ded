"""Connections: URL resolution, read-only engines with timeouts, one-line database errors, schema check."""

from __future__ import annotations

import os
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from ..errors import ConnectionFailed, DatabaseFailed, ReportError, SchemaMismatch, first_line
from .dialect import table as backend_table
from .dialect import table_columns
from .readonly import guard_statements, lock_sqlite
from .schema import metadata
from .urls import ENV_VAR, check_url, display_url, mask_url, resolve_url, scrub, sqlite_url

__all__ = ["ENV_VAR", "check_schema", "connect", "make_engine", "mask_url", "resolve_url"]

# Seconds; each can be changed through its environment variable.
TIMEOUTS = {
    "connect": ("CONFERENCE_REPORTS_CONNECT_TIMEOUT", 10),
    "statement": ("CONFERENCE_REPORTS_STATEMENT_TIMEOUT", 300),
    "lock": ("CONFERENCE_REPORTS_LOCK_TIMEOUT", 10),
}

# SQLite stores decimals as REAL; every money figure is rounded to cents after reading, so the
# warning SQLAlchemy raises about float-backed Decimals is noise here.
warnings.filterwarnings("ignore", message=r".*does \*not\* support Decimal objects natively")


def timeout(kind: str) -> float:
    """The connect, statement or lock timeout in seconds (its environment variable, else the default)."""
    name, default = TIMEOUTS[kind]
    raw = os.environ.get(name, "").strip()
    if not raw:
        return float(default)
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds > 0 or seconds == float("inf"):
        raise ReportError(f"{name} must be a positive number of seconds, got {raw!r}")
    return seconds


def connect_timeout() -> int:
    """The connect timeout as libpq takes it: whole seconds, at least one."""
    return max(1, round(timeout("connect")))


def _sqlite_readonly_engine(path: str, cache: dict[str, int]) -> Engine:
    if not path or path == ":memory:":
        raise ConnectionFailed("an in-memory SQLite database holds no conference data")
    file = Path(path).expanduser()
    if file.is_dir():
        raise ConnectionFailed(f"{file} is a folder, not a SQLite database")
    if not file.is_file():
        raise ConnectionFailed(f"no SQLite database at {file}")
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    busy = timeout("lock")

    def open_locked() -> sqlite3.Connection:
        return lock_sqlite(sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=busy))

    engine = create_engine("sqlite://", creator=open_locked, **cache)

    @event.listens_for(engine, "begin")
    def _one_snapshot(conn: Connection) -> None:
        # pysqlite sends no BEGIN before a SELECT, so each statement would read the latest commit: one
        # reading's figures could then straddle a write. BEGIN makes the transaction one snapshot (its
        # shared lock, or its WAL read mark, held until the reading's rollback).
        dbapi = conn.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            dbapi.execute("BEGIN")

    return engine


def _postgres_options(parsed: URL) -> str:
    """libpq `options`: the suite's timeouts, then the user's own (which may change them), then read-only."""
    ours = [
        f"-c statement_timeout={int(timeout('statement') * 1000)}",
        f"-c lock_timeout={int(timeout('lock') * 1000)}",
    ]
    theirs = parsed.query.get("options")
    theirs_list = list(theirs) if isinstance(theirs, tuple) else [theirs] if theirs else []
    return " ".join([*ours, *theirs_list, "-c default_transaction_read_only=on"])


def _postgres_readonly_engine(parsed: URL, shown: str, cache: dict[str, int]) -> Engine:
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args: dict[str, object] = {"options": _postgres_options(parsed)}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = connect_timeout()
    try:
        return create_engine(
            parsed.difference_update_query(["options"]),
            connect_args=connect_args,
            execution_options={"postgresql_readonly": True},  # BEGIN READ ONLY, every transaction
            isolation_level="REPEATABLE READ",  # one snapshot per transaction, so per reading
            **cache,
        )
    except (ImportError, sa_exc.ArgumentError, sa_exc.NoSuchModuleError) as exc:
        raise ConnectionFailed(f"cannot use {shown}: {exc}") from None


def make_engine(url: str, *, statement_cache: bool = True) -> Engine:
    """A read-only engine for a SQLAlchemy URL or a SQLite file path.

    `statement_cache=False` turns off SQLAlchemy's cache of compiled statements, for a process that runs
    each statement once (one conference's metrics): keying and re-binding cost more than compiling
    anew there (about 60 ms of the 37 metrics at demo scale 100), while a process that reads several
    conferences runs the same statements again and gains (a third of all metrics of 8 conferences).
    """
    cache = {} if statement_cache else {"query_cache_size": 0}
    check_url(url)
    shown = display_url(url)
    try:
        parsed = make_url(url if "://" in url else sqlite_url(url))
    except (sa_exc.ArgumentError, ValueError):
        raise ConnectionFailed(f"not a database URL: {shown}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite_readonly_engine(parsed.database or "", cache)
    elif backend == "postgresql":
        engine = _postgres_readonly_engine(parsed, shown, cache)
    else:
        raise ConnectionFailed(f"unsupported database {backend!r} in {shown}: use SQLite or PostgreSQL")
    guard_statements(engine)
    return engine


def _reason(exc: BaseException, url: str) -> str:
    """The first line of a driver's message, with any secret of the URL scrubbed."""
    orig = getattr(exc, "orig", None) or exc
    return scrub(first_line(orig) or type(orig).__name__, url)


def database_error(exc: BaseException, url: str, *, connecting: bool = False) -> ReportError:
    """A driver error met while connecting or reading, as one line saying what happened and what to do."""
    shown, reason = display_url(url), _reason(exc, url)
    low = reason.lower()
    if "file is not a database" in low:
        return DatabaseFailed(f"{shown} is not a SQLite database")
    if "database is locked" in low or "lock timeout" in low:
        return DatabaseFailed(
            f"{shown} is locked by another connection (waited {timeout('lock'):g} s; "
            f"CONFERENCE_REPORTS_LOCK_TIMEOUT changes it): {reason}"
        )
    if "statement timeout" in low:
        return DatabaseFailed(
            f"a query on {shown} ran past the statement timeout ({timeout('statement'):g} s; "
            f"CONFERENCE_REPORTS_STATEMENT_TIMEOUT changes it)"
        )
    if "canceling statement" in low:
        return DatabaseFailed(f"the server cancelled a query on {shown}: {reason}")
    if "could not decode" in low or isinstance(getattr(exc, "orig", None), UnicodeDecodeError):
        return DatabaseFailed(f"{shown} holds text that is not UTF-8: {reason}")
    if connecting:
        return ConnectionFailed(f"cannot connect to {shown}: {reason}")
    return DatabaseFailed(f"reading {shown} failed: {reason}")


@contextmanager
def connect(url: str | None, *, check: bool = True, statement_cache: bool = True) -> Iterator[Connection]:
    """A read-only connection to `url` (or $CONFERENCE_REPORTS_DB), schema-checked; database errors
    inside become one-line ReportErrors. `statement_cache`: as in make_engine."""
    resolved = resolve_url(url)
    if resolved is None:
        raise ConnectionFailed(f"no database given: pass --db or set ${ENV_VAR}")
    engine = make_engine(resolved, statement_cache=statement_cache)
    try:
        try:
            conn = engine.connect()
        except sa_exc.DBAPIError as exc:
            raise database_error(exc, resolved, connecting=True) from None
        with conn:
            try:
                if check:
                    check_schema(conn, display_url(resolved))
                yield conn
            except sa_exc.DBAPIError as exc:
                raise database_error(exc, resolved) from exc
    finally:
        engine.dispose()


def check_schema(conn: Connection, label: str = "the database") -> None:
    """Raise SchemaMismatch naming the first table or column the metrics need that is missing."""
    tables = [backend_table(conn, declared) for declared in metadata.sorted_tables]
    present = table_columns(conn, [table.name for table in tables])
    for table in tables:
        if table.name not in present:
            raise SchemaMismatch(
                f"table {table.name} is missing from {label}: is this a django-program database?"
            )
        for column in table.columns:
            if column.name not in present[table.name]:
                raise SchemaMismatch(f"column {table.name}.{column.name} is missing from {label}")

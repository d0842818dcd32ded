"""Connections: URL resolution, read-only engines, password masking and the schema check."""

from __future__ import annotations

import os
import sqlite3
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from .errors import ConnectionFailed, SchemaMismatch
from .schema import for_dialect, metadata

ENV_VAR = "CONFERENCE_REPORTS_DB"

# SQLite stores decimals as REAL; every money figure is rounded to cents after reading, so the
# warning SQLAlchemy raises about float-backed Decimals is noise here.
warnings.filterwarnings("ignore", message=r".*does \*not\* support Decimal objects natively")


def project_root() -> Path:
    """The checkout this package lives in (editable install), else the working directory."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def default_demo_path() -> Path:
    """Where `make report` builds the demo database."""
    return project_root() / "output" / "demo.sqlite3"


def resolve_url(url: str | None) -> str:
    """--db value, else $CONFERENCE_REPORTS_DB, else the demo database (built on first use)."""
    chosen = url or os.environ.get(ENV_VAR)
    if chosen:
        return chosen if "://" in chosen else f"sqlite:///{Path(chosen).expanduser().resolve()}"
    demo = default_demo_path()
    if not demo.exists():
        from .demo import build_demo_db

        print(f"conference-reports: no database configured; building the demo database at {demo}",
              file=sys.stderr)
        demo.parent.mkdir(parents=True, exist_ok=True)
        build_demo_db(str(demo))
    return f"sqlite:///{demo}"


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return "<unparseable URL>"


def _sqlite_readonly_engine(path: str) -> Engine:
    if not path or path == ":memory:":
        raise ConnectionFailed("an in-memory SQLite database holds no conference data")
    file = Path(path).expanduser()
    if not file.is_file():
        raise ConnectionFailed(f"no SQLite database at {file}")
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))


def make_engine(url: str) -> Engine:
    """A read-only engine for a SQLAlchemy URL or a SQLite file path."""
    try:
        parsed = make_url(url if "://" in url else f"sqlite:///{url}")
    except sa_exc.ArgumentError:
        raise ConnectionFailed(f"not a database URL: {mask_url(url)}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_readonly_engine(parsed.database or "")
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(
                parsed,
                connect_args={"options": "-c default_transaction_read_only=on", "connect_timeout": 5},
            )
        except (ImportError, sa_exc.ArgumentError, sa_exc.NoSuchModuleError) as exc:
            raise ConnectionFailed(f"cannot use {mask_url(url)}: {exc}") from None
    raise ConnectionFailed(f"unsupported database {backend!r} in {mask_url(url)}: use SQLite or PostgreSQL")


@contextmanager
def connect(url: str | None = None, *, check: bool = True) -> Iterator[Connection]:
    """A read-only connection, schema-checked; errors become ConnectionFailed or SchemaMismatch."""
    resolved = resolve_url(url)
    engine = make_engine(resolved)
    try:
        try:
            conn = engine.connect()
        except sa_exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise ConnectionFailed(f"cannot connect to {mask_url(resolved)}: {reason}") from None
        with conn:
            if check:
                check_schema(conn, mask_url(resolved))
            yield conn
    finally:
        engine.dispose()


def check_schema(conn: Connection, label: str = "the database") -> None:
    """Raise SchemaMismatch naming the first table or column the metrics need that is missing."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    for declared in metadata.sorted_tables:
        table = for_dialect(conn.dialect.name, declared)
        if table.name not in present:
            raise SchemaMismatch(
                f"table {table.name} is missing from {label}: is this a django-program database?"
            )
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in columns:
                raise SchemaMismatch(f"column {table.name}.{column.name} is missing from {label}")

"""Where the demo database goes: a SQLite file (built beside it, then renamed) or a PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from ..data.urls import check_url, mask_url
from ..errors import BadDemoTarget, DemoDbExists, DemoDbInUse

_DEPENDENT_OBJECTS_STILL_EXIST = "2BP01"  # PostgreSQL's SQLSTATE for a DROP blocked by dependents


@dataclass(frozen=True)
class Target:
    """A resolved build target."""

    url: URL
    path: Path | None  # the final SQLite file; None for PostgreSQL

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def display(self) -> str:
        """The target with any password masked."""
        if self.path is not None:
            return str(self.path)
        return mask_url(self.url.render_as_string(hide_password=False))


def resolve_target(target: str | os.PathLike[str]) -> Target:
    """Read ``target`` as a SQLAlchemy URL when it has a scheme, else as a SQLite file path."""
    text = os.fspath(target)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        return Target(URL.create("sqlite", database=str(path)), path)
    check_url(text)
    try:
        url = make_url(text)
    except (sa.exc.ArgumentError, ValueError):
        raise BadDemoTarget(f"not a database URL: {mask_url(text)}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise BadDemoTarget(f"demo-db needs a SQLite file path, not {mask_url(text)!r}")
        path = Path(url.database).expanduser().resolve()
        return Target(url.set(database=str(path)), path)
    if backend != "postgresql":
        raise BadDemoTarget(f"demo-db supports SQLite and PostgreSQL, not {backend!r}")
    if url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return Target(url, None)


def check_sqlite_target(target: Target, *, force: bool) -> None:
    """Refuse an existing non-empty file unless ``force``; a directory is never overwritten."""
    path = target.path
    assert path is not None
    if path.is_dir():
        raise BadDemoTarget(f"{path} is a directory, not a database file")
    in_use = path.exists() and (not path.is_file() or path.stat().st_size > 0)
    if in_use and not force:
        raise DemoDbExists(f"{path} already exists and is not empty; pass --force to overwrite it")


@contextlib.contextmanager
def sqlite_build_file(final: Path) -> Iterator[Path]:
    """A temporary file beside ``final``, renamed over it on success and removed on failure."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".building", dir=final.parent)
    os.close(fd)
    tmp = Path(name)  # an empty file: SQLite opens it as a new database
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # mkstemp makes it private; the result should be an ordinary file
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


_PG_RELATIONS = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    ORDER BY c.relname
"""


def postgres_existing_tables(conn: sa.Connection) -> list[str]:
    """Every table, view, materialized view and foreign table in the connection's current schema."""
    return list(conn.exec_driver_sql(_PG_RELATIONS).scalars())


def prepare_postgres(
    conn: sa.Connection, target: Target, ddl_tables: tuple[str, ...], *, force: bool
) -> None:
    """Refuse a schema holding any table unless ``force``; with it, drop only ``ddl_tables``.

    The drop is one ``DROP TABLE`` without CASCADE, so a foreign object depending on a demo table
    makes it fail (``DemoDbInUse``) and the caller's transaction rolls back with nothing dropped.
    """
    if not force:
        existing = postgres_existing_tables(conn)
        if existing:
            shown = ", ".join(existing[:3]) + (", ..." if len(existing) > 3 else "")
            raise DemoDbExists(
                f"{target.display} already holds {len(existing)} table(s) ({shown}); "
                "pass --force to replace the demo's own tables (others are kept)"
            )
        return
    names = ", ".join(f'"{t}"' for t in ddl_tables)
    try:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {names}")
    except sa.exc.DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _DEPENDENT_OBJECTS_STILL_EXIST:
            raise
        raise DemoDbInUse(f"{target.display}: {_pg_reason(exc)}; nothing was dropped") from None


def _pg_reason(exc: sa.exc.DBAPIError) -> str:
    """PostgreSQL's message and the first line of its detail (which names the dependent object)."""
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None) or str(exc.orig).splitlines()[0]
    detail = (getattr(diag, "message_detail", None) or "").splitlines()
    if not detail:
        return primary
    more = f" and {len(detail) - 1} more" if len(detail) > 1 else ""
    return f"{primary} ({detail[0]}{more})"

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

from ..errors import ReportError


class DemoDbExists(ReportError):
    """The target already holds a database and ``force`` was not given."""


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
        return self.url.render_as_string(hide_password=True)


def resolve_target(target: str | os.PathLike[str]) -> Target:
    """Read ``target`` as a SQLAlchemy URL when it has a scheme, else as a SQLite file path."""
    text = os.fspath(target)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        return Target(URL.create("sqlite", database=str(path)), path)
    url = make_url(text)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise ValueError(f"demo-db needs a SQLite file path, not {text!r}")
        path = Path(url.database).expanduser().resolve()
        return Target(url.set(database=str(path)), path)
    if backend != "postgresql":
        raise ValueError(f"demo-db supports SQLite and PostgreSQL, not {backend!r}")
    if url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return Target(url, None)


def check_sqlite_target(target: Target, *, force: bool) -> None:
    """Refuse an existing file unless ``force``; a directory is never overwritten."""
    assert target.path is not None
    if target.path.is_dir():
        raise ValueError(f"{target.path} is a directory, not a database file")
    if target.path.exists() and not force:
        raise DemoDbExists(f"{target.path} already exists; pass --force to overwrite it")


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


_PG_OWNED_TABLES = """
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND (starts_with(table_name, 'program_') OR starts_with(table_name, 'auth_')
           OR starts_with(table_name, 'django_'))
    ORDER BY table_name
"""


def postgres_existing_tables(conn: sa.Connection) -> list[str]:
    """Tables named program_*, auth_* or django_* in the connection's current schema."""
    return list(conn.exec_driver_sql(_PG_OWNED_TABLES).scalars())


def prepare_postgres(
    conn: sa.Connection, target: Target, ddl_tables: tuple[str, ...], *, force: bool
) -> None:
    """Refuse a schema that already has django-program tables unless ``force``; with it, drop them."""
    existing = postgres_existing_tables(conn)
    clash = [t for t in existing if t.startswith("program_") or t in ddl_tables]
    if clash and not force:
        raise DemoDbExists(
            f"{target.display} already has {len(clash)} django-program tables; pass --force to replace them"
        )
    for table in existing:
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')

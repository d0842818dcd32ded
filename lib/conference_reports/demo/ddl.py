"""django-program's own DDL (shipped as package data), split into the phases of a bulk load.

The files under ``ddl/`` are verbatim copies of the schema the Django migrations produce.
Tables are created before loading ("pre" phase); indexes, keys and foreign keys that can be
added afterwards are created after loading ("post" phase), as pg_dump/pg_restore do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from ..data.schema import django_truncate

DIALECT_FILES = {"sqlite": "sqlite.sql", "postgresql": "postgresql.sql"}
_PG_SCHEMA_PREFIX = re.compile(r"\bpublic\.")
_TABLE_NAME = re.compile(r'CREATE TABLE (?:IF NOT EXISTS )?"?(?:public\.)?([A-Za-z0-9_]+)"?')


@dataclass(frozen=True)
class Ddl:
    """The statements of one dialect's DDL, in file order, by phase."""

    pre: tuple[str, ...]
    post: tuple[str, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        """Names of every table the DDL creates."""
        return tuple(m.group(1) for s in self.pre if (m := _TABLE_NAME.match(s)))


def table_name(django_name: str, dialect: str) -> str:
    """The physical name of a Django table on `dialect` (PostgreSQL shortens long names)."""
    return django_truncate(django_name) if dialect == "postgresql" else django_name


def ddl_text(dialect: str) -> str:
    """The shipped DDL file for ``dialect`` ('sqlite' or 'postgresql')."""
    try:
        name = DIALECT_FILES[dialect]
    except KeyError:
        raise ValueError(
            f"no django-program DDL for the {dialect!r} dialect (sqlite or postgresql)"
        ) from None
    return resources.files(__package__).joinpath("ddl", name).read_text(encoding="utf-8")


def split_statements(text: str) -> list[str]:
    """Split a DDL script into statements, dropping psql meta-commands (lines starting with a backslash)."""
    lines = [line for line in text.splitlines() if not line.startswith("\\")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip() and not s.strip().startswith("--")]


def load_ddl(dialect: str) -> Ddl:
    """Parse the DDL of ``dialect`` into pre-load and post-load statements.

    On PostgreSQL the ``public.`` qualifier is removed so the tables land in the connection's
    current schema (``public`` unless the URL sets another search_path).
    """
    pre: list[str] = []
    post: list[str] = []
    for stmt in split_statements(ddl_text(dialect)):
        stmt = stmt.rstrip(";")
        if dialect == "postgresql":
            stmt = _PG_SCHEMA_PREFIX.sub("", stmt)
        head = stmt.upper()
        is_index = head.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX"))
        is_constraint = head.startswith("ALTER TABLE ONLY") and "ADD CONSTRAINT" in head
        (post if is_index or is_constraint else pre).append(stmt)
    return Ddl(tuple(pre), tuple(post))

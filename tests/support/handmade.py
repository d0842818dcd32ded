"""Test support: small hand-built django-program databases (SQLite, from django-program's own DDL)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from conftest import SQLITE_DDL

_NOW = "2026-01-01 00:00:00"


class Handmade:
    """A fresh SQLite database with django-program's schema and helpers to add rows.

    `add(table, **values)` fills NOT NULL columns the caller leaves out with neutral defaults
    ('' for text, 0 for numbers and booleans, a fixed instant for datetimes) and returns the id.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(SQLITE_DDL.read_text())
        self._columns: dict[str, list[tuple[str, str, bool]]] = {}

    @property
    def url(self) -> str:
        self.db.commit()
        return f"sqlite:///{self.path}"

    def _schema(self, table: str) -> list[tuple[str, str, bool]]:
        if table not in self._columns:
            rows = self.db.execute(f'PRAGMA table_info("{table}")').fetchall()
            if not rows:
                raise KeyError(f"no table {table}")
            self._columns[table] = [(r[1], r[2].lower(), bool(r[3])) for r in rows]
        return self._columns[table]

    def add(self, table: str, **values: Any) -> int:
        row: dict[str, Any] = {}
        for name, decl, notnull in self._schema(table):
            if name in values:
                value = values.pop(name)
                if isinstance(value, dt.datetime):
                    value = value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                row[name] = value
            elif notnull and name != "id":
                row[name] = _default(decl)
        if values:
            raise KeyError(f"{table} has no columns {sorted(values)}")
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        cur = self.db.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(row.values()))
        return int(cur.lastrowid)

    def user(self, username: str, **values: Any) -> int:
        return self.add("auth_user", username=username, email=values.pop("email", f"{username}@example.com"),
                        date_joined=_NOW, **values)

    def conference(self, slug: str, start: str, end: str | None = None, **values: Any) -> int:
        return self.add("program_conference_conference", slug=slug, name=values.pop("name", slug),
                        start_date=start, end_date=end or start, timezone=values.pop("timezone", "UTC"),
                        is_active=1, **values)


def _default(decl: str) -> Any:
    if decl.startswith(("varchar", "text", "char")):
        return ""
    if decl.startswith("datetime"):
        return _NOW
    if decl.startswith("date"):
        return "2026-01-01"
    return 0

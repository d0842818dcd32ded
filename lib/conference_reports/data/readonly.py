"""Read-only at every level: what the suite's engines refuse before the database ever sees a write.

Layers (each enough on its own for the forms it covers):
- the statement guard, on every engine: only one SELECT / WITH / SHOW / VALUES / PRAGMA statement at
  a time, so `SET TRANSACTION READ WRITE`, `ATTACH`, `VACUUM INTO` and `...; COMMIT; ...` never run;
- SQLite: the file opened with `mode=ro`, `PRAGMA query_only`, and an authorizer that allows only
  reads (no ATTACH, no pragma that sets anything);
- PostgreSQL: `default_transaction_read_only` for the session and `BEGIN READ ONLY` for every
  transaction (see db.py).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from sqlalchemy import Engine, event

from ..errors import WriteRefused

_READ_STATEMENT = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*(select|with|show|values|pragma)\b",
                             re.IGNORECASE | re.DOTALL)
_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)


def is_single_read(statement: str) -> bool:
    """True for one statement that starts with a read keyword (no `;` outside strings but a last one)."""
    if not _READ_STATEMENT.match(statement):
        return False
    bare = _STRING_OR_COMMENT.sub("''", statement).strip().rstrip(";")
    return ";" not in bare


def guard_statements(engine: Engine) -> None:
    """Refuse, before execution, any statement on this engine that is not a single read."""

    @event.listens_for(engine, "before_cursor_execute")
    def _only_reads(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not is_single_read(statement):
            words = statement.split(None, 1)
            what = f"a {words[0].upper()} statement" if words and _READ_STATEMENT.match(statement) is None \
                else "more than one statement at once"
            raise WriteRefused(f"refused to run {what}: the suite only reads the database")


_ALLOWED_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE,
     sqlite3.SQLITE_TRANSACTION}
)
# Pragmas that take an argument but only read (SQLAlchemy's inspector uses them).
_READING_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)


def _authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg2 is None or (arg1 or "").lower() in _READING_PRAGMAS):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def lock_sqlite(raw: sqlite3.Connection) -> sqlite3.Connection:
    """Make a (mode=ro) SQLite connection refuse every write, attach and setting change."""
    raw.execute("PRAGMA query_only = ON")
    raw.set_authorizer(_authorize)
    return raw

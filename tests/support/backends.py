"""Test support: run hand-built data on SQLite and on a PostgreSQL copy of it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

from conference_reports.data.conferences import get_conference
from conference_reports.data.db import connect
from support.handmade import Handmade

_serial = itertools.count()


class Backend:
    """Turns Handmade databases into URLs on one backend; PostgreSQL copies are dropped by close()."""

    def __init__(self, name: str, require_pg: Callable[[], None], pg_ddl: Any) -> None:
        self.name = name
        self.made: list[str] = []
        self._require_pg = require_pg
        self._pg_ddl = pg_ddl

    def url(self, h: Handmade) -> str:
        if self.name == "sqlite":
            return h.url
        self._require_pg()
        from support.pg_copy import copy_rows, load_ddl, recreate_database

        h.db.commit()
        name = f"cr_hand_{os.getpid()}_{next(_serial)}"
        url = recreate_database(name)
        self.made.append(name)
        load_ddl(name, self._pg_ddl)
        copy_rows(h.path, name)
        return url

    def close(self) -> None:
        from support.pg_copy import drop_database

        for name in self.made:
            drop_database(name)


def run(url: str, slug: str, func: Callable[..., Any], **kwargs: Any) -> Any:
    """func(conn, conference, **kwargs) on the conference `slug` of the database at url."""
    with connect(url) as conn:
        return func(conn, get_conference(conn, slug), **kwargs)

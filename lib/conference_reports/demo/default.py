"""The database a command reads when none is given: the demo database, built on first use."""

from __future__ import annotations

import sys

from ..data.urls import resolve_url, sqlite_url
from ..paths import default_demo_path


def database_url(url: str | None = None, *, build: bool = True) -> str:
    """--db, else $CONFERENCE_REPORTS_DB, else the demo database (built when missing and `build`)."""
    chosen = resolve_url(url)
    if chosen is not None:
        return chosen
    demo = default_demo_path()
    if build and not demo.exists():
        from .build import build_demo_db

        print(f"conference-reports: no database configured; building the demo database at {demo}",
              file=sys.stderr)
        demo.parent.mkdir(parents=True, exist_ok=True)
        build_demo_db(str(demo))
    return sqlite_url(demo)

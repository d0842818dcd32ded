"""Shared fixtures: the django-program fixture database, its expected metrics, a PostgreSQL copy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURE_DB = SHARED / "fixtures" / "django-program-demo.sqlite3"
EXPECTED = SHARED / "fixtures" / "django-program-demo.expected.json"
PG_DDL = SHARED / "fixtures" / "django-program-schema.postgresql.sql"
SQLITE_DDL = SHARED / "fixtures" / "django-program-schema.sqlite.sql"
COMPARE = SHARED / "tools" / "compare_metrics.py"


@pytest.fixture(scope="session")
def fixture_db() -> Path:
    if not FIXTURE_DB.is_file():
        pytest.fail(f"fixture database missing: {FIXTURE_DB}")
    return FIXTURE_DB


@pytest.fixture(scope="session")
def fixture_url(fixture_db: Path) -> str:
    return f"sqlite:///{fixture_db}"


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads(EXPECTED.read_text())


def _pg_or_skip() -> None:
    from support.pg_copy import server_answers

    if not server_answers():
        if os.environ.get("CI"):
            pytest.fail("no PostgreSQL server answers at 127.0.0.1:5432 (.ci/run should have started one)")
        pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432")


@pytest.fixture(scope="session")
def pg_fixture_url(fixture_db: Path):
    """A PostgreSQL database built from django-program's PostgreSQL DDL holding the fixture's rows."""
    _pg_or_skip()
    from support.pg_copy import copy_rows, drop_database, load_ddl, recreate_database

    name = f"cr_fixture_{os.getpid()}"
    url = recreate_database(name)
    load_ddl(name, PG_DDL)
    copy_rows(fixture_db, name)
    yield url
    drop_database(name)

"""Shared fixtures: the django-program fixture database, its expected metrics, a PostgreSQL copy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# django-program's fixtures: shared/ beside the checkout, or $CONFERENCE_REPORTS_SHARED.
SHARED = Path(os.environ.get("CONFERENCE_REPORTS_SHARED", ROOT.parent / "shared"))
if not (SHARED / "fixtures").is_dir():
    raise pytest.UsageError(
        f"shared fixtures not found at {SHARED}: clone beside shared/ or set CONFERENCE_REPORTS_SHARED"
    )
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


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest):
    """One backend per module and parameter: SQLite itself, or PostgreSQL copies of hand-built data."""
    from support.backends import Backend

    chosen = Backend(request.param, _pg_or_skip, PG_DDL)
    yield chosen
    chosen.close()


@pytest.fixture
def url_of(backend):
    """A function turning a Handmade database into a URL on the backend under test."""
    return backend.url


DEMO_TODAY = "2026-03-01"
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory):
    """(path, summary) of a scale-1 demo database built once per session, dated DEMO_TODAY."""
    import datetime as dt

    from conference_reports.demo import build_demo_db

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    return path, build_demo_db(path, scale=1, seed=DEMO_SEED, today=dt.date.fromisoformat(DEMO_TODAY))

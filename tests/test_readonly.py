"""Writes through the suite's engines fail on SQLite and PostgreSQL, in every form, at every layer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from conference_reports.data.db import connect, make_engine
from conference_reports.data.readonly import is_single_read
from conference_reports.errors import WriteRefused

WRITES = [
    "DELETE FROM program_conference_conference",
    "UPDATE program_conference_conference SET name = 'x'",
    "CREATE TABLE intruder (x integer)",
    "SET TRANSACTION READ WRITE",
    "SELECT 1; DELETE FROM program_conference_conference",
    "-- a comment first\nDROP TABLE program_conference_conference",
    "VACUUM",
]


@pytest.mark.parametrize(
    ("statement", "read"),
    [
        ("SELECT 1", True),
        ("  with t as (select 1) select * from t", True),
        ("/* note */ SELECT ';' AS semi;", True),
        ("SELECT 1;", True),
        ("SELECT 1; SELECT 2", False),
        ("select 1 -- ; drop\n", True),
        ("INSERT INTO t VALUES (1)", False),
        ("ATTACH 'x.db' AS x", False),
        ("", False),
    ],
)
def test_single_read_rule(statement: str, read: bool) -> None:
    assert is_single_read(statement) is read


@pytest.fixture
def sqlite_copy(fixture_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(fixture_db.read_bytes())
    return copy


@pytest.mark.parametrize("statement", [*WRITES, "ATTACH '{dir}/attached.db' AS a", "VACUUM INTO '{dir}/v.db'",
                                       "PRAGMA query_only = 0", "PRAGMA journal_mode = WAL"])
def test_sqlite_engine_refuses_writes(sqlite_copy: Path, statement: str) -> None:
    before = sqlite_copy.read_bytes()
    with connect(str(sqlite_copy)) as conn, pytest.raises((WriteRefused, DBAPIError)):
        conn.exec_driver_sql(statement.format(dir=sqlite_copy.parent))
    assert sqlite_copy.read_bytes() == before
    assert sorted(p.name for p in sqlite_copy.parent.iterdir()) == ["copy.sqlite3"]


@pytest.mark.parametrize(
    "statement",
    ["ATTACH '{dir}/attached.db' AS a", "VACUUM INTO '{dir}/v.db'", "PRAGMA query_only = 0",
     "DELETE FROM program_conference_conference", "CREATE TEMP TABLE t (x integer)"],
)
def test_sqlite_connection_refuses_writes_below_the_guard(sqlite_copy: Path, statement: str) -> None:
    """The authorizer and query_only hold even for SQL sent straight to the driver."""
    engine = make_engine(str(sqlite_copy))
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            with pytest.raises(sqlite3.DatabaseError):
                raw.execute(statement.format(dir=sqlite_copy.parent))
            assert raw.execute("PRAGMA query_only").fetchone() == (1,)
    finally:
        engine.dispose()
    assert sorted(p.name for p in sqlite_copy.parent.iterdir()) == ["copy.sqlite3"]


def test_reads_still_work_through_the_guard(fixture_url: str) -> None:
    with connect(fixture_url) as conn:
        assert conn.execute(text("SELECT count(*) FROM program_conference_conference")).scalar() > 0
        assert conn.exec_driver_sql("PRAGMA table_info(program_conference_conference)").fetchall()


@pytest.mark.postgres
@pytest.mark.parametrize("statement", WRITES)
def test_postgresql_engine_refuses_writes(pg_fixture_url: str, statement: str) -> None:
    with connect(pg_fixture_url) as conn:
        with pytest.raises((WriteRefused, DBAPIError)):
            conn.exec_driver_sql(statement)
        conn.rollback()
        assert conn.execute(text("SELECT count(*) FROM program_conference_conference")).scalar() > 0


@pytest.mark.postgres
def test_postgresql_transactions_and_session_are_read_only(pg_fixture_url: str) -> None:
    """Below the guard: the session default and BEGIN READ ONLY both hold."""
    import psycopg

    engine = make_engine(pg_fixture_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
            assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"
            raw = conn.connection.driver_connection
            assert raw.read_only is True  # psycopg opens each transaction with BEGIN READ ONLY
            conn.rollback()
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                raw.execute("DELETE FROM program_conference_conference")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgresql_user_options_are_merged(pg_fixture_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFERENCE_REPORTS_LOCK_TIMEOUT", "3")
    url = f"{pg_fixture_url}?options=-c%20statement_timeout%3D4500%20-c%20search_path%3Dpublic"
    with connect(url) as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "4500ms"
        assert conn.exec_driver_sql("SHOW search_path").scalar() == "public"
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "3s"
        assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"


@pytest.mark.postgres
def test_postgresql_user_options_cannot_turn_read_only_off(pg_fixture_url: str) -> None:
    url = f"{pg_fixture_url}?options=-c%20default_transaction_read_only%3Doff"
    with connect(url) as conn:
        assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"


@pytest.mark.postgres
def test_postgresql_default_timeouts(pg_fixture_url: str) -> None:
    with connect(pg_fixture_url) as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "5min"
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "10s"


def test_a_statement_cache_only_where_statements_run_again(fixture_url: str) -> None:
    """The one-conference `metrics` verb runs each statement once: no cache to key; other engines keep
    SQLAlchemy's, since a worker runs the same statements for each conference."""
    from conference_reports.data.db import make_engine

    assert make_engine(fixture_url, statement_cache=False)._compiled_cache is None
    assert make_engine("postgresql://nobody@127.0.0.1:1/none", statement_cache=False)._compiled_cache is None
    assert make_engine(fixture_url)._compiled_cache is not None

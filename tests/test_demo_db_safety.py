"""demo-db never destroys what it did not create: refusal without --force, a narrow drop with it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conference_reports.demo import build_demo_db
from conference_reports.demo.ddl import load_ddl
from conftest import DEMO_TODAY, _pg_or_skip

TODAY = dt.date.fromisoformat(DEMO_TODAY)
PG_TABLES = load_ddl("postgresql").tables


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conference_reports.cli", "demo-db", *args, "--today", DEMO_TODAY],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=None if env is None else {**os.environ, **env},
    )


def assert_one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# -- SQLite ------------------------------------------------------------------------------------
def _sqlite_tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_sqlite_non_empty_file_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"not a database, but precious\n\x00\xff")
    assert_one_line_error(run_cli(str(target)), str(target), "--force")
    assert target.read_bytes() == b"not a database, but precious\n\x00\xff"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_sqlite_empty_file_is_built_into(tmp_path: Path) -> None:
    target = tmp_path / "empty.sqlite3"
    target.touch()
    done = run_cli(str(target))
    assert done.returncode == 0, done.stderr
    assert "program_conference_conference" in _sqlite_tables(target)


def test_sqlite_existing_demo_is_rebuilt_with_force(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    build_demo_db(target, today=TODAY)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute("CREATE TABLE stale_marker (x int)")
        conn.commit()
    assert_one_line_error(run_cli(str(target)), "--force")
    assert "stale_marker" in _sqlite_tables(target)
    done = run_cli(str(target), "--force")
    assert done.returncode == 0, done.stderr
    tables = _sqlite_tables(target)
    assert "stale_marker" not in tables and "program_conference_conference" in tables


def test_sqlite_directory_is_refused(tmp_path: Path) -> None:
    assert_one_line_error(run_cli(str(tmp_path), "--force"), "directory")


# -- connecting --------------------------------------------------------------------------------
def test_unreachable_server_is_one_line_with_the_password_masked() -> None:
    line = assert_one_line_error(run_cli("postgresql://u:hunter2@127.0.0.1:9/x"), "127.0.0.1:9")
    assert "hunter2" not in line


def test_silent_server_times_out() -> None:
    """A server that accepts the connection and never answers: the connect timeout ends the wait."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # never accepted: the kernel completes the handshake, nobody ever replies
        port = silent.getsockname()[1]
        done = run_cli(
            f"postgresql://u@127.0.0.1:{port}/x", env={"CONFERENCE_REPORTS_CONNECT_TIMEOUT": "1"}, timeout=30
        )
    assert_one_line_error(done, f"127.0.0.1:{port}")


def test_bad_connect_timeout_is_one_line() -> None:
    done = run_cli("postgresql://u@127.0.0.1:9/x", env={"CONFERENCE_REPORTS_CONNECT_TIMEOUT": "soon"})
    assert_one_line_error(done, "CONFERENCE_REPORTS_CONNECT_TIMEOUT", "soon")


# -- PostgreSQL --------------------------------------------------------------------------------
@pytest.fixture
def pg_db() -> Iterator[str]:
    """The name of a fresh scratch database, dropped afterwards."""
    _pg_or_skip()
    from support.pg_copy import drop_database, recreate_database

    name = f"cr_demo_safety_{os.getpid()}"
    recreate_database(name)
    try:
        yield name
    finally:
        drop_database(name)


def _url(name: str) -> str:
    return f"postgresql://postgres:hunter2@127.0.0.1:5432/{name}"  # trust auth ignores the password


def _sql(name: str, *statements: str) -> None:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _counts(name: str, *tables: str) -> dict[str, int | None]:
    """Row count per table, None for a table that does not exist."""
    counts: dict[str, int | None] = {}
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}", autocommit=True) as conn:
        for table in tables:
            if conn.execute("SELECT to_regclass(%s)", [f'"{table}"']).fetchone() == (None,):
                counts[table] = None
            else:
                counts[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # type: ignore[index]
    return counts


@pytest.mark.postgres
def test_postgres_foreign_tables_are_refused_without_force(pg_db: str) -> None:
    _sql(
        pg_db,
        "CREATE TABLE django_celery_results_taskresult (id int PRIMARY KEY, task_id text)",
        "INSERT INTO django_celery_results_taskresult VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE auth_tokens_custom (key text PRIMARY KEY, user_id int)",
        "INSERT INTO auth_tokens_custom VALUES ('k1', 1)",
        "CREATE TABLE notes (body text)",
        "INSERT INTO notes VALUES ('keep me')",
    )
    line = assert_one_line_error(run_cli(_url(pg_db)), "--force", pg_db)
    assert "hunter2" not in line
    assert _counts(pg_db, "django_celery_results_taskresult", "auth_tokens_custom", "notes") == {
        "django_celery_results_taskresult": 2, "auth_tokens_custom": 1, "notes": 1,
    }  # fmt: skip
    assert _counts(pg_db, "program_conference_conference") == {"program_conference_conference": None}


@pytest.mark.postgres
def test_postgres_a_lone_view_is_refused_without_force(pg_db: str) -> None:
    _sql(pg_db, "CREATE VIEW answer AS SELECT 42 AS n")
    assert_one_line_error(run_cli(_url(pg_db)), "answer")
    assert _counts(pg_db, "answer") == {"answer": 1}


@pytest.mark.postgres
def test_postgres_force_replaces_only_the_demo_tables(pg_db: str) -> None:
    build_demo_db(_url(pg_db), today=TODAY)
    _sql(
        pg_db,
        "CREATE TABLE auth_tokens_custom (key text PRIMARY KEY, user_id int)",
        "INSERT INTO auth_tokens_custom VALUES ('k1', 1), ('k2', 2)",
        "INSERT INTO auth_group (name) VALUES ('stale-marker')",
    )
    before = _counts(pg_db, "program_conference_conference", "auth_group")
    done = run_cli(_url(pg_db), "--force")
    assert done.returncode == 0, done.stderr
    assert "hunter2" not in done.stdout + done.stderr
    assert _counts(pg_db, "auth_tokens_custom") == {"auth_tokens_custom": 2}
    after = _counts(pg_db, "program_conference_conference", "auth_group")
    assert after["program_conference_conference"] == before["program_conference_conference"]
    assert after["auth_group"] == before["auth_group"] - 1  # type: ignore[operator]  # the marker is gone


@pytest.mark.postgres
def test_postgres_force_blocked_by_a_foreign_key_drops_nothing(pg_db: str) -> None:
    build_demo_db(_url(pg_db), today=TODAY)
    _sql(
        pg_db,
        "CREATE TABLE my_links (conf_id int REFERENCES program_conference_conference(id))",
        "INSERT INTO my_links SELECT MIN(id) FROM program_conference_conference",
    )
    before = _counts(pg_db, *PG_TABLES)
    line = assert_one_line_error(run_cli(_url(pg_db), "--force"), "my_links", "program_conference_conference")
    assert "hunter2" not in line
    assert _counts(pg_db, *PG_TABLES) == before
    assert None not in before.values()
    assert _counts(pg_db, "my_links") == {"my_links": 1}
    with pytest.raises(psycopg.errors.ForeignKeyViolation):  # the foreign key is still there
        _sql(pg_db, "INSERT INTO my_links VALUES (-1)")

"""One reading, one snapshot: a write committed while the suite reads lands in the next reading, never
halfway through one (a report's figures then always add up, even on a live database)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, table

from conference_reports.data.db import make_engine

COUNT = select(func.count()).select_from(table("probe"))


@contextmanager
def _probe(tmp_path: Path, journal: str) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A one-table SQLite file in `journal` mode holding one row, and a writer on it that waits 0.2 s."""
    path = tmp_path / f"{journal}.sqlite3"
    writer = sqlite3.connect(path, timeout=0.2)
    try:
        writer.execute(f"PRAGMA journal_mode = {journal}")
        writer.execute("CREATE TABLE probe (x INTEGER)")
        writer.execute("INSERT INTO probe VALUES (1)")
        writer.commit()
        yield path, writer
    finally:
        writer.close()


@contextmanager
def _reading(path: Path) -> Iterator[Connection]:
    """A connection of the suite's read-only engine on `path` (no schema check: the probe is no
    django-program database)."""
    engine = make_engine(str(path))
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _write(writer: sqlite3.Connection, value: int) -> bool:
    """Insert a row and commit: True when the write landed, False when the database stayed locked."""
    try:
        writer.execute("INSERT INTO probe VALUES (?)", (value,))
        writer.commit()
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        writer.rollback()
        return False


def test_sqlite_wal_a_write_during_a_reading_shows_in_the_next_one(tmp_path: Path) -> None:
    with _probe(tmp_path, "wal") as (path, writer), _reading(path) as conn:
        assert conn.execute(COUNT).scalar() == 1
        assert _write(writer, 2)  # WAL: the writer does not wait for readers
        assert conn.execute(COUNT).scalar() == 1  # the same reading: the same snapshot
        conn.rollback()  # the reading ends (as the runner ends each report's)
        assert conn.execute(COUNT).scalar() == 2


def test_sqlite_rollback_journal_a_writer_waits_for_the_reading(tmp_path: Path) -> None:
    with _probe(tmp_path, "delete") as (path, writer):
        with _reading(path) as conn:
            assert conn.execute(COUNT).scalar() == 1
            assert not _write(writer, 2)  # the reading's shared lock holds the commit back...
            assert conn.execute(COUNT).scalar() == 1
            conn.rollback()
            assert _write(writer, 3)  # ...and is gone once the reading ends
            assert conn.execute(COUNT).scalar() == 2
        assert writer.execute("SELECT count(*) FROM probe").fetchone() == (2,)


@pytest.mark.postgres
def test_postgresql_a_write_during_a_reading_shows_in_the_next_one(pg_fixture_url: str) -> None:
    import psycopg

    libpq = pg_fixture_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq, autocommit=True) as admin:
        engine = make_engine(pg_fixture_url)
        try:
            admin.execute("CREATE TABLE probe (x integer)")
            admin.execute("INSERT INTO probe VALUES (1)")
            with engine.connect() as conn:
                assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
                assert conn.execute(COUNT).scalar() == 1
                admin.execute("INSERT INTO probe VALUES (2)")
                assert conn.execute(COUNT).scalar() == 1
                conn.rollback()
                assert conn.execute(COUNT).scalar() == 2
        finally:
            engine.dispose()
            admin.execute("DROP TABLE IF EXISTS probe")


def test_leaving_connect_ends_the_reading_and_its_lock(tmp_path: Path) -> None:
    from conference_reports.data.db import connect

    with _probe(tmp_path, "delete") as (path, writer):
        with connect(str(path), check=False) as conn:
            assert conn.execute(COUNT).scalar() == 1
            assert not _write(writer, 2)
        assert _write(writer, 3)

def test_an_editions_daily_sales_are_read_anew_in_the_next_reading(fixture_db: Path, tmp_path: Path) -> None:
    """The runner keeps one connection for all its reports: what one reading kept (an earlier edition's
    daily sales, for the pace) must not stand in for the next reading's own snapshot."""
    from conference_reports.data.conferences import list_conferences
    from conference_reports.data.db import connect
    from conference_reports.metrics.pace import daily_sales

    copy = tmp_path / "live.sqlite3"
    copy.write_bytes(fixture_db.read_bytes())
    with connect(str(copy)) as conn:
        conference = next(c for c in list_conferences(conn)
                          if sum(n for _, n, _ in daily_sales(conn, c, c.end_date)) > 0)
        conn.rollback()  # the reading ends; the organisers cancel every order of that edition
        writer = sqlite3.connect(copy, timeout=2)
        writer.execute("UPDATE program_registration_order SET status = 'cancelled' WHERE conference_id = ?",
                       (conference.id,))
        writer.commit()
        writer.close()
        assert sum(n for _, n, _ in daily_sales(conn, conference, conference.end_date)) == 0

"""The demo-database generator: django-program's exact schema, valid data, determinism, safety."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import socket
import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from conference_reports.demo import DemoDbExists, DemoSummary, build_demo_db
from conference_reports.demo.ddl import ddl_text, load_ddl, table_name
from conference_reports.demo.target import resolve_target
from conference_reports.errors import BadDemoTarget
from conftest import DEMO_SEED, DEMO_TODAY, SHARED, _pg_or_skip

TODAY = dt.date.fromisoformat(DEMO_TODAY)
NOW = "2026-03-01 00:00:00"
SEED = DEMO_SEED
SHARED_FIXTURES = SHARED / "fixtures"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DATABASE = "cr_demo_test"

# Choice sets of django-program (docs/domain notes and the models' TextChoices).
CHOICES: dict[tuple[str, str], set[str]] = {
    ("program_registration_order", "status"): {
        "pending", "paid", "refunded", "partially_refunded", "cancelled",
    },
    ("program_registration_cart", "status"): {"open", "checked_out", "expired", "abandoned"},
    ("program_registration_payment", "method"): {"stripe", "terminal", "comp", "credit", "manual"},
    ("program_registration_payment", "status"): {"pending", "processing", "succeeded", "failed", "refunded"},
    ("program_registration_credit", "status"): {"available", "applied", "expired"},
    ("program_registration_voucher", "voucher_type"): {"comp", "percentage", "fixed_amount"},
    ("program_programs_activity", "activity_type"): {
        "sprint", "workshop", "tutorial", "lightning_talk", "social", "open_space", "summit", "other",
    },
    ("program_programs_activitysignup", "status"): {"confirmed", "waitlisted", "cancelled"},
    ("program_programs_travelgrant", "status"): {
        "submitted", "withdrawn", "info_needed", "offered", "need_more", "rejected", "declined", "accepted",
        "disbursed",
    },
    ("program_programs_travelgrant", "application_type"): {
        "general", "staff", "speaker", "core_dev", "psf_board", "community", "education", "pyladies", "other",
    },
    ("program_programs_travelgrant", "request_type"): {"ticket_only", "ticket_and_grant"},
    ("program_programs_travelgrant", "experience_level"): {"", "beginner", "intermediate", "expert"},
    ("program_programs_survey", "survey_type"): {"nps", "satisfaction", "session", "custom"},
    ("program_pretalx_scheduleslot", "slot_type"): {"talk", "break", "social", "other"},
    ("program_pretalx_talk", "state"): {
        "submitted", "accepted", "confirmed", "rejected", "canceled", "withdrawn", "draft", "deleted",
    },
    ("program_registration_letterrequest", "status"): {
        "submitted", "under_review", "approved", "generated", "sent", "rejected",
    },
    ("program_registration_terminalpayment", "capture_status"): {
        "authorized", "captured", "cancelled", "failed",
    },
    ("program_registration_timeorstocklimitcondition", "discount_type"): {"percentage", "fixed_amount"},
    ("program_registration_discountforproduct", "discount_type"): {"percentage", "fixed_amount"},
    ("program_registration_speakercondition", "discount_type"): {"percentage", "fixed_amount"},
    ("program_registration_includedproductcondition", "discount_type"): {"percentage", "fixed_amount"},
    ("program_registration_groupmembercondition", "discount_type"): {"percentage", "fixed_amount"},
}  # fmt: skip
# Columns where the demo must exercise every value (empty states and all charts get data).
EVERY_VALUE_USED = [
    ("program_registration_order", "status"),
    ("program_registration_cart", "status"),
    ("program_registration_payment", "method"),
    ("program_registration_payment", "status"),
    ("program_registration_credit", "status"),
    ("program_registration_voucher", "voucher_type"),
    ("program_programs_activity", "activity_type"),
    ("program_programs_activitysignup", "status"),
    ("program_programs_travelgrant", "status"),
    ("program_pretalx_scheduleslot", "slot_type"),
    ("program_pretalx_talk", "state"),
    ("program_registration_letterrequest", "status"),
]


@pytest.fixture(scope="session")
def demo(demo_sqlite: tuple[Path, DemoSummary]) -> tuple[Path, DemoSummary]:
    return demo_sqlite


@pytest.fixture(scope="session")
def db(demo: tuple[Path, DemoSummary]) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(demo[0])
    yield conn
    conn.close()


def _rows(db: sqlite3.Connection, sql: str, *params: object) -> list[tuple]:
    return db.execute(sql, params).fetchall()


def _value(db: sqlite3.Connection, sql: str, *params: object) -> object:
    return db.execute(sql, params).fetchone()[0]


def _count(db: sqlite3.Connection, table: str, where: str = "1", *params: object) -> int:
    return db.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {where}', params).fetchone()[0]


def _distinct(db: sqlite3.Connection, table: str, column: str) -> set[object]:
    return {r[0] for r in db.execute(f'SELECT DISTINCT "{column}" FROM "{table}"')}


def _conference(db: sqlite3.Connection, series: str) -> tuple[int, str]:
    """(id, start date) of the newest edition of ``series``."""
    sql = (
        "SELECT id, start_date FROM program_conference_conference WHERE slug LIKE ? ORDER BY start_date DESC"
    )
    return db.execute(sql, (f"{series}-%",)).fetchone()


def _reference_schema() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(ddl_text("sqlite"))
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    sql = "SELECT name FROM sqlite_master WHERE type='table' AND name <> 'sqlite_sequence' ORDER BY name"
    return [r[0] for r in conn.execute(sql)]


def _table_digest(conn: sqlite3.Connection, table: str) -> str:
    digest = hashlib.sha256()
    for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
        digest.update(repr(row).encode())
    return digest.hexdigest()


# -- schema ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_shipped_ddl_is_the_django_program_ddl(dialect: str) -> None:
    shared = (SHARED_FIXTURES / f"django-program-schema.{dialect}.sql").read_text(encoding="utf-8")
    assert ddl_text(dialect) == shared


def test_every_ddl_table_exists_with_the_same_columns(db: sqlite3.Connection) -> None:
    reference = _reference_schema()
    assert _tables(db) == _tables(reference)
    assert len(_tables(db)) == 87
    for table in _tables(reference):
        want = _rows(reference, f'PRAGMA table_info("{table}")')
        got = _rows(db, f'PRAGMA table_info("{table}")')
        assert got == want, table  # name, declared type, NOT NULL, default, primary key
        assert _rows(db, f'PRAGMA foreign_key_list("{table}")') == _rows(
            reference, f'PRAGMA foreign_key_list("{table}")'
        ), table
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'sqlite_sequence' ORDER BY 2"
    assert _rows(db, schema) == _rows(reference, schema)  # indexes and constraints too


def test_summary_lists_every_table(demo: tuple[Path, DemoSummary], db: sqlite3.Connection) -> None:
    path, summary = demo
    assert summary.target == str(path.resolve())
    assert summary.dialect == "sqlite"
    assert set(summary.row_counts) == set(load_ddl("sqlite").tables)
    for table, count in summary.row_counts.items():
        assert _value(db, f'SELECT COUNT(*) FROM "{table}"') == count, table
    assert summary.total_rows > 10_000
    assert summary.elapsed_seconds > 0
    assert "Conferences:" in summary.describe()


def test_foreign_keys_hold(db: sqlite3.Connection) -> None:
    assert _rows(db, "PRAGMA foreign_key_check") == []
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_values_are_stored_as_django_stores_them(db: sqlite3.Connection) -> None:
    created, hold = _rows(db, "SELECT created_at, hold_expires_at FROM program_registration_order LIMIT 1")[0]
    for text in (created, hold):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?", text)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d", _value(db, "SELECT start_date FROM program_conference_conference")
    )
    assert {r[0] for r in _rows(db, "SELECT DISTINCT typeof(total) FROM program_registration_order")} <= {
        "integer",
        "real",
    }
    cents = _rows(db, "SELECT total FROM program_registration_order WHERE total <> CAST(total AS INTEGER)")
    assert cents and all(round(t, 2) == t for (t,) in cents)
    assert _distinct(db, "program_sponsors_sponsor", "is_active") == {0, 1}


# -- domain values -----------------------------------------------------------------------------
@pytest.mark.parametrize(("table", "column"), sorted(CHOICES))
def test_values_come_from_django_program_choices(db: sqlite3.Connection, table: str, column: str) -> None:
    assert _distinct(db, table, column) <= CHOICES[(table, column)]


@pytest.mark.parametrize(("table", "column"), EVERY_VALUE_USED)
def test_every_status_is_exercised(db: sqlite3.Connection, table: str, column: str) -> None:
    assert _distinct(db, table, column) == CHOICES[(table, column)]


# -- conferences -------------------------------------------------------------------------------
def test_two_series_over_several_years(demo: tuple[Path, DemoSummary], db: sqlite3.Connection) -> None:
    rows = _rows(db, "SELECT slug, start_date, timezone FROM program_conference_conference ORDER BY 2")
    assert [r[0] for r in rows] == list(demo[1].conferences)
    series: dict[str, list[int]] = {}
    for slug, start, tz in rows:
        name, year = re.fullmatch(r"([a-z]+)-(\d{4})", slug).groups()
        assert start.startswith(year)
        series.setdefault(name, []).append(int(year))
        ZoneInfo(tz)  # a real IANA zone
    assert set(series) == {"pyconf", "regiocon"}
    assert all(len(set(years)) >= 3 for years in series.values())
    assert {r[2] for r in rows} >= {"America/New_York", "Europe/Berlin"}


def test_upcoming_conference_is_mid_sales_without_checkins(db: sqlite3.Connection) -> None:
    cid, start = _conference(db, "pyconf")
    assert start > TODAY.isoformat()
    on_sale = "conference_id = ? AND available_from <= ? AND available_until > ?"
    assert _count(db, "program_registration_tickettype", on_sale, cid, NOW, NOW) >= 1
    assert _count(db, "program_registration_order", "conference_id = ? AND status = 'paid'", cid) > 100
    assert (
        _count(db, "program_registration_attendee", "conference_id = ? AND checked_in_at IS NOT NULL", cid)
        == 0
    )
    assert _count(db, "program_registration_checkin", "conference_id = ?", cid) == 0
    live = "conference_id = ? AND status = 'open' AND expires_at > ?"
    assert _count(db, "program_registration_cart", live, cid, NOW) >= 1


def test_announced_conference_is_almost_empty(db: sqlite3.Connection) -> None:
    cid, start = _conference(db, "regiocon")
    assert start > TODAY.isoformat()
    assert _count(db, "program_registration_tickettype", "conference_id = ?", cid) == 2
    for table in (
        "program_registration_order",
        "program_registration_cart",
        "program_registration_attendee",
        "program_pretalx_talk",
        "program_sponsors_sponsor",
        "program_programs_travelgrant",
    ):
        assert _count(db, table, "conference_id = ?", cid) == 0, table


def test_budgets_and_kpi_targets(db: sqlite3.Connection) -> None:
    sql = "SELECT revenue_budget, target_attendance, grant_budget FROM program_conference_conference"
    budgets = _rows(db, sql)
    assert sum(None not in row for row in budgets) >= len(budgets) // 2
    assert any(None in row for row in budgets)
    targets = _rows(db, "SELECT * FROM program_conference_kpitargets")
    assert 1 <= len(targets) < len(budgets)
    assert any(None in row for row in targets) and any(None not in row for row in targets)


# -- registration ------------------------------------------------------------------------------
ORDER_ARITHMETIC = """
    SELECT o.id FROM program_registration_order o JOIN (
        SELECT order_id, SUM(unit_price * quantity) AS gross, SUM(line_total) AS net
        FROM program_registration_orderlineitem GROUP BY order_id) l ON l.order_id = o.id
    WHERE ABS(o.subtotal - l.gross) > 0.005 OR ABS(o.total - l.net) > 0.005
       OR ABS(o.total - MAX(o.subtotal - o.discount_amount, 0)) > 0.005"""
UNPAID_ORDERS = """
    SELECT o.id FROM program_registration_order o
    WHERE o.status IN ('paid', 'partially_refunded', 'refunded') AND ABS(o.total - (
        SELECT COALESCE(SUM(amount), 0) FROM program_registration_payment p
        WHERE p.order_id = o.id AND p.status IN ('succeeded', 'refunded'))) > 0.005"""
VOUCHER_USE = """
    SELECT v.code FROM program_registration_voucher v
    WHERE v.times_used > v.max_uses OR v.times_used <> (
        SELECT COUNT(*) FROM program_registration_order o
        WHERE o.conference_id = v.conference_id AND o.voucher_code = v.code)"""
CREDIT_OWNERS = """
    SELECT c.id FROM program_registration_credit c
    JOIN program_registration_order o ON o.id IN (c.source_order_id, c.applied_to_order_id)
    WHERE o.user_id <> c.user_id OR o.conference_id <> c.conference_id"""
ATTENDEE_ORDERS = """
    SELECT a.id FROM program_registration_attendee a
    JOIN program_registration_order o ON o.id = a.order_id
    WHERE o.user_id <> a.user_id OR o.conference_id <> a.conference_id
       OR o.status NOT IN ('paid', 'partially_refunded', 'refunded')"""
RETURNING_ATTENDEES = """
    SELECT COUNT(*) FROM program_registration_attendee a
    JOIN program_conference_conference c ON c.id = a.conference_id
    WHERE EXISTS (SELECT 1 FROM program_registration_attendee b
                  JOIN program_conference_conference p ON p.id = b.conference_id
                  WHERE b.user_id = a.user_id AND p.start_date < c.start_date)"""
RETURNING_SPEAKERS = """
    SELECT SUM(s.user_id IS NOT NULL), SUM(s.user_id IS NULL) FROM program_pretalx_speaker s
    JOIN program_conference_conference c ON c.id = s.conference_id
    WHERE EXISTS (
        SELECT 1 FROM program_pretalx_speaker p
        JOIN program_conference_conference pc ON pc.id = p.conference_id
        WHERE pc.start_date < c.start_date
          AND ((s.user_id IS NOT NULL AND p.user_id = s.user_id)
            OR (s.user_id IS NULL AND p.user_id IS NULL AND p.name = s.name AND p.email = s.email)))"""
RENEWING_SPONSORS = """
    SELECT COUNT(*) FROM (SELECT name FROM program_sponsors_sponsor
                          GROUP BY name HAVING COUNT(DISTINCT conference_id) >= 3)"""
PAID_TOTAL = (
    "SELECT SUM(total) FROM program_registration_order WHERE status IN ('paid', 'partially_refunded')"
)


def test_order_arithmetic(db: sqlite3.Connection) -> None:
    assert _rows(db, ORDER_ARITHMETIC) == []
    assert _rows(db, UNPAID_ORDERS) == []
    assert _count(db, "program_registration_orderlineitem", "addon_id IS NOT NULL") > 100
    assert _count(db, "program_registration_order", "voucher_code <> ''") > 50


def test_vouchers_and_conditions_count_their_use(db: sqlite3.Connection) -> None:
    assert _rows(db, VOUCHER_USE) == []
    assert _value(db, "SELECT SUM(times_used) FROM program_registration_timeorstocklimitcondition") > 0
    assert _count(db, "program_registration_groupmembercondition_groups") > 0


def test_refunds_and_credits(db: sqlite3.Connection) -> None:
    assert _count(db, "program_registration_credit", "source_order_id IS NOT NULL") > 10
    assert _count(db, "program_registration_credit", "applied_to_order_id IS NOT NULL") > 5
    assert _rows(db, CREDIT_OWNERS) == []


def test_attendees(db: sqlite3.Connection) -> None:
    codes = [r[0] for r in _rows(db, "SELECT access_code FROM program_registration_attendee")]
    assert all(re.fullmatch(r"[A-Z0-9]{8}", c) for c in codes) and len(set(codes)) == len(codes)
    duplicates = (
        "SELECT 1 FROM program_registration_attendee GROUP BY user_id, conference_id HAVING COUNT(*) > 1"
    )
    assert _rows(db, duplicates) == []
    assert _rows(db, ATTENDEE_ORDERS) == []
    completed = Counter(
        r[0] for r in _rows(db, "SELECT completed_registration FROM program_registration_attendee")
    )
    assert completed[1] > 10 * completed[0] > 0
    late_accounts = "SELECT o.id FROM program_registration_order o JOIN auth_user u ON u.id = o.user_id "
    assert _rows(db, late_accounts + "WHERE u.date_joined > o.created_at") == []


def test_returning_people_and_sponsors(db: sqlite3.Connection) -> None:
    assert _value(db, RETURNING_ATTENDEES) > 200
    linked, unlinked = _rows(db, RETURNING_SPEAKERS)[0]
    assert linked > 20 and unlinked > 5
    assert _value(db, RENEWING_SPONSORS) > 3
    assert _count(db, "program_sponsors_sponsor", "is_active = 0") > 0
    benefits = dict(_rows(db, "SELECT is_complete, COUNT(*) FROM program_sponsors_sponsorbenefit GROUP BY 1"))
    assert benefits[0] > 0 and benefits[1] > 0


def test_sales_have_an_early_bird_spike_and_a_final_rush(db: sqlite3.Connection) -> None:
    past = "SELECT id, start_date FROM program_conference_conference "
    past += "WHERE slug LIKE 'pyconf-%' AND start_date < ?"
    for cid, start in _rows(db, past, TODAY.isoformat()):
        days = "SELECT date(created_at) FROM program_registration_order WHERE conference_id = ?"
        daily = Counter(dt.date.fromisoformat(r[0]) for r in _rows(db, days, cid))
        first, typical = min(daily), statistics.median(daily.values())
        assert max(daily[first + dt.timedelta(days=i)] for i in range(3)) > 4 * typical
        final_week = sum(daily[dt.date.fromisoformat(start) - dt.timedelta(days=i)] for i in range(1, 8))
        assert final_week > 7 * typical * 1.5


def test_checkins_cluster_on_event_mornings(db: sqlite3.Connection) -> None:
    sql = """
        SELECT a.checked_in_at, c.timezone, c.start_date, c.end_date FROM program_registration_attendee a
        JOIN program_conference_conference c ON c.id = a.conference_id WHERE a.checked_in_at IS NOT NULL"""
    rows = _rows(db, sql)
    assert len(rows) > 1000
    mornings = 0
    for at, tz, start, end in rows:
        local = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC).astimezone(ZoneInfo(tz))
        assert start <= local.date().isoformat() <= end
        mornings += dt.time(7) <= local.time() <= dt.time(10, 30)
    assert mornings > 0.7 * len(rows)
    assert _count(db, "program_registration_checkin") > len(rows)


# Datetime columns that legitimately point past ``today``: schedules, sale windows, holds, expiries.
FUTURE_OK = {
    "expires_at", "hold_expires_at", "available_from", "available_until", "valid_from", "valid_until",
    "start_time", "end_time", "start", "end", "slot_start", "slot_end",
}  # fmt: skip


def test_nothing_happens_after_today(db: sqlite3.Connection) -> None:
    checked = 0
    for table in _tables(db):
        for _, column, kind, *_ in _rows(db, f'PRAGMA table_info("{table}")'):
            if kind == "datetime" and column not in FUTURE_OK:
                assert _count(db, table, f'"{column}" > ?', NOW) == 0, (table, column)
                checked += 1
    assert checked > 100


ACTIVITY_LOAD = """
    SELECT a.max_participants, SUM(s.status = 'confirmed'), SUM(s.status = 'waitlisted')
    FROM program_programs_activity a JOIN program_programs_activitysignup s ON s.activity_id = a.id
    GROUP BY a.id"""


def test_activities_cover_capacity_edge_cases(db: sqlite3.Connection) -> None:
    load = _rows(db, ACTIVITY_LOAD)
    assert any(cap is None for cap, _, _ in load)  # unlimited
    assert any(cap is not None and confirmed > cap for cap, confirmed, _ in load)  # over 100 %
    assert any(waitlisted for _, _, waitlisted in load)
    assert _count(db, "program_programs_activity", "is_active = 0") > 0


def test_scores_are_in_range(db: sqlite3.Connection) -> None:
    assert _rows(db, "SELECT MIN(score), MAX(score) FROM program_pretalx_sessionrating") == [(1, 5)]
    nps = """SELECT MIN(r.score), MAX(r.score) FROM program_programs_surveyresponse r
             JOIN program_programs_survey s ON s.id = r.survey_id WHERE s.survey_type = 'nps'"""
    assert _rows(db, nps) == [(0, 10)]


# -- determinism and overwriting ---------------------------------------------------------------
def test_same_seed_and_today_give_identical_rows(demo: tuple[Path, DemoSummary], tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    build_demo_db(str(again), scale=1, seed=SEED, today=TODAY)
    first, second = sqlite3.connect(demo[0]), sqlite3.connect(again)
    try:
        assert _tables(first) == _tables(second)
        for table in _tables(first):
            assert _table_digest(first, table) == _table_digest(second, table), table
    finally:
        first.close()
        second.close()


def test_another_seed_gives_other_rows(demo: tuple[Path, DemoSummary], tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    build_demo_db(f"sqlite:///{other}", scale=1, seed=SEED + 1, today=TODAY)
    with contextlib.closing(sqlite3.connect(demo[0])) as a, contextlib.closing(sqlite3.connect(other)) as b:
        table = "program_registration_order"
        assert _table_digest(a, table) != _table_digest(b, table)


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "existing.sqlite3"
    target.write_bytes(b"precious")
    with pytest.raises(DemoDbExists, match="--force"):
        build_demo_db(target, today=TODAY)
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.sqlite3"]


def test_overwrites_with_force(tmp_path: Path) -> None:
    target = tmp_path / "existing.sqlite3"
    target.write_bytes(b"old")
    summary = build_demo_db(target, today=TODAY, force=True)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        assert _value(conn, "SELECT COUNT(*) FROM program_conference_conference") == len(summary.conferences)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.sqlite3"]  # no temp file left


def test_failed_build_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(BadDemoTarget, match="scale"):
        build_demo_db(tmp_path / "x.sqlite3", scale=0)
    assert list(tmp_path.iterdir()) == []


def test_target_display_masks_the_password() -> None:
    target = resolve_target("postgresql://reports:s3cret@db.example:5432/program")
    assert "s3cret" not in target.display and "***" in target.display
    assert target.url.get_driver_name() == "psycopg"
    with pytest.raises(BadDemoTarget, match="SQLite file"):
        resolve_target("sqlite://")


def test_long_table_names_are_shortened_like_django_on_postgres() -> None:
    name = "program_registration_timeorstocklimitcondition_applicable_ticket_types"
    assert table_name(name, "sqlite") == name
    assert table_name(name, "postgresql") in load_ddl("postgresql").tables


# -- PostgreSQL --------------------------------------------------------------------------------
def _postgres_answers() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 5432), timeout=1):
        return True
    return False


@pytest.fixture
def pg_database() -> Iterator[str]:
    if not _postgres_answers():
        _pg_or_skip()
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.exec_driver_sql(f"CREATE DATABASE {PG_DATABASE}")
        yield f"{PG_SERVER}/{PG_DATABASE}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        admin.dispose()


@pytest.mark.postgres
def test_same_build_on_postgres(pg_database: str, demo: tuple[Path, DemoSummary]) -> None:
    summary = build_demo_db(pg_database, scale=1, seed=SEED, today=TODAY)
    assert summary.dialect == "postgresql"
    assert summary.conferences == demo[1].conferences
    expected = {table_name(t, "postgresql"): n for t, n in demo[1].row_counts.items()}
    assert summary.row_counts == expected
    engine = sa.create_engine(pg_database)
    try:
        with engine.connect() as conn:
            for table, count in expected.items():
                assert conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{table}"').scalar() == count, table
            foreign_keys = conn.exec_driver_sql(
                "SELECT COUNT(*) FROM information_schema.table_constraints "
                "WHERE constraint_type = 'FOREIGN KEY' AND table_schema = current_schema()"
            ).scalar()
            assert foreign_keys > 150
            total = conn.exec_driver_sql(PAID_TOTAL).scalar()
            next_id = conn.exec_driver_sql("INSERT INTO auth_group (name) VALUES ('x') RETURNING id").scalar()
            assert next_id == expected["auth_group"] + 1  # identity sequences continue after the demo ids
            conn.rollback()
        with contextlib.closing(sqlite3.connect(demo[0])) as lite:
            lite_total = _value(lite, PAID_TOTAL)
        assert float(total) == pytest.approx(lite_total)
        with pytest.raises(DemoDbExists):
            build_demo_db(pg_database, today=TODAY)
        assert build_demo_db(pg_database, today=TODAY, force=True).row_counts == expected
    finally:
        engine.dispose()

"""Bad input gets one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support.handmade import Handmade


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conference_reports.cli", *args], capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0]


def test_unknown_slug_names_the_known_ones(fixture_url: str) -> None:
    done = run_cli("metrics", "--db", fixture_url, "--conference", "pycon-1999")
    assert_one_line_error(done, "pycon-1999", "python-2077")


def test_unknown_metric(fixture_url: str) -> None:
    done = run_cli("metrics", "--db", fixture_url, "--conference", "python-2077", "--metric", "vibes")
    assert_one_line_error(done, "vibes")


def test_unreachable_server_masks_the_password() -> None:
    done = run_cli("conferences", "--db", "postgresql://reports:hunter2@127.0.0.1:9/program")
    assert_one_line_error(done, "cannot connect", "reports:***@127.0.0.1:9")
    assert "hunter2" not in done.stderr


@pytest.mark.parametrize("url", ["nonsense://x", "sqlite:////no/such/dir/db.sqlite3", "mysql://u@h/db"])
def test_unusable_urls(url: str) -> None:
    assert_one_line_error(run_cli("conferences", "--db", url))


def test_missing_table_is_named(tmp_path: Path) -> None:
    db = Handmade(tmp_path / "db.sqlite3")
    db.conference("pyconf-2026", "2026-05-01")
    db.db.execute("DROP TABLE program_registration_credit")
    done = run_cli("conferences", "--db", db.url)
    assert_one_line_error(done, "program_registration_credit", "missing")


def test_missing_column_is_named(tmp_path: Path) -> None:
    db = Handmade(tmp_path / "db.sqlite3")
    db.db.execute("ALTER TABLE program_registration_order DROP COLUMN utm_source")
    done = run_cli("conferences", "--db", db.url)
    assert_one_line_error(done, "program_registration_order.utm_source")


def test_database_is_opened_read_only(tmp_path: Path) -> None:
    import sqlite3

    from sqlalchemy import text

    from conference_reports.data.db import connect
    from conference_reports.errors import WriteRefused

    db = Handmade(tmp_path / "db.sqlite3")
    db.conference("pyconf-2026", "2026-05-01")
    url = db.url
    db.db.close()
    with connect(url) as conn:
        with pytest.raises(WriteRefused):
            conn.execute(text("DELETE FROM program_conference_conference"))
        raw = conn.connection.driver_connection  # below the statement guard: mode=ro still refuses
        with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
            raw.execute("DELETE FROM program_conference_conference")


def test_env_var_selects_the_database(fixture_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from conference_reports.cli import main

    monkeypatch.setenv("CONFERENCE_REPORTS_DB", fixture_url)
    assert main(["conferences"]) == 0
    assert "python-2076" in capsys.readouterr().out


def test_a_column_no_metric_reads_may_be_missing(tmp_path: Path) -> None:
    """Only what the metrics read is required: another django-program version may differ elsewhere."""
    db = Handmade(tmp_path / "db.sqlite3")
    db.conference("pyconf-2026", "2026-05-01")
    db.db.execute("ALTER TABLE program_registration_order DROP COLUMN billing_company")
    db.db.execute("DROP TABLE program_registration_badge")
    done = run_cli("metrics", "--db", db.url, "--conference", "pyconf-2026", "--metric", "reconciliation")
    assert done.returncode == 0, done.stderr
    assert '"sales_total": "0.00"' in done.stdout


@pytest.mark.parametrize(("verb", "frozen"), [("metrics", True), ("run", False)])
def test_the_entry_point_exits_with_the_verbs_code_and_skips_the_last_collection_after_metrics(
    monkeypatch, verb: str, frozen: bool
) -> None:
    """Only `metrics` leaves what is alive to the process's end unwalked: `run`'s process pool needs the
    last collection to drop its dead threads before its exit hook wakes them."""
    import gc

    from conference_reports import cli

    monkeypatch.setattr(sys, "argv", ["conference-reports", verb, "--conference", "x"])
    monkeypatch.setattr(cli, "_run_verb", lambda args: 3)
    try:
        with pytest.raises(SystemExit) as ended:
            cli.console()
        assert ended.value.code == 3
        assert (gc.get_freeze_count() > 0) is frozen
    finally:
        gc.unfreeze()

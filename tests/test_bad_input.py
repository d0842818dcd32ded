"""The bad-input matrix (database side): each case is one line on stderr, the right exit code, no traceback.

docs/reliability.md lists the same cases the way a user sees them.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_DB as FIXTURE
from support.handmade import Handmade


def run_cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "CONFERENCE_REPORTS_DB"}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "conference_reports.cli", *args], capture_output=True,
                          text=True, timeout=120, env=full, **kwargs)


def one_line(done: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def small(tmp_path: Path) -> Handmade:
    db = Handmade(tmp_path / "db.sqlite3")
    db.conference("pyconf-2026", "2026-05-01")
    db.db.commit()
    return db


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n" * 200)
    one_line(run_cli("conferences", "--db", str(notes)), 2, "is not a SQLite database")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    one_line(run_cli("conferences", "--db", str(tmp_path)), 2, "is a folder")


def test_a_locked_database_gives_up_after_the_lock_timeout(small: Handmade) -> None:
    url = small.url
    small.db.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        done = run_cli("conferences", "--db", url, env={"CONFERENCE_REPORTS_LOCK_TIMEOUT": "1"})
        took = time.monotonic() - started
    finally:
        small.db.rollback()
    one_line(done, 2, "is locked", "CONFERENCE_REPORTS_LOCK_TIMEOUT")
    assert took < 30


def test_text_that_is_not_utf8(small: Handmade) -> None:
    small.db.execute("UPDATE program_conference_conference SET name = CAST(X'50794366ff' AS TEXT)")
    one_line(run_cli("conferences", "--db", small.url), 2, "not UTF-8")


def test_an_unparsable_date(small: Handmade) -> None:
    small.db.execute("UPDATE program_conference_conference SET start_date = '2026-13-45'")
    one_line(run_cli("conferences", "--db", small.url), 2, "not a valid date")


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_db_option_names_itself(value: str) -> None:
    one_line(run_cli("conferences", "--db", value), 2, "--db is empty")


def test_an_empty_environment_variable_names_itself() -> None:
    done = run_cli("conferences", env={"CONFERENCE_REPORTS_DB": ""})
    one_line(done, 2, "$CONFERENCE_REPORTS_DB is empty")


def test_a_bad_timeout_setting(fixture_url: str) -> None:
    done = run_cli("conferences", "--db", fixture_url, env={"CONFERENCE_REPORTS_LOCK_TIMEOUT": "soon"})
    one_line(done, 2, "CONFERENCE_REPORTS_LOCK_TIMEOUT", "soon")


def test_a_broken_pipe_ends_quietly(fixture_url: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "conference_reports.cli", "metrics", "--db", fixture_url,
         "--conference", "python-2077"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    fcntl.fcntl(proc.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ: smaller than the output, so it blocks
    proc.stdout.read(100)  # like `| head -c 100`: the reader leaves before the writer is done
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and "Broken pipe" not in err and "BrokenPipe" not in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 200)
    done = run_cli("conferences", "--db", str(notes), "--debug")
    assert done.returncode == 2
    assert "Traceback" in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("conference-reports: error:")
    before = run_cli("--debug", "conferences", "--db", str(notes))
    assert "Traceback" in before.stderr


def test_an_internal_error_is_one_line_and_not_exit_2(fixture_url: str, monkeypatch, capsys) -> None:
    from conference_reports import cli

    def broken(_args):
        raise ZeroDivisionError("a bug")

    parser = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: _with_func(parser(), broken))
    assert cli.main(["conferences", "--db", fixture_url]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ZeroDivisionError: a bug" in err and "--debug" in err


def _with_func(parser, func):
    parser.set_defaults(func=func)
    for action in parser._subparsers._group_actions:  # every verb calls `func`
        for sub in action.choices.values():
            sub.set_defaults(func=func)
    return parser


# ---- passwords and URLs ----------------------------------------------------------------------

SECRET = "S3cretPw"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://u@127.0.0.1:9/db?password={SECRET}",
        f"postgresql://u@127.0.0.1:9/db?sslmode=disable&sslpassword={SECRET}",
        f"postgresql://u:{SECRET}@127.0.0.1:9/db",
        f"postgresql://u:{SECRET}%21@127.0.0.1:9/db",
    ],
)
def test_no_password_form_reaches_an_error_message(url: str) -> None:
    line = one_line(run_cli("conferences", "--db", url), 2, "cannot connect")
    assert SECRET not in line and "***" in line


@pytest.mark.parametrize("userinfo", [f"u:p@{SECRET}", f"u:p:{SECRET}", f"u:p/{SECRET}"])
def test_an_unencoded_userinfo_is_refused(userinfo: str) -> None:
    line = one_line(run_cli("conferences", "--db", f"postgresql://{userinfo}@127.0.0.1:9/db"), 2,
                    "percent-encode")
    assert SECRET not in line and "p@" not in line


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p%40w@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u@h/db?password=pw&sslmode=require", "postgresql://u@h/db?password=***&sslmode=require"),
        ("postgresql://h/db?sslpassword=pw", "postgresql://h/db?sslpassword=***"),
        ("postgresql://h/db?PASSWORD=pw", "postgresql://h/db?PASSWORD=***"),
        ("postgresql+psycopg://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    from conference_reports.data.urls import mask_url

    assert mask_url(url) == masked


def test_pages_name_a_sqlite_file_without_its_path() -> None:
    from conference_reports.data.urls import describe_source

    assert describe_source("sqlite:////home/me/secret-project/demo.sqlite3") == "demo.sqlite3 (SQLite)"
    assert describe_source("postgresql://u:pw@h/db?password=x") == "postgresql://u:***@h/db?password=***"


# ---- PostgreSQL: lock timeout, statement timeout, cancelled query ---------------------------


@pytest.mark.postgres
def test_a_table_locked_by_another_session(pg_fixture_url: str) -> None:
    import psycopg

    admin = psycopg.connect(pg_fixture_url.replace("+psycopg", ""))
    try:
        admin.execute("LOCK TABLE program_conference_conference IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        done = run_cli("conferences", "--db", pg_fixture_url, env={"CONFERENCE_REPORTS_LOCK_TIMEOUT": "1"})
        took = time.monotonic() - started
    finally:
        admin.rollback()
        admin.close()
    one_line(done, 2, "is locked")
    assert took < 30


@pytest.mark.postgres
def test_a_statement_timeout_is_one_line(pg_fixture_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from conference_reports.data.db import connect
    from conference_reports.errors import DatabaseFailed

    monkeypatch.setenv("CONFERENCE_REPORTS_STATEMENT_TIMEOUT", "0.2")
    with pytest.raises(DatabaseFailed, match="statement timeout"), connect(pg_fixture_url) as conn:
        conn.exec_driver_sql("SELECT pg_sleep(3)")


@pytest.mark.postgres
def test_a_cancelled_query_is_one_line(pg_fixture_url: str) -> None:
    import psycopg

    from conference_reports.data.db import connect
    from conference_reports.errors import DatabaseFailed

    def cancel_soon() -> None:
        time.sleep(0.5)
        with psycopg.connect(pg_fixture_url.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
                          "WHERE query LIKE 'SELECT pg_sleep(5)%' AND pid <> pg_backend_pid()")

    helper = threading.Thread(target=cancel_soon)
    helper.start()
    try:
        with pytest.raises(DatabaseFailed, match="cancelled a query"), connect(pg_fixture_url) as conn:
            conn.exec_driver_sql("SELECT pg_sleep(5)")
    finally:
        helper.join()


def test_sigint_of_a_query_is_interrupted_not_a_traceback(fixture_url: str) -> None:
    """Ctrl-C during `metrics`: one line and exit 130."""
    proc = subprocess.Popen(
        [sys.executable, "-c",
         "import time, conference_reports.cli as c, conference_reports.metrics as m;"
         "m.compute = lambda *a, **k: time.sleep(30);"
         f"raise SystemExit(c.main(['metrics', '--db', {fixture_url!r}, '--conference', 'python-2077']))"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err
    assert err.strip() == "conference-reports: interrupted"


# ---- a good report survives every bad run ---------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_bad_runs_leave_a_good_report_byte_for_byte(tmp_path: Path) -> None:
    import shutil

    from test_runner import build_reports

    built = build_reports()
    out = tmp_path / "output"
    shutil.copytree(built.out, out)
    before = _snapshot(out)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    bad_params = tmp_path / "params"
    bad_params.mkdir()
    (bad_params / "python-2077.yaml").write_text("targets:\n  target_checkin_rate: 150\n")
    locked = Handmade(tmp_path / "locked.sqlite3")
    locked.conference("python-2077", "2026-05-01")
    locked_url = locked.url
    locked.db.execute("BEGIN EXCLUSIVE")
    cases = [
        ["--db", str(notes)],
        ["--db", ""],
        ["--db", "postgresql://u:p@ss@127.0.0.1:9/db"],
        ["--db", locked_url],
        ["--params", str(bad_params)],
        ["--jobs", "0"],
        ["--conference", "nope"],
    ]
    try:
        for extra in cases:
            args = ["run", "--out", str(out), "--db", str(FIXTURE), *extra]
            done = run_cli(*args, env={"CONFERENCE_REPORTS_LOCK_TIMEOUT": "1"})
            assert done.returncode == 2, (extra, done.stderr)
            assert "Traceback" not in done.stderr
            assert _snapshot(out) == before, extra
    finally:
        locked.db.rollback()

"""Incremental runs: a report whose inputs have not changed since its last good run is left as it is
("unchanged"); a change in the data, the params or --force renders again."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import FIXTURE_DB
from test_runner import run

SLUG = "python-2075"  # the first of its series: its reports and the cross-event report
REPORTS = {f"{SLUG}/conference", f"{SLUG}/sponsors", "cross-event"}


def entries(out: Path) -> dict[str, dict]:
    return {e["report"]: e for e in json.loads((out / "reports.json").read_text())["reports"]}


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Three runs into one --out: a first, one with nothing changed, one after an order changed."""
    root = tmp_path_factory.mktemp("incremental")
    db, out, params = root / "db.sqlite3", root / "out", root / "params"
    shutil.copyfile(FIXTURE_DB, db)
    params.mkdir()
    argv = ["run", "--db", str(db), "--out", str(out), "--params", str(params), "--conference", SLUG,
            "--jobs", "2", "--no-packet"]
    first = run(argv)
    page = out / SLUG / "conference.html"
    made = {"entries": entries(out), "mtime": page.stat().st_mtime_ns}
    second = run(argv)
    kept = {"entries": entries(out), "mtime": page.stat().st_mtime_ns,
            "index": (out / "index.html").read_text()}
    with sqlite3.connect(db) as conn:  # one paid order of python-2075 costs a cent more
        conn.execute(
            "UPDATE program_registration_order SET total = total + 0.01, subtotal = subtotal + 0.01 "
            "WHERE id = (SELECT o.id FROM program_registration_order o JOIN program_conference_conference c "
            "ON c.id = o.conference_id WHERE c.slug = ? AND o.status = 'paid' ORDER BY o.id LIMIT 1)",
            (SLUG,))
    third = run(argv)
    return {"argv": argv, "out": out, "params": params, "runs": [first, second, third], "made": made,
            "kept": kept, "changed": entries(out), "page": page}


@pytest.mark.slow
def test_a_second_run_with_nothing_changed_renders_nothing(rounds: dict) -> None:
    (code1, _, _), (code2, stdout2, _) = rounds["runs"][:2]
    assert (code1, code2) == (0, 0)
    assert "3 reports in" in stdout2 and "3 ok (3 unchanged), 0 failed" in stdout2
    assert rounds["kept"]["mtime"] == rounds["made"]["mtime"]  # the page was not written again
    before, after = rounds["made"]["entries"], rounds["kept"]["entries"]
    for report in REPORTS:
        assert after[report]["ran_at"] == before[report]["ran_at"]  # last changed: the first run
        assert after[report]["unchanged"] is True and after[report]["checked_at"] >= before[report]["ran_at"]
        assert after[report]["fingerprint"] == before[report]["fingerprint"]
    assert rounds["kept"]["index"].count(": unchanged") == 3


@pytest.mark.slow
def test_a_changed_order_renders_the_reports_that_read_it(rounds: dict) -> None:
    code, stdout, _ = rounds["runs"][2]
    assert code == 0 and "(3 unchanged)" not in stdout
    changed, kept = rounds["changed"], rounds["kept"]["entries"]
    report = f"{SLUG}/conference"
    assert changed[report]["unchanged"] is False
    assert changed[report]["fingerprint"] != kept[report]["fingerprint"]
    assert rounds["page"].stat().st_mtime_ns != rounds["made"]["mtime"]


@pytest.mark.slow
def test_params_or_force_render_again(rounds: dict, monkeypatch) -> None:
    from conference_reports.pipeline import job as pipeline_job
    from conference_reports.pipeline.outcome import Outcome

    asked: list[str] = []

    def fake_make(job, ctx, reading, digest, started, t0):  # record what would be rendered, render nothing
        asked.append(job.report)
        return Outcome(job.report, "ok", started, 0.0, fingerprint=digest)

    monkeypatch.setattr(pipeline_job, "make_report", fake_make)
    argv = [*rounds["argv"][:-3], "--jobs", "1", "--no-packet"]  # in this process, so the fake is used

    def rendered(extra: tuple[str, ...] = ()) -> list[str]:
        asked.clear()
        assert run([*argv, *extra])[0] == 0
        return sorted(asked)

    assert rendered() == []  # nothing changed since the third run
    assert rendered(("--force",)) == sorted(REPORTS)
    (rounds["params"] / f"{SLUG}.yaml").write_text("targets:\n  target_checkin_rate: 50\n")
    assert rendered() == sorted(REPORTS)


def _digests(db: Path, out: Path, params: Path) -> dict:
    """Each report's fingerprint as a run into `out` computes it (its pages planned, last year's as
    they are)."""
    from conference_reports.data.conferences import list_conferences
    from conference_reports.data.db import connect
    from conference_reports.paths import default_notebooks_dir
    from conference_reports.pipeline.fingerprint import read_and_fingerprint, shared_inputs
    from conference_reports.pipeline.plan import plan

    url = f"sqlite:///{db}"
    with connect(url) as conn:
        conferences = list_conferences(conn)
        chosen = [c for c in conferences if c.slug == "python-2076"]
        jobs = plan(conferences, chosen, out, default_notebooks_dir(), params)
        shared = shared_inputs(params, "db", jobs)
        planned = {Path(j.html) for j in jobs}
        return {j.report: read_and_fingerprint(conn, j, shared, planned)[1] for j in jobs}


def test_what_a_page_shows_beyond_its_metrics_is_in_its_fingerprint(tmp_path: Path, monkeypatch) -> None:
    db, out, params = tmp_path / "db.sqlite3", tmp_path / "out", tmp_path / "params"
    shutil.copyfile(FIXTURE_DB, db)
    params.mkdir()
    first = _digests(db, out, params)
    assert first == _digests(db, out, params)  # nothing changed: the same digests
    # last year's page appears: this year's pages now link to it
    (out / "python-2075").mkdir(parents=True)
    (out / "python-2075" / "sponsors.html").write_text("<html></html>")
    linked = _digests(db, out, params)
    assert linked["python-2076/sponsors"] != first["python-2076/sponsors"]
    assert linked["python-2076/conference"] == first["python-2076/conference"]
    with sqlite3.connect(db) as conn:  # a new name shows in the title of every page
        conn.execute("UPDATE program_conference_conference SET name = 'Python Twenty76' "
                     "WHERE slug = 'python-2076'")
    renamed = _digests(db, out, params)
    assert all(renamed[k] != linked[k] for k in renamed)


def test_a_report_whose_inputs_cannot_be_read_always_renders(tmp_path: Path, monkeypatch) -> None:
    from conference_reports.pipeline import fingerprint

    real = fingerprint.read_report

    def failing(conn, job, *args, **kwargs):
        if job.kind == "sponsors":
            raise RuntimeError("a metric fails on this data")
        return real(conn, job, *args, **kwargs)

    monkeypatch.setattr(fingerprint, "read_report", failing)
    params = tmp_path / "params"
    params.mkdir()
    got = _digests(FIXTURE_DB, tmp_path / "out", params)
    assert got["python-2076/sponsors"] is None and got["python-2076/conference"]
    assert fingerprint.last_good(None, {"status": "ok", "fingerprint": None}) is None  # type: ignore[arg-type]


def test_a_report_reads_the_database_once_in_a_run(tmp_path: Path, monkeypatch) -> None:
    """The worker reads what a report reads (its fingerprint) and the kernel draws from that reading:
    the page is the one the kernel makes reading the database itself."""
    from conference_reports.reports import conference as conference_module
    from conference_reports.reports import conference_report

    calls: list[str] = []
    real = conference_module.read
    monkeypatch.setattr(conference_module, "read", lambda *a, **k: calls.append("read") or real(*a, **k))
    monkeypatch.setenv("CONFERENCE_REPORTS_DB", str(FIXTURE_DB))
    itself = conference_report("python-2076", render="report", header=False)
    assert calls == ["read"]
    from conference_reports.data.db import connect
    from conference_reports.serialize import dumps_exact

    with connect(f"sqlite:///{FIXTURE_DB}") as conn:
        reading = real(conn, "python-2076")
    path = tmp_path / "reading.json"
    path.write_text(dumps_exact(reading))
    handed = conference_report("python-2076", render="report", header=False, data_path=str(path))
    assert calls == ["read"]  # the kernel did not read the database again
    assert handed.values == itself.values and handed.kpis == itself.kpis
    assert handed.previous == itself.previous and handed.targets == itself.targets


def test_a_reading_crosses_to_the_kernel_with_its_types_or_not_at_all(tmp_path: Path, capsys) -> None:
    import datetime as dt
    from decimal import Decimal

    from conference_reports.data.conferences import Conference
    from conference_reports.reports.base import load_reading
    from conference_reports.serialize import dumps_exact, loads_exact

    conference = Conference(1, "c", "C", dt.date(2026, 5, 1), dt.date(2026, 5, 3), "Europe/Paris", 10,
                            Decimal("100.00"), None, None)
    value = {"conferences": [conference], "money": Decimal("12.30"), "day": dt.date(2026, 1, 2),
             "at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), "by_int": {1: "one"}, "none": None}
    back = loads_exact(dumps_exact(value))
    assert back == value and str(back["money"]) == "12.30" and back["at"].utcoffset() == dt.timedelta(0)
    with pytest.raises(TypeError, match="set"):
        dumps_exact({"odd": {1, 2}})
    # an executed notebook run again: its runner's file is gone, so the kernel reads the database
    assert load_reading(tmp_path / "gone.json") is None
    assert "reading the database" in capsys.readouterr().err

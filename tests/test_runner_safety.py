"""`run` stays inside --out and fails in one clear line: slugs that are no Django slug get safe folder
names, concurrent runs keep every manifest entry, an unwritable --out or a file in the way is named,
and a failure says where it happened (in a cell, before any cell ran, after every cell ran)."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import re
import uuid
from pathlib import Path

import nbformat
import pytest

from conference_reports import cli
from conference_reports.params import load_all, params_path, unmatched_files
from conference_reports.paths import safe_name, within
from conference_reports.pipeline.job import RunContext, run_job
from conference_reports.pipeline.manifest import update_manifest
from conference_reports.pipeline.outcome import Outcome
from conference_reports.pipeline.plan import Job
from conference_reports.pipeline.run import summary_lines
from conftest import FIXTURE_DB
from support.handmade import Handmade

PROGRESS = re.compile(r"^\[\d+/\d+\] ")


def run(argv: list[str]) -> tuple[int, str, str]:
    """The CLI in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def messages(stderr: str) -> list[str]:
    """stderr without progress lines and without the fixture's time-zone warning (printed once a process)."""
    return [line for line in stderr.splitlines()
            if line.strip() and not PROGRESS.match(line) and "unknown time zone" not in line]


def tree(root: Path, skip: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if p != skip and skip not in p.parents}


# ---------------------------------------------------------------------------------------------
# A. slugs from the database


def test_safe_names() -> None:
    assert safe_name("python-2077") == "python-2077" and safe_name("a_B-9") == "a_B-9"
    unsafe = ["../../escaped", "/tmp/x", "..", ".", "", "a b", "a/b", "a_b", "ünï", "x" * 300 + "!"]
    names = [safe_name(s) for s in unsafe[:7]] + [safe_name(s) for s in unsafe[8:]]
    assert len(set(names)) == len(names)  # different unsafe slugs, different names
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}\.[0-9a-f]{8}", name), name  # the dot: never a real slug
    assert safe_name("../../escaped") == safe_name("../../escaped")
    assert safe_name("a_b") == "a_b" and safe_name("a b") != "a_b"
    assert within("/o", "/o/x/y") and within("/o", "/o")
    assert not within("/o", "/o/../x") and not within("/o", "/other") and not within("/o", "/tmp/x")


def test_params_lookup_stays_in_the_params_folder(tmp_path: Path) -> None:
    params = tmp_path / "a" / "b" / "params"
    params.mkdir(parents=True)
    (tmp_path / "a" / "escaped.yaml").write_text("targets: [\n")  # where params/../../escaped.yaml is
    (params / f"{safe_name('../../escaped')}.yaml").write_text("series: esc\n")
    assert params_path(params, "../../escaped").parent == params
    assert params_path(params, "/tmp/x").parent == params
    assert load_all(params, ["../../escaped"])["../../escaped"].series == "esc"
    assert unmatched_files(params, ["../../escaped"]) == []


@pytest.mark.slow
def test_unsafe_slugs_never_leave_out(tmp_path: Path) -> None:
    absolute = Path(f"/tmp/abs-{uuid.uuid4().hex[:12]}")
    db = Handmade(tmp_path / "db.sqlite3")
    db.conference("../../escaped", "2026-05-01", name="Escaped")
    db.conference(str(absolute), "2026-06-01", name="Absolute")
    url = db.url  # commits
    db.db.close()
    params = tmp_path / "cfg" / "sub" / "params"
    params.mkdir(parents=True)
    (tmp_path / "cfg" / "escaped.yaml").write_text("targets: [\n")  # the old lookup read this and failed
    (params / f"{safe_name('../../escaped')}.yaml").write_text("series: esc\n")
    out = tmp_path / "out"
    base = tmp_path.parent
    before = tree(base, out)

    argv = ["run", "--db", url, "--out", str(out), "--params", str(params), "--jobs", "2"]
    code, stdout, stderr = run(argv)

    assert code == 0, stdout + stderr
    assert tree(base, out) == before, "files written outside --out"
    assert not absolute.exists()
    assert "Traceback" not in stderr
    warnings = [line for line in messages(stderr) if ": warning: " in line]
    assert warnings == [
        f"conference-reports: warning: slug '../../escaped' is not a Django slug; "
        f"its reports go to {safe_name('../../escaped')}/",
        f"conference-reports: warning: slug '{absolute}' is not a Django slug; "
        f"its reports go to {safe_name(str(absolute))}/",
    ]
    for slug in ("../../escaped", str(absolute)):
        folder = out / safe_name(slug)
        for name in ("conference.html", "conference.ipynb", "kpis.json", "sponsors.html"):
            assert (folder / name).is_file(), folder / name
    assert "(series esc)" in (out / safe_name("../../escaped") / "conference.html").read_text()
    hrefs = re.findall(r'href="([^"#]+)"', (out / "index.html").read_text())
    assert len(hrefs) >= 10
    for href in hrefs:
        assert within(out, out / href) and (out / href).is_file(), href


# ---------------------------------------------------------------------------------------------
# C. reports.json under concurrency


def _job(out: Path, report: str) -> Job:
    folder = out / report
    return Job(report=report, kind="conference", title=report, notebook="-", html=str(folder / "c.html"),
               ipynb=str(folder / "c.ipynb"), parameters={}, slug=report, name=report,
               start_date="2026-01-01", out=str(out))


def _hammer(out: str, writer: int, rounds: int) -> None:
    for i in range(rounds):
        job = _job(Path(out), f"w{writer}-{i:03d}")
        update_manifest(Path(out), [job], [Outcome(job.report, "ok", "2026-01-01T00:00:00", 1.0)], "test")


def test_concurrent_manifest_updates_lose_no_entry(tmp_path: Path) -> None:
    rounds, writers = 40, 3
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), w, rounds)) for w in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * writers
    manifest = json.loads((tmp_path / "reports.json").read_text())
    got = {e["report"] for e in manifest["reports"]}
    assert got == {f"w{w}-{i:03d}" for w in range(writers) for i in range(rounds)}
    index = (tmp_path / "index.html").read_text()  # rendered from the merged manifest
    assert all(f"w{w}-{rounds - 1:03d}" in index for w in range(writers))
    assert not list(tmp_path.glob("*.tmp*"))


# ---------------------------------------------------------------------------------------------
# D. an unwritable --out


def assert_one_error(code: int, stderr: str, *needles: str) -> None:
    lines = [line for line in messages(stderr) if ": note: " not in line]
    assert code == 2 and len(lines) == 1, stderr
    assert lines[0].startswith("conference-reports: error: ") and "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_out_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_bytes(b"not a folder")
    code, _, err = run(["run", "--db", str(FIXTURE_DB), "--out", str(out)])
    assert_one_error(code, err, str(out), "is a file")
    code, _, err = run(["run", "--db", str(FIXTURE_DB), "--out", str(out / "below")])
    assert_one_error(code, err, f"{out} is a file")
    assert out.read_bytes() == b"not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_is_read_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "python-2077").mkdir(parents=True)
    (out / "python-2077" / "conference.html").write_bytes(b"good")
    out.chmod(0o555)
    try:
        code, _, err = run(["run", "--db", str(FIXTURE_DB), "--out", str(out)])
    finally:
        out.chmod(0o755)
    assert_one_error(code, err, str(out), "Permission denied")
    assert (out / "python-2077" / "conference.html").read_bytes() == b"good"


def test_out_refuses_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read-only --out for root too: the write probe fails as it would on a read-only mount."""
    import conference_reports.paths as paths

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    out = tmp_path / "out"
    (out / "python-2077").mkdir(parents=True)
    (out / "python-2077" / "conference.html").write_bytes(b"good")
    monkeypatch.setattr(paths.tempfile, "TemporaryFile", refuse)
    code, _, err = run(["run", "--db", str(FIXTURE_DB), "--out", str(out)])
    assert_one_error(code, err, str(out), "Read-only file system")
    assert (out / "python-2077" / "conference.html").read_bytes() == b"good"
    assert sorted(p.name for p in out.iterdir()) == ["python-2077"]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_where_the_conference_folder_goes(tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    (out / "python-2076").mkdir(parents=True)
    (out / "python-2076" / "conference.html").write_bytes(b"good before")
    (out / "python-2077").write_bytes(b"in the way")
    params = tmp_path / "params"
    params.mkdir()
    argv = ["run", "--db", str(FIXTURE_DB), "--out", str(out), "--params", str(params),
            "--conference", "python-2077", "--jobs", jobs]
    code, stdout, stderr = run(argv)

    assert code == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr and messages(stderr) == []
    failed = [line for line in stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2
    for line, kind in zip(failed, ("conference", "sponsors"), strict=True):
        assert line.startswith(f"FAILED python-2077/{kind}: ")
        assert f"{out / 'python-2077'} is a file, not a folder" in line
    assert "no earlier report to keep" in stdout
    assert "1 ok, 2 failed" in stdout
    assert (out / "python-2077").read_bytes() == b"in the way"
    assert (out / "python-2076" / "conference.html").read_bytes() == b"good before"
    assert (out / "cross-event.html").is_file()
    manifest = {e["report"]: e for e in json.loads((out / "reports.json").read_text())["reports"]}
    assert manifest["python-2077/conference"]["status"] == "failed"
    assert "is a file" in (out / "index.html").read_text()


# ---------------------------------------------------------------------------------------------
# E. where a report failed


def test_summary_says_where_and_what_is_kept() -> None:
    export = Outcome("c/conference", "failed", "t", 1.0, error="export to HTML failed: ValueError: x",
                     stage="end", failed_ipynb="/o/c/conference.failed.ipynb", kept=True)
    start = Outcome("c/sponsors", "failed", "t", 0.0, error="OSError: no", stage="start")
    cell = Outcome("cross-event", "failed", "t", 1.0, cell_index=3, source="1/0", error="ZeroDivisionError",
                   stage="cell", failed_ipynb="/o/cross-event.failed.ipynb")
    lines = summary_lines([export, start, cell], 2.0, Path("/o/index.html"))
    assert lines[1] == "FAILED c/conference: after every cell ran: export to HTML failed: ValueError: x"
    assert lines[2] == "       executed notebook: /o/c/conference.failed.ipynb (the last good report is kept)"
    assert lines[3] == "FAILED c/sponsors: before any cell ran: OSError: no"
    assert lines[4] == "       (no earlier report to keep)"
    assert lines[5] == "FAILED cross-event: cell 3 `1/0`: ZeroDivisionError"
    assert lines[6] == "       executed notebook: /o/cross-event.failed.ipynb (no earlier report to keep)"
    assert str(export.failure()) == (
        "c/conference: failed after every cell ran: export to HTML failed: ValueError: x"
    )
    assert "before any cell ran" in str(start.failure())
    assert str(cell.failure()).startswith("cross-event: failed in cell 3")


@pytest.mark.slow
def test_export_failure_after_every_cell_ran(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import conference_reports.pipeline.export as export
    from conference_reports.pipeline.plan import kernel_name

    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("conference = None", metadata={"tags": ["parameters"]}),
                  nbformat.v4.new_code_cell("x = 1")]
    book.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook = tmp_path / "tiny.ipynb"
    nbformat.write(book, str(notebook))
    out = tmp_path / "out"
    job = Job(report="t/conference", kind="conference", title="T", notebook=str(notebook),
              html=str(out / "t" / "conference.html"), ipynb=str(out / "t" / "conference.ipynb"),
              parameters={"conference": "t"}, out=str(out))

    def boom(*args: object, **kwargs: object) -> str:
        raise ValueError("no page today")

    monkeypatch.setattr(export, "export_html", boom)
    outcome = run_job(job, RunContext(url="sqlite:///unused", kernel=kernel_name(), shared={}))
    assert outcome.status == "failed" and outcome.stage == "end" and outcome.cell_index is None, outcome
    assert outcome.error == "export to HTML failed: ValueError: no page today"
    (line, kept) = summary_lines([outcome], 1.0, out / "index.html")[1:3]
    assert "after every cell ran" in line and "before any cell ran" not in line
    assert "no earlier report to keep" in kept and Path(job.failed_ipynb).is_file()
    assert not (out / "t" / "conference.html").exists()
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]


def test_stopping_a_kernel_caught_mid_start_removes_its_files(tmp_path: Path, monkeypatch) -> None:
    """A signal between jupyter_client writing a connection file and marking it written left the file
    behind (seen once after kill -9 of a run); stopping removes every file under the kernel's name."""
    import tempfile

    from conference_reports.pipeline import kernel

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    km = kernel.ipc_kernel_manager()()
    written = [Path(km.connection_file), Path(f"{km.ip}-1")]  # the file, and a socket file
    for path in written:
        path.write_text("{}")
    assert not km._connection_file_written  # the window: written, not yet marked
    other = tmp_path / "someone-else.json"
    other.write_text("{}")
    kernel.stop_kernels()
    assert [p for p in written if p.exists()] == [] and other.exists()
    assert km not in kernel._kernels

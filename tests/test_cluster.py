"""`run --scheduler`: a Dask LocalCluster of two worker processes writes the same reports as the local
pool; an address where no scheduler answers is one line and a non-zero exit, nothing written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_DB
from test_runner import run, specs

distributed = pytest.importorskip("distributed")

SLUG = "python-2076"
TIMES = re.compile(r"\d{4}-\d\d-\d\dT[\d:.+-]+|\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d( UTC)?")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same reports from a LocalCluster and from the local pool."""
    root = tmp_path_factory.mktemp("cluster")
    params = root / "params"
    params.mkdir()
    argv = ["run", "--db", str(FIXTURE_DB), "--params", str(params), "--conference", SLUG, "--no-packet"]
    for name in ("cluster", "local"):  # last year's page, there from an earlier run: the pages link to it
        (root / name / "python-2075").mkdir(parents=True)
        (root / name / "python-2075" / "conference.html").write_text("<html></html>")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    try:
        code, stdout, stderr = run([*argv, "--out", str(root / "cluster"), "--scheduler",
                                    cluster.scheduler_address])
    finally:
        cluster.close()
    assert code == 0, stdout + stderr
    code, stdout, stderr = run([*argv, "--out", str(root / "local"), "--jobs", "2"])
    assert code == 0, stdout + stderr
    return {"cluster": root / "cluster", "local": root / "local"}


def _files(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}


@pytest.mark.slow
def test_a_cluster_writes_the_same_reports_as_the_local_pool(both: dict[str, Path]) -> None:
    cluster, local = both["cluster"], both["local"]
    assert _files(cluster) == _files(local)
    for page in (f"{SLUG}/conference.html", f"{SLUG}/sponsors.html", "cross-event.html"):
        mine, theirs = (cluster / page).read_text(), (local / page).read_text()
        assert specs(mine) == specs(theirs), page  # every chart, with its data
        assert TIMES.sub("", mine) == TIMES.sub("", theirs), page  # the same page but for its times
    kpis = [json.loads((out / SLUG / "kpis.json").read_text()) for out in (cluster, local)]
    for k in kpis:
        k.pop("generated_at")
    assert kpis[0] == kpis[1]
    assert "Previous edition: Python 2075" in (cluster / SLUG / "conference.html").read_text()


def test_no_scheduler_at_the_address_is_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONFERENCE_REPORTS_CONNECT_TIMEOUT", "2")  # the connect timeout bounds the wait
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    code, _, stderr = run(["run", "--db", str(FIXTURE_DB), "--out", str(out), "--conference", SLUG,
                                "--no-packet", "--scheduler", "tcp://127.0.0.1:9"])
    assert code != 0 and "Traceback" not in stderr
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in stderr
    assert [line for line in stderr.splitlines() if "error" in line] == [
        "conference-reports: error: no Dask scheduler answers at tcp://127.0.0.1:9: "
        "Timed out trying to connect to tcp://127.0.0.1:9 after 2 s"]
    assert not (out / "reports.json").exists()


@pytest.mark.slow
def test_a_signal_stops_a_cluster_run_and_its_remote_kernels(tmp_path: Path) -> None:
    """SIGTERM during a cluster run: exit 143 in one line, the kernels on the workers killed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import nbformat

    notebooks = tmp_path / "notebooks"
    shutil.copytree(Path(__file__).resolve().parents[1] / "notebooks", notebooks)
    for name in ("conference.ipynb", "sponsors.ipynb"):
        book = nbformat.read(str(notebooks / name), as_version=4)
        book.cells.insert(2, nbformat.v4.new_code_cell("import time\ntime.sleep(60)"))
        nbformat.write(book, str(notebooks / name))
    marker, params = tmp_path / "tmp", tmp_path / "params"
    marker.mkdir()
    params.mkdir()

    def kernels() -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                env = (entry / "environ").read_bytes()
            except OSError:
                continue
            if "kernel_start" in cmd and f"TMPDIR={marker}".encode() in env:
                found.append(entry.name)
        return found

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, env={"TMPDIR": str(marker)})
    try:
        argv = [sys.executable, "-m", "conference_reports.cli", "run", "--db", str(FIXTURE_DB), "--out",
                str(tmp_path / "out"), "--conference", SLUG, "--no-packet", "--notebooks", str(notebooks),
                "--params", str(params),
                "--scheduler", cluster.scheduler_address]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(kernels()) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=20) == 143
        lines = [line for line in proc.stderr.read().splitlines() if not line.startswith("[")]
        assert len(lines) == 1 and re.fullmatch(
            r"conference-reports: interrupted by SIGTERM; [23] of 3 reports not run", lines[0]), lines
        deadline = time.monotonic() + 15
        while kernels() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not kernels()  # killed, not left to sleep out their minute
    finally:
        cluster.close()

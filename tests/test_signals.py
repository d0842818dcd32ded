"""SIGTERM, SIGINT and kill -9 of `run`: nothing of the run survives (workers, kernels), no temp files
are left, and a signalled run exits 143/130 with one line on stderr and no traceback.

Each run gets its own TMPDIR; every process of the run inherits it, kernels too (they start in their
own sessions), so /proc tells which processes belong to it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROGRESS = re.compile(r"^\[\d+/\d+\] ")
KERNEL = re.compile(r"ipykernel|kernel_start")  # the runner starts its kernels through kernel_start


@dataclass
class Run:
    proc: subprocess.Popen[bytes]
    out: Path
    tmp: Path
    stderr: Path


def members(run: Run) -> list[str]:
    """Live processes of the run: its session, or any with its TMPDIR (kernels have their own sessions)."""
    marker = f"TMPDIR={run.tmp}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if state != "Z" and (session == run.proc.pid or marker in environ):
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def start(tmp_path: Path, fixture_url: str, jobs: str = "2") -> Run:
    out, tmp, params = tmp_path / "out", tmp_path / "tmp", tmp_path / "params"
    for folder in (tmp, params):
        folder.mkdir()
    stderr = tmp_path / "stderr.txt"
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    argv = [sys.executable, "-m", "conference_reports.cli", "run", "--db", fixture_url, "--out", str(out),
            "--params", str(params), "--jobs", jobs]
    with stderr.open("wb") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
    run = Run(proc, out, tmp, stderr)
    deadline = time.monotonic() + 60
    while sum(KERNEL.search(m) is not None for m in members(run)) < min(int(jobs), 2):  # kernels are running
        assert proc.poll() is None and time.monotonic() < deadline, stderr.read_text()
        time.sleep(0.2)
    time.sleep(1.0)
    return run


def assert_nothing_left(run: Run, signalled: float) -> None:
    while (alive := members(run)) and time.monotonic() < signalled + 10:
        time.sleep(0.2)
    assert not alive, "survivors:\n" + "\n".join(alive)
    leftovers = [p for p in run.out.rglob("*") if ".tmp" in p.name]
    leftovers += [p for p in run.tmp.iterdir() if p.name.startswith(("cr-", "tmp")) or ".tmp" in p.name]
    assert not leftovers, leftovers


@pytest.mark.parametrize(
    ("sig", "code", "jobs"),
    [(signal.SIGTERM, 143, "2"), (signal.SIGINT, 130, "2"), (signal.SIGTERM, 143, "1")],
    ids=["SIGTERM-jobs2", "SIGINT-to-the-group-jobs2", "SIGTERM-jobs1"],
)
def test_a_signal_stops_the_run_cleanly(tmp_path: Path, fixture_url: str, sig: int, code: int,
                                        jobs: str) -> None:
    """SIGTERM as `timeout` or systemd send it; SIGINT to the whole group, as Ctrl-C sends it."""
    run = start(tmp_path, fixture_url, jobs)
    signalled = time.monotonic()
    (os.killpg if sig == signal.SIGINT else os.kill)(run.proc.pid, sig)
    assert run.proc.wait(timeout=10) == code
    took = time.monotonic() - signalled
    stderr = run.stderr.read_text()
    lines = [line for line in stderr.splitlines()
             if line.strip() and not PROGRESS.match(line) and ": warning: " not in line]  # the fixture's zone
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    name = signal.Signals(sig).name
    assert re.fullmatch(rf"conference-reports: interrupted by {name}; \d of 7 reports not run", lines[0])
    assert took < 5, f"took {took:.1f}s to stop"
    assert_nothing_left(run, signalled)


@pytest.mark.parametrize("jobs", ["2", "1"], ids=["jobs2", "jobs1"])
def test_kill_9_of_the_parent_leaves_no_survivors(tmp_path: Path, fixture_url: str, jobs: str) -> None:
    run = start(tmp_path, fixture_url, jobs)
    signalled = time.monotonic()
    os.kill(run.proc.pid, signal.SIGKILL)
    assert run.proc.wait(timeout=10) == -signal.SIGKILL
    while (alive := members(run)) and time.monotonic() < signalled + 10:
        time.sleep(0.2)
    assert not alive, "survivors:\n" + "\n".join(alive)
    if jobs == "2":  # the workers clean up after themselves; the parent itself cannot
        assert_nothing_left(run, signalled)

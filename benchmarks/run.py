"""The suite's benchmark (`make bench`): metrics, a report, whole runs, memory; medians of several runs.

    python benchmarks/run.py [--scales 1 10 100] [--repeat 5] [--run-repeat 2] [--no-postgres]

Demo databases are built once (SQLite under output/bench/, PostgreSQL as databases cr_bench_<scale>
on 127.0.0.1) and kept between runs. Figures, each as median, min and max over the repeats:

  metrics-in-process   django-program's 37 metrics of the largest conference, in one process
  metrics-process      the same through `conference-reports metrics`, a whole process (SQLite, PostgreSQL)
  notebook-floor       a one-cell notebook through papermill on the suite's kernel: with papermill's
                       defaults, and as the runner executes a report (the report's bound is against it)
  report               one conference report end to end (its `seconds` in reports.json, --jobs 1)
  run-jobs1/run-jobs2  `conference-reports run` over the whole demo database (scale 1)
  run-unchanged        a second run with nothing changed
  peak RSS (MB) of the metrics process and of the run (the largest single process)
  machine-reference    a fixed piece of work that is not the suite's (a Python loop and an in-memory SQLite
                       GROUP BY), timed before and after the rest: how fast this machine was while it ran,
                       so figures from two machines, or two hours of one, can be compared

It prints a table (scale, figure, median, min, max) and issue 12's bounds, met or missed, and writes
benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "output" / "bench"
RESULTS = ROOT / "benchmarks" / "results.json"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
CLI = [sys.executable, "-m", "conference_reports.cli"]
DEMO_TODAY = "2026-12-01"
# django-program's own report functions: the figures its analytics dashboard computes.
DJANGO_PROGRAM_METRICS = (
    "activity_utilization", "aov_by_date", "attendee_lifetime_value", "attendee_summary", "cart_funnel",
    "cashflow_waterfall", "checkin_throughput", "content_analytics", "credit_summary", "cumulative_revenue",
    "discount_conditions", "discount_impact", "discount_summary", "effective_targets", "event_roi",
    "expense_summary", "letter_request_summary", "nps_score", "reconciliation", "refund_metrics",
    "registration_attribution", "registration_flow", "revenue_breakdown", "revenue_by_ticket_type",
    "revenue_per_attendee", "room_utilization", "sales_by_date", "session_rating_analytics",
    "speaker_return_rate", "sponsor_analytics", "sponsor_benefit_fulfillment", "sponsor_renewal_rate",
    "ticket_sales_ratio", "travel_grant_analytics", "voucher_summary", "yoy_growth", "yoy_retention",
)


def sqlite_demo(scale: int) -> str:
    path = BENCH_DIR / f"demo-scale{scale}.sqlite3"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run([*CLI, "demo-db", str(path), "--scale", str(scale), "--today", DEMO_TODAY], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return str(path)


def postgres_demo(scale: int) -> str | None:
    """The PostgreSQL demo database of this scale (built once), None when no server answers."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return None
    name = f"cr_bench_{scale}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return url
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error:
        return None
    started = time.perf_counter()
    subprocess.run([*CLI, "demo-db", url, "--scale", str(scale), "--today", DEMO_TODAY], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"built {name} in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def busiest(url: str) -> str:
    """The slug of the conference with the most orders."""
    code = (
        "import sys\n"
        "from sqlalchemy import func, select\n"
        "from conference_reports.data import schema as t\n"
        "from conference_reports.data.conferences import list_conferences\n"
        "from conference_reports.data.db import connect\n"
        "with connect(sys.argv[1]) as conn:\n"
        "    o = t.order.c\n"
        "    top = conn.execute(select(o.conference_id).group_by(o.conference_id)"
        ".order_by(func.count().desc()).limit(1)).scalar()\n"
        "    print(next(c.slug for c in list_conferences(conn) if c.id == top))\n"
    )
    return subprocess.run([sys.executable, "-c", code, url], check=True, capture_output=True,
                          text=True).stdout.strip()


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of one command, run from a fresh wrapper
    so the peak is this command's own."""
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "subprocess.run(json.loads(sys.argv[1]), check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper, json.dumps(command)], check=True,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds, peak = done.stdout.split()
    return float(seconds), float(peak)


def in_process(url: str, slug: str, repeat: int) -> list[float]:
    """Seconds of the 37 metrics in one process (after one warm-up), `repeat` times."""
    code = (
        "import json, sys, time\n"
        "from conference_reports.data.conferences import get_conference\n"
        "from conference_reports.data.db import connect\n"
        "from conference_reports.metrics import compute_one\n"
        "names = json.loads(sys.argv[3])\n"
        "with connect(sys.argv[1]) as conn:\n"
        "    c = get_conference(conn, sys.argv[2])\n"
        "    out = []\n"
        "    for i in range(int(sys.argv[4]) + 1):\n"
        "        t = time.perf_counter()\n"
        "        for n in names:\n"
        "            compute_one(conn, c, n)\n"
        "        out.append(time.perf_counter() - t)\n"
        "print(json.dumps(out[1:]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, url, slug, json.dumps(DJANGO_PROGRAM_METRICS),
                           str(repeat)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def floor_notebook(folder: Path) -> Path:
    path = folder / "floor.ipynb"
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "floor", "metadata": {},
                     "outputs": [], "source": ["1 + 1"]}],
          "metadata": {"kernelspec": {"name": "conference-reports", "display_name": "conference-reports",
                                      "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))
    return path


def floor_seconds(notebook: Path, repeat: int, runner: bool = False) -> list[float]:
    """Seconds of papermill executing a one-cell notebook on the suite's kernel (a kernel start and one
    cell: what every report pays at least), measured inside one process as a report's `seconds` are.
    `runner`: as the runner executes a report (its engine and kernel manager: IPC sockets, no debugger),
    else with papermill's defaults; the first execution of each process is left out (imports)."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from conference_reports.pipeline.execute import execute\n"
        "from conference_reports.pipeline.plan import Job\n"
        "import papermill\n"
        "nb, runner = sys.argv[1], sys.argv[3] == '1'\n"
        "job = Job(report='floor', kind='conference', title='floor', notebook=nb, html=nb + '.html',\n"
        "          ipynb=nb + '.out', parameters={})\n"
        "out = []\n"
        "for _ in range(int(sys.argv[2]) + 1):\n"
        "    t = time.perf_counter()\n"
        "    if runner:\n"
        "        execute(job, 'sqlite:///unused', 'conference-reports', Path(nb + '.out'), {})\n"
        "    else:\n"
        "        papermill.execute_notebook(nb, nb + '.out', kernel_name='conference-reports',\n"
        "                                   progress_bar=False)\n"
        "    out.append(time.perf_counter() - t)\n"
        "print(json.dumps(out[1:]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(notebook), str(repeat), "1" if runner else "0"],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# Fixed work that is not the suite's: a Python loop and an in-memory SQLite GROUP BY (about half a
# second on the machine the README quotes). It times the machine, not the code.
REFERENCE = (
    "import sqlite3, time\n"
    "t = time.perf_counter()\n"
    "total = sum(i * i % 7 for i in range(2_000_000))\n"
    "db = sqlite3.connect(':memory:')\n"
    "db.execute('CREATE TABLE x (a INTEGER, b REAL)')\n"
    "db.executemany('INSERT INTO x VALUES (?, ?)', ((i * 7919 % 100_003, i / 7) for i in range(300_000)))\n"
    "db.execute('SELECT a, count(*), sum(b) FROM x GROUP BY a').fetchall()\n"
    "print(time.perf_counter() - t)\n"
)


def reference_seconds(times: int) -> list[float]:
    """Seconds of the fixed reference work, each in a fresh process."""
    return [float(subprocess.run([sys.executable, "-c", REFERENCE], check=True, capture_output=True,
                                 text=True).stdout) for _ in range(times)]


# The bounds (issue 12), checked against the figures measured. django-program's own 37 metrics on
# the scale-100 SQLite file took 3.6 s, measured outside the project (its wheel needs Python 3.14).
DJANGO_PROGRAM_SECONDS = 3.6


def bounds(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """(what, measured against its bound, met; None when a figure is missing)."""
    got = {(r["scale"], r["figure"]): r["median"] for r in rows}

    def check(what: str, keys: list[tuple[Any, str]], test: Callable[..., bool], shown: Callable[..., str]):
        values = [got.get(k) for k in keys]
        if any(v is None for v in values):
            return (what, "not measured", None)
        return (what, shown(*values), test(*values))

    sqlite, pg = (100, "metrics-process sqlite"), (100, "metrics-process postgresql")
    rss1, rss100 = (1, "metrics-process sqlite peak RSS"), (100, "metrics-process sqlite peak RSS")
    floor, report = (1, "notebook-floor (runner)"), (1, "report (pyconf-2026, end to end)")
    jobs1, jobs2, again = (1, "run-jobs1"), (1, "run-jobs2"), (1, "run-unchanged (jobs 2)")
    return [
        check("37 metrics, scale 100, SQLite process < 1.0 s", [sqlite], lambda v: v < 1.0,
              lambda v: f"{v:.2f} s"),
        check("37 metrics, scale 100, PostgreSQL process < 1.5 s", [pg], lambda v: v < 1.5,
              lambda v: f"{v:.2f} s"),
        check("at least 3x faster than django-program (3.6 s)", [sqlite],
              lambda v: DJANGO_PROGRAM_SECONDS / v >= 3, lambda v: f"{DJANGO_PROGRAM_SECONDS / v:.1f}x"),
        check("peak memory, scale 100 <= 1.2x scale 1", [rss1, rss100], lambda a, b: b <= 1.2 * a,
              lambda a, b: f"{b / a:.2f}x"),
        check("one report within 2 s of the floor", [floor, report], lambda f, r: r - f <= 2.0,
              lambda f, r: f"{r - f:+.2f} s"),
        check("whole run, --jobs 2 < 25 s", [jobs2], lambda v: v < 25, lambda v: f"{v:.1f} s"),
        check("--jobs 2 < 0.6x --jobs 1", [jobs1, jobs2], lambda a, b: b < 0.6 * a,
              lambda a, b: f"{b / a:.2f}x"),
        check("unchanged run < 5 s", [again], lambda v: v < 5, lambda v: f"{v:.1f} s"),
    ]


def speed_change(rows: list[Row]) -> str | None:
    """A line when the machine's speed moved during the run (the reference before and after differ by
    more than a fifth): its figures were then taken at different speeds."""
    got = {r["figure"]: r["median"] for r in rows}
    before, after = got.get("machine-reference (before)"), got.get("machine-reference (after)")
    if before is None or after is None or max(before, after) <= 1.2 * min(before, after):
        return None
    return (f"the machine reference went from {before:.2f} s before to {after:.2f} s after: the machine's "
            "speed changed during the run, so its figures were taken at different speeds")


def report_seconds(out: Path, kind: str = "conference") -> float:
    """The `seconds` reports.json records for the first report of this kind."""
    entries = json.loads((out / "reports.json").read_text())["reports"]
    return next(float(e["seconds"]) for e in entries if e.get("kind") == kind)


Row = dict[str, Any]


def figure(rows: list[Row], scale: int | str, name: str, values: list[float], unit: str = "s") -> None:
    row = {"scale": scale, "figure": name, "unit": unit, "median": statistics.median(values),
           "min": min(values), "max": max(values), "runs": len(values)}
    rows.append(row)
    print(f"{scale!s:>5}  {name:32} {row['median']:9.3f} {row['min']:9.3f} {row['max']:9.3f}  {unit}",
          flush=True)


def repeat(times: int, action: Callable[[], Any]) -> list[Any]:
    return [action() for _ in range(times)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each quick figure")
    parser.add_argument("--run-repeat", type=int, default=2, help="runs of each whole `run` figure")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="cr-bench-"))
    print(f"{'scale':>5}  {'figure':32} {'median':>9} {'min':>9} {'max':>9}", flush=True)
    figure(rows, "-", "machine-reference (before)", reference_seconds(args.repeat))
    try:
        for scale in args.scales:
            path = sqlite_demo(scale)
            url = f"sqlite:///{path}"
            slug = busiest(url)
            figure(rows, scale, "metrics-in-process sqlite", in_process(url, slug, args.repeat))
            metrics = [*CLI, "metrics", "--db", url, "--conference", slug,
                       *[a for n in DJANGO_PROGRAM_METRICS for a in ("--metric", n)]]
            runs = repeat(args.repeat, lambda m=metrics: timed(m))
            figure(rows, scale, "metrics-process sqlite", [s for s, _ in runs])
            figure(rows, scale, "metrics-process sqlite peak RSS", [m for _, m in runs], "MB")
            pg = None if args.no_postgres else postgres_demo(scale)
            if pg is not None:
                figure(rows, scale, "metrics-in-process postgresql", in_process(pg, slug, args.repeat))
                command = [*CLI, "metrics", "--db", pg, "--conference", slug,
                           *[a for n in DJANGO_PROGRAM_METRICS for a in ("--metric", n)]]
                runs = repeat(args.repeat, lambda m=command: timed(m))
                figure(rows, scale, "metrics-process postgresql", [s for s, _ in runs])
        demo = f"sqlite:///{sqlite_demo(1)}"
        notebook = floor_notebook(work)
        figure(rows, 1, "notebook-floor (papermill)", floor_seconds(notebook, args.repeat))
        figure(rows, 1, "notebook-floor (runner)", floor_seconds(notebook, args.repeat, runner=True))
        one = work / "one"

        def one_report() -> float:
            shutil.rmtree(one, ignore_errors=True)
            timed([*CLI, "run", "--db", demo, "--out", str(one), "--conference", "pyconf-2026", "--jobs", "1",
                   "--no-packet"], {"CONFERENCE_REPORTS_AS_OF": DEMO_TODAY})
            return report_seconds(one)

        figure(rows, 1, "report (pyconf-2026, end to end)", repeat(args.repeat, one_report))
        whole = work / "whole"
        for jobs in (1, 2):
            def full(jobs: int = jobs) -> tuple[float, float]:
                shutil.rmtree(whole, ignore_errors=True)
                return timed([*CLI, "run", "--db", demo, "--out", str(whole), "--jobs", str(jobs)],
                             {"CONFERENCE_REPORTS_AS_OF": DEMO_TODAY})
            runs = repeat(args.run_repeat, full)
            figure(rows, 1, f"run-jobs{jobs}", [s for s, _ in runs])
            figure(rows, 1, f"run-jobs{jobs} peak RSS", [m for _, m in runs], "MB")
        rerun = [*CLI, "run", "--db", demo, "--out", str(whole), "--jobs", "2"]
        again = repeat(args.run_repeat, lambda: timed(rerun, {"CONFERENCE_REPORTS_AS_OF": DEMO_TODAY})[0])
        figure(rows, 1, "run-unchanged (jobs 2)", again)
        figure(rows, "-", "machine-reference (after)", reference_seconds(args.repeat))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform(),
               "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    checked = bounds(rows)
    print()
    for what, shown, met in checked:
        print(f"  {'met' if met else 'MISSED' if met is False else '-':>6}  {what:52} {shown}")
    drift = speed_change(rows)
    if drift:
        print(f"  note: {drift}")
    RESULTS.write_text(json.dumps({"machine": machine, "figures": rows, "speed_change": drift,
                                   "bounds": [{"bound": w, "measured": s, "met": m} for w, s, m in checked]},
                                  indent=1) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}; own peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

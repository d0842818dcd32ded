"""Time every metric on the busiest conference of a database and print the figures.

    python benchmarks/metrics.py [--db URL] [--conference SLUG] [--repeat N]

Without --db it measures demo databases at scale 1 and scale 100 (built once under
output/bench/), each in a fresh process, so the peak-memory figures can be compared: they should
not grow with the row counts, since every aggregation happens in SQL.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

from sqlalchemy import func, select

from conference_reports.data import schema as t
from conference_reports.data.conferences import get_conference, list_conferences
from conference_reports.data.db import connect
from conference_reports.metrics import REGISTRY, compute_one
from conference_reports.paths import project_root

BENCH_DIR = project_root() / "output" / "bench"


def demo_db(scale: int) -> str:
    """A demo database at this scale, built in a separate process so its memory is not counted."""
    path = BENCH_DIR / f"demo-scale{scale}.sqlite3"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "conference_reports.cli", "demo-db", str(path),
                        "--scale", str(scale)], check=True, stdout=subprocess.DEVNULL)
        print(f"built {path.name} in {time.perf_counter() - started:.1f}s", flush=True)
    return f"sqlite:///{path}"


def measure(url: str, slug: str | None, repeat: int) -> None:
    with connect(url) as conn:
        if slug:
            conference = get_conference(conn, slug)
        else:
            o = t.order.c
            busiest = conn.execute(
                select(o.conference_id).group_by(o.conference_id).order_by(func.count().desc()).limit(1)
            ).scalar()
            conference = next(c for c in list_conferences(conn) if c.id == busiest)
        attendees = compute_one(conn, conference, "attendee_summary")["total"]
        print(f"{conference.slug}: {attendees} attendees")
        print(f"{'metric':32} {'median s':>9} {'max s':>8}")
        total = 0.0
        for name in sorted(REGISTRY):
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                compute_one(conn, conference, name)
                times.append(time.perf_counter() - started)
            total += statistics.median(times)
            print(f"{name:32} {statistics.median(times):9.4f} {max(times):8.4f}")
    print(f"{'all metrics (sum of medians)':32} {total:9.4f}")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--conference")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.db:
        measure(args.db, args.conference, args.repeat)
        return 0
    for scale in (1, 100):
        url = demo_db(scale)
        print(f"\n== demo database, scale {scale}", flush=True)
        subprocess.run([sys.executable, __file__, "--db", url, "--repeat", str(args.repeat)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time every metric on a database and print the figures (seconds per metric, peak memory).

    python benchmarks/metrics.py [--db URL] [--conference SLUG] [--repeat N]

Without --db it builds (once) a scale-100 demo database under output/bench/ and measures there.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from conference_reports.conferences import get_conference, list_conferences
from conference_reports.db import connect, project_root
from conference_reports.metrics import REGISTRY, compute_one


def scale_100_db() -> str:
    path = project_root() / "output" / "bench" / "demo-scale100.sqlite3"
    if not path.exists():
        from conference_reports.demo import build_demo_db

        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        build_demo_db(str(path), scale=100)
        print(f"built {path} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return f"sqlite:///{path}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--conference")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = args.db or scale_100_db()
    with connect(url) as conn:
        conferences = list_conferences(conn)
        conference = get_conference(conn, args.conference) if args.conference else max(
            conferences, key=lambda c: c.start_date
        )
        from sqlalchemy import text

        orders = conn.execute(
            text("SELECT COUNT(*) FROM program_registration_order WHERE conference_id = :c"),
            {"c": conference.id},
        ).scalar()
        print(f"database: {len(conferences)} conferences; {conference.slug}: {orders} orders")
        print(f"{'metric':32} {'median s':>9} {'max s':>8}")
        total = 0.0
        for name in sorted(REGISTRY):
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                compute_one(conn, conference, name)
                times.append(time.perf_counter() - started)
            total += statistics.median(times)
            print(f"{name:32} {statistics.median(times):9.4f} {max(times):8.4f}")
    print(f"{'all metrics (sum of medians)':32} {total:9.4f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

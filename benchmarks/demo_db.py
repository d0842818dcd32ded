"""Benchmark the demo-database generator: wall time, rows and peak memory per scale.

Usage::

    python benchmarks/demo_db.py                      # scale 1 and 100, SQLite, in a temp dir
    python benchmarks/demo_db.py --scales 1 10 100
    python benchmarks/demo_db.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench

Each build runs in its own process so its peak RSS is measured alone. ``--postgres`` also
builds into that database with ``force=True`` (its django-program tables are replaced).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 3, 1)


def build_once(target: str, scale: int) -> dict[str, float | int]:
    """Build one database in this process and report its figures."""
    from conference_reports.demo import build_demo_db

    summary = build_demo_db(target, scale=scale, today=TODAY, force=True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {
        "seconds": round(summary.elapsed_seconds, 2),
        "rows": summary.total_rows,
        "rss_mb": round(peak_kb / 1024, 1),
    }


def run_child(target: str, scale: int) -> dict[str, float | int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", target, str(scale)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--postgres", help="also build into this PostgreSQL URL (its tables are replaced)")
    parser.add_argument("--child", nargs=2, metavar=("TARGET", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(build_once(args.child[0], int(args.child[1]))))
        return
    print(f"{'backend':<10} {'scale':>5} {'seconds':>8} {'rows':>11} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory(prefix="demo-db-bench-") as tmp:
        for scale in args.scales:
            targets = [("sqlite", str(Path(tmp) / f"demo-{scale}.sqlite3"))]
            if args.postgres:
                targets.append(("postgresql", args.postgres))
            for backend, target in targets:
                r = run_child(target, scale)
                print(f"{backend:<10} {scale:>5} {r['seconds']:>8.1f} {r['rows']:>11,} {r['rss_mb']:>12.1f}")


if __name__ == "__main__":
    main()

"""Backtest of the forecast: replay finished demo editions as if they were still on sale.

    python benchmarks/forecast_backtest.py [--seeds 7 8 9 10 11] [--days 90 60 30 7] [--db URL]

Every edition that is over and has at least two earlier editions in its series is forecast as it
stood 90, 60, 30 and 7 days before its start (only the sales up to that day count, as in a report
run that day). For each figure it prints the absolute percentage error of the point forecast,
whether the final figure fell inside the range, and the same error for the naive forecast ("last
year's final figure"). Without --db it builds demo databases (one per seed, dated 2026-12-01) under
output/bench/.

The database keeps only each order's current status, so a replay cannot see an order as it stood
then: one paid before the replay day and fully refunded later is missing from that day's totals,
and refunds issued later are already subtracted from the orders they belong to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from conference_reports.data.conferences import Conference, list_conferences
from conference_reports.data.db import connect
from conference_reports.metrics import phase as phases
from conference_reports.metrics.forecast import FIGURES, forecast_from
from conference_reports.metrics.pace import final, pace_as_of
from conference_reports.paths import project_root

BENCH_DIR = project_root() / "output" / "bench"
DEMO_TODAY = "2026-12-01"
FAR_FUTURE = dt.date(2100, 1, 1)


def demo_db(seed: int) -> str:
    """The demo database of this seed (scale 1, dated DEMO_TODAY), built once."""
    path = BENCH_DIR / f"backtest-seed{seed}.sqlite3"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "conference_reports.cli", "demo-db", str(path), "--seed", str(seed),
                   "--today", DEMO_TODAY]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return f"sqlite:///{path}"


def _ape(estimate: Any, actual: Any) -> float | None:
    """Absolute percentage error of estimate against actual; None without both (or with actual 0)."""
    if estimate is None or not actual:
        return None
    return abs(float(Decimal(estimate) - Decimal(actual))) / float(actual) * 100


def replay(url: str, horizons: list[int]) -> Iterator[dict[str, Any]]:
    """One row per (edition, days out, figure) of every finished edition with two earlier ones."""
    with connect(url) as conn:
        today = dt.date.fromisoformat(DEMO_TODAY)
        for conference in list_conferences(conn):
            if conference.end_date >= today:
                continue
            whole = pace_as_of(conn, conference, None, FAR_FUTURE)
            if len(whole["editions"]) < 3:
                continue
            actual, previous = final(whole["editions"][0]["points"]), final(whole["editions"][1]["points"])
            for days in horizons:
                yield from _rows(conn, conference, days, actual, previous)


def _rows(conn: Any, conference: Conference, days: int, actual: dict, previous: dict) -> Iterator[dict]:
    day = conference.start_date - dt.timedelta(days=days)
    now = dt.datetime.combine(day, dt.time(12), dt.UTC)
    phase = phases.phase_of(conference, phases.sales_open_at(conn, conference), now)
    made = forecast_from(pace_as_of(conn, conference, None, day), phase, {})
    for figure in FIGURES:
        got = made[figure]
        inside = None if got["low"] is None else got["low"] <= actual[figure] <= got["high"]
        yield {"edition": conference.slug, "days_out": days, "figure": figure, "actual": actual[figure],
               "point": got["point"], "low": got["low"], "high": got["high"], "inside": inside,
               "ape": _ape(got["point"], actual[figure]), "naive": previous[figure],
               "naive_ape": _ape(previous[figure], actual[figure]), "reason": made["reason"]}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def summary(rows: list[dict[str, Any]], horizons: list[int]) -> list[str]:
    """Per days out and figure: mean APE of the forecast and of the naive one, and range coverage."""
    lines = ["| days out | figure | editions | forecast error | naive error | final inside range |",
             "|---:|---|---:|---:|---:|---:|"]
    for days in horizons:
        for figure in FIGURES:
            chosen = [r for r in rows
                      if (r["days_out"], r["figure"]) == (days, figure) and r["ape"] is not None]
            if not chosen:
                continue
            naive = [r["naive_ape"] for r in chosen if r["naive_ape"] is not None]
            inside = sum(1 for r in chosen if r["inside"])
            lines.append(
                f"| {days} | {figure} | {len(chosen)} | {_pct(statistics.mean(r['ape'] for r in chosen))} | "
                f"{_pct(statistics.mean(naive) if naive else None)} | {inside} of {len(chosen)} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a database URL instead of the demo databases")
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9, 10, 11])
    parser.add_argument("--days", type=int, nargs="+", default=[90, 60, 30, 7])
    args = parser.parse_args(argv)
    urls = [args.db] if args.db else [demo_db(seed) for seed in args.seeds]
    rows = [row | {"database": n} for n, url in enumerate(urls) for row in replay(url, args.days)]
    print(f"{'db':>2} {'edition':<14} {'days':>4} {'figure':<13} {'final':>11} {'forecast':>11} "
          f"{'range':>23} {'in':>3} {'error':>7} {'naive':>11} {'naive err':>9}")
    for r in rows:
        span = "-" if r["low"] is None else f"{r['low']}-{r['high']}"
        print(f"{r['database']:>2} {r['edition']:<14} {r['days_out']:>4} {r['figure']:<13} "
              f"{r['actual']!s:>11} {r['point']!s:>11} {span:>23} {'yes' if r['inside'] else 'no':>3} "
              f"{_pct(r['ape']):>7} {r['naive']!s:>11} {_pct(r['naive_ape']):>9}")
    print()
    print("\n".join(summary(rows, args.days)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

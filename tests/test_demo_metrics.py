"""Every metric runs on every generated demo conference; the main one exercises every metric."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conference_reports.data.conferences import list_conferences
from conference_reports.data.db import connect
from conference_reports.metrics import compute, names
from conference_reports.params import ConferenceParams, SponsorGoals

MAIN = "pyconf-2025"  # the large conference's latest edition before the demo's "today" (2026-03-01)
UPCOMING = "pyconf-2026"  # on sale, starting after "today"


def has_content(value: Any) -> bool:
    """True when a metric value holds something besides zeros, empty strings and empty containers."""
    if isinstance(value, dict):
        return any(has_content(v) for v in value.values())
    if isinstance(value, list):
        return any(has_content(v) for v in value)
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float, Decimal)):
        return value != 0
    return value not in (None, "")


def test_has_content_can_say_no() -> None:
    assert not has_content({"total": 0, "rows": [], "rate": Decimal("0.00"), "by": {"": 0}})
    assert has_content({"total": 0, "rows": [{"n": 1}]})


def _goals(slug: str) -> ConferenceParams:
    """Params with sponsor goals, so the suite's own params metrics have something to measure."""
    goals = SponsorGoals(revenue=Decimal("1000"), levels={"Gold": 1})
    return ConferenceParams(slug=slug, sponsor_goals=goals)


def _all_metrics(url: str) -> dict[str, dict[str, Any]]:
    with connect(url) as conn:
        return {c.slug: compute(conn, c, params=_goals(c.slug)) for c in list_conferences(conn)}


@pytest.fixture(scope="module")
def sqlite_values(demo_sqlite: tuple[Path, Any]) -> dict[str, dict[str, Any]]:
    return _all_metrics(f"sqlite:///{demo_sqlite[0]}")


def test_every_metric_on_every_conference(sqlite_values: dict[str, dict[str, Any]]) -> None:
    assert len(sqlite_values) >= 6
    for slug, values in sqlite_values.items():
        assert sorted(values) == names(), slug


def test_main_conference_exercises_every_metric(sqlite_values: dict[str, dict[str, Any]]) -> None:
    empty = [name for name, value in sqlite_values[MAIN].items() if not has_content(value)]
    assert not empty, f"{MAIN}: empty metrics {empty}"


def test_upcoming_conference_has_sales_but_no_checkins(sqlite_values: dict[str, dict[str, Any]]) -> None:
    upcoming = sqlite_values[UPCOMING]
    assert upcoming["sales_by_date"]
    assert upcoming["checkin_throughput"] == []
    assert upcoming["attendee_summary"]["checked_in"] == 0


@pytest.mark.postgres
def test_same_values_on_postgresql(
    demo_sqlite: tuple[Path, Any], sqlite_values: dict[str, dict[str, Any]]
) -> None:
    """The demo copied into PostgreSQL gives the same metric values as on SQLite."""
    from conference_reports.serialize import jsonable
    from conftest import PG_DDL, _pg_or_skip
    from support.pg_copy import copy_rows, drop_database, load_ddl, recreate_database

    _pg_or_skip()
    name = "cr_demo_metrics"
    url = recreate_database(name)
    try:
        load_ddl(name, PG_DDL)
        copy_rows(demo_sqlite[0], name)
        pg_values = _all_metrics(url)
    finally:
        drop_database(name)
    from test_conformance import compare_metrics

    problems = compare_metrics.diff(jsonable(sqlite_values), jsonable(pg_values))
    assert not problems, "\n".join(problems[:10])

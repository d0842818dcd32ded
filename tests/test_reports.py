"""The report layer's own rules, on values made by hand (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conference_reports.data.conferences import Conference
from conference_reports.reports.cross_event import CrossEventReport


def _conference(slug: str, start: dt.date) -> Conference:
    return Conference(1, slug, slug.title(), start, start, "UTC", 100, None, None, None)


def test_retention_is_n_a_for_a_first_edition_and_one_not_yet_held() -> None:
    today = dt.date.today()
    first, second = _conference("c-2024", today.replace(year=today.year - 2)), _conference(
        "c-2025", today.replace(year=today.year - 1))
    coming = _conference("c-2027", today + dt.timedelta(days=90))
    retention = {"retention_rate": Decimal("0.00"), "returning_count": 0, "new_count": 10,
                 "previous_conferences": []}
    report = CrossEventReport(
        kind="cross-event", title="t", render="report", parameters={},
        conferences=[first, second, coming],
        per_conference={
            "c-2024": {"yoy_retention": retention},  # nothing came before it
            "c-2025": {"yoy_retention": {**retention, "retention_rate": Decimal("40.00"),
                                         "previous_conferences": [{"slug": "c-2024"}]}},
            "c-2027": {"yoy_retention": {**retention, "previous_conferences": [{"slug": "c-2025"}]}},
        },
    )
    assert [r["retention_rate"] for r in report.rows()] == [None, Decimal("40.00"), None]

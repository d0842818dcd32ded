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


def test_renewal_and_speaker_return_are_n_a_with_nothing_before_or_no_one_to_count() -> None:
    """django-program gives 0% for a first edition's sponsor renewal and speaker return (nothing to
    renew) and for an edition without sponsors or speakers (nothing to divide by): both read n/a."""
    today = dt.date.today()
    first, second, third = (_conference(f"c-{y}", today.replace(year=today.year - 3 + y % 10))
                            for y in (2020, 2021, 2022))
    earlier = {"previous_conferences": [{"slug": "c-2020"}]}
    renewal = {"renewal_rate": Decimal("0.00"), "current_sponsor_count": 4}
    speakers = {"return_rate": Decimal("0.00"), "current_speaker_count": 10}
    report = CrossEventReport(
        kind="cross-event", title="t", render="report", parameters={},
        conferences=[first, second, third],
        per_conference={
            "c-2020": {"yoy_retention": {"previous_conferences": []}, "sponsor_renewal_rate": renewal,
                       "speaker_return_rate": speakers},
            "c-2021": {"yoy_retention": earlier,
                       "sponsor_renewal_rate": {"renewal_rate": Decimal("50.00"), "current_sponsor_count": 4},
                       "speaker_return_rate": {"return_rate": Decimal("20.00"), "current_speaker_count": 10}},
            "c-2022": {"yoy_retention": earlier,
                       "sponsor_renewal_rate": {"renewal_rate": Decimal("0.00"), "current_sponsor_count": 0},
                       "speaker_return_rate": {"return_rate": Decimal("0.00"), "current_speaker_count": 0}},
        },
    )
    rows = report.rows()
    assert [r["renewal_rate"] for r in rows] == [None, Decimal("50.00"), None]
    assert [r["speaker_return_rate"] for r in rows] == [None, Decimal("20.00"), None]

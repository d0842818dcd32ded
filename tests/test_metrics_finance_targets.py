"""Known-answer tests for the finance metrics and the KPI targets on small hand-built databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from conference_reports.data.conferences import get_conference
from conference_reports.data.db import connect
from conference_reports.metrics.feedback import nps_score, session_rating_analytics
from conference_reports.metrics.finance import event_roi, expense_summary, registration_attribution
from conference_reports.metrics.targets import (
    DEFAULT_TARGETS,
    checkin_rate,
    effective_targets,
    kpi_summary,
    kpi_summary_from,
    merge_targets,
)
from support.handmade import Handmade

Q4 = D("0.0001")


def run(url: str, slug: str, func, **kwargs):
    with connect(url) as conn:
        return func(conn, get_conference(conn, slug), **kwargs)


@pytest.fixture
def hm(tmp_path) -> Handmade:
    return Handmade(tmp_path / "db.sqlite3")


class People:
    """Users and attendees on demand (unique usernames and access codes)."""

    def __init__(self, hm: Handmade) -> None:
        self.hm, self.n = hm, 0

    def user(self) -> int:
        self.n += 1
        return self.hm.user(f"u{self.n}")

    def attendee(self, conf: int, **cols) -> int:
        user = self.user()
        return self.hm.add("program_registration_attendee", user_id=user, conference_id=conf,
                           access_code=f"AC{user:06d}", **cols)

    def order(self, conf: int, status: str, total: str, **cols) -> int:
        user = self.user()
        return self.hm.add("program_registration_order", conference_id=conf, user_id=user, status=status,
                           total=total, subtotal=total, reference=f"ORD-{user:06d}", **cols)


# --- empty conference --------------------------------------------------------------------------


@pytest.fixture
def empty(hm: Handmade) -> str:
    hm.conference("empty", "2026-05-01")
    return hm.url


def test_empty_conference_expenses_and_roi(empty: str) -> None:
    assert run(empty, "empty", expense_summary) == {
        "total_expenses": 0, "total_budget": 0, "budget_variance": 0, "budget_variance_pct": 0,
        "by_category": [], "expense_count": 0,
    }
    roi = run(empty, "empty", event_roi)
    assert set(roi.values()) == {0}
    assert len(roi) == 9


def test_empty_conference_attribution_ratings_nps(empty: str) -> None:
    assert run(empty, "empty", registration_attribution) == {
        "by_source": [], "by_medium": [], "by_campaign": [], "total_attributed": 0, "total_unattributed": 0,
    }
    ratings = run(empty, "empty", session_rating_analytics)
    assert ratings == {
        "total_ratings": 0, "average_score": D("0.0"), "score_distribution": {1: 0, 2: 0, 3: 0, 4: 0, 5: 0},
        "top_sessions": [], "bottom_sessions": [], "by_track": [],
    }
    nps = run(empty, "empty", nps_score)
    assert nps["nps_score"] == 0 and nps["total_responses"] == 0 and nps["response_rate"] == 0


def test_empty_conference_targets_are_the_defaults(empty: str) -> None:
    assert run(empty, "empty", effective_targets) == {
        "target_conversion_rate": D("3.0"), "target_refund_rate": D("5.0"), "target_checkin_rate": D("80.0"),
        "target_fulfillment_rate": D("90.0"), "target_revenue_per_attendee": None,
        "target_room_utilization": D("28.0"),
    }


# --- expense summary and ROI -------------------------------------------------------------------


@pytest.fixture
def expenses(hm: Handmade) -> str:
    conf = hm.conference("c", "2026-05-01")
    other = hm.conference("other", "2025-05-01")
    cat = lambda conf_id, name, order, budget: hm.add(  # noqa: E731
        "program_conference_expensecategory", conference_id=conf_id, name=name, slug=name.lower(),
        order=order, budget_amount=budget)
    venue = cat(conf, "Venue", 1, "100.00")
    misc = cat(conf, "Misc", 0, None)
    cat(conf, "Food", 2, "40.00")  # no expenses
    foreign = cat(other, "Elsewhere", 0, "999.00")
    spend = lambda conf_id, cat_id, amount: hm.add(  # noqa: E731
        "program_conference_expense", conference_id=conf_id, category_id=cat_id, amount=amount,
        date="2026-04-01")
    spend(conf, venue, "30.10")
    spend(conf, venue, "20.05")
    spend(conf, misc, "10.00")
    spend(conf, foreign, "5.00")  # this conference's expense in another conference's category
    spend(other, foreign, "700.00")
    people = People(hm)
    for status, total in [("paid", "100.00"), ("partially_refunded", "50.50"), ("refunded", "999.00"),
                          ("pending", "999.00"), ("cancelled", "999.00")]:
        people.order(conf, status, total)
    people.order(other, "paid", "999.00")
    for _ in range(3):
        people.attendee(conf)
    return hm.url


def test_expense_summary_known_answer(expenses: str) -> None:
    got = run(expenses, "c", expense_summary)
    assert got["by_category"] == [
        {"name": "Misc", "budget": None, "actual": D("10.00"), "variance": None, "expense_count": 1},
        {"name": "Venue", "budget": D("100.00"), "actual": D("50.15"), "variance": D("49.85"),
         "expense_count": 2},
        {"name": "Food", "budget": D("40.00"), "actual": D("0"), "variance": D("40.00"), "expense_count": 0},
    ]
    # totals come from the expenses' own conference: 30.10 + 20.05 + 10.00 + 5.00
    assert got["total_expenses"] == D("65.15")
    assert got["expense_count"] == 4
    assert got["total_budget"] == D("140.00")
    assert got["budget_variance"] == D("74.85")
    assert got["budget_variance_pct"].quantize(Q4) == D("53.4643")  # 74.85 / 140 * 100


def test_event_roi_known_answer(expenses: str) -> None:
    got = run(expenses, "c", event_roi)
    assert got["total_revenue"] == D("150.50")  # paid + partially_refunded only
    assert got["total_expenses"] == D("65.15")
    assert got["gross_profit"] == got["net_profit"] == D("85.35")
    assert got["gross_margin_pct"].quantize(Q4) == got["net_margin_pct"].quantize(Q4) == D("56.7110")
    assert got["roi_pct"].quantize(Q4) == D("131.0054")  # 85.35 / 65.15 * 100
    assert got["cost_per_attendee"].quantize(Q4) == D("21.7167")  # 65.15 / 3
    assert got["revenue_per_attendee"].quantize(Q4) == D("50.1667")  # 150.50 / 3


# --- registration attribution ------------------------------------------------------------------


def test_registration_attribution_known_answer(hm: Handmade) -> None:
    conf = hm.conference("c", "2026-05-01")
    people = People(hm)
    utm = lambda status, total, s, m, c: people.order(  # noqa: E731
        conf, status, total, utm_source=s, utm_medium=m, utm_campaign=c)
    utm("paid", "10.00", "google", "cpc", "")
    utm("partially_refunded", "20.00", "google", "", "")
    utm("paid", "30.00", "twitter", "social", "launch")
    utm("paid", "40.00", "", "", "")
    utm("paid", "5.00", "", "", "spring")
    utm("refunded", "100.00", "google", "cpc", "launch")
    utm("pending", "100.00", "google", "cpc", "launch")
    got = run(hm.url, "c", registration_attribution)
    assert got["by_source"] == [
        {"name": "google", "count": 2, "revenue": D("30.00")},
        {"name": "twitter", "count": 1, "revenue": D("30.00")},
    ]
    key = lambda row: row["name"]  # noqa: E731  (equal counts: order between them is not defined)
    assert sorted(got["by_medium"], key=key) == [
        {"name": "cpc", "count": 1, "revenue": D("10.00")},
        {"name": "social", "count": 1, "revenue": D("30.00")},
    ]
    assert sorted(got["by_campaign"], key=key) == [
        {"name": "launch", "count": 1, "revenue": D("30.00")},
        {"name": "spring", "count": 1, "revenue": D("5.00")},
    ]
    assert (got["total_attributed"], got["total_unattributed"]) == (4, 1)


# --- session ratings ---------------------------------------------------------------------------


def _rate(hm: Handmade, users: list[int], conf: int, talk: int, scores: list[int]) -> None:
    for user, score in zip(users, scores, strict=False):
        hm.add("program_pretalx_sessionrating", conference_id=conf, talk_id=talk, user_id=user, score=score)


def test_session_rating_analytics_known_answer(hm: Handmade) -> None:
    """Also the deliberate divergence: django-program crashes on its Float/Decimal average; this works."""
    conf = hm.conference("c", "2026-05-01")
    other = hm.conference("other", "2025-05-01")
    users = [hm.user(f"r{i}") for i in range(8)]
    talk = lambda title, track, conf_id=conf: hm.add(  # noqa: E731
        "program_pretalx_talk", conference_id=conf_id, title=title, track=track, pretalx_code=title,
        tags="[]")
    t1, t2, t3 = talk("T1", "Web"), talk("T2", ""), talk("T3", "Web")
    t4, t5 = talk("T4", "Data"), talk("T5", "Data")
    _rate(hm, users, conf, t1, [5, 5, 4])  # 4.666… -> 4.67
    _rate(hm, users, conf, t2, [1, 2, 2, 3])  # 2.0
    _rate(hm, users, conf, t3, [3, 3])  # only two ratings: not ranked
    _rate(hm, users, conf, t4, [2, 3, 3])  # 2.666… -> 2.67
    _rate(hm, users, conf, t5, [3, 3, 3, 3, 3, 3, 3, 4])  # 3.125 -> 3.12 (float round, half-even)
    _rate(hm, users, other, talk("X", "Web", other), [1, 1, 1])

    got = run(hm.url, "c", session_rating_analytics)
    assert got["total_ratings"] == 20
    assert got["average_score"] == D("3.05")  # 61 / 20
    assert got["score_distribution"] == {1: 1, 2: 3, 3: 12, 4: 2, 5: 2}
    row = lambda title, avg, n, track: {  # noqa: E731
        "talk_title": title, "avg_score": D(avg), "rating_count": n, "track": track}
    r1, r2 = row("T1", "4.67", 3, "Web"), row("T2", "2.0", 4, "")
    r4, r5 = row("T4", "2.67", 3, "Data"), row("T5", "3.12", 8, "Data")
    assert got["top_sessions"] == [r1, r5, r4, r2]
    assert got["bottom_sessions"] == [r2, r4, r5, r1]
    assert got["by_track"] == [  # Web: T1 + T3 = 20 / 5; Data: T4 + T5 = 33 / 11; '' left out
        {"track": "Web", "avg_score": D("4.0"), "rating_count": 5},
        {"track": "Data", "avg_score": D("3.0"), "rating_count": 11},
    ]


def test_session_rankings_keep_ten(hm: Handmade) -> None:
    conf = hm.conference("c", "2026-05-01")
    users = [hm.user(f"r{i}") for i in range(3)]
    for total in range(3, 14):  # 11 talks, three ratings summing to 3 … 13
        talk = hm.add("program_pretalx_talk", conference_id=conf, title=f"S{total}", pretalx_code=f"S{total}",
                      tags="[]")
        first = min(5, total - 2)
        second = min(5, total - first - 1)
        _rate(hm, users, conf, talk, [first, second, total - first - second])
    got = run(hm.url, "c", session_rating_analytics)
    assert [r["talk_title"] for r in got["top_sessions"]] == [f"S{n}" for n in range(13, 3, -1)]
    assert [r["talk_title"] for r in got["bottom_sessions"]] == [f"S{n}" for n in range(3, 13)]


# --- NPS ---------------------------------------------------------------------------------------


def test_nps_score_known_answer(hm: Handmade) -> None:
    conf = hm.conference("c", "2026-05-01")
    people = People(hm)
    survey = lambda slug, kind, created: hm.add(  # noqa: E731
        "program_programs_survey", conference_id=conf, slug=slug, name=slug, survey_type=kind,
        is_active=1, created_at=created)
    old = survey("old-nps", "nps", "2026-01-01 00:00:00")
    new = survey("new-nps", "nps", "2026-02-01 00:00:00")
    sat = survey("sat", "satisfaction", "2026-03-01 00:00:00")
    answer = lambda sid, scores: [  # noqa: E731
        hm.add("program_programs_surveyresponse", survey_id=sid, user_id=people.user(), score=s)
        for s in scores]
    answer(new, [9, 7, 6, 5, 4, 3, 2, 0])  # 1 promoter, 1 passive, 6 detractors
    answer(old, [10, 10, 8, 1])
    answer(sat, [10, 10, 10])
    for _ in range(16):
        people.attendee(conf)

    got = run(hm.url, "c", nps_score)
    assert (got["promoters"], got["passives"], got["detractors"], got["total_responses"]) == (1, 1, 6, 8)
    assert (got["promoter_pct"], got["passive_pct"], got["detractor_pct"]) == (D("12.5"), D("12.5"), D("75"))
    assert got["nps_score"] == -62  # 12.5 - 75 = -62.5, rounded half-even
    assert got["response_rate"] == D("50")  # 8 of 16 attendees

    by_slug = run(hm.url, "c", nps_score, survey_slug="old-nps")
    assert (by_slug["promoters"], by_slug["passives"], by_slug["detractors"]) == (2, 1, 1)
    assert by_slug["nps_score"] == 25  # 50 - 25
    assert by_slug["response_rate"] == D("25")


def test_nps_survey_without_responses_is_empty(hm: Handmade) -> None:
    conf = hm.conference("c", "2026-05-01")
    hm.add("program_programs_survey", conference_id=conf, slug="nps", name="NPS", survey_type="nps")
    People(hm).attendee(conf)
    got = run(hm.url, "c", nps_score)
    assert got["total_responses"] == 0 and got["nps_score"] == 0 and got["response_rate"] == 0


# --- targets -----------------------------------------------------------------------------------


def test_effective_targets_fall_back_field_by_field(hm: Handmade) -> None:
    conf = hm.conference("c", "2026-05-01")
    hm.conference("d", "2026-06-01")
    hm.add("program_conference_kpitargets", conference_id=conf, target_conversion_rate="4.25",
           target_refund_rate=None, target_checkin_rate=None, target_fulfillment_rate="0",
           target_revenue_per_attendee="150.00", target_room_utilization=None)
    assert run(hm.url, "c", effective_targets) == {
        "target_conversion_rate": D("4.25"), "target_refund_rate": D("5.0"), "target_checkin_rate": D("80.0"),
        "target_fulfillment_rate": D("0"), "target_revenue_per_attendee": D("150.00"),
        "target_room_utilization": D("28.0"),
    }
    assert run(hm.url, "d", effective_targets) == DEFAULT_TARGETS


def test_merge_targets_overrides_win_where_given() -> None:
    db = dict(DEFAULT_TARGETS, target_conversion_rate=D("4.25"))
    merged = merge_targets(db, {"target_conversion_rate": 2.5, "target_refund_rate": None,
                                "target_revenue_per_attendee": D("99.50")})
    assert merged == dict(DEFAULT_TARGETS, target_conversion_rate=D("2.5"),
                          target_revenue_per_attendee=D("99.50"))
    assert merge_targets(db, None) == db
    assert db["target_conversion_rate"] == D("4.25")  # input left alone
    with pytest.raises(ValueError, match="target_convresion_rate"):
        merge_targets(db, {"target_convresion_rate": 1})


def test_checkin_rate_rounds_half_even_to_one_decimal() -> None:
    assert checkin_rate({"total": 3, "checked_in": 2}) == D("66.7")
    assert checkin_rate({"total": 16, "checked_in": 1}) == D("6.2")  # 6.25 -> 6.2
    assert checkin_rate({"total": 0, "checked_in": 0}) == 0


def _values(**kw) -> dict:
    base = {"attendance": 0, "total_income": D("0"), "surplus": D("0"), "revenue_per_attendee": D("0"),
            "conversion_rate": D("0"), "checkin_rate": D("0.0"), "fulfillment_rate": D("0"),
            "refund_rate": D("0")}
    return base | kw


def test_kpi_summary_from_statuses() -> None:
    targets = dict(DEFAULT_TARGETS, target_revenue_per_attendee=D("100"))
    got = kpi_summary_from(
        _values(revenue_per_attendee=D("99.99"), conversion_rate=D("3.0"), checkin_rate=D("80.1"),
                fulfillment_rate=D("89.99"), refund_rate=D("5.01")),
        targets,
    )
    assert [r["key"] for r in got] == [
        "attendance", "total_income", "surplus", "revenue_per_attendee", "conversion_rate", "checkin_rate",
        "fulfillment_rate", "refund_rate"]
    got = got[3:]  # attendance, income and surplus have no target here
    assert [r["status"] for r in got] == ["missed", "met", "met", "missed", "missed"]
    assert [r["target"] for r in got] == [D("100"), D("3.0"), D("80.0"), D("90.0"), D("5.0")]
    assert [r["unit"] for r in got] == ["money", "percent", "percent", "percent", "percent"]
    assert [r["higher_is_better"] for r in got] == [True, True, True, True, False]
    assert got[0]["label"] == "Revenue per attendee" and got[4]["label"] == "Refund rate"
    assert got[0]["value"] == D("99.99")


def test_kpi_summary_from_refund_at_limit_and_no_target() -> None:
    got = kpi_summary_from(_values(refund_rate=D("5.0"), revenue_per_attendee=D("10")), DEFAULT_TARGETS)
    status = {r["key"]: r["status"] for r in got}
    assert status["refund_rate"] == "met"  # lower is better: at the limit is within it
    assert status["revenue_per_attendee"] == "no target"
    zero = kpi_summary_from(_values(), dict(DEFAULT_TARGETS, target_revenue_per_attendee=D("0")))
    assert zero[3]["status"] == "no target"  # the dashboard hides a zero revenue target
    floats = kpi_summary_from(_values(conversion_rate=2.9), {"target_conversion_rate": 3})
    assert floats[4]["value"] == D("2.9") and floats[4]["status"] == "missed"
    assert floats[5]["status"] == "no target"  # a target missing from the mapping


def test_kpi_summary_from_names_income_without_a_budget() -> None:
    got = {r["key"]: r for r in kpi_summary_from(_values(), DEFAULT_TARGETS, unbudgeted=["sponsorship"])}
    assert got["total_income"]["unbudgeted"] == got["surplus"]["unbudgeted"] == ["sponsorship"]
    assert all("unbudgeted" not in r for k, r in got.items() if k not in ("total_income", "surplus"))
    budgeted = dict(DEFAULT_TARGETS, income_budget=D("100"), budgeted_surplus=D("10"))
    got = {r["key"]: r for r in kpi_summary_from(_values(), budgeted, unbudgeted=["sponsorship"])}
    assert "unbudgeted" not in got["total_income"] and "unbudgeted" not in got["surplus"]  # judged


def test_kpi_summary_from_values_that_cannot_be_computed() -> None:
    """A rate over zero is None (what an empty conference gives): n/a, never missed, whatever the target."""
    targets = dict(DEFAULT_TARGETS, target_revenue_per_attendee=D("1"))
    got = kpi_summary_from(dict.fromkeys(_values()), targets)
    assert [r["status"] for r in got] == ["n/a"] * 8


@pytest.mark.parametrize(
    ("phase", "statuses"),
    [
        # attendance 300 of 400, conversion 2.9 of 3, check-in 0 of 80, fulfilment 10 of 90, refunds 1 of 5
        ("before sales", ["not yet"] * 6),
        ("on sale", ["not yet", "missed", "not yet", "not yet", "met"]),
        ("running", ["missed", "missed", "missed", "missed", "met"]),
        ("over", ["missed", "missed", "missed", "missed", "met"]),
    ],
)
def test_kpis_are_judged_only_in_a_phase_that_can_judge_them(phase: str, statuses: list[str]) -> None:
    values = _values(attendance=300, conversion_rate=D("2.9"), checkin_rate=D("0"), fulfillment_rate=D("10"),
                     refund_rate=D("1"))
    for left_out in ("revenue_per_attendee", "total_income", "surplus"):  # a KPI without a value is left out
        del values[left_out]
    targets = dict(DEFAULT_TARGETS, target_attendance=D("400"))
    got = kpi_summary_from(values, targets, phase)
    assert [r["status"] for r in got] == statuses[: len(got)]
    assert "✗" not in str(got) and all(r["judged_from"] in ("on sale", "running") for r in got)


# --- kpi_summary end to end (through revenue_per_attendee, cart_funnel, attendee_summary, -------
# --- sponsor_benefit_fulfillment and refund_metrics) ---------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "phase"),
    [("2026-01-31", "before sales"), ("2026-02-01", "on sale"), ("2026-04-30", "on sale"),
     ("2026-05-01", "running"), ("2026-05-03", "running"), ("2026-05-04", "over")],
)
def test_edition_phase_and_what_it_lets_kpi_summary_judge(hm: Handmade, monkeypatch, as_of, phase) -> None:
    from conference_reports.metrics.phase import edition_phase

    monkeypatch.setenv("CONFERENCE_REPORTS_AS_OF", as_of)
    conf = hm.conference("c", "2026-05-01", "2026-05-03", target_attendance=10)
    hm.add("program_registration_tickettype", conference_id=conf, name="Regular", slug="regular",
           price="100.00", available_from="2026-02-01 00:00:00.000000")
    got = run(hm.url, "c", edition_phase)
    assert got["phase"] == phase
    assert got["days_to_start"] == (dt.date(2026, 5, 1) - dt.date.fromisoformat(as_of)).days
    kpis = {r["key"]: r["status"] for r in run(hm.url, "c", kpi_summary)}
    judged = phase in ("running", "over")
    assert kpis["checkin_rate"] == ("n/a" if judged else "not yet")  # no attendees: nothing to compute
    assert kpis["attendance"] == ("missed" if judged else "not yet")  # 0 of 10
    assert kpis["conversion_rate"] == ("not yet" if phase == "before sales" else "n/a")


def test_kpi_summary_end_to_end(hm: Handmade) -> None:
    conf = hm.conference("c", "2026-05-01")
    people = People(hm)
    hm.add("program_conference_kpitargets", conference_id=conf, target_conversion_rate="50.00",
           target_fulfillment_rate="50.00", target_revenue_per_attendee="100.00")
    first = people.order(conf, "paid", "300.00")
    people.order(conf, "paid", "100.00")
    hm.add("program_registration_credit", conference_id=conf, user_id=people.user(), amount="20.00",
           remaining_amount="20.00", status="available", source_order_id=first)
    people.attendee(conf, checked_in_at="2026-05-01 09:00:00")
    for _ in range(3):
        people.attendee(conf)
    for status in ("checked_out", "checked_out", "open", "expired"):
        hm.add("program_registration_cart", conference_id=conf, user_id=people.user(), status=status)
    level = hm.add("program_sponsors_sponsorlevel", conference_id=conf, name="Gold", slug="gold", cost="1000")
    sponsor = hm.add("program_sponsors_sponsor", conference_id=conf, level_id=level, name="S", slug="s",
                     is_active=1)
    hm.add("program_sponsors_sponsorbenefit", sponsor_id=sponsor, name="Logo", is_complete=1)
    hm.add("program_sponsors_sponsorbenefit", sponsor_id=sponsor, name="Booth", is_complete=0)

    got = {r["key"]: (r["value"], r["target"], r["status"]) for r in run(hm.url, "c", kpi_summary)}
    assert got.pop("attendance") == (4, None, "no target")  # the conference sets no target_attendance
    # 400.00 of paid orders less the 20.00 refund credit, plus the active Gold sponsor's 1000.00; no budgets
    assert got.pop("total_income") == (D("1380.00"), None, "no target")
    assert got.pop("surplus") == (D("1380.00"), None, "no target")  # no expenses
    # neither a revenue budget nor a sponsorship goal (the Gold level sells sponsorship): both named
    records = {r["key"]: r for r in run(hm.url, "c", kpi_summary)}
    assert records["total_income"]["unbudgeted"] == records["surplus"]["unbudgeted"] == [
        "registrations", "sponsorship"]
    assert "unbudgeted" not in records["attendance"]  # not a budget: nothing to say why it is missing
    assert got == {
        "revenue_per_attendee": (D("95"), D("100.00"), "missed"),  # (400 - 20) / 4
        "conversion_rate": (D("50"), D("50.00"), "met"),  # 2 of 4 carts
        "checkin_rate": (D("25.0"), D("80.0"), "missed"),  # 1 of 4 attendees
        "fulfillment_rate": (D("50"), D("50.00"), "met"),  # 1 of 2 benefits
        "refund_rate": (D("5"), D("5.0"), "met"),  # 20 / 400, at the limit
    }


def test_kpi_summary_empty_conference(empty: str) -> None:
    """No attendees, carts, benefits or revenue: every rate divides by zero, so each is n/a."""
    got = run(empty, "empty", kpi_summary)
    assert [r["value"] for r in got] == [0, D("0.00"), D("0.00")] + [None] * 5
    assert [r["status"] for r in got] == ["no target"] * 3 + ["n/a"] * 5


def test_each_target_says_where_it_comes_from(hm: Handmade) -> None:
    """params beat the database, the database beats django-program's default; unset targets have none."""
    from conference_reports.params import ConferenceParams

    conf = hm.conference("c", "2026-05-01", target_attendance=300)
    hm.add("program_conference_kpitargets", conference_id=conf, target_checkin_rate="70.00")
    params = ConferenceParams(slug="c", targets={"target_conversion_rate": D("4")})
    got = {r["key"]: r["target_origin"] for r in run(hm.url, "c", kpi_summary, params=params)}
    assert got == {
        "attendance": "database",  # the conference's target_attendance
        "total_income": None, "surplus": None,  # no budgets set: no target, so no origin
        "revenue_per_attendee": None,  # no target anywhere
        "conversion_rate": "params",
        "checkin_rate": "database",
        "fulfillment_rate": "default",
        "refund_rate": "default",
    }

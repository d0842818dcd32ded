"""Known answers for the suite's new sponsor and payment metrics on hand-built data (SQLite and
PostgreSQL): outstanding_benefits, active_sponsor_renewal, payment_status_summary; their charts."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from conference_reports import charts
from conference_reports.metrics.ledger import payment_status_summary
from conference_reports.metrics.sponsors import (
    active_sponsor_renewal,
    outstanding_benefits,
    sponsor_analytics,
    sponsor_benefit_fulfillment,
)
from support.backends import run
from support.handmade import Handmade

SP = "program_sponsors_"
REG = "program_registration_"


@pytest.fixture
def hm(tmp_path) -> Handmade:
    return Handmade(tmp_path / "db.sqlite3")


@pytest.fixture
def sponsors(hm: Handmade) -> Handmade:
    """Conference c (2026) with levels Gold, Silver, Bronze (Bronze: no sponsor, no benefit); an
    earlier conference (2025) whose sponsors were Acme (active) and Beta (inactive)."""
    conf = hm.conference("c", "2026-05-01")
    old = hm.conference("old", "2025-05-01")
    later = hm.conference("later", "2027-05-01")
    gold = hm.add(f"{SP}sponsorlevel", conference_id=conf, name="Gold", slug="gold", cost="1000.00", order=0)
    silver = hm.add(f"{SP}sponsorlevel", conference_id=conf, name="Silver", slug="silver", cost="500.00",
                    order=1)
    hm.add(f"{SP}sponsorlevel", conference_id=conf, name="Bronze", slug="bronze", cost="100.00", order=2)
    old_level = hm.add(f"{SP}sponsorlevel", conference_id=old, name="Gold", slug="gold", cost="900.00")
    later_level = hm.add(f"{SP}sponsorlevel", conference_id=later, name="Gold", slug="gold", cost="900.00")
    hm.add(f"{SP}sponsor", conference_id=old, level_id=old_level, name="Acme", slug="acme", is_active=1)
    hm.add(f"{SP}sponsor", conference_id=old, level_id=old_level, name="Beta", slug="beta", is_active=0)
    # a later conference's sponsor never makes one here "returning"
    hm.add(f"{SP}sponsor", conference_id=later, level_id=later_level, name="Cyan", slug="cyan", is_active=1)

    def sponsor(name: str, level: int, active: int, benefits: list[tuple[str, int]]) -> None:
        s = hm.add(f"{SP}sponsor", conference_id=conf, level_id=level, name=name, slug=name.lower(),
                   is_active=active)
        for benefit, done in benefits:
            hm.add(f"{SP}sponsorbenefit", sponsor_id=s, name=benefit, is_complete=done)

    sponsor("Acme", gold, 1, [("Logo", 1), ("Booth", 0), ("Keynote mention", 0)])
    sponsor("Beta", gold, 1, [("Logo", 1)])  # earlier Beta was inactive: new among active sponsors
    sponsor("Cyan", silver, 1, [])
    sponsor("Dusk", silver, 0, [("Logo", 0)])  # inactive: not counted as a sponsor, its benefit is
    return hm


def test_outstanding_benefits_name_each_one(sponsors: Handmade, url_of) -> None:
    got = run(url_of(sponsors), "c", outstanding_benefits)
    assert got["outstanding_count"] == 3
    assert got["benefits"] == [
        {"sponsor_name": "Acme", "is_active": True, "level": "Gold", "benefit": "Booth"},
        {"sponsor_name": "Acme", "is_active": True, "level": "Gold", "benefit": "Keynote mention"},
        {"sponsor_name": "Dusk", "is_active": False, "level": "Silver", "benefit": "Logo"},
    ]
    assert got["by_level"] == [
        {"level_name": "Gold", "total_benefits": 4, "outstanding": 2},
        {"level_name": "Silver", "total_benefits": 1, "outstanding": 1},
        {"level_name": "Bronze", "total_benefits": 0, "outstanding": 0},
    ]
    # the same benefits as django-program's fulfilment counts
    assert run(url_of(sponsors), "c", sponsor_benefit_fulfillment)["pending"] == got["outstanding_count"]


def test_active_sponsor_renewal_agrees_with_the_goal_table(sponsors: Handmade, url_of) -> None:
    got = run(url_of(sponsors), "c", active_sponsor_renewal)
    # active here: Acme, Beta (Gold), Cyan (Silver); only Acme was an active sponsor earlier
    assert got["active_sponsor_count"] == 3
    assert got["returning_count"] == 1
    assert got["new_count"] == 2
    assert D(got["renewal_rate"]).quantize(D("0.01")) == D("33.33")
    assert got["by_level"] == [
        {"level_name": "Gold", "total": 2, "returning": 1, "new": 1},
        {"level_name": "Silver", "total": 1, "returning": 0, "new": 1},
        {"level_name": "Bronze", "total": 0, "returning": 0, "new": 0},
    ]
    analytics = run(url_of(sponsors), "c", sponsor_analytics)
    assert [lv["sponsor_count"] for lv in analytics["by_level"]] == [r["total"] for r in got["by_level"]]


def test_payment_status_summary_known_answer(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2026-05-01")
    other = hm.conference("other", "2025-05-01")
    orders = {}
    placed = [(conf, "paid"), (conf, "pending"), (conf, "cancelled"), (other, "paid")]
    for n, (where, status) in enumerate(placed):
        user = hm.user(f"u{n}")
        orders[n] = hm.add(f"{REG}order", conference_id=where, user_id=user, status=status, subtotal="100.00",
                           discount_amount="0.00", total="100.00", reference=f"ORD-{n}")
    for order, status, amount in [
        (0, "succeeded", "100.00"),
        (0, "failed", "100.10"),
        (0, "failed", "0.20"),
        (1, "pending", "40.05"),
        (2, "processing", "12.00"),
        (2, "refunded", "7.50"),
        (3, "succeeded", "999.00"),  # another conference's
        (3, "failed", "999.00"),
    ]:
        hm.add(f"{REG}payment", order_id=orders[order], status=status, amount=amount, method="stripe")
    got = run(url_of(hm), "c", payment_status_summary)
    assert got["by_status"] == [
        {"status": "succeeded", "count": 1, "amount": D("100.00")},
        {"status": "pending", "count": 1, "amount": D("40.05")},
        {"status": "processing", "count": 1, "amount": D("12.00")},
        {"status": "failed", "count": 2, "amount": D("100.30")},
        {"status": "refunded", "count": 1, "amount": D("7.50")},
    ]
    assert (got["payment_count"], got["total_amount"]) == (6, D("259.85"))
    assert (got["failed_count"], got["failed_amount"]) == (2, D("100.30"))
    assert (got["unsettled_count"], got["unsettled_amount"]) == (2, D("52.05"))
    assert all(isinstance(r["amount"], D) for r in got["by_status"])


def test_empty_conference_never_raises(hm: Handmade, url_of) -> None:
    hm.conference("empty", "2026-05-01")
    url = url_of(hm)
    assert run(url, "empty", outstanding_benefits) == {"outstanding_count": 0, "benefits": [], "by_level": []}
    renewal = run(url, "empty", active_sponsor_renewal)
    assert (renewal["active_sponsor_count"], renewal["renewal_rate"], renewal["by_level"]) == (0, D("0"), [])
    payments = run(url, "empty", payment_status_summary)
    assert payments["payment_count"] == 0 and payments["total_amount"] == D("0")
    assert [r["count"] for r in payments["by_status"]] == [0, 0, 0, 0, 0]


OUTSTANDING = {
    "outstanding_count": 2,
    "benefits": [
        {"sponsor_name": "Acme", "is_active": True, "level": "Gold", "benefit": "Booth"},
        {"sponsor_name": "Dusk", "is_active": False, "level": "Silver", "benefit": "Logo"},
    ],
    "by_level": [
        {"level_name": "Gold", "total_benefits": 4, "outstanding": 1},
        {"level_name": "Silver", "total_benefits": 1, "outstanding": 1},
        {"level_name": "Bronze", "total_benefits": 0, "outstanding": 0},
        {"level_name": "Tin", "total_benefits": 2, "outstanding": 0},
    ],
}


def _cells(html: str) -> list[list[str]]:
    import re

    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)][1:]


def test_outstanding_table_names_benefits_and_dashes_empty_levels() -> None:
    rows = _cells(charts.outstanding_benefits_by_level(OUTSTANDING).data)
    assert rows == [
        ["Gold", "4", "1", "Acme: Booth"],
        ["Silver", "1", "1", "Dusk: Logo"],
        ["Bronze", "—", "—", "—"],
        ["Tin", "2", "0", "none"],
    ]
    listed = _cells(charts.outstanding_benefits_list(OUTSTANDING).data)
    assert listed == [["Acme", "Gold", "Booth", "yes"], ["Dusk", "Silver", "Logo", "no (inactive sponsor)"]]


def test_renewal_and_goal_charts_say_active_sponsors() -> None:
    value = {"active_sponsor_count": 3, "returning_count": 1, "new_count": 2, "renewal_rate": D("33.33"),
             "by_level": [{"level_name": "Gold", "total": 2, "returning": 1, "new": 1}]}
    renewal = json.dumps(charts.active_sponsor_renewal_by_level(value).to_dict())
    assert "Sponsor renewal (active sponsors)" in renewal and "new of 3 active sponsors" in renewal
    goals = json.dumps(charts.sponsor_analytics_level_goals(
        [{"level_name": "Gold", "level_slug": "gold", "sponsor_count": 2}], {"Gold": 3}).to_dict())
    assert "Active sponsors per level against goals" in goals
    assert "All sponsors" not in renewal


def test_failed_and_pending_payments_are_shown() -> None:
    value = {"by_status": [{"status": "succeeded", "count": 5, "amount": D("500")},
                           {"status": "pending", "count": 1, "amount": D("40.05")},
                           {"status": "processing", "count": 0, "amount": D("0")},
                           {"status": "failed", "count": 2, "amount": D("100.30")}],
             "failed_count": 2, "failed_amount": D("100.30"), "unsettled_count": 1,
             "unsettled_amount": D("40.05")}
    s = json.dumps(charts.payment_status_summary_by_status(value).to_dict(), ensure_ascii=False)
    assert "2 failed payments ($100.30); 1 pending or processing ($40.05)" in s
    assert "2 · $100.30" in s and "1 · $40.05" in s and "Processing" not in s

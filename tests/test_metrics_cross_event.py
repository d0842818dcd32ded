"""Known answers for the cross-event metrics on small hand-built data (SQLite and PostgreSQL).

The scenario: y2028 < y2029 < y2030 < y2031 by start date, and twin2030 starting the same day as
y2030 (so it is not "previous" to it). Most assertions look at y2030.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from conference_reports.metrics.cross_event import (
    attendee_lifetime_value,
    lifetime_value_all_editions,
    speaker_return_rate,
    sponsor_renewal_rate,
    yoy_growth,
    yoy_retention,
)
from support.backends import run
from support.handmade import Handmade

_names = itertools.count()
_codes = itertools.count()


def _attend(hm: Handmade, conf: int, *users: int) -> None:
    for user in users:
        code = f"A{next(_codes)}"
        hm.add("program_registration_attendee", conference_id=conf, user_id=user, access_code=code)


def _order(hm: Handmade, conf: int, user: int, status: str, total: str) -> None:
    hm.add("program_registration_order", conference_id=conf, user_id=user, status=status, total=float(total),
           reference=f"ORD-{next(_codes)}")


def _sponsor(hm: Handmade, conf: int, level: int, name: str, active: int = 1) -> None:
    hm.add("program_sponsors_sponsor", conference_id=conf, level_id=level, name=name,
           slug=f"s{next(_codes)}", is_active=active)


def _level(hm: Handmade, conf: int, name: str, order: int) -> int:
    table = "program_sponsors_sponsorlevel"
    return hm.add(table, conference_id=conf, name=name, slug=name.lower(), order=order)


def _speaker(hm: Handmade, conf: int, name: str, email: str, user: int | None = None) -> None:
    hm.add("program_pretalx_speaker", conference_id=conf, pretalx_code=f"S{next(_codes)}", name=name,
           email=email, user_id=user)


def _talks(hm: Handmade, conf: int, n: int) -> None:
    for _ in range(n):
        hm.add("program_pretalx_talk", conference_id=conf, pretalx_code=f"T{next(_codes)}", tags="[]")


@pytest.fixture
def scenario(tmp_path) -> Handmade:
    hm = Handmade(tmp_path / "db.sqlite3")
    # created out of date order on purpose: "previous" goes by start_date, not id
    y2030 = hm.conference("y2030", "2030-06-01", name="PyCon 2030")
    y2028 = hm.conference("y2028", "2028-06-01", name="PyCon 2028")
    y2031 = hm.conference("y2031", "2031-06-01", name="PyCon 2031")
    y2029 = hm.conference("y2029", "2029-06-01", name="PyCon 2029")
    twin = hm.conference("twin2030", "2030-06-01", name="Twin 2030")
    hm.conference("empty", "2032-01-01")
    u1, u2, u3, u4, u5, u6 = (hm.user(f"u{i}") for i in range(1, 7))

    _attend(hm, y2028, u1, u2, u3)
    _attend(hm, y2029, u2, u4)
    _attend(hm, y2030, u1, u2, u5, u6)
    _attend(hm, twin, u5)  # same start date: not previous
    _attend(hm, y2031, u6)  # later: not previous

    _order(hm, y2030, u1, "paid", "100.00")
    _order(hm, y2028, u1, "paid", "50.00")
    _order(hm, y2031, u1, "partially_refunded", "25.50")  # a future conference still counts for LTV
    _order(hm, y2029, u1, "refunded", "999.00")  # not paid
    _order(hm, y2030, u2, "partially_refunded", "200.00")
    _order(hm, y2030, u2, "paid", "10.00")
    _order(hm, y2030, u5, "pending", "500.00")  # not paid here: u5 is not in the LTV cohort
    _order(hm, twin, u5, "paid", "300.00")
    _order(hm, y2030, u6, "paid", "0.00")  # comp order
    _order(hm, y2028, u3, "paid", "1000.00")

    old_gold = _level(hm, y2028, "Gold", 1)
    _sponsor(hm, y2028, old_gold, "Acme")
    _sponsor(hm, y2028, old_gold, "Globex", active=0)  # inactive sponsors count as previous
    _sponsor(hm, y2029, _level(hm, y2029, "Gold", 1), "Initech")
    _sponsor(hm, twin, _level(hm, twin, "Gold", 1), "Umbrella")
    bronze = _level(hm, y2030, "Bronze", 3)
    silver = _level(hm, y2030, "Silver", 2)
    gold = _level(hm, y2030, "Gold", 1)
    assert bronze
    _sponsor(hm, y2030, gold, "Acme")
    _sponsor(hm, y2030, gold, "Initech")
    _sponsor(hm, y2030, silver, "Globex")
    _sponsor(hm, y2030, silver, "acme")  # case differs: new
    _sponsor(hm, y2030, silver, "Umbrella")  # only at the twin: new
    _sponsor(hm, y2030, silver, "Acme", active=0)  # a second Acme row

    _speaker(hm, y2028, "Ann", "ann@example.com", u1)
    _speaker(hm, y2028, "Bob", "bob@example.com")
    _speaker(hm, y2028, "Cy", "cy@example.com")
    _speaker(hm, y2029, "Dee", "dee@example.com", u3)
    _speaker(hm, twin, "Eve", "eve@example.com", u4)
    _speaker(hm, y2030, "Ann Renamed", "new@example.com", u1)  # returning by user
    _speaker(hm, y2030, "Bob", "bob@example.com")  # returning by (name, email)
    _speaker(hm, y2030, "Cy", "cy@example.com", u2)  # linked: never matches the unlinked Cy
    _speaker(hm, y2030, "Dee", "dee@example.com")  # unlinked: never matches the linked Dee
    _speaker(hm, y2030, "Eve", "eve@example.com", u4)  # only at the twin
    _speaker(hm, y2030, "bob", "bob@example.com")  # case differs

    _talks(hm, y2028, 4)
    _talks(hm, y2030, 3)
    return hm


# --- retention --------------------------------------------------------------------------------------


def test_yoy_retention(scenario: Handmade, url_of) -> None:
    assert run(url_of(scenario), "y2030", yoy_retention) == {
        "current_attendee_count": 4,
        "returning_count": 2,  # u1 (2028), u2 (2028 and 2029)
        "new_count": 2,
        "retention_rate": Decimal(50),
        "previous_conferences": [  # newest first
            {"name": "PyCon 2029", "slug": "y2029", "shared_attendee_count": 1},
            {"name": "PyCon 2028", "slug": "y2028", "shared_attendee_count": 2},
        ],
    }


# --- lifetime value ---------------------------------------------------------------------------------


def test_attendee_lifetime_value(scenario: Handmade, url_of) -> None:
    got = run(url_of(scenario), "y2030", attendee_lifetime_value)
    assert got == {
        "avg_ltv": Decimal("128.50"),  # (175.50 + 210.00 + 0.00) / 3
        "max_ltv": Decimal("210.00"),
        "min_ltv": Decimal("0.00"),
        "total_users_with_orders": 3,
        "top_users": [
            {"username": "u2", "email": "u2@example.com", "total_spent": Decimal("210.00"),
             "order_count": 2, "conferences_attended": 1},
            {"username": "u1", "email": "u1@example.com", "total_spent": Decimal("175.50"),
             "order_count": 3, "conferences_attended": 3},
            {"username": "u6", "email": "u6@example.com", "total_spent": Decimal("0.00"),
             "order_count": 1, "conferences_attended": 1},
        ],
    }


def test_lifetime_value_across_every_edition(scenario: Handmade, url_of) -> None:
    """Every buyer with a paid order anywhere, so the newest edition without orders does not empty it."""
    got = run(url_of(scenario), "empty", lambda conn, _conference: lifetime_value_all_editions(conn))
    # u1 175.50 (3 editions), u2 210.00, u5 300.00 (twin only: its y2030 order is pending), u6 0.00,
    # u3 1000.00 (y2028): five buyers, 1685.50 in all
    assert got["total_users_with_orders"] == 5
    assert got["avg_ltv"] == Decimal("1685.50") / 5
    assert (got["max_ltv"], got["min_ltv"]) == (Decimal("1000.00"), Decimal("0.00"))
    assert [u["username"] for u in got["top_users"]] == ["u3", "u5", "u2", "u1", "u6"]
    assert run(url_of(scenario), "empty", attendee_lifetime_value)["total_users_with_orders"] == 0


def test_lifetime_value_keeps_the_top_twenty_ties_by_user_id(tmp_path, url_of) -> None:
    hm = Handmade(tmp_path / "db.sqlite3")
    conf = hm.conference("c", "2030-01-01")
    users = [hm.user(f"buyer{i:02d}") for i in range(22)]
    for user in users[:21]:
        _order(hm, conf, user, "paid", "10.00")
    _order(hm, conf, users[21], "paid", "20.00")

    got = run(url_of(hm), "c", attendee_lifetime_value)

    assert got["total_users_with_orders"] == 22
    assert got["avg_ltv"] == Decimal("230.00") / 22
    assert [u["username"] for u in got["top_users"]] == ["buyer21", *(f"buyer{i:02d}" for i in range(19))]


# --- sponsor renewal ----------------------------------------------------------------------------------


def test_sponsor_renewal_rate_matches_exact_names(scenario: Handmade, url_of) -> None:
    assert run(url_of(scenario), "y2030", sponsor_renewal_rate) == {
        "current_sponsor_count": 5,  # distinct names: Acme, Initech, Globex, acme, Umbrella
        "returning_count": 3,  # Acme, Initech, Globex
        "new_count": 2,
        "renewal_rate": Decimal(60),
        "by_level": [  # by level order; total counts rows, returning counts distinct names
            {"level_name": "Gold", "total": 2, "returning": 2, "new": 0},
            {"level_name": "Silver", "total": 4, "returning": 2, "new": 2},
            {"level_name": "Bronze", "total": 0, "returning": 0, "new": 0},
        ],
    }


# --- speaker return ---------------------------------------------------------------------------------


def test_speaker_return_rate_by_user_else_name_and_email(scenario: Handmade, url_of) -> None:
    assert run(url_of(scenario), "y2030", speaker_return_rate) == {
        "current_speaker_count": 6,
        "returning_count": 2,  # Ann by user, Bob by (name, email)
        "new_count": 4,
        "return_rate": Decimal(2) / Decimal(6) * 100,
    }


# --- growth ---------------------------------------------------------------------------------------


def test_yoy_growth(scenario: Handmade, url_of) -> None:
    y2028 = {"name": "PyCon 2028", "attendance": 3, "revenue": Decimal("1050.00"), "sponsors": 2, "talks": 4}
    y2029 = {"name": "PyCon 2029", "attendance": 2, "revenue": Decimal("0.00"), "sponsors": 1, "talks": 0,
             "attendance_growth_pct": Decimal(-1) / Decimal(3) * 100, "revenue_growth_pct": Decimal(-100)}
    current = {"name": "PyCon 2030", "attendance": 4, "revenue": Decimal("310.00"), "sponsors": 6, "talks": 3,
               "attendance_growth_pct": Decimal(100), "revenue_growth_pct": Decimal(0)}  # 0: previous was 0
    assert run(url_of(scenario), "y2030", yoy_growth) == {
        "current": current,
        "history": [y2029, y2028],  # newest first; the oldest has no growth figures
        "attendance_growth_pct": Decimal(100),
        "revenue_growth_pct": Decimal(0),
        "sponsors_growth_pct": Decimal(500),
        "talks_growth_pct": Decimal(0),
    }


# --- first year and empty conference -------------------------------------------------------------------


def test_first_year_conference_has_no_history(scenario: Handmade, url_of) -> None:
    url = url_of(scenario)
    assert run(url, "y2028", yoy_retention) == {
        "current_attendee_count": 3, "returning_count": 0, "new_count": 3, "retention_rate": 0,
        "previous_conferences": [],
    }
    assert run(url, "y2028", sponsor_renewal_rate) == {
        "current_sponsor_count": 2, "returning_count": 0, "new_count": 2, "renewal_rate": 0,
        "by_level": [{"level_name": "Gold", "total": 2, "returning": 0, "new": 2}],
    }
    assert run(url, "y2028", speaker_return_rate) == {
        "current_speaker_count": 3, "returning_count": 0, "new_count": 3, "return_rate": 0,
    }
    assert run(url, "y2028", yoy_growth) == {
        "current": {"name": "PyCon 2028", "attendance": 3, "revenue": Decimal("1050.00"), "sponsors": 2,
                    "talks": 4},
        "history": [],
    }


def test_empty_conference_gives_zeros(scenario: Handmade, url_of) -> None:
    url = url_of(scenario)
    retention = run(url, "empty", yoy_retention)
    assert retention["current_attendee_count"] == retention["returning_count"] == 0
    assert retention["retention_rate"] == 0
    slugs = [p["slug"] for p in retention["previous_conferences"]]  # newest first; twins in either order
    assert (slugs[0], sorted(slugs[1:3]), slugs[3:]) == ("y2031", ["twin2030", "y2030"], ["y2029", "y2028"])
    assert all(p["shared_attendee_count"] == 0 for p in retention["previous_conferences"])
    assert run(url, "empty", attendee_lifetime_value) == {
        "avg_ltv": 0, "max_ltv": 0, "min_ltv": 0, "total_users_with_orders": 0, "top_users": [],
    }
    assert run(url, "empty", sponsor_renewal_rate) == {
        "current_sponsor_count": 0, "returning_count": 0, "new_count": 0, "renewal_rate": 0, "by_level": [],
    }
    assert run(url, "empty", speaker_return_rate) == {
        "current_speaker_count": 0, "returning_count": 0, "new_count": 0, "return_rate": 0,
    }
    growth = run(url, "empty", yoy_growth)
    assert growth["current"] == {"name": "empty", "attendance": 0, "revenue": 0, "sponsors": 0, "talks": 0,
                                 "attendance_growth_pct": -100, "revenue_growth_pct": -100}
    assert growth["attendance_growth_pct"] == -100  # against y2031: 1 attendee, 25.50 paid
    assert growth["sponsors_growth_pct"] == growth["talks_growth_pct"] == 0  # y2031 had none


# --- series retention ---------------------------------------------------------------------------------


def test_series_retention_follows_the_series_and_the_phase(tmp_path, url_of, monkeypatch) -> None:
    from conference_reports.metrics.cross_event import series_retention
    from conference_reports.params import ConferenceParams

    monkeypatch.setenv("CONFERENCE_REPORTS_AS_OF", "2026-06-01")
    hm = Handmade(tmp_path / "db.sqlite3")
    py24, py25 = hm.conference("py-2024", "2024-05-01"), hm.conference("py-2025", "2025-05-01")
    py26 = hm.conference("py-2026", "2026-09-01")  # not yet held on 2026-06-01
    regio25 = hm.conference("regio-2025", "2025-03-01")
    u1, u2, u3, u4 = (hm.user(f"u{i}") for i in range(1, 5))
    _attend(hm, py24, u1, u2, u3)
    _attend(hm, regio25, u4)  # another series: never counts for py-2025
    _attend(hm, py25, u1, u2, u4, hm.user("u5"))  # u1, u2 came to py-2024; u4 only to regio-2025
    _attend(hm, py26, u1)
    url = url_of(hm)

    first = run(url, "py-2024", series_retention)
    assert (first["previous"], first["retention_rate"], first["status"]) == (None, None, "n/a")
    second = run(url, "py-2025", series_retention)
    assert second["previous"] == "py-2024" and second["returning_count"] == 2
    assert second["retention_rate"] == Decimal(50) and second["status"] is None  # 2 of 4 attendees
    upcoming = run(url, "py-2026", series_retention)
    assert (upcoming["previous"], upcoming["retention_rate"]) == ("py-2025", None)
    assert upcoming["status"] == "not yet"
    # params may put regio-2025 in the py series: then it is py-2025's previous edition
    moved = run(url, "py-2025", series_retention, params=ConferenceParams(slug="py-2025", series="regio"))
    assert moved["previous"] == "regio-2025" and moved["retention_rate"] == Decimal(25)  # u4 of 4

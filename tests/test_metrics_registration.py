"""Known answers for the registration and revenue metrics on small hand-built databases.

Every expected figure is worked out by hand from the rows the builders add (see the comments).
Each test runs on SQLite and on a PostgreSQL copy of the same rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conference_reports.metrics.registration import (
    aov_by_date,
    cart_funnel,
    letter_request_summary,
    registration_flow,
    sales_by_date,
    ticket_sales_ratio,
)
from conference_reports.metrics.revenue import (
    cumulative_revenue,
    revenue_breakdown,
    revenue_by_ticket_type,
    revenue_per_attendee,
)
from support.backends import Backend, run
from support.handmade import Handmade

D = Decimal
REG = "program_registration_"
UTC = ZoneInfo("UTC")
CHICAGO = ZoneInfo("America/Chicago")
DATED = [sales_by_date, aov_by_date, cumulative_revenue, revenue_by_ticket_type, registration_flow]


def at(text: str) -> dt.datetime:
    """An aware UTC instant from 'YYYY-MM-DD HH:MM[:SS[.ffffff]]'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# --- the "sales" world -----------------------------------------------------------------------------------


def _sales(h: Handmade) -> None:
    """pycon-2026 with three ticket types, an add-on, eight orders, credits, attendees, sponsors.

    Paid set (paid, partially_refunded): o1 155.00, o2 200.00, o5 0.00, o6 0.30 -> gross 355.30.
    """
    conf = h.conference("pycon-2026", "2026-06-01")
    other = h.conference("other-2026", "2026-07-01")
    users = [h.user(f"u{i}") for i in range(6)]
    early = h.add(f"{REG}tickettype", conference_id=conf, name="Early Bird", slug="early", price=100,
                  order=1, total_quantity=10, available_from=at("2026-01-01 00:00"),
                  available_until=at("2026-03-01 12:30:00.250000"))
    regular = h.add(f"{REG}tickettype", conference_id=conf, name="Regular", slug="regular", price=100,
                    order=2, total_quantity=0)
    speaker = h.add(f"{REG}tickettype", conference_id=conf, name="Speaker", slug="speaker", price=0,
                    order=2, total_quantity=4, available_from=at("2026-01-01 00:00"))
    shirt = h.add(f"{REG}addon", conference_id=conf, name="Shirt", slug="shirt", price=25)
    other_tt = h.add(f"{REG}tickettype", conference_id=other, name="Regular", slug="regular", price=900)

    def order(key: str, status: str, total: Any, created: str, updated: str | None = None,
              conference: int = conf) -> int:
        return h.add(f"{REG}order", conference_id=conference, user_id=users[0], status=status, total=total,
                     subtotal=total, reference=f"ORD-{key}", created_at=at(created),
                     updated_at=at(updated or created))

    def line(order_id: int, qty: int, total: Any, ticket: int | None = None,
             addon: int | None = None) -> None:
        h.add(f"{REG}orderlineitem", order_id=order_id, quantity=qty, unit_price=total, line_total=total,
              ticket_type_id=ticket, addon_id=addon)

    o1 = order("o1", "paid", 155, "2026-05-01 15:00")
    line(o1, 1, 100, ticket=early)
    line(o1, 2, 50, addon=shirt)
    line(o1, 1, 5)  # product deleted: neither ticket nor add-on, ignored by the breakdown
    o2 = order("o2", "partially_refunded", 200, "2026-05-01 18:00")
    line(o2, 2, 200, ticket=regular)
    o3 = order("o3", "refunded", 100, "2026-05-02 10:00")
    line(o3, 1, 100, ticket=early)
    o4 = order("o4", "pending", 100, "2026-05-02 11:00")
    line(o4, 1, 100, ticket=early)
    o5 = order("o5", "paid", 0, "2026-05-03 09:00")
    line(o5, 1, 0, ticket=speaker)
    o6 = order("o6", "paid", 0.3, "2026-05-03 10:00")
    line(o6, 1, 0.1, ticket=regular)
    line(o6, 1, 0.2, addon=shirt)
    order("o7", "cancelled", 100, "2026-05-02 20:00", updated="2026-05-04 08:00")
    order("o8", "cancelled", 100, "2026-04-20 12:00", updated="2026-05-01 12:00")
    b1 = order("b1", "paid", 900, "2026-05-01 15:00", conference=other)
    line(b1, 1, 900, ticket=other_tt)

    # refunds of o3 (100) and o2 (50) count; a goodwill credit (no source) and other-2026's refund do not
    h.add(f"{REG}credit", conference_id=conf, user_id=users[0], amount=100, source_order_id=o3)
    h.add(f"{REG}credit", conference_id=conf, user_id=users[0], amount=50, source_order_id=o2)
    h.add(f"{REG}credit", conference_id=conf, user_id=users[0], amount=25)
    h.add(f"{REG}credit", conference_id=other, user_id=users[0], amount=70, source_order_id=b1)

    registered = ("2026-05-01 15:05", "2026-05-01 18:05", "2026-05-03 09:05", "2026-05-03 10:05")
    for i, created in enumerate(registered):
        h.add(f"{REG}attendee", conference_id=conf, user_id=users[i], access_code=f"A{i}",
              created_at=at(created))
    h.add(f"{REG}attendee", conference_id=other, user_id=users[5], access_code="B0",
          created_at=at("2026-05-01 15:05"))

    gold = h.add("program_sponsors_sponsorlevel", conference_id=conf, name="Gold", slug="gold", cost=1000)
    silver = h.add("program_sponsors_sponsorlevel", conference_id=conf, name="Silver", slug="silver",
                   cost=149.7)
    elsewhere = h.add("program_sponsors_sponsorlevel", conference_id=other, name="Gold", slug="gold",
                      cost=5000)
    for name, level, active, conference in (
        ("Acme", gold, 1, conf), ("Beta", gold, 1, conf), ("Gone", gold, 0, conf),
        ("Cee", silver, 1, conf), ("Far", elsewhere, 1, other),
    ):
        h.add("program_sponsors_sponsor", conference_id=conference, level_id=level, name=name,
              slug=name.lower(), is_active=active)


@pytest.fixture(scope="module")
def sales_url(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> str:
    h = Handmade(tmp_path_factory.mktemp("sales") / "db.sqlite3")
    _sales(h)
    return backend.url(h)


def test_revenue_per_attendee(sales_url: str) -> None:
    # gross 355.30 - refund credits (100 + 50) = 205.30 over 4 attendees = 51.325
    got = run(sales_url, "pycon-2026", revenue_per_attendee)
    assert got == {"net_revenue": D("205.30"), "attendee_count": 4, "revenue_per_attendee": D("51.325")}


def test_revenue_breakdown(sales_url: str) -> None:
    # tickets 100 + 200 + 0 + 0.10 = 300.10; add-ons 50 + 0.20 = 50.20; sponsors 2 x 1000 + 149.70 = 2149.70
    got = run(sales_url, "pycon-2026", revenue_breakdown)
    assert got == {
        "ticket_revenue": D("300.10"), "addon_revenue": D("50.20"), "sponsor_revenue": D("2149.70"),
        "total_revenue": D("2500.00"),
        "ticket_pct": D("12.004"), "addon_pct": D("2.008"), "sponsor_pct": D("85.988"),
    }


def test_ticket_sales_ratio(sales_url: str) -> None:
    got = run(sales_url, "pycon-2026", ticket_sales_ratio)
    assert [r["name"] for r in got] == ["Early Bird", "Regular", "Speaker"]  # order 1, then order 2 by name
    early, regular, speaker = got
    # Early Bird: o1 only (o3 refunded, o4 pending); 1 of 10
    assert early | {"revenue_pct": None} == {
        "name": "Early Bird", "sold": 1, "revenue": D("100.00"), "is_early_bird": True,
        "availability_window": "2026-01-01 00:00:00+00:00 - 2026-03-01 12:30:00.250000+00:00",
        "capacity": 10, "fill_rate": D("10"), "revenue_pct": None,
    }
    # Regular: o2 (2) + o6 (1); unlimited
    assert regular | {"revenue_pct": None} == {
        "name": "Regular", "sold": 3, "revenue": D("200.10"), "is_early_bird": False,
        "availability_window": "Always available", "capacity": None, "fill_rate": None, "revenue_pct": None,
    }
    # Speaker: a comp line; only available_from set, so not an early bird
    assert speaker == {
        "name": "Speaker", "sold": 1, "revenue": D("0.00"), "is_early_bird": False,
        "availability_window": "Always available", "capacity": 4, "fill_rate": D("25"), "revenue_pct": 0,
    }
    # shares of 300.10: 100/300.10 and 200.10/300.10
    assert abs(early["revenue_pct"] - D("33.322225924")) < D("1e-8")
    assert abs(regular["revenue_pct"] - D("66.677774075")) < D("1e-8")


def test_sales_dated_in_utc(sales_url: str) -> None:
    assert run(sales_url, "pycon-2026", aov_by_date, zone=UTC) == [
        {"date": "2026-05-01", "aov": D("177.50"), "count": 2},  # (155 + 200) / 2
        {"date": "2026-05-03", "aov": D("0.15"), "count": 2},  # (0 + 0.30) / 2
    ]
    assert run(sales_url, "pycon-2026", cumulative_revenue, zone=UTC) == [
        {"date": "2026-05-01", "daily": D("355.00"), "cumulative": D("355.00")},
        {"date": "2026-05-03", "daily": D("0.30"), "cumulative": D("355.30")},
    ]
    assert run(sales_url, "pycon-2026", revenue_by_ticket_type, zone=UTC) == [
        {"date": "2026-05-01", "ticket_type": "Early Bird", "revenue": D("100.00"), "count": 1},
        {"date": "2026-05-01", "ticket_type": "Regular", "revenue": D("200.00"), "count": 2},
        {"date": "2026-05-03", "ticket_type": "Regular", "revenue": D("0.10"), "count": 1},
        {"date": "2026-05-03", "ticket_type": "Speaker", "revenue": D("0.00"), "count": 1},
    ]


def test_registration_flow(sales_url: str) -> None:
    # attendees by created_at; cancelled orders by updated_at (o8 was created in April, cancelled May 1)
    assert run(sales_url, "pycon-2026", registration_flow, zone=UTC) == [
        {"date": "2026-05-01", "registrations": 2, "cancellations": 1},
        {"date": "2026-05-03", "registrations": 2, "cancellations": 0},
        {"date": "2026-05-04", "registrations": 0, "cancellations": 1},
    ]


def test_revenue_by_ticket_type_merges_same_names(tmp_path, url_of) -> None:
    """Grouped by ticket type name, as django-program does: two 'Day pass' types share one row."""
    h = Handmade(tmp_path / "db.sqlite3")
    conf = h.conference("c", "2026-06-01")
    user = h.user("u")
    mon = h.add(f"{REG}tickettype", conference_id=conf, name="Day pass", slug="mon", price=50, order=1)
    tue = h.add(f"{REG}tickettype", conference_id=conf, name="Day pass", slug="tue", price=60, order=2)
    o = h.add(f"{REG}order", conference_id=conf, user_id=user, status="paid", total=170, reference="R1",
              created_at=at("2026-05-01 12:00"))
    h.add(f"{REG}orderlineitem", order_id=o, quantity=1, unit_price=50, line_total=50, ticket_type_id=mon)
    h.add(f"{REG}orderlineitem", order_id=o, quantity=2, unit_price=60, line_total=120, ticket_type_id=tue)
    url = url_of(h)
    assert run(url, "c", revenue_by_ticket_type, zone=UTC) == [
        {"date": "2026-05-01", "ticket_type": "Day pass", "revenue": D("170.00"), "count": 3},
    ]
    assert [(r["sold"], r["revenue"]) for r in run(url, "c", ticket_sales_ratio)] == [
        (1, D("50.00")), (2, D("120.00")),
    ]


# --- carts -----------------------------------------------------------------------------------------------


def test_cart_funnel(tmp_path, url_of) -> None:
    h = Handmade(tmp_path / "db.sqlite3")
    conf = h.conference("c", "2026-06-01")
    other = h.conference("d", "2026-07-01")
    user = h.user("u")
    for status in ["checked_out"] * 4 + ["open", "expired", "expired", "abandoned"]:
        h.add(f"{REG}cart", conference_id=conf, user_id=user, status=status)
    h.add(f"{REG}cart", conference_id=other, user_id=user, status="checked_out")
    # 8 carts: (1 abandoned + 2 expired) / 8 = 37.5 %; 4 checked out / 8 = 50 %
    assert run(url_of(h), "c", cart_funnel) == {
        "total_carts": 8, "completed": 4, "abandoned": 1, "expired": 2, "open": 1,
        "abandonment_rate": D("37.5"), "conversion_rate": D("50"),
    }


# --- visa letters ----------------------------------------------------------------------------------------


def _letter(h: Handmade, conf: int, nationality: str, status: str, created: str,
            reviewed: str | None) -> None:
    user = h.user(f"l{h.db.execute('SELECT COUNT(*) FROM auth_user').fetchone()[0]}")
    h.add(f"{REG}letterrequest", conference_id=conf, user_id=user, nationality=nationality, status=status,
          travel_from="2026-06-01", travel_until="2026-06-10", created_at=at(created),
          reviewed_at=at(reviewed) if reviewed else None)


def test_letter_request_summary(tmp_path, url_of) -> None:
    h = Handmade(tmp_path / "db.sqlite3")
    conf = h.conference("c", "2026-06-01")
    other = h.conference("d", "2026-07-01")
    # reviewed: +2.5 days, +0.5 days + 0.864 s (= 0.50001 days), -1 day (reviewed before created)
    _letter(h, conf, "Kenya", "sent", "2026-01-01 00:00", "2026-01-03 12:00")
    _letter(h, conf, "Kenya", "sent", "2026-01-02 00:00", "2026-01-02 12:00:00.864000")
    _letter(h, conf, "Kenya", "rejected", "2026-01-10 00:00", "2026-01-09 00:00")
    _letter(h, conf, "Brazil", "submitted", "2026-01-01 00:00", None)
    _letter(h, conf, "Brazil", "under_review", "2026-01-01 00:00", None)
    for i, country in enumerate("ABCDEFGHI"):  # nine countries with one request each
        status = "submitted" if i == 0 else "approved"
        _letter(h, conf, f"Country {country}", status, "2026-01-01 00:00", None)
    _letter(h, other, "Kenya", "sent", "2026-01-01 00:00", "2026-01-01 00:00")
    got = run(url_of(h), "c", letter_request_summary)

    assert got["total"] == 14
    assert got["by_status"] == {"sent": 2, "rejected": 1, "submitted": 2, "under_review": 1, "approved": 8}
    assert got["pending_count"] == 3  # submitted + under_review
    assert isinstance(got["completion_rate"], float)
    assert got["completion_rate"] == pytest.approx(200 / 14)  # 2 sent of 14
    # (2.5 + 0.50001 - 1) / 3 days; dropping the fraction of a second would give 2/3
    assert isinstance(got["avg_processing_days"], float)
    assert got["avg_processing_days"] == pytest.approx(2.00001 / 3, rel=1e-9)
    nationalities = got["by_nationality"]
    assert len(nationalities) == 10  # top ten of eleven
    assert nationalities[:2] == [{"nationality": "Kenya", "count": 3}, {"nationality": "Brazil", "count": 2}]
    assert all(n["count"] == 1 and n["nationality"].startswith("Country ") for n in nationalities[2:])


def test_letter_processing_days_of_exactly_zero_is_none(tmp_path, url_of) -> None:
    """django-program tests the mean timedelta for truth, so a mean of exactly 0 reads as None."""
    h = Handmade(tmp_path / "db.sqlite3")
    conf = h.conference("c", "2026-06-01")
    _letter(h, conf, "Kenya", "approved", "2026-01-01 00:00", "2026-01-02 00:00")  # +1 day
    _letter(h, conf, "Peru", "approved", "2026-01-05 00:00", "2026-01-04 00:00")  # -1 day
    assert run(url_of(h), "c", letter_request_summary)["avg_processing_days"] is None


# --- edges -----------------------------------------------------------------------------------------------


def test_empty_conference(tmp_path, url_of) -> None:
    h = Handmade(tmp_path / "db.sqlite3")
    h.conference("empty", "2026-06-01")
    _sales(h)  # another conference's data must not leak in
    url = url_of(h)
    for func in DATED:
        for zone in (UTC, CHICAGO):
            assert run(url, "empty", func, zone=zone) == []
    assert run(url, "empty", ticket_sales_ratio) == []
    assert run(url, "empty", cart_funnel) == {
        "total_carts": 0, "completed": 0, "abandoned": 0, "expired": 0, "open": 0,
        "abandonment_rate": 0, "conversion_rate": 0,
    }
    assert run(url, "empty", revenue_per_attendee) == {
        "net_revenue": 0, "attendee_count": 0, "revenue_per_attendee": 0,
    }
    assert run(url, "empty", revenue_breakdown) == dict.fromkeys(
        ["ticket_revenue", "addon_revenue", "sponsor_revenue", "total_revenue",
         "ticket_pct", "addon_pct", "sponsor_pct"], 0,
    )
    assert run(url, "empty", letter_request_summary) == {
        "total": 0, "by_status": {}, "by_nationality": [], "avg_processing_days": None,
        "pending_count": 0, "completion_rate": 0.0,
    }


def test_unsold_ticket_types(tmp_path, url_of) -> None:
    """Ticket types with no paid sales: zero sold and revenue, no division by a zero total."""
    h = Handmade(tmp_path / "db.sqlite3")
    conf = h.conference("c", "2026-06-01")
    h.add(f"{REG}tickettype", conference_id=conf, name="B", slug="b", price=10, total_quantity=5)
    h.add(f"{REG}tickettype", conference_id=conf, name="A", slug="a", price=10, total_quantity=0)
    unsold = {"sold": 0, "revenue": 0, "is_early_bird": False, "availability_window": "Always available",
              "revenue_pct": 0}
    assert run(url_of(h), "c", ticket_sales_ratio) == [
        {"name": "A", **unsold, "capacity": None, "fill_rate": None},
        {"name": "B", **unsold, "capacity": 5, "fill_rate": 0},
    ]


# --- zones -----------------------------------------------------------------------------------------------


def _dated_world(h: Handmade, conf: int, instants: list[tuple[str, Any]]) -> None:
    """One paid order (with a ticket line) and one attendee at each (instant, total)."""
    tt = h.add(f"{REG}tickettype", conference_id=conf, name="T", slug="t", price=1)
    for i, (when, total) in enumerate(instants):
        user = h.user(f"z{i}")
        o = h.add(f"{REG}order", conference_id=conf, user_id=user, status="paid", total=total,
                  reference=f"Z{i}", created_at=at(when))
        h.add(f"{REG}orderlineitem", order_id=o, quantity=1, unit_price=total, line_total=total,
              ticket_type_id=tt)
        h.add(f"{REG}attendee", conference_id=conf, user_id=user, access_code=f"Z{i}", created_at=at(when))


def test_dated_metrics_group_by_the_zone(tmp_path, url_of) -> None:
    """03:00 UTC on May 2 is 22:00 on May 1 in Chicago (CDT, UTC-5)."""
    h = Handmade(tmp_path / "db.sqlite3")
    _dated_world(h, h.conference("c", "2026-06-01"), [("2026-05-02 03:00", 10)])
    url = url_of(h)
    for func in DATED:
        assert [r["date"] for r in run(url, "c", func, zone=CHICAGO)] == ["2026-05-01"], func.__name__
        assert [r["date"] for r in run(url, "c", func, zone=UTC)] == ["2026-05-02"], func.__name__


def test_dated_metrics_across_dst_changes(tmp_path, url_of) -> None:
    """Chicago is UTC-6 until 2026-03-08 08:00 UTC, UTC-5 until 2026-11-01 07:00 UTC, then UTC-6 again."""
    h = Handmade(tmp_path / "db.sqlite3")
    _dated_world(h, h.conference("c", "2026-06-01"), [
        ("2026-03-08 05:30", 1),  # CST: Mar 7 23:30
        ("2026-03-08 07:30", 2),  # CST: Mar 8 01:30
        ("2026-03-09 04:30", 4),  # CDT: Mar 8 23:30 (UTC-6 would say Mar 8 22:30, UTC-5 is right)
        ("2026-10-31 04:30", 8),  # CDT: Oct 30 23:30
        ("2026-11-01 05:30", 16),  # CDT: Nov 1 00:30
        ("2026-11-02 05:30", 32),  # CST: Nov 1 23:30 (UTC-5 would say Nov 2 00:30)
        ("2026-11-02 06:30", 64),  # CST: Nov 2 00:30
    ])
    url = url_of(h)
    chicago = [("2026-03-07", 1), ("2026-03-08", 6), ("2026-10-30", 8), ("2026-11-01", 48),
               ("2026-11-02", 64)]
    utc = [("2026-03-08", 3), ("2026-03-09", 4), ("2026-10-31", 8), ("2026-11-01", 16), ("2026-11-02", 96)]
    for zone, days in ((CHICAGO, chicago), (UTC, utc)):
        rows = run(url, "c", sales_by_date, zone=zone)
        assert [(r["date"], r["revenue"]) for r in rows] == [(d, D(v)) for d, v in days]
        flow = run(url, "c", registration_flow, zone=zone)
        counts = [bin(v).count("1") for _, v in days]  # each order's total is its own power of two
        expected = [(d, n) for (d, _), n in zip(days, counts, strict=True)]
        assert [(r["date"], r["registrations"]) for r in flow] == expected

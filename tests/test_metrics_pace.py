"""Known answers for registration_pace and forecast: hand-built series (SQLite and PostgreSQL), pure
forecasts of hand-made curves, and the pace's last point against the income statement on the fixture."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal as D
from typing import Any

import pytest

from conference_reports.data.conferences import list_conferences
from conference_reports.data.db import connect
from conference_reports.metrics import phase as phases
from conference_reports.metrics.forecast import forecast, forecast_from
from conference_reports.metrics.income import income_statement
from conference_reports.metrics.pace import pace_as_of, registration_pace
from support.backends import run
from support.handmade import Handmade

REG = "program_registration_"
UTC = dt.UTC


class Sales:
    """Paid (or other) orders of one conference, each with its attendees and payments."""

    def __init__(self, hm: Handmade, conf: int) -> None:
        self.hm, self.conf, self.n = hm, conf, 0
        self.ticket = hm.add(f"{REG}tickettype", conference_id=conf, name="Ticket", slug=f"t{conf}",
                             price="100.00", available_from=dt.datetime(2020, 1, 1, tzinfo=UTC))

    def order(self, created: dt.datetime, total: str = "100.00", people: int = 1, status: str = "paid",
              paid: dt.datetime | None = None, payment_status: str = "succeeded") -> int:
        """An order created at `created`, with one ticket line, `people` attendees and, when `paid` is
        given, one payment of `payment_status` at that instant."""
        self.n += 1
        buyer = self.hm.user(f"b{self.conf}-{self.n}")
        order = self.hm.add(f"{REG}order", conference_id=self.conf, user_id=buyer, status=status,
                            subtotal=total, discount_amount="0.00", total=total,
                            reference=f"ORD-{self.conf}-{self.n}", created_at=created)
        self.hm.add(f"{REG}orderlineitem", order_id=order, quantity=1, unit_price=total, line_total=total,
                    ticket_type_id=self.ticket)
        if paid is not None:
            self.hm.add(f"{REG}payment", order_id=order, amount=total, status=payment_status,
                        created_at=paid)
        for i in range(people):
            user = buyer if i == 0 else self.hm.user(f"p{self.conf}-{self.n}-{i}")
            self.hm.add(f"{REG}attendee", user_id=user, conference_id=self.conf, order_id=order,
                        access_code=f"A{self.conf}-{self.n}-{i}", created_at=created)
        return order


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def dst_series(tmp_path) -> Handmade:
    """conf-2025 (3 days, UTC) and conf-2026 (1 day, New York, DST begins 2026-03-08) of one series."""
    hm = Handmade(tmp_path / "pace.sqlite3")
    old = hm.conference("conf-2025", "2025-03-10", "2025-03-12", name="Conf 2025")
    new = hm.conference("conf-2026", "2026-03-10", name="Conf 2026", timezone="America/New_York")
    hm.conference("other-2026", "2026-03-01")  # another series: never in the pace
    s_old, s_new = Sales(hm, old), Sales(hm, new)
    s_old.order(at("2025-03-05 10:00"), total="50.00")  # 5 days out
    s_old.order(at("2025-03-05 12:00"), total="70.00", people=2)  # same day
    s_old.order(at("2025-03-11 09:00"), total="30.00")  # on site, the 2nd of 3 days: -1
    s_old.order(at("2025-03-08 09:00"), total="99.00", status="refunded")  # not paid: out
    # Before DST New York is UTC-5: 04:30 UTC on the 7th is 23:30 on the 6th, 4 days out.
    s_new.order(at("2026-03-07 04:30"))
    # After DST it is UTC-4: 04:30 UTC on the 9th is 00:30 on the 9th, 1 day out (not 2).
    s_new.order(at("2026-03-09 04:30"), total="40.00", people=3)
    # Dated by its first succeeded payment (the 8th, 12:00 local), not by its creation (the 1st).
    s_new.order(at("2026-03-01 15:00"), total="25.00", paid=at("2026-03-08 16:00"))
    s_new.order(at("2026-03-09 20:00"), total="10.00", status="pending")  # not paid: out
    return hm


def test_alignment_by_days_out_across_dst(dst_series: Handmade, url_of) -> None:
    got = run(url_of(dst_series), "conf-2026", pace_as_of, params=None, today=dt.date(2026, 3, 20))
    assert [e["slug"] for e in got["editions"]] == ["conf-2026", "conf-2025"]
    new, old = got["editions"]
    assert new["points"] == [
        {"days_out": 4, "registrations": 1, "revenue": D("100.00")},
        {"days_out": 2, "registrations": 2, "revenue": D("125.00")},
        {"days_out": 1, "registrations": 5, "revenue": D("165.00")},
    ]
    assert old["points"] == [
        {"days_out": 5, "registrations": 3, "revenue": D("120.00")},
        {"days_out": -1, "registrations": 4, "revenue": D("150.00")},
    ]


def test_gap_and_recent_at_the_as_of_day(dst_series: Handmade, url_of) -> None:
    got = run(url_of(dst_series), "conf-2026", pace_as_of, params=None, today=dt.date(2026, 3, 8))
    assert got["days_out"] == 2
    # Only sales up to the as-of day: the order dated the 9th is not there yet.
    assert got["editions"][0]["points"][-1] == {"days_out": 2, "registrations": 2, "revenue": D("125.00")}
    assert got["gap"] == {
        "against": "conf-2025", "against_name": "Conf 2025", "days_out": 2,
        "registrations": 2, "previous_registrations": 3, "registrations_change_pct": D("-33.3"),
        "revenue": D("125.00"), "previous_revenue": D("120.00"), "revenue_change_pct": D("4.2"),
        "final": False,
    }
    week, month = got["recent"]
    assert (week["from"], week["to"], week["registrations"], week["revenue"]) == (
        dt.date(2026, 3, 2), dt.date(2026, 3, 8), 2, D("125.00"))
    assert (month["days"], month["registrations"]) == (28, 2)


def test_an_edition_over_compares_at_its_last_day(dst_series: Handmade, url_of) -> None:
    # conf-2026 ran on 10 March: from the 11th on, the gap and the recent sales stop there.
    later = [run(url_of(dst_series), "conf-2026", pace_as_of, params=None, today=dt.date(2026, 3, d))
             for d in (20, 27)]
    for got in later:
        assert (got["days_out"], got["gap"]["final"]) == (0, True)
        assert (got["gap"]["registrations"], got["gap"]["previous_registrations"]) == (5, 3)
        assert got["recent"][0]["to"] == dt.date(2026, 3, 10)
    assert {k: v for k, v in later[0].items() if k != "as_of"} == {k: v for k, v in later[1].items()
                                                                  if k != "as_of"}


def test_payment_dating_ignores_failed_payments(tmp_path, url_of) -> None:
    hm = Handmade(tmp_path / "pay.sqlite3")
    conf = hm.conference("x-2026", "2026-06-10")
    sales = Sales(hm, conf)
    order = sales.order(at("2026-06-01 10:00"), paid=at("2026-06-03 10:00"), payment_status="failed")
    hm.add(f"{REG}payment", order_id=order, amount="100.00", status="succeeded",
           created_at=at("2026-06-05 10:00"))
    got = run(url_of(hm), "x-2026", pace_as_of, params=None, today=dt.date(2026, 7, 1))
    assert got["editions"][0]["points"] == [{"days_out": 5, "registrations": 1, "revenue": D("100.00")}]
    assert got["gap"] is None  # a first edition has nothing to compare with


def test_empty_conference_never_raises(tmp_path, url_of, monkeypatch) -> None:
    hm = Handmade(tmp_path / "empty.sqlite3")
    hm.conference("empty-2026", "2026-06-10")
    monkeypatch.setenv(phases.AS_OF_ENV, "2026-05-01")
    url = url_of(hm)
    pace = run(url, "empty-2026", registration_pace)
    assert pace["editions"] == [{"slug": "empty-2026", "name": "empty-2026",
                                 "start_date": dt.date(2026, 6, 10), "points": []}]
    assert pace["recent"][0]["registrations"] == 0
    got = run(url, "empty-2026", forecast)
    assert got["registrations"]["point"] is None and got["revenue"]["high"] is None
    assert got["reason"] == "sales have not started"


def _edition(slug: str, curve: list[tuple[int, int, str]]) -> dict[str, Any]:
    return {"slug": slug, "name": slug, "start_date": None,
            "points": [{"days_out": d, "registrations": r, "revenue": D(v)} for d, r, v in curve]}


def _pace(days_out: int, *editions: dict[str, Any]) -> dict[str, Any]:
    return {"days_out": days_out, "editions": list(editions)}


TARGETS = {"registrations": D("490"), "revenue": D("155000.00")}


def test_forecast_of_priors_on_one_curve_is_exact() -> None:
    # Both earlier editions had 40% of their final registrations and revenue 30 days out.
    a = _edition("a", [(60, 20, "2000.00"), (30, 40, "4000.00"), (0, 100, "10000.00")])
    b = _edition("b", [(45, 50, "5000.00"), (30, 80, "8000.00"), (2, 200, "20000.00")])
    now = _edition("now", [(50, 10, "1000.00"), (31, 60, "6000.00")])
    got = forecast_from(_pace(30, now, b, a), phases.ON_SALE, TARGETS)
    assert got["registrations"] | {"shares": None} == {"point": 150, "low": 150, "high": 150, "reason": None,
                                                     "shares": None}
    assert (got["revenue"]["point"], got["revenue"]["low"], got["revenue"]["high"]) == (
        D("15000.00"), D("15000.00"), D("15000.00"))
    assert got["reason"] is None
    # 150 < 490 and 15,000 < 155,000: the range's top is below both targets.
    assert got["warnings"] == [{"figure": "registrations", "high": 150, "target": D("490")},
                               {"figure": "revenue", "high": D("15000.00"), "target": D("155000.00")}]


def test_forecast_range_spans_the_earlier_curves() -> None:
    # 25% and 50% reached by 10 days out: point 60 / 0.375 = 160. The shares' standard deviation is
    # 0.1768: the bottom is 60 / (0.375 + 0.3536) = 82.4, the top 60 / 0.125 (half the smallest share,
    # as 0.375 - 0.3536 is below it) = 480.
    a = _edition("a", [(10, 25, "250.00"), (0, 100, "1000.00")])
    b = _edition("b", [(10, 50, "500.00"), (0, 100, "1000.00")])
    now = _edition("now", [(12, 60, "600.00")])
    got = forecast_from(_pace(10, now, b, a), phases.ON_SALE, {"registrations": D("200"), "revenue": None})
    assert (got["registrations"]["point"], got["registrations"]["low"], got["registrations"]["high"]) == (
        160, 82, 480)
    assert got["warnings"] == []  # 480 reaches the target of 200; no revenue target


def test_no_forecast_with_fewer_than_two_earlier_editions() -> None:
    a = _edition("a", [(10, 25, "250.00"), (0, 100, "1000.00")])
    now = _edition("now", [(12, 60, "600.00")])
    got = forecast_from(_pace(10, now, a), phases.ON_SALE, TARGETS)
    assert got["registrations"]["point"] is None and got["revenue"]["low"] is None
    assert "fewer than 2 earlier editions" in got["reason"]
    # An earlier edition that had sold nothing by then cannot give a share either.
    late = _edition("late", [(5, 25, "250.00"), (0, 100, "1000.00")])
    got = forecast_from(_pace(10, now, late, a), phases.ON_SALE, TARGETS)
    assert got["registrations"]["point"] is None and got["reason"]


@pytest.mark.parametrize(("phase", "words"), [(phases.BEFORE_SALES, "sales have not started"),
                                              (phases.RUNNING, "the edition is running"),
                                              (phases.OVER, "the edition is over")])
def test_no_forecast_outside_sales(phase: str, words: str) -> None:
    a = _edition("a", [(10, 25, "250.00"), (0, 100, "1000.00")])
    b = _edition("b", [(10, 50, "500.00"), (0, 100, "1000.00")])
    got = forecast_from(_pace(10, _edition("now", []), b, a), phase, TARGETS)
    assert words in got["reason"] and got["registrations"]["point"] is None


def test_forecast_metric_on_a_hand_built_series(tmp_path, url_of, monkeypatch) -> None:
    hm = Handmade(tmp_path / "series.sqlite3")
    for year, sold in ((2024, 1), (2025, 2)):  # each sells `sold` at 20 days out, 4 x `sold` in all
        sales = Sales(hm, hm.conference(f"s-{year}", f"{year}-06-10"))
        for _ in range(sold):
            sales.order(at(f"{year}-05-21 10:00"))
        for _ in range(3 * sold):
            sales.order(at(f"{year}-06-05 10:00"))
    now = Sales(hm, hm.conference("s-2026", "2026-06-10", target_attendance=20))
    for _ in range(3):
        now.order(at("2026-05-20 10:00"))
    monkeypatch.setenv(phases.AS_OF_ENV, "2026-05-21")  # 20 days out
    got = run(url_of(hm), "s-2026", forecast)
    assert (got["registrations"]["point"], got["registrations"]["low"], got["registrations"]["high"]) == (
        12, 12, 12)
    assert got["revenue"]["point"] == D("1200.00")
    assert got["targets"]["registrations"] == D("20")
    assert got["warnings"][0] == {"figure": "registrations", "high": 12, "target": D("20")}


def test_last_point_is_the_income_statement(fixture_url: str, fixture_db, monkeypatch) -> None:
    monkeypatch.setenv(phases.AS_OF_ENV, "2100-01-01")
    raw = sqlite3.connect(fixture_db)
    with connect(fixture_url) as conn:
        for conference in list_conferences(conn):
            points = registration_pace(conn, conference)["editions"][0]["points"]
            last = points[-1] if points else {"registrations": 0, "revenue": D("0.00")}
            assert last["revenue"] == income_statement(conn, conference)["ticket_sales_net"], conference.slug
            (people,) = raw.execute(
                f"SELECT COUNT(*) FROM {REG}attendee a JOIN {REG}order o ON o.id = a.order_id "
                "WHERE a.conference_id = ? AND o.status IN ('paid', 'partially_refunded')", (conference.id,)
            ).fetchone()
            assert last["registrations"] == people, conference.slug


def test_the_series_is_the_params_folders_for_every_edition(tmp_path, url_of, monkeypatch) -> None:
    from conference_reports.params import load_all

    hm = Handmade(tmp_path / "series.sqlite3")
    for slug, start in (("a-2024", "2024-06-01"), ("a-2025", "2025-06-01"), ("a-2026", "2026-06-01")):
        hm.conference(slug, start)
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "a-2025.yaml").write_text("series: another\n")  # a-2025 left the series
    params = load_all(folder, ["a-2024", "a-2025", "a-2026"])["a-2026"]
    monkeypatch.setenv(phases.AS_OF_ENV, "2026-05-01")
    got = run(url_of(hm), "a-2026", registration_pace, params=params)
    assert [e["slug"] for e in got["editions"]] == ["a-2026", "a-2024"]
    assert got["gap"]["against"] == "a-2024"
    # without the folder each edition's series is its slug without the year
    assert [e["slug"] for e in run(url_of(hm), "a-2026", registration_pace)["editions"]] == [
        "a-2026", "a-2025", "a-2024"]

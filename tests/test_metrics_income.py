"""Known answers for income_statement on hand-built data (SQLite and PostgreSQL), and its
reconciliation with django-program's own figures on the fixture."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from conference_reports.data.conferences import get_conference, list_conferences
from conference_reports.data.db import connect
from conference_reports.metrics import compute_one
from conference_reports.metrics.income import income_statement
from conference_reports.params import ConferenceParams, SponsorGoals
from support.backends import run
from support.handmade import Handmade

REG = "program_registration_"
GOAL = ConferenceParams(slug="c", sponsor_goals=SponsorGoals(revenue=D("5000")))


@pytest.fixture
def hm(tmp_path) -> Handmade:
    return Handmade(tmp_path / "db.sqlite3")


class Shop:
    """Orders, lines and credits of one conference (unique users and references)."""

    def __init__(self, hm: Handmade, conf: int) -> None:
        self.hm, self.conf, self.n = hm, conf, 0
        self.ticket = hm.add(f"{REG}tickettype", conference_id=conf, name="Ticket", slug=f"t{conf}",
                             price="100.00")
        self.addon = hm.add(f"{REG}addon", conference_id=conf, name="Tutorial", slug=f"a{conf}",
                            price="30.00")

    def user(self) -> int:
        self.n += 1
        return self.hm.user(f"u{self.conf}-{self.n}")

    def order(self, status: str, subtotal: str, total: str, lines: list[tuple[str, int, str]]) -> int:
        """lines: (kind 'ticket' / 'addon' / 'none', quantity, unit price); line_total = qty x price."""
        user = self.user()
        order = self.hm.add(f"{REG}order", conference_id=self.conf, user_id=user, status=status,
                            subtotal=subtotal, discount_amount=str(D(subtotal) - D(total)), total=total,
                            reference=f"ORD-{self.conf}-{self.n}")
        for kind, qty, price in lines:
            self.hm.add(f"{REG}orderlineitem", order_id=order, quantity=qty, unit_price=price,
                        line_total=str(qty * D(price)),
                        ticket_type_id=self.ticket if kind == "ticket" else None,
                        addon_id=self.addon if kind == "addon" else None)
        return order

    def credit(self, amount: str, source: int | None, status: str = "available", conf: int | None = None,
               applied_to: int | None = None) -> None:
        self.hm.add(f"{REG}credit", user_id=self.user(), conference_id=conf or self.conf, amount=amount,
                    remaining_amount="0.00" if status == "applied" else amount, status=status,
                    source_order_id=source, applied_to_order_id=applied_to)

    def attendee(self) -> None:
        user = self.user()
        self.hm.add(f"{REG}attendee", user_id=user, conference_id=self.conf, access_code=f"AC{user:06d}")


def _sponsors(hm: Handmade, conf: int) -> None:
    gold = hm.add("program_sponsors_sponsorlevel", conference_id=conf, name="Gold", slug="gold",
                  cost="1000.00")
    silver = hm.add("program_sponsors_sponsorlevel", conference_id=conf, name="Silver", slug="silver",
                    cost="500.00", order=1)
    for name, level, active in [("A", gold, 1), ("B", silver, 1), ("C", gold, 0)]:
        sponsor = hm.add("program_sponsors_sponsor", conference_id=conf, level_id=level, name=name,
                         slug=name.lower(), is_active=active)
        if name == "A":  # two benefits: no join fan-out may count A twice
            for _ in range(2):
                hm.add("program_sponsors_sponsorbenefit", sponsor_id=sponsor, name="Logo")


def _expenses(hm: Handmade, conf: int, other: int) -> None:
    venue = hm.add("program_conference_expensecategory", conference_id=conf, name="Venue", slug="venue",
                   budget_amount="800.00", order=0)
    misc = hm.add("program_conference_expensecategory", conference_id=conf, name="Misc", slug="misc", order=1)
    elsewhere = hm.add("program_conference_expensecategory", conference_id=other, name="Venue", slug="venue",
                       budget_amount="5000.00")
    for cat, amount, at in [(venue, "300.00", conf), (venue, "200.50", conf), (misc, "99.99", conf),
                            (elsewhere, "1000.00", other)]:
        hm.add("program_conference_expense", conference_id=at, category_id=cat, amount=amount,
               date="2026-04-01")


@pytest.fixture
def books(hm: Handmade) -> Handmade:
    conf = hm.conference("c", "2026-05-01", revenue_budget="10000.00")
    other = hm.conference("other", "2025-05-01")
    shop = Shop(hm, conf)
    # O1 paid: ticket 100 + add-on 30, no discount.
    o1 = shop.order("paid", "130.00", "130.00", [("ticket", 1, "100.00"), ("addon", 1, "30.00")])
    # O2 paid: 2 tickets 200 + add-on 30 = 230, 10.00 off the whole order -> total 220.
    shop.order("paid", "230.00", "220.00", [("ticket", 2, "100.00"), ("addon", 1, "30.00")])
    # O3 partially refunded: ticket 100 + 2 add-ons 60 = 160; a 45.55 refund credit.
    o3 = shop.order("partially_refunded", "160.00", "160.00",
                    [("ticket", 1, "100.00"), ("addon", 2, "30.00")])
    shop.credit("45.55", o3)
    # O4 fully refunded, with its 100.00 refund credit: outside the paid set, credit not subtracted.
    o4 = shop.order("refunded", "100.00", "100.00", [("ticket", 1, "100.00")])
    shop.credit("100.00", o4)
    # O5 pending: ignored.
    shop.order("pending", "100.00", "100.00", [("ticket", 1, "100.00")])
    # O6 paid: one line whose product was deleted (neither ticket type nor add-on): a ticket here.
    shop.order("paid", "20.00", "20.00", [("none", 1, "20.00")])
    # A goodwill credit (no source order) spent on O1: not a refund.
    shop.credit("10.00", None, status="applied", applied_to=o1)
    Shop(hm, other).order("paid", "999.00", "999.00", [("ticket", 1, "999.00")])
    _sponsors(hm, conf)
    _expenses(hm, conf, other)
    for _ in range(3):
        shop.attendee()
    return hm


def test_income_statement_known_answer(books: Handmade, url_of) -> None:
    got = run(url_of(books), "c", income_statement, params=GOAL)
    # Gross: tickets 100 + 200 + 100 + 20 (O6) = 420; add-ons 30 + 30 + 60 = 120.
    # O2's total 220 split by line amounts 200 : 30: add-ons (smaller) 220 x 30/230 = 28.695.. -> 28.69
    # (rounded down), tickets the rest 191.31. Discounts: tickets 200 - 191.31 = 8.69, add-ons 1.31.
    # O3's refund 45.55 split 100 : 60: add-ons 45.55 x 60/160 = 17.08125 -> 17.08, tickets 28.47.
    # Net tickets: 420 - 8.69 - 28.47 = 382.84; add-ons: 120 - 1.31 - 17.08 = 101.61.
    assert got["gross_ticket_sales"] == D("420.00")
    assert got["discounts"] == D("8.69")
    assert got["refunds"] == D("28.47")
    assert got["ticket_sales_net"] == D("382.84")
    assert got["addon_gross"] == D("120.00")
    assert (got["addon_discounts"], got["addon_refunds"]) == (D("1.31"), D("17.08"))
    assert got["addons"] == D("101.61")
    # paid totals 130 + 220 + 160 + 20 = 530, less the one refund counted once: 530 - 45.55 = 484.45
    assert got["ticket_sales_net"] + got["addons"] == D("484.45")
    assert got["sponsorship"] == D("1500.00")  # Gold 1000 + Silver 500; C is inactive
    assert got["total_income"] == D("1984.45")
    assert got["total_expenses"] == D("600.49")  # 300 + 200.50 + 99.99
    assert got["expenses_by_category"] == [
        {"category": "Venue", "spent": D("500.50"), "budget": D("800.00")},
        {"category": "Misc", "spent": D("99.99"), "budget": None},
    ]
    assert got["surplus"] == D("1383.96")  # 1984.45 - 600.49
    assert got["attendees"] == 3
    assert got["cost_per_attendee"] == D("200.16")  # 600.49 / 3 = 200.1633..
    assert got["income_per_attendee"] == D("661.48")  # 1984.45 / 3 = 661.4833..
    assert got["income_budget"] == D("15000.00")  # revenue_budget 10000 + sponsorship goal 5000
    assert got["expense_budget"] == D("800.00")  # Misc has no budget_amount
    assert got["budgeted_surplus"] == D("14200.00")


def test_reconciliation_known_answer(books: Handmade, url_of) -> None:
    got = run(url_of(books), "c", income_statement)
    steps = {r["figure"]: (r["from_amount"], [s["amount"] for s in r["steps"]], r["to_amount"])
             for r in got["reconciliation"]}
    # revenue_per_attendee: 530 - (45.55 + 100.00) = 384.45; O4's credit comes back once.
    assert steps["revenue_per_attendee.net_revenue"] == (D("384.45"), [D("100.00"), 0, 0], D("484.45"))
    # cashflow: 540 - 10 - 145.55 + 10 applied = 394.45; the applied credit is already in O1's total.
    assert steps["cashflow_waterfall.Net Revenue"] == (
        D("394.45"), [D("-10.00"), D("100.00"), 0, 0, 0], D("484.45"))
    assert steps["event_roi.total_revenue"] == (D("530.00"), [D("-45.55")], D("484.45"))
    # revenue_breakdown: ticket lines 400 + add-on lines 120 + sponsors 1500 = 2020; + O6's line 20,
    # - O2's order-level 10, - the refund 45.55.
    assert steps["revenue_breakdown.total_revenue"] == (
        D("2020.00"), [D("20.00"), 0, 0, D("-10.00"), D("-45.55")], D("1984.45"))
    assert steps["refund_metrics.total_refunded"] == (D("145.55"), [D("-100.00"), 0, 0], D("45.55"))
    # event_roi: 530 - 600.49 = -70.49; - 45.55 refunds + 1500 sponsorship = 1383.96
    assert steps["event_roi.net_profit"] == (D("-70.49"), [D("-45.55"), D("1500.00")], D("1383.96"))


def test_budgets_without_params_and_through_the_registry(books: Handmade, url_of) -> None:
    url = url_of(books)
    # Without params the 1500.00 of sponsorship has no budget: the 10000.00 revenue budget covers only
    # registrations, so there is no income budget to judge 1984.45 of income on, and no budgeted surplus.
    got = run(url, "c", income_statement)
    assert (got["income_budget"], got["budgeted_surplus"]) == (None, None)
    assert got["income_unbudgeted"] == ["sponsorship"]
    with connect(url) as conn:
        got = compute_one(conn, get_conference(conn, "c"), "income_statement", params=GOAL)
    assert (got["income_budget"], got["budgeted_surplus"]) == (D("15000.00"), D("14200.00"))
    assert got["income_unbudgeted"] == []


@pytest.mark.parametrize(
    ("revenue_budget", "sold", "sponsors", "goal", "budget", "unbudgeted"),
    [
        # registrations budgeted, no sponsor levels: the revenue budget covers all the income
        ("900.00", True, "none", None, D("900.00"), []),
        # a goal but no sponsor levels yet: both budgets add up
        ("900.00", True, "none", D("5000"), D("5900.00"), []),
        # sponsor levels but no active sponsor and no goal: sponsorship is planned without a budget
        ("900.00", True, "levels", None, None, ["sponsorship"]),
        # a goal but no revenue budget, while registrations took 100.00: not judged
        (None, True, "active", D("5000"), None, ["registrations"]),
        # the same before any registration is paid: still no budget for registrations
        (None, False, "active", D("5000"), None, ["registrations"]),
        # neither budget
        (None, True, "active", None, None, ["registrations", "sponsorship"]),
    ],
)
def test_income_budget_only_when_it_covers_the_income(
    hm: Handmade, url_of, revenue_budget: str | None, sold: bool, sponsors: str, goal: D | None,
    budget: D | None, unbudgeted: list[str],
) -> None:
    conf = hm.conference("c", "2026-05-01", revenue_budget=revenue_budget)
    shop = Shop(hm, conf)
    if sold:
        shop.order("paid", "100.00", "100.00", [("ticket", 1, "100.00")])
    if sponsors == "levels":
        hm.add("program_sponsors_sponsorlevel", conference_id=conf, name="Gold", slug="gold", cost="1000.00")
    elif sponsors == "active":
        _sponsors(hm, conf)  # 1500.00 of sponsorship
    params = ConferenceParams(slug="c", sponsor_goals=SponsorGoals(revenue=goal))
    got = run(url_of(hm), "c", income_statement, params=params)
    assert (got["income_budget"], got["income_unbudgeted"]) == (budget, unbudgeted)
    # no expense categories: no expense budget, so never a budgeted surplus
    assert got["budgeted_surplus"] is None


def test_refund_credits_filed_oddly(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2026-05-01")
    other = hm.conference("other", "2025-05-01")
    shop = Shop(hm, conf)
    paid = shop.order("paid", "100.00", "100.00", [("ticket", 1, "100.00")])
    cancelled = shop.order("cancelled", "50.00", "50.00", [("ticket", 1, "50.00")])
    shop.credit("7.00", paid, conf=other)  # refund of this conference's order, filed under `other`
    shop.credit("3.00", cancelled)  # a refund credit of a cancelled order
    got = run(url_of(hm), "c", income_statement)
    # Our refunds: the 7.00 (its order is paid here); django-program's: the 3.00 (filed here).
    assert (got["refunds"], got["ticket_sales_net"], got["addons"]) == (D("7.00"), D("93.00"), D("0.00"))
    rpa = next(r for r in got["reconciliation"] if r["figure"] == "revenue_per_attendee.net_revenue")
    assert rpa["from_amount"] == D("97.00")  # 100 - 3
    assert [s["amount"] for s in rpa["steps"]] == [0, D("3.00"), D("-7.00")]
    assert rpa["to_amount"] == D("93.00")


def test_empty_conference(hm: Handmade, url_of) -> None:
    hm.conference("empty", "2026-05-01")
    got = run(url_of(hm), "empty", income_statement)
    money = ["gross_ticket_sales", "discounts", "refunds", "ticket_sales_net", "addon_gross",
             "addon_discounts", "addon_refunds", "addons", "sponsorship", "total_income", "total_expenses",
             "surplus"]
    assert {k: got[k] for k in money} == dict.fromkeys(money, D("0.00"))
    assert all(isinstance(got[k], D) for k in money)
    assert got["expenses_by_category"] == []
    assert got["attendees"] == 0
    assert got["cost_per_attendee"] is got["income_per_attendee"] is None
    assert got["income_budget"] is got["expense_budget"] is got["budgeted_surplus"] is None
    assert got["income_unbudgeted"] == ["registrations"]  # no revenue budget; no sponsor levels
    for entry in got["reconciliation"]:
        assert entry["from_amount"] == entry["to_amount"] == 0
        assert all(step["amount"] == 0 and str(step["amount"]) == "0.00" for step in entry["steps"])


# --- the fixture ------------------------------------------------------------------------------------


def _statements(url: str) -> dict[str, dict[str, Any]]:
    with connect(url) as conn:
        return {c.slug: income_statement(conn, c) for c in list_conferences(conn)}


def _django_figure(expected: dict, slug: str, figure: str) -> D:
    name, key = figure.split(".", 1)
    value = expected[slug][name]
    if isinstance(value, list):  # cashflow_waterfall: the row labelled `key`
        value = next(row for row in value if row["label"] == key)["value"]
    else:
        value = value[key]
    return D(str(value))


def test_fixture_reconciliation_adds_up(fixture_url: str, expected: dict) -> None:
    statements = _statements(fixture_url)
    assert sorted(statements) == sorted(expected)
    for slug, got in statements.items():
        assert got["total_income"] - got["total_expenses"] == got["surplus"], slug
        assert got["ticket_sales_net"] + got["addons"] + got["sponsorship"] == got["total_income"], slug
        assert got["gross_ticket_sales"] - got["discounts"] - got["refunds"] == got["ticket_sales_net"], slug
        assert got["addon_gross"] - got["addon_discounts"] - got["addon_refunds"] == got["addons"], slug
        assert sum((row["spent"] for row in got["expenses_by_category"]), D(0)) == got["total_expenses"], slug
        targets = {
            "net ticket revenue + add-ons": got["ticket_sales_net"] + got["addons"],
            "total income": got["total_income"],
            "refunds + add-on refunds": got["refunds"] + got["addon_refunds"],
            "surplus": got["surplus"],
        }
        assert len(got["reconciliation"]) == 6
        for entry in got["reconciliation"]:
            where = f"{slug}: {entry['from']}"
            # the starting figure is django-program's own, as its expected results give it
            assert entry["from_amount"] == _django_figure(expected, slug, entry["figure"]), where
            moved = entry["from_amount"] + sum((s["amount"] for s in entry["steps"]), D(0))
            assert moved == entry["to_amount"] == targets[entry["to"]], where


def test_fixture_python_2077(fixture_url: str) -> None:
    got = _statements(fixture_url)["python-2077"]
    # paid totals 22190.45 - refund credits 982.00 (all on paid orders) = 21208.45
    assert got["ticket_sales_net"] + got["addons"] == D("21208.45")
    assert (got["ticket_sales_net"], got["addons"]) == (D("15634.43"), D("5574.02"))
    assert got["sponsorship"] == D("230000.00")
    assert got["total_income"] == D("251208.45")
    assert got["total_expenses"] == D("43880.00")
    assert got["surplus"] == D("207328.45")


@pytest.mark.postgres
def test_fixture_same_on_postgresql(fixture_url: str, pg_fixture_url: str) -> None:
    assert _statements(pg_fixture_url) == _statements(fixture_url)

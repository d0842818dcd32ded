"""Known answers for the discount and ledger metrics on small hand-built databases.

Every expected figure below is worked out by hand from the rows the fixture adds (see the comments).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conference_reports.data.conferences import get_conference
from conference_reports.data.db import connect
from conference_reports.metrics.discounts import (
    discount_conditions,
    discount_impact,
    discount_summary,
    voucher_summary,
)
from conference_reports.metrics.ledger import (
    cashflow_waterfall,
    credit_summary,
    reconciliation,
    refund_metrics,
)
from support.handmade import Handmade

D = Decimal
REG = "program_registration_"


def _orders(h: Handmade, conf: int, other: int, user: int) -> dict[str, int]:
    """Orders of conf-a (o1..o8) and one of conf-b; (status, subtotal, discount, total, voucher code)."""
    specs = {
        "o1": ("paid", 100, 10, 90, "SAVE10"),
        "o2": ("partially_refunded", 200, 20.5, 179.5, "SAVE10"),
        "o3": ("paid", 50, 5, 45, "GONE"),  # a code with no Voucher row
        "o4": ("paid", 80, 0, 80, ""),
        "o5": ("refunded", 60, 0, 60, ""),
        "o6": ("cancelled", 40, 4, 36, "SAVE10"),
        "o7": ("pending", 30, 0, 30, ""),
        "o8": ("paid", 25, 25, 0, "FREE"),
    }
    ids = {
        key: h.add(f"{REG}order", conference_id=conf, user_id=user, status=s, subtotal=sub, discount_amount=d,
                   total=tot, voucher_code=code, reference=f"ORD-{key}")
        for key, (s, sub, d, tot, code) in specs.items()
    }
    ids["b1"] = h.add(f"{REG}order", conference_id=other, user_id=user, status="paid", subtotal=1000,
                      discount_amount=100, total=900, voucher_code="SAVE10", reference="ORD-b1")
    return ids


def _vouchers(h: Handmade, conf: int, other: int) -> None:
    h.add(f"{REG}voucher", conference_id=conf, code="SAVE10", is_active=1, times_used=2)
    h.add(f"{REG}voucher", conference_id=conf, code="FREE", is_active=0, times_used=0)
    h.add(f"{REG}voucher", conference_id=conf, code="UNUSED", is_active=1, times_used=0)
    h.add(f"{REG}voucher", conference_id=other, code="SAVE10", is_active=1, times_used=9)


def _credits(h: Handmade, conf: int, other: int, user: int, orders: dict[str, int]) -> None:
    """(amount, remaining, status, source order) per credit."""
    for amount, remaining, status, source in (
        (50, 50, "available", orders["o2"]),  # refund
        (60, 0, "applied", orders["o5"]),  # refund
        (30, 10, "available", None),  # goodwill credit, partly spent
        (20, 20, "expired", None),
        (15, 0, "applied", None),
    ):
        h.add(f"{REG}credit", conference_id=conf, user_id=user, amount=amount, remaining_amount=remaining,
              status=status, source_order_id=source)
    h.add(f"{REG}credit", conference_id=other, user_id=user, amount=999, remaining_amount=999,
          status="available", source_order_id=orders["b1"])


def _payments(h: Handmade, orders: dict[str, int]) -> None:
    for key, method, status, amount in (
        ("o1", "stripe", "succeeded", 90),
        ("o2", "stripe", "succeeded", 179.5),
        ("o3", "manual", "succeeded", 45),
        ("o4", "manual", "succeeded", 80),
        ("o8", "comp", "succeeded", 0),
        ("o5", "stripe", "refunded", 60),
        ("o6", "stripe", "failed", 36),
        ("o6", "manual", "succeeded", 36),  # succeeded payment on a cancelled order still counts
        ("o7", "stripe", "pending", 30),
        ("b1", "stripe", "succeeded", 900),
    ):
        h.add(f"{REG}payment", order_id=orders[key], method=method, status=status, amount=amount)


def _conditions(h: Handmade, conf: int, other: int) -> None:
    early = h.add(f"{REG}tickettype", conference_id=conf, name="Early", slug="early", price=50, order=0)
    regular = h.add(f"{REG}tickettype", conference_id=conf, name="Regular", slug="regular", price=80, order=1)
    foreign = h.add(f"{REG}tickettype", conference_id=other, name="Other", slug="other", price=10)
    shirt = h.add(f"{REG}addon", conference_id=conf, name="Shirt", slug="shirt", price=20)

    tos = f"{REG}timeorstocklimitcondition"
    eb = h.add(tos, conference_id=conf, name="Early Bird", is_active=1, priority=10,
               discount_type="percentage", discount_value=15, limit=100, times_used=3)
    h.add(tos, conference_id=conf, name="Another", is_active=0, priority=10,
          discount_type="fixed_amount", discount_value=5, limit=0, times_used=0)
    for ticket in (regular, early):  # linked out of display order
        h.add(f"{tos}_applicable_ticket_types", timeorstocklimitcondition_id=eb, tickettype_id=ticket)
    h.add(f"{tos}_applicable_addons", timeorstocklimitcondition_id=eb, addon_id=shirt)

    sp = h.add(f"{REG}speakercondition", conference_id=conf, name="Speakers", is_active=1, priority=1,
               discount_type="percentage", discount_value=100, is_presenter=1)
    h.add(f"{REG}speakercondition_applicable_ticket_types", speakercondition_id=sp, tickettype_id=foreign)

    h.add(f"{REG}includedproductcondition", conference_id=conf, name="Legacy", is_active=1, priority=0,
          discount_type="legacy", discount_value=1)
    h.add(f"{REG}discountforproduct", conference_id=conf, name="Bundle", is_active=1, priority=20,
          discount_type="fixed_amount", discount_value=25, limit=50, times_used=12)
    h.add(f"{REG}discountforcategory", conference_id=conf, name="Flash", is_active=0, priority=30,
          percentage=10, apply_to_tickets=1, apply_to_addons=1, limit=200, times_used=34)

    gm = h.add(f"{REG}groupmembercondition", conference_id=other, name="Staff", is_active=1, priority=0,
               discount_type="percentage", discount_value=50)
    h.add(f"{REG}groupmembercondition_applicable_ticket_types", groupmembercondition_id=gm,
          tickettype_id=early)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    h = Handmade(Path(tmp_path_factory.mktemp("dl")) / "db.sqlite3")
    conf = h.conference("conf-a", "2077-05-01")
    other = h.conference("conf-b", "2077-06-01")
    h.conference("empty", "2077-07-01")
    user = h.user("ada")
    orders = _orders(h, conf, other, user)
    _vouchers(h, conf, other)
    _credits(h, conf, other, user, orders)
    _payments(h, orders)
    _conditions(h, conf, other)
    return h.url


def run(url: str, slug: str, func: Any) -> Any:
    with connect(url) as conn:
        return func(conn, get_conference(conn, slug))


# --- discounts ---------------------------------------------------------------------------------------


def test_voucher_summary(db: str) -> None:
    # paid conf-a orders whose code is one of its vouchers: o1 10 + o2 20.50 + o8 25 (not GONE, not o6)
    assert run(db, "conf-a", voucher_summary) == {
        "total": 3, "active": 2, "used": 1, "total_revenue_impact": D("55.50"),
    }


def test_discount_summary(db: str) -> None:
    # 2 time/stock (1 active), speaker, included product, product discount, category (inactive)
    assert run(db, "conf-a", discount_summary) == {"total": 6, "active": 4}
    assert run(db, "conf-b", discount_summary) == {"total": 1, "active": 1}


def test_discount_conditions(db: str) -> None:
    result = run(db, "conf-a", discount_conditions)
    assert list(result) == ["Time/Stock Limit", "Speaker", "Included Product", "Product Discount",
                            "Category Discount"]
    assert result["Time/Stock Limit"] == [
        {"name": "Another", "type": "Time/Stock Limit", "is_active": False, "priority": 10, "times_used": 0,
         "limit": 0, "discount_type": "Fixed Amount", "discount_value": D("5.00"), "applicable_products": []},
        {"name": "Early Bird", "type": "Time/Stock Limit", "is_active": True, "priority": 10, "times_used": 3,
         "limit": 100, "discount_type": "Percentage", "discount_value": D("15.00"),
         "applicable_products": ["Early (conf-a)", "Regular (conf-a)", "Shirt (conf-a)"]},
    ]
    assert result["Speaker"] == [
        {"name": "Speakers", "type": "Speaker", "is_active": True, "priority": 1,
         "discount_type": "Percentage", "discount_value": D("100.00"),
         "applicable_products": ["Other (conf-b)"]},
    ]
    assert result["Included Product"][0]["discount_type"] == "legacy"  # unknown code shown as stored
    assert list(result["Product Discount"][0]) == [
        "name", "type", "is_active", "priority", "times_used", "limit", "discount_type", "discount_value",
        "applicable_products",
    ]
    assert result["Category Discount"] == [
        {"name": "Flash", "type": "Category Discount", "is_active": False, "priority": 30, "times_used": 34,
         "limit": 200, "discount_type": "Percentage", "discount_value": D("10.00"),
         "applicable_products": ["All ticket types", "All add-ons"]},
    ]


def test_discount_conditions_of_other_conference(db: str) -> None:
    # the M2M row points at a conf-a ticket: str() names that ticket's own conference
    assert run(db, "conf-b", discount_conditions) == {"Group Member": [
        {"name": "Staff", "type": "Group Member", "is_active": True, "priority": 0,
         "discount_type": "Percentage", "discount_value": D("50.00"),
         "applicable_products": ["Early (conf-a)"]},
    ]}


def test_discount_impact(db: str) -> None:
    result = run(db, "conf-a", discount_impact)
    # paid set o1 o2 o3 o4 o8: gross 100+200+50+80+25, discount 10+20.5+5+0+25, net 90+179.5+45+80+0
    assert result["total_gross"] == D("455.00")
    assert result["total_discount"] == D("60.50")
    assert result["total_net"] == D("394.50")
    assert abs(result["discount_rate"] - D("13.2967032967")) < D("1e-9")  # 60.5 / 455 x 100
    assert result["orders_with_discount"] == 4
    assert result["orders_without_discount"] == 1
    assert result["by_voucher"] == [
        {"code": "SAVE10", "discount_total": 30.5, "order_count": 2},
        {"code": "FREE", "discount_total": 25.0, "order_count": 1},
        {"code": "GONE", "discount_total": 5.0, "order_count": 1},
    ]
    assert all(isinstance(row["discount_total"], float) for row in result["by_voucher"])


# --- ledger ------------------------------------------------------------------------------------------


def test_refund_metrics(db: str) -> None:
    result = run(db, "conf-a", refund_metrics)
    # refund credits 50 + 60 (the one of the refunded o5 is subtracted though o5 is not in revenue)
    assert result["total_refunded"] == D("110.00")
    assert result["refund_count"] == 2
    assert result["total_revenue"] == D("394.50")
    assert abs(result["refund_rate"] - D("27.8833967047")) < D("1e-9")  # 110 / 394.5 x 100
    assert result["by_status"] == {"available": 2, "applied": 2, "expired": 1}  # every credit, refund or not


def test_credit_summary(db: str) -> None:
    # issued 50+60+30+20+15; outstanding = remaining of available 50+10; applied = amount of applied 60+15
    assert run(db, "conf-a", credit_summary) == {
        "count": 5, "total_issued": D("175.00"), "total_outstanding": D("60.00"), "total_applied": D("75.00"),
    }


def test_reconciliation(db: str) -> None:
    result = run(db, "conf-a", reconciliation)
    # succeeded payments of conf-a orders: 90 + 179.5 + 45 + 80 + 0 + 36 (on the cancelled o6)
    assert result["sales_total"] == D("394.50")
    assert result["payments_total"] == D("430.50")
    assert result["discrepancy"] == D("-36.00")
    assert result["refunds_total"] == D("110.00")
    assert result["credits_outstanding"] == D("60.00")
    assert result["by_payment_method"] == [
        {"method": "comp", "count": 1, "total": D("0.00")},
        {"method": "manual", "count": 3, "total": D("161.00")},
        {"method": "stripe", "count": 2, "total": D("269.50")},
    ]
    assert result["by_order_status"] == [
        {"status": "cancelled", "count": 1, "total": D("36.00")},
        {"status": "paid", "count": 4, "total": D("215.00")},
        {"status": "partially_refunded", "count": 1, "total": D("179.50")},
        {"status": "pending", "count": 1, "total": D("30.00")},
        {"status": "refunded", "count": 1, "total": D("60.00")},
    ]


def test_cashflow_waterfall(db: str) -> None:
    # 455 - 60.50 - 110 + 75 (applied credits, refund or not)
    assert run(db, "conf-a", cashflow_waterfall) == [
        {"label": "Gross Sales", "value": D("455.00"), "type": "total"},
        {"label": "Discounts", "value": D("-60.50"), "type": "decrease"},
        {"label": "Refunds", "value": D("-110.00"), "type": "decrease"},
        {"label": "Credits Applied", "value": D("75.00"), "type": "increase"},
        {"label": "Net Revenue", "value": D("359.50"), "type": "total"},
    ]


# --- an empty conference -----------------------------------------------------------------------------


def test_empty_conference(db: str) -> None:
    zero = D("0.00")
    assert run(db, "empty", voucher_summary) == {
        "total": 0, "active": 0, "used": 0, "total_revenue_impact": zero,
    }
    assert run(db, "empty", discount_summary) == {"total": 0, "active": 0}
    assert run(db, "empty", discount_conditions) == {}
    assert run(db, "empty", discount_impact) == {
        "total_discount": zero, "total_gross": zero, "total_net": zero, "discount_rate": zero,
        "by_voucher": [], "orders_with_discount": 0, "orders_without_discount": 0,
    }
    assert run(db, "empty", refund_metrics) == {
        "total_refunded": zero, "total_revenue": zero, "refund_rate": zero, "refund_count": 0,
        "by_status": {"available": 0, "applied": 0, "expired": 0},
    }
    assert run(db, "empty", credit_summary) == {
        "count": 0, "total_issued": zero, "total_outstanding": zero, "total_applied": zero,
    }
    assert run(db, "empty", reconciliation) == {
        "sales_total": zero, "payments_total": zero, "refunds_total": zero, "credits_outstanding": zero,
        "discrepancy": zero, "by_payment_method": [], "by_order_status": [],
    }
    assert [step["value"] for step in run(db, "empty", cashflow_waterfall)] == [zero] * 5

"""Discount metrics: vouchers, discount conditions and what discounts cost paid orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Connection, Integer, Select, Table, Text, func, select, union_all

from ..data import dialect
from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from .common import PAID, absent, paid_orders, pct, read_parts
from .registry import metric

# DiscountEffect.DiscountType display labels; get_*_display() falls back to the stored value.
DISCOUNT_TYPE_LABELS = {"percentage": "Percentage", "fixed_amount": "Fixed Amount"}


@dataclass(frozen=True)
class ConditionKind:
    """One concrete django-program condition model, as the discount reports read it."""

    label: str
    table: Table
    stock: bool  # has times_used and limit
    category: bool = False  # DiscountForCategory: percentage and apply_to_* flags, no discount_type or M2Ms

    @property
    def owner(self) -> str:
        """The join tables' column naming the condition, e.g. speakercondition_id."""
        return self.table.name.removeprefix("program_registration_") + "_id"

    @property
    def products(self) -> tuple[tuple[Table, str, Table], ...]:
        """(join table, its product column, product table) for applicable ticket types, then add-ons."""
        if self.category:
            return ()
        tables = t.metadata.tables
        return (
            (tables[f"{self.table.name}_applicable_ticket_types"], "tickettype_id", t.ticket_type),
            (tables[f"{self.table.name}_applicable_addons"], "addon_id", t.addon),
        )


# In django-program's order, which is the key order of discount_conditions.
CONDITION_KINDS = (
    ConditionKind("Time/Stock Limit", t.timeorstocklimitcondition, stock=True),
    ConditionKind("Speaker", t.speakercondition, stock=False),
    ConditionKind("Group Member", t.groupmembercondition, stock=False),
    ConditionKind("Included Product", t.includedproductcondition, stock=False),
    ConditionKind("Product Discount", t.discountforproduct, stock=True),
    ConditionKind("Category Discount", t.discountforcategory, stock=True, category=True),
)


@metric()
def voucher_summary(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Vouchers: total, active, used (times_used > 0) and the discount of paid orders using their codes.

    One statement; the paid orders' discounts are summed per code before they meet the voucher codes.
    """
    v, o = t.voucher.c, t.order.c
    per_code = (
        select(o.voucher_code.label("code"), sum_cents(conn, o.discount_amount).label("cents"))
        .where(o.conference_id == conference.id, o.status.in_(PAID))
        .group_by(o.voucher_code)
        .subquery("per_code")
    )
    codes = select(v.code).where(v.conference_id == conference.id)
    impact = select(func.coalesce(func.sum(per_code.c.cents), 0)).where(per_code.c.code.in_(codes))
    total, active, used, cents_impact = conn.execute(
        select(
            func.count(), func.count().filter(v.is_active.is_(True)), func.count().filter(v.times_used > 0),
            impact.scalar_subquery(),
        ).where(v.conference_id == conference.id)
    ).one()
    return {"total": total, "active": active, "used": used, "total_revenue_impact": cents(cents_impact)}


@metric()
def discount_summary(conn: Connection, conference: Conference) -> dict[str, int]:
    """Discount conditions of all six kinds: total and active."""
    per_kind = union_all(*(
        select(func.count().label("total"), func.count().filter(c.is_active.is_(True)).label("active"))
        .where(c.conference_id == conference.id)
        for c in (k.table.c for k in CONDITION_KINDS)
    ))
    rows = conn.execute(per_kind).all()
    return {"total": sum(r.total for r in rows), "active": sum(r.active for r in rows)}


def _applicable_products(conn: Connection, conference: Conference) -> dict[str, dict[int, list[str]]]:
    """kind label -> condition id -> str() of its applicable ticket types, then add-ons, each in
    (order, name) order; every kind's links read in one statement."""
    cf = t.conference.c
    queries: dict[str, Select[Any]] = {}  # "<kind label>:<product column>", ticket types first
    for kind in CONDITION_KINDS:
        ids = select(kind.table.c.id).where(kind.table.c.conference_id == conference.id)
        for join_table, target, product in kind.products:
            link, p = dialect.table(conn, join_table).c, product.c
            owner = link[kind.owner]
            queries[f"{kind.label}:{target}"] = (
                select(func.row_number().over(order_by=(owner, p.order, p.name, p.id)).label("rank"),
                       owner.label("condition"), p.name, cf.slug)
                .join(product, p.id == link[target])
                .join(t.conference, cf.id == p.conference_id)
                .where(owner.in_(ids))
            )
    products: dict[str, dict[int, list[str]]] = {kind.label: defaultdict(list) for kind in CONDITION_KINDS}
    for name, rows in read_parts(conn, queries).items():
        for row in rows:
            products[name.rpartition(":")[0]][row.condition].append(f"{row.name} ({row.slug})")
    return products


def _condition_columns(kind: ConditionKind) -> list[Any]:
    """The columns every kind is read with (NULL where the kind has none), ranked by priority then name."""
    c = kind.table.c

    def either(column: Any, type_: Any, label: str) -> Any:
        return (column if column is not None else absent(type_)).label(label)

    return [
        func.row_number().over(order_by=(c.priority, c.name, c.id)).label("rank"),
        c.id, c.name, c.is_active, c.priority,
        either(c.times_used if kind.stock else None, Integer, "times_used"),
        either(c["limit"] if kind.stock else None, Integer, "limit"),
        either(None if kind.category else c.discount_type, Text, "discount_type"),
        (c.percentage if kind.category else c.discount_value).label("discount_value"),
        either(c.apply_to_tickets if kind.category else None, Boolean, "apply_to_tickets"),
        either(c.apply_to_addons if kind.category else None, Boolean, "apply_to_addons"),
    ]


def _condition_entry(row: Any, kind: ConditionKind, products: list[str]) -> dict[str, Any]:
    """A condition as django-program's report dict (keys in its order)."""
    entry: dict[str, Any] = {"name": row.name, "type": kind.label, "is_active": row.is_active,
                             "priority": row.priority}
    if kind.stock:
        entry["times_used"] = row.times_used
        entry["limit"] = row.limit
    if kind.category:
        entry["discount_type"] = "Percentage"
        products = products + [label for flag, label in ((row.apply_to_tickets, "All ticket types"),
                                                         (row.apply_to_addons, "All add-ons")) if flag]
    else:
        entry["discount_type"] = DISCOUNT_TYPE_LABELS.get(row.discount_type, row.discount_type)
    entry["discount_value"] = row.discount_value
    entry["applicable_products"] = products
    return entry


@metric()
def discount_conditions(conn: Connection, conference: Conference) -> dict[str, list[dict[str, Any]]]:
    """Conditions grouped by kind label; kinds without conditions are left out.

    Two statements: every kind's conditions, then, when there are any, every kind's products.
    """
    found = read_parts(conn, {
        kind.label: select(*_condition_columns(kind)).where(kind.table.c.conference_id == conference.id)
        for kind in CONDITION_KINDS
    })
    if not any(found.values()):
        return {}
    products = _applicable_products(conn, conference)
    return {
        kind.label: [_condition_entry(row, kind, products[kind.label].get(row.id, [])) for row in rows]
        for kind in CONDITION_KINDS
        if (rows := found[kind.label])
    }


@metric()
def discount_impact(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Discounts on paid orders: gross, discount, net, rate, order counts and per voucher code."""
    o = t.order.c
    paid = (o.conference_id == conference.id, o.status.in_(PAID))
    sums = paid_orders(conn, conference)
    total_discount, total_gross, total_net = cents(sums.discount), cents(sums.subtotal), cents(sums.total)
    discount = sum_cents(conn, o.discount_amount).label("discount")
    by_voucher = conn.execute(
        select(o.voucher_code, discount, func.count())
        .where(*paid, o.voucher_code > "")
        .group_by(o.voucher_code)
        .order_by(discount.desc(), o.voucher_code)
    )
    return {
        "total_discount": total_discount,
        "total_gross": total_gross,
        "total_net": total_net,
        "discount_rate": pct(total_discount, total_gross),
        "by_voucher": [
            {"code": code, "discount_total": float(cents(c)), "order_count": n} for code, c, n in by_voucher
        ],
        "orders_with_discount": sums.discounted,
        "orders_without_discount": sums.undiscounted,
    }

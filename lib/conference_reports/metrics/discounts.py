"""Discount metrics: vouchers, discount conditions and what discounts cost paid orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select, union_all

from ..data import dialect
from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, sum_cents
from .common import PAID, paid_orders, pct
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
    """Vouchers: total, active, used (times_used > 0) and the discount of paid orders using their codes."""
    v = t.voucher.c
    o = t.order.c
    counts = conn.execute(
        select(
            func.count(), func.count().filter(v.is_active.is_(True)), func.count().filter(v.times_used > 0)
        )
        .where(v.conference_id == conference.id)
    ).one()
    codes = select(v.code).where(v.conference_id == conference.id)
    impact = conn.execute(
        select(sum_cents(conn, o.discount_amount))
        .where(o.conference_id == conference.id, o.status.in_(PAID), o.voucher_code.in_(codes))
    ).scalar_one()
    return {"total": counts[0], "active": counts[1], "used": counts[2], "total_revenue_impact": cents(impact)}


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


def _applicable_products(
    conn: Connection, kind: ConditionKind, conference: Conference
) -> dict[int, list[str]]:
    """condition id -> str() of its applicable ticket types, then add-ons, each in (order, name) order."""
    ids = select(kind.table.c.id).where(kind.table.c.conference_id == conference.id)
    products: dict[int, list[str]] = defaultdict(list)
    for join_table, target, product in kind.products:
        link = dialect.table(conn, join_table).c
        p, cf = product.c, t.conference.c
        rows = conn.execute(
            select(link[kind.owner], p.name, cf.slug)
            .join(product, p.id == link[target])
            .join(t.conference, cf.id == p.conference_id)
            .where(link[kind.owner].in_(ids))
            .order_by(link[kind.owner], p.order, p.name, p.id)
        )
        for cond_id, name, slug in rows:
            products[cond_id].append(f"{name} ({slug})")
    return products


def _condition_columns(kind: ConditionKind) -> list[Any]:
    """The columns of this kind that the report dict shows (plus the id)."""
    c = kind.table.c
    columns = [c.id, c.name, c.is_active, c.priority]
    if kind.stock:
        columns += [c.times_used, c["limit"]]
    if kind.category:
        columns += [c.percentage.label("discount_value"), c.apply_to_tickets, c.apply_to_addons]
    else:
        columns += [c.discount_type, c.discount_value]
    return columns


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


def _condition_entries(conn: Connection, kind: ConditionKind, conference: Conference) -> list[dict[str, Any]]:
    """One dict per condition of this kind, ordered by priority then name."""
    c = kind.table.c
    rows = conn.execute(
        select(*_condition_columns(kind))
        .where(c.conference_id == conference.id)
        .order_by(c.priority, c.name, c.id)
    ).all()
    if not rows:
        return []
    products = _applicable_products(conn, kind, conference)
    return [_condition_entry(row, kind, products.get(row.id, [])) for row in rows]


@metric()
def discount_conditions(conn: Connection, conference: Conference) -> dict[str, list[dict[str, Any]]]:
    """Conditions grouped by kind label; kinds without conditions are left out."""
    result = {}
    for kind in CONDITION_KINDS:
        entries = _condition_entries(conn, kind, conference)
        if entries:
            result[kind.label] = entries
    return result


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

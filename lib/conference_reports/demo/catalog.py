"""What a conference sells, as data: ticket types and add-ons (``Product``), vouchers and discount
conditions, plus the writers of vouchers and conditions.

Vouchers and conditions count their use (``times_used``) while orders are generated, so they
are written after the sales, with ids reserved up front.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from .values import money
from .writer import RowWriter


@dataclass
class Product:
    """A ticket type or an add-on."""

    id: int
    kind: str  # "ticket" or "addon"
    key: str
    name: str
    price: Decimal
    available_from: dt.datetime | None = None
    available_until: dt.datetime | None = None
    capacity: int = 0  # 0 = unlimited
    requires_voucher: bool = False
    is_active: bool = True
    sold: int = 0

    def on_sale(self, when: dt.datetime) -> bool:
        after_start = self.available_from is None or when >= self.available_from
        before_end = self.available_until is None or when <= self.available_until
        return self.is_active and after_start and before_end

    def has_stock(self, quantity: int = 1) -> bool:
        return self.capacity == 0 or self.sold + quantity <= self.capacity


@dataclass
class Voucher:
    id: int
    code: str
    voucher_type: str  # comp, percentage, fixed_amount
    value: Decimal
    max_uses: int
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    ticket_ids: tuple[int, ...] = ()
    addon_ids: tuple[int, ...] = ()
    unlocks_hidden: bool = False
    is_active: bool = True
    times_used: int = 0

    def usable(self, when: dt.datetime) -> bool:
        in_window = (self.valid_from is None or when >= self.valid_from) and (
            self.valid_until is None or when <= self.valid_until
        )
        return self.is_active and in_window and self.times_used < self.max_uses

    def applies_to(self, product: Product) -> bool:
        """django-program's rule: an empty list of ticket types (or add-ons) means all of them."""
        ids = self.ticket_ids if product.kind == "ticket" else self.addon_ids
        return not ids or product.id in ids

    def snapshot(self) -> str:
        return json.dumps(
            {
                "code": self.code,
                "voucher_type": self.voucher_type,
                "discount_value": str(self.value),
                "unlocks_hidden_tickets": self.unlocks_hidden,
            }
        )


@dataclass
class Condition:
    """A discount condition; ``table`` names its django-program model table."""

    id: int
    table: str
    name: str
    priority: int
    discount_type: str  # percentage or fixed_amount (category discounts: percentage)
    value: Decimal
    ticket_ids: tuple[int, ...] = ()
    addon_ids: tuple[int, ...] = ()
    window: tuple[dt.datetime, dt.datetime] | None = None
    limit: int = 0
    is_active: bool = True
    enabling_ticket_ids: tuple[int, ...] = ()  # included-product condition
    speakers_only: bool = False
    whole_category: tuple[bool, bool] | None = None  # category discount: (tickets, add-ons)
    times_used: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def matches(self, product: Product) -> bool:
        if self.whole_category is not None:
            return self.whole_category[0] if product.kind == "ticket" else self.whole_category[1]
        return product.id in (self.ticket_ids if product.kind == "ticket" else self.addon_ids)

    def discount(self, product: Product, quantity: int) -> Decimal:
        gross = product.price * quantity
        if self.discount_type == "percentage":
            return money(gross * min(self.value, Decimal(100)) / 100)
        return min(self.value * quantity, gross)


@dataclass
class Catalog:
    """The products, vouchers and conditions of one conference."""

    tickets: dict[str, Product]
    addons: dict[str, Product]
    vouchers: dict[str, Voucher] = field(default_factory=dict)
    conditions: list[Condition] = field(default_factory=list)

    def addon_group(self, prefix: str) -> list[Product]:
        return [a for key, a in self.addons.items() if key.startswith(prefix)]


def add_voucher(
    catalog: Catalog,
    writer: RowWriter,
    code: str,
    voucher_type: str,
    value: float,
    max_uses: int,
    window: tuple[dt.datetime | None, dt.datetime | None],
    tickets: tuple[str, ...] = (),
    addons: tuple[str, ...] = (),
    *,
    unlocks_hidden: bool = False,
    is_active: bool = True,
) -> Voucher:
    """Register a voucher (written later by ``write_vouchers``)."""
    voucher = Voucher(
        writer.next_id("program_registration_voucher"),
        code,
        voucher_type,
        money(value),
        max_uses,
        window[0],
        window[1],
        tuple(catalog.tickets[k].id for k in tickets),
        tuple(catalog.addons[k].id for k in addons),
        unlocks_hidden,
        is_active,
    )
    catalog.vouchers[code] = voucher
    return voucher


def write_vouchers(catalog: Catalog, conference_id: int, writer: RowWriter, created: dt.datetime) -> None:
    for v in catalog.vouchers.values():
        writer.add(
            "program_registration_voucher",
            {
                "id": v.id,
                "conference_id": conference_id,
                "code": v.code,
                "voucher_type": v.voucher_type,
                "discount_value": v.value,
                "max_uses": v.max_uses,
                "times_used": v.times_used,
                "valid_from": v.valid_from,
                "valid_until": v.valid_until,
                "unlocks_hidden_tickets": v.unlocks_hidden,
                "is_active": v.is_active,
                "created_at": created,
                "updated_at": created,
            },
        )
        for tid in v.ticket_ids:
            writer.add(
                "program_registration_voucher_applicable_ticket_types",
                {"voucher_id": v.id, "tickettype_id": tid},
            )
        for aid in v.addon_ids:
            writer.add(
                "program_registration_voucher_applicable_addons", {"voucher_id": v.id, "addon_id": aid}
            )


def write_conditions(
    catalog: Catalog, conference_id: int, writer: RowWriter, created: dt.datetime, group_id: int
) -> None:
    """Write each condition row and its many-to-many rows."""
    for c in catalog.conditions:
        table = f"program_registration_{c.table}"
        row: dict[str, object] = {
            "id": c.id,
            "conference_id": conference_id,
            "name": c.name,
            "description": "",
            "is_active": c.is_active,
            "priority": c.priority,
            "created_at": created,
            "updated_at": created,
        }
        if c.table == "discountforcategory":
            assert c.whole_category is not None
            row.update(
                percentage=c.value, apply_to_tickets=c.whole_category[0], apply_to_addons=c.whole_category[1]
            )
        else:
            row.update(discount_type=c.discount_type, discount_value=c.value, max_quantity=0)
        if c.table in ("timeorstocklimitcondition", "discountforproduct", "discountforcategory"):
            assert c.window is not None
            row.update(start_time=c.window[0], end_time=c.window[1], limit=c.limit, times_used=c.times_used)
        row.update(c.extra)
        writer.add(table, row)
        if c.table == "discountforcategory":
            continue
        owner = f"{c.table}_id"
        for tid in c.ticket_ids:
            writer.add(f"{table}_applicable_ticket_types", {owner: c.id, "tickettype_id": tid})
        for aid in c.addon_ids:
            writer.add(f"{table}_applicable_addons", {owner: c.id, "addon_id": aid})
        for tid in c.enabling_ticket_ids:
            writer.add(f"{table}_enabling_ticket_types", {owner: c.id, "tickettype_id": tid})
        if c.table == "groupmembercondition":
            writer.add(f"{table}_groups", {owner: c.id, "group_id": group_id})

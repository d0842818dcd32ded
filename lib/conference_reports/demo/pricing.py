"""Order arithmetic as django-program's checkout does it.

Per line, the first eligible condition (by priority, no stacking) discounts the line; then the
voucher discounts the post-condition price of the lines it applies to. ``line_total`` = gross -
condition discount - voucher discount; the line's ``discount_amount`` is the voucher part only;
the order's ``discount_amount`` is both parts; ``total`` = max(subtotal - discount, 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .catalog import Catalog, Condition, Product, Voucher
from .values import ZERO, money


@dataclass
class PricedLine:
    product: Product
    quantity: int
    gross: Decimal
    condition_discount: Decimal = ZERO
    voucher_discount: Decimal = ZERO

    @property
    def line_total(self) -> Decimal:
        return self.gross - self.condition_discount - self.voucher_discount


@dataclass
class PricedOrder:
    lines: list[PricedLine]
    voucher: Voucher | None

    @property
    def subtotal(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)

    @property
    def discount(self) -> Decimal:
        return sum((line.condition_discount + line.voucher_discount for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return max(self.subtotal - self.discount, ZERO)


def _eligible(c: Condition, when: dt.datetime, speaker: bool, ticket_ids: set[int]) -> bool:
    if not c.is_active or (c.speakers_only and not speaker):
        return False
    if c.window is not None and not (c.window[0] <= when <= c.window[1]):
        return False
    if c.limit and c.times_used >= c.limit:
        return False
    return not c.enabling_ticket_ids or bool(ticket_ids.intersection(c.enabling_ticket_ids))


def price_order(
    catalog: Catalog,
    items: list[tuple[Product, int]],
    when: dt.datetime,
    voucher: Voucher | None = None,
    *,
    speaker: bool = False,
) -> PricedOrder:
    """Price a checkout and count the use of the voucher and conditions (as checkout commits them)."""
    lines = [PricedLine(p, q, p.price * q) for p, q in items]
    ticket_ids = {p.id for p, _ in items if p.kind == "ticket"}
    for condition in catalog.conditions:  # already in priority order
        if not _eligible(condition, when, speaker, ticket_ids):
            continue
        for line in lines:
            if line.condition_discount or not condition.matches(line.product):
                continue
            amount = condition.discount(line.product, line.quantity)
            if amount > 0 and (not condition.limit or condition.times_used < condition.limit):
                line.condition_discount = min(amount, line.gross)
                condition.times_used += 1
    if voucher is not None:
        _apply_voucher(voucher, lines)
        voucher.times_used += 1
    return PricedOrder(lines, voucher)


def _apply_voucher(voucher: Voucher, lines: list[PricedLine]) -> None:
    applicable = [ln for ln in lines if voucher.applies_to(ln.product) and ln.line_total > 0]
    if voucher.voucher_type == "comp":
        for line in applicable:
            line.voucher_discount = line.line_total
    elif voucher.voucher_type == "percentage":
        for line in applicable:
            line.voucher_discount = money(line.line_total * voucher.value / 100)
    elif applicable:  # fixed amount, spread over the lines in proportion, remainder on the last
        base = sum((ln.line_total for ln in applicable), ZERO)
        budget = min(voucher.value, base)
        left = budget
        for i, line in enumerate(applicable):
            share = left if i == len(applicable) - 1 else min(money(budget * line.line_total / base), left)
            line.voucher_discount = share
            left -= share

"""Order rows as checkout writes them: cart, order, line items, payments (and terminal details).

An ``Outcome`` says what became of an order: its status, when and how it was paid, and whether
(and how much) it was refunded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from .catalog import Product, Voucher
from .context import ConferenceContext
from .pricing import PricedOrder
from .values import ZERO, hex_token

ORDER = "program_registration_order"
LINE = "program_registration_orderlineitem"
PAYMENT = "program_registration_payment"
CART = "program_registration_cart"
CART_ITEM = "program_registration_cartitem"
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)

# fmt: off
COMPANIES = (
    "Acme Analytics", "Blue Heron Labs", "Northwind Data", "Quantum Pine", "Riverbend Software",
    "Copperleaf Systems", "Tidewater Cloud", "Lumen Robotics", "Granite Peak Bank", "Fjord AI",
    "Sunlit Health", "Orchard Logistics", "Mosaic Media", "Ironbark Energy", "Helix Genomics",
)
# fmt: on
UTM_SOURCES = (
    ("newsletter", "email"),
    ("mastodon", "social"),
    ("linkedin", "social"),
    ("partner-site", "referral"),
    ("search", "cpc"),
    ("meetup", "referral"),
)


@dataclass
class Outcome:
    status: str
    paid_at: dt.datetime | None = None
    method: str = "stripe"
    refund_at: dt.datetime | None = None
    refund_amount: Decimal = ZERO
    via_credit: bool = True  # refund recorded as a Credit (staff refund) rather than in Stripe only


class OrderDesk:
    """Writes the rows of one checkout; ids come from the writer in creation order."""

    def __init__(self, ctx: ConferenceContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.ed = ctx.edition
        self.w = ctx.writer
        self.rng = rng

    def cart(
        self,
        uid: int,
        created: dt.datetime,
        status: str,
        items: list[tuple[Product, int]],
        voucher: Voucher | None = None,
        closed: dt.datetime | None = None,
    ) -> int:
        rng = self.rng
        expires = created + 30 * MINUTE
        if status == "checked_out":
            updated = closed or created
        elif status == "expired":
            updated = min(expires + dt.timedelta(hours=rng.uniform(0, 6)), self.ctx.now)
        elif status == "abandoned":
            updated = created + dt.timedelta(minutes=rng.uniform(1, 25))
        else:
            updated = created
        cart_id = self.w.add(
            CART,
            {
                "user_id": uid,
                "conference_id": self.ctx.conference_id,
                "status": status,
                "voucher_id": voucher.id if voucher else None,
                "expires_at": expires,
                "created_at": created,
                "updated_at": updated,
            },
        )
        for i, (product, quantity) in enumerate(items):
            key = "ticket_type_id" if product.kind == "ticket" else "addon_id"
            self.w.add(
                CART_ITEM,
                {
                    "cart_id": cart_id,
                    key: product.id,
                    "quantity": quantity,
                    "created_at": created + i * 20 * dt.timedelta(seconds=1),
                },
            )
        return cart_id

    def write_order(self, uid: int, when: dt.datetime, priced: PricedOrder, outcome: Outcome) -> int:
        rng, w = self.rng, self.w
        person = self.ctx.people.person(uid)
        items = [(ln.product, ln.quantity) for ln in priced.lines]
        self.cart(
            uid, when - dt.timedelta(minutes=rng.uniform(2, 25)), "checked_out", items, priced.voucher, when
        )
        if outcome.status != "cancelled":
            for product, quantity in items:
                product.sold += quantity
        order_id = w.next_id(ORDER)
        updated = outcome.refund_at or outcome.paid_at or when
        if outcome.status == "cancelled":
            updated = when + dt.timedelta(minutes=rng.uniform(15, 120))
        corporate = any(p.key == "corporate" for p, _ in items)
        source, medium, campaign = self._utm(when)
        w.add(
            ORDER,
            {
                "id": order_id,
                "conference_id": self.ctx.conference_id,
                "user_id": uid,
                "status": outcome.status,
                "subtotal": priced.subtotal,
                "discount_amount": priced.discount,
                "total": priced.total,
                "voucher_code": priced.voucher.code if priced.voucher else "",
                "voucher_details": priced.voucher.snapshot() if priced.voucher else "",
                "billing_name": person.full_name,
                "billing_email": person.email,
                "billing_company": COMPANIES[uid % len(COMPANIES)] if corporate else "",
                "reference": f"ORD-{self.ctx.history.order_refs.code(order_id)}",
                "utm_source": source,
                "utm_medium": medium,
                "utm_campaign": campaign,
                "hold_expires_at": when + 15 * MINUTE,
                "created_at": when,
                "updated_at": updated,
            },
        )
        for ln in priced.lines:
            w.add(
                LINE,
                {
                    "order_id": order_id,
                    "description": ln.product.name,
                    "quantity": ln.quantity,
                    "unit_price": ln.product.price,
                    "discount_amount": ln.voucher_discount,
                    "line_total": ln.line_total,
                    "ticket_type_id": ln.product.id if ln.product.kind == "ticket" else None,
                    "addon_id": ln.product.id if ln.product.kind == "addon" else None,
                    "created_at": when,
                },
            )
        self._payments(order_id, uid, when, priced, outcome)
        return order_id

    def _utm(self, when: dt.datetime) -> tuple[str, str, str]:
        if self.rng.random() > 0.35:
            return "", "", ""
        source, medium = UTM_SOURCES[int(self.rng.random() * len(UTM_SOURCES))]
        ed = self.ed
        if when < ed.sales_open + 5 * DAY:
            campaign = "tickets-on-sale"
        elif abs(when - ed.early_bird_end) < 5 * DAY:
            campaign = "early-bird-last-call"
        elif abs(when - ed.late_price_from) < 5 * DAY:
            campaign = "price-increase"
        else:
            campaign = "speakers-announced" if when.day % 2 else "monthly-newsletter"
        return source, medium, campaign

    def payment(
        self, order_id: int, method: str, status: str, amount: Decimal, at: dt.datetime, **extra: object
    ) -> int:
        row: dict[str, object] = {
            "order_id": order_id,
            "method": method,
            "status": status,
            "amount": amount,
            "created_at": at,
        }
        if method in ("stripe", "terminal"):
            row["stripe_payment_intent_id"] = "pi_" + hex_token(self.rng, 24)
            if status in ("succeeded", "refunded"):
                row["stripe_charge_id"] = "ch_" + hex_token(self.rng, 24)
        row.update(extra)
        return self.w.add(PAYMENT, row)

    def _payments(
        self, order_id: int, uid: int, when: dt.datetime, priced: PricedOrder, outcome: Outcome
    ) -> None:
        rng, total, staff = self.rng, priced.total, self.ctx.staff
        if outcome.status == "cancelled":
            if rng.random() < 0.6 and total > 0:
                self.payment(order_id, "stripe", "failed", total, when + MINUTE, note="card_declined")
            return
        if outcome.status == "pending":
            roll = rng.random()
            if outcome.method == "manual":
                self.payment(
                    order_id, "manual", "pending", total, when + MINUTE, note="Awaiting bank transfer"
                )
            elif outcome.method == "stripe" and roll < 0.4:
                self.payment(
                    order_id, "stripe", "processing" if roll < 0.2 else "pending", total, when + MINUTE
                )
            return
        assert outcome.paid_at is not None
        if outcome.method == "credit":
            return  # the caller records the credit (and any remainder) it paid with
        if outcome.method == "comp":
            self.payment(
                order_id, "comp", "succeeded", ZERO, outcome.paid_at, note="Complimentary registration"
            )
            return
        if outcome.method == "manual":
            self.payment(
                order_id,
                "manual",
                "succeeded",
                total,
                outcome.paid_at,
                created_by_id=staff[3],
                reference=f"INV-{order_id:06d}",
                note="Bank transfer received",
            )
            return
        if outcome.method == "terminal":
            pid = self.payment(
                order_id, "terminal", "succeeded", total, outcome.paid_at, created_by_id=staff[1]
            )
            self._terminal(pid, outcome.paid_at)
            return
        if rng.random() < 0.04:
            self.payment(
                order_id, "stripe", "failed", total, when + 10 * dt.timedelta(seconds=1), note="card_declined"
            )
        status = "refunded" if outcome.status == "refunded" else "succeeded"
        self.payment(order_id, "stripe", status, total, outcome.paid_at)

    def _terminal(self, payment_id: int, at: dt.datetime) -> None:
        rng = self.rng
        self.w.add(
            "program_registration_terminalpayment",
            {
                "conference_id": self.ctx.conference_id,
                "payment_id": payment_id,
                "terminal_id": f"tml_{hex_token(rng, 12)}",
                "reader_id": f"tmr_desk{1 + rng.randrange(4)}",
                "payment_intent_id": f"pi_{hex_token(rng, 24)}",
                "capture_status": "captured",
                "captured_at": at,
                "card_brand": ("visa", "mastercard", "amex")[rng.randrange(3)],
                "card_last4": f"{rng.randrange(10000):04d}",
                "created_at": at,
                "updated_at": at,
            },
        )

    def credit_row(
        self, uid: int, amount: Decimal, at: dt.datetime, note: str, *, source_order_id: int | None = None
    ) -> dict[str, object]:
        return {
            "user_id": uid,
            "conference_id": self.ctx.conference_id,
            "amount": amount,
            "remaining_amount": amount,
            "status": "available",
            "applied_to_order_id": None,
            "source_order_id": source_order_id,
            "note": note,
            "created_at": at,
            "updated_at": at,
        }

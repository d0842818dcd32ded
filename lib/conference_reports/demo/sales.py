"""Ticket sales of one conference: carts, orders, line items, payments, refunds and credits.

Buyers arrive along the demand curve (returning attendees tend to buy early). Each buyer may
browse first (expired or abandoned carts), may let a first order lapse (cancelled), then checks
out; the order is paid (card, invoice, credit, comp or at the desk), later perhaps refunded in
part or in full (a refund is a Credit with ``source_order_id``), and a refunded buyer may buy
again with that credit. Whoever paid becomes an attendee.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .baskets import Shopper
from .catalog import Product, Voucher, write_conditions, write_vouchers
from .context import AttendeeRecord, ConferenceContext
from .curve import DemandCurve
from .orders import DAY, MINUTE, PAYMENT, OrderDesk, Outcome
from .pricing import PricedOrder, price_order
from .values import money

CREDIT = "program_registration_credit"

# fmt: off
REFUND_NOTES = (
    "Refund: cannot travel", "Refund: visa denied", "Refund: duplicate purchase",
    "Refund: employer paid instead", "Refund: illness",
)
PARTIAL_NOTES = (
    "Partial refund: add-on not used", "Partial refund: price adjustment",
    "Partial refund: schedule conflict",
)
# fmt: on


class SalesGenerator:
    """Generates every sales row of one conference; collects attendees in ``ctx.attendees``."""

    def __init__(self, ctx: ConferenceContext) -> None:
        assert ctx.catalog is not None
        self.ctx = ctx
        self.ed = ctx.edition
        self.w = ctx.writer
        self.catalog = ctx.catalog
        self.rng = ctx.rng("sales")
        self.curve = DemandCurve(self.ed)
        self.horizon = ctx.horizon
        self.credits: dict[int, list[dict[str, object]]] = {}  # user -> open credit rows (unwritten)
        self.speaker_ticket = self.catalog.tickets["speaker"]
        self.shop = Shopper(self.ed, self.catalog, self.rng)
        self.desk = OrderDesk(ctx, self.rng)

    # -- orchestration ---------------------------------------------------------------------
    def run(self) -> None:
        self._speaker_registrations()
        for uid, when in self._buyers():
            self._buyer(uid, when)
        self._browsers()
        self._manual_attendees()
        self._write_open_credits()
        created = self.ctx.created
        write_vouchers(self.catalog, self.ctx.conference_id, self.w, created)
        write_conditions(self.catalog, self.ctx.conference_id, self.w, created, self.ctx.volunteers_group_id)

    def _buyers(self) -> list[tuple[int, dt.datetime]]:
        """(user id, purchase instant) of every buyer up to the horizon, in time order."""
        rng, ed, hist = self.rng, self.ed, self.ctx.history
        manual = max(1, round(ed.planned_attendance * 0.01))
        n = max(0, ed.planned_attendance - len(self.ctx.speaker_users) - manual)
        slots = sorted(self.curve.draw(rng) for _ in range(n))
        taken = set(self.ctx.speaker_users)
        last = [u for u in hist.past_attendees(ed.series.key, 1) if u not in taken]
        taken.update(last)
        before = [u for u in hist.past_attendees(ed.series.key, 2) if u not in taken]
        other = "regiocon" if ed.series.large else "pyconf"
        cross = [u for u in hist.past_attendees(other, 1) if u not in taken]
        share = 0.36 if ed.series.large else 0.44
        picks: list[tuple[float, int | None]] = []
        chosen: set[int] = set()
        for pool, count, bias in (
            (last, round(n * share), 0.75),
            (before, round(n * 0.06), 0.85),
            (cross, round(n * 0.05), 0.9),
        ):
            pool = [u for u in pool if u not in chosen]
            for uid in rng.sample(pool, min(count, len(pool))):
                chosen.add(uid)
                picks.append((rng.random() * bias, uid))
        picks += [(rng.random(), None) for _ in range(max(0, n - len(picks)))]
        picks.sort(key=lambda p: p[0])
        buyers = []
        for when, (_, uid) in zip(slots, picks, strict=False):
            if when >= self.horizon:
                break
            buyers.append((uid if uid is not None else self.ctx.people.new_user(when), when))
        return buyers

    # -- a buyer's journey -----------------------------------------------------------------
    def _buyer(self, uid: int, when: dt.datetime) -> None:
        rng = self.rng
        on_site = self.curve.on_site(when)
        segment = self.shop.segment()
        items = self.shop.basket(segment, when, on_site)
        if not items:
            return
        if not on_site:
            roll = rng.random()
            if roll < 0.22:
                self.desk.cart(uid, when - dt.timedelta(hours=rng.uniform(1, 96)), "expired", items)
            elif roll < 0.26:
                self.desk.cart(uid, when - dt.timedelta(days=rng.uniform(1, 20)), "abandoned", items)
            lapsed = when - dt.timedelta(hours=rng.uniform(0.5, 48))
            if rng.random() < 0.05 and all(p.on_sale(lapsed) for p, _ in items):
                self._order(uid, lapsed, items, self.shop.voucher(segment, lapsed), Outcome("cancelled"))
        voucher = self.shop.voucher(segment, when)
        priced = price_order(self.catalog, items, when, voucher)
        outcome = self._outcome(when, segment, priced, on_site)
        order_id = self.desk.write_order(uid, when, priced, outcome)
        self._after_payment(uid, order_id, priced, outcome, online=segment == "online")

    def _outcome(self, when: dt.datetime, segment: str, priced: PricedOrder, on_site: bool) -> Outcome:
        rng, total = self.rng, priced.total
        if self.horizon - when < dt.timedelta(minutes=20) and self.ed.phase == "selling":
            return Outcome("pending")
        if total == 0:
            return Outcome("paid", when + dt.timedelta(seconds=rng.uniform(1, 20)), "comp")
        if on_site:
            return Outcome("paid", when + dt.timedelta(seconds=rng.uniform(20, 120)), "terminal")
        method, delay = "stripe", dt.timedelta(seconds=rng.uniform(5, 90))
        if segment == "corporate" and rng.random() < 0.35:
            method, delay = "manual", dt.timedelta(days=rng.uniform(1, 14))
        paid_at = when + delay
        if paid_at >= self.horizon or rng.random() < 0.004:
            return Outcome("pending", method=method)
        outcome = Outcome("paid", paid_at, method)
        latest_refund = min(self.ctx.now, dt.datetime.combine(self.ed.end, dt.time(), dt.UTC) + 3 * DAY)
        roll = rng.random()
        if roll < 0.065 and paid_at + DAY < latest_refund:
            outcome.refund_at = paid_at + (latest_refund - paid_at - DAY) * rng.random() + DAY
            if roll < 0.035:
                outcome.status, outcome.refund_amount = "refunded", total
                outcome.via_credit = rng.random() < 0.75
            else:
                outcome.status, outcome.refund_amount = "partially_refunded", self._partial_amount(priced)
        return outcome

    def _partial_amount(self, priced: PricedOrder) -> Decimal:
        addon_totals = [
            ln.line_total for ln in priced.lines if ln.product.kind == "addon" and ln.line_total > 0
        ]
        if addon_totals:
            return addon_totals[-1]
        return money(priced.total * Decimal(str(round(self.rng.uniform(0.2, 0.5), 2))))

    def _order(
        self,
        uid: int,
        when: dt.datetime,
        items: list[tuple[Product, int]],
        voucher: Voucher | None,
        outcome: Outcome,
    ) -> int:
        """Price a checkout at ``when`` and write it with its outcome."""
        return self.desk.write_order(uid, when, price_order(self.catalog, items, when, voucher), outcome)

    # -- after payment: refunds, credits, re-purchases, attendees --------------------------
    def _after_payment(
        self,
        uid: int,
        order_id: int,
        priced: PricedOrder,
        outcome: Outcome,
        *,
        online: bool = False,
        speaker: bool = False,
    ) -> None:
        if outcome.status in ("pending", "cancelled"):
            return
        assert outcome.paid_at is not None
        self.ctx.buyers.add(uid)
        record = AttendeeRecord(uid, order_id, outcome.paid_at, online=online, speaker=speaker)
        if self.curve.on_site(outcome.paid_at):
            record.on_site_at = outcome.paid_at
        if outcome.status != "refunded":
            for ln in priced.lines:
                if ln.product.kind == "addon":
                    self.ctx.addon_buyers[ln.product.key].append(uid)
        if outcome.refund_at is not None and outcome.via_credit:
            full = outcome.status == "refunded"
            notes = REFUND_NOTES if full else PARTIAL_NOTES
            credit = self.desk.credit_row(
                uid,
                outcome.refund_amount,
                outcome.refund_at,
                notes[order_id % len(notes)],
                source_order_id=order_id,
            )
            if full and self.rng.random() < 0.35:
                rebuy = self._rebuy(uid, outcome.refund_at, credit)
                if rebuy is not None:
                    record.order_id = rebuy
                    outcome = Outcome("paid", outcome.paid_at)
            if credit["applied_to_order_id"] is None or credit["status"] == "available":
                self.credits.setdefault(uid, []).append(credit)
            else:
                self.w.add(CREDIT, credit)
        record.refunded = outcome.status == "refunded"
        self.ctx.attendees.append(record)

    def _rebuy(self, uid: int, refunded_at: dt.datetime, credit: dict[str, object]) -> int | None:
        """Buy again later, paying with the refund credit first."""
        rng = self.rng
        when = refunded_at + dt.timedelta(days=rng.uniform(1, 20))
        if when >= self.horizon - DAY or self.curve.on_site(when):
            return None
        items = self.shop.basket("individual", when, False)
        if not items:
            return None
        priced = price_order(self.catalog, items, when)
        paid_at = when + dt.timedelta(seconds=rng.uniform(5, 60))
        order_id = self.desk.write_order(uid, when, priced, Outcome("paid", paid_at, "credit"))
        available: Decimal = credit["amount"]  # type: ignore[assignment]
        used = min(available, priced.total)
        self._credit_payment(order_id, used, paid_at)
        if priced.total > used:
            self.desk.payment(
                order_id, "stripe", "succeeded", priced.total - used, paid_at + dt.timedelta(seconds=5)
            )
        remaining = available - used
        credit.update(
            applied_to_order_id=order_id,
            remaining_amount=remaining,
            status="applied" if remaining == 0 else "available",
            updated_at=paid_at,
        )
        for ln in priced.lines:
            if ln.product.kind == "addon":
                self.ctx.addon_buyers[ln.product.key].append(uid)
        return order_id

    def _credit_payment(self, order_id: int, amount: Decimal, paid_at: dt.datetime) -> None:
        """The succeeded payment by which store credit settles (part of) an order."""
        self.w.add(
            PAYMENT,
            {
                "order_id": order_id,
                "method": "credit",
                "status": "succeeded",
                "amount": amount,
                "note": "Store credit applied",
                "created_at": paid_at,
            },
        )

    def _write_open_credits(self) -> None:
        """Write refund credits still open, some expired; plus goodwill credits with no source order."""
        rng, past = self.rng, self.ed.phase == "past"
        for uid in sorted(self.credits):
            for credit in self.credits[uid]:
                if past and credit["applied_to_order_id"] is None and rng.random() < 0.2:
                    credit.update(status="expired", updated_at=credit["created_at"] + 180 * DAY)  # type: ignore[operator]
                    if credit["updated_at"] > self.ctx.now:  # type: ignore[operator]
                        credit.update(status="available", updated_at=credit["created_at"])
                self.w.add(CREDIT, credit)
        buyers = sorted(self.ctx.buyers)
        for uid in rng.sample(buyers, min(len(buyers), max(1, round(len(buyers) * 0.01)))):
            at = min(self.horizon, self.ctx.now) - dt.timedelta(days=rng.uniform(1, 20))
            amount = money(rng.choice((25, 50, 75, 100)))
            status = "available" if rng.random() < 0.7 or not past else "expired"
            self.w.add(
                CREDIT,
                self.desk.credit_row(uid, amount, at, "Goodwill credit: session cancelled")
                | {"status": status},
            )
        self._credits_spent_on_orders(buyers)

    def _credits_spent_on_orders(self, buyers: list[int]) -> None:
        """Goodwill credits spent on an add-on order (applied_to_order_id, no source order)."""
        rng = self.rng
        addon = self.catalog.addons.get("tshirt")
        if addon is None or not buyers:
            return
        for uid in rng.sample(buyers, min(len(buyers), max(1, round(len(buyers) * 0.005)))):
            when = min(self.horizon - DAY, dt.datetime.combine(self.ed.start, dt.time(), dt.UTC) - 5 * DAY)
            when -= dt.timedelta(hours=rng.uniform(0, 72))
            priced = price_order(self.catalog, [(addon, 1)], when)
            paid_at = when + MINUTE
            credit = self.desk.credit_row(uid, money(50), when - 10 * DAY, "Volunteer thank-you credit")
            order_id = self.desk.write_order(uid, when, priced, Outcome("paid", paid_at, "credit"))
            used = min(Decimal(50), priced.total)
            self._credit_payment(order_id, used, paid_at)
            remaining = money(50) - used
            credit.update(
                applied_to_order_id=order_id,
                remaining_amount=remaining,
                updated_at=paid_at,
                status="applied" if remaining == 0 else "available",
            )
            self.w.add(CREDIT, credit)

    # -- people who did not simply buy -----------------------------------------------------
    def _speaker_registrations(self) -> None:
        """Speakers register with their personal comp voucher (ticket and T-shirt free)."""
        rng = self.rng
        dinner = self.catalog.addons.get("dinner")
        tshirt = self.catalog.addons.get("tshirt")
        for uid in sorted(self.ctx.speaker_users):
            since = self.ctx.speaker_since[uid]
            when = since + dt.timedelta(days=rng.uniform(1, 30))
            if when >= self.horizon:
                continue
            items: list[tuple[Product, int]] = [(self.speaker_ticket, 1)]
            if tshirt and rng.random() < 0.6:
                items.append((tshirt, 1))
            if dinner and rng.random() < 0.3 and dinner.on_sale(when) and dinner.has_stock():
                items.append((dinner, 1))
            voucher = self.catalog.vouchers[self.ctx.speaker_users[uid]]
            priced = price_order(self.catalog, items, when, voucher, speaker=True)
            method = "comp" if priced.total == 0 else "stripe"
            outcome = Outcome("paid", when + dt.timedelta(seconds=rng.uniform(5, 60)), method)
            order_id = self.desk.write_order(uid, when, priced, outcome)
            self._after_payment(uid, order_id, priced, outcome, speaker=True)

    def _browsers(self) -> None:
        """Carts (and a few lapsed orders) of people who never bought."""
        rng, ed = self.rng, self.ed
        n = round(len(self.ctx.buyers) * 0.22)
        lapsed = [u for u in self.ctx.history.past_attendees(ed.series.key, 1) if u not in self.ctx.buyers]
        lapsed = rng.sample(lapsed, min(len(lapsed), round(n * 0.35)))
        for i in range(n):
            when = self.curve.draw(rng)
            if when >= self.horizon:
                continue
            items = self.shop.basket(self.shop.segment(), when, False)
            if not items:
                continue
            uid = lapsed[i] if i < len(lapsed) else self.ctx.people.new_user(when)
            roll = rng.random()
            if roll < 0.07:
                self._order(uid, when, items, None, Outcome("cancelled"))
            elif roll < 0.12:
                self.desk.cart(uid, when, "open", items)
            else:
                self.desk.cart(uid, when, "expired" if roll < 0.8 else "abandoned", items)
        if ed.phase == "selling":
            self._shoppers_right_now(max(4, round(n * 0.05)))

    def _shoppers_right_now(self, count: int) -> None:
        """Live carts and checkouts still in flight at ``now`` (holds not yet expired)."""
        rng, now = self.rng, self.ctx.now
        for i in range(count):
            when = now - dt.timedelta(minutes=rng.uniform(1, 14))
            items = self.shop.basket("individual", when, False)
            if not items:
                continue
            uid = self.ctx.people.new_user(when)
            if i % 2:
                self.desk.cart(uid, when, "open", items)
                continue
            priced = price_order(self.catalog, items, when)
            order_id = self.desk.write_order(uid, when, priced, Outcome("pending", method="in-flight"))
            status = "processing" if i % 4 == 0 else "pending"
            self.desk.payment(order_id, "stripe", status, priced.total, when + dt.timedelta(seconds=30))

    def _manual_attendees(self) -> None:
        """Press and guests added by staff: attendees without an order, registration not completed."""
        rng, ed = self.rng, self.ed
        start = dt.datetime.combine(ed.start, dt.time(12), dt.UTC)
        for _ in range(max(1, round(ed.planned_attendance * 0.01))):
            at = start - dt.timedelta(days=rng.uniform(1, 10))
            if at >= self.horizon:
                continue
            uid = self.ctx.people.new_user(at)
            self.ctx.attendees.append(AttendeeRecord(uid, None, at))

"""Faults planted on purpose, so the data-quality checks (``conference-reports check``) find something.

The latest past edition of each series carries one of each (drawn from their own RNG stream,
so the same seed gives the same rows):

* ``paid_buyer_without_attendee``: a returning attendee paid a Regular ticket by bank transfer
  and staff set the order to paid in the Django admin, so the signal that creates the attendee
  never ran (a paid order, its payment, no attendee record);
* ``refund_larger_than_order``: a refund submitted twice: one refunded order with two refund
  credits of its full total, forty seconds apart;
* ``checkin_before_doors``: a badge-printer test scan at Registration Desk 1 two days before the
  start, on the first attendee who checked in (a check-in log row; ``checked_in_at`` is untouched);
* ``grant_above_approved``: the first disbursed travel grant paid the visa fee on top of the
  approved amount.

Not planted but there by design of the schedule grid: on its second day the large conference's
Poster Session (10:00-13:00) shares the Expo Hall with the morning coffee and lunch breaks, two
``slot_overlap`` pairs in every edition that has a schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from .attendees import CHECKIN
from .context import AttendeeRecord, ConferenceContext
from .lineup import Edition
from .orders import DAY, OrderDesk, Outcome
from .pricing import PricedLine, PricedOrder
from .values import local_time, money

CREDIT = "program_registration_credit"
VISA_FEE = money(160)
GRANT_NOTE = "Visa fee reimbursed on top of the approved amount"


def faulty_editions(lineup: Sequence[Edition]) -> set[str]:
    """Slugs of the latest past edition of each series: the ones that carry the planted faults."""
    latest: dict[str, Edition] = {}
    for edition in lineup:
        if edition.phase == "past" and (
            edition.series.key not in latest or edition.start > latest[edition.series.key].start
        ):
            latest[edition.series.key] = edition
    return {e.slug for e in latest.values()}


def plant_order_faults(ctx: ConferenceContext) -> None:
    """An admin-paid order with no attendee, and a refunded order refunded twice (after the sales,
    before the attendees are written)."""
    if not ctx.faults or ctx.catalog is None:
        return
    ed, rng = ctx.edition, ctx.rng("faults")
    ticket = ctx.catalog.tickets["individual" if ed.series.large else "regular"]
    assert ticket.available_from is not None and ticket.available_until is not None
    when = ticket.available_from + (ticket.available_until - ticket.available_from) * 0.6
    attending = ctx.buyers | {a.user_id for a in ctx.attendees}
    pool = sorted(set(ctx.history.past_attendees(ed.series.key, 1)) - attending)
    users = rng.sample(pool, 2) if len(pool) >= 2 else [ctx.people.new_user(when), ctx.people.new_user(when)]
    desk = OrderDesk(ctx, rng)

    def order(uid: int, at: dt.datetime, outcome: Outcome) -> int:
        return desk.write_order(uid, at, PricedOrder([PricedLine(ticket, 1, ticket.price)], None), outcome)

    paid_at = when + dt.timedelta(days=3, hours=2)
    order(users[0], when, Outcome("paid", paid_at, "manual"))  # no attendee: the signal never ran

    at = when + dt.timedelta(hours=5)
    paid_at, refund_at = at + dt.timedelta(seconds=40), at + 12 * DAY
    order_id = order(users[1], at, Outcome("refunded", paid_at, "stripe", refund_at, ticket.price))
    for second in (0, 40):
        ctx.writer.add(
            CREDIT,
            desk.credit_row(
                users[1], ticket.price, refund_at + dt.timedelta(seconds=second), "Refund: cannot travel",
                source_order_id=order_id,
            ),
        )
    ctx.buyers.add(users[1])
    ctx.attendees.append(AttendeeRecord(users[1], order_id, paid_at, refunded=True))


def plant_checkin_fault(ctx: ConferenceContext) -> None:
    """A test scan two days before the start on the first attendee who checked in (after the attendees)."""
    checked_in = [a for a in ctx.attendees if a.checked_in_at is not None]
    if not ctx.faults or not checked_in:
        return
    ed = ctx.edition
    first = min(checked_in, key=lambda a: a.id)
    ctx.writer.add(
        CHECKIN,
        {
            "attendee_id": first.id,
            "conference_id": ctx.conference_id,
            "checked_in_at": local_time(ed.start - 2 * DAY, ed.timezone, 16, 20),
            "checked_in_by_id": ctx.staff[1],
            "station": "Registration Desk 1",
            "note": "badge printer test scan",
        },
    )


def overpaid(approved: Decimal) -> Decimal:
    """The planted grant's disbursed amount: the approved one plus the visa fee."""
    return money(approved + VISA_FEE)

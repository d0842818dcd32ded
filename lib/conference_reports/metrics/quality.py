"""Data-quality checks: rows django-program's own rules say cannot (or should not) exist.

Each rule is one count and at most five example rows, both computed in SQL. Money is compared in
whole cents, instants as epoch seconds (so SQLite's text and PostgreSQL's timestamps agree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Select, and_, case, exists, func, literal_column, or_, select, union_all
from sqlalchemy.sql import ColumnElement

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, epoch_seconds_exact, sum_cents
from .common import PAID
from .registry import metric

EXAMPLES = 5

Rule = Callable[[Connection, Conference], tuple[int, list[dict[str, Any]]]]


def _cents(column: Any) -> ColumnElement[Any]:
    """One decimal(N,2) value in whole cents (exact on both backends: SQLite rounds its REAL)."""
    return func.round(column * literal_column("100"))


def _found(conn: Connection, query: Select[Any], order: list[Any]) -> tuple[int, list[dict[str, Any]]]:
    """(number of rows of query, its first EXAMPLES rows in `order` as {column label: value})."""
    count = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = conn.execute(query.order_by(*order).limit(EXAMPLES)).mappings().all() if count else []
    return count, [dict(row) for row in rows]


def paid_buyer_without_attendee(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Users with a paid order at the conference and no attendee record there."""
    o, a, u = t.order.c, t.attendee.c, t.auth_user.c
    no_attendee = ~exists().where(a.user_id == o.user_id, a.conference_id == conference.id)
    query = (
        select(
            o.user_id,
            func.min(u.username).label("username"),
            func.min(o.id).label("order_id"),
            func.count().label("paid_orders"),
        )
        .select_from(t.order.outerjoin(t.auth_user, u.id == o.user_id))
        .where(o.conference_id == conference.id, o.status.in_(PAID), no_attendee)
        .group_by(o.user_id)
    )
    return _found(conn, query, [o.user_id])


def _checkins(conference: Conference) -> Any:
    """(attendee_id, user_id, at) of every check-in of the conference's attendees: their first
    check-in (attendee.checked_in_at) and each row of the check-in log."""
    a, k = t.attendee.c, t.checkin.c
    own = select(a.id.label("attendee_id"), a.user_id, a.checked_in_at.label("at")).where(
        a.conference_id == conference.id, a.checked_in_at.is_not(None)
    )
    log = (
        select(a.id, a.user_id, k.checked_in_at)
        .select_from(t.checkin.join(t.attendee, a.id == k.attendee_id))
        .where(a.conference_id == conference.id)
    )
    return union_all(own, log).subquery("checkins")


def _local_midnight(day: dt.date, conference: Conference) -> float:
    """Epoch seconds of the start of `day` in the conference's time zone."""
    return dt.datetime.combine(day, dt.time(), conference.zone).timestamp()


def _checkins_outside(
    conn: Connection, conference: Conference, *, before: bool
) -> tuple[int, list[dict[str, Any]]]:
    """Attendees with a check-in before the day before the start (before=True) or after the end date."""
    c = _checkins(conference)
    at = epoch_seconds_exact(conn, c.c.at)
    if before:
        outside = at < _local_midnight(conference.start_date - dt.timedelta(days=1), conference)
        when = func.min(c.c.at)
    else:
        outside = at >= _local_midnight(conference.end_date + dt.timedelta(days=1), conference)
        when = func.max(c.c.at)
    query = (
        select(c.c.attendee_id, c.c.user_id, when.label("checked_in_at"), func.count().label("check_ins"))
        .where(outside)
        .group_by(c.c.attendee_id, c.c.user_id)
    )
    return _found(conn, query, [c.c.attendee_id])


def checkin_before_doors(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Attendees checked in before local midnight of the day before the start date."""
    return _checkins_outside(conn, conference, before=True)


def checkin_after_end(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Attendees checked in after the end of the last day, local time."""
    return _checkins_outside(conn, conference, before=False)


def refund_larger_than_order(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Orders of the conference whose refund credits (source_order_id) sum to more than their total."""
    o, cr = t.order.c, t.credit.c
    refunded = sum_cents(conn, cr.amount)
    query = (
        select(
            o.id.label("order_id"), o.user_id, o.status, o.total,
            refunded.label("refunded"), func.count().label("credits"),
        )
        .select_from(t.credit.join(t.order, o.id == cr.source_order_id))
        .where(o.conference_id == conference.id)
        .group_by(o.id, o.user_id, o.status, o.total)
        .having(refunded > _cents(o.total))
    )
    count, rows = _found(conn, query, [o.id])
    return count, [{**row, "refunded": cents(row["refunded"])} for row in rows]


def order_total_mismatch(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Paid orders whose total is not max(subtotal - discount_amount, 0) to the cent."""
    o = t.order.c
    net = _cents(o.subtotal) - _cents(o.discount_amount)
    expected = case((net < 0, 0), else_=net)
    query = select(o.id.label("order_id"), o.user_id, o.status, o.subtotal, o.discount_amount, o.total).where(
        o.conference_id == conference.id, o.status.in_(PAID), _cents(o.total) != expected
    )
    return _found(conn, query, [o.id])


def grant_above_approved(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Travel grants with a disbursed amount above the approved one (or with none approved)."""
    g = t.travel_grant.c
    query = select(g.id.label("grant_id"), g.status, g.approved_amount, g.disbursed_amount).where(
        g.conference_id == conference.id,
        g.disbursed_amount.is_not(None),
        or_(g.approved_amount.is_(None), _cents(g.disbursed_amount) > _cents(g.approved_amount)),
    )
    return _found(conn, query, [g.id])


def slot_overlap(conn: Connection, conference: Conference) -> tuple[int, list[dict[str, Any]]]:
    """Pairs of the conference's schedule slots in the same room whose time ranges intersect."""
    first, second = t.schedule_slot.alias("first"), t.schedule_slot.alias("second")
    talk1, talk2 = t.talk.alias("talk1"), t.talk.alias("talk2")
    f, s, r = first.c, second.c, t.room.c

    def epoch(column: Any) -> ColumnElement[Any]:
        return epoch_seconds_exact(conn, column)

    def title(slot: Any, talk: Any) -> ColumnElement[Any]:
        return func.coalesce(func.nullif(slot.title, ""), talk.title, "")

    pairs = and_(
        s.room_id == f.room_id,
        s.conference_id == conference.id,
        f.id < s.id,
        epoch(f.start) < epoch(s.end),
        epoch(s.start) < epoch(f.end),
    )
    query = (
        select(
            f.room_id, r.name, f.id, s.id, title(f, talk1.c), title(s, talk2.c),
            f.start, f.end, s.start, s.end,
        )
        .select_from(
            first.join(second, pairs)
            .outerjoin(t.room, r.id == f.room_id)
            .outerjoin(talk1, talk1.c.id == f.talk_id)
            .outerjoin(talk2, talk2.c.id == s.talk_id)
        )
        .where(f.conference_id == conference.id, f.room_id.is_not(None))
    )
    count = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(f.id, s.id).limit(EXAMPLES)).all() if count else []
    return count, [
        {
            "room_id": room_id, "room_name": room, "slot_ids": [a, b], "titles": [title_a, title_b],
            "from": max(start_a, start_b), "until": min(end_a, end_b),
        }
        for room_id, room, a, b, title_a, title_b, start_a, end_a, start_b, end_b in rows
    ]


_RULE_FUNCTIONS: dict[str, Rule] = {
    "paid_buyer_without_attendee": paid_buyer_without_attendee,
    "checkin_before_doors": checkin_before_doors,
    "checkin_after_end": checkin_after_end,
    "refund_larger_than_order": refund_larger_than_order,
    "order_total_mismatch": order_total_mismatch,
    "grant_above_approved": grant_above_approved,
    "slot_overlap": slot_overlap,
}
RULES = tuple(_RULE_FUNCTIONS)


@metric()
def data_quality(conn: Connection, conference: Conference) -> dict[str, dict[str, Any]]:
    """{rule: {"count": N, "examples": [up to five rows]}} for every rule, count 0 when clean."""
    result = {}
    for rule, check in _RULE_FUNCTIONS.items():
        count, examples = check(conn, conference)
        result[rule] = {"count": count, "examples": examples}
    return result

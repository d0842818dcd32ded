"""Cross-event metrics: retention, lifetime value, sponsor renewal, speaker return, year-over-year growth.

"Previous conferences" are, as in django-program, every conference with a strictly earlier
start_date (no series, organisation or is_active filter).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, and_, distinct, exists, func, or_, select, true
from sqlalchemy.sql import ColumnElement

from ..data import schema as t
from ..data.conferences import Conference, earlier_editions, list_conferences
from ..data.dialect import cents, sum_cents
from ..params import ConferenceParams, default_series
from .common import PAID, ZERO, attendee_count, paid_orders, pct
from .phase import RUNNING, as_of, judged_in, phase_of
from .registry import metric

TOP_USERS = 20


def _earlier(conference: Conference) -> ColumnElement[bool]:
    """Conferences that started strictly before this one."""
    return t.conference.c.start_date < conference.start_date


def _earlier_ids(conference: Conference) -> Any:
    return select(t.conference.c.id).where(_earlier(conference))


@metric()
def yoy_retention(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Attendees (any order status) who also attended an earlier conference; shared counts per one.

    One statement: the earlier attendances of this conference's users are found once, then counted
    overall (returning) and per earlier conference; every row carries the totals, and a conference
    without predecessors gets one row of totals alone.
    """
    a, c = t.attendee.c, t.conference.c
    prev = t.attendee.alias("prev")
    current_users = select(a.user_id).where(a.conference_id == conference.id)
    # Joined to the conference rather than `conference_id IN (earlier ids)`: SQLite then looks each user
    # up once in the (user_id, conference_id) index instead of once per user and earlier conference.
    matches = (
        select(prev.c.conference_id, prev.c.user_id)
        .select_from(prev.join(t.conference, c.id == prev.c.conference_id))
        .where(_earlier(conference), prev.c.user_id.in_(current_users))
        .cte("matches")
    )
    totals = select(
        select(func.count(distinct(a.user_id))).where(a.conference_id == conference.id)
        .scalar_subquery().label("attendees"),
        select(func.count(distinct(matches.c.user_id))).scalar_subquery().label("returned"),
    ).subquery("totals")
    shared = (
        select(c.id, c.name, c.slug, c.start_date, func.count(distinct(matches.c.user_id)).label("shared"))
        .select_from(t.conference.outerjoin(matches, matches.c.conference_id == c.id))
        .where(_earlier(conference))
        .group_by(c.id, c.name, c.slug, c.start_date)
        .subquery("shared")
    )
    rows = conn.execute(
        select(totals, shared.c.id, shared.c.name, shared.c.slug, shared.c.shared)
        .select_from(totals.outerjoin(shared, true()))
        .order_by(shared.c.start_date.desc(), shared.c.id.desc())
    ).all()
    current, returning = rows[0].attendees, rows[0].returned
    return {
        "current_attendee_count": current,
        "returning_count": returning,
        "new_count": current - returning,
        "retention_rate": pct(returning, current),
        "previous_conferences": [
            {"name": row.name, "slug": row.slug, "shared_attendee_count": row.shared}
            for row in rows
            if row.id is not None
        ],
    }


@metric()
def attendee_lifetime_value(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Buyers with a paid order here: their paid spend across every conference (past or future).

    top_users: the 20 largest spenders, ties broken by user id.
    """
    o = t.order.c
    return _lifetime_value(conn, o.conference_id == conference.id)


def lifetime_value_all_editions(conn: Connection) -> dict[str, Any]:
    """attendee_lifetime_value's figures for every buyer with a paid order at any edition: the
    cross-event view, which an edition without orders yet (the newest, often) cannot give."""
    return _lifetime_value(conn, None)


def _lifetime_value(conn: Connection, cohort_where: Any) -> dict[str, Any]:
    """Per buyer of the cohort (paid orders matching `cohort_where`; None: every paid order), their
    paid spend across every conference.

    One statement: every buyer's spend and paid orders are summed once; the figures over all buyers
    come from those sums, and only the 20 top buyers are joined to their user rows and have their
    conferences counted (joining every buyer to auth_user before the limit cost a third of the time).
    """
    o, u = t.order.c, t.auth_user.c
    paid = o.status.in_(PAID)
    spend = select(o.user_id.label("user_id"), sum_cents(conn, o.total).label("spent"),
                   func.count(o.id).label("orders")).where(paid)
    if cohort_where is not None:
        spend = spend.where(o.user_id.in_(select(o.user_id).where(paid, cohort_where)))
    buyers = spend.group_by(o.user_id).cte("spend")
    spent = buyers.c.spent
    top = (
        select(buyers.c.user_id, spent, buyers.c.orders)
        .order_by(spent.desc(), buyers.c.user_id)
        .limit(TOP_USERS)
        .cte("top")
    )
    whole = select(
        func.count().label("users"), func.sum(spent).label("total"),
        func.max(spent).label("high"), func.min(spent).label("low"),
    ).cte("whole")
    conferences = select(func.count(distinct(o.conference_id))).where(o.user_id == top.c.user_id, paid)
    rows = conn.execute(
        select(
            u.id, u.username, u.email, top.c.spent, top.c.orders, whole.c.users, whole.c.total, whole.c.high,
            whole.c.low, conferences.scalar_subquery().label("conferences"),
        )
        .select_from(top.join(t.auth_user, u.id == top.c.user_id).join(whole, true()))
        .order_by(top.c.spent.desc(), u.id)
    ).all()
    if not rows:
        return {
            "avg_ltv": ZERO, "max_ltv": ZERO, "min_ltv": ZERO, "total_users_with_orders": 0, "top_users": [],
        }
    whole = rows[0]
    return {
        "avg_ltv": cents(whole.total) / whole.users,
        "max_ltv": cents(whole.high),
        "min_ltv": cents(whole.low),
        "total_users_with_orders": whole.users,
        "top_users": [
            {
                "username": row.username,
                "email": row.email,
                "total_spent": cents(row.spent),
                "order_count": row.orders,
                "conferences_attended": row.conferences,
            }
            for row in rows
        ],
    }


@metric()
def sponsor_renewal_rate(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Distinct sponsor names here that a sponsor of an earlier conference bore (exact, case-sensitive)."""
    s, lv = t.sponsor.c, t.sponsor_level.c
    prev = t.sponsor.alias("prev")
    renewed = exists().where(prev.c.name == s.name, prev.c.conference_id.in_(_earlier_ids(conference)))
    names = func.count(distinct(s.name))
    current, returning = conn.execute(
        select(names, names.filter(renewed)).where(s.conference_id == conference.id)
    ).one()
    rows = conn.execute(
        select(lv.name, func.count(s.id), func.count(distinct(s.name)).filter(renewed))
        .select_from(
            t.sponsor_level.outerjoin(t.sponsor, and_(s.level_id == lv.id, s.conference_id == conference.id))
        )
        .where(lv.conference_id == conference.id)
        .group_by(lv.id, lv.name, lv.order)
        .order_by(lv.order, lv.name, lv.id)
    )
    return {
        "current_sponsor_count": current,
        "returning_count": returning,
        "new_count": current - returning,
        "renewal_rate": pct(returning, current),
        "by_level": [
            {"level_name": name, "total": total, "returning": back, "new": total - back}
            for name, total, back in rows
        ],
    }


@metric()
def speaker_return_rate(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Speakers here who spoke at an earlier conference: by user when linked, else by exact (name, email).

    A linked speaker only matches linked earlier speakers, an unlinked one only unlinked ones.
    """
    s = t.speaker.c
    prev = t.speaker.alias("prev")
    earlier = prev.c.conference_id.in_(_earlier_ids(conference))
    by_user = and_(
        s.user_id.is_not(None),
        exists().where(earlier, prev.c.user_id == s.user_id),
    )
    by_name = and_(
        s.user_id.is_(None),
        exists().where(earlier, prev.c.user_id.is_(None), prev.c.name == s.name, prev.c.email == s.email),
    )
    returned = func.count().filter(or_(by_user, by_name))
    current, returning = conn.execute(
        select(func.count(), returned).where(s.conference_id == conference.id)
    ).one()
    return {
        "current_speaker_count": current,
        "returning_count": returning,
        "new_count": current - returning,
        "return_rate": pct(returning, current),
    }


def _growth(current: int | Decimal, previous: int | Decimal) -> Decimal:
    """(current - previous) / previous x 100, 0 when previous is 0."""
    if not previous:
        return ZERO
    return Decimal(current - previous) / Decimal(previous) * 100


def _conference_stats(conn: Connection, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """name, attendance, paid revenue, sponsor rows and talk rows per conference, newest first."""
    c, a, o, s, k = t.conference.c, t.attendee.c, t.order.c, t.sponsor.c, t.talk.c

    def count_of(table_c: Any) -> Any:
        return select(func.count()).where(table_c.conference_id == c.id).scalar_subquery()

    revenue = (
        select(sum_cents(conn, o.total)).where(o.conference_id == c.id, o.status.in_(PAID)).scalar_subquery()
    )
    rows = conn.execute(
        select(c.name, count_of(a), revenue, count_of(s), count_of(k))
        .where(where)
        .order_by(c.start_date.desc(), c.id.desc())
    )
    return [
        {"name": name, "attendance": n, "revenue": cents(money), "sponsors": sponsors, "talks": talks}
        for name, n, money, sponsors, talks in rows
    ]


def _current_stats(conn: Connection, conference: Conference) -> dict[str, Any]:
    """_conference_stats' entry for the conference itself, its attendance and revenue taken from the
    figures other metrics read too."""
    s, k = t.sponsor.c, t.talk.c
    sponsors, talks = conn.execute(
        select(
            select(func.count()).where(s.conference_id == conference.id).scalar_subquery(),
            select(func.count()).where(k.conference_id == conference.id).scalar_subquery(),
        )
    ).one()
    return {
        "name": conference.name,
        "attendance": attendee_count(conn, conference),
        "revenue": cents(paid_orders(conn, conference).total),
        "sponsors": sponsors,
        "talks": talks,
    }


@metric()
def yoy_growth(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Attendance, revenue, sponsors and talks here and at every earlier conference (newest first).

    Each entry after the oldest carries attendance/revenue growth over the one before it; the
    top-level growth figures compare with the most recent predecessor and exist only when there is one.
    """
    current = _current_stats(conn, conference)
    history = _conference_stats(conn, _earlier(conference))
    chronological = [*reversed(history), current]
    for before, entry in pairwise(chronological):
        for key in ("attendance", "revenue"):
            entry[f"{key}_growth_pct"] = _growth(entry[key], before[key])
    result: dict[str, Any] = {"current": current, "history": history}
    if history:
        for key in ("attendance", "revenue", "sponsors", "talks"):
            result[f"{key}_growth_pct"] = _growth(current[key], history[0][key])
    return result


def retention_from(conn: Connection, conference: Conference, previous: Conference | None) -> dict[str, Any]:
    """Attendees of `conference` who also attended `previous` (its series' edition before it).

    `retention_rate` is None with no previous edition (n/a) and before the edition has run (not yet):
    unlike yoy_retention, which counts every earlier conference of any series and reads 0% there.
    """
    a = t.attendee.c
    prev = t.attendee.alias("prev")
    users = func.count(distinct(a.user_id))
    came = exists().where(prev.c.user_id == a.user_id,
                          prev.c.conference_id == (previous.id if previous else -1))
    current, returning = conn.execute(
        select(users, users.filter(came)).where(a.conference_id == conference.id)
    ).one()
    held = judged_in(phase_of(conference, None, as_of()), RUNNING)  # sales opening does not matter here
    status = "n/a" if previous is None else (None if held else "not yet")
    return {
        "previous": previous.slug if previous else None,
        "current_attendee_count": current,
        "returning_count": returning if previous else None,
        "retention_rate": pct(returning, current) if previous is not None and held and current else None,
        "status": status,
    }


@metric(params=True)
def series_retention(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> dict[str, Any]:
    """Attendees who attended the previous edition of the same series (params' `series`, else the
    slug without its year); None where it cannot be computed (first edition) or judged (not yet run)."""
    earlier = series_editions(conn, conference, params)
    return retention_from(conn, conference, earlier[-1] if earlier else None)


def series_editions(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> list[Conference]:
    """The earlier editions of the conference's series, oldest first: each conference's series is its
    params' `series` where the params folder was read (`series_map`), else its slug without the year."""
    mine = params.effective_series if params is not None else default_series(conference.slug)
    known = params.series_map if params is not None else {}
    conferences = list_conferences(conn)
    series = {c.slug: known.get(c.slug, default_series(c.slug)) for c in conferences}
    series[conference.slug] = mine
    return earlier_editions(conference, conferences, series)

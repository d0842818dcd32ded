"""Operations metrics: check-in throughput, room and activity use, content, travel grants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, func, select

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, epoch_seconds, sum_cents
from .common import pct, ratio
from .registry import metric

BUCKET_MINUTES = 15
GRANT_APPROVED = ("offered", "accepted", "disbursed")


@metric()
def checkin_throughput(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """First check-ins per 15-minute bucket, floored in UTC epoch seconds; only non-empty buckets."""
    a = t.attendee.c
    width = BUCKET_MINUTES * 60
    # seconds / width * width (integer division, truncating as the remainder does): seconds - seconds %
    # width with the epoch seconds computed once a row.
    bucket = (epoch_seconds(conn, a.checked_in_at) // width * width).label("bucket")
    rows = conn.execute(
        select(bucket, func.count())
        .where(a.conference_id == conference.id, a.checked_in_at.is_not(None))
        .group_by(bucket)
        .order_by(bucket)
    )
    step = dt.timedelta(seconds=width)
    result = []
    for epoch, count in rows:
        start = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        result.append({"bucket_start": start, "bucket_end": start + step, "count": count})
    return result


@metric()
def room_utilization(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """Per room of the conference: schedule slots, slots holding a talk, and their share."""
    r, s = t.room.c, t.schedule_slot.c
    rows = conn.execute(
        select(r.id, r.name, r.capacity, func.count(s.id), func.count(s.id).filter(s.talk_id.is_not(None)))
        .select_from(t.room.outerjoin(t.schedule_slot, s.room_id == r.id))
        .where(r.conference_id == conference.id)
        .group_by(r.id, r.name, r.capacity, r.position)
        .order_by(r.position.nulls_first(), r.name, r.id)
    )
    return [
        {
            "room_id": room_id,
            "room_name": name,
            "room_capacity": capacity,
            "total_slots": total,
            "talk_slots": talks,
            "utilization_pct": pct(talks, total),
        }
        for room_id, name, capacity, total, talks in rows
    ]


@metric()
def activity_utilization(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """Per activity (active or not): signups by status; confirmed / max_participants, None when no cap."""
    a, s = t.activity.c, t.activity_signup.c

    def by_status(status: str) -> Any:
        return func.count(s.id).filter(s.status == status)

    rows = conn.execute(
        select(
            a.id, a.name, a.activity_type, a.max_participants,
            by_status("confirmed"), by_status("waitlisted"), by_status("cancelled"),
        )
        .select_from(t.activity.outerjoin(t.activity_signup, s.activity_id == a.id))
        .where(a.conference_id == conference.id)
        .group_by(a.id, a.name, a.activity_type, a.max_participants, a.start_time)
        .order_by(a.start_time.nulls_first(), a.name, a.id)
    )
    return [
        {
            "activity_id": activity_id,
            "name": name,
            "activity_type": kind,
            "max_participants": cap,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "cancelled": cancelled,
            "utilization_pct": Decimal(confirmed) / Decimal(cap) * 100 if cap else None,
        }
        for activity_id, name, kind, cap, confirmed, waitlisted, cancelled in rows
    ]


def _counts_by(conn: Connection, query: Select[Any], column: Any) -> dict[str, int]:
    """{value of column: row count} over the rows of query (only values that occur)."""
    rows = conn.execute(query.with_only_columns(column, func.count()).group_by(column).order_by(column))
    return {key: count for key, count in rows}


@metric()
def content_analytics(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Talks (any state) by state, submission type and track; rooms; schedule slots by type."""
    talk, room, slot = t.talk.c, t.room.c, t.schedule_slot.c
    talks = select(talk.id).where(talk.conference_id == conference.id)
    slots = select(slot.id).where(slot.conference_id == conference.id)
    count = func.count()
    return {
        "total_talks": conn.execute(talks.with_only_columns(count)).scalar_one(),
        "by_state": _counts_by(conn, talks, talk.state),
        "by_type": _counts_by(conn, talks, talk.submission_type),
        "by_track": _counts_by(conn, talks, talk.track),
        "total_rooms": conn.execute(select(count).where(room.conference_id == conference.id)).scalar_one(),
        "total_schedule_slots": conn.execute(slots.with_only_columns(count)).scalar_one(),
        "slot_types": _counts_by(conn, slots, slot.slot_type),
    }


@metric()
def travel_grant_analytics(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Travel-grant applications by status and type, approval/disbursement rates, amount sums and means.

    Amounts are not filtered by status; means are over the rows where the amount is set.
    """
    g = t.travel_grant.c
    grants = select(g.id).where(g.conference_id == conference.id)
    amounts = (g.requested_amount, g.approved_amount, g.disbursed_amount)
    row = conn.execute(
        grants.with_only_columns(
            func.count(),
            func.count().filter(g.status.in_(GRANT_APPROVED)),
            func.count().filter(g.status == "disbursed"),
            func.count().filter(g.international.is_(True)),
            func.count().filter(g.first_time.is_(True)),
            *(sum_cents(conn, column) for column in amounts),
            *(func.count(column) for column in amounts),
        )
    ).one()
    total, approved, disbursed, international, first_time = row[:5]
    sums = [cents(value) for value in row[5:8]]
    means = [ratio(amount, n) for amount, n in zip(sums, row[8:11], strict=True)]
    return {
        "total_applications": total,
        "by_status": _counts_by(conn, grants, g.status),
        "approval_rate": pct(approved, total),
        "disbursement_rate": pct(disbursed, total),
        "avg_requested": means[0],
        "avg_approved": means[1],
        "avg_disbursed": means[2],
        "total_requested": sums[0],
        "total_approved": sums[1],
        "total_disbursed": sums[2],
        "by_type": _counts_by(conn, grants, g.application_type),
        "international_count": international,
        "first_time_count": first_time,
    }

"""Registration pace: cumulative registrations and net ticket revenue by days before the start date,
for an edition and every earlier edition of its series, aligned on that axis (docs/metrics.md).

A registration is an attendee record on a paid order of the conference. An order is dated by when
it was paid: its first succeeded (or since refunded) payment, else its own creation (comp and
credit-paid orders have no payment). Net ticket revenue is the income statement's, order by order
(ticket total less ticket refunds), so an edition's last point equals its `ticket_sales_net`.
Days are counted in the conference's own time zone; day 0 is the start date, sales on site have
negative days out. Only sales up to the as-of day count (reproducible reports, backtests).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, union_all

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import cents, local_day
from ..params import ConferenceParams
from .common import PAID, ZERO
from .cross_event import series_editions
from .income import paid_order_money
from .phase import as_of
from .registry import metric

PAID_PAYMENT = ("succeeded", "refunded")
Point = dict[str, Any]


def _change_pct(now: int | Decimal, before: int | Decimal) -> Decimal | None:
    """now against before in percent, one decimal; None when before is 0 (nothing to compare with)."""
    if not before:
        return None
    return round((Decimal(now) - Decimal(before)) / Decimal(before) * 100, 1)


Day = tuple[dt.date, int, Decimal]


# Each edition's daily sales, kept for one reading (the connection's transaction, one snapshot): a report
# reads them for its pace and its forecast, and for every earlier edition of its series. A later reading
# on the same connection (the runner's next report) is another transaction, so it reads them anew.
_read: weakref.WeakKeyDictionary[Any, dict[tuple[int, dt.date], list[Day]]] = weakref.WeakKeyDictionary()


def daily_sales(conn: Connection, conference: Conference, until: dt.date) -> list[Day]:
    """(local day, registrations, net ticket revenue) per day with paid orders up to `until`, oldest
    first (read once per reading)."""
    reading = conn.get_transaction()
    kept = _read.get(reading, {}) if reading is not None else {}
    key = (conference.id, until)
    if key not in kept:
        kept[key] = _daily_sales(conn, conference, until)
        _read[conn.get_transaction()] = kept  # the reading this read began, when none had
    return list(kept[key])


def _daily_sales(conn: Connection, conference: Conference, until: dt.date) -> list[Day]:
    o, p, a = t.order.c, t.payment.c, t.attendee.c
    paid = (o.conference_id == conference.id, o.status.in_(PAID))
    payments = select(p.created_at).join(t.order, o.id == p.order_id).where(*paid, p.status.in_(PAID_PAYMENT))
    first_payment = (
        payments.with_only_columns(p.order_id.label("order_id"), func.min(p.created_at).label("paid_at"))
        .group_by(p.order_id)
        .subquery()
    )
    people = (
        select(a.order_id.label("order_id"), func.count().label("people"))
        .where(a.conference_id == conference.id, a.order_id.is_not(None))
        .group_by(a.order_id)
        .subquery()
    )
    money = paid_order_money(conn, conference)
    dated = (
        select(
            money.c.id,
            func.coalesce(first_payment.c.paid_at, o.created_at).label("paid_at"),
            func.coalesce(people.c.people, 0).label("people"),
            money.c.ticket_net,
        )
        .select_from(
            money.join(t.order, o.id == money.c.id)
            .outerjoin(first_payment, first_payment.c.order_id == money.c.id)
            .outerjoin(people, people.c.order_id == money.c.id)
        )
        .subquery()
    )
    # An order is dated by one of its payments or its own creation: their span bounds the days.
    instants = union_all(payments, select(o.created_at).where(*paid))
    day = local_day(conn, dated.c.paid_at, conference.zone, bounds=instants).label("day")
    rows = conn.execute(
        select(day, func.sum(dated.c.people), func.sum(dated.c.ticket_net)).group_by(day).order_by(day)
    ).all()
    out = []
    for raw, people_count, revenue in rows:
        when = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw)[:10])
        if when <= until:
            out.append((when, int(people_count or 0), cents(revenue)))
    return out


def cumulative_points(conference: Conference, days: Sequence[Day]) -> list[Point]:
    """Running totals by days out (day 0 = the start date), earliest day first."""
    points: list[Point] = []
    registrations, revenue = 0, ZERO
    for day, people, money in days:
        registrations += people
        revenue += money
        points.append({"days_out": (conference.start_date - day).days, "registrations": registrations,
                       "revenue": revenue})
    return points


def at_days_out(points: Sequence[Point], days_out: int) -> Point:
    """The running totals at the end of the day `days_out` days before the start (0s before any sale)."""
    reached = [p for p in points if p["days_out"] >= days_out]
    last = reached[-1] if reached else {"registrations": 0, "revenue": ZERO}
    return {"days_out": days_out, "registrations": last["registrations"], "revenue": last["revenue"]}


def final(points: Sequence[Point]) -> Point:
    """The last running totals (0s for an edition without sales)."""
    last = points[-1] if points else {"registrations": 0, "revenue": ZERO}
    return {"registrations": last["registrations"], "revenue": last["revenue"]}


def window(days: Sequence[Day], until: dt.date, length: int) -> dict[str, Any]:
    """Registrations and revenue of the `length` days ending with `until`."""
    since = until - dt.timedelta(days=length - 1)
    chosen = [(people, money) for day, people, money in days if since <= day <= until]
    return {"days": length, "from": since, "to": until, "registrations": sum(p for p, _ in chosen),
            "revenue": sum((m for _, m in chosen), ZERO)}


def gap(
    current: Mapping[str, Any], previous: Mapping[str, Any] | None, days_out: int
) -> dict[str, Any] | None:
    """This edition against the previous one at the same days out; None without a previous edition."""
    if previous is None:
        return None
    now, then = at_days_out(current["points"], days_out), at_days_out(previous["points"], days_out)
    return {
        "against": previous["slug"],
        "against_name": previous["name"],
        "days_out": days_out,
        "registrations": now["registrations"],
        "previous_registrations": then["registrations"],
        "registrations_change_pct": _change_pct(now["registrations"], then["registrations"]),
        "revenue": now["revenue"],
        "previous_revenue": then["revenue"],
        "revenue_change_pct": _change_pct(now["revenue"], then["revenue"]),
    }


def edition_entry(
    conn: Connection, conference: Conference, until: dt.date
) -> tuple[dict[str, Any], list[Day]]:
    """{slug, name, start_date, points} for one edition, and its daily sales."""
    days = daily_sales(conn, conference, until)
    entry = {"slug": conference.slug, "name": conference.name, "start_date": conference.start_date,
             "points": cumulative_points(conference, days)}
    return entry, days


def pace_as_of(
    conn: Connection, conference: Conference, params: ConferenceParams | None, today: dt.date
) -> dict[str, Any]:
    """registration_pace as it stood at the end of `today` (the conference's local day). Once the
    edition is over, the gap compares at its last day and the recent sales end there, so the figures
    stay put from day to day."""
    mine, days = edition_entry(conn, conference, today)
    earlier = [edition_entry(conn, c, today)[0] for c in reversed(series_editions(conn, conference, params))]
    horizon = min(today, conference.end_date)
    days_out = (conference.start_date - horizon).days
    compared = gap(mine, earlier[0] if earlier else None, days_out)
    if compared is not None:
        compared["final"] = today > conference.end_date
    return {
        "as_of": today,
        "days_out": days_out,
        "editions": [mine, *earlier],
        "gap": compared,
        "over": today > conference.end_date,
        "recent": [window(days, horizon, 7), window(days, horizon, 28)],
    }


@metric(params=True)
def registration_pace(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> dict[str, Any]:
    """{as_of, days_out, editions: [{slug, name, start_date, points: [{days_out, registrations,
    revenue}]}], gap, recent}: this edition first, then its series' earlier editions, newest first;
    `gap` against the previous edition at today's days out; `recent` the last 7 and 28 days' sales."""
    return pace_as_of(conn, conference, params, as_of().astimezone(conference.zone).date())

"""Which phase an edition is in, and so which of its figures can be judged yet.

    before sales  before its earliest ticket type's available_from (else before its first paid order)
    on sale       from then until its start date
    running       from its start date to its end date, in its own time zone
    over          after its end date

Figures that only exist once the doors open (check-in, sponsor fulfilment, feedback, spending) are
"not yet" before then: an edition 78 days out has not missed its check-in target.

The phase rules load no database library (the report layer uses them on a reading); only reading
when sales opened does.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from ..data.conferences import Conference
from ..environ import AS_OF
from ..errors import BadParams
from .numbers import PAID
from .registry import metric

if TYPE_CHECKING:
    from sqlalchemy import Connection

AS_OF_ENV = AS_OF  # $CONFERENCE_REPORTS_AS_OF
BEFORE_SALES, ON_SALE, RUNNING, OVER = "before sales", "on sale", "running", "over"
PHASES = (BEFORE_SALES, ON_SALE, RUNNING, OVER)


def as_of() -> dt.datetime:
    """Now (aware), or noon UTC of $CONFERENCE_REPORTS_AS_OF (YYYY-MM-DD) for reproducible reports."""
    raw = os.environ.get(AS_OF_ENV, "").strip()
    if not raw:
        return dt.datetime.now(dt.UTC)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParams(f"{AS_OF_ENV} wants a date as YYYY-MM-DD, not {raw!r}") from None
    return dt.datetime.combine(day, dt.time(12), dt.UTC)


def sales_open_at(conn: Connection, conference: Conference) -> dt.datetime | None:
    """The earliest ticket type's available_from, else the first paid order; None when neither exists."""
    from sqlalchemy import func, select

    from ..data import schema as t
    from ..data.types import to_utc

    tt, o = t.ticket_type.c, t.order.c
    first_ticket = select(func.min(tt.available_from)).where(tt.conference_id == conference.id)
    opened = conn.execute(first_ticket).scalar()
    if opened is None:
        opened = conn.execute(
            select(func.min(o.created_at)).where(o.conference_id == conference.id, o.status.in_(PAID))
        ).scalar()
    return to_utc(opened)


def phase_of(conference: Conference, opened: dt.datetime | None, now: dt.datetime) -> str:
    """The phase at `now`; days are counted in the conference's own zone."""
    today = now.astimezone(conference.zone).date()
    if today > conference.end_date:
        return OVER
    if today >= conference.start_date:
        return RUNNING
    if opened is None or now < opened:
        return BEFORE_SALES
    return ON_SALE


def judged_in(phase: str | None, judged_from: str) -> bool:
    """Whether a figure judged from `judged_from` can be judged in `phase` (None: no phase given)."""
    return phase is None or PHASES.index(phase) >= PHASES.index(judged_from)


@metric()
def edition_phase(conn: Connection, conference: Conference) -> dict[str, Any]:
    """{phase, as_of, sales_open_at, days_to_start}: where the edition stands today (or at the as-of date)."""
    now = as_of()
    opened = sales_open_at(conn, conference)
    today = now.astimezone(conference.zone).date()
    return {
        "phase": phase_of(conference, opened, now),
        "as_of": today,
        "sales_open_at": opened,
        "days_to_start": (conference.start_date - today).days,
    }

"""Conference records and time-zone resolution. The records and the rules over them load no database
library (a kernel handed its reading draws the report without one); reading them does."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import UnknownConference

if TYPE_CHECKING:
    from sqlalchemy import Connection

UTC = ZoneInfo("UTC")
_warned: set[str] = set()


@dataclass(frozen=True)
class Conference:
    """One row of program_conference_conference, as the reports use it."""

    id: int
    slug: str
    name: str
    start_date: dt.date
    end_date: dt.date
    timezone: str
    total_capacity: int
    revenue_budget: Decimal | None
    target_attendance: int | None
    grant_budget: Decimal | None

    @property
    def zone(self) -> ZoneInfo:
        """The conference's own zone, UTC (with one warning) when it is not a known IANA name."""
        return resolve_zone(self.timezone)

    @property
    def zone_label(self) -> str:
        """The zone the reports use, in words: its name, or UTC and why."""
        used = self.zone.key
        if self.timezone and used != self.timezone:
            return f"{used} (the database's {self.timezone!r} is not a known time zone)"
        return used


def resolve_zone(name: str | None) -> ZoneInfo:
    """ZoneInfo for an IANA name; an unknown name falls back to UTC with one warning on stderr."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name not in _warned:
            _warned.add(name)
            print(f"conference-reports: warning: unknown time zone {name!r}, using UTC", file=sys.stderr)
        return UTC


def _select() -> Any:
    """The conference rows as `Conference` takes them."""
    from sqlalchemy import select

    from . import schema as t

    c = t.conference.c
    return select(c.id, c.slug, c.name, c.start_date, c.end_date, c.timezone, c.total_capacity,
                  c.revenue_budget, c.target_attendance, c.grant_budget)


def _record(row: object) -> Conference:
    return Conference(*row)  # type: ignore[misc]


def list_conferences(conn: Connection) -> list[Conference]:
    """Every conference, oldest start date first."""
    from . import schema as t

    rows = conn.execute(_select().order_by(t.conference.c.start_date, t.conference.c.slug))
    return [_record(r) for r in rows]


def find_conference(conferences: Sequence[Conference], slug: str) -> Conference:
    """The conference with this slug among `conferences`: the one place that says a slug is unknown."""
    for c in conferences:
        if c.slug == slug:
            return c
    known = ", ".join(c.slug for c in conferences) or "none"
    raise UnknownConference(f"no conference with slug {slug!r} (known: {known})")


def get_conference(conn: Connection, slug: str) -> Conference:
    """The conference with this slug, or UnknownConference listing the known ones."""
    from . import schema as t

    row = conn.execute(_select().where(t.conference.c.slug == slug)).first()
    if row is None:
        return find_conference(list_conferences(conn), slug)
    return _record(row)


def default_conference(conferences: Sequence[Conference], today: dt.date | None = None) -> Conference:
    """The most recent conference that has started; the earliest when none has started yet."""
    if not conferences:
        raise UnknownConference("the database holds no conferences")
    today = today or dt.date.today()
    started = [c for c in conferences if c.start_date <= today]
    return max(started, key=lambda c: (c.start_date, c.slug)) if started else min(
        conferences, key=lambda c: (c.start_date, c.slug))


def earlier_editions(
    conference: Conference, conferences: Sequence[Conference], series: Mapping[str, str]
) -> list[Conference]:
    """The conferences of the same series (slug -> series) that started before this one, oldest first."""
    mine = series.get(conference.slug)
    earlier = [
        c
        for c in conferences
        if series.get(c.slug) == mine and c.start_date < conference.start_date and c.slug != conference.slug
    ]
    return sorted(earlier, key=lambda c: (c.start_date, c.slug))


def previous_edition(
    conference: Conference, conferences: Sequence[Conference], series: Mapping[str, str]
) -> Conference | None:
    """The latest conference of the same series (slug -> series) that started before this one."""
    earlier = earlier_editions(conference, conferences, series)
    return earlier[-1] if earlier else None

"""Which conferences a packet covers: the ones asked for, else per series the latest completed edition
and the next one to come (phase as `metrics.phase` says, honouring $CONFERENCE_REPORTS_AS_OF)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from ..data.conferences import Conference, find_conference
from ..metrics.phase import OVER, phase_of
from ..params import default_series


def series_of(conference: Conference, series: Mapping[str, str]) -> str:
    """The series a conference belongs to (params' `series`, else its slug without the year)."""
    return series.get(conference.slug) or default_series(conference.slug)


def default_selection(
    conferences: Sequence[Conference],
    series: Mapping[str, str],
    opened: Callable[[Conference], dt.datetime | None],
    now: dt.datetime,
) -> list[Conference]:
    """Per series, its latest edition that is over and its earliest that is not; series in the order
    their first edition started, each edition oldest first. `opened` gives an edition's sales start."""
    by_series: dict[str, list[Conference]] = {}
    for c in sorted(conferences, key=lambda c: (c.start_date, c.slug)):
        by_series.setdefault(series_of(c, series), []).append(c)
    chosen: list[Conference] = []
    for editions in by_series.values():
        over = [c for c in editions if phase_of(c, opened(c), now) == OVER]
        ahead = [c for c in editions if c not in over]
        if over:
            chosen.append(over[-1])
        if ahead:
            chosen.append(ahead[0])
    return chosen


def chosen(conferences: Sequence[Conference], slugs: Sequence[str]) -> list[Conference]:
    """The conferences asked for, in the order given, each once (an unknown slug: UnknownConference)."""
    return [find_conference(conferences, slug) for slug in dict.fromkeys(slugs)]

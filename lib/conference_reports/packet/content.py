"""What the packet shows, gathered from the report layer: the very objects the HTML reports draw
(`conference_report`, `sponsors_report`, `cross_event_report`), never figures computed beside them."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import charts
from ..data.conferences import Conference
from ..metrics import phase as phases
from ..reports.conference import ConferenceReport
from ..reports.sponsors import SponsorReport
from .select import series_of

_YEAR = re.compile(r"\s*\b\d{4}\s*$")


def forecast_lines(report: ConferenceReport) -> list[str]:
    """The forecast outturn of an edition on sale in short lines for the cover's table."""
    made = report.forecast_payload()
    return charts.forecast_lines(made) if made else []


@dataclass
class Edition:
    """One conference of the packet: its conference and sponsor reports, as the HTML has them."""

    report: ConferenceReport
    sponsors: SponsorReport
    series: str
    forecast: list[str] = field(default_factory=list)
    outlook: list[str] = field(default_factory=list)

    @property
    def conference(self) -> Conference:
        assert self.report.conference is not None
        return self.report.conference

    @property
    def phase(self) -> dict[str, Any]:
        return self.report["edition_phase"]

    @property
    def income(self) -> dict[str, Any]:
        return self.report["income_statement"]

    def compared(self) -> tuple[list[dict[str, Any]] | None, str | None]:
        """(previous rows, their name) for the change column, as the HTML scorecard has them."""
        return self.report.compared_with()

    @property
    def previous_name(self) -> str | None:
        return self.compared()[1]

    def scorecard(self) -> list[dict[str, Any]]:
        """The HTML scorecard's rows: each KPI with status words and the change column."""
        return charts.scorecard_rows(self.report.kpis, self.compared()[0])

    def kpi(self, key: str) -> dict[str, Any] | None:
        return next((r for r in self.scorecard() if r["key"] == key), None)


@dataclass
class Trend:
    """One series across its editions: the cross-event report's rows and each edition's KPIs."""

    key: str
    title: str
    rows: list[dict[str, Any]]  # CrossEventReport.rows() of this series, oldest first
    reports: dict[str, ConferenceReport]  # slug -> that edition's conference report
    retention: dict[str, dict[str, Any]]  # slug -> series_retention


@dataclass
class Packet:
    organisation: str
    generated_at: dt.datetime
    as_of: dt.date
    source: str
    editions: list[Edition]
    trends: list[Trend]


@contextlib.contextmanager
def reading(url: str) -> Iterator[None]:
    """The report layer reads $CONFERENCE_REPORTS_DB only (never a parameter): point it at `url`."""
    from ..data.db import ENV_VAR
    from ..environ import setting

    with setting(ENV_VAR, url):
        yield


def reports_drawn(slugs: Sequence[str], every: Sequence[Conference], series: Mapping[str, str]) -> set[str]:
    """The reports (as a run names them) whose readings `gather` draws from for these conferences: each
    one's conference and sponsor report, the conference report of every edition of their series (the
    trends), and the cross-event report."""
    wanted = {series_of(c, series) for c in every if c.slug in set(slugs)}
    members = [c.slug for c in every if series_of(c, series) in wanted]
    conference = {f"{s}/conference" for s in [*slugs, *members]}
    return {*conference, *(f"{s}/sponsors" for s in slugs), "cross-event"}


def series_title(key: str, names: Sequence[str]) -> str:
    """A series as people name it: its editions' name without the year ("PyConf"), else its key."""
    stems = [_YEAR.sub("", n).strip() for n in names]
    stems = [s for s in stems if s]
    return stems[-1] if stems else key


def gather(
    url: str,
    slugs: Sequence[str],
    params_dir: Path,
    organisation: str | None,
    series: Mapping[str, str],
    every: Sequence[Conference],
    readings: Mapping[str, Any] | None = None,
) -> Packet:
    """The packet's content for the conferences `slugs` (already checked), from the report layer;
    `readings` (a run's, report -> reading) spare reading the database again where they cover it."""
    from ..data.urls import describe_source
    from ..reports import conference_report, cross_event_report
    from ..reports.base import now

    params = str(params_dir)
    built: dict[str, ConferenceReport] = {}

    given = readings or {}

    def report_of(slug: str) -> ConferenceReport:
        if slug not in built:
            built[slug] = conference_report(slug, params_dir=params, render="report", header=False,
                                            reading=given.get(f"{slug}/conference"))
        return built[slug]

    with reading(url):
        editions = [edition_of(report_of(slug), params_dir, series, given.get(f"{slug}/sponsors"))
                    for slug in slugs]
        wanted = list(dict.fromkeys(e.series for e in editions))
        members = [c for c in every if series_of(c, series) in wanted]
        cross = cross_event_report([c.slug for c in members], params_dir=params, render="report",
                                   header=False, reading=_cross_event_reading(given, members))
        rows = cross.rows()
        trends = []
        for key in wanted:
            mine = [row for row in rows if series_of_row(row, series) == key]
            reports = {row["slug"]: report_of(row["slug"]) for row in mine}
            trends.append(Trend(
                key=key,
                title=series_title(key, [row["name"] for row in mine]),
                rows=mine,
                reports=reports,
                retention={row["slug"]: cross.series_retention.get(row["slug"]) or {} for row in mine},
            ))
    titles = [t.title for t in trends]
    first = editions[0].report if editions else None
    return Packet(
        organisation=organisation or _joined(titles) or "Conferences",
        generated_at=now(),
        as_of=(first["edition_phase"]["as_of"] if first else phases.as_of().date()),
        source=describe_source(url),
        editions=editions,
        trends=trends,
    )


def _cross_event_reading(readings: Mapping[str, Any], members: Sequence[Conference]) -> Any:
    """The run's cross-event reading narrowed to `members`, when it holds them all; else None."""
    from ..reports.cross_event import narrowed

    whole = readings.get("cross-event")
    if whole is None:
        return None
    try:
        return narrowed(whole, [c.slug for c in members])
    except KeyError:
        return None


def edition_of(
    report: ConferenceReport, params_dir: Path, series: Mapping[str, str], sponsors: Any = None
) -> Edition:
    """One edition of the packet: its conference report, its sponsor report (from `sponsors`, a run's
    reading, else the database), its series, forecast and outlook."""
    from ..reports import sponsors_report

    assert report.conference is not None
    s = sponsors_report(report.conference.slug, params_dir=str(params_dir), render="report", header=False,
                        reading=sponsors)
    edition = Edition(report=report, sponsors=s, series=series_of(report.conference, series))
    if report.phase == phases.ON_SALE:
        edition.forecast = forecast_lines(report)
    edition.outlook = [*report.outlook(), *report.outlook_warnings()]
    return edition


def series_of_row(row: Mapping[str, Any], series: Mapping[str, str]) -> str:
    return series.get(row["slug"]) or row.get("series") or row["slug"]


def _joined(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]

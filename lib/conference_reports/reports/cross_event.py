"""The cross-event report's data: growth, retention and return metrics of every edition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..data.conferences import Conference, find_conference, list_conferences, previous_edition
from ..errors import BadParams
from ..metrics import phase as phases
from ..params import load_all, series_of
from .base import Report, compute_declared, data_source, database, load_reading, pick, prepare

METRICS = (
    "yoy_growth",
    "yoy_retention",
    "sponsor_renewal_rate",
    "speaker_return_rate",
)


@dataclass
class CrossEventReport(Report):
    conferences: list[Conference] = field(default_factory=list)
    per_conference: dict[str, dict[str, Any]] = field(default_factory=dict)
    series: dict[str, str] = field(default_factory=dict)
    lifetime_value: dict[str, Any] = field(default_factory=dict)
    series_retention: dict[str, dict[str, Any]] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """One record per conference, oldest first: growth, retention and return rates, targets.

        Retention is None (n/a) for an edition that nothing came before, and for one not yet held:
        django-program's 0% there would read as everyone lost. Sponsor renewal and speaker return are
        None where nothing came before or there is no one to count (django-program's 0% again).
        """
        out = []
        now = phases.as_of()  # today, or $CONFERENCE_REPORTS_AS_OF
        for c in self.conferences:
            today = now.astimezone(c.zone).date()
            v = self.per_conference.get(c.slug, {})
            current = (v.get("yoy_growth") or {}).get("current") or {}
            retention = v.get("yoy_retention") or {}
            earlier = bool(retention.get("previous_conferences"))
            judged = earlier and c.start_date <= today
            renewal, speakers = v.get("sponsor_renewal_rate") or {}, v.get("speaker_return_rate") or {}
            out.append(
                {
                    "slug": c.slug,
                    "name": c.name,
                    "series": self.series.get(c.slug, c.slug),
                    "start_date": c.start_date.isoformat(),
                    "upcoming": c.start_date > today,
                    "attendance": current.get("attendance"),
                    "revenue": current.get("revenue"),
                    "sponsors": current.get("sponsors"),
                    "talks": current.get("talks"),
                    "target_attendance": c.target_attendance,
                    "revenue_budget": c.revenue_budget,
                    "returning": retention.get("returning_count"),
                    "new": retention.get("new_count"),
                    "retention_rate": retention.get("retention_rate") if judged else None,
                    "series_retention_rate": (self.series_retention.get(c.slug) or {}).get("retention_rate"),
                    "renewal_rate": renewal.get("renewal_rate")
                    if earlier and renewal.get("current_sponsor_count") else None,
                    "speaker_return_rate": speakers.get("return_rate")
                    if earlier and speakers.get("current_speaker_count") else None,
                }
            )
        return out


def read(
    conn: Any, conferences: Sequence[str] | None = None, params_dir: str | None = None
) -> dict[str, Any]:
    """Everything the report reads from the database: every conference, the chosen ones' declared
    metrics and series retention (each against its series' previous edition), and lifetime value
    over every edition."""
    from ..metrics.cross_event import lifetime_value_all_editions, retention_from

    every = list_conferences(conn)
    chosen = every if not conferences else [pick(every, slug) for slug in conferences]
    chosen = sorted(chosen, key=lambda c: (c.start_date, c.slug))
    series = series_of(load_all(params_dir, [c.slug for c in every]))
    return {
        "conferences": every,
        "chosen": [c.slug for c in chosen],
        "per_conference": {c.slug: compute_declared(conn, c, METRICS) for c in chosen},
        "lifetime_value": lifetime_value_all_editions(conn),
        "series_retention": {c.slug: retention_from(conn, c, previous_edition(c, every, series))
                             for c in chosen},
    }


def narrowed(reading: Mapping[str, Any], slugs: Sequence[str]) -> dict[str, Any]:
    """A reading of more conferences narrowed to `slugs` (each must be in it), as `read` would give."""
    chosen = [s for s in reading["chosen"] if s in set(slugs)]
    missing = set(slugs) - set(chosen)
    if missing:
        raise KeyError(f"the reading holds no {', '.join(sorted(missing))}")
    return {**reading, "chosen": chosen,
            "per_conference": {s: reading["per_conference"][s] for s in chosen},
            "series_retention": {s: reading["series_retention"][s] for s in chosen}}


def cross_event_report(
    conferences: Sequence[str] | None = None,
    *,
    params_dir: str | None = None,
    render: str = "interactive",
    header: bool = True,
    data_path: str | None = None,
    reading: Mapping[str, Any] | None = None,
) -> CrossEventReport:
    """Growth, retention and return metrics of the chosen conferences (default: all), oldest first;
    from the database, or what the runner read (`reading`, or the file `data_path`)."""
    prepare(render)
    if conferences is not None and (isinstance(conferences, str) or not isinstance(conferences, Sequence)):
        raise BadParams(f"conferences must be a list of slugs or None, got {conferences!r}")
    if reading is None and data_path:
        reading = load_reading(data_path)
    if reading is None:
        from ..data.db import connect  # only here: a kernel handed its reading loads no database library

        with connect(database()) as conn:
            reading = read(conn, conferences, params_dir)
    every = reading["conferences"]
    chosen = [find_conference(every, slug) for slug in reading["chosen"]]
    series = series_of(load_all(params_dir, [c.slug for c in every]))
    names = ", ".join(c.slug for c in chosen) or "none"
    report = CrossEventReport(
        kind="cross-event",
        title="Cross-event report",
        render=render,
        parameters={
            "conferences": names if conferences else f"all {len(chosen)}, oldest first: {names}",
        },
        values={},
        source=data_source(),
        conferences=chosen,
        per_conference=reading["per_conference"],
        series=series,
        lifetime_value=reading["lifetime_value"],
        series_retention=reading["series_retention"],
    )
    if header:
        report.header()
    return report

"""The sponsor report's data: sponsor metrics, the fulfilment target, progress against params' goals,
and the previous edition of the series (recorded in the header's output metadata, so the exported page
links to that edition's sponsor report)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import charts
from ..data.conferences import Conference, find_conference, list_conferences, previous_edition
from ..metrics import targets as kpi_targets
from ..metrics.sponsor_goals import goal_progress_from, goals_judged
from ..params import check_overrides, load_all, parse_sponsor_goals, series_of
from .base import (
    Report,
    compute_declared,
    conference_label,
    data_source,
    database,
    load_reading,
    pick,
    prepare,
)
from .conference import describe_params

METRICS = (
    "edition_phase",
    "effective_targets",
    "sponsor_analytics",
    "sponsor_benefit_fulfillment",
    "sponsor_renewal_rate",
    "active_sponsor_renewal",
    "outstanding_benefits",
    "revenue_breakdown",
)

# The key of the header output's metadata that records the previous edition ({"slug", "name"}).
EDITION_METADATA = "conference_reports"


@dataclass
class SponsorReport(Report):
    conference: Conference | None = None
    targets: dict[str, Any] = field(default_factory=dict)
    goals: dict[str, Any] = field(default_factory=dict)
    goal_progress: list[dict[str, Any]] = field(default_factory=list)
    previous: Conference | None = None

    @property
    def goals_judged(self) -> bool:
        """Whether the sponsor goals are judged yet (once the edition runs, as total income is)."""
        return goals_judged(self.phase)

    @property
    def fulfillment(self) -> dict[str, Any]:
        """The fulfilment KPI as the conference report's scorecard judges it (value, target, status: "not
        yet" until the edition runs), for the charts to draw against."""
        benefits = self.values.get("sponsor_benefit_fulfillment") or {}
        value = kpi_targets.rate_of(benefits.get("fulfillment_rate"), benefits.get("total_benefits"))
        return kpi_targets.kpi_summary_from({"fulfillment_rate": value}, self.targets, self.phase)[0]

    def goal_rows(self) -> list[dict[str, Any]]:
        """Each goal with its progress: sponsorship revenue, then active sponsors per level."""
        return self.goal_progress

    def level_rows(self) -> list[dict[str, Any]]:
        """`sponsor_analytics` by_level, with no fulfilment rate (shown "—") where a level has no benefits."""
        levels = (self.values.get("sponsor_analytics") or {}).get("by_level") or []
        return [{**lv, "fulfillment_rate": lv["fulfillment_rate"] if lv.get("total_benefits") else None}
                for lv in levels]

    def edition_metadata(self) -> dict[str, Any]:
        """What the exported page reads from the header output: the previous edition, or None."""
        prev = self.previous
        return {"kind": self.kind, "previous": {"slug": prev.slug, "name": prev.name} if prev else None}

    def header(self) -> None:
        """The header, its output carrying `edition_metadata` (for the page's link to last year)."""
        from IPython.display import HTML, display

        display(HTML(self.header_html()), metadata={EDITION_METADATA: self.edition_metadata()})


def read(conn: Any, conference: str | None, params_dir: str | Path | None = None) -> dict[str, Any]:
    """Everything the report reads from the database: the conferences, the conference's declared
    metrics (its goals come from params, not the database) and its series' previous edition (slug)."""
    conferences = list_conferences(conn)
    conf = pick(conferences, conference)
    prev = previous_edition(conf, conferences, series_of(load_all(params_dir, [c.slug for c in conferences])))
    return {"conferences": conferences, "conference": conf.slug,
            "previous": prev.slug if prev is not None else None,
            "values": compute_declared(conn, conf, METRICS)}


def sponsors_report(
    conference: str | None = None,
    *,
    target_overrides: Mapping[str, Any] | None = None,
    sponsor_goals: Mapping[str, Any] | None = None,
    params_dir: str | None = None,
    render: str = "interactive",
    header: bool = True,
    data_path: str | None = None,
    reading: Mapping[str, Any] | None = None,
) -> SponsorReport:
    """Sponsor metrics of one conference (from the database, or what the runner read: `reading`, or
    the file `data_path`), its fulfilment target, and the goals from params/<slug>.yaml."""
    prepare(render)
    overrides = check_overrides(target_overrides)
    if reading is None and data_path:
        reading = load_reading(data_path, conference)
    if reading is None:
        from ..data.db import connect  # only here: a kernel handed its reading loads no database library

        with connect(database()) as conn:
            reading = read(conn, conference, params_dir)
    conferences, values = reading["conferences"], reading["values"]
    conf = find_conference(conferences, reading["conference"])
    every = load_all(params_dir, [c.slug for c in conferences])
    params = every[conf.slug].with_targets(overrides)
    prev = find_conference(conferences, reading["previous"]) if reading["previous"] else None
    merged = kpi_targets.targets_with_params(values["effective_targets"], params)
    origin = describe_params(params, params_dir)
    if sponsor_goals is not None:
        params = params.with_goals(parse_sponsor_goals(dict(sponsor_goals)))
        origin = "the sponsor_goals parameter"
    goals = params.sponsor_goals
    phase = (values.get("edition_phase") or {}).get("phase")
    report = SponsorReport(
        kind="sponsors",
        title=f"{conf.name}: sponsor report",
        render=render,
        parameters={
            "conference": conference_label(conf, conference),
            "goals from": origin,
            "sponsorship revenue goal": charts.money(goals.revenue) if goals.revenue is not None else "none",
            "sponsor count goals": ", ".join(f"{k}: {v}" for k, v in goals.levels.items()) or "none",
            "fulfilment target": charts.percent(merged.get("target_fulfillment_rate")),
            "previous edition": f"{prev.name} ({prev.slug})" if prev else "none in this series",
        },
        values=values,
        source=data_source(),
        conference=conf,
        targets=merged,
        goals=goals.as_dict(),
        goal_progress=goal_progress_from(values["sponsor_analytics"], goals, phase),
        previous=prev,
    )
    if header:
        report.header()
    return report

"""The sponsor report's data: sponsor metrics, the fulfilment target, progress against params' goals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import charts
from ..data.conferences import Conference, list_conferences
from ..data.db import connect
from ..metrics import targets as kpi_targets
from ..metrics.sponsors import goal_progress_from
from ..params import check_overrides, load_all, parse_sponsor_goals
from .base import Report, compute_declared, conference_label, data_source, database, pick, prepare
from .conference import describe_params

METRICS = (
    "effective_targets",
    "sponsor_analytics",
    "sponsor_benefit_fulfillment",
    "sponsor_renewal_rate",
    "revenue_breakdown",
)


@dataclass
class SponsorReport(Report):
    conference: Conference | None = None
    targets: dict[str, Any] = field(default_factory=dict)
    goals: dict[str, Any] = field(default_factory=dict)
    goal_progress: list[dict[str, Any]] = field(default_factory=list)

    @property
    def fulfillment_target(self) -> Any:
        return self.targets.get("target_fulfillment_rate")

    def goal_rows(self) -> list[dict[str, Any]]:
        """Each goal with its progress: sponsorship revenue, then active sponsors per level."""
        return self.goal_progress


def sponsors_report(
    conference: str | None = None,
    *,
    target_overrides: Mapping[str, Any] | None = None,
    sponsor_goals: Mapping[str, Any] | None = None,
    params_dir: str | None = None,
    render: str = "interactive",
    header: bool = True,
) -> SponsorReport:
    """Sponsor metrics of one conference, its fulfilment target, and the goals from params/<slug>.yaml."""
    prepare(render)
    overrides = check_overrides(target_overrides)
    with connect(database()) as conn:
        conferences = list_conferences(conn)
        conf = pick(conferences, conference)
        params = load_all(params_dir, [conf.slug])[conf.slug].with_targets(overrides)
        values = compute_declared(conn, conf, METRICS)
    merged = kpi_targets.targets_with_params(values["effective_targets"], params)
    origin = describe_params(params, params_dir)
    if sponsor_goals is not None:
        params = params.with_goals(parse_sponsor_goals(dict(sponsor_goals)))
        origin = "the sponsor_goals parameter"
    goals = params.sponsor_goals
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
        },
        values=values,
        source=data_source(),
        conference=conf,
        targets=merged,
        goals=goals.as_dict(),
        goal_progress=goal_progress_from(values["sponsor_analytics"], goals),
    )
    if header:
        report.header()
    return report

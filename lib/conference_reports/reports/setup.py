"""The one-call prelude of each report notebook.

    r = conference_report(conference, target_overrides=target_overrides, params_dir=params_dir,
                          render=render, kpis_path=kpis_path)

reads everything the notebook draws (through the metrics; no SQL here), enables the chart theme
(and, in report mode, the offline renderer), and shows the report header: title, generation time,
data source (password masked) and parameters. The database URL comes only from the environment
($CONFERENCE_REPORTS_DB, else the demo database): it is never a notebook parameter, so it never
lands in an executed notebook.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import charts
from ..data.conferences import Conference, list_conferences
from ..errors import BadParams, UnknownConference
from ..files import write_atomic
from ..params import ConferenceParams, check_overrides, load_all, params_path
from ..serialize import jsonable

RENDER_MODES = ("interactive", "report")

CONFERENCE_METRICS = (
    "revenue_per_attendee",
    "effective_targets",
    "attendee_summary",
    "revenue_breakdown",
    "revenue_by_ticket_type",
    "cumulative_revenue",
    "cashflow_waterfall",
    "sales_by_date",
    "registration_flow",
    "ticket_sales_ratio",
    "cart_funnel",
    "refund_metrics",
    "credit_summary",
    "voucher_summary",
    "discount_summary",
    "discount_impact",
    "checkin_throughput",
    "room_utilization",
    "activity_utilization",
    "travel_grant_analytics",
    "content_analytics",
    "sponsor_benefit_fulfillment",
    "expense_summary",
    "event_roi",
    "nps_score",
    "session_rating_analytics",
)
SPONSOR_METRICS = (
    "effective_targets",
    "sponsor_analytics",
    "sponsor_benefit_fulfillment",
    "sponsor_renewal_rate",
    "revenue_breakdown",
)
CROSS_EVENT_METRICS = (
    "yoy_growth",
    "yoy_retention",
    "sponsor_renewal_rate",
    "speaker_return_rate",
    "attendee_lifetime_value",
)


def show(*items: Any) -> None:
    """Display each chart or table in turn (a notebook cell shows only its last value by itself).

    Charts are converted here, not in Altair's display hook: that hook prints a chart's error and
    carries on, which would let a broken chart pass as a good report. Here the error fails the cell.
    """
    import altair as alt
    from IPython.display import display

    for item in items:
        if not isinstance(item, alt.TopLevelMixin):
            display(item)
            continue
        spec = item.to_dict()  # validated against the Vega-Lite schema; raises on a bad chart
        renderer = alt.renderers.get()
        bundle = renderer(spec) if renderer is not None else None
        if isinstance(bundle, tuple):
            display(bundle[0], metadata=bundle[1], raw=True)
        elif bundle:
            display(bundle, raw=True)
        else:
            display(item)


def prepare(render: str) -> None:
    """Theme always; the offline renderer in report mode (analysts keep Altair's own in JupyterLab)."""
    if render not in RENDER_MODES:
        raise BadParams(f"render must be one of {', '.join(RENDER_MODES)}, got {render!r}")
    charts.use_theme()
    if render == "report":
        from .offline import use_offline_renderer

        use_offline_renderer()


def data_source() -> str:
    """The URL the kernel reads, password masked."""
    from ..data.db import mask_url
    from ..demo.default import database_url

    return mask_url(database_url(build=False))


def default_conference(conferences: Sequence[Conference], today: dt.date | None = None) -> Conference:
    """The most recent conference that has started; the earliest when none has started yet."""
    if not conferences:
        raise UnknownConference("the database holds no conferences")
    today = today or dt.date.today()
    started = [c for c in conferences if c.start_date <= today]
    return max(started, key=lambda c: (c.start_date, c.slug)) if started else conferences[0]


def _pick(conferences: Sequence[Conference], slug: str | None) -> Conference:
    if slug is None:
        return default_conference(conferences)
    for c in conferences:
        if c.slug == slug:
            return c
    known = ", ".join(c.slug for c in conferences) or "none"
    raise UnknownConference(f"no conference with slug {slug!r} (known: {known})")


def previous_edition(
    conference: Conference, conferences: Sequence[Conference], series: Mapping[str, str]
) -> Conference | None:
    """The latest conference of the same series that started before this one."""
    mine = series.get(conference.slug)
    earlier = [
        c
        for c in conferences
        if series.get(c.slug) == mine and c.start_date < conference.start_date and c.slug != conference.slug
    ]
    return max(earlier, key=lambda c: (c.start_date, c.slug)) if earlier else None


def _compute(conn: Any, conference: Conference, names: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
    from ..metrics import REGISTRY, compute_one

    values, missing = {}, []
    for name in names:
        if name in REGISTRY:
            values[name] = compute_one(conn, conference, name)
        else:
            missing.append(name)
    return values, missing


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def _write_json(path: str | os.PathLike[str], payload: Any) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps(jsonable(payload), indent=2, sort_keys=True, ensure_ascii=False) + "\n")


@dataclass
class Report:
    """What every report shows at the top, plus the values its sections draw."""

    kind: str
    title: str
    render: str
    parameters: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=_now)
    source: str = ""

    def __getitem__(self, name: str) -> Any:
        """A metric's value; None for a metric this version does not have (listed in the header)."""
        if name in self.values:
            return self.values[name]
        if name in self.missing:
            return None
        raise KeyError(
            f"this report did not read metric {name!r} (it read: {', '.join(sorted(self.values))})"
        )

    def header_html(self) -> str:
        meta = [
            f"Generated {self.generated_at.isoformat(sep=' ')}",
            f"data source <code>{html.escape(self.source)}</code>",
        ]
        rows = "".join(
            f"<li><b>{html.escape(k)}</b>: {html.escape(str(v))}</li>" for k, v in self.parameters.items()
        )
        missing = ""
        if self.missing:
            missing = (
                f'<p class="cr-note" style="color:{charts.MISSED}">Not available in this version: '
                f"{html.escape(', '.join(self.missing))}</p>"
            )
        for note in self.notes:
            missing += f'<p class="cr-note" style="color:#52606d;font-style:italic">{html.escape(note)}</p>'
        return (
            f'<div class="cr-header"><h1>{html.escape(self.title)}</h1>'
            f'<p class="cr-meta" style="color:#52606d">{" · ".join(meta)}</p>'
            f'<details class="cr-params" open><summary style="color:#52606d">Parameters</summary>'
            f'<ul class="cr-meta" style="color:#52606d;margin-top:4px">{rows}</ul></details>{missing}</div>'
        )

    def header(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.header_html()))

    def _repr_html_(self) -> str:
        return self.header_html()


def _describe_params(p: ConferenceParams, params_dir: str | Path | None) -> str:
    path = params_path(params_dir, p.slug)
    return (
        f"{path} (series {p.effective_series})" if p.path else f"none ({path} does not exist; defaults apply)"
    )


@dataclass
class ConferenceReport(Report):
    conference: Conference | None = None
    targets: dict[str, Any] = field(default_factory=dict)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    previous: Conference | None = None
    previous_kpis: list[dict[str, Any]] | None = None

    def target(self, name: str) -> Any:
        return self.targets.get(name)

    def kpi(self, key: str) -> dict[str, Any] | None:
        return next((r for r in self.kpis if r["key"] == key), None)

    def kpis_payload(self) -> dict[str, Any]:
        c = self.conference
        assert c is not None
        return {
            "report": "conference",
            "slug": c.slug,
            "name": c.name,
            "start_date": c.start_date,
            "generated_at": self.generated_at,
            "notes": self.notes,
            "kpis": self.kpis,
            "targets": self.targets,
            "previous": None
            if self.previous is None
            else {
                "slug": self.previous.slug,
                "name": self.previous.name,
                "kpis": {r["key"]: r["value"] for r in self.previous_kpis or []},
            },
        }

    def scorecard(self) -> None:
        name = self.previous.name if self.previous else None
        show(
            charts.scorecard_table(self.kpis, self.previous_kpis, name),
            charts.kpi_scorecard(self.kpis, self.previous_kpis, name),
        )


def conference_report(
    conference: str | None = None,
    *,
    target_overrides: Mapping[str, Any] | None = None,
    params_dir: str | None = None,
    render: str = "interactive",
    kpis_path: str | None = None,
    header: bool = True,
) -> ConferenceReport:
    """Read one conference's metrics, merge its targets, show the header; write kpis.json if asked."""
    from ..data.db import connect
    from ..demo.default import database_url
    from ..metrics import targets as kpi_targets

    prepare(render)
    overrides = check_overrides(target_overrides)
    with connect(database_url()) as conn:
        conferences = list_conferences(conn)
        conf = _pick(conferences, conference)
        params = load_all(params_dir, [c.slug for c in conferences])
        series = {slug: p.effective_series for slug, p in params.items()}
        values, missing = _compute(conn, conf, CONFERENCE_METRICS)
        file_targets = params[conf.slug].targets
        merged = _merged_targets(values, file_targets, overrides)
        kpis = kpi_targets.kpi_summary_from(kpi_targets.kpi_values_from(values), merged)
        prev = previous_edition(conf, conferences, series)
        prev_kpis = None
        if prev is not None:
            before = kpi_targets.kpi_values(conn, prev)
            prev_kpis = [{"key": k, "value": v} for k, v in before.items()]
    report = ConferenceReport(
        kind="conference",
        title=f"{conf.name}: conference report",
        render=render,
        parameters={
            "conference": _conference_label(conf, conference),
            "dates": f"{conf.start_date} to {conf.end_date}",
            "time zone": conf.zone_label,
            "params file": _describe_params(params[conf.slug], params_dir),
            "target overrides": _fmt_overrides({**file_targets, **overrides}),
            "previous edition": f"{prev.name} ({prev.slug})" if prev else "none in this series",
            "render": render,
        },
        values=values,
        missing=missing,
        source=data_source(),
        conference=conf,
        targets=merged,
        kpis=kpis,
        previous=prev,
        previous_kpis=prev_kpis,
        notes=_timing_notes(conf),
    )
    if kpis_path:
        _write_json(kpis_path, report.kpis_payload())
    if header:
        report.header()
    return report


def _merged_targets(
    values: Mapping[str, Any], file_targets: Mapping[str, Any], overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """The database's effective targets (else the defaults), then params file, then notebook overrides."""
    from ..metrics import targets as kpi_targets

    db_targets = values.get("effective_targets") or kpi_targets.DEFAULT_TARGETS
    return kpi_targets.merge_targets(db_targets, {**file_targets, **overrides})


def _conference_label(conf: Conference, asked: str | None) -> str:
    """The slug, saying so when it was picked by default."""
    return conf.slug if asked else f"{conf.slug} (default: the most recent conference that has started)"


def _timing_notes(conference: Conference, today: dt.date | None = None) -> list[str]:
    """A reminder that an edition still to come is judged on figures that are still coming in."""
    today = today or dt.date.today()
    if conference.start_date > today:
        days = (conference.start_date - today).days
        return [
            f"{conference.name} starts in {days} days: check-in, feedback and spending figures are "
            "still to come, so targets on them read as missed until then."
        ]
    return []


def _fmt_overrides(overrides: Mapping[str, Any]) -> str:
    if not overrides:
        return "none (targets from the database, else the defaults)"
    return ", ".join(f"{k} = {v}" for k, v in overrides.items())


@dataclass
class SponsorReport(Report):
    conference: Conference | None = None
    targets: dict[str, Any] = field(default_factory=dict)
    goals: dict[str, Any] = field(default_factory=dict)

    @property
    def fulfillment_target(self) -> Any:
        return self.targets.get("target_fulfillment_rate")

    def goal_rows(self) -> list[dict[str, Any]]:
        """Each goal with its progress: sponsorship revenue, then sponsors per level."""
        analytics = self.values.get("sponsor_analytics") or {}
        rows = []
        if self.goals.get("revenue") is not None:
            value, goal = (
                charts.num(analytics.get("total_sponsor_revenue")),
                charts.num(self.goals["revenue"]),
            )
            rows.append(
                {
                    "goal": "Sponsorship revenue",
                    "value": value,
                    "target": goal,
                    "unit": "money",
                    "progress": (value or 0) / goal * 100 if goal else None,
                    "status": charts.status_of(value, goal),
                }
            )
        levels = {str(r.get("level_name", "")).lower(): r for r in analytics.get("by_level") or []}
        levels.update({str(r.get("level_slug", "")).lower(): r for r in analytics.get("by_level") or []})
        for name, wanted in (self.goals.get("levels") or {}).items():
            row = levels.get(str(name).lower())
            have = charts.num(row.get("sponsor_count")) if row else 0.0
            rows.append(
                {
                    "goal": f"Sponsors at level {row.get('level_name') if row else name}"
                    + ("" if row else " (no such level)"),
                    "value": have,
                    "target": wanted,
                    "unit": "count",
                    "progress": (have or 0) / wanted * 100 if wanted else None,
                    "status": charts.status_of(have, wanted),
                }
            )
        return rows


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
    from ..data.db import connect
    from ..demo.default import database_url
    from ..params import parse

    prepare(render)
    overrides = check_overrides(target_overrides)
    with connect(database_url()) as conn:
        conferences = list_conferences(conn)
        conf = _pick(conferences, conference)
        params = load_all(params_dir, [conf.slug])[conf.slug]
        values, missing = _compute(conn, conf, SPONSOR_METRICS)
    merged = _merged_targets(values, params.targets, overrides)
    goals = params.sponsor_goals
    origin = _describe_params(params, params_dir)
    if sponsor_goals is not None:
        import yaml

        goals = parse(
            Path("sponsor_goals parameter"), yaml.safe_dump({"sponsor_goals": dict(sponsor_goals)}), conf.slug
        ).sponsor_goals
        origin = "the sponsor_goals parameter"
    report = SponsorReport(
        kind="sponsors",
        title=f"{conf.name}: sponsor report",
        render=render,
        parameters={
            "conference": _conference_label(conf, conference),
            "goals from": origin,
            "sponsorship revenue goal": charts.money(goals.revenue) if goals.revenue is not None else "none",
            "sponsor count goals": ", ".join(f"{k}: {v}" for k, v in goals.levels.items()) or "none",
            "fulfilment target": charts.percent(merged.get("target_fulfillment_rate")),
            "render": render,
        },
        values=values,
        missing=missing,
        source=data_source(),
        conference=conf,
        targets=merged,
        goals=goals.as_dict(),
    )
    if header:
        report.header()
    return report


@dataclass
class CrossEventReport(Report):
    conferences: list[Conference] = field(default_factory=list)
    per_conference: dict[str, dict[str, Any]] = field(default_factory=dict)
    series: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """One record per conference, oldest first: growth, retention and return rates, targets."""
        out = []
        for c in self.conferences:
            v = self.per_conference.get(c.slug, {})
            current = (v.get("yoy_growth") or {}).get("current") or {}
            retention = v.get("yoy_retention") or {}
            out.append(
                {
                    "slug": c.slug,
                    "name": c.name,
                    "series": self.series.get(c.slug, c.slug),
                    "start_date": c.start_date.isoformat(),
                    "upcoming": c.start_date > dt.date.today(),
                    "attendance": current.get("attendance"),
                    "revenue": current.get("revenue"),
                    "sponsors": current.get("sponsors"),
                    "talks": current.get("talks"),
                    "target_attendance": c.target_attendance,
                    "revenue_budget": c.revenue_budget,
                    "returning": retention.get("returning_count"),
                    "new": retention.get("new_count"),
                    "retention_rate": retention.get("retention_rate"),
                    "renewal_rate": (v.get("sponsor_renewal_rate") or {}).get("renewal_rate"),
                    "speaker_return_rate": (v.get("speaker_return_rate") or {}).get("return_rate"),
                }
            )
        return out

    @property
    def latest_lifetime_value(self) -> Any:
        return (self.per_conference.get(self.conferences[-1].slug, {}) if self.conferences else {}).get(
            "attendee_lifetime_value"
        )


def cross_event_report(
    conferences: Sequence[str] | None = None,
    *,
    params_dir: str | None = None,
    render: str = "interactive",
    header: bool = True,
) -> CrossEventReport:
    """Growth, retention and return metrics of the chosen conferences (default: all), oldest first."""
    from ..data.db import connect
    from ..demo.default import database_url

    prepare(render)
    if conferences is not None and (isinstance(conferences, str) or not isinstance(conferences, Sequence)):
        raise BadParams(f"conferences must be a list of slugs or None, got {conferences!r}")
    with connect(database_url()) as conn:
        every = list_conferences(conn)
        chosen = every if not conferences else [_pick(every, slug) for slug in conferences]
        chosen = sorted(chosen, key=lambda c: (c.start_date, c.slug))
        params = load_all(params_dir, [c.slug for c in every])
        per, missing = {}, []
        for c in chosen:
            per[c.slug], missing = _compute(conn, c, CROSS_EVENT_METRICS)
    names = ", ".join(c.slug for c in chosen) or "none"
    report = CrossEventReport(
        kind="cross-event",
        title="Cross-event report",
        render=render,
        parameters={
            "conferences": names if conferences else f"all {len(chosen)}, oldest first: {names}",
            "render": render,
        },
        values={},
        missing=missing,
        source=data_source(),
        conferences=chosen,
        per_conference=per,
        series={slug: p.effective_series for slug, p in params.items()},
    )
    if header:
        report.header()
    return report

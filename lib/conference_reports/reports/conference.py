"""The conference report's data: every metric its notebook draws, the scorecard, kpis.json.

    r = conference_report(conference, target_overrides=target_overrides, params_dir=params_dir,
                          render=render, kpis_path=kpis_path)

The database URL comes only from the environment ($CONFERENCE_REPORTS_DB, else the demo database):
it is never a notebook parameter, so it never lands in an executed notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import charts
from ..data.conferences import Conference, find_conference, list_conferences, previous_edition
from ..metrics import phase as phases
from ..metrics import targets as kpi_targets
from ..params import ConferenceParams, check_overrides, load_all, params_path, series_of
from .base import (
    Report,
    compute_declared,
    conference_label,
    data_source,
    database,
    describe_overrides,
    load_reading,
    pick,
    prepare,
    show,
    write_json,
)

METRICS = (
    "edition_phase",
    "data_quality",
    "registration_pace",
    "forecast",
    "income_statement",
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
    "registration_attribution",
    "cart_funnel",
    "refund_metrics",
    "credit_summary",
    "voucher_summary",
    "discount_summary",
    "discount_impact",
    "reconciliation",
    "payment_status_summary",
    "outstanding_benefits",
    "checkin_throughput",
    "room_utilization",
    "activity_utilization",
    "travel_grant_analytics",
    "letter_request_summary",
    "content_analytics",
    "sponsor_benefit_fulfillment",
    "expense_summary",
    "event_roi",
    "nps_score",
    "session_rating_analytics",
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
        """The KPI record of `key`: its value, target and status (the scorecard's judgement), which a
        section's chart takes as its target so that it says what the scorecard says."""
        return next((r for r in self.kpis if r["key"] == key), None)

    def judged(self, key: str) -> bool:
        """Whether the KPI `key` is judged in the edition's phase (not "not yet"); figures that stand or
        fall with it (spending with the surplus) follow it."""
        record = self.kpi(key)
        return record is None or record["status"] != "not yet"

    def as_judged(self, target: Any, key: str) -> Any:
        """`target` for a chart of a figure judged when the KPI `key` is (rooms with check-in, grant money
        with the surplus, revenue with total income): the bare target once it is, else a record whose
        "not yet" the chart then says."""
        return charts.as_judged(target, self.judged(key))

    def kpis_payload(self) -> dict[str, Any]:
        c = self.conference
        assert c is not None
        return {
            "report": "conference",
            "slug": c.slug,
            "name": c.name,
            "start_date": c.start_date,
            "generated_at": self.generated_at,
            "phase": self.values.get("edition_phase"),
            "notes": self.notes,
            "kpis": self.kpis,
            "targets": self.targets,
            "pace": self.pace_payload(),
            "forecast": self.forecast_payload(),
            "outlook": self.outlook(),
            "outlook_warnings": self.outlook_warnings(),
            "quality": {rule: found["count"]
                        for rule, found in (self.values.get("data_quality") or {}).items()},
            "quality_text": charts.data_quality_text(self.values.get("data_quality")),
            "previous": None
            if self.previous is None
            else {
                "slug": self.previous.slug,
                "name": self.previous.name,
                "kpis": {r["key"]: r["value"] for r in self.previous_kpis or []},
            },
        }

    def pace_payload(self) -> dict[str, Any] | None:
        """Where sales stand against the previous edition at the same days out, and in words."""
        pace = self.values.get("registration_pace")
        if pace is None:
            return None
        return {"days_out": pace["days_out"], "gap": pace["gap"], "recent": pace["recent"],
                "text": charts.pace_gap_text(pace), "recent_text": charts.pace_recent_text(pace)}

    def forecast_payload(self) -> dict[str, Any] | None:
        """The forecast with its sentence and early warnings (the index and the packet show these)."""
        made = self.values.get("forecast")
        if made is None:
            return None
        return {**made, "text": charts.forecast_text(made), "warning_texts": charts.forecast_warnings(made)}

    def outlook(self) -> list[str]:
        """For an edition before or on sale: its pace against last year, what sold lately and its
        forecast, in sentences (the index and the board packet show these); nothing once it runs."""
        if self.phase not in (phases.BEFORE_SALES, phases.ON_SALE):
            return []
        pace, made = self.pace_payload() or {}, self.forecast_payload() or {}
        return [line for line in (pace.get("text"), pace.get("recent_text"), made.get("text")) if line]

    def outlook_warnings(self) -> list[str]:
        """The forecast's early warnings, shown with the outlook (nothing once the edition runs)."""
        return (self.forecast_payload() or {}).get("warning_texts", []) if self.outlook() else []

    def pace(self) -> None:
        """The pace section: the gap and the forecast in words, then the pace chart against the targets."""
        pace, made = self["registration_pace"], self["forecast"]
        show(charts.pace_summary(pace, made), charts.registration_pace(pace, made["targets"]))

    def compared_with(self) -> tuple[list[dict[str, Any]] | None, str | None]:
        """(previous rows, their name) for the change column. Once the edition runs: the previous
        edition's final figures. Before that: registrations at the same days out (attendance's row;
        no other figure has a dated history, so the others show no change)."""
        if self.previous is None:
            return None, None
        gap = (self.values.get("registration_pace") or {}).get("gap") or {}
        if self.phase in (phases.BEFORE_SALES, phases.ON_SALE) and gap.get("against") == self.previous.slug:
            same_day = [{"key": "attendance", "value": gap["previous_registrations"],
                         "now": gap["registrations"]}]
            return same_day, f"{self.previous.name} at {charts.days_words(gap['days_out'])}"
        return self.previous_kpis, self.previous.name

    def scorecard(self) -> None:
        previous, name = self.compared_with()
        show(
            charts.scorecard_table(self.kpis, previous, name),
            charts.kpi_scorecard(self.kpis, previous, name),
        )


def read(
    conn: Any, conference: str | None, params_dir: str | Path | None = None,
    target_overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the report reads from the database: the conferences, the conference's declared
    metrics (with its params and overrides), its stored KPI targets and the previous edition's headline
    KPIs. The runner reads this once (its fingerprint) and hands it to the kernel (`data_path`).
    `previous` is the slug of the series' previous edition (None: the first)."""
    conferences = list_conferences(conn)
    conf = pick(conferences, conference)
    params = load_all(params_dir, [c.slug for c in conferences])
    mine = params[conf.slug].with_targets(check_overrides(target_overrides))
    prev = previous_edition(conf, conferences, series_of(params))
    return {
        "conferences": conferences,
        "conference": conf.slug,
        "previous": prev.slug if prev is not None else None,
        "values": compute_declared(conn, conf, METRICS, mine),
        "stored_targets": kpi_targets.stored_targets(conn, conf),
        "previous_kpis": kpi_targets.kpi_values(conn, prev) if prev is not None else None,
    }


def conference_report(
    conference: str | None = None,
    *,
    target_overrides: Mapping[str, Any] | None = None,
    params_dir: str | None = None,
    render: str = "interactive",
    kpis_path: str | None = None,
    header: bool = True,
    data_path: str | None = None,
    reading: Mapping[str, Any] | None = None,
) -> ConferenceReport:
    """Read one conference's metrics (from the database, or what the runner read: `reading`, or the
    file `data_path`), merge its targets, show the header; write kpis.json if asked."""
    prepare(render)
    overrides = check_overrides(target_overrides)
    if reading is None and data_path:
        reading = load_reading(data_path, conference)
    if reading is None:
        from ..data.db import connect  # only here: a kernel handed its reading loads no database library

        with connect(database()) as conn:
            reading = read(conn, conference, params_dir, overrides)
    conferences, values = reading["conferences"], reading["values"]
    conf = find_conference(conferences, reading["conference"])
    params = load_all(params_dir, [c.slug for c in conferences])
    mine = params[conf.slug].with_targets(overrides)
    merged = kpi_targets.targets_with_params(values["effective_targets"], mine, conf)
    merged = kpi_targets.with_budgets(merged, values["income_statement"])
    phase = values["edition_phase"]
    origins = kpi_targets.target_origins(reading["stored_targets"], mine, conf)
    kpis = kpi_targets.kpi_summary_from(kpi_targets.kpi_values_from(values), merged, phase["phase"], origins,
                                        values["income_statement"]["income_unbudgeted"])
    prev = find_conference(conferences, reading["previous"]) if reading["previous"] else None
    before = reading["previous_kpis"]
    prev_kpis = [{"key": k, "value": v} for k, v in before.items()] if before is not None else None
    report = ConferenceReport(
        kind="conference",
        title=f"{conf.name}: conference report",
        render=render,
        parameters={
            "conference": conference_label(conf, conference),
            "dates": f"{conf.start_date} to {conf.end_date}",
            "time zone": conf.zone_label,
            "params file": describe_params(params[conf.slug], params_dir),
            "target overrides": describe_overrides(mine.targets),
            "previous edition": f"{prev.name} ({prev.slug})" if prev else "none in this series",
        },
        values=values,
        source=data_source(),
        conference=conf,
        targets=merged,
        kpis=kpis,
        previous=prev,
        previous_kpis=prev_kpis,
        notes=_phase_notes(conf, phase),
    )
    if kpis_path:
        write_json(kpis_path, report.kpis_payload())
    if header:
        report.header()
    return report


def describe_params(p: ConferenceParams, params_dir: str | Path | None) -> str:
    """Which params file a report read (or that it read none)."""
    path = params_path(params_dir, p.slug)
    shown = f"{path.parent.name}/{path.name}"  # no local path on a page that gets mailed
    if p.path:
        return f"{shown} (series {p.effective_series})"
    return f"none ({shown} does not exist; defaults apply)"


def _phase_notes(conference: Conference, phase: Mapping[str, Any]) -> list[str]:
    """What the edition's phase means for its scorecard, in words (nothing once it is over)."""
    name, days = conference.name, phase["days_to_start"]
    later = "check-in, sponsor fulfilment and attendance are judged once it runs ('not yet' until then)"
    if phase["phase"] == phases.BEFORE_SALES:
        return [f"{name} starts in {days} days and its ticket sales have not opened: nothing is judged yet."]
    if phase["phase"] == phases.ON_SALE:
        return [f"{name} starts in {days} days and is on sale: {later}. The change column compares "
                "registrations (attendee records on paid orders) with the previous edition's on the same "
                "day before its start; no other figure has a dated history, so the others show none."]
    if phase["phase"] == phases.RUNNING:
        return [f"{name} is running: its figures are still coming in."]
    return []

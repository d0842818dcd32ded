"""KPI targets (defaults merged with the conference's KPITargets row) and the dashboard's headline KPIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ..data.conferences import Conference
from ..params import ConferenceParams
from .numbers import pct
from .phase import ON_SALE, RUNNING, edition_phase, judged_in
from .registry import compute_one, metric

if TYPE_CHECKING:
    from sqlalchemy import Connection

DEFAULT_TARGETS: dict[str, Decimal | None] = {
    "target_conversion_rate": Decimal("3.0"),
    "target_refund_rate": Decimal("5.0"),
    "target_checkin_rate": Decimal("80.0"),
    "target_fulfillment_rate": Decimal("90.0"),
    "target_revenue_per_attendee": None,
    "target_room_utilization": Decimal("28.0"),
}

MET, MISSED, NO_TARGET, N_A, NOT_YET = "met", "missed", "no target", "n/a", "not yet"


def _as_decimal(name: str, value: Any) -> Decimal | None:
    """A target or KPI value as a Decimal (floats through their shortest repr); None stays None."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{name}: expected a number, got {value!r}") from None


def merge_targets(
    db_targets: Mapping[str, Decimal | None], overrides: Mapping[str, Decimal | float | None] | None = None
) -> dict[str, Decimal | None]:
    """db_targets with each non-None override replacing its field (None means "no override").

    Override keys must be target field names (see DEFAULT_TARGETS); an unknown key is a ValueError.
    """
    merged = dict(db_targets)
    for name, value in (overrides or {}).items():
        if name not in DEFAULT_TARGETS:
            raise ValueError(f"unknown KPI target {name!r} (known: {', '.join(DEFAULT_TARGETS)})")
        if value is not None:
            merged[name] = _as_decimal(name, value)
    return merged


@metric()
def effective_targets(conn: Connection, conference: Conference) -> dict[str, Decimal | None]:
    """The defaults, each replaced by the conference's KPITargets field where that field is non-null."""
    return merge_targets(DEFAULT_TARGETS, stored_targets(conn, conference))


def stored_targets(conn: Connection, conference: Conference) -> dict[str, Decimal | None]:
    """The conference's KPITargets fields as stored (empty without a row; a field may be None)."""
    from sqlalchemy import select

    from ..data import schema as t

    k = t.kpi_targets.c
    row = conn.execute(
        select(*(k[name] for name in DEFAULT_TARGETS)).where(k.conference_id == conference.id)
    ).first()
    return dict(zip(DEFAULT_TARGETS, row, strict=True)) if row is not None else {}


def target_origins(
    stored: Mapping[str, Any], params: ConferenceParams | None, conference: Conference | None = None
) -> dict[str, str]:
    """Where each target comes from: "params", "database" or "default" (a target that is set)."""
    given = params.targets if params is not None else {}
    origins = {}
    for name, default in DEFAULT_TARGETS.items():
        if given.get(name) is not None:
            origins[name] = "params"
        elif stored.get(name) is not None:
            origins[name] = "database"
        elif default is not None:
            origins[name] = "default"
    if conference is not None and conference.target_attendance:
        origins["target_attendance"] = "database"
    origins.update({"income_budget": "budgets", "budgeted_surplus": "budgets"})
    return origins


@dataclass(frozen=True)
class _Kpi:
    key: str
    label: str
    target: str
    unit: str
    higher_is_better: bool = True
    judged_from: str = ON_SALE  # the first phase in which the figure can be judged


KPIS = (
    _Kpi("attendance", "Attendance (registered attendees)", "target_attendance", "count",
         judged_from=RUNNING),
    _Kpi("total_income", "Total income (tickets, add-ons, sponsorship)", "income_budget", "money",
         judged_from=RUNNING),
    _Kpi("surplus", "Surplus or deficit", "budgeted_surplus", "money", judged_from=RUNNING),
    _Kpi("revenue_per_attendee", "Revenue per attendee", "target_revenue_per_attendee", "money"),
    _Kpi("conversion_rate", "Cart conversion rate", "target_conversion_rate", "percent"),
    _Kpi("checkin_rate", "Check-in rate", "target_checkin_rate", "percent", judged_from=RUNNING),
    _Kpi("fulfillment_rate", "Sponsor fulfillment", "target_fulfillment_rate", "percent",
         judged_from=RUNNING),
    _Kpi("refund_rate", "Refund rate", "target_refund_rate", "percent", higher_is_better=False),
)


# Targets that are percentages (the rest are money): the KPIs' own, and room utilisation.
PERCENT_TARGETS = frozenset({k.target for k in KPIS if k.unit == "percent"} | {"target_room_utilization"})


def status(value: Any, target: Any, higher_is_better: bool = True) -> str:
    """The one met / missed rule of the suite, for every figure with a target.

    "n/a" without a value (a rate over zero); "no target" without a target, or with a zero target
    where higher is better (reaching "at least 0" judges nothing: django-program's dashboard hides a
    zero revenue target); else met when the value reaches the target (higher is better) or stays
    within it (lower is better: a limit or a budget, where 0 is a real limit).
    """
    v = _as_decimal("value", value)
    if v is None:
        return N_A
    t = _as_decimal("target", target)
    if t is None or (higher_is_better and t == 0):
        return NO_TARGET
    passed = v >= t if higher_is_better else v <= t
    return MET if passed else MISSED


# The targets that are budgets made from the income statement (none when some income has no budget).
BUDGET_TARGETS = frozenset({"income_budget", "budgeted_surplus"})


def kpi_summary_from(
    values: Mapping[str, Any],
    targets: Mapping[str, Any],
    phase: str | None = None,
    origins: Mapping[str, str] | None = None,
    unbudgeted: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The headline KPIs as records {key, label, value, target, status, unit, higher_is_better,
    judged_from, target_origin}: attendance first, then django-program's five. A KPI judged on a
    budget that is missing because streams of income have none (`unbudgeted`, from the income
    statement) names them in `unbudgeted`.

    `values` holds a value per KPI key; `targets` the effective targets (target_* keys, plus the
    conference's target_attendance; a missing key means no target). In a phase before a KPI's
    `judged_from`, its status is "not yet" (neither met nor missed).
    """
    records = []
    for kpi in KPIS:
        if kpi.key not in values:
            continue
        value = _as_decimal(kpi.key, values[kpi.key])
        target = _as_decimal(kpi.target, targets.get(kpi.target))
        judged = judged_in(phase, kpi.judged_from)
        records.append({
            "key": kpi.key,
            "label": kpi.label,
            "value": value,
            "target": target,
            "status": status(value, target, kpi.higher_is_better) if judged else NOT_YET,
            "unit": kpi.unit,
            "higher_is_better": kpi.higher_is_better,
            "judged_from": kpi.judged_from,
            "target_origin": (origins or {}).get(kpi.target) if target is not None else None,
            **({"unbudgeted": list(unbudgeted)} if target is None and kpi.target in BUDGET_TARGETS
               and unbudgeted else {}),
        })
    return records


def checkin_rate(summary: Mapping[str, int]) -> Decimal:
    """checked_in / total x 100 rounded to one decimal (half-even), 0 when there are no attendees."""
    return round(pct(summary["checked_in"], summary["total"]), 1)


HEADLINE_METRICS = (
    "income_statement",
    "revenue_per_attendee",
    "cart_funnel",
    "attendee_summary",
    "sponsor_benefit_fulfillment",
    "refund_metrics",
)


def rate_of(value: Any, basis: Any) -> Any:
    """The value of a ratio, None when what it divides by is zero (nothing to compute)."""
    return value if basis else None


def kpi_values_from(values: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The five headline KPI values, picked from already computed HEADLINE_METRICS values.

    A rate whose denominator is zero (no attendees, carts, benefits or revenue) is None, not 0.
    """
    per, carts = values["revenue_per_attendee"], values["cart_funnel"]
    people, benefits = values["attendee_summary"], values["sponsor_benefit_fulfillment"]
    refunds, income = values["refund_metrics"], values["income_statement"]
    return {
        "attendance": people["total"],
        "total_income": income["total_income"],
        "surplus": income["surplus"],
        "revenue_per_attendee": rate_of(per["revenue_per_attendee"], per["attendee_count"]),
        "conversion_rate": rate_of(carts["conversion_rate"], carts["total_carts"]),
        "checkin_rate": rate_of(checkin_rate(people), people["total"]),
        "fulfillment_rate": rate_of(benefits["fulfillment_rate"], benefits["total_benefits"]),
        "refund_rate": rate_of(refunds["refund_rate"], Decimal(str(refunds["total_revenue"] or 0))),
    }


def kpi_values(conn: Connection, conference: Conference) -> dict[str, Decimal | None]:
    """The five headline KPI values, read from the metrics that define them."""
    return kpi_values_from({name: compute_one(conn, conference, name) for name in HEADLINE_METRICS})


Targets = dict[str, Decimal | None]


def targets_with_params(
    db_targets: Mapping[str, Decimal | None],
    params: ConferenceParams | None,
    conference: Conference | None = None,
) -> Targets:
    """The effective targets (database, else the defaults), each overridden by params where set; with
    `conference`, its target_attendance too."""
    merged = merge_targets(db_targets, params.targets if params is not None else None)
    if conference is not None and conference.target_attendance:
        merged["target_attendance"] = Decimal(conference.target_attendance)
    return merged


def with_budgets(targets: Mapping[str, Decimal | None], income: Mapping[str, Any]) -> Targets:
    """The targets plus the income statement's budgets (total income and surplus are judged on them)."""
    return {**targets, "income_budget": income.get("income_budget"),
            "budgeted_surplus": income.get("budgeted_surplus")}


@metric(params=True)
def kpi_summary(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> list[dict[str, Any]]:
    """Attendance and the analytics dashboard's five headline KPIs against the effective targets (and
    params, if given), each judged only in a phase where it can be (else "not yet")."""
    values = {name: compute_one(conn, conference, name, params=params) for name in HEADLINE_METRICS}
    stored = stored_targets(conn, conference)
    targets = targets_with_params(merge_targets(DEFAULT_TARGETS, stored), params, conference)
    targets = with_budgets(targets, values["income_statement"])
    phase = edition_phase(conn, conference)["phase"]
    origins = target_origins(stored, params, conference)
    unbudgeted = values["income_statement"]["income_unbudgeted"]
    return kpi_summary_from(kpi_values_from(values), targets, phase, origins, unbudgeted)

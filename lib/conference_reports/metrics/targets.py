"""KPI targets (defaults merged with the conference's KPITargets row) and the dashboard's headline KPIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, select

from ..data import schema as t
from ..data.conferences import Conference
from .common import pct
from .registry import compute_one, metric

DEFAULT_TARGETS: dict[str, Decimal | None] = {
    "target_conversion_rate": Decimal("3.0"),
    "target_refund_rate": Decimal("5.0"),
    "target_checkin_rate": Decimal("80.0"),
    "target_fulfillment_rate": Decimal("90.0"),
    "target_revenue_per_attendee": None,
    "target_room_utilization": Decimal("28.0"),
}

MET, MISSED, NO_TARGET, N_A = "met", "missed", "no target", "n/a"


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


@metric("targets")
def effective_targets(conn: Connection, conference: Conference) -> dict[str, Decimal | None]:
    """The defaults, each replaced by the conference's KPITargets field where that field is non-null."""
    k = t.kpi_targets.c
    row = conn.execute(
        select(*(k[name] for name in DEFAULT_TARGETS)).where(k.conference_id == conference.id)
    ).first()
    stored = dict(zip(DEFAULT_TARGETS, row, strict=True)) if row is not None else {}
    return merge_targets(DEFAULT_TARGETS, stored)


@dataclass(frozen=True)
class _Kpi:
    key: str
    label: str
    target: str
    unit: str
    higher_is_better: bool = True


KPIS = (
    _Kpi("revenue_per_attendee", "Revenue per attendee", "target_revenue_per_attendee", "money"),
    _Kpi("conversion_rate", "Cart conversion rate", "target_conversion_rate", "percent"),
    _Kpi("checkin_rate", "Check-in rate", "target_checkin_rate", "percent"),
    _Kpi("fulfillment_rate", "Sponsor fulfillment", "target_fulfillment_rate", "percent"),
    _Kpi("refund_rate", "Refund rate", "target_refund_rate", "percent", higher_is_better=False),
)

# Targets that are percentages (the rest are money): the KPIs' own, and room utilisation.
PERCENT_TARGETS = frozenset({k.target for k in KPIS if k.unit == "percent"} | {"target_room_utilization"})


def _status(kpi: _Kpi, value: Decimal | None, target: Decimal | None) -> str:
    """met / missed against the target; "n/a" without a value (a rate over zero); "no target" without one.

    As on the dashboard, a zero revenue-per-attendee target counts as no target.
    """
    if value is None:
        return N_A
    if target is None or (kpi.unit == "money" and not target):
        return NO_TARGET
    passed = value >= target if kpi.higher_is_better else value <= target
    return MET if passed else MISSED


def kpi_summary_from(values: Mapping[str, Any], targets: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The five headline KPIs as records {key, label, value, target, status, unit, higher_is_better}.

    `values` holds revenue_per_attendee, conversion_rate, checkin_rate, fulfillment_rate and
    refund_rate; `targets` the effective targets (target_* keys; a missing key means no target).
    """
    records = []
    for kpi in KPIS:
        value = _as_decimal(kpi.key, values[kpi.key])
        target = _as_decimal(kpi.target, targets.get(kpi.target))
        records.append({
            "key": kpi.key,
            "label": kpi.label,
            "value": value,
            "target": target,
            "status": _status(kpi, value, target),
            "unit": kpi.unit,
            "higher_is_better": kpi.higher_is_better,
        })
    return records


def checkin_rate(summary: Mapping[str, int]) -> Decimal:
    """checked_in / total x 100 rounded to one decimal (half-even), 0 when there are no attendees."""
    return round(pct(summary["checked_in"], summary["total"]), 1)


HEADLINE_METRICS = (
    "revenue_per_attendee",
    "cart_funnel",
    "attendee_summary",
    "sponsor_benefit_fulfillment",
    "refund_metrics",
)


def _over(value: Any, basis: Any) -> Any:
    """The value of a ratio, None when what it divides by is zero (nothing to compute)."""
    return value if basis else None


def kpi_values_from(values: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The five headline KPI values, picked from already computed HEADLINE_METRICS values.

    A rate whose denominator is zero (no attendees, carts, benefits or revenue) is None, not 0.
    """
    per, carts = values["revenue_per_attendee"], values["cart_funnel"]
    people, benefits = values["attendee_summary"], values["sponsor_benefit_fulfillment"]
    refunds = values["refund_metrics"]
    return {
        "revenue_per_attendee": _over(per["revenue_per_attendee"], per["attendee_count"]),
        "conversion_rate": _over(carts["conversion_rate"], carts["total_carts"]),
        "checkin_rate": _over(checkin_rate(people), people["total"]),
        "fulfillment_rate": _over(benefits["fulfillment_rate"], benefits["total_benefits"]),
        "refund_rate": _over(refunds["refund_rate"], Decimal(str(refunds["total_revenue"] or 0))),
    }


def kpi_values(conn: Connection, conference: Conference) -> dict[str, Decimal | None]:
    """The five headline KPI values, read from the metrics that define them."""
    return kpi_values_from({name: compute_one(conn, conference, name) for name in HEADLINE_METRICS})


@metric("targets")
def kpi_summary(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """The analytics dashboard's five headline KPIs against the conference's effective targets."""
    return kpi_summary_from(kpi_values(conn, conference), effective_targets(conn, conference))

"""Metric values as numbers and as text (money, percent, count), and met / missed against a target."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# Statuses that judge nothing read the same whatever the target is: "n/a" (nothing to compute, such
# as a rate over zero) and "not yet" (cannot be judged before the edition has run).
_UNJUDGED = {"n/a": "n/a", "not yet": "not yet"}

MET_TEXT = {"met": "met", "missed": "missed", "no target": "no target", **_UNJUDGED}

BUDGET_TEXT = {"met": "within budget", "missed": "over budget", "no target": "no budget", **_UNJUDGED}

LIMIT_TEXT = {"met": "within limit", "missed": "over limit", "no target": "no target", **_UNJUDGED}

STATUS_DOMAIN = ["met", "missed", "no target", "n/a", "not yet"]


def status_words(higher_is_better: bool = True) -> dict[str, str]:
    """The words for each status: met/missed, or within/over limit where lower is better."""
    return MET_TEXT if higher_is_better else LIMIT_TEXT


def num(value: Any) -> float | None:
    """A metric number (Decimal, decimal string, int, float) as a float; None and junk give None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def money(value: Any) -> str:
    v = num(value)
    if v is None:
        return "—"
    return f"-${abs(v):,.2f}" if v < 0 else f"${v:,.2f}"


def percent(value: Any, digits: int = 1) -> str:
    v = num(value)
    return "—" if v is None else f"{v:,.{digits}f}%"


def count(value: Any) -> str:
    v = num(value)
    return "—" if v is None else f"{v:,.0f}"


def fmt(value: Any, unit: str) -> str:
    """Format a value by unit: money, percent, count (anything else: count)."""
    return {"money": money, "percent": percent}.get(unit, count)(value)


def status_of(value: Any, target: Any, higher_is_better: bool = True) -> str:
    """The suite's one met / missed rule (`metrics.targets.status`) for chart numbers (NaN is no value)."""
    from ..metrics.targets import status

    return status(num(value), num(target), higher_is_better)


def target_of(target: Any) -> Any:
    """The number of a chart's target argument: a bare target, or a KPI record's (`r.kpi(...)`)."""
    return target.get("target") if isinstance(target, Mapping) else target


def awaits(target: Any) -> bool:
    """Whether a chart's target argument is a record its report does not judge yet ("not yet": the
    edition's phase is too early), so a section's chart says what the scorecard says."""
    return isinstance(target, Mapping) and target.get("status") == "not yet"


def as_judged(target: Any, judged: bool) -> Any:
    """A chart's target argument: the bare target when it is judged, else a record that `awaits`."""
    return target if judged else {"target": target, "status": "not yet"}


def judged_status(value: Any, target: Any, higher_is_better: bool = True) -> str:
    """status_of against a chart's target argument; "not yet" where it `awaits`."""
    return "not yet" if awaits(target) else status_of(value, target_of(target), higher_is_better)

"""Sponsor goals of params against what sponsor_analytics found: no database (the sponsor report uses
it on a reading; the sponsor_goal_progress metric on a fresh one)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..params import SponsorGoals
from .numbers import ZERO, pct
from .phase import RUNNING, judged_in
from .targets import NOT_YET, status

# Sponsorship is income: its goals are judged from the same phase as total income (until then "not yet").
GOALS_JUDGED_FROM = RUNNING


def goals_judged(phase: str | None) -> bool:
    """Whether sponsor goals are judged in `phase` (None: no phase given, judged)."""
    return judged_in(phase, GOALS_JUDGED_FROM)


def goal_progress_from(
    analytics: Mapping[str, Any], goals: SponsorGoals, phase: str | None = None
) -> list[dict[str, Any]]:
    """Each sponsor goal of params with its progress: sponsorship revenue, then active sponsors per level;
    its status "not yet" in a phase before GOALS_JUDGED_FROM.

    A level goal names a level by name or slug (any case); a goal for no such level shows 0 sponsors.
    """
    judged = goals_judged(phase)
    rows: list[dict[str, Any]] = []
    if goals.revenue is not None:
        value = analytics.get("total_sponsor_revenue") or ZERO
        rows.append(_goal_row("Sponsorship revenue", value, goals.revenue, "money", judged))
    by_key: dict[str, Mapping[str, Any]] = {}
    for level in analytics.get("by_level") or []:
        by_key.setdefault(str(level.get("level_slug", "")).strip().lower(), level)
        by_key.setdefault(str(level.get("level_name", "")).strip().lower(), level)
    for name, wanted in goals.levels.items():
        level = by_key.get(str(name).strip().lower())
        label = f"Active sponsors at level {level['level_name']}" if level else (
            f"Active sponsors at level {name} (no such level)")
        found = level["sponsor_count"] if level else 0
        rows.append(_goal_row(label, found, Decimal(wanted), "count", judged))
    return rows


def _goal_row(goal: str, value: Any, target: Decimal, unit: str, judged: bool) -> dict[str, Any]:
    return {
        "goal": goal,
        "value": value,
        "target": target,
        "unit": unit,
        "progress": pct(value, target) if target else None,
        "status": status(value, target) if judged else NOT_YET,
    }

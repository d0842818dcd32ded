"""Metric values as numbers and as text (money, percent, count), and met / missed against a target."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

MET_TEXT = {"met": "met", "missed": "missed", "no target": "no target"}

BUDGET_TEXT = {"met": "within budget", "missed": "over budget", "no target": "no budget"}

LIMIT_TEXT = {"met": "within limit", "missed": "over limit", "no target": "no target"}

STATUS_DOMAIN = ["met", "missed", "no target"]


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
    """met / missed / no target (no value or no target)."""
    v, t = num(value), num(target)
    if v is None or t is None:
        return "no target"
    return "met" if (v >= t if higher_is_better else v <= t) else "missed"

"""Forecast: where an edition on sale will land, from how far earlier editions had got by the same day.

For each earlier edition of the series with sales by then, its share reached = its running total at
today's days out / its final total. The point forecast is today's total / the mean share; the range
is today's total / (the mean share +- two standard deviations of the shares), the top capped at
today's total / half the smallest share and the bottom at today's total itself. Registrations and net
ticket revenue are forecast the same way, each from `registration_pace`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection

from ..data.conferences import Conference
from ..params import ConferenceParams
from . import phase as phases
from .pace import at_days_out, final, registration_pace
from .registry import metric
from .targets import targets_with_params

FIGURES = ("registrations", "revenue")
CENT = Decimal("0.01")
MIN_EDITIONS = 2
SPREAD = Decimal(2)  # the range: the mean share +- this many standard deviations
METHOD = (
    "Today's total divided by the mean share of their final sales that earlier editions of the series "
    "had reached by the same number of days before the start; the range allows for the shares' spread "
    "(two standard deviations either way)."
)


def _rounded(figure: str, value: Decimal) -> int | Decimal:
    if figure == "registrations":
        return int(value.quantize(Decimal(1), ROUND_HALF_UP))
    return value.quantize(CENT, ROUND_HALF_UP)


def _empty(reason: str) -> dict[str, Any]:
    return {"point": None, "low": None, "high": None, "reason": reason}


def forecast_figure(figure: str, editions: Sequence[Mapping[str, Any]], days_out: int) -> dict[str, Any]:
    """{point, low, high, reason, shares} for one figure; editions[0] is the edition forecast."""
    now = Decimal(at_days_out(editions[0]["points"], days_out)[figure])
    shares = []
    for prior in editions[1:]:
        whole = Decimal(final(prior["points"])[figure])
        reached = Decimal(at_days_out(prior["points"], days_out)[figure])
        if whole > 0 and reached > 0:
            shares.append({"slug": prior["slug"], "share": reached / whole})
    if len(shares) < MIN_EDITIONS:
        return _empty(f"fewer than {MIN_EDITIONS} earlier editions of the series had {figure} "
                      f"by {days_out} days out")
    if now <= 0:
        return _empty(f"no {figure} yet")
    values = [s["share"] for s in shares]
    mean = sum(values) / len(values)
    spread = SPREAD * statistics.stdev(values)
    return {
        "point": _rounded(figure, now / mean),
        "low": _rounded(figure, now / min(mean + spread, Decimal(1))),
        "high": _rounded(figure, now / max(mean - spread, min(values) / 2)),
        "reason": None,
        "shares": [{"slug": s["slug"], "share": round(s["share"] * 100, 1)} for s in shares],
    }


def forecast_from(pace: Mapping[str, Any], phase: str, targets: Mapping[str, Any]) -> dict[str, Any]:
    """The forecast of an edition from its `registration_pace` and phase, against its targets."""
    base: dict[str, Any] = {"days_out": pace["days_out"], "method": METHOD, "targets": dict(targets)}
    if phase == phases.BEFORE_SALES:
        reason = "sales have not started"
    elif phase == phases.RUNNING:
        reason = "the edition is running, so its figures are nearly final"
    elif phase == phases.OVER:
        reason = "the edition is over, so its figures are final"
    elif len(pace["editions"]) - 1 < MIN_EDITIONS:
        reason = f"fewer than {MIN_EDITIONS} earlier editions of the series in the database"
    else:
        figures = {f: forecast_figure(f, pace["editions"], pace["days_out"]) for f in FIGURES}
        reasons = [fig["reason"] for fig in figures.values() if fig["reason"]]
        warnings = [
            {"figure": f, "high": figures[f]["high"], "target": targets[f]}
            for f in FIGURES
            if None not in (figures[f]["high"], targets.get(f)) and figures[f]["high"] < targets[f]
        ]
        return {**base, **figures, "reason": "; ".join(reasons) or None, "warnings": warnings}
    return {**base, **{f: _empty(reason) for f in FIGURES}, "reason": reason, "warnings": []}


@metric(params=True)
def forecast(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> dict[str, Any]:
    """{registrations, revenue: {point, low, high, reason}, reason, warnings: [{figure, high, target}]
    (the range's top below the target), targets, days_out, method}:
    final registrations and net ticket revenue of an edition on sale; no forecast (None, a reason)
    before sales, once running, or with fewer than two earlier editions."""
    pace = registration_pace(conn, conference, params)
    phase = phases.edition_phase(conn, conference)["phase"]
    targets = targets_with_params({}, params, conference)
    return forecast_from(pace, phase, {
        "registrations": targets.get("target_attendance"),
        "revenue": conference.revenue_budget,
    })

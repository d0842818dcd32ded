"""The packet's charts: the HTML reports' own builders, drawn offline to SVG by vl-convert."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import charts
from ..files import write_atomic
from .content import Edition, Trend

PX = 0.75  # a CSS pixel in points: Vega's SVG sizes are pixels


@dataclass(frozen=True)
class Svg:
    """One chart drawn: its SVG text and natural size in points."""

    text: str
    width: float
    height: float


class ChartCache:
    """Charts as SVG, drawn by vl-convert from their Vega-Lite specs and kept by spec in a folder
    (`<sha256 of the spec and vl-convert's version>.svg`): a nightly packet draws again only the charts
    whose data changed (drawing is most of a packet's time). `prune` keeps what the last packet used
    and nothing else. Best effort: an unreadable or unwritable folder only costs the drawing. None: no
    folder, every chart drawn."""

    def __init__(self, folder: Path | None, stopped: Callable[[], bool] | None = None) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.stopped = stopped  # asked before each chart: PacketStopped once it says so

    def draw(self, chart: Any) -> Svg:
        import vl_convert

        if self.stopped is not None and self.stopped():
            from .build import PacketStopped

            raise PacketStopped

        spec = chart.to_dict()
        key = hashlib.sha256(json.dumps([spec, vl_convert.__version__], sort_keys=True, default=str)
                             .encode()).hexdigest()
        self.used.add(key)
        text = self._read(key)
        if text is None:
            text = vl_convert.vegalite_to_svg(spec)
            self._write(key, text)
        width, height = _size(text)
        return Svg(text, width * PX, height * PX)

    def _read(self, key: str) -> str | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / f"{key}.svg").read_text(encoding="utf-8")
        except OSError:
            return None

    def _write(self, key: str, text: str) -> None:
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            write_atomic(self.folder / f"{key}.svg", text)

    def prune(self) -> None:
        """Remove the charts this packet did not use."""
        if self.folder is None:
            return
        for path in self.folder.glob("*.svg"):
            if path.stem not in self.used:
                with contextlib.suppress(OSError):
                    path.unlink()


def _size(svg: str) -> tuple[float, float]:
    """The width and height attributes of the root <svg> element, in pixels."""
    import re

    head = svg[: svg.find(">") + 1]
    found = {k: float(v) for k, v in re.findall(r'\b(width|height)="([\d.]+)', head)}
    return found.get("width", 600.0), found.get("height", 400.0)


def registration_pace_charts(edition: Edition) -> list[Any]:
    """Registrations and net ticket revenue by days out against earlier editions and the targets."""
    r = edition.report
    return [charts.registration_pace(r["registration_pace"], r["forecast"]["targets"])]


def key_charts(edition: Edition) -> list[Any]:
    """Income against budget, registration pace, check-in, sponsor fulfilment, travel grants against
    the grant budget, expenses by category against budget: as the conference report draws them."""
    r, c = edition.report, edition.conference
    return [
        charts.cumulative_revenue(r["cumulative_revenue"],
                                  budget=r.as_judged(c.revenue_budget, "total_income")),
        *registration_pace_charts(edition),
        charts.kpi_bullet(r.kpi("checkin_rate"), "Check-in rate against target"),
        charts.sponsor_benefit_fulfillment(r["sponsor_benefit_fulfillment"], r.kpi("fulfillment_rate")),
        charts.travel_grant_analytics(r["travel_grant_analytics"], r.as_judged(c.grant_budget, "surplus")),
        charts.expense_summary(r["expense_summary"], judged=r.judged("surplus")),
    ]


def edition_charts(edition: Edition) -> list[Any]:
    """Every chart the packet draws of one edition alone: its key charts and its sponsors'."""
    return [*key_charts(edition), *sponsor_charts(edition)]


def trend_charts(trend: Trend) -> list[Any]:
    """Attendance and revenue against targets, returning attendees, return rates: the cross-event report's."""
    return [
        charts.yoy_growth_by_conference(trend.rows),
        charts.yoy_retention_by_conference(trend.rows),
        charts.return_rates(trend.rows),
    ]


def sponsor_charts(edition: Edition) -> list[Any]:
    """Sponsorship revenue and sponsors per level against the goals: the sponsor report's."""
    s = edition.sponsors
    analytics = s["sponsor_analytics"] or {}
    return [
        charts.sponsor_analytics_revenue_goal(analytics.get("total_sponsor_revenue"), s.goals.get("revenue"),
                                              judged=s.goals_judged),
        charts.sponsor_analytics_level_goals(analytics.get("by_level"), s.goals.get("levels"),
                                             judged=s.goals_judged),
    ]

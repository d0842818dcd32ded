"""The demo conferences: two series over several years, dated relative to ``today``.

* ``pyconf``: a large annual conference; three past editions and one upcoming edition whose
  ticket sales are in progress on ``today``.
* ``regiocon``: a smaller regional conference; three past editions (the latest ended about two
  months before ``today``) and a freshly announced edition with ticket types but no sales.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .values import midnight_utc

Phase = Literal["past", "selling", "announced"]


@dataclass(frozen=True)
class Venue:
    city: str
    venue: str
    address: str
    timezone: str


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    large: bool
    days: int  # main conference days
    weekday: int  # weekday the conference starts on (Monday = 0)
    sales_days: int  # sales open this many days before the start
    early_bird_days: int  # early-bird window after sales open
    late_price_days: int  # the late price applies this many days before the start
    venues: tuple[Venue, ...]


PYCONF = Series(
    key="pyconf",
    title="PyConf",
    large=True,
    days=3,
    weekday=2,
    sales_days=196,
    early_bird_days=42,
    late_price_days=28,
    venues=(
        Venue(
            "Cleveland",
            "Huntington Convention Center",
            "300 Lakeside Ave E, Cleveland, OH 44113",
            "America/New_York",
        ),
        Venue(
            "Salt Lake City",
            "Salt Palace Convention Center",
            "100 S West Temple, Salt Lake City, UT 84101",
            "America/Denver",
        ),
        Venue(
            "Long Beach",
            "Long Beach Convention Center",
            "300 E Ocean Blvd, Long Beach, CA 90802",
            "America/Los_Angeles",
        ),
        Venue(
            "Pittsburgh",
            "David L. Lawrence Convention Center",
            "1000 Fort Duquesne Blvd, Pittsburgh, PA 15222",
            "America/New_York",
        ),
    ),
)
REGIOCON = Series(
    key="regiocon",
    title="RegioCon",
    large=False,
    days=2,
    weekday=3,
    sales_days=120,
    early_bird_days=28,
    late_price_days=14,
    venues=(
        Venue("Leipzig", "Kongresshalle am Zoo", "Pfaffendorfer Str. 31, 04105 Leipzig", "Europe/Berlin"),
        Venue("Berlin", "bcc Berlin Congress Center", "Alexanderstr. 11, 10178 Berlin", "Europe/Berlin"),
        Venue("Munich", "Smartvillage Bogenhausen", "Rosenkavalierplatz 13, 81925 Munich", "Europe/Berlin"),
        Venue("Cologne", "KOMED im MediaPark", "Im MediaPark 7, 50670 Cologne", "Europe/Berlin"),
    ),
)


@dataclass(frozen=True)
class Edition:
    """One conference of the demo database, with everything derived from ``today`` and ``scale``."""

    series: Series
    index: int  # 0 = first edition of the series
    start: dt.date
    phase: Phase
    planned_attendance: int  # attendees once sales have run their course
    scale: int
    budgets: tuple[Decimal | None, int | None, Decimal | None]  # revenue, attendance, grant

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def slug(self) -> str:
        return f"{self.series.key}-{self.year}"

    @property
    def name(self) -> str:
        return f"{self.series.title} {self.year}"

    @property
    def venue(self) -> Venue:
        return self.series.venues[self.index % len(self.series.venues)]

    @property
    def timezone(self) -> str:
        return self.venue.timezone

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.series.days - 1)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.series.days)]

    @property
    def sales_open(self) -> dt.datetime:
        return midnight_utc(self.start - dt.timedelta(days=self.series.sales_days)) + dt.timedelta(hours=15)

    @property
    def early_bird_end(self) -> dt.datetime:
        return self.sales_open + dt.timedelta(days=self.series.early_bird_days)

    @property
    def late_price_from(self) -> dt.datetime:
        return midnight_utc(self.start - dt.timedelta(days=self.series.late_price_days)) + dt.timedelta(
            hours=5
        )

    @property
    def sales_close(self) -> dt.datetime:
        return midnight_utc(self.end) + dt.timedelta(hours=23)

    @property
    def content_factor(self) -> float:
        """Grows slowly with scale: rooms, talks, sponsors and expenses do not grow 100-fold."""
        return 1.0 + math.log10(self.scale)

    def scaled(self, base: float) -> int:
        """``base`` scaled with attendance (linear in ``scale``)."""
        return max(1, round(base * self.scale))

    def content(self, base: float) -> int:
        """``base`` scaled with the content factor."""
        return max(1, round(base * self.content_factor))


def _shift_years(day: dt.date, years: int, weekday: int) -> dt.date:
    """Same month and day ``years`` later, moved to ``weekday`` within the same calendar year."""
    year = day.year + years
    shifted = dt.date(year, day.month, min(day.day, 28) if day.month == 2 else day.day)
    forward = shifted + dt.timedelta(days=(weekday - shifted.weekday()) % 7)
    if forward.year == year:
        return forward
    return forward - dt.timedelta(days=7)


def _money(value: float) -> Decimal:
    return Decimal(int(round(value, -3))).quantize(Decimal("0.01"))


def build_lineup(today: dt.date, scale: int) -> list[Edition]:
    """Every demo conference, oldest first."""
    editions: list[Edition] = []
    upcoming = _shift_years(today + dt.timedelta(days=75), 0, PYCONF.weekday)
    if upcoming <= today + dt.timedelta(days=60):
        upcoming += dt.timedelta(days=7)
    sizes = (330, 370, 420, 470)
    for index, offset in enumerate((-3, -2, -1, 0)):
        start = _shift_years(upcoming, offset, PYCONF.weekday)
        size = sizes[index] * scale
        revenue = _money(size * 330) if index != 1 else _money(size * 380)  # 2nd edition misses its target
        budgets = (revenue, None if index == 0 else int(round(size * 1.05, -1)), _money(size * 45))
        phase: Phase = "past" if offset < 0 else "selling"
        editions.append(Edition(PYCONF, index, start, phase, size, scale, budgets))

    latest = _shift_years(today - dt.timedelta(days=60), 0, REGIOCON.weekday)
    sizes = (120, 140, 165, 180)
    for index, offset in enumerate((-2, -1, 0, 1)):
        start = _shift_years(latest, offset, REGIOCON.weekday)
        size = sizes[index] * scale
        phase = "past" if offset <= 0 else "announced"
        if index == 0:
            budgets = (None, None, None)  # the first edition had no budget set at all
        elif phase == "announced":
            budgets = (_money(size * 160), int(round(size * 1.1, -1)), None)
        else:
            budgets = (_money(size * 150), int(round(size * 1.05, -1)), _money(size * 30))
        editions.append(Edition(REGIOCON, index, start, phase, size, scale, budgets))
    return sorted(editions, key=lambda e: (e.start, e.series.key))

"""When people buy: a daily demand curve shaped like real ticket sales.

Spike when sales open (early bird), spikes before each price deadline, a rush in the final
week, quieter weekends, and walk-ups on the conference days. Times of day follow the
conference's own time zone.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from .lineup import Edition
from .values import WeightedIndex, local_minutes

# Relative purchase activity per local hour (online sales) and at the registration desk.
# fmt: off
ONLINE_HOURS = (
    0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.6, 1.8, 1.9, 2.0, 1.9, 1.8, 1.7, 1.6, 1.6, 1.7, 1.9,
    2.0, 1.8, 1.2, 0.6,
)
DESK_HOURS = (
    0, 0, 0, 0, 0, 0, 0, 2.5, 3.0, 2.0, 1.2, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0, 0, 0, 0, 0, 0, 0,
)
# fmt: on


def _deadline_bump(days_before: int, height: float, width: float) -> float:
    return height * math.exp(-days_before / width) if days_before >= 0 else 0.0


class DemandCurve:
    """Draws purchase instants for one edition over its whole sales window."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        first = edition.sales_open.date()
        self.days = [first + dt.timedelta(days=i) for i in range((edition.end - first).days + 1)]
        self.days_index = WeightedIndex([self.weight(day) for day in self.days])
        self.online_hours = WeightedIndex(ONLINE_HOURS)
        self.desk_hours = WeightedIndex(DESK_HOURS)

    def weight(self, day: dt.date) -> float:
        e = self.edition
        if day >= e.start:  # walk-ups at the registration desk, mostly on day one
            return 2.5 if day == e.start else 0.8
        span = (e.start - e.sales_open.date()).days
        t = (day - e.sales_open.date()).days
        w = 0.45 + 0.9 * t / span  # interest grows as the event nears
        w += 14.0 * math.exp(-t / 2.0)  # sales open: early-bird spike
        w += _deadline_bump((e.early_bird_end.date() - day).days, 7.0, 1.5)
        w += _deadline_bump((e.late_price_from.date() - day).days, 6.0, 2.0)
        w += _deadline_bump((e.start - day).days, 9.0, 3.0)  # final-week rush
        w += 2.5 * math.exp(-abs(t - 0.45 * span) / 1.5)  # schedule announcement
        if day.weekday() >= 5:
            w *= 0.65
        return w

    def draw(self, rng: random.Random) -> dt.datetime:
        day = self.days[self.days_index.draw(rng)]
        hours = self.desk_hours if day >= self.edition.start else self.online_hours
        minutes = hours.draw(rng) * 60 + rng.random() * 60
        return local_minutes(day, self.edition.timezone, minutes, rng)

    def on_site(self, when: dt.datetime) -> bool:
        """Whether ``when`` falls on a conference day (local time), i.e. a desk sale."""
        return when >= local_minutes(self.edition.start, self.edition.timezone, 0)

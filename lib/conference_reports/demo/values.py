"""Small deterministic helpers: seeded RNGs, money, codes, local-time conversion, weighted sampling."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def rng_for(seed: int, *parts: object) -> random.Random:
    """An RNG seeded from ``seed`` and a path of names, so each generator draws independently."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def money(value: Decimal | float | int | str) -> Decimal:
    """A Decimal with exactly two places (half-up, like a price list)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def slugify(text: str) -> str:
    """Lower-case ASCII slug, as Django's slugify does for plain names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class CodeMint:
    """Unique random-looking fixed-width A-Z0-9 codes from sequence numbers (a bijection, never a clash)."""

    def __init__(self, rng: random.Random, width: int = 8) -> None:
        self.width = width
        self.space = len(CODE_ALPHABET) ** width
        multiplier = rng.randrange(self.space // 3, self.space)
        while multiplier % 2 == 0 or multiplier % 3 == 0:  # coprime with 36 => bijective
            multiplier += 1
        self.multiplier = multiplier
        self.offset = rng.randrange(self.space)
        self._counter = itertools.count(1)

    def code(self, number: int) -> str:
        value = (number * self.multiplier + self.offset) % self.space
        chars = []
        for _ in range(self.width):
            value, digit = divmod(value, len(CODE_ALPHABET))
            chars.append(CODE_ALPHABET[digit])
        return "".join(chars)

    def next(self) -> str:
        return self.code(next(self._counter))


def hex_token(rng: random.Random, chars: int) -> str:
    """``chars`` lower-case hex digits."""
    return format(rng.getrandbits(chars * 4), f"0{chars}x")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(
    day: dt.date, tz: str, hour: int, minute: int = 0, second: int = 0, micro: int = 0
) -> dt.datetime:
    """The UTC instant of a wall-clock time on ``day`` in the IANA zone ``tz``."""
    local = dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone(tz))
    return local.astimezone(UTC)


def local_minutes(day: dt.date, tz: str, minutes: float, rng: random.Random | None = None) -> dt.datetime:
    """UTC instant ``minutes`` after local midnight of ``day`` (seconds/microseconds from ``rng``)."""
    whole = max(0, min(int(minutes), 24 * 60 - 1))
    second, micro = (rng.randrange(60), rng.randrange(1_000_000)) if rng else (0, 0)
    return local_time(day, tz, whole // 60, whole % 60, second, micro)


def midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def jitter(rng: random.Random, start: dt.datetime, max_seconds: float) -> dt.datetime:
    """``start`` plus a uniform random delay of up to ``max_seconds`` (with microseconds)."""
    return start + dt.timedelta(seconds=rng.uniform(0, max_seconds))


class WeightedIndex:
    """Draws indexes 0..n-1 with the given relative weights (O(log n) per draw)."""

    def __init__(self, weights: Sequence[float]) -> None:
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> int:
        return min(bisect.bisect_right(self.cumulative, rng.random() * self.total), len(self.cumulative) - 1)


def pick_weighted(rng: random.Random, options: Sequence[tuple[object, float]]) -> object:
    """One value from ``(value, weight)`` pairs."""
    total = sum(w for _, w in options)
    point = rng.random() * total
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))

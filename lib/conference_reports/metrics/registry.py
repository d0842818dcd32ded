"""The metric registry: name -> function of (connection, conference)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from ..data.conferences import Conference
from ..errors import UnknownMetric


@dataclass(frozen=True)
class Metric:
    """A registered metric; `dated` ones group by calendar day and take a `zone`."""

    name: str
    func: Callable[..., Any]
    area: str
    dated: bool


REGISTRY: dict[str, Metric] = {}


def metric(area: str, *, dated: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a metric function under its own name."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        REGISTRY[func.__name__] = Metric(func.__name__, func, area, dated)
        return func

    return register


def names() -> list[str]:
    return sorted(REGISTRY)


def compute_one(conn: Connection, conference: Conference, name: str, zone: ZoneInfo | None = None) -> Any:
    """One metric's value; dated metrics group in `zone`, default the conference's own."""
    try:
        entry = REGISTRY[name]
    except KeyError:
        raise UnknownMetric(f"no metric named {name!r} (known: {', '.join(names())})") from None
    if entry.dated:
        return entry.func(conn, conference, zone=zone or conference.zone)
    return entry.func(conn, conference)


def compute(
    conn: Connection, conference: Conference, which: Iterable[str] | None = None, zone: ZoneInfo | None = None
) -> dict[str, Any]:
    """{name: value} for the named metrics (all when none are named)."""
    chosen = list(which) if which else names()
    for name in chosen:
        if name not in REGISTRY:
            raise UnknownMetric(f"no metric named {name!r} (known: {', '.join(names())})")
    return {name: compute_one(conn, conference, name, zone) for name in chosen}

"""The metric registry: name -> function of (connection, conference).

Figures several metrics need (paid-order sums, credit sums, daily sales) are `shared`: computed once
for all the metrics one compute() call asks for.

Metrics named after django-program's functions return django-program's values, whatever the
params say. The suite's own metrics may read the conference's params (`params=True`): their
targets and goals come from the database, then `params/<slug>.yaml`, as in the reports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast
from zoneinfo import ZoneInfo

from ..data.conferences import Conference
from ..errors import UnknownMetric
from ..params import ConferenceParams

if TYPE_CHECKING:
    from sqlalchemy import Connection

MODULES = ("cross_event", "discounts", "feedback", "finance", "forecast", "income", "ledger", "operations",
           "pace", "phase", "quality", "registration", "revenue", "sponsors", "targets")


@dataclass(frozen=True)
class Metric:
    """A registered metric; `dated` ones group by calendar day and take a `zone`; `params` ones take
    the conference's ConferenceParams."""

    name: str
    func: Callable[..., Any]
    dated: bool
    params: bool


REGISTRY: dict[str, Metric] = {}


Register = Callable[[Callable[..., Any]], Callable[..., Any]]


def metric(*, dated: bool = False, params: bool = False) -> Register:
    """Register a metric function under its own name."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        REGISTRY[func.__name__] = Metric(func.__name__, func, dated, params)
        return func

    return register


# Figures that several metrics read, kept while the outermost compute() or compute_one() runs.
_kept: ContextVar[dict[Hashable, Any] | None] = ContextVar("kept", default=None)

Read = TypeVar("Read", bound=Callable[..., Any])


def shared(read: Read) -> Read:
    """Make `read(conn, conference, *args)` run once per compute() or compute_one() call, however many
    of its metrics need it (its value is read, never changed); outside them every call reads anew."""

    @functools.wraps(read)
    def once(conn: Connection, conference: Conference, *args: Hashable) -> Any:
        kept = _kept.get()
        if kept is None:
            return read(conn, conference, *args)
        key = (read, conn, conference, args)
        if key not in kept:
            kept[key] = read(conn, conference, *args)
        return kept[key]

    return cast(Read, once)


@contextmanager
def _sharing() -> Iterator[None]:
    """Keep shared reads until the outermost caller is done."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


@functools.cache
def load_all() -> dict[str, Metric]:
    """Every metric module imported, so each metric is registered (once; the package does this the
    first time it is asked for the registry, so importing one module loads only that one)."""
    import importlib

    for module in MODULES:
        importlib.import_module(f"{__package__}.{module}")
    return REGISTRY


def names() -> list[str]:
    return sorted(load_all())


def check_names(which: Iterable[str]) -> None:
    """UnknownMetric for the first name that is no registered metric."""
    load_all()
    for name in which:
        if name not in REGISTRY:
            raise UnknownMetric(f"no metric named {name!r} (known: {', '.join(names())})")


def compute_one(
    conn: Connection,
    conference: Conference,
    name: str,
    zone: ZoneInfo | None = None,
    params: ConferenceParams | None = None,
) -> Any:
    """One metric's value; dated metrics group in `zone` (default the conference's own); the suite's
    own metrics read `params` (default: none, so the database's targets and the defaults)."""
    check_names([name])
    entry = REGISTRY[name]
    kwargs: dict[str, Any] = {}
    if entry.dated:
        kwargs["zone"] = zone or conference.zone
    if entry.params:
        kwargs["params"] = params
    with _sharing():
        return entry.func(conn, conference, **kwargs)


def compute(
    conn: Connection,
    conference: Conference,
    which: Iterable[str] | None = None,
    zone: ZoneInfo | None = None,
    params: ConferenceParams | None = None,
) -> dict[str, Any]:
    """{name: value} for the named metrics (all when none are named)."""
    chosen = list(which) if which else names()
    check_names(chosen)
    with _sharing():
        return {name: compute_one(conn, conference, name, zone, params) for name in chosen}

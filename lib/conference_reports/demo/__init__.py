"""Demo database generator: django-program's exact schema filled with realistic, deterministic content.

It also carries a few data-quality faults on purpose, for ``conference-reports check``: the latest
past edition of each series has a paid order without an attendee, an order refunded twice, a
check-in two days before the doors open and a travel grant disbursed above its approved amount
(listed in ``faults.py``, with the schedule overlaps the grid has by design).

>>> summary = build_demo_db("demo.sqlite3", scale=1, seed=7)   # doctest: +SKIP

The generator loads on first use: every command imports ``demo.default`` (the database read when
none is given), and most never build one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import DemoDbExists

if TYPE_CHECKING:
    from .build import DemoSummary, build_demo_db

__all__ = ["DemoDbExists", "DemoSummary", "build_demo_db"]


def __getattr__(name: str) -> Any:
    if name in ("DemoSummary", "build_demo_db"):
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Demo database generator: django-program's exact schema filled with realistic, deterministic content.

It also carries a few data-quality faults on purpose, for ``conference-reports check``: the latest
past edition of each series has a paid order without an attendee, an order refunded twice, a
check-in two days before the doors open and a travel grant disbursed above its approved amount
(listed in ``faults.py``, with the schedule overlaps the grid has by design).

>>> summary = build_demo_db("demo.sqlite3", scale=1, seed=7)   # doctest: +SKIP
"""

from ..errors import DemoDbExists
from .build import DemoSummary, build_demo_db

__all__ = ["DemoDbExists", "DemoSummary", "build_demo_db"]

"""Demo database generator: django-program's exact schema filled with realistic, deterministic content.

>>> summary = build_demo_db("demo.sqlite3", scale=1, seed=7)   # doctest: +SKIP
"""

from .build import DemoSummary, build_demo_db
from .target import DemoDbExists

__all__ = ["DemoDbExists", "DemoSummary", "build_demo_db"]

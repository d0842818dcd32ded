"""Demo database generator: django-program's exact schema filled with realistic, deterministic content.

>>> summary = build_demo_db("demo.sqlite3", scale=1, seed=7)   # doctest: +SKIP
"""

from ..errors import DemoDbExists
from .build import DemoSummary, build_demo_db

__all__ = ["DemoDbExists", "DemoSummary", "build_demo_db"]

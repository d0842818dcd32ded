"""cross_event metrics."""

from __future__ import annotations

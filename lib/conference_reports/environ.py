"""Environment variables set for a while."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


@contextlib.contextmanager
def setting(name: str, value: str) -> Iterator[None]:
    """$name = value inside the block; what it was (or its absence) afterwards."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


AS_OF = "CONFERENCE_REPORTS_AS_OF"  # the day the reports are made as of (metrics.phase reads it)


@contextlib.contextmanager
def as_of(day: str | None) -> Iterator[None]:
    """$CONFERENCE_REPORTS_AS_OF = `day` inside the block (a cluster worker takes the host's); None: as
    it is."""
    if day is None:
        yield
        return
    with setting(AS_OF, day):
        yield

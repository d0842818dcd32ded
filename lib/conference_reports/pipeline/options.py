"""What a `run` was asked to do, checked before anything is read: the only input the pipeline takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BadParams


@dataclass(frozen=True)
class RunOptions:
    """The `run` options. None means the default, resolved by the plan (see plan.py)."""

    db: str | None = None  # URL or SQLite path; None: $CONFERENCE_REPORTS_DB, else the demo database
    conferences: tuple[str, ...] = ()  # slugs; empty: every conference
    out: Path = Path("output")
    jobs: int | None = None  # parallel notebooks; None: the number of CPUs
    params: Path | None = None  # used as given; None: the checkout's params/
    notebooks: Path | None = None  # None: $CONFERENCE_REPORTS_NOTEBOOKS, else the checkout's notebooks/
    packet: bool = True  # also write <out>/board-packet.pdf (the chosen conferences, else the default ones)
    scheduler: str | None = None  # a Dask scheduler's address: execute there instead of local workers
    force: bool = False  # render every report, even one whose inputs have not changed since its last good run

    def __post_init__(self) -> None:
        if self.jobs is not None and self.jobs < 1:
            raise BadParams(f"--jobs must be at least 1, got {self.jobs}")

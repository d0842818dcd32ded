"""What happened to one job: plain data, so it crosses process boundaries."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotebookFailed


@dataclass
class Outcome:
    """One job's result; a failure's fields are those of the NotebookFailed it was built from."""

    report: str
    status: str  # ok | failed
    started_at: str
    seconds: float
    execute_seconds: float = 0.0
    export_seconds: float = 0.0
    cell_index: int | None = None  # in the committed notebook, from 0, markdown cells included
    tag: str = ""  # the failing cell's tags
    source: str = ""  # its first line
    error: str = ""
    failed_ipynb: str | None = None
    stage: str = ""  # of a failure: start (no cell ran) | cell | end (every cell ran)
    kept: bool = False  # a good report from an earlier run is still in place
    unchanged: bool = False  # nothing it reads changed since its last good run: not rendered again
    fingerprint: str | None = None  # of its inputs (pipeline/fingerprint.py), when they could be read
    reading: dict | None = None  # what it read from the database, when the run keeps it (the packet's)

    @classmethod
    def failed(
        cls, exc: NotebookFailed, started_at: str, seconds: float, *, execute_seconds: float = 0.0,
        failed_ipynb: str | None = None, kept: bool = False,
    ) -> Outcome:
        return cls(exc.report, "failed", started_at, seconds, execute_seconds=execute_seconds,
                   cell_index=exc.cell_index, tag=exc.tag, source=exc.source, error=exc.error,
                   failed_ipynb=failed_ipynb, stage=exc.stage, kept=kept)

    def failure(self) -> NotebookFailed:
        return NotebookFailed(self.report, self.cell_index, self.source, self.error, tag=self.tag,
                              stage=self.stage or None)

    @property
    def where(self) -> str:
        """`cell N [tag]`, `before any cell ran` or `after every cell ran`."""
        return self.failure().where

"""Typed errors: each carries the one line the CLI prints."""

from __future__ import annotations

from typing import Any


def first_line(text: object) -> str:
    """The first non-blank line of a message (drivers and kernels write several)."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


class ReportError(Exception):
    """Base of every error the CLI turns into one clear line and a non-zero exit."""

    exit_code = 2


class ConnectionFailed(ReportError):
    """The database URL is malformed or the server does not answer."""


class DatabaseFailed(ReportError):
    """Reading the database failed: locked, timed out, not a database, undecodable or malformed values."""


class SchemaMismatch(ReportError):
    """A table or column the metrics read is missing."""


class UnknownConference(ReportError):
    """No conference has the requested slug."""


class UnknownMetric(ReportError):
    """No metric has the requested name."""


class BadParams(ReportError):
    """A params YAML file is malformed or holds unknown keys."""


class NotebookFailed(ReportError):
    """A report failed: where (a cell of the committed notebook, counted from 0, markdown included;
    else before any cell ran or after every cell ran) and the error, as plain fields."""

    exit_code = 1

    def __init__(
        self,
        report: str,
        cell_index: int | None,
        source: str,
        error: str,
        *,
        tag: str = "",
        stage: str | None = None,
    ) -> None:
        self.report, self.cell_index, self.source, self.error = report, cell_index, source, error
        self.tag = tag
        self.stage = stage or ("cell" if cell_index is not None else "start")  # start | cell | end
        where = f"in {self.where}" if cell_index is not None else self.where
        super().__init__(f"{report}: failed {where}: {error}")

    @property
    def where(self) -> str:
        """`cell 1 [setup]`, `in the injected parameters`, `before any cell ran` or `after every cell ran`."""
        if self.cell_index is not None:
            return f"cell {self.cell_index}" + (f" [{self.tag}]" if self.tag else "")
        if self.stage == "cell":  # a cell of papermill's, or one the committed notebook no longer has
            return "in the injected parameters" if self.tag == "injected-parameters" else "in an unknown cell"
        return "after every cell ran" if self.stage == "end" else "before any cell ran"


class KernelMissing(ReportError):
    """The Jupyter kernel the notebooks run in is not installed."""


class NotebooksMissing(ReportError):
    """The report notebooks are not where the runner looks for them."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT stopped a run; carries the outcomes of the reports that finished before it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.done: list[Any] = []

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        import signal

        return signal.Signals(self.signum).name


class WriteRefused(ReportError):
    """The suite tried to run something other than a read (a bug, or a hostile extension)."""


class UnsafePath(ReportError):
    """A path about to be written lies outside the folder it belongs in."""


class OutputUnwritable(ReportError):
    """An output folder cannot be created or written to."""


class DemoDbExists(ReportError):
    """The target already holds a database and ``force`` was not given."""


class BadDemoTarget(ReportError):
    """The demo target (or a build setting) cannot be used: a directory, a non-file URL, a bad scale."""


class DemoDbInUse(DemoDbExists):
    """With ``force``, a demo table could not be dropped: an object outside the demo depends on it."""

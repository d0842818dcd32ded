"""Typed errors: each carries the one line the CLI prints."""

from __future__ import annotations


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
    """A report notebook raised; carries the failing cell."""

    exit_code = 1

    def __init__(self, report: str, cell_index: int | None, source: str, error: str) -> None:
        self.report, self.cell_index, self.source, self.error = report, cell_index, source, error
        where = f"cell {cell_index}" if cell_index is not None else "before any cell ran"
        super().__init__(f"{report}: failed in {where}: {error}")

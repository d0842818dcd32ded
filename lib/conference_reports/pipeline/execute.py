"""Execute one report notebook with papermill; a failure is a NotebookFailed naming the committed cell.

papermill saves the executed notebook with cells of its own: the injected parameters after the
parameters cell and, on an error, a banner at the top and an anchor before the failing cell. The
failing cell is found in that file and mapped back to the committed notebook by cell id (else by
source), so its index counts the committed cells from 0, markdown cells included.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..data.db import ENV_VAR
from ..environ import setting
from ..errors import NotebookFailed, first_line
from .kernel import ipc_kernel_manager
from .plan import Job

CELL_TIMEOUT = 600
START_TIMEOUT = 120
INJECTED_TAG = "injected-parameters"
MARKER_TAG = "papermill-error-cell-tag"  # papermill's banner and anchor cells
ENGINE = "conference-reports"


def execute(job: Job, url: str, kernel: str, output: Path, parameters: dict[str, Any]) -> None:
    """Run `job.notebook` with `parameters` into `output` (the database URL only in the kernel's
    environment); NotebookFailed when a cell raises, the kernel dies or a cell times out."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        with setting(ENV_VAR, url):
            pm.execute_notebook(
                job.notebook,
                str(output),
                parameters=parameters,
                kernel_name=kernel,
                progress_bar=False,
                log_output=False,
                execution_timeout=CELL_TIMEOUT,
                start_timeout=START_TIMEOUT,
                kernel_manager_class=ipc_kernel_manager(),
                engine_name=engine_name(),
            )
    except PapermillExecutionError as exc:
        error = f"{exc.ename}: {first_line(exc.evalue or '')}".strip(": ")
        raise _failed(job, output, error, exc.cell_index, exc.source) from None
    except Exception as exc:  # kernel died, timeout, unreadable notebook: still one clear line
        raise _failed(job, output, reason(exc)) from None


@functools.cache
def engine_name() -> str:
    """papermill's nbclient engine, saving the executed notebook when it starts and when it ends, not
    at every cell's start and end: papermill rewrites (and validates) the whole notebook each time,
    0.3-0.5 s of a report's 40-odd cells once the charts are in it. A failure is still found in the
    file: the last save comes after the failing cell, even when the kernel dies."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SavedAtEnds(NotebookExecutionManager):  # type: ignore[misc]
        def save(self, **kwargs: Any) -> None:
            if not getattr(self, "_saved_at_start", False) or self.end_time is not None:
                super().save(**kwargs)
                self._saved_at_start = True

    class Engine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_notebook(cls, nb: Any, kernel_name: str, output_path: str | None = None,
                             progress_bar: bool = True, log_output: bool = False,
                             autosave_cell_every: int = 30, **kwargs: Any) -> Any:
            manager = SavedAtEnds(nb, output_path=output_path, progress_bar=progress_bar,
                                  log_output=log_output, autosave_cell_every=autosave_cell_every)
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENGINE, Engine)
    return ENGINE


def reason(exc: BaseException) -> str:
    """`Type: first line of the message`."""
    text = first_line(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def code_line(source: str) -> str:
    """A cell's first line, with ` ...` when more follow."""
    lines = [line for line in source.splitlines() if line.strip()]
    return first_line(source) + (" ..." if len(lines) > 1 else "")


def _failed(
    job: Job, output: Path, error: str, index: int | None = None, source: str | None = None
) -> NotebookFailed:
    """The NotebookFailed for executed cell `index` (None: the last one started; none: no cell ran);
    `source` is the failing cell's, should papermill's file be unreadable."""
    executed = _cells(output)
    if executed is None and source is not None:
        import nbformat

        executed, index = [nbformat.v4.new_code_cell(source)], 0
    if executed is not None and index is None:
        index = _last_started(executed)
    if executed is None or index is None or not 0 <= index < len(executed):
        return NotebookFailed(job.report, None, "", error, stage="start")
    cell = executed[index]
    if INJECTED_TAG in _tags(cell):
        return NotebookFailed(job.report, None, code_line(cell.source), error, tag=INJECTED_TAG, stage="cell")
    committed = _cells(Path(job.notebook)) or []
    at = committed_index(committed, executed, index)
    found = committed[at] if at is not None else cell
    return NotebookFailed(job.report, at, code_line(found.source), error, tag=",".join(_tags(found)),
                          stage="cell")


def committed_index(committed: Sequence[Any], executed: Sequence[Any], index: int) -> int | None:
    """The index in `committed` of `executed[index]` (papermill's own cells left out of `executed`):
    the cell with its id, else the same occurrence of its source."""
    cell = executed[index]
    ids = [c.get("id") for c in committed]
    if cell.get("id") and ids.count(cell.get("id")) == 1:
        return ids.index(cell.get("id"))
    same = [i for i, c in enumerate(committed) if (c.cell_type, c.source) == (cell.cell_type, cell.source)]
    nth = sum((c.cell_type, c.source) == (cell.cell_type, cell.source) for c in executed[:index])
    return same[nth] if nth < len(same) else None


def _last_started(executed: Sequence[Any]) -> int | None:
    """The last cell papermill started; None when none did."""
    started = [i for i, c in enumerate(executed) if _papermill(c).get("start_time")]
    return started[-1] if started else None


def _cells(path: Path) -> list[Any] | None:
    """The notebook's cells without papermill's error banner and anchor; None when unreadable."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:
        return None
    return [c for c in nb.cells if MARKER_TAG not in _tags(c)]


def _papermill(cell: Any) -> dict[str, Any]:
    return cell.get("metadata", {}).get("papermill") or {}


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))



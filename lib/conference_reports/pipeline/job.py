"""One report, in a worker: execute into temp files, export, and only on success replace its files.

A failed report keeps its last good HTML, notebook and kpis.json; its executed notebook is kept as
`<name>.failed.ipynb` beside them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import time
from collections.abc import Collection, Iterator
from pathlib import Path

from ..errors import NotebookFailed, ReportError
from ..files import temp_beside
from ..paths import check_within, ensure_folder
from . import export
from .execute import execute
from .kernel import stop_kernels
from .outcome import Outcome
from .plan import Job

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

_temp: set[Path] = set()  # temp files of the job in progress in this process


def run_job(job: Job, url: str, kernel: str) -> Outcome:
    """Check, execute, export and (only on success) atomically replace one report's files."""
    started = now()
    t0 = time.perf_counter()
    kept = Path(job.html).is_file()
    tmp_ipynb, tmp_html, tmp_kpis = temp_files(job)
    parameters = dict(job.parameters)
    if tmp_kpis is not None:
        parameters["kpis_path"] = str(tmp_kpis)
    t_exec = 0.0
    try:
        try:
            check_folders(job)
            try:
                execute(job, url, kernel, tmp_ipynb, parameters)
            finally:
                t_exec = time.perf_counter() - t0
        except NotebookFailed as exc:
            saved = keep_failed(job, tmp_ipynb)
            return Outcome.failed(exc, started, time.perf_counter() - t0, execute_seconds=t_exec,
                                  failed_ipynb=saved, kept=kept)
        return finish_job(job, tmp_ipynb, tmp_html, tmp_kpis, started, t0, t_exec, kept)
    finally:
        stop_kernels()
        remove_temp()


def now() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def temp_files(job: Job) -> tuple[Path, Path, Path | None]:
    """The temp files beside the report's notebook, page and kpis.json (removed by remove_temp)."""
    tmp_ipynb, tmp_html = temp_beside(Path(job.ipynb)), temp_beside(Path(job.html))
    tmp_kpis = temp_beside(Path(job.kpis)) if job.kpis else None
    _temp.update(p for p in (tmp_ipynb, tmp_html, tmp_kpis) if p is not None)
    return tmp_ipynb, tmp_html, tmp_kpis


def finish_job(
    job: Job, tmp_ipynb: Path, tmp_html: Path, tmp_kpis: Path | None, started: str, t0: float,
    t_exec: float, kept: bool, planned: Collection[Path] = (),
) -> Outcome:
    """An executed notebook (in `tmp_ipynb`) to its page, and every file of the report replaced; a
    failure keeps the last good ones and the executed notebook as `<name>.failed.ipynb`. `planned`:
    the pages this run makes (the page may link to them)."""
    try:
        _export(job, tmp_ipynb, tmp_html, planned)
        t_export = time.perf_counter() - t0 - t_exec
        _replace(job, tmp_kpis, tmp_ipynb, tmp_html)
    except NotebookFailed as exc:
        saved = keep_failed(job, tmp_ipynb)
        return Outcome.failed(exc, started, time.perf_counter() - t0, execute_seconds=t_exec,
                              failed_ipynb=saved, kept=kept)
    spent = time.perf_counter() - t0
    return Outcome(job.report, "ok", started, spent, execute_seconds=t_exec, export_seconds=t_export)


def check_folders(job: Job) -> None:
    """Every file of the job inside --out, its folder there (else: failed before any cell ran)."""
    try:
        for target in (job.html, job.ipynb, job.kpis):
            if target is not None and job.out:
                check_within(job.out, target)
        ensure_folder(Path(job.html).parent)
    except ReportError as exc:
        raise NotebookFailed(job.report, None, "", str(exc), stage="start") from None


def _export(job: Job, executed: Path, html: Path, planned: Collection[Path] = ()) -> None:
    try:
        export.export(executed, html, title=job.title, planned=planned)
    except Exception as exc:
        error = f"export to HTML failed: {type(exc).__name__}: {exc}"
        raise NotebookFailed(job.report, None, "", error, stage="end") from None


def _replace(job: Job, tmp_kpis: Path | None, tmp_ipynb: Path, tmp_html: Path) -> None:
    """The temp files over the report's files, SIGTERM/SIGINT held off so the set stays whole; then
    the `.failed.ipynb` of an earlier failure goes."""
    target = Path(job.html)
    try:
        with signals_deferred():
            if tmp_kpis is not None and job.kpis and tmp_kpis.exists():
                target = Path(job.kpis)
                os.replace(tmp_kpis, target)
            target = Path(job.ipynb)
            os.replace(tmp_ipynb, target)
            target = Path(job.html)
            os.replace(tmp_html, target)
            Path(job.failed_ipynb).unlink(missing_ok=True)
    except OSError as exc:
        error = f"cannot write {target}: {exc.strerror or exc}"
        raise NotebookFailed(job.report, None, "", error, stage="end") from None


def keep_failed(job: Job, executed: Path) -> str | None:
    """The executed notebook of a failed job, kept as `<name>.failed.ipynb`."""
    if executed.exists():
        with contextlib.suppress(OSError):
            os.replace(executed, job.failed_ipynb)
            return job.failed_ipynb
    return None


def remove_temp() -> None:
    """Remove the job's temp files (and the kernel's own temp files beside them)."""
    for path in list(_temp):
        for leftover in [path, *path.parent.glob(f".{path.name}.*.tmp")]:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    _temp.clear()


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGTERM and SIGINT wait until the block ends (file replacements stay whole; forked workers
    and the pool's threads start with them blocked, so they reach the main thread)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)

"""One report, in a worker: read what it reads and fingerprint it; unless unchanged, execute into temp
files (the reading handed to the kernel), export, and only on success replace its files.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..environ import AS_OF
from ..errors import NotebookFailed, ReportError
from ..files import temp_beside
from ..paths import check_within, ensure_folder
from ..serialize import dumps_exact
from . import export
from .execute import execute
from .fingerprint import read_and_fingerprint
from .kernel import stop_kernels
from .outcome import Outcome
from .plan import Job

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

_temp: set[Path] = set()  # temp files of the job in progress in this process


@dataclass(frozen=True)
class RunContext:
    """What every job of a run shares (plain data: it crosses to the workers)."""

    url: str = field(repr=False)  # may hold a password: never in a log line
    kernel: str
    shared: dict[str, Any]  # fingerprint inputs common to every report (fingerprint.shared_inputs)
    planned: frozenset[Path] = frozenset()  # pages there or made in this run (links go only to these)
    last_good: dict[str, str] = field(default_factory=dict)  # report -> fingerprint of its last good run
    force: bool = False
    as_of: str | None = field(default_factory=lambda: os.environ.get(AS_OF) or None)  # the host's day
    keep_readings: frozenset[str] = frozenset()  # reports whose readings go back (the packet's)


def run_job(job: Job, ctx: RunContext) -> Outcome:
    """Read what the report reads and fingerprint it; unless that matches its last good run (and no
    --force), execute with the reading handed to the kernel, export, and (only on success) atomically
    replace the report's files."""
    started = now()
    t0 = time.perf_counter()
    reading, digest = _read(job, ctx)
    if not ctx.force and digest is not None and digest == ctx.last_good.get(job.report):
        outcome = Outcome(job.report, "ok", started, time.perf_counter() - t0, unchanged=True,
                          fingerprint=digest)
    else:
        outcome = make_report(job, ctx, reading, digest, started, t0)
    if job.report in ctx.keep_readings and outcome.status == "ok":
        outcome.reading = reading
    return outcome


def make_report(
    job: Job, ctx: RunContext, reading: dict[str, Any] | None, digest: str | None, started: str, t0: float
) -> Outcome:
    """Execute the report's notebook (`reading` handed to the kernel), export its page and replace its
    files; `digest` is recorded when it succeeds."""
    kept = Path(job.html).is_file()
    tmp_ipynb, tmp_html, tmp_kpis = temp_files(job)
    parameters = dict(job.parameters)
    if tmp_kpis is not None:
        parameters["kpis_path"] = str(tmp_kpis)
    t_exec = 0.0
    try:
        try:
            check_folders(job)
            data_path = write_reading(job, reading) if reading is not None else None
            if data_path is not None:
                parameters["data_path"] = str(data_path)
            export.warm_up()
            try:
                execute(job, ctx.url, ctx.kernel, tmp_ipynb, parameters)
            finally:
                t_exec = time.perf_counter() - t0
        except NotebookFailed as exc:
            saved = keep_failed(job, tmp_ipynb)
            return Outcome.failed(exc, started, time.perf_counter() - t0, execute_seconds=t_exec,
                                  failed_ipynb=saved, kept=kept)
        outcome = finish_job(job, tmp_ipynb, tmp_html, tmp_kpis, started, t0, t_exec, kept, ctx.planned)
        outcome.fingerprint = digest if outcome.status == "ok" else None
        return outcome
    finally:
        stop_kernels()
        remove_temp()


def write_reading(job: Job, reading: dict[str, Any]) -> Path | None:
    """The report's reading as a temp file beside its page, for the kernel (removed with the job);
    None when it cannot be written (the kernel then reads the database itself)."""
    path = temp_beside(Path(job.ipynb).with_suffix(".data.json"))
    _temp.add(path)
    try:
        path.write_text(dumps_exact(reading), encoding="utf-8")
    except (OSError, TypeError, ValueError):
        return None
    return path


def _read(job: Job, ctx: RunContext) -> tuple[dict[str, Any] | None, str | None]:
    """The report's reading and fingerprint on this process's connection, its transaction ended after
    (no read lock held between reports); (None, None) when the database cannot be read at all."""
    try:
        conn = worker_connection(ctx.url)
    except Exception:  # the kernel connects again and says what is wrong
        return None, None
    try:
        return read_and_fingerprint(conn, job, ctx.shared, ctx.planned)
    finally:
        try:
            conn.rollback()
        except Exception:  # a broken connection: the next report opens a new one
            close_worker_connection()


_connection: tuple[str, Any, Any] | None = None  # (url, context manager, connection) of this process


def worker_connection(url: str) -> Any:
    """One read-only connection per worker process, kept for every report it makes: the schema is
    checked once and statements compile once per process, not once per report. Closed when the process
    ends (a pool worker included) or the run stops."""
    global _connection
    if _connection is None or _connection[0] != url:
        close_worker_connection()
        from multiprocessing.util import Finalize

        from ..data.db import connect

        manager = connect(url)
        _connection = (url, manager, manager.__enter__())
        Finalize(None, close_worker_connection, exitpriority=10)
    return _connection[2]


def close_worker_connection() -> None:
    global _connection
    if _connection is not None:
        manager, _connection = _connection[1], None
        with contextlib.suppress(Exception):
            manager.__exit__(None, None, None)


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

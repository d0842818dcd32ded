"""Jobs `--jobs` at a time in forked workers; SIGTERM/SIGINT stop the lot and leave no temp file.

On a signal nothing new starts, kernels are killed and temp files removed; the batch gets
Interrupted carrying the finished outcomes. Workers and kernels die with the process that started
them, even after kill -9 (Linux's parent-death signal, else a thread polling for the parent).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from ..errors import Interrupted
from . import export, kernel
from .job import STOP_SIGNALS, RunContext, close_worker_connection, remove_temp, run_job, signals_deferred
from .outcome import Outcome
from .plan import Job

WORKER_GRACE = 10.0  # seconds a worker gets to clean up after SIGTERM before SIGKILL


def run_jobs(
    jobs: Sequence[Job], ctx: RunContext, workers: int, bundle: str,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Run the jobs, `workers` at a time; one failure never stops the others. On SIGTERM/SIGINT
    (Interrupted, carrying the finished outcomes) nothing new starts and every worker is stopped."""
    outcomes: dict[str, Outcome] = {}

    def done(job: Job, outcome: Outcome) -> None:
        outcomes[job.report] = outcome
        on_done(outcome)

    try:
        if workers <= 1 or len(jobs) <= 1:
            _init_worker(bundle)
            try:
                for job in jobs:
                    done(job, run_job(job, ctx))  # cleans up after itself, even on a signal
            finally:
                close_worker_connection()
        else:
            _run_in_pool(jobs, ctx, min(workers, len(jobs)), bundle, done)
    except Interrupted as exc:
        exc.done = [outcomes[j.report] for j in jobs if j.report in outcomes]
        raise
    return [outcomes[j.report] for j in jobs if j.report in outcomes]


def _run_in_pool(
    jobs: Sequence[Job], ctx: RunContext, workers: int, bundle: str, done: Callable[[Job, Outcome], None],
) -> None:
    with signals_deferred():  # workers start with the signals blocked, until their handlers are set
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_fork_context(),
            initializer=_init_worker,
            initargs=(bundle, os.getpid()),
        )
        _init_worker(bundle)
        futures: dict[Future[Outcome], Job] = {
            pool.submit(run_job, job, ctx): job for job in jobs
        }
    try:
        for future in as_completed(futures):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker process died
                started = dt.datetime.now().astimezone().isoformat()
                outcome = Outcome(job.report, "failed", started, 0.0,
                                  error=f"worker crashed: {type(exc).__name__}: {exc}")
            done(job, outcome)
    except BaseException:
        _remove_leftovers(jobs, _stop_workers(pool))
        raise
    pool.shutdown()


# ---------------------------------------------------------------------------------------------
# signals


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGINT raise Interrupted (main thread only); the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    for sig in STOP_SIGNALS:
        signal.signal(sig, _raise_interrupted)
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _raise_interrupted(signum: int, frame: Any) -> None:
    for sig in STOP_SIGNALS:  # one interruption: the cleanup that follows is not cut short
        signal.signal(sig, signal.SIG_IGN)
    kernel.stop_kernels()  # --jobs 1: before anything asks the busy kernel for a graceful shutdown
    raise Interrupted(signum)


def _init_worker(bundle: str, run_id: int | None = None) -> None:
    """Pool worker start: SIGTERM/SIGINT clean up and exit; the worker dies with its parent.
    Without `run_id` the batch runs in this process (--jobs 1)."""
    export.use_bundle(bundle)
    kernel.set_run_id(run_id if run_id is not None else os.getpid())
    if run_id is None:
        return
    for sig in STOP_SIGNALS:
        signal.signal(sig, _exit_on_signal)
    if not kernel.die_with_parent(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(run_id,), daemon=True).start()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if os.getppid() != run_id:
        _exit_on_signal(signal.SIGTERM, None)


def _exit_on_signal(signum: int, frame: Any) -> None:
    """A worker's SIGTERM/SIGINT (also sent by Linux when the parent dies): clean up, exit quietly.
    Its database connection is left to the exit: closing it here could wait forever on the lock the
    interrupted query holds (psycopg), and the server ends a session whose socket closes."""
    kernel.stop_kernels()
    remove_temp()
    os._exit(128 + signum)


def _watch_parent(parent: int) -> None:
    """Where prctl is missing: poll for the parent's death."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


# ---------------------------------------------------------------------------------------------
# stopping the pool


def _fork_context() -> Any:
    """Workers forked from this process (so Linux can tell them when it dies), where fork exists."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _stop_workers(pool: ProcessPoolExecutor) -> list[int]:
    """Cancel what has not started; SIGTERM the workers (each cleans up after itself), SIGKILL stragglers."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    deadline = time.monotonic() + WORKER_GRACE
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(max(0.1, deadline - time.monotonic()))
    for proc in procs:
        with contextlib.suppress(Exception):
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)
    return [proc.pid for proc in procs if proc.pid is not None]


def _remove_leftovers(jobs: Sequence[Job], pids: Sequence[int]) -> None:
    """After workers were stopped: their temp files in the report folders, this run's IPC files."""
    for folder in {Path(j.html).parent for j in jobs}:
        for pid in pids:
            for leftover in folder.glob(f".*.{pid}.tmp*"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
    for leftover in kernel.ipc_files():
        with contextlib.suppress(OSError):
            leftover.unlink()

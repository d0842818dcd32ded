"""`conference-reports run`: execute the report notebooks and export one-file HTML pages.

Pipeline per report (in a worker process): parameterize -> execute (papermill, kernel
`conference-reports`) -> export (nbconvert, code hidden, Vega inlined) -> atomic replace. Outputs:

    <out>/<slug>/conference.html   conference.ipynb   kpis.json
    <out>/<slug>/sponsors.html     sponsors.ipynb
    <out>/cross-event.html         cross-event.ipynb
    <out>/index.html               reports.json (the index's record of every report's last run)

A failed report keeps its last good HTML, notebook and kpis.json; its executed notebook is kept as
`<name>.failed.ipynb` beside them, and the summary names the report, the failing cell and the error.

A slug that is no Django slug gets a safe folder name (paths.safe_name), and nothing is written outside
--out. reports.json and index.html are rewritten under a lock, so runs into one --out lose no entries.
SIGTERM or SIGINT stops the run: nothing new starts, kernels are killed, temp files removed, one line on
stderr, exit 143 or 130. Workers and kernels die with the process that started them, even after kill -9.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadParams, NotebookFailed, ReportError, UnknownConference
from ..paths import (
    OutputUnwritable,
    check_within,
    default_notebooks_dir,
    default_params_dir,
    ensure_folder,
    safe_name,
)

KERNEL_ENV = "CONFERENCE_REPORTS_KERNEL"
NOTEBOOKS_ENV = "CONFERENCE_REPORTS_NOTEBOOKS"
DEFAULT_KERNEL = "conference-reports"
NOTEBOOK_FILES = {
    "conference": "conference.ipynb",
    "sponsors": "sponsors.ipynb",
    "cross-event": "cross_event.ipynb",
}
CELL_TIMEOUT = 600
START_TIMEOUT = 120
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
WORKER_GRACE = 10.0  # seconds a worker gets to clean up after SIGTERM before SIGKILL
PR_SET_PDEATHSIG = 1


class KernelMissing(ReportError):
    """The Jupyter kernel the notebooks run in is not installed."""


class NotebooksMissing(ReportError):
    """The report notebooks are not where the runner looks for them."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT arrived; carries the outcomes of the reports that finished before it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.done: list[Outcome] = []

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name


@dataclass(frozen=True)
class Job:
    """One report to produce."""

    report: str  # "pyconf-2026/conference", "cross-event"
    kind: str  # conference | sponsors | cross-event
    title: str
    notebook: str
    html: str
    ipynb: str
    parameters: dict[str, Any]
    slug: str | None = None
    name: str | None = None
    start_date: str | None = None
    kpis: str | None = None
    out: str | None = None  # the --out folder every file of the job must stay in

    @property
    def failed_ipynb(self) -> str:
        return str(Path(self.ipynb).with_suffix(".failed.ipynb"))


@dataclass
class Outcome:
    """What happened to one job; plain data so it crosses process boundaries."""

    report: str
    status: str  # ok | failed
    started_at: str
    seconds: float
    execute_seconds: float = 0.0
    export_seconds: float = 0.0
    cell_index: int | None = None
    source: str = ""
    error: str = ""
    failed_ipynb: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    stage: str = ""  # of a failure: start (no cell ran) | cell | end (every cell ran)
    kept: bool = False  # a good report from an earlier run is still in place

    @property
    def where(self) -> str:
        """Where it failed: `cell N`, `before any cell ran` or `after every cell ran`."""
        if self.cell_index is not None:
            return f"cell {self.cell_index}"
        return "after every cell ran" if self.stage == "end" else "before any cell ran"

    def failure(self) -> NotebookFailed:
        exc = NotebookFailed(self.report, self.cell_index, self.source, self.error)
        if self.cell_index is None:
            exc.args = (f"{self.report}: failed {self.where}: {self.error}",)
        return exc


# ---------------------------------------------------------------------------------------------
# planning


def notebooks_dir(args: Any) -> Path:
    """--notebooks (if the CLI has it), else $CONFERENCE_REPORTS_NOTEBOOKS, else the checkout's notebooks/."""

    chosen = getattr(args, "notebooks", None) or os.environ.get(NOTEBOOKS_ENV)
    folder = Path(chosen) if chosen else default_notebooks_dir()
    for name in NOTEBOOK_FILES.values():
        if not (folder / name).is_file():
            raise NotebooksMissing(f"report notebook {folder / name} is missing")
    return folder.resolve()


def params_dir(args: Any) -> Path:
    """--params; the default `params` falls back to the checkout's params/ when the working dir has none."""

    given = Path(getattr(args, "params", None) or "params")
    if given.is_dir():
        return given.resolve()
    if str(getattr(args, "params", None) or "params") == "params":
        return default_params_dir().resolve()
    raise BadParams(f"params folder {given} does not exist")


def kernel_name() -> str:
    """The Jupyter kernel to execute in; a clear error when it is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name = os.environ.get(KERNEL_ENV) or DEFAULT_KERNEL
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise KernelMissing(
            f"Jupyter kernel {name!r} is not installed: run "
            f"`{sys.executable} -m ipykernel install --sys-prefix "
            f"--name {name}` (make install does this)"
        ) from None
    return name


def plan(
    conferences: Sequence[Any],
    selected: Sequence[Any],
    out: Path,
    notebooks: Path,
    params: Path,
    *,
    cross_event: bool = True,
) -> list[Job]:
    """The jobs: conference and sponsor reports per selected conference, then the cross-event report."""
    jobs: list[Job] = []
    for c in selected:
        folder = out / safe_name(c.slug)
        common = {"slug": c.slug, "name": c.name, "start_date": c.start_date.isoformat(), "out": str(out)}
        jobs.append(
            Job(
                report=f"{c.slug}/conference",
                kind="conference",
                title=f"{c.name}: conference report",
                notebook=str(notebooks / NOTEBOOK_FILES["conference"]),
                html=str(folder / "conference.html"),
                ipynb=str(folder / "conference.ipynb"),
                kpis=str(folder / "kpis.json"),
                parameters={"conference": c.slug, "params_dir": str(params), "render": "report"},
                **common,
            )
        )
        jobs.append(
            Job(
                report=f"{c.slug}/sponsors",
                kind="sponsors",
                title=f"{c.name}: sponsor report",
                notebook=str(notebooks / NOTEBOOK_FILES["sponsors"]),
                html=str(folder / "sponsors.html"),
                ipynb=str(folder / "sponsors.ipynb"),
                parameters={"conference": c.slug, "params_dir": str(params), "render": "report"},
                **common,
            )
        )
    if cross_event and conferences:
        jobs.append(
            Job(
                report="cross-event",
                kind="cross-event",
                title="Cross-event report",
                notebook=str(notebooks / NOTEBOOK_FILES["cross-event"]),
                html=str(out / "cross-event.html"),
                ipynb=str(out / "cross-event.ipynb"),
                parameters={"conferences": None, "params_dir": str(params), "render": "report"},
                out=str(out),
            )
        )
    return jobs


# ---------------------------------------------------------------------------------------------
# signals and cleanup

_BUNDLE: str | None = None
_RUN_ID: int = os.getpid()  # the pid of the process running the batch; names its IPC files
_KERNELS: list[Any] = []  # kernel managers of the job in progress in this process
_TEMP: set[Path] = set()  # temp files of the job in progress in this process


def _raise_interrupted(signum: int, frame: Any) -> None:
    for sig in STOP_SIGNALS:  # one interruption: the cleanup that follows is not cut short
        signal.signal(sig, signal.SIG_IGN)
    _stop_kernels()  # --jobs 1: before anything asks the busy kernel for a graceful shutdown
    raise Interrupted(signum)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
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


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGTERM and SIGINT wait until the block ends (file replacements stay whole; forked workers
    and the pool's threads start with them blocked, so they reach the main thread)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl on Linux (looked up before any fork), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _die_with_parent(sig: int) -> bool:
    """Ask Linux to send `sig` to this process when its parent exits; False where that is not possible."""
    import ctypes

    prctl = _prctl()
    return prctl is not None and prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(sig), 0, 0, 0) == 0


def _kernel_preexec() -> Callable[[], None] | None:
    """For the kernel's Popen: SIGKILL the kernel when the process that starts it dies."""
    if _prctl() is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        _die_with_parent(signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def _stop_kernels() -> None:
    """Kill this process's kernels (each leads its own process group) and remove their socket files."""
    for km in _KERNELS:
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError):
                group = os.getpgid(proc.pid)
                if group == proc.pid and group != os.getpgrp():
                    os.killpg(group, signal.SIGKILL)
                else:
                    os.kill(proc.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                proc.wait(5)
        for cleanup in ("cleanup_connection_file", "cleanup_ipc_files"):
            with contextlib.suppress(Exception):
                getattr(km, cleanup)()
    _KERNELS.clear()


def _remove_temp() -> None:
    """Remove the job's temp files (and the kernel's own temp files beside them)."""
    for path in list(_TEMP):
        for leftover in [path, *path.parent.glob(f".{path.name}.*.tmp")]:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    _TEMP.clear()


def _remove_leftovers(jobs: Sequence[Job], pids: Sequence[int]) -> None:
    """After workers were stopped: their temp files in the report folders, this run's IPC files."""
    for folder in {Path(j.html).parent for j in jobs}:
        for pid in pids:
            for leftover in folder.glob(f".*.{pid}.tmp*"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
    for leftover in Path(tempfile.gettempdir()).glob(f"cr-{_RUN_ID}-*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _exit_on_signal(signum: int, frame: Any) -> None:
    """A worker's SIGTERM/SIGINT (also sent by Linux when the parent dies): clean up, exit quietly."""
    _stop_kernels()
    _remove_temp()
    os._exit(128 + signum)


def _watch_parent(parent: int) -> None:
    """Where prctl is missing: poll for the parent's death."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _init_worker(bundle: str | None, run_id: int | None = None) -> None:
    """Pool worker start: SIGTERM/SIGINT clean up and exit; the worker dies with its parent."""
    global _BUNDLE, _RUN_ID
    _BUNDLE = bundle
    if run_id is None:  # the batch runs in this process (--jobs 1)
        _RUN_ID = os.getpid()
        return
    _RUN_ID = run_id
    for sig in STOP_SIGNALS:
        signal.signal(sig, _exit_on_signal)
    if not _die_with_parent(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(run_id,), daemon=True).start()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if os.getppid() != run_id:
        _exit_on_signal(signal.SIGTERM, None)


# ---------------------------------------------------------------------------------------------
# one job (runs in a worker process)


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _tmp(path: Path) -> Path:
    """A temp file beside `path` (same filesystem, so os.replace is atomic), keeping its suffix."""
    return path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")


@functools.cache
def _ipc_kernel_manager() -> type:
    """A kernel manager on IPC sockets in the temp dir: no TCP port races between parallel kernels,
    and no "running over TCP without encryption" warning on every run. Its files are named
    `cr-<run pid>-<id>-ipc*`; the kernel dies with the process that starts it; no SIGINT before
    a shutdown (the kernel would log "KeyboardInterrupt caught in kernel")."""
    import uuid

    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):  # type: ignore[misc]
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"cr-{_RUN_ID}-{uuid.uuid4().hex[:12]}-ipc")

        @default("connection_file")
        def _connection_file_default(self) -> str:
            return f"{self.ip}.json"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            _KERNELS.append(self)  # before its connection file exists: a signal can always clean up

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            preexec = _kernel_preexec()
            if preexec is not None:
                kw.setdefault("preexec_fn", preexec)
            await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IpcKernelManager


def _source_index(nb_path: Path, cell_index: int) -> int:
    """Map an index in the executed notebook to the committed notebook (minus papermill's injected cell)."""
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return cell_index
    injected = sum(
        1 for c in nb.cells[:cell_index] if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )
    return cell_index - injected


def _last_started(nb_path: Path) -> tuple[int, str] | None:
    """(committed-notebook index, source) of the last cell papermill started; None when none started."""
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return None
    found, injected = None, 0
    for i, c in enumerate(nb.cells):
        if "injected-parameters" in c.get("metadata", {}).get("tags", []):
            injected += 1
        elif c.get("metadata", {}).get("papermill", {}).get("start_time"):
            found = (i - injected, c.get("source", ""))
    return found


def _first_line(source: str) -> str:
    lines = [line for line in source.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    return lines[0] + (" ..." if len(lines) > 1 else "")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def run_job(job: Job, url: str, kernel: str) -> Outcome:
    """Execute, export and (only on success) atomically replace one report's files."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .render import export_html, vega_bundle

    started = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    t0 = time.perf_counter()
    html, ipynb = Path(job.html), Path(job.ipynb)
    kpis = Path(job.kpis) if job.kpis else None
    kept = html.is_file()
    tmp_ipynb, tmp_html = _tmp(ipynb), _tmp(html)
    tmp_kpis = _tmp(kpis) if kpis else None
    _TEMP.update(p for p in (tmp_ipynb, tmp_html, tmp_kpis) if p is not None)
    params = dict(job.parameters)
    if tmp_kpis is not None:
        params["kpis_path"] = str(tmp_kpis)

    def fail(stage: str, error: str, cell: int | None = None, source: str = "", t: float = 0.0) -> Outcome:
        saved = None
        if tmp_ipynb.exists():
            with contextlib.suppress(OSError):
                os.replace(tmp_ipynb, job.failed_ipynb)
                saved = job.failed_ipynb
        spent = time.perf_counter() - t0
        return Outcome(job.report, "failed", started, spent, execute_seconds=t, cell_index=cell,
                       source=source, error=error, failed_ipynb=saved, stage=stage, kept=kept)

    try:
        try:
            for target in (html, ipynb, kpis):
                if target is not None and job.out:
                    check_within(job.out, target)
            ensure_folder(html.parent)
        except ReportError as exc:
            return fail("start", str(exc))

        try:
            with _env("CONFERENCE_REPORTS_DB", url):
                pm.execute_notebook(
                    job.notebook,
                    str(tmp_ipynb),
                    parameters=params,
                    kernel_name=kernel,
                    progress_bar=False,
                    log_output=False,
                    execution_timeout=CELL_TIMEOUT,
                    start_timeout=START_TIMEOUT,
                    kernel_manager_class=_ipc_kernel_manager(),
                )
        except PapermillExecutionError as exc:
            error = f"{exc.ename}: {_first_line(exc.evalue or '')}".strip(": ")
            index = _source_index(tmp_ipynb, exc.cell_index)
            return fail("cell", error, index, _first_line(exc.source), time.perf_counter() - t0)
        except Exception as exc:  # kernel died, timeout, unreadable notebook: still one clear line
            cell = _last_started(tmp_ipynb)
            if cell is None:
                return fail("start", _reason(exc), t=time.perf_counter() - t0)
            return fail("cell", _reason(exc), cell[0], _first_line(cell[1]), time.perf_counter() - t0)
        t_exec = time.perf_counter() - t0

        try:
            nb = nbformat.read(str(tmp_ipynb), as_version=4)
            page = export_html(nb, title=job.title, bundle=_BUNDLE if _BUNDLE is not None else vega_bundle())
            tmp_html.write_text(page, encoding="utf-8")
        except Exception as exc:
            return fail("end", f"export to HTML failed: {type(exc).__name__}: {exc}", t=t_exec)
        t_export = time.perf_counter() - t0 - t_exec

        target = html
        try:
            with _signals_deferred():
                if tmp_kpis is not None and kpis is not None and tmp_kpis.exists():
                    target = kpis
                    os.replace(tmp_kpis, kpis)
                target = ipynb
                os.replace(tmp_ipynb, ipynb)
                target = html
                os.replace(tmp_html, html)
                Path(job.failed_ipynb).unlink(missing_ok=True)
        except OSError as exc:
            return fail("end", f"cannot write {target}: {exc.strerror or exc}", t=t_exec)
        spent = time.perf_counter() - t0
        return Outcome(job.report, "ok", started, spent, execute_seconds=t_exec, export_seconds=t_export)
    finally:
        _stop_kernels()
        _remove_temp()


# ---------------------------------------------------------------------------------------------
# the batch


class _Progress:
    """tqdm on a terminal, plain lines otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", desc="reports", file=sys.stderr)

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        line = f"[{self.done}/{self.total}] {outcome.status:<6} {outcome.report} ({outcome.seconds:.1f}s)"
        if self.bar is not None:
            self.bar.set_postfix_str(outcome.report, refresh=False)
            self.bar.update(1)
            if outcome.status != "ok":
                self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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


def _fork_context() -> Any:
    """Workers forked from this process (so Linux can tell them when it dies), where fork exists."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def execute_all(jobs: Sequence[Job], url: str, kernel: str, workers: int, bundle: str) -> list[Outcome]:
    """Run the jobs, `workers` at a time; one failure never stops the others. On SIGTERM/SIGINT
    (Interrupted, carrying the finished outcomes) nothing new starts and every worker is stopped."""
    progress = _Progress(len(jobs))
    outcomes: dict[str, Outcome] = {}
    try:
        if workers <= 1 or len(jobs) <= 1:
            _init_worker(bundle)
            for job in jobs:
                outcomes[job.report] = run_job(job, url, kernel)  # cleans up after itself, even on a signal
                progress.update(outcomes[job.report])
        else:
            with _signals_deferred():  # workers start with the signals blocked, until their handlers are set
                pool = ProcessPoolExecutor(
                    max_workers=min(workers, len(jobs)),
                    mp_context=_fork_context(),
                    initializer=_init_worker,
                    initargs=(bundle, os.getpid()),
                )
                _init_worker(bundle)
                futures: dict[Future[Outcome], Job] = {
                    pool.submit(run_job, job, url, kernel): job for job in jobs
                }
            try:
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a worker process died
                        outcome = Outcome(
                            job.report,
                            "failed",
                            dt.datetime.now().astimezone().isoformat(),
                            0.0,
                            error=f"worker crashed: {type(exc).__name__}: {exc}",
                        )
                    outcomes[job.report] = outcome
                    progress.update(outcome)
            except BaseException:
                _remove_leftovers(jobs, _stop_workers(pool))
                raise
            pool.shutdown()
    except Interrupted as exc:
        exc.done = [outcomes[j.report] for j in jobs if j.report in outcomes]
        raise
    finally:
        progress.close()
    return [outcomes[j.report] for j in jobs if j.report in outcomes]


def _write_text(out: Path, path: Path, text: str) -> None:
    """Atomically replace `path` (inside `out`); OutputUnwritable naming it when that fails."""
    check_within(out, path)
    tmp = _tmp(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputUnwritable(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


@contextlib.contextmanager
def manifest_lock(out: Path) -> Iterator[None]:
    """An exclusive lock (flock on <out>/.reports.lock) for a read-modify-write of reports.json."""
    import fcntl

    path = check_within(out, out / ".reports.lock")
    try:
        handle = open(path, "a+b")  # noqa: SIM115 (closing it releases the lock)
    except OSError as exc:
        raise OutputUnwritable(f"cannot write {path}: {exc.strerror or exc}") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def update_manifest(
    out: Path, jobs: Sequence[Job], outcomes: Sequence[Outcome], source: str
) -> dict[str, Any]:
    """reports.json: the last run of every report ever written to `out`, this run's entries updated;
    then index.html from it. Both under `manifest_lock`, so concurrent runs lose no entries."""
    from .index_page import render_index

    path = out / "reports.json"
    with manifest_lock(out):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            entries = {e["report"]: e for e in manifest.get("reports", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        by_job = {j.report: j for j in jobs}
        for o in outcomes:
            job = by_job[o.report]
            before = entries.get(o.report, {})
            entry = {
                "report": o.report,
                "kind": job.kind,
                "title": job.title,
                "slug": job.slug,
                "name": job.name,
                "start_date": job.start_date,
                "status": o.status,
                "ran_at": o.started_at,
                "seconds": round(o.seconds, 2),
                "html": os.path.relpath(job.html, out),
                "ipynb": os.path.relpath(job.ipynb, out),
                "kpis": os.path.relpath(job.kpis, out) if job.kpis else None,
                "last_good_at": o.started_at if o.status == "ok" else before.get("last_good_at"),
                "error": None
                if o.status == "ok"
                else {
                    "cell_index": o.cell_index,
                    "source": o.source,
                    "error": o.error,
                    "message": str(o.failure()),
                    "failed_ipynb": os.path.relpath(o.failed_ipynb, out) if o.failed_ipynb else None,
                },
            }
            entries[o.report] = entry
        ordered = sorted(
            entries.values(),
            key=lambda e: (
                e.get("kind") == "cross-event",
                e.get("start_date") or "",
                e.get("slug") or "",
                e.get("kind") or "",
            ),
        )
        manifest = {
            "generated_at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
            "source": source,
            "reports": ordered,
        }
        _write_text(out, path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _write_text(out, out / "index.html", render_index(out, manifest))
    return manifest


def summary_lines(outcomes: Sequence[Outcome], seconds: float, index: Path) -> list[str]:
    failed = [o for o in outcomes if o.status != "ok"]
    lines = [
        f"{len(outcomes)} reports in {seconds:.1f}s: {len(outcomes) - len(failed)} ok, {len(failed)} failed"
    ]
    for o in failed:
        code = f" `{o.source}`" if o.source else ""
        lines.append(f"FAILED {o.report}: {o.where}{code}: {o.error}")
        kept = "the last good report is kept" if o.kept else "no earlier report to keep"
        notebook = f"executed notebook: {o.failed_ipynb} " if o.failed_ipynb else ""
        lines.append(f"       {notebook}({kept})")
    lines.append(f"index: {index}")
    return lines


@dataclass
class _Batch:
    """How far a run got, for the message and the manifest when a signal stops it."""

    out: Path | None = None
    jobs: list[Job] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    source: str = ""


def run_reports(args: Any) -> int:
    """The `run` verb: every conference (or the --conference ones), the cross-event report, the index.
    SIGTERM/SIGINT: finished reports are recorded, the rest not run; one line; exit 143/130."""
    batch = _Batch()
    with _stop_on_signals():
        try:
            return _run_reports(args, batch)
        except Interrupted as exc:
            done = exc.done or batch.outcomes
            if batch.out is not None and done:
                with contextlib.suppress(ReportError, OSError):
                    update_manifest(batch.out, batch.jobs, done, batch.source)
            left = len(batch.jobs) - len(done)
            what = f"{left} of {len(batch.jobs)} reports not run" if batch.jobs else "no report run"
            print(f"conference-reports: interrupted by {exc.signal_name}; {what}", file=sys.stderr)
            return exc.exit_code


def _run_reports(args: Any, batch: _Batch) -> int:
    from ..data.conferences import list_conferences
    from ..data.db import connect, mask_url
    from ..demo.default import database_url
    from ..params import load_all, unmatched_files
    from .render import vega_bundle

    t0 = time.perf_counter()
    url = database_url(getattr(args, "db", None))
    with connect(url) as conn:
        conferences = list_conferences(conn)
    wanted = list(getattr(args, "conference", None) or [])
    known = {c.slug: c for c in conferences}
    for slug in wanted:
        if slug not in known:
            raise UnknownConference(f"no conference with slug {slug!r} (known: {', '.join(known) or 'none'})")
    selected = [known[s] for s in dict.fromkeys(wanted)] if wanted else conferences
    if not conferences:
        raise UnknownConference(f"{mask_url(url)} holds no conferences")

    params = params_dir(args)
    load_all(params, known)  # malformed or unknown keys: one clear error before anything runs
    strays = unmatched_files(params, known)
    if strays:
        names = ", ".join(p.name for p in strays)
        print(
            f"conference-reports: note: {params} has files for no conference here (ignored): {names}",
            file=sys.stderr,
        )
    notebooks = notebooks_dir(args)
    kernel = kernel_name()
    jobs_arg = getattr(args, "jobs", None)
    if jobs_arg is not None and jobs_arg < 1:
        raise BadParams(f"--jobs must be at least 1, got {jobs_arg}")
    workers = jobs_arg or os.cpu_count() or 1

    out = ensure_folder(Path(getattr(args, "out", None) or "output").resolve())
    for c in selected:
        c.zone  # noqa: B018  (a zone that is not an IANA name warns here, once, before the reports run)
        if safe_name(c.slug) != c.slug:
            print(
                f"conference-reports: warning: slug {c.slug!r} is not a Django slug; "
                f"its reports go to {safe_name(c.slug)}/",
                file=sys.stderr,
            )
    batch.out, batch.source = out, mask_url(url)
    batch.jobs = plan(conferences, selected, out, notebooks, params)
    batch.outcomes = execute_all(batch.jobs, url, kernel, workers, vega_bundle())
    update_manifest(out, batch.jobs, batch.outcomes, batch.source)
    for line in summary_lines(batch.outcomes, time.perf_counter() - t0, out / "index.html"):
        print(line)
    return 1 if any(o.status != "ok" for o in batch.outcomes) else 0


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    return asdict(outcome)

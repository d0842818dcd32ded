"""`conference-reports run`: execute the report notebooks and export one-file HTML pages.

Pipeline per report (in a worker process): parameterize -> execute (papermill, kernel
`conference-reports`) -> export (nbconvert, code hidden, Vega inlined) -> atomic replace. Outputs:

    <out>/<slug>/conference.html   conference.ipynb   kpis.json
    <out>/<slug>/sponsors.html     sponsors.ipynb
    <out>/cross-event.html         cross-event.ipynb
    <out>/index.html               reports.json (the index's record of every report's last run)

A failed report keeps its last good HTML, notebook and kpis.json; its executed notebook is kept as
`<name>.failed.ipynb` beside them, and the summary names the report, the failing cell and the error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import BadParams, NotebookFailed, ReportError, UnknownConference

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


class KernelMissing(ReportError):
    """The Jupyter kernel the notebooks run in is not installed."""


class NotebooksMissing(ReportError):
    """The report notebooks are not where the runner looks for them."""


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

    def failure(self) -> NotebookFailed:
        return NotebookFailed(self.report, self.cell_index, self.source, self.error)


# ---------------------------------------------------------------------------------------------
# planning


def notebooks_dir(args: Any) -> Path:
    """--notebooks (if the CLI has it), else $CONFERENCE_REPORTS_NOTEBOOKS, else the checkout's notebooks/."""
    from .db import project_root

    chosen = getattr(args, "notebooks", None) or os.environ.get(NOTEBOOKS_ENV)
    folder = Path(chosen) if chosen else project_root() / "notebooks"
    for name in NOTEBOOK_FILES.values():
        if not (folder / name).is_file():
            raise NotebooksMissing(f"report notebook {folder / name} is missing")
    return folder.resolve()


def params_dir(args: Any) -> Path:
    """--params; the default `params` falls back to the checkout's params/ when the working dir has none."""
    from .params import default_params_dir

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
        folder = out / c.slug
        common = {"slug": c.slug, "name": c.name, "start_date": c.start_date.isoformat()}
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
            )
        )
    return jobs


# ---------------------------------------------------------------------------------------------
# one job (runs in a worker process)

_BUNDLE: str | None = None


def _init_worker(bundle: str | None) -> None:
    global _BUNDLE
    _BUNDLE = bundle


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


def _ipc_kernel_manager() -> type:
    """A kernel manager on IPC sockets in the temp dir: no TCP port races between parallel kernels,
    and no "running over TCP without encryption" warning on every run."""
    import tempfile
    import uuid

    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):  # type: ignore[misc]
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"cr-{uuid.uuid4().hex[:12]}-ipc")

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


def _first_line(source: str) -> str:
    lines = [line for line in source.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    return lines[0] + (" ..." if len(lines) > 1 else "")


def run_job(job: Job, url: str, kernel: str) -> Outcome:
    """Execute, export and (only on success) atomically replace one report's files."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .render import export_html, vega_bundle

    started = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    t0 = time.perf_counter()
    html, ipynb = Path(job.html), Path(job.ipynb)
    html.parent.mkdir(parents=True, exist_ok=True)
    tmp_ipynb, tmp_html = _tmp(ipynb), _tmp(html)
    tmp_kpis = _tmp(Path(job.kpis)) if job.kpis else None
    params = dict(job.parameters)
    if tmp_kpis is not None:
        params["kpis_path"] = str(tmp_kpis)

    def fail(cell_index: int | None, source: str, error: str, t_exec: float = 0.0) -> Outcome:
        kept = None
        if tmp_ipynb.exists():
            os.replace(tmp_ipynb, job.failed_ipynb)
            kept = job.failed_ipynb
        for leftover in (tmp_html, tmp_kpis):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
        return Outcome(
            job.report,
            "failed",
            started,
            time.perf_counter() - t0,
            execute_seconds=t_exec,
            cell_index=cell_index,
            source=source,
            error=error,
            failed_ipynb=kept,
        )

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
        index = _source_index(tmp_ipynb, exc.cell_index)
        return fail(
            index,
            _first_line(exc.source),
            f"{exc.ename}: {_first_line(exc.evalue or '')}".strip(": "),
            time.perf_counter() - t0,
        )
    except Exception as exc:  # kernel died, timeout, unreadable notebook: still one clear line
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return fail(None, "", f"{type(exc).__name__}: {reason}".strip(": "), time.perf_counter() - t0)
    t_exec = time.perf_counter() - t0

    try:
        nb = nbformat.read(str(tmp_ipynb), as_version=4)
        page = export_html(nb, title=job.title, bundle=_BUNDLE if _BUNDLE is not None else vega_bundle())
        tmp_html.write_text(page, encoding="utf-8")
    except Exception as exc:
        return fail(None, "", f"export to HTML failed: {type(exc).__name__}: {exc}", t_exec)
    t_export = time.perf_counter() - t0 - t_exec

    if tmp_kpis is not None and tmp_kpis.exists():
        os.replace(tmp_kpis, job.kpis)  # type: ignore[arg-type]
    os.replace(tmp_ipynb, ipynb)
    os.replace(tmp_html, html)
    Path(job.failed_ipynb).unlink(missing_ok=True)
    return Outcome(
        job.report, "ok", started, time.perf_counter() - t0, execute_seconds=t_exec, export_seconds=t_export
    )


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


def execute_all(jobs: Sequence[Job], url: str, kernel: str, workers: int, bundle: str) -> list[Outcome]:
    """Run the jobs, `workers` at a time; one failure never stops the others."""
    progress = _Progress(len(jobs))
    outcomes: dict[str, Outcome] = {}
    try:
        if workers <= 1 or len(jobs) <= 1:
            _init_worker(bundle)
            for job in jobs:
                outcomes[job.report] = run_job(job, url, kernel)
                progress.update(outcomes[job.report])
        else:
            pool = ProcessPoolExecutor(
                max_workers=min(workers, len(jobs)), initializer=_init_worker, initargs=(bundle,)
            )
            try:
                futures: dict[Future[Outcome], Job] = {
                    pool.submit(run_job, job, url, kernel): job for job in jobs
                }
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
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown()
    finally:
        progress.close()
    return [outcomes[j.report] for j in jobs if j.report in outcomes]


def _write_text(path: Path, text: str) -> None:
    tmp = _tmp(path)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def update_manifest(
    out: Path, jobs: Sequence[Job], outcomes: Sequence[Outcome], source: str
) -> dict[str, Any]:
    """reports.json: the last run of every report ever written to `out`, this run's entries updated."""
    path = out / "reports.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        entries = {e["report"]: e for e in manifest.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError):
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
    _write_text(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def summary_lines(outcomes: Sequence[Outcome], seconds: float, index: Path) -> list[str]:
    failed = [o for o in outcomes if o.status != "ok"]
    lines = [
        f"{len(outcomes)} reports in {seconds:.1f}s: {len(outcomes) - len(failed)} ok, {len(failed)} failed"
    ]
    for o in failed:
        where = f"cell {o.cell_index}" if o.cell_index is not None else "before any cell ran"
        code = f" `{o.source}`" if o.source else ""
        lines.append(f"FAILED {o.report}: {where}{code}: {o.error}")
        if o.failed_ipynb:
            lines.append(f"       executed notebook: {o.failed_ipynb} (the last good report is kept)")
    lines.append(f"index: {index}")
    return lines


def run_reports(args: Any) -> int:
    """The `run` verb: every conference (or the --conference ones), the cross-event report, the index."""
    from .conferences import list_conferences
    from .db import connect, mask_url, resolve_url
    from .index_page import write_index
    from .params import load_all, unmatched_files
    from .render import vega_bundle

    t0 = time.perf_counter()
    url = resolve_url(getattr(args, "db", None))
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

    out = Path(getattr(args, "out", None) or "output").resolve()
    out.mkdir(parents=True, exist_ok=True)
    jobs = plan(conferences, selected, out, notebooks, params)
    outcomes = execute_all(jobs, url, kernel, workers, vega_bundle())
    source = mask_url(url)
    manifest = update_manifest(out, jobs, outcomes, source)
    index = write_index(out, manifest)
    for line in summary_lines(outcomes, time.perf_counter() - t0, index):
        print(line)
    return 1 if any(o.status != "ok" for o in outcomes) else 0


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    return asdict(outcome)

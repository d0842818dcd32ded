"""`run --scheduler ADDRESS`: each report's notebook executes on a Dask cluster, not in local workers.

A cluster worker needs the package, the suite's kernel and access to the database, not the output
folder: it reads what the report reads and fingerprints it (a report unchanged since its last good
run goes no further), executes the notebook in a private temp folder with that reading, and sends
back the executed notebook and kpis.json as bytes. The host writes them beside the report's files,
exports the page (as the local pool does: links, contents, the Vega bundle) and replaces the files
atomically, so --out needs no shared filesystem and a failure keeps the last good report, as it does
locally. SIGTERM or SIGINT cancels what has not started and kills the run's kernels on every worker
(kernels are tagged with the run's key, so other runs sharing the cluster go on); the reports already
written are recorded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import tempfile
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from ..environ import as_of
from ..errors import Interrupted, NotebookFailed, ReportError
from ..serialize import dumps_exact
from . import export
from .job import RunContext, check_folders, finish_job, keep_failed, now, remove_temp, temp_files
from .outcome import Outcome
from .plan import Job

FAILURE_FIELDS = ("report", "cell_index", "source", "error", "tag", "stage")


class ClusterUnavailable(ReportError):
    """No Dask scheduler to send the reports to (or the package for it is missing)."""


def inputs_of(job: Job) -> dict[str, Any]:
    """What a worker needs besides the database: the notebook and every params file, as bytes (the
    worker has neither the host's checkout nor its params folder)."""
    folder = Path(job.parameters.get("params_dir") or "")
    params = {p.name: p.read_bytes() for p in folder.glob("*.y*ml") if p.is_file()} if folder.is_dir() else {}
    return {"notebook": Path(job.notebook).read_bytes(), "params": params}


def execute_remote(job: Job, ctx: RunContext, inputs: dict[str, Any], run: str = "") -> dict[str, Any]:
    """On a cluster worker: read what the report reads and fingerprint it; unless that matches its
    last good run, execute the report's notebook (from `inputs`, with its params files and the
    reading) in a private folder. The executed notebook and kpis.json as bytes, the failure (if any)
    as fields, the fingerprint."""
    from ..data.db import connect
    from .execute import execute
    from .fingerprint import read_and_fingerprint
    from .kernel import stop_kernels, tag_kernels

    started, t0 = now(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cr-remote-") as folder:
        here = Path(folder)
        (here / "params").mkdir()
        for name, data in inputs["params"].items():
            (here / "params" / Path(name).name).write_bytes(data)
        notebook = here / Path(job.notebook).name
        notebook.write_bytes(inputs["notebook"])
        parameters = {**job.parameters, "params_dir": str(here / "params")}
        mine = dataclasses.replace(job, notebook=str(notebook), parameters=parameters)
        reading, digest = None, None
        with as_of(ctx.as_of), contextlib.suppress(Exception), connect(ctx.url) as conn:
            reading, digest = read_and_fingerprint(conn, job, ctx.shared, ctx.planned, read_as=mine)
        result = {"started": started, "fingerprint": digest, "unchanged": False, "ipynb": None, "kpis": None,
                  "failure": None, "reading": reading if job.report in ctx.keep_readings else None}
        if not ctx.force and digest is not None and digest == ctx.last_good.get(job.report):
            return {**result, "seconds": time.perf_counter() - t0, "unchanged": True}
        ipynb = here / "executed.ipynb"
        kpis = here / "kpis.json" if job.kpis else None
        if kpis is not None:
            parameters["kpis_path"] = str(kpis)
        if reading is not None:
            with contextlib.suppress(OSError, TypeError, ValueError):  # else the kernel reads itself
                (here / "reading.json").write_text(dumps_exact(reading), encoding="utf-8")
                parameters["data_path"] = str(here / "reading.json")
        if run in _stopped:  # stopped while this task read: start nothing
            return {**result, "seconds": time.perf_counter() - t0,
                    "failure": {**dict.fromkeys(FAILURE_FIELDS), "report": job.report, "source": "",
                                "tag": "", "error": "the run was stopped", "stage": "start"}}
        tag_kernels(run)  # a stopped run stops its kernels, no other run's (stop_remote)
        try:
            with as_of(ctx.as_of):
                execute(mine, ctx.url, ctx.kernel, ipynb, parameters)
        except NotebookFailed as exc:
            result["failure"] = {name: getattr(exc, name) for name in FAILURE_FIELDS}
        finally:
            tag_kernels(None)
            stop_kernels(run)
        return {
            **result,
            "seconds": time.perf_counter() - t0,
            "ipynb": ipynb.read_bytes() if ipynb.is_file() else None,
            "kpis": kpis.read_bytes() if kpis is not None and kpis.is_file() else None,
        }


def _written_here(job: Job, result: dict[str, Any], planned: Collection[Path]) -> Outcome:
    """The worker's files beside the report's, exported and put in place (or kept as failed); a report
    whose inputs did not change since its last good run is left as it is."""
    if result["unchanged"]:
        return Outcome(job.report, "ok", result["started"], result["seconds"], unchanged=True,
                       fingerprint=result["fingerprint"], reading=result["reading"])
    t0 = time.perf_counter() - result["seconds"]
    kept = Path(job.html).is_file()
    try:
        check_folders(job)  # inside --out, its folder there
    except NotebookFailed as exc:
        return Outcome.failed(exc, result["started"], result["seconds"], kept=kept)
    tmp_ipynb, tmp_html, tmp_kpis = temp_files(job)
    try:
        if tmp_kpis is not None and result["kpis"] is not None:
            tmp_kpis.write_bytes(result["kpis"])
        if result["ipynb"] is not None:
            nb = json.loads(result["ipynb"])
            if tmp_kpis is not None:  # the page's links read the kpis.json the notebook names: this one
                nb.setdefault("metadata", {}).setdefault("papermill", {}).setdefault("parameters", {})[
                    "kpis_path"] = str(tmp_kpis)
            tmp_ipynb.write_text(json.dumps(nb), encoding="utf-8")
        if result["failure"] is not None:
            exc = NotebookFailed(**result["failure"])
            return Outcome.failed(exc, result["started"], result["seconds"],
                                  execute_seconds=result["seconds"], failed_ipynb=keep_failed(job, tmp_ipynb),
                                  kept=kept)
        outcome = finish_job(job, tmp_ipynb, tmp_html, tmp_kpis, result["started"], t0, result["seconds"],
                             kept, planned)
        if outcome.status == "ok":
            outcome.fingerprint, outcome.reading = result["fingerprint"], result["reading"]
        return outcome
    finally:
        remove_temp()


_stopped: set[str] = set()  # on a worker: the runs stopped (their tasks still to come start nothing)


def stop_remote(run: str) -> None:
    """On every cluster worker (`Client.run`): the run `run` is stopped; kill its kernels (their tasks
    then end) and let none of its tasks start one after."""
    from .kernel import stop_kernels

    _stopped.add(run)
    stop_kernels(run)


def _check_workers(client: Any, address: str) -> None:
    """At least one worker, each with one thread: a report's kernel and database URL are per process."""
    from ..data.db import connect_timeout

    try:
        client.wait_for_workers(1, timeout=connect_timeout())
    except (TimeoutError, OSError):
        raise ClusterUnavailable(f"the Dask scheduler at {address} has no workers") from None
    threads = client.nthreads()
    if any(n != 1 for n in threads.values()):
        raise ClusterUnavailable(
            f"each Dask worker must run one thread (start them with `dask worker {address} --nthreads 1`): "
            f"{sorted(set(threads.values()))} threads seen"
        )


def run_on_cluster(
    jobs: Sequence[Job], ctx: RunContext, address: str, bundle: str,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Send every job to the scheduler at `address`; each result is written here as it arrives."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterUnavailable(
            "run --scheduler needs the distributed package: pip install 'conference-reports[dask]'"
        ) from None
    from ..data.db import connect_timeout

    export.use_bundle(bundle)
    export.warm_up()  # the host exports every page
    try:
        client = Client(address, timeout=connect_timeout())
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterUnavailable(f"no Dask scheduler answers at {address}: {exc}") from None
    outcomes: dict[str, Outcome] = {}
    futures: dict[Any, Job] = {}
    run = uuid.uuid4().hex[:12]  # two runs on one scheduler never share a task
    try:
        _check_workers(client, address)
        futures = {
            client.submit(execute_remote, job, ctx, inputs_of(job), run, pure=False,
                          key=f"report-{job.report}-{run}"): job
            for job in jobs
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                outcome = _written_here(job, future.result(), ctx.planned)
            except Exception as exc:  # the worker died, or could not import the package
                outcome = Outcome(job.report, "failed", now(), 0.0, kept=Path(job.html).is_file(),
                                  error=f"cluster worker failed: {type(exc).__name__}: {exc}")
            outcomes[job.report] = outcome
            on_done(outcome)
    except Interrupted as exc:  # SIGTERM/SIGINT: nothing new starts, the run's kernels are killed
        with contextlib.suppress(Exception):
            client.cancel(list(futures))
            client.run(stop_remote, run)
        exc.done = [outcomes[j.report] for j in jobs if j.report in outcomes]
        raise
    finally:
        client.close()
    return [outcomes[j.report] for j in jobs if j.report in outcomes]

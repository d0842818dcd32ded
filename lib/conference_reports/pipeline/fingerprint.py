"""What a report is made from, as one digest: a run whose digest for a report matches that report's
last good run has nothing new to show, and leaves it as it is ("unchanged").

A report's inputs: the values of the metrics it reads (computed here, on the host, as the kernel
would: aggregated in SQL, a fraction of a second per report), the params folder, the notebook, the
package's own source and templates and the versions of what renders it, the database it reads (as
the page names it), and, for an edition not yet over, the as-of day (its page counts days to the
start; its phase and forecast move every day). Once an edition is over nothing in it depends on the
day, so the fields that only restate the day are left out.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from .plan import Job

PACKAGES = ("vl-convert-python", "nbconvert", "papermill", "pandas", "typst")
# Fields that restate the as-of day, left out of an edition that is over.
DAY_FIELDS = {"edition_phase": ("as_of", "days_to_start"), "registration_pace": ("as_of",)}


def digest(payload: Any) -> str:
    """sha256 of `payload` as canonical JSON (decimals and dates as the reports write them)."""
    from ..serialize import jsonable

    text = json.dumps(jsonable(payload), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _filesdigest(paths: Sequence[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def sourcedigest() -> str:
    """The package's source and templates (an editable install keeps its version number whatever
    changes) and the versions of the libraries that render a page."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parents[1]
    files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return digest({"files": _filesdigest(files, root), "versions": versions})


def paramsdigest(folder: Path) -> str:
    """Every params file of the folder (series, targets and goals reach across editions)."""
    return _filesdigest([p for p in folder.glob("*.y*ml") if p.is_file()], folder) if folder.is_dir() else ""


def _stable(values: Mapping[str, Any], over: bool) -> dict[str, Any]:
    """The metric values, without the fields that only restate the day for an edition that is over."""
    if not over:
        return dict(values)
    out = dict(values)
    for name, fields in DAY_FIELDS.items():
        if isinstance(out.get(name), Mapping):
            out[name] = {k: v for k, v in out[name].items() if k not in fields}
    return out


def report_inputs(
    conn: Any, job: Job, conferences: Sequence[Any], params: Mapping[str, Any],
    planned: Collection[Path] = (),
) -> dict[str, Any]:
    """The data a report reads: its declared metrics (and, for a conference report, the previous
    edition's headline KPI values its change column shows), and whether the day matters."""
    from ..metrics import compute, phase
    from ..metrics.cross_event import lifetime_value_all_editions, series_editions
    from ..metrics.targets import kpi_values, stored_targets
    from ..reports import conference as conference_report
    from ..reports import cross_event as cross_event_report
    from ..reports import sponsors as sponsors_report

    by_slug = {c.slug: c for c in conferences}
    now = phase.as_of()
    rows = {c.slug: {**dataclasses.asdict(c), "zone": c.zone_label} for c in conferences}
    if job.kind == "cross-event":
        values: dict[str, Any] = {
            c.slug: compute(conn, c, [*cross_event_report.METRICS, "series_retention"], params=params[c.slug])
            for c in conferences
        }
        values["lifetime_value_all_editions"] = lifetime_value_all_editions(conn)
        over = all(now.astimezone(c.zone).date() > c.end_date for c in conferences)
        return {"values": values, "conferences": rows, "over": over}
    conference = by_slug[job.slug]
    mine = params[conference.slug]
    declared = conference_report.METRICS if job.kind == "conference" else sponsors_report.METRICS
    values = compute(conn, conference, declared, params=mine)
    values["stored_targets"] = stored_targets(conn, conference)
    earlier = series_editions(conn, conference, mine)
    if earlier:
        last = earlier[-1].slug
        values["previous"] = {**rows[last], "page": _previous_page(job, last, planned)}
        if job.kind == "conference":
            values["previous"]["kpis"] = kpi_values(conn, earlier[-1])
    over = now.astimezone(conference.zone).date() > conference.end_date
    return {"values": _stable(values, over), "conference": rows[conference.slug], "over": over}


def _previous_page(job: Job, slug: str, planned: Collection[Path]) -> bool:
    """Whether the page of the same kind of the previous edition is there or made in this run (the page
    links to it only then)."""
    from ..paths import safe_name
    from .export import in_run_or_present

    return in_run_or_present(Path(job.html).parent.parent / safe_name(slug) / Path(job.html).name, planned)


def fingerprints(
    url: str, jobs: Sequence[Job], conferences: Sequence[Any], params_folder: Path, source: str
) -> dict[str, str | None]:
    """report -> the digest of everything it is made from (see the module's docstring); None where its
    inputs cannot be read (it renders, and fails or not on its own)."""
    from ..data.db import connect
    from ..metrics import phase
    from ..params import load_all

    params = load_all(params_folder, [c.slug for c in conferences])
    shared = {"source": sourcedigest(), "params": paramsdigest(params_folder), "database": source}
    today = phase.as_of().date().isoformat()
    out: dict[str, str | None] = {}
    planned = {Path(j.html) for j in jobs}
    with connect(url) as conn:
        for job in jobs:
            try:
                inputs = report_inputs(conn, job, conferences, params, planned)
            except Exception:  # the report itself will say what is wrong; until then it always renders
                out[job.report] = None
                continue
            notebook = hashlib.sha256(Path(job.notebook).read_bytes()).hexdigest()
            out[job.report] = digest({
                **shared, "notebook": notebook, "parameters": job.parameters,
                **{k: v for k, v in inputs.items() if k != "over"}, "day": None if inputs["over"] else today,
            })
    return out


def unchanged(job: Job, digest: str | None, before: Mapping[str, Any] | None) -> bool:
    """Whether the report's last run was good, made from exactly these inputs, and is still in place."""
    if digest is None or not before or before.get("status") != "ok" or before.get("fingerprint") != digest:
        return False
    files = [job.html, job.ipynb, *([job.kpis] if job.kpis else [])]
    return all(Path(f).is_file() for f in files)

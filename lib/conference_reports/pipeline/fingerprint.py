"""What a report is made from, as one digest: a run whose digest for a report matches that report's
last good run has nothing new to show, and leaves it as it is ("unchanged").

A report's inputs: what it reads from the database (its module's `read`: the values of the metrics
it draws, aggregated in SQL, read once per run by the worker that makes the report and handed to the
kernel, so nothing is read twice), the params folder, the notebook, the package's own source and
templates and the versions of what renders it, the database it reads (as the page names it), and,
for an edition not yet over, the as-of day (its page counts days to the start; its phase and forecast
move every day). Once an edition is over nothing in it depends on the day, so the fields that only
restate the day are left out.
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


def shared_inputs(params_folder: Path, source: str, jobs: Sequence[Job] = ()) -> dict[str, Any]:
    """What every report of a run is made from: the package, the params folder, the database, and
    the notebooks (by kind), read here so a worker without the checkout can fingerprint too."""
    notebooks = {j.kind: hashlib.sha256(Path(j.notebook).read_bytes()).hexdigest() for j in jobs}
    return {"source": sourcedigest(), "params": paramsdigest(params_folder), "database": source,
            "notebooks": notebooks}


def read_report(conn: Any, job: Job) -> dict[str, Any]:
    """What the job's report reads from the database (its module's `read`, with the job's parameters),
    exactly as its kernel would read it."""
    from ..reports import conference, cross_event, sponsors

    p = job.parameters
    if job.kind == "conference":
        return conference.read(conn, p["conference"], p.get("params_dir"), p.get("target_overrides"))
    if job.kind == "sponsors":
        return sponsors.read(conn, p["conference"], p.get("params_dir"))
    return cross_event.read(conn, p.get("conferences"), p.get("params_dir"))


def fingerprint(
    job: Job, reading: Mapping[str, Any], shared: Mapping[str, Any], planned: Collection[Path] = ()
) -> str:
    """The digest of everything the report's page is made from (see the module's docstring): its
    reading, the conference rows it names, whether last year's page is there to link to, the notebook
    and its parameters, what every report shares, and the day while the edition is not over."""
    from ..data.conferences import find_conference
    from ..metrics import phase

    now = phase.as_of()
    conferences = reading["conferences"]
    rows = {c.slug: {**dataclasses.asdict(c), "zone": c.zone_label} for c in conferences}
    data = {k: v for k, v in reading.items() if k != "conferences"}
    if job.kind == "cross-event":
        over = all(now.astimezone(c.zone).date() > c.end_date for c in conferences)
        shown: dict[str, Any] = {"reading": data, "conferences": rows}
    else:
        conference = find_conference(conferences, reading["conference"])
        over = now.astimezone(conference.zone).date() > conference.end_date
        data["values"] = _stable(reading["values"], over)
        shown = {"reading": data, "conference": rows[conference.slug]}
        if reading.get("previous"):
            last = reading["previous"]
            shown["previous"] = {**rows[last], "page": _previous_page(job, last, planned)}
    common = {k: v for k, v in shared.items() if k != "notebooks"}
    return digest({**common, "notebook": shared["notebooks"][job.kind], "parameters": job.parameters,
                   **shown, "day": None if over else now.date().isoformat()})


def read_and_fingerprint(
    conn: Any, job: Job, shared: Mapping[str, Any], planned: Collection[Path] = (), read_as: Job | None = None
) -> tuple[dict[str, Any] | None, str | None]:
    """The report's reading and fingerprint; (None, None) when its inputs cannot be read: it renders
    anyway, reading the database itself, and fails or not on its own. `read_as`: the same job as a
    cluster worker holds it (its params in a folder of its own)."""
    try:
        reading = read_report(conn, read_as or job)
        return reading, fingerprint(job, reading, shared, planned)
    except Exception:  # the report itself will say what is wrong
        return None, None


def _previous_page(job: Job, slug: str, planned: Collection[Path]) -> bool:
    """Whether the page of the same kind of the previous edition is there or made in this run (the page
    links to it only then)."""
    from ..paths import safe_name
    from .export import in_run_or_present

    return in_run_or_present(Path(job.html).parent.parent / safe_name(slug) / Path(job.html).name, planned)


def last_good(job: Job, before: Mapping[str, Any] | None) -> str | None:
    """The fingerprint of the report's last run when that run was good and its files are still in
    place (a report whose new fingerprint matches it is left as it is); else None."""
    if not before or before.get("status") != "ok" or not before.get("fingerprint"):
        return None
    files = [job.html, job.ipynb, *([job.kpis] if job.kpis else [])]
    return before["fingerprint"] if all(Path(f).is_file() for f in files) else None

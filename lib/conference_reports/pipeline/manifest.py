"""<out>/reports.json, the last run of every report written to --out, and the index page made from it.

Both are rewritten under one lock (flock on <out>/.reports.lock), so runs into one --out lose no entries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import OutputUnwritable
from ..files import write_atomic
from ..paths import check_within
from .index_page import render_index
from .outcome import Outcome
from .plan import Job


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
    """reports.json: the last run of every report ever written to `out`, this run's entries updated
    (an unchanged report only says when it was checked); then index.html from it. Both under
    `manifest_lock`, so concurrent runs lose no entries."""
    path = out / "reports.json"
    checked = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    with manifest_lock(out):
        entries = read_entries(path)
        by_job = {j.report: j for j in jobs}
        for o in outcomes:
            before = entries.get(o.report, {})
            entry = dict(before) if o.unchanged and before else _entry(out, by_job[o.report], o, before)
            entry["checked_at"], entry["unchanged"] = checked, o.unchanged
            if not o.unchanged:
                entry["fingerprint"] = o.fingerprint if o.status == "ok" else None
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
        _write(out, path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _write(out, out / "index.html", render_index(out, manifest))
    return manifest


def read_entries(path: Path) -> dict[str, dict[str, Any]]:
    """The entries of an earlier reports.json by report; none when it is missing or unreadable."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        return {e["report"]: e for e in manifest.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _entry(out: Path, job: Job, o: Outcome, before: dict[str, Any]) -> dict[str, Any]:
    return {
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
            "tag": o.tag,
            "source": o.source,
            "error": o.error,
            "message": str(o.failure()),
            "failed_ipynb": os.path.relpath(o.failed_ipynb, out) if o.failed_ipynb else None,
        },
    }


def _write(out: Path, path: Path, text: str) -> None:
    """Atomically replace `path` (inside `out`); OutputUnwritable naming it when that fails."""
    check_within(out, path)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise OutputUnwritable(f"cannot write {path}: {exc.strerror or exc}") from None

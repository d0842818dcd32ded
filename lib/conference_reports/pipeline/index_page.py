"""<out>/index.html: every report with its status, when it ran, and the headline KPIs against targets;
the board packet (<out>/board-packet.pdf) with its last run (<out>/board-packet.json)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..charts import fmt, status_words
from ..charts.kpis import target_source_text
from ..paths import TEMPLATES_DIR
from ..reports.header import in_words

TEMPLATE = "index.html.j2"
PACKET_FILE = "board-packet.pdf"
PACKET_RECORD = "board-packet.json"


def when(stamp: object) -> str:
    """An ISO time stamp as the report headers write it ('1 December 2026, 21:09 UTC'); else as given."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is None:
        return str(stamp)
    return in_words(moment)


def read_packet_record(out: Path) -> dict[str, Any] | None:
    """The last run of the board packet (board-packet.json), None when there is none or it is unreadable."""
    try:
        record = json.loads((out / PACKET_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _packet(out: Path) -> dict[str, Any] | None:
    record = read_packet_record(out)
    if record is None:
        return None
    return {**record, "href": PACKET_FILE if (out / PACKET_FILE).is_file() else None}


def _kpis(out: Path, entry: dict[str, Any]) -> dict[str, Any] | None:
    rel = entry.get("kpis")
    if not rel:
        return None
    try:
        return json.loads((out / rel).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _kpi_rows(payload: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for r in (payload or {}).get("kpis") or []:
        unit = r.get("unit", "count")
        hib = r.get("higher_is_better", True)
        state = r.get("status") or "no target"
        words = status_words(hib)
        rows.append(
            {
                "label": r.get("label", r.get("key")),
                "value": "n/a" if state == "n/a" else fmt(r.get("value"), unit),
                "target": fmt(r.get("target"), unit) if r.get("target") is not None else None,
                "target_origin": target_source_text(r) or None,
                "status": state,
                "status_text": words.get(state, state),
            }
        )
    return rows


def _report(out: Path, entry: dict[str, Any]) -> dict[str, Any]:
    html = out / entry["html"]
    error = entry.get("error") or None
    return {
        **entry,
        "href": entry["html"] if html.is_file() else None,
        "ipynb_href": entry["ipynb"] if (out / entry["ipynb"]).is_file() else None,
        "failed_href": (error or {}).get("failed_ipynb") if error and (error.get("failed_ipynb")) else None,
        "error": error,
    }


def context(out: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """The template's data: conferences (newest first) with their reports and KPIs, the cross-event report."""
    conferences: dict[str, dict[str, Any]] = {}
    cross = None
    for entry in manifest.get("reports", []):
        report = _report(out, entry)
        if entry.get("kind") == "cross-event":
            cross = report
            continue
        slug = entry.get("slug") or "?"
        conf = conferences.setdefault(
            slug,
            {
                "slug": slug,
                "name": entry.get("name") or slug,
                "start_date": entry.get("start_date") or "",
                "reports": {},
                "kpis": [],
                "kpis_at": None,
                "kpi_notes": [],
                "outlook": [],
                "warnings": [],
                "quality_text": None,
            },
        )
        conf["reports"][entry["kind"]] = report
        if entry.get("kind") == "conference":
            payload = _kpis(out, entry)
            conf["kpis"] = _kpi_rows(payload)
            conf["kpis_at"] = (payload or {}).get("generated_at")
            conf["kpi_notes"] = (payload or {}).get("notes") or []
            conf["outlook"] = (payload or {}).get("outlook") or []
            conf["warnings"] = (payload or {}).get("outlook_warnings") or []
            conf["quality_text"] = (payload or {}).get("quality_text")
    entries = manifest.get("reports", [])
    failed = [e for e in entries if e.get("status") != "ok"]
    return {
        "generated_at": manifest.get("generated_at"),
        "source": manifest.get("source"),
        "conferences": sorted(conferences.values(), key=lambda c: (c["start_date"], c["slug"]), reverse=True),
        "cross_event": cross,
        "total": len(entries),
        "failed": [_report(out, e) for e in failed],
        "packet": _packet(out),
    }


def render_index(out: Path, manifest: dict[str, Any]) -> str:
    """The index page of `out` from its manifest (reports.json)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    return env.get_template(TEMPLATE).render(**context(out, manifest))


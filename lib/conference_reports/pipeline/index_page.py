"""<out>/index.html: every report with its status, when it ran, and the headline KPIs against targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..charts import fmt, status_words
from ..charts.kpis import ORIGIN_TEXT
from ..paths import TEMPLATES_DIR

TEMPLATE = "index.html.j2"


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
                "target_origin": ORIGIN_TEXT.get(r.get("target_origin") or ""),
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
            },
        )
        conf["reports"][entry["kind"]] = report
        if entry.get("kind") == "conference":
            payload = _kpis(out, entry)
            conf["kpis"] = _kpi_rows(payload)
            conf["kpis_at"] = (payload or {}).get("generated_at")
            conf["kpi_notes"] = (payload or {}).get("notes") or []
    entries = manifest.get("reports", [])
    failed = [e for e in entries if e.get("status") != "ok"]
    return {
        "generated_at": manifest.get("generated_at"),
        "source": manifest.get("source"),
        "conferences": sorted(conferences.values(), key=lambda c: (c["start_date"], c["slug"]), reverse=True),
        "cross_event": cross,
        "total": len(entries),
        "failed": [_report(out, e) for e in failed],
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
    return env.get_template(TEMPLATE).render(**context(out, manifest))


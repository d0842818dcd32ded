"""The headline KPIs: the scorecard table, the scorecard bullets and one KPI's bullet."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from .formats import fmt, num, status_words
from .primitives import NO_DATA, bullets, no_data
from .theme import MET, MISSED, MUTED

# Where a target came from, in the words the scorecard prints under it.
ORIGIN_TEXT = {
    "params": "from params",
    "database": "from the database",
    "default": "django-program's default",
    "budgets": "the budgets",
}


def target_source_text(record: Mapping[str, Any]) -> str:
    """Under a KPI's target: where it comes from, or which income has no budget when a budget target is
    missing for that reason; "" otherwise."""
    if record.get("target") is None:
        streams = record.get("unbudgeted") or []
        return f"no budget for {' and '.join(streams)}" if streams else ""
    return ORIGIN_TEXT.get(record.get("target_origin") or "", "")


def _change_text(value: Any, previous: Any, unit: str) -> str:
    v, p = num(value), num(previous)
    if v is None or p is None:
        return "—"
    delta = v - p
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if unit == "money":
        return f"{sign}${abs(delta):,.2f}"
    if unit == "percent":
        return f"{sign}{abs(delta):,.1f} pts"
    return f"{sign}{abs(delta):,.0f}"


def scorecard_rows(
    kpis: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """KPI records joined with the previous edition's values: value, target, status, change.

    A previous row may carry `now`, this edition's figure comparable with it (the same figure at the
    same days out); the change is then `now` - `value` rather than this KPI's value - `value`.
    """
    before = {r["key"]: r.get("value") for r in previous or ()}
    now = {r["key"]: r["now"] for r in previous or () if "now" in r}
    rows = []
    for r in kpis:
        words = status_words(r.get("higher_is_better", True))
        rows.append(
            {
                **r,
                "status_text": words.get(r.get("status", "no target"), r.get("status")),
                "previous": before.get(r["key"]),
                "change": _change_text(now.get(r["key"], r.get("value")), before.get(r["key"]),
                                       r.get("unit", "count"))
                if previous is not None
                else "—",
            }
        )
    return rows


def scorecard_table(
    kpis: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] | None = None,
    previous_name: str | None = None,
) -> Any:
    """The headline table: KPI, value, target, met/missed, change against the previous edition."""
    from IPython.display import HTML

    rows = scorecard_rows(kpis, previous)
    if not rows:
        return HTML(f'<p style="color:{MUTED};font-style:italic">{NO_DATA}</p>')
    change_title = f"Change vs {previous_name}" if previous_name else "Change vs previous year"
    style = "border-bottom:1px solid #d9e2ec;padding:5px 12px;"
    titles = ("KPI", "Value", "Target", "Against target", change_title)
    aligns = ("left", "right", "right", "left", "right")
    out = [
        '<table class="cr-table cr-scorecard" style="border-collapse:collapse;font-size:14px;margin:8px 0">'
        "<thead><tr>"
        + "".join(f'<th style="{style}text-align:{a}">{html.escape(t)}</th>'
                  for t, a in zip(titles, aligns, strict=True))
        + "</tr></thead><tbody>"
    ]

    def cell(column: int, content: str, extra: str = "", attrs: str = "") -> str:
        """One cell; data-label names its column where a narrow screen stacks a row's cells."""
        return (f'<td data-label="{html.escape(titles[column])}"{attrs} '
                f'style="{style}text-align:{aligns[column]};{extra}"><div>{content}</div></td>')

    for r in rows:
        unit, state = r.get("unit", "count"), r.get("status", "no target")
        colour = {"met": MET, "missed": MISSED}.get(state, MUTED)
        mark = {"met": "✓ ", "missed": "✗ "}.get(state, "")
        target = fmt(r.get("target"), unit) if r.get("target") is not None else "none set"
        origin = target_source_text(r)
        note = f'<div style="color:{MUTED};font-size:11px">{html.escape(origin)}</div>' if origin else ""
        value = "n/a" if state == "n/a" else fmt(r.get("value"), unit)
        out.append(
            "<tr>"
            + cell(0, html.escape(r["label"]))
            + cell(1, value, "font-weight:600")
            + cell(2, html.escape(target) + note)
            + cell(3, f"{mark}{html.escape(r['status_text'])}", f"color:{colour};font-weight:600",
                   f' class="cr-{state.replace(" ", "-")}"')
            + cell(4, html.escape(r["change"]))
            + "</tr>"
        )
    if previous is None:
        out.append(
            f'<tr><td colspan="5" style="{style}color:{MUTED};font-style:italic">'
            "No earlier edition of this series in the database: no change to show.</td></tr>"
        )
    out.append("</tbody></table>")
    return HTML("".join(out))


def kpi_scorecard(
    kpis: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] | None = None,
    previous_name: str | None = None,
) -> Any:
    """The headline KPIs as bullet charts against their targets."""
    rows = []
    for r in scorecard_rows(kpis, previous):
        hib = r.get("higher_is_better", True)
        note = (
            f"{r['change']} vs {previous_name or 'last year'}"
            if previous is not None and r["change"] != "—"
            else None
        )
        # lower is better: the target is a limit, kept within (the refunds section calls it so too)
        bound = "Target" if hib else "Limit"
        rows.append({**r, "note": note, "words": status_words(hib), "target_label": bound})
    return bullets(
        rows,
        title="Headline KPIs against targets",
        subtitle="Colour and words say whether each target is met; dashed line = target or limit.",
    )


def kpi_bullet(record: Mapping[str, Any] | None, title: str | None = None) -> Any:
    """One KPI record {label, value, target, status, unit, higher_is_better} as a bullet chart."""
    if not record:
        return no_data(title or "KPI")
    hib = record.get("higher_is_better", True)
    return bullets([{**record, "words": status_words(hib)}], title=title or record["label"])

"""HTML tables and headings shown between the charts (IPython display objects)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from .formats import fmt, num
from .primitives import NO_DATA
from .theme import MET, MISSED, MUTED


def html_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str, str]], *, empty: str = NO_DATA
) -> Any:
    """An HTML table (IPython display object): columns are (key, heading, kind).

    kind: text, count, money, percent, decimal (2 places), auto (the row's `unit`), or status
    (met/missed as words with colour; a `<key>_text` column may give the words).
    """
    from IPython.display import HTML

    if not rows:
        return HTML(f'<p class="cr-note" style="color:{MUTED};font-style:italic">{html.escape(empty)}</p>')
    style_cell = "border-bottom:1px solid #d9e2ec;padding:4px 10px;"
    head = "".join(
        f'<th style="{style_cell}text-align:{"left" if kind in ("text", "status") else "right"}">'
        f"{html.escape(title)}</th>"
        for _, title, kind in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _, kind in columns:
            value = row.get(key)
            if kind == "status":
                state = str(value or "no target")
                css = {"met": "cr-met", "missed": "cr-missed"}.get(state, "cr-none")
                colour = {"met": MET, "missed": MISSED}.get(state, MUTED)
                mark = {"met": "✓ ", "missed": "✗ "}.get(state, "")
                word = row.get(f"{key}_text") or state
                cells.append(
                    f'<td class="{css}" style="{style_cell}text-align:left;color:{colour};font-weight:600">'
                    f"{mark}{html.escape(str(word))}</td>"
                )
            elif kind == "text":
                text = html.escape("" if value is None else str(value))
                cells.append(f'<td style="{style_cell}text-align:left">{text}</td>')
            else:
                if kind == "decimal":
                    shown = "—" if num(value) is None else f"{num(value):,.2f}"
                else:
                    shown = fmt(value, row.get("unit", "count") if kind == "auto" else kind)
                cells.append(
                    f'<td class="num" style="{style_cell}text-align:right">{html.escape(shown)}</td>'
                )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return HTML(
        f'<table class="cr-table" style="border-collapse:collapse;font-size:13px;margin:8px 0 16px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def section_heading(text: str) -> Any:
    """A small heading between charts and tables of one section."""
    from IPython.display import HTML

    return HTML(f'<h4 style="margin:16px 0 4px">{html.escape(text)}</h4>')

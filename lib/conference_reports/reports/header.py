"""The header every report page opens with: title, generation time, data source, parameters, notes."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any

# The header's own look, so it reads the same in JupyterLab and in the exported page.
STYLE = (
    "<style>.cr-header h1{margin-bottom:4px}"
    ".cr-meta{color:#52606d;font-size:13px}.cr-meta code{font-size:12px}"
    ".cr-params ul{margin-top:4px}.cr-note{color:#52606d;font-style:italic}"
    # on paper the parameters run on as one paragraph, so the scorecard still fits on page 1
    "@media print{.cr-header h1{margin-top:0}.cr-params ul{padding:0;margin:2px 0}"
    ".cr-params li{display:inline;margin-right:12px}.cr-params summary{display:none}}</style>"
)


def in_words(moment: dt.datetime) -> str:
    """A time as people write it: '1 December 2026, 21:09 UTC'."""
    zone = moment.tzname() or ""
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone}".strip()


def header_html(
    title: str,
    generated_at: dt.datetime,
    source: str,
    parameters: Mapping[str, Any],
    notes: Sequence[str] = (),
) -> str:
    """The header as one HTML fragment (every value escaped)."""
    meta = f"Generated {in_words(generated_at)} · data source <code>{html.escape(source)}</code>"
    rows = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(str(v))}</li>" for k, v in parameters.items())
    notes_html = "".join(f'<p class="cr-note">{html.escape(n)}</p>' for n in notes)
    return (
        f'{STYLE}<div class="cr-header"><h1>{html.escape(title)}</h1><p class="cr-meta">{meta}</p>'
        f'<details class="cr-params" open><summary class="cr-meta">Parameters</summary>'
        f'<ul class="cr-meta">{rows}</ul></details>{notes_html}</div>'
    )

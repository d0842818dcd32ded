"""Offline chart rendering in the kernel (report mode): each Altair chart as a div and a vegaEmbed call.

The id of each chart is a hash of its spec (deterministic, so nbval and diffs stay quiet). The
libraries themselves are inlined once per page when the pipeline exports the notebook to HTML, with
`crEmbedOptions` and `crFitChart` (the page template's): titles break into lines that fit the chart's
box and, once drawn, plots narrow to fit it, so a phone gets charts with legible text instead of a
scaled-down picture.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

RENDERER = "conference_reports_offline"
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}

_seen: dict[str, int] = {}


def chart_id(spec: dict[str, Any]) -> str:
    """A DOM id from the spec's content; repeats of one spec get -2, -3, ... in display order."""
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:12]
    _seen[digest] = _seen.get(digest, 0) + 1
    return f"vl-{digest}-{_seen[digest]}"


def offline_html(spec: dict[str, Any], **_meta: Any) -> dict[str, str]:
    """Altair renderer: a div and a vegaEmbed call; the libraries come from the page template."""
    div = chart_id(spec)
    payload = json.dumps(spec, sort_keys=True, default=str).replace("</", "<\\/")
    options = json.dumps(EMBED_OPTIONS)
    title = spec.get("title")
    label = title.get("text") if isinstance(title, dict) else title
    plain = f"<chart: {label}>" if isinstance(label, str) else "<chart>"
    script = (
        f'<div id="{div}" class="cr-chart" data-chart="vega-lite"></div>'
        "<script>(function(){"
        f'var el=document.getElementById("{div}");'
        'if(typeof vegaEmbed!=="function"){el.textContent="Chart library missing from this page.";return;}'
        f"var o={options};"
        'if(typeof crEmbedOptions==="function")o=crEmbedOptions(el,o);'
        f"vegaEmbed(el,{payload},o).then(function(r){{"
        'if(typeof crFitChart==="function")return crFitChart(el,r).catch(function(e){console.error(e);});'
        '},function(e){el.textContent="Chart failed to draw: "+e;console.error(e);});'
        "})();</script>"
    )
    return {"text/html": script, "text/plain": html.escape(plain)}


def use_offline_renderer() -> None:
    """Register and enable the offline renderer (report mode)."""
    import altair as alt

    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, offline_html)
    alt.renderers.enable(RENDERER)

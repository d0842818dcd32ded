"""Offline chart rendering in the kernel: each chart as a div and a vegaEmbed call, no CDN.

Two modes, one shape. Report mode (`use_offline_renderer`): the libraries are inlined once per page
when the pipeline exports the notebook to HTML, with `crEmbedOptions` and `crFitChart` (the page
template's): titles break into lines that fit the chart's box and, once drawn, plots narrow to fit
it, so a phone gets charts with legible text instead of a scaled-down picture. Interactive mode
(`use_interactive_renderer`, JupyterLab's default): the same libraries (`chart_libraries`, from the
Python environment) are shown once per notebook, in the output of the cell that reads the report,
and each chart waits for them; JupyterLab 4.6's own renderer knows Vega-Lite 3-5 only, and Altair's
fallback for 6 loads Vega from a CDN. Tooltips and zoom are the spec's and vega-embed's, as in the
HTML; interactive charts also get vega-embed's export menu (PNG/SVG, made in the browser).

The id of each chart is a hash of its spec (deterministic, so nbval and diffs stay quiet).
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

INTERACTIVE_RENDERER = "conference_reports_interactive"
EMBED_OPTIONS: dict[str, Any] = {"actions": False, "renderer": "svg"}
INTERACTIVE_OPTIONS: dict[str, Any] = {
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
    "renderer": "svg",
}

_seen: dict[str, int] = {}
_NOT_SHOWN = object()
_libraries_cell: object = _NOT_SHOWN  # (cell id, execution request id) that showed the libraries


def chart_id(spec: dict[str, Any]) -> str:
    """A DOM id from the spec's content; repeats of one spec get -2, -3, ... in display order."""
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:12]
    _seen[digest] = _seen.get(digest, 0) + 1
    return f"vl-{digest}-{_seen[digest]}"


def _chart_html(spec: dict[str, Any], options: dict[str, Any], wait: bool) -> dict[str, str]:
    """A div and the script drawing `spec` into it; `wait`: poll for the libraries for up to 10 s."""
    div = chart_id(spec)
    # "<" as its JSON escape: no text from the database can end or comment out the script
    payload = json.dumps(spec, sort_keys=True, default=str).replace("<", "\\u003c")
    title = spec.get("title")
    label = title.get("text") if isinstance(title, dict) else title
    plain = f"<chart: {label}>" if isinstance(label, str) else "<chart>"
    if wait:
        missing = (
            'if(typeof vegaEmbed!=="function"){if(++tries<200){setTimeout(draw,50);return;}'
            'el.textContent="Chart library missing from this page: run the cell that reads the report'
            ' again.";return;}'
        )
    else:
        missing = (
            'if(typeof vegaEmbed!=="function"){'
            'el.textContent="Chart library missing from this page.";return;}'
        )
    script = (
        f'<div id="{div}" class="cr-chart" data-chart="vega-lite"></div>'
        "<script>(function(){"
        f'var el=document.getElementById("{div}"),tries=0;'
        "function draw(){"
        f"{missing}"
        f"var o={json.dumps(options)};"
        'if(typeof crEmbedOptions==="function")o=crEmbedOptions(el,o);'
        f"vegaEmbed(el,{payload},o).then(function(r){{"
        'if(typeof crFitChart==="function")return crFitChart(el,r).catch(function(e){console.error(e);});'
        '},function(e){el.textContent="Chart failed to draw: "+e;console.error(e);});'
        "}draw();})();</script>"
    )
    return {"text/html": script, "text/plain": html.escape(plain)}


def offline_html(spec: dict[str, Any], **_meta: Any) -> dict[str, str]:
    """Report mode's renderer: a div and a vegaEmbed call; the page template has the libraries."""
    return _chart_html(spec, EMBED_OPTIONS, wait=False)


def interactive_html(spec: dict[str, Any], **_meta: Any) -> dict[str, str]:
    """Interactive mode's renderer: as `offline_html`, waiting for `libraries_html`'s script."""
    return _chart_html(spec, INTERACTIVE_OPTIONS, wait=True)


def libraries_html(bundle: str) -> str:
    """`bundle` as one script in its own scope (so running it again on a page is harmless), run once
    per page: it sets the globals vegaEmbed, vega and vegaLite."""
    key = json.dumps(hashlib.sha1(bundle.encode()).hexdigest()[:12])
    return (
        f'<script data-cr-libraries={key}>if(window.crVegaLibraries!=={key}){{(function(){{\n'
        f"{bundle}\n}})();window.crVegaLibraries={key};}}</script>"
    )


def _kernel() -> Any:
    """The running Jupyter kernel, or None (plain Python or a terminal IPython: no page to draw on)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return getattr(get_ipython(), "kernel", None)


def _running(kernel: Any) -> tuple[str | None, str | None]:
    """(the id of the notebook cell running now as JupyterLab sends it, the id of this execution
    request); None where unknown."""
    try:
        parent = kernel.get_parent()
        cell = (parent.get("metadata") or {}).get("cellId")
        request = (parent.get("header") or {}).get("msg_id")
    except Exception:  # an older kernel: once per kernel then
        return None, None
    return (cell if isinstance(cell, str) else None), (request if isinstance(request, str) else None)


def show_libraries() -> bool:
    """Show the chart libraries in the running cell's output once per notebook: the first time in this
    kernel, and again when the cell that showed them runs again (its new output replaces the old one),
    never twice in one execution (a loop making several reports). True when shown."""
    global _libraries_cell
    kernel = _kernel()
    if kernel is None:
        return False
    cell, request = _running(kernel)
    if _libraries_cell is not _NOT_SHOWN:
        shown_cell, shown_request = _libraries_cell  # type: ignore[misc]
        if cell is None or cell != shown_cell or request == shown_request:
            return False
    from IPython.display import display

    from ..chart_libraries import cached_bundle

    plain = "(chart libraries: Vega, Vega-Lite, Vega-Embed)"
    display({"text/html": libraries_html(cached_bundle()), "text/plain": plain}, raw=True)
    _libraries_cell = (cell, request)
    return True


def render(spec: dict[str, Any]) -> dict[str, str]:
    """The MIME bundle drawing `spec` in the current mode (report mode until told otherwise)."""
    return _mode(spec)


_mode = offline_html


def _use(renderer: Any, altair_name: str | None = None) -> None:
    """`renderer` for the suite's charts and, when named, for Altair's (registered under that name)."""
    global _mode
    from ..charts import vegalite

    _mode = renderer
    vegalite.set_renderer(renderer)
    if altair_name is not None:
        import altair as alt

        if altair_name not in alt.renderers.names():
            alt.renderers.register(altair_name, renderer)
        alt.renderers.enable(altair_name)


def use_offline_renderer() -> None:
    """Report mode: charts as a div and a vegaEmbed call; the exported page carries the libraries.
    Altair is not loaded (a report draws only the suite's charts)."""
    _use(offline_html)


def use_interactive_renderer() -> None:
    """Show the libraries (once per notebook) and draw every chart with them, Altair's too (JupyterLab)."""
    show_libraries()
    _use(interactive_html, INTERACTIVE_RENDERER)

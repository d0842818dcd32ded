"""The one-file HTML export of an executed report notebook (the host side).

The charts in it were rendered by `reports.offline` in the kernel: a `<div>` and a `vegaEmbed`
call each. The Vega, Vega-Lite and Vega-Embed libraries are inlined once per page by the
`conference_report` nbconvert template, which also drops require.js, MathJax, mermaid and widget
scripts: the page fetches nothing.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from ..files import write_atomic
from ..paths import TEMPLATES_DIR

TEMPLATE = "conference_report"
NBCONVERT_TEMPLATES = TEMPLATES_DIR / "nbconvert"

_bundle: str | None = None  # this process's copy (workers get the batch's at start)


def vega_lite_version() -> str:
    """'v6_4' for Altair's Vega-Lite schema v6.4.x, as vl-convert names bundles."""
    import altair as alt

    return "_".join(alt.SCHEMA_VERSION.split(".")[:2])


def bundle_cache_path() -> Path:
    """Where the built bundle is kept between runs ($XDG_CACHE_HOME/conference-reports/...)."""
    import vl_convert as vlc

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "conference-reports" / f"vega-bundle-{vlc.__version__}-{vega_lite_version()}.js"


def use_bundle(bundle: str) -> None:
    """Use `bundle` in this process (a worker gets the one its batch built)."""
    global _bundle
    _bundle = bundle


def vega_bundle() -> str:
    """Vega + Vega-Lite + Vega-Embed as one script (about 0.9 MB; 2-4 s to build, so cached on disk)."""
    global _bundle
    if _bundle is None:
        _bundle = _cached_bundle()
    return _bundle


def _cached_bundle() -> str:
    import vl_convert as vlc

    cache = bundle_cache_path()
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle(vl_version=vega_lite_version()).replace("</script", "<\\/script")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, bundle)
    except OSError:
        pass  # an unwritable cache only costs the rebuild next time
    return bundle


def _drop_stderr(nb: Any) -> Any:
    """Warnings on stderr belong in the executed notebook (the log), not in the report page."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    return nb


def export_html(nb: Any, *, title: str, bundle: str | None = None) -> str:
    """The executed notebook as one self-contained HTML page: no code, no parameter cells."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.extra_template_basedirs = [str(NBCONVERT_TEMPLATES)]
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ["injected-parameters", "parameters"]
    exporter = HTMLExporter(config=config, template_name=TEMPLATE)
    resources = {"vega_bundle": bundle if bundle is not None else vega_bundle(), "metadata": {"name": title}}
    body, _ = exporter.from_notebook_node(_drop_stderr(copy.deepcopy(nb)), resources=resources)
    return body


def export(executed: Path, html: Path, *, title: str) -> None:
    """Write the executed notebook at `executed` as the page `html`."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    html.write_text(export_html(nb, title=title), encoding="utf-8")

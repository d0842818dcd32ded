"""The one-file HTML export of an executed report notebook (the host side).

The charts in it were rendered by `reports.offline` in the kernel: a `<div>` and a `vegaEmbed`
call each. The Vega, Vega-Lite and Vega-Embed libraries are inlined once per page by the
`conference_report` nbconvert template, which also drops require.js, MathJax, mermaid and widget
scripts: the page fetches nothing.

The template also gets the page's navigation as resources: `report_links` (the index, the sibling
report of the same edition, the previous edition's report of the same kind) and `report_toc` (the
page's h2 headings, shown before the first of them). Every link is relative and stays inside the
output folder.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import os
import re
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..chart_libraries import bundle_cache_path, vega_lite_version  # noqa: F401 (re-exported)
from ..chart_libraries import cached_bundle as _cached_bundle
from ..paths import TEMPLATES_DIR, safe_name, within
from .plan import NOTEBOOK_FILES

TEMPLATE = "conference_report"
NBCONVERT_TEMPLATES = TEMPLATES_DIR / "nbconvert"

_bundle: str | None = None  # this process's copy (workers get the batch's at start)


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


@dataclass(frozen=True)
class Link:
    """A link the page shows: `href` relative to the page, always inside the output folder."""

    href: str
    text: str
    rel: str | None = None  # "index", "prev" (the previous edition)


@dataclass(frozen=True)
class Heading:
    """An h2 of the page, with the id nbconvert gives it."""

    id: str
    text: str


PAGE_NAMES = {"conference": "conference.html", "sponsors": "sponsors.html", "cross-event": "cross-event.html"}
_SIBLING = {"conference": ("sponsors", "Sponsor report"), "sponsors": ("conference", "Conference report")}


def _papermill(nb: Any) -> dict[str, Any]:
    meta = nb.get("metadata", {}).get("papermill") or {}
    return meta if isinstance(meta, dict) else {}


def report_kind(nb: Any) -> str | None:
    """conference | sponsors | cross-event, from the notebook papermill ran (None: not a pipeline run)."""
    source = Path(str(_papermill(nb).get("input_path") or "")).name
    return next((kind for kind, name in NOTEBOOK_FILES.items() if name == source), None)


EDITION_METADATA = "conference_reports"  # reports.sponsors.EDITION_METADATA (no kernel-side import here)


def _recorded_previous(nb: Any) -> Any:
    """The previous edition a report recorded in an output's metadata (the sponsor report's header)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            recorded = (output.get("metadata") or {}).get(EDITION_METADATA)
            if isinstance(recorded, dict) and "previous" in recorded:
                return recorded["previous"]
    return None


def _previous_edition(nb: Any) -> dict[str, Any] | None:
    """The previous edition ({"slug", "name"}) the report compared with: the conference report's
    kpis.json, the sponsor report's header output metadata."""
    if report_kind(nb) == "sponsors":
        previous = _recorded_previous(nb)
    else:
        path = (_papermill(nb).get("parameters") or {}).get("kpis_path")
        if not path:
            return None
        try:
            previous = json.loads(Path(path).read_text(encoding="utf-8")).get("previous")
        except (OSError, ValueError, AttributeError):
            return None
    return previous if isinstance(previous, dict) and isinstance(previous.get("slug"), str) else None


def in_run_or_present(page: Path, planned: Collection[Path] = ()) -> bool:
    """The page exists, or its report is made in this run (`planned`, the run's pages)."""
    return page in planned or page.is_file()


def page_links(nb: Any, html: Path, planned: Collection[Path] = ()) -> list[Link]:
    """What a report page links to, from the executed notebook and where the page is written (`html`
    may be the temp file beside the page): the index; a conference report's sponsor report and back
    (the plan always makes both); the previous edition's report of the same kind (conference or
    sponsors) when it exists or is part of the run. Nothing outside the output folder."""
    kind = report_kind(nb)
    if kind is None:
        return []
    here = Path(os.path.abspath(html)).parent
    out = here if kind == "cross-event" else here.parent
    links = [Link(os.path.relpath(out / "index.html", here), "All reports", "index")]
    if kind in _SIBLING:
        other, text = _SIBLING[kind]
        links.append(Link(PAGE_NAMES[other], text))
    previous = _previous_edition(nb) if kind in _SIBLING else None
    if previous is not None:
        page = out / safe_name(previous["slug"]) / PAGE_NAMES[kind]
        if in_run_or_present(page, planned):
            name = previous.get("name") or previous["slug"]
            what = " sponsor report" if kind == "sponsors" else ""
            links.append(Link(os.path.relpath(page, here), f"Previous edition: {name}{what}", "prev"))
    return [link for link in links if within(out, os.path.normpath(here / link.href))]


_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.S)
_TAG = re.compile(r"<[^>]+>")


def headings(nb: Any) -> list[tuple[int, Heading]]:
    """Each markdown cell's h2 headings (cell index, heading), with the ids nbconvert renders."""
    import html as html_lib

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    found = []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "markdown" or "#" not in cell.get("source", ""):
            continue
        for ident, inner in _H2.findall(markdown2html_mistune(cell.source)):
            text = html_lib.unescape(_TAG.sub("", inner)).strip()
            found.append((i, Heading(html_lib.unescape(ident), text)))
    return found


def _with_toc(nb: Any) -> list[Heading]:
    """The page's contents: its h2 headings; the first cell holding one is marked to show them before it."""
    found = headings(nb)
    if len(found) >= 2:  # a table of contents of one entry is noise
        nb.cells[found[0][0]].metadata["report_toc"] = True
        return [h for _, h in found]
    return []


@functools.cache
def _exporter() -> Any:
    """One HTML exporter per process: nbconvert compiles its templates once, not for every page."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.extra_template_basedirs = [str(NBCONVERT_TEMPLATES)]
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.Exporter.optimistic_validation = True  # validate once, not after each of a dozen preprocessors
    # "analyst" cells say how to explore in JupyterLab: not for the published page
    config.TagRemovePreprocessor.remove_cell_tags = ["injected-parameters", "parameters", "analyst"]
    return HTMLExporter(config=config, template_name=TEMPLATE)


_warming: threading.Thread | None = None


def warm_up() -> None:
    """Load nbconvert and compile the page template in a background thread, once per process: a
    worker starts it with its first kernel, which runs meanwhile, so no page waits for it."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=_warm, name="cr-export-warm-up", daemon=True)
        _warming.start()


def _warm() -> None:
    with contextlib.suppress(Exception):  # the real export says what is wrong
        import nbformat

        _exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={  # the template compiles
            "vega_bundle": "", "metadata": {"name": ""}, "report_links": [], "report_toc": []})


def export_html(
    nb: Any, *, title: str, bundle: str | None = None, links: Sequence[Link] = (), in_place: bool = False
) -> str:
    """The executed notebook as one self-contained HTML page: no code, no parameter cells; `links`
    (see `page_links`) and a table of contents of its h2 headings at the top. `nb` is left as it is,
    unless `in_place` (stderr dropped, contents marked; spares copying a notebook nobody reads after)."""
    if _warming is not None and _warming is not threading.current_thread():
        _warming.join()
    page = _drop_stderr(nb if in_place else copy.deepcopy(nb))
    resources = {
        "vega_bundle": bundle if bundle is not None else vega_bundle(),
        "metadata": {"name": title},
        "report_links": list(links),
        "report_toc": _with_toc(page),
    }
    body, _ = _exporter().from_notebook_node(page, resources=resources)
    return body


def export(
    executed: Path, html: Path, *, title: str, links: Sequence[Link] | None = None,
    planned: Collection[Path] = (),
) -> None:
    """Write the executed notebook at `executed` as the page `html`; `links` default to `page_links`
    (`planned`: the pages this run makes)."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    shown = page_links(nb, html, planned) if links is None else links
    html.write_text(export_html(nb, title=title, links=shown, in_place=True), encoding="utf-8")

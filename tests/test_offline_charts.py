"""Interactive mode (the notebooks' default, JupyterLab's) draws charts with no network: the chart
libraries come from the Python environment, once per notebook, never from a CDN.

Each notebook runs with its defaults in the suite's kernel; its outputs must name no CDN and load no
remote script, hold the libraries once, and draw every chart in headless Chromium with every host
unresolvable when exported with nbconvert's plain lab template (which brings no Vega of its own: only
the notebook's outputs can draw them).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CDN = re.compile(r"jsdelivr|unpkg|cdnjs|esm\.sh|skypack|jspm|cdn\.", re.I)
REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", re.I)


NOTEBOOKS = ("cross_event", "sponsors", "conference")


@pytest.fixture(scope="module", params=NOTEBOOKS)
def executed(request: pytest.FixtureRequest, fixture_db: Path,
             tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(str(ROOT / "notebooks" / f"{request.param}.ipynb"), as_version=4)
    work = tmp_path_factory.mktemp("offline")
    old = os.environ.get("CONFERENCE_REPORTS_DB")
    os.environ["CONFERENCE_REPORTS_DB"] = str(fixture_db)  # the kernel inherits it
    try:
        NotebookClient(nb, kernel_name="conference-reports", timeout=120,
                       resources={"metadata": {"path": str(work)}}).execute()
    finally:
        if old is None:
            os.environ.pop("CONFERENCE_REPORTS_DB", None)
        else:
            os.environ["CONFERENCE_REPORTS_DB"] = old
    return nb


def _html_outputs(nb: nbformat.NotebookNode) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]


def test_outputs_name_no_cdn_and_hold_the_libraries_once(executed: nbformat.NotebookNode) -> None:
    text = json.dumps(executed)
    assert not CDN.search(text), CDN.search(text).group(0)
    html = _html_outputs(executed)
    assert not any(REMOTE_SCRIPT.search(h) for h in html)
    assert sum(h.count("data-cr-libraries") for h in html) == 1
    assert sum(h.count("window.vegaEmbed=") for h in html) == 1  # the bundle's own global, once
    setup = next(c for c in executed.cells if "setup" in c.metadata.get("tags", []))
    assert any("data-cr-libraries" in o.get("data", {}).get("text/html", "") for o in setup.outputs)
    assert sum(h.count('class="cr-chart"') for h in html) >= 4
    assert len(text) < 1_600_000  # the ~0.9 MB library once, and the charts' data


def test_every_chart_draws_offline_in_chromium(executed: nbformat.NotebookNode, tmp_path: Path) -> None:
    from nbconvert import HTMLExporter

    from test_browser import Dom, chromium, dump_dom

    browser = chromium()
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(executed)
    assert "vegaEmbed=" in body  # from the outputs only: the lab template brings no Vega
    page = tmp_path / "notebook.html"
    page.write_text(body, encoding="utf-8")
    parsed = Dom()
    parsed.feed(dump_dom(browser, [page])[page])
    assert len(parsed.charts) == sum(h.count('class="cr-chart"') for h in _html_outputs(executed))
    undrawn = {c: parsed.chart_text.get(c, "") for c, tags in parsed.charts.items()
               if not tags & {"svg", "canvas"}}
    assert not undrawn, undrawn


class _Kernel:
    def __init__(self) -> None:
        self.parent: dict = {}

    def get_parent(self) -> dict:
        return self.parent


def test_libraries_show_once_per_execution_and_again_when_their_cell_reruns(monkeypatch) -> None:
    from IPython import display as ipd

    from conference_reports.reports import offline

    kernel, shown = _Kernel(), []
    monkeypatch.setattr(offline, "_kernel", lambda: kernel)
    monkeypatch.setattr(offline, "_libraries_cell", offline._NOT_SHOWN)
    monkeypatch.setattr("conference_reports.chart_libraries.cached_bundle", lambda: "/* bundle */")
    monkeypatch.setattr(ipd, "display", lambda *a, **k: shown.append(a))

    def run(cell: str, request: str) -> bool:
        kernel.parent = {"metadata": {"cellId": cell}, "header": {"msg_id": request}}
        return offline.show_libraries()

    assert run("setup", "m1") is True
    assert run("setup", "m1") is False  # a loop making several reports in one execution
    assert run("other", "m2") is False  # another cell: the page has them already
    assert run("setup", "m3") is True  # the setup cell again: its old output (the libraries) is gone
    assert len(shown) == 2


def test_no_database_text_can_end_the_chart_script() -> None:
    from conference_reports.reports import offline

    html = offline.offline_html({"title": "Acme <!--<script></script>", "mark": "bar"})["text/html"]
    script = html.split("<script>", 1)[1]
    assert "<!--" not in script and script.count("</script>") == 1
    assert json.loads(script.split("vegaEmbed(el,", 1)[1].split(",o)", 1)[0])["title"].startswith("Acme <!--")

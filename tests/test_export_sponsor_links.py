"""The sponsor report links to the previous edition's sponsor report, recorded in its header output."""

from __future__ import annotations

from pathlib import Path

import nbformat

from conference_reports.pipeline.export import page_links
from conference_reports.reports.sponsors import EDITION_METADATA


def _sponsor_notebook(previous: dict | None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": "/somewhere/notebooks/sponsors.ipynb", "parameters": {}}
    header = nbformat.v4.new_code_cell("r = sponsors_report()")
    header.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<h1>x</h1>"},
                                             metadata={EDITION_METADATA: {"kind": "sponsors",
                                                                          "previous": previous}})]
    nb.cells = [header]
    return nb


def test_links_to_last_years_sponsor_report(tmp_path: Path) -> None:
    (tmp_path / "pyconf-2025").mkdir()
    (tmp_path / "pyconf-2025" / "sponsors.html").write_text("old")
    here = tmp_path / "pyconf-2026" / "sponsors.html"
    here.parent.mkdir()
    links = page_links(_sponsor_notebook({"slug": "pyconf-2025", "name": "PyConf 2025"}), here)
    prev = [link for link in links if link.rel == "prev"]
    assert [(p.href, p.text) for p in prev] == [
        ("../pyconf-2025/sponsors.html", "Previous edition: PyConf 2025 sponsor report")
    ]
    assert [link.href for link in links if link.rel != "prev"] == ["../index.html", "conference.html"]


def test_no_link_without_a_previous_edition_or_its_page(tmp_path: Path) -> None:
    here = tmp_path / "pyconf-2026" / "sponsors.html"
    here.parent.mkdir()
    assert not [x for x in page_links(_sponsor_notebook(None), here) if x.rel == "prev"]
    missing = _sponsor_notebook({"slug": "pyconf-2025", "name": "PyConf 2025"})
    assert not [x for x in page_links(missing, here) if x.rel == "prev"]  # its page was never made

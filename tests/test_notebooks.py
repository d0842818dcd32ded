"""The report notebooks: committed clean and thin, and each runs top to bottom with its defaults (nbval).

`pytest --nbval-lax notebooks/` is driven from here in a subprocess, with CONFERENCE_REPORTS_DB
pointing at the fixture database, so plain `pytest` covers it.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FIXTURE_DB = ROOT.parent / "shared" / "fixtures" / "django-program-demo.sqlite3"
NAMES = ("conference.ipynb", "cross_event.ipynb", "sponsors.ipynb")
PARAMETERS = {
    "conference.ipynb": {"conference", "target_overrides", "params_dir", "render", "kpis_path", "data_path"},
    "sponsors.ipynb": {
        "conference", "target_overrides", "sponsor_goals", "params_dir", "render", "data_path"},
    "cross_event.ipynb": {"conferences", "params_dir", "render", "data_path"},
}
SQL = re.compile(r"\b(select\s+.+\s+from|insert\s+into|sqlalchemy|read_sql|create_engine|text\()", re.I)


def load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(str(NOTEBOOKS / name), as_version=4)


def test_committed_without_outputs():
    spec = importlib.util.spec_from_file_location("check_notebooks", ROOT / "tools" / "check_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)
    for name in NAMES:
        assert module.dirty_cells(NOTEBOOKS / name) == [], name


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell(name):
    book = load(name)
    nbformat.validate(book)
    assert book.metadata.kernelspec.name == "conference-reports"
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and book.cells.index(tagged[0]) == 0
    assigned = {t.id for node in ast.parse(tagged[0].source).body for t in node.targets}
    assert assigned == PARAMETERS[name]
    assert not any(word in assigned for word in ("db", "url", "database", "dsn", "password"))
    namespace: dict = {}
    exec(tagged[0].source, namespace)
    assert namespace["render"] == "interactive"  # analysts keep Altair's own renderer in JupyterLab


@pytest.mark.parametrize("name", NAMES)
def test_thin_and_no_sql(name):
    code = [c.source for c in load(name).cells if c.cell_type == "code"]
    for source in code:
        assert not SQL.search(source), source
        assert len(source.splitlines()) <= 20, f"{name}: a long cell belongs in lib/: {source[:80]}"
    assert any("conference_reports.reports" in s for s in code)  # the report layer


@pytest.mark.slow
def test_notebooks_run_with_defaults_under_nbval(tmp_path):
    if not FIXTURE_DB.is_file():
        pytest.fail(f"fixture database missing: {FIXTURE_DB}")
    env = {**os.environ, "CONFERENCE_REPORTS_DB": str(FIXTURE_DB), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "--nbval-lax",
        "--nbval-current-env",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(ROOT),
        "-o",
        "addopts=",
        str(NOTEBOOKS),
    ]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout

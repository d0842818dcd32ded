"""The house's walls: which layer may import what, and every report declares only real metrics."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conference_reports import reports
from conference_reports.metrics import names

ROOT = Path(__file__).resolve().parents[1]

PACKAGE = Path(reports.__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved against its package)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = list(rel.parts[:-1])  # a module and an __init__ both resolve against their folder
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
                found.update(f"{module}.{alias.name}" for alias in node.names)
                found.add(module)
            elif node.module:
                found.add(node.module)
    return found


def files_under(sub: str = "") -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def area(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def importers(prefixes: tuple[str, ...]) -> set[str]:
    """The areas (subpackage or top-level module) with a file importing any of `prefixes`."""
    return {area(p) for p in files_under() if any(m.split(".")[0] in prefixes for m in imports_of(p))}


def test_papermill_and_nbconvert_live_in_the_pipeline_only() -> None:
    assert importers(("papermill", "nbconvert", "nbclient", "jupyter_client")) <= {"pipeline"}


def test_no_argparse_namespace_gets_past_the_cli() -> None:
    assert importers(("argparse",)) <= {"cli"}
    assert not [p for p in files_under() if area(p) != "cli" and "getattr(args" in p.read_text()]


def test_sqlalchemy_lives_in_data_metrics_and_demo_only() -> None:
    assert importers(("sqlalchemy", "psycopg", "sqlite3")) <= {"data", "metrics", "demo"}


def test_metrics_import_no_chart_report_or_pipeline_module() -> None:
    for path in files_under("metrics"):
        for module in imports_of(path):
            assert not module.startswith(("conference_reports.charts", "conference_reports.reports",
                                          "conference_reports.pipeline")), (path.name, module)


def test_the_kernel_side_never_reaches_into_the_pipeline() -> None:
    for sub in ("reports", "charts"):
        for path in files_under(sub):
            assert not any(m.startswith("conference_reports.pipeline") for m in imports_of(path)), path


def test_the_metrics_command_imports_neither_altair_nor_papermill(fixture_url: str) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from conference_reports.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['metrics', '--db', {fixture_url!r}, '--conference', 'python-2077']) == 0\n"
        "print(sorted(m for m in ('altair', 'papermill', 'nbconvert', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_report_kernel_imports_neither_pandas_nor_altair() -> None:
    """The reports and their charts wrangle rows in plain Python: a kernel loads pandas (and NumPy) only
    when an analyst asks for a frame, Altair only for `to_altair`, jsonschema never."""
    code = (
        "import sys\n"
        "import conference_reports.reports, conference_reports.charts\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'altair', 'jsonschema') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("kind", ["conference", "sponsors", "cross_event"])
def test_a_kernel_handed_its_reading_loads_no_database_library(fixture_url: str, tmp_path, kind: str) -> None:
    """The runner reads for the kernel (data_path): the kernel then draws the whole report, every chart
    and kpis.json, without loading SQLAlchemy or a database driver."""
    from conference_reports.data.db import connect
    from conference_reports.reports import conference, cross_event, sponsors
    from conference_reports.serialize import dumps_exact

    module = {"conference": conference, "sponsors": sponsors, "cross_event": cross_event}[kind]
    with connect(fixture_url) as conn:
        reading = module.read(conn, None) if kind == "cross_event" else module.read(conn, "python-2077")
    path = tmp_path / "reading.json"
    path.write_text(dumps_exact(reading))
    notebook = json.loads((ROOT / "notebooks" / f"{kind}.ipynb").read_text())
    cells = [c for c in notebook["cells"]
             if c["cell_type"] == "code" and "analyst" not in c["metadata"].get("tags", [])]
    code = "\n".join(["import sys", "".join(cells[0]["source"]),
                       f"render = 'report'; data_path = {str(path)!r}",
                       *(["conference = 'python-2077'"] if kind != "cross_event" else []),
                       *("".join(c["source"]) for c in cells[1:]),
                       "print(sorted(m for m in ('sqlalchemy', 'psycopg', 'sqlite3') if m in sys.modules),"
                       " file=sys.stderr)"])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CONFERENCE_REPORTS_DB": fixture_url})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr[-2000:]


@pytest.mark.parametrize("module", ["conference", "sponsors", "cross_event"])
def test_each_report_declares_only_registered_metrics(module: str) -> None:
    import importlib

    declared = importlib.import_module(f"conference_reports.reports.{module}").METRICS
    assert declared and set(declared) <= set(names()), set(declared) - set(names())


def test_a_misspelt_declaration_fails_loudly(fixture_url: str) -> None:
    from conference_reports.data.conferences import get_conference
    from conference_reports.data.db import connect
    from conference_reports.errors import UnknownMetric
    from conference_reports.reports.base import compute_declared

    with connect(fixture_url) as conn, pytest.raises(UnknownMetric, match="attendee_sumary"):
        compute_declared(conn, get_conference(conn, "python-2077"), ["attendee_summary", "attendee_sumary"])

"""The pipeline's own rules: a failing cell is named by its index in the committed notebook (from 0,
markdown cells included), its tag and first line; `--params` means one thing; options are checked
before the database is read; papermill and nbconvert stay inside pipeline/."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat
import pytest

from conference_reports import cli
from conference_reports.pipeline.execute import committed_index
from conftest import FIXTURE_DB

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "conference_reports"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORTS = {"conference.ipynb": "python-2077/conference", "sponsors.ipynb": "python-2077/sponsors",
           "cross_event.ipynb": "cross-event"}
BREAK = 'raise RuntimeError("broken for the test")'


def run(argv: list[str]) -> tuple[int, str, str]:
    """The CLI in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def code_cells(book: nbformat.NotebookNode) -> list[int]:
    """Indices of the code cells after the parameters cell."""
    tagged = [c.metadata.get("tags", []) for c in book.cells]
    return [i for i, c in enumerate(book.cells) if c.cell_type == "code" and "parameters" not in tagged[i]]


# ---------------------------------------------------------------------------------------------
# the failing cell, counted in the committed notebook


@pytest.mark.slow
@pytest.mark.parametrize("which", ["first", "last"])
def test_summary_names_the_committed_cell(tmp_path: Path, which: str) -> None:
    """Every notebook broken at its first code cell after the parameters (the setup cell, where
    papermill's banner and anchor cells used to shift the count) or at its last: one run."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    expected = {}
    for path in NOTEBOOKS:
        book = nbformat.read(str(path), as_version=4)
        index = code_cells(book)[0 if which == "first" else -1]
        cell = book.cells[index]
        tag = ",".join(cell.metadata.get("tags", []))
        cell.source = f"{BREAK}\n{cell.source}"
        nbformat.write(book, str(folder / path.name))
        expected[REPORTS[path.name]] = (
            f"FAILED {REPORTS[path.name]}: cell {index} [{tag}] `{BREAK} ...`: "
            "RuntimeError: broken for the test"
        )
    assert set(expected) == set(REPORTS.values())

    code, stdout, stderr = run(["run", "--db", str(FIXTURE_DB), "--conference", "python-2077", "--jobs", "2",
                                "--notebooks", str(folder), "--out", str(tmp_path / "out")])

    assert code == 1, stdout + stderr
    failed = sorted(line for line in stdout.splitlines() if line.startswith("FAILED"))
    assert failed == sorted(expected.values())
    assert "0 ok, 3 failed" in stdout


def test_where_a_report_failed() -> None:
    from conference_reports.errors import NotebookFailed

    cell = NotebookFailed("c/conference", 1, "from x import y ...", "NameError: z", tag="setup")
    assert cell.where == "cell 1 [setup]"
    assert str(cell) == "c/conference: failed in cell 1 [setup]: NameError: z"
    assert NotebookFailed("r", 0, "", "e").where == "cell 0"
    assert NotebookFailed("r", None, "", "e").where == "before any cell ran"
    assert NotebookFailed("r", None, "", "e", stage="end").where == "after every cell ran"
    injected = NotebookFailed("r", None, "conference = 1", "e", tag="injected-parameters", stage="cell")
    assert injected.where == "in the injected parameters"


def _cell(kind: str, source: str, cell_id: str | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if cell_id is None:
        cell.pop("id", None)
    else:
        cell.id = cell_id
    return cell


def test_committed_index_by_id_else_by_the_same_occurrence_of_the_source() -> None:
    committed = [_cell("code", "p = 1", "c0"), _cell("markdown", "## A", "c1"),
                 _cell("code", "show(x)", "c2"), _cell("markdown", "## B", "c3"),
                 _cell("code", "show(x)", "c4")]
    injected = _cell("code", "p = 2", "papermill-made")
    executed = [committed[0], injected, *committed[1:]]
    assert [committed_index(committed, executed, i) for i in range(6)] == [0, None, 1, 2, 3, 4]
    # without ids (nbformat 4.4, or ids papermill made up): the n-th cell with that source
    bare = [_cell(c.cell_type, c.source) for c in committed]
    renamed = [_cell(c.cell_type, c.source, f"new-{i}") for i, c in enumerate([bare[0], injected, *bare[1:]])]
    assert [committed_index(bare, renamed, i) for i in range(6)] == [0, None, 1, 2, 3, 4]


# ---------------------------------------------------------------------------------------------
# --params: one meaning


def test_params_is_used_as_given_and_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--params params` and `--params ./params` both mean ./params; without --params, the checkout's."""
    monkeypatch.setenv("CONFERENCE_REPORTS_KERNEL", "no-such-kernel-xyz")  # stop right after the params
    monkeypatch.chdir(tmp_path)
    db = ["--db", str(FIXTURE_DB), "--out", str(tmp_path / "out")]
    for given in ("params", "./params"):
        code, _, err = run(["run", *db, "--params", given])
        assert code == 2, err
        assert err.strip() == "conference-reports: error: params folder params does not exist"

    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "python-2077.yaml").write_text("targets: [\n")
    for given in ("params", "./params", str(tmp_path / "params")):
        code, _, err = run(["run", *db, "--params", given])
        assert code == 2 and "python-2077.yaml" in err and "not valid YAML" in err, (given, err)
    code, _, err = run(["run", *db])  # the checkout's params/, not the working directory's
    assert code == 2 and "kernel 'no-such-kernel-xyz' is not installed" in err, err


def test_jobs_is_checked_before_the_database_is_read(tmp_path: Path) -> None:
    code, _, err = run(["run", "--db", str(tmp_path / "missing.sqlite3"), "--jobs", "0",
                        "--out", str(tmp_path / "out")])
    assert code == 2 and err.strip() == "conference-reports: error: --jobs must be at least 1, got 0", err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# boundaries


def test_the_runners_kernels_start_without_the_debugger(tmp_path: Path) -> None:
    """ipykernel's usual command goes through kernel_start; the kernel it starts has no debugpy loaded."""
    from conference_reports.pipeline.execute import execute
    from conference_reports.pipeline.kernel import without_debugger
    from conference_reports.pipeline.plan import Job, kernel_name

    spec = ["/py", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert without_debugger(spec) == ["/py", "-m", "conference_reports.pipeline.kernel_start", "-f",
                                      "{connection_file}"]
    other = ["/opt/kernel", "--connect", "{connection_file}"]
    assert without_debugger(other) == other
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": kernel_name(), "language": "python", "display_name": "k"}
    book.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                  nbformat.v4.new_code_cell("import sys\nprint(sys.modules.get('debugpy', 'absent'))")]
    notebook, executed = tmp_path / "k.ipynb", tmp_path / "k.out.ipynb"
    nbformat.write(book, str(notebook))
    job = Job(report="k", kind="conference", title="k", notebook=str(notebook), html=str(tmp_path / "k.html"),
              ipynb=str(executed), parameters={})
    execute(job, f"sqlite:///{FIXTURE_DB}", kernel_name(), executed, {})
    printed = nbformat.read(str(executed), as_version=4).cells[-1].outputs[0]["text"]
    assert printed.strip() == "None"  # blocked, not merely unused

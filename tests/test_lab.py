"""The analysts' workspace (`make lab`): copies of the notebooks in a git-ignored lab/, never overwritten."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "lab_workspace.py"


def _tool():
    spec = importlib.util.spec_from_file_location("lab_workspace", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_copies_only_what_is_missing(tmp_path: Path) -> None:
    source, lab = tmp_path / "notebooks", tmp_path / "lab"
    source.mkdir()
    (source / "a.ipynb").write_text("committed a")
    (source / "b.ipynb").write_text("committed b")
    (source / "notes.txt").write_text("not a notebook")
    made = _tool().fill(source, lab)
    assert [p.name for p in made] == ["a.ipynb", "b.ipynb"]
    assert sorted(p.name for p in lab.iterdir()) == ["a.ipynb", "b.ipynb"]
    (lab / "a.ipynb").write_text("an analyst's edits")
    (lab / "b.ipynb").unlink()
    assert [p.name for p in _tool().fill(source, lab)] == ["b.ipynb"]
    assert (lab / "a.ipynb").read_text() == "an analyst's edits"
    assert (lab / "b.ipynb").read_text() == "committed b"
    assert (source / "a.ipynb").read_text() == "committed a"


def test_running_it_twice_keeps_an_edited_copy(tmp_path: Path) -> None:
    lab = tmp_path / "lab"
    run = [sys.executable, str(TOOL), str(ROOT / "notebooks"), str(lab)]
    first = subprocess.run(run, capture_output=True, text=True, check=True)
    assert "copied" in first.stdout and (lab / "cross_event.ipynb").read_bytes() == (
        ROOT / "notebooks" / "cross_event.ipynb").read_bytes()
    (lab / "cross_event.ipynb").write_text('{"edited": true}')
    second = subprocess.run(run, capture_output=True, text=True, check=True)
    assert "copied" not in second.stdout and "cross_event.ipynb" in second.stdout
    assert (lab / "cross_event.ipynb").read_text() == '{"edited": true}'


def test_make_lab_fills_lab_and_starts_jupyterlab_there_with_the_suites_kernel() -> None:
    recipe = subprocess.run(["make", "-n", "-W", ".venv/.installed", "lab"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    fill = next(i for i, line in enumerate(recipe) if "tools/lab_workspace.py notebooks lab" in line)
    start = next(i for i, line in enumerate(recipe) if "jupyter lab" in line)
    assert fill < start and "root_dir=lab" in recipe[start] and "conference-reports" in recipe[start]
    assert "lab/" in (ROOT / ".gitignore").read_text().split()

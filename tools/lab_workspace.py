"""The analysts' workspace: copy the committed notebooks into a git-ignored folder (`make lab`).

Only a notebook not already there is copied, so an analyst's edits (and JupyterLab's autosaves) stay
in the workspace and never touch notebooks/, which the notebook check keeps free of outputs.

    python tools/lab_workspace.py [SOURCE=notebooks] [WORKSPACE=lab]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def fill(source: Path, workspace: Path) -> list[Path]:
    """Copy each `source/*.ipynb` missing from `workspace` into it; the copies made, in name order."""
    workspace.mkdir(parents=True, exist_ok=True)
    made = []
    for notebook in sorted(source.glob("*.ipynb")):
        target = workspace / notebook.name
        if not target.exists():
            shutil.copyfile(notebook, target)
            made.append(target)
    return made


def main(argv: list[str]) -> int:
    source = Path(argv[0] if argv else "notebooks")
    workspace = Path(argv[1] if len(argv) > 1 else "lab")
    if not source.is_dir():
        print(f"no notebooks folder at {source}", file=sys.stderr)
        return 2
    made = fill(source, workspace)
    kept = sorted({p.name for p in source.glob("*.ipynb")} - {p.name for p in made})
    for path in made:
        print(f"copied {path}")
    if kept:
        print(f"kept your copies in {workspace}/: {', '.join(kept)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

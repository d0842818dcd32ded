"""Fail when a committed notebook holds outputs or execution counts (they must be stripped)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def dirty_cells(path: Path) -> list[int]:
    cells = json.loads(path.read_text())["cells"]
    return [i for i, c in enumerate(cells) if c.get("outputs") or c.get("execution_count") is not None]


def main(folder: str) -> int:
    bad = {p: dirty_cells(p) for p in sorted(Path(folder).glob("*.ipynb"))}
    bad = {p: cells for p, cells in bad.items() if cells}
    for path, cells in bad.items():
        print(f"{path}: outputs in cells {cells}; clear them before committing", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "notebooks"))

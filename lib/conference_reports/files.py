"""Writing files so a reader never sees half of one: a temp file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def temp_beside(path: Path) -> Path:
    """A temp name beside `path` (same filesystem, so a rename is atomic), keeping its suffix."""
    return path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> Path:
    """Replace `path` with `content` (text as UTF-8) in one rename; the temp file is gone whatever
    happens."""
    target = Path(path)
    tmp = temp_beside(target)
    try:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target

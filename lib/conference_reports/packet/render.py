"""typst markup and its chart files -> PDF bytes -> the output file, replaced in one rename."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import OutputUnwritable, ReportError, first_line
from ..files import write_atomic


class PacketUnavailable(ReportError):
    """The layout engine (the `typst` package) is not installed."""


class PacketFailed(ReportError):
    """typst could not lay the packet out (a bug in the markup, or a chart it cannot draw)."""

    exit_code = 1


def typst_module() -> Any:
    """The `typst` package, or one line saying how to install it."""
    try:
        import typst
    except ImportError:
        raise PacketUnavailable(
            f"the board packet needs the Python package 'typst': run `{sys.executable} -m pip install typst` "
            "(make install does this)"
        ) from None
    return typst


def compile_pdf(markup: str, files: Mapping[str, str], generated_at: dt.datetime | None = None) -> bytes:
    """The PDF of `markup`, its images (name -> SVG text) beside it in a private temp folder."""
    typst = typst_module()
    with tempfile.TemporaryDirectory(prefix="cr-packet-") as folder:
        root = Path(folder)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        (root / "packet.typ").write_text(markup, encoding="utf-8")
        options: dict[str, Any] = {"root": str(root)}
        if generated_at is not None:
            options["timestamp"] = int(generated_at.timestamp())
        try:
            try:
                return typst.compile(str(root / "packet.typ"), **options)
            except TypeError:  # an older typst without `timestamp`
                options.pop("timestamp", None)
                return typst.compile(str(root / "packet.typ"), **options)
        except Exception as exc:  # typst raises its own TypstError (a RuntimeError subclass)
            reason = first_line(exc)
            reason = reason if len(reason) <= 300 else reason[:297] + "..."
            raise PacketFailed(f"typst could not lay out the board packet: {reason}") from None


def check_writable(path: Path) -> Path:
    """`path` can be written: not a folder, its folder exists or can be made and takes a file."""
    from ..paths import ensure_folder

    if path.is_dir():
        raise OutputUnwritable(f"cannot write {path}: it is a folder (give a file, e.g. board-packet.pdf)")
    ensure_folder(path.parent)
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputUnwritable(f"cannot write {path}: permission denied")
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Replace `path` with `data` in one rename (files.write_atomic), unwritable as one line."""
    try:
        return write_atomic(path, data)
    except OSError as exc:
        raise OutputUnwritable(f"cannot write {path}: {exc.strerror or exc}") from None

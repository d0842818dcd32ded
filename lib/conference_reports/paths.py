"""Where things live: the checkout's notebooks, params and demo database, and file names from data.

Layout: the package's templates sit beside it; in a checkout (editable install) the project root
holds `notebooks/`, `params/` and `output/demo.sqlite3`; installed elsewhere, the working directory.

A conference slug never leaves the folder it names a file in.
Django's slugs hold only letters, digits, `-` and `_`; such a slug is its own name. Any other value
(`../../x`, `/tmp/x`, `a b`, ``) maps to its safe runs joined by `_`, a `.` and 8 hex digits of its
sha1: the dot keeps it apart from every real slug, the hash apart from other unsafe slugs.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from .errors import OutputUnwritable, UnsafePath

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def project_root() -> Path:
    """The checkout this package lives in (editable install), else the working directory."""
    here = PACKAGE_DIR.parents[1]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def default_demo_path() -> Path:
    """Where `make report` builds the demo database."""
    return project_root() / "output" / "demo.sqlite3"


def default_notebooks_dir() -> Path:
    """The checkout's report notebooks."""
    return project_root() / "notebooks"


def default_params_dir() -> Path:
    """The checkout's params/ folder."""
    return project_root() / "params"


_SLUG = re.compile(r"[A-Za-z0-9_-]+")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9_-]+")


def is_django_slug(slug: str) -> bool:
    """True when `slug` holds only Django's slug characters (and is not empty)."""
    return _SLUG.fullmatch(slug) is not None


def safe_name(slug: str) -> str:
    """A file or folder name for `slug`: itself when it is a Django slug, else a safe, unique name."""
    if is_django_slug(slug):
        return slug
    stem = _UNSAFE_RUN.sub("_", slug)[:64] or "slug"
    return f"{stem}.{hashlib.sha1(slug.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def within(base: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """True when `path` is `base` or lies below it (lexically: `..` counts, symlinks inside do not)."""
    root, target = os.path.abspath(base), os.path.abspath(path)
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def check_within(base: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """`path`, or UnsafePath when it lies outside `base`."""
    if not within(base, path):
        raise UnsafePath(f"refusing to write {path}: it is outside {base}")
    return Path(path)


def ensure_folder(folder: Path) -> Path:
    """Create `folder` and check a file can be written in it (an unnamed temp file); else OutputUnwritable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise OutputUnwritable(f"cannot write to {folder}: {blocker} is a file, not a folder") from None
    except OSError as exc:
        raise OutputUnwritable(f"cannot write to {folder}: {exc.strerror or exc}") from None
    return folder

"""Every django-program metric, one function each, registered in `registry.REGISTRY`.

Importing a module of the package (`metrics.phase`, `metrics.targets`) loads only that module; the
registry, `compute` and friends load every metric module the first time they are asked for
(`registry.load_all`), so a kernel handed its reading never loads the database library.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REGISTRY", "check_names", "compute", "compute_one", "metric", "names"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import registry

        registry.load_all()
        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Every django-program metric, one function each; importing this package registers them all."""

from . import (  # noqa: F401  (imported to register their metrics)
    cross_event,
    discounts,
    feedback,
    finance,
    forecast,
    income,
    ledger,
    operations,
    pace,
    phase,
    quality,
    registration,
    revenue,
    sponsors,
    targets,
)
from .registry import REGISTRY, check_names, compute, compute_one, metric, names

__all__ = ["REGISTRY", "check_names", "compute", "compute_one", "metric", "names"]

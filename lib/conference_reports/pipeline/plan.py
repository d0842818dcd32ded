"""The jobs of a run, and where their inputs are: the notebooks, the params folder, the kernel."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KernelMissing, NotebooksMissing
from ..params import params_folder
from ..paths import default_notebooks_dir, safe_name
from .options import RunOptions

KERNEL_ENV = "CONFERENCE_REPORTS_KERNEL"
NOTEBOOKS_ENV = "CONFERENCE_REPORTS_NOTEBOOKS"
DEFAULT_KERNEL = "conference-reports"
NOTEBOOK_FILES = {
    "conference": "conference.ipynb",
    "sponsors": "sponsors.ipynb",
    "cross-event": "cross_event.ipynb",
}


@dataclass(frozen=True)
class Job:
    """One report to produce."""

    report: str  # "pyconf-2026/conference", "cross-event"
    kind: str  # conference | sponsors | cross-event
    title: str
    notebook: str
    html: str
    ipynb: str
    parameters: dict[str, Any]
    slug: str | None = None
    name: str | None = None
    start_date: str | None = None
    kpis: str | None = None
    out: str | None = None  # the --out folder every file of the job must stay in

    @property
    def failed_ipynb(self) -> str:
        return str(Path(self.ipynb).with_suffix(".failed.ipynb"))


def notebooks_dir(options: RunOptions) -> Path:
    """--notebooks, else $CONFERENCE_REPORTS_NOTEBOOKS, else the checkout's notebooks/; each must be there."""
    chosen = options.notebooks or os.environ.get(NOTEBOOKS_ENV)
    folder = Path(chosen) if chosen else default_notebooks_dir()
    for name in NOTEBOOK_FILES.values():
        if not (folder / name).is_file():
            raise NotebooksMissing(f"report notebook {folder / name} is missing")
    return folder.resolve()


def params_dir(options: RunOptions) -> Path:
    """--params as given (relative to the working directory), else the checkout's params/."""
    return params_folder(options.params)


def kernel_name() -> str:
    """The Jupyter kernel to execute in; a clear error when it is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name = os.environ.get(KERNEL_ENV) or DEFAULT_KERNEL
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise KernelMissing(
            f"Jupyter kernel {name!r} is not installed: run "
            f"`{sys.executable} -m ipykernel install --sys-prefix "
            f"--name {name}` (make install does this)"
        ) from None
    return name


def plan(
    conferences: Sequence[Any],
    selected: Sequence[Any],
    out: Path,
    notebooks: Path,
    params: Path,
    *,
    cross_event: bool = True,
) -> list[Job]:
    """The jobs: conference and sponsor reports per selected conference, then the cross-event report."""
    jobs: list[Job] = []
    for c in selected:
        folder = out / safe_name(c.slug)
        common = {"slug": c.slug, "name": c.name, "start_date": c.start_date.isoformat(), "out": str(out)}
        parameters = {"conference": c.slug, "params_dir": str(params), "render": "report"}
        jobs.append(
            Job(
                report=f"{c.slug}/conference",
                kind="conference",
                title=f"{c.name}: conference report",
                notebook=str(notebooks / NOTEBOOK_FILES["conference"]),
                html=str(folder / "conference.html"),
                ipynb=str(folder / "conference.ipynb"),
                kpis=str(folder / "kpis.json"),
                parameters=dict(parameters),
                **common,
            )
        )
        jobs.append(
            Job(
                report=f"{c.slug}/sponsors",
                kind="sponsors",
                title=f"{c.name}: sponsor report",
                notebook=str(notebooks / NOTEBOOK_FILES["sponsors"]),
                html=str(folder / "sponsors.html"),
                ipynb=str(folder / "sponsors.ipynb"),
                parameters=dict(parameters),
                **common,
            )
        )
    if cross_event and conferences:
        jobs.append(
            Job(
                report="cross-event",
                kind="cross-event",
                title="Cross-event report",
                notebook=str(notebooks / NOTEBOOK_FILES["cross-event"]),
                html=str(out / "cross-event.html"),
                ipynb=str(out / "cross-event.ipynb"),
                parameters={"conferences": None, "params_dir": str(params), "render": "report"},
                out=str(out),
            )
        )
    return jobs

"""`conference-reports packet` (and the packet `run` writes): choose, gather, lay out, write."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BadParams, UnknownConference

DEFAULT_FILE = "board-packet.pdf"
CHARTS_FOLDER = ".board-packet-charts"  # beside the PDF: its charts as drawn, for the next packet
PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # width, height in points
TYPST_PAPER = {"a4": "a4", "letter": "us-letter"}


@dataclass(frozen=True)
class PacketOptions:
    """What a packet was asked for; None means the default."""

    db: str | None = None  # None: $CONFERENCE_REPORTS_DB, else the demo database
    conferences: tuple[str, ...] = ()  # empty: the latest completed and next upcoming edition per series
    params: Path | None = None  # None: the checkout's params/
    out: Path = Path("output") / DEFAULT_FILE
    organisation: str | None = None  # None: the series' names
    paper: str = "a4"  # a4 | letter

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise BadParams(f"--paper must be one of {', '.join(PAPERS)}, got {self.paper!r}")
        if self.organisation is not None and not self.organisation.strip():
            raise BadParams("--organisation is empty: give a name or leave it out")


@dataclass(frozen=True)
class PacketResult:
    path: Path
    conferences: tuple[str, ...]
    pages: int
    seconds: float


class PacketStopped(Exception):
    """The run that asked for the packet was stopped: nothing is written."""


def write_packet(
    options: PacketOptions, readings: Mapping[str, Any] | None = None,
    stopped: Callable[[], bool] | None = None,
) -> PacketResult:
    """Write the packet's PDF to options.out (atomically; a failure leaves an earlier one as it was).
    `readings`: what a run's reports read (report -> reading), used where they cover the packet;
    `stopped`: asked between charts and before writing, PacketStopped once it says so."""
    from ..data.db import connect
    from ..demo.default import database_url
    from ..params import params_folder
    from .content import gather
    from .figures import ChartCache
    from .render import check_writable, compile_pdf, typst_module, write_bytes_atomic
    from .typst_doc import build

    t0 = time.perf_counter()
    typst_module()  # missing: one line saying what to install, before anything is read
    out = check_writable(Path(options.out).expanduser().absolute())
    params = params_folder(options.params)
    url = database_url(options.db)
    with connect(url) as conn:
        every, series, picked = selection(conn, url, params, options.conferences)
    packet = gather(url, [c.slug for c in picked], params, options.organisation, series, every, readings)
    drawn = ChartCache(out.parent / CHARTS_FOLDER, stopped)
    doc = build(packet, options.paper, drawn)
    markup = doc.markup()  # draws the charts into doc.files
    pdf = compile_pdf(markup, doc.files, packet.generated_at)
    if stopped is not None and stopped():
        raise PacketStopped
    write_bytes_atomic(out, pdf)
    drawn.prune()
    return PacketResult(out, tuple(c.slug for c in picked), page_count(pdf), time.perf_counter() - t0)


def selection(
    conn: Any, url: str, params: Path, asked: Sequence[str] = ()
) -> tuple[list[Any], dict[str, str], list[Any]]:
    """(every conference, the series map, the packet's conferences): those `asked`, else per series the
    latest edition that is over and the next one to come. `url` names the database in an error."""
    from ..data.conferences import list_conferences
    from ..data.urls import mask_url
    from ..metrics.phase import as_of, sales_open_at
    from ..params import load_all, series_of
    from .select import chosen, default_selection

    every = list_conferences(conn)
    if not every:
        raise UnknownConference(f"{mask_url(url)} holds no conferences")
    series = series_of(load_all(params, [c.slug for c in every]))
    if asked:
        return every, series, chosen(every, asked)
    return every, series, default_selection(every, series, lambda c: sales_open_at(conn, c), as_of())


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF typst wrote (its page tree's /Count)."""
    import re

    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def describe(result: PacketResult) -> str:
    """The line a command prints for a written packet."""
    return (f"board packet: {result.path} ({result.pages} pages: {', '.join(result.conferences)}; "
            f"{result.seconds:.1f}s)")


def slugs_of(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(values or ())

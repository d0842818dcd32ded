"""The board packet of a run: made beside the reports, as soon as those it draws from are in.

`run` picks the packet's conferences before the reports start (the ones asked for, else the default
ones) and knows which reports the packet draws from (`packet.content.reports_drawn`). When the last of
those is done, a thread in this process writes <out>/board-packet.pdf from their readings while the
workers make the rest, and records the try in <out>/board-packet.json for the index. Each edition's own
charts are drawn earlier still, as soon as its conference and sponsor reports are in. The packet is
left as it is when made from the same inputs as the good one in place: the fingerprints of the reports
it draws from and its conferences (always made when it draws from reports outside the run, as with
`--conference`). A failure is recorded, never raised: the reports stand, the last good packet stays.
On a signal it writes nothing more, and its temp files go.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..files import write_atomic
from ..paths import check_within
from .fingerprint import digest as inputs_digest
from .outcome import Outcome


class BoardPacket:
    """The packet of one run: `offer` it each report's outcome, `finish` when the reports are done;
    `stop` on a signal."""

    def __init__(self, url: str, slugs: Sequence[str], params: Path, out: Path, drawn: Collection[str],
                 force: bool = False, complete: bool = True, series: Mapping[str, str] | None = None) -> None:
        self.url, self.slugs, self.params, self.out, self.force = url, tuple(slugs), params, out, force
        self.series = dict(series or {})
        self.drawn = set(drawn)  # the run's reports it draws from
        self.complete = complete  # False: it also draws from reports outside the run (no fingerprint)
        self.outcomes: dict[str, Outcome] = {}
        self.readings: dict[str, Any] = {}
        self.record: dict[str, object] | None = None
        self.thread: threading.Thread | None = None
        self.warming: threading.Thread | None = None
        self.stopped = threading.Event()
        self.editions: queue.SimpleQueue[str | None] = queue.SimpleQueue()  # slugs to draw ahead
        self.drawing: threading.Thread | None = None
        self.queued: set[str] = set()

    def offer(self, outcome: Outcome) -> None:
        """One report is done; once all it draws from are, the packet starts in a thread."""
        if outcome.report not in self.drawn:
            return
        self.outcomes[outcome.report] = outcome
        if outcome.reading is not None:
            self.readings[outcome.report] = outcome.reading
        if not outcome.unchanged:
            self._warm_up()  # it will be drawn: start the chart engine while the reports run
        if self.warming is not None:
            self._draw_ready_editions()
        if self.thread is None and self.drawn <= set(self.outcomes):
            self._start()

    def finish(self) -> dict[str, object]:
        """The packet's record (started now if it has not yet), once it is written or failed."""
        if self.thread is None:
            self._start()
        assert self.thread is not None
        self.thread.join()
        assert self.record is not None
        return self.record

    def stop(self, wait: float = 3.0) -> None:
        """A signal: the packet writes nothing more (the last good one stays); its threads are given
        `wait` seconds in all to notice (the process does not end inside the chart engine), then its
        temp files are removed."""
        self.stopped.set()
        self.editions.put(None)
        deadline = time.monotonic() + wait
        for thread in (self.thread, self.drawing, self.warming):  # none left inside the chart engine
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
        for leftover in leftovers(self.out):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _start(self) -> None:
        self.thread = threading.Thread(target=self._write, name="cr-board-packet", daemon=True)
        self.thread.start()

    def _draw_ready_editions(self) -> None:
        """An edition whose conference and sponsor readings are both in: its charts are drawn now, in a
        thread, into the packet's chart folder, while the workers make the other reports; the packet
        then finds them drawn (the same specs: the same report layer on the same readings)."""
        for slug in self.slugs:
            wanted = (f"{slug}/conference", f"{slug}/sponsors")
            if slug not in self.queued and all(w in self.readings for w in wanted):
                self.queued.add(slug)
                self.editions.put(slug)
                if self.drawing is None:
                    self.drawing = threading.Thread(target=self._draw_editions, name="cr-packet-editions",
                                                    daemon=True)
                    self.drawing.start()

    def _draw_editions(self) -> None:
        from ..packet.build import CHARTS_FOLDER, PacketStopped
        from ..packet.content import edition_of
        from ..packet.figures import ChartCache, edition_charts
        from ..reports import conference_report

        assert self.warming is not None
        self.warming.join()
        cache = ChartCache(self.out / CHARTS_FOLDER, self.stopped.is_set)
        while (slug := self.editions.get()) is not None:
            # from the readings alone (no database, no environment touched); on any trouble the packet
            # draws these charts itself
            with contextlib.suppress(PacketStopped, Exception):
                report = conference_report(slug, params_dir=str(self.params), render="report", header=False,
                                           reading=self.readings[f"{slug}/conference"])
                edition = edition_of(report, self.params, self.series, self.readings[f"{slug}/sponsors"])
                for chart in edition_charts(edition):
                    cache.draw(chart)

    def _warm_up(self) -> None:
        """vl-convert starts its JavaScript engine on its first chart (about 0.8 s): start it now."""
        if self.warming is None:
            self.warming = threading.Thread(target=_start_chart_engine, name="cr-packet-warm-up", daemon=True)
            self.warming.start()

    def digest(self) -> str | None:
        """The packet's inputs: the fingerprints of the reports it draws from and its conferences; None
        (always write it) with --force, when it draws from reports outside the run, or when one it
        draws from failed or could not be read."""
        drawn = [self.outcomes.get(r) for r in sorted(self.drawn)]
        if self.force or not self.complete or any(
                o is None or o.status != "ok" or o.fingerprint is None for o in drawn):
            return None
        return inputs_digest([[(o.report, o.fingerprint) for o in drawn if o is not None], list(self.slugs)])

    def _write(self) -> None:
        def ready() -> None:  # about to draw: the engine started earlier, or now; editions drawn ahead
            self._warm_up()
            assert self.warming is not None
            self.warming.join()
            if self.drawing is not None:
                self.editions.put(None)
                self.drawing.join()

        try:
            self.record = write_board_packet(self.url, self.slugs, self.params, self.out, self.digest(),
                                             self.readings, ready, self.stopped)
        except Exception as exc:  # a bug here must not cost the run its reports
            from ..errors import first_line

            self.record = {"status": "failed", "error": f"internal error: {type(exc).__name__}: "
                           f"{first_line(exc)}", "kept": (self.out / "board-packet.pdf").is_file()}


def write_board_packet(
    url: str, slugs: tuple[str, ...], params: Path, out: Path, digest: str | None = None,
    readings: dict[str, Any] | None = None, ready: Callable[[], None] = lambda: None,
    stopped: threading.Event | None = None,
) -> dict[str, object]:
    """Write <out>/board-packet.pdf for `slugs` and record the try in <out>/board-packet.json; left as it
    is when made from the same inputs (`digest`) as the good one in place. `readings`: what the run's
    reports read (report -> reading), drawn from instead of reading the database again; `ready` is
    called before it draws; once `stopped` is set it writes nothing more."""
    from ..data.urls import scrub
    from ..errors import first_line
    from ..packet import PacketOptions, write_packet
    from ..packet.build import PacketStopped
    from .index_page import PACKET_FILE, PACKET_RECORD, read_packet_record

    path = check_within(out, out / PACKET_FILE)
    before = read_packet_record(out) or {}
    t0 = time.perf_counter()
    started = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    if digest is not None and before.get("status") == "ok" and before.get("fingerprint") == digest \
            and path.is_file():
        record = {**before, "checked_at": started, "unchanged": True}
        with contextlib.suppress(OSError):
            write_atomic(check_within(out, out / PACKET_RECORD), json.dumps(record, indent=2) + "\n")
        return {**record, "path": str(path)}
    record: dict[str, object] = {"file": PACKET_FILE, "ran_at": started}
    ready()
    try:
        result = write_packet(PacketOptions(db=url, conferences=slugs, params=params, out=path), readings,
                              stopped.is_set if stopped is not None else None)
    except PacketStopped:
        return {"status": "stopped", "path": str(path)}
    except ReportError as exc:
        error = scrub(str(exc), url)
    except Exception as exc:  # a bug in the packet must not cost the run its reports
        error = scrub(f"internal error: {type(exc).__name__}: {first_line(exc)}", url)
    else:
        error = None
        record.update(pages=result.pages, conferences=list(result.conferences))
    record.update(
        fingerprint=digest if error is None else None,
        checked_at=started,
        unchanged=False,
        status="ok" if error is None else "failed",
        kept=error is not None and path.is_file(),  # the PDF already there stays (from an earlier run)
        error=error,
        seconds=round(time.perf_counter() - t0, 2),
        last_good_at=record["ran_at"] if error is None else before.get("last_good_at"),
    )
    if error is not None:
        record.update(pages=before.get("pages"), conferences=before.get("conferences"))
    with contextlib.suppress(OSError):
        write_atomic(check_within(out, out / PACKET_RECORD), json.dumps(record, indent=2) + "\n")
    record["path"] = str(path)
    return record


def _start_chart_engine() -> None:
    """Draw a one-point chart: vl-convert's engine is ready for the packet's charts after."""
    with contextlib.suppress(Exception):  # the packet's own drawing says what is wrong
        import vl_convert

        vl_convert.vegalite_to_svg({"data": {"values": [{"x": 1}]}, "mark": "point",
                                    "encoding": {"x": {"field": "x", "type": "quantitative"}}})


def leftovers(out: Path) -> list[Path]:
    """Temp files this process left of a packet stopped while it was being written (another run's
    into the same folder are not touched)."""
    from ..packet.build import CHARTS_FOLDER

    pid = os.getpid()
    return [*out.glob(f".board-packet.{pid}.tmp*"), *(out / CHARTS_FOLDER).glob(f".*.{pid}.tmp*")]

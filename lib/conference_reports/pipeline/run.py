"""`conference-reports run`: execute the report notebooks and export one-file HTML pages.

Per report, in a worker (job.py): read what it reads and fingerprint it (fingerprint.py; an unchanged
report stops here) -> parameterize and execute with that reading (execute.py: papermill, kernel
`conference-reports`) -> export (export.py: nbconvert, code hidden, Vega inlined) -> atomic replace.
Outputs:

    <out>/<slug>/conference.html   conference.ipynb   kpis.json
    <out>/<slug>/sponsors.html     sponsors.ipynb
    <out>/cross-event.html         cross-event.ipynb
    <out>/index.html               reports.json (the index's record of every report's last run)
    <out>/board-packet.pdf         board-packet.json (its last run), unless --no-packet (packet/)

A failed report keeps its last good HTML, notebook and kpis.json; its executed notebook is kept as
`<name>.failed.ipynb` beside them, and the summary names the report, the failing cell (counted from 0
in the committed notebook, markdown cells included, with its tag and first line) and the error.

A slug that is no Django slug gets a safe folder name (paths.safe_name), and nothing is written outside
--out. reports.json and index.html are rewritten under a lock, so runs into one --out lose no entries.
The board packet is written in this process, atomically, from what the reports read (board.py: beside
the reports once those it draws from are in, or after them with --jobs 1): when it fails, the summary
says so in one line, the exit code is 1, and the last good packet and every report stay as they were.
SIGTERM or SIGINT stops the run: nothing new starts, kernels are killed, the packet writes nothing more,
temp files are removed, one line on stderr, exit 143 or 130. Workers and kernels die with the process
that started them, even after kill -9.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Interrupted, ReportError, UnknownConference
from ..paths import ensure_folder, safe_name
from .board import BoardPacket
from .fingerprint import last_good, shared_inputs
from .job import RunContext
from .manifest import read_entries, update_manifest
from .options import RunOptions
from .outcome import Outcome
from .plan import Job, kernel_name, notebooks_dir, params_dir, plan
from .workers import run_jobs, stop_on_signals


@dataclass
class _Batch:
    """How far a run got, for the message and the manifest when a signal stops it."""

    out: Path | None = None
    jobs: list[Job] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    source: str = ""
    board: BoardPacket | None = None


def run_reports(options: RunOptions) -> int:
    """The `run` verb: every conference (or the chosen ones), the cross-event report, the index.
    0 when every report is written, 1 when one failed. SIGTERM/SIGINT: finished reports are recorded,
    the rest not run; one line; exit 143/130."""
    batch = _Batch()
    with stop_on_signals():
        try:
            return _run(options, batch)
        except Interrupted as exc:
            done = exc.done or batch.outcomes
            if batch.board is not None:
                batch.board.stop()
            if batch.out is not None and done:
                with contextlib.suppress(ReportError, OSError):
                    update_manifest(batch.out, batch.jobs, done, batch.source)
            left = len(batch.jobs) - len(done)
            what = f"{left} of {len(batch.jobs)} reports not run" if batch.jobs else "no report run"
            print(f"conference-reports: interrupted by {exc.signal_name}; {what}", file=sys.stderr)
            return exc.exit_code


def _run(options: RunOptions, batch: _Batch) -> int:
    from ..data.conferences import find_conference, list_conferences
    from ..data.db import connect, mask_url
    from ..data.urls import describe_source
    from ..demo.default import database_url
    from ..params import load_all, unmatched_files
    from .export import vega_bundle

    t0 = time.perf_counter()
    params = params_dir(options)
    notebooks = notebooks_dir(options)
    url = database_url(options.db)
    with connect(url) as conn:
        conferences = list_conferences(conn)
    known = {c.slug: c for c in conferences}
    chosen = dict.fromkeys(options.conferences)
    selected = [find_conference(conferences, slug) for slug in chosen] if chosen else conferences
    if not conferences:
        raise UnknownConference(f"{mask_url(url)} holds no conferences")

    load_all(params, known)  # malformed or unknown keys: one clear error before anything runs
    strays = unmatched_files(params, known)
    if strays:
        names = ", ".join(p.name for p in strays)
        print(
            f"conference-reports: note: {params} has files for no conference here (ignored): {names}",
            file=sys.stderr,
        )
    kernel = kernel_name()
    out = ensure_folder(options.out.resolve())
    for c in selected:
        c.zone  # noqa: B018  (a zone that is not an IANA name warns here, once, before the reports run)
        if safe_name(c.slug) != c.slug:
            print(
                f"conference-reports: warning: slug {c.slug!r} is not a Django slug; "
                f"its reports go to {safe_name(c.slug)}/",
                file=sys.stderr,
            )
    batch.out, batch.source = out, describe_source(url)
    batch.jobs = plan(conferences, selected, out, notebooks, params)
    before = read_entries(out / "reports.json")
    board = _board(url, tuple(chosen), params, out, batch.jobs, options.force) if options.packet else None
    batch.board = board
    ctx = RunContext(
        url=url, kernel=kernel, shared=shared_inputs(params, batch.source, batch.jobs),
        planned=frozenset(Path(j.html) for j in batch.jobs) | frozenset(out.glob("*/*.html")),
        last_good={j.report: fp for j in batch.jobs if (fp := last_good(j, before.get(j.report)))},
        force=options.force,
        keep_readings=frozenset(board.drawn if board is not None else ()),
    )
    progress = _Progress(len(batch.jobs))
    workers = options.jobs or os.cpu_count() or 1

    def done(outcome: Outcome) -> None:
        progress.update(outcome)
        if board is not None and (workers > 1 or options.scheduler):  # --jobs 1: one thing at a time
            board.offer(outcome)

    # the reports the packet draws from go first, so it is made while the workers make the rest
    first = sorted(batch.jobs, key=lambda j: board is None or j.report not in board.drawn)
    try:
        if options.scheduler:
            from .cluster import run_on_cluster

            outcomes = run_on_cluster(first, ctx, options.scheduler, vega_bundle(), done)
        else:
            outcomes = run_jobs(first, ctx, workers, vega_bundle(), done)
    finally:
        progress.close()
    order = {j.report: n for n, j in enumerate(batch.jobs)}
    batch.outcomes = sorted(outcomes, key=lambda o: order[o.report])
    packet = None
    if board is not None:
        for outcome in batch.outcomes:
            board.offer(outcome)  # --jobs 1, or a report it draws from failed: the packet starts now
        packet = board.finish()
    update_manifest(out, batch.jobs, batch.outcomes, batch.source)
    for line in summary_lines(batch.outcomes, time.perf_counter() - t0, out / "index.html", packet):
        print(line)
    failed = any(o.status != "ok" for o in batch.outcomes) or (packet or {}).get("status") == "failed"
    return 1 if failed else 0


def _board(
    url: str, asked: tuple[str, ...], params: Path, out: Path, jobs: Sequence[Job], force: bool
) -> BoardPacket:
    """The run's board packet: its conferences (asked, else the default ones) and the reports of this
    run it draws from. Should choosing fail, the packet is tried after the reports and says why."""
    from ..data.db import connect
    from ..packet.build import selection
    from ..packet.content import reports_drawn

    try:
        with connect(url) as conn:
            every, series, picked = selection(conn, url, params, asked)
    except ReportError:
        return BoardPacket(url, asked, params, out, (), force, complete=False)
    slugs = [c.slug for c in picked]
    wanted, planned = reports_drawn(slugs, every, series), {j.report for j in jobs}
    return BoardPacket(url, slugs, params, out, wanted & planned, force, complete=wanted <= planned,
                       series=series)


def summary_lines(
    outcomes: Sequence[Outcome], seconds: float, index: Path, packet: Mapping[str, object] | None = None
) -> list[str]:
    """The summary on stdout: counts, each failure (where, its first line, the error), what is kept;
    the board packet (written, or why not)."""
    failed = [o for o in outcomes if o.status != "ok"]
    same = sum(1 for o in outcomes if o.unchanged)
    ok = f"{len(outcomes) - len(failed)} ok" + (f" ({same} unchanged)" if same else "")
    lines = [f"{len(outcomes)} reports in {seconds:.1f}s: {ok}, {len(failed)} failed"]
    for o in failed:
        code = f" `{o.source}`" if o.source else ""
        lines.append(f"FAILED {o.report}: {o.where}{code}: {o.error}")
        kept = "the last good report is kept" if o.kept else "no earlier report to keep"
        notebook = f"executed notebook: {o.failed_ipynb} " if o.failed_ipynb else ""
        lines.append(f"       {notebook}({kept})")
    if packet is not None and packet.get("unchanged"):
        lines.append(f"board packet: {packet['path']} (unchanged)")
    elif packet is not None and packet.get("status") == "ok":
        lines.append(f"board packet: {packet['path']} ({packet['pages']} pages, {packet['seconds']:.1f}s)")
    elif packet is not None:
        kept = "the last good packet is kept" if packet.get("kept") else "no earlier packet to keep"
        lines.append(f"FAILED board packet: {packet['error']} ({kept})")
    lines.append(f"index: {index}")
    return lines


class _Progress:
    """tqdm on a terminal, plain lines otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", desc="reports", file=sys.stderr)

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        if outcome.unchanged:
            line = f"[{self.done}/{self.total}] same   {outcome.report} (unchanged)"
        else:
            line = f"[{self.done}/{self.total}] {outcome.status:<6} {outcome.report} ({outcome.seconds:.1f}s)"
        if self.bar is not None:
            self.bar.set_postfix_str(outcome.report, refresh=False)
            self.bar.update(1)
            if outcome.status != "ok":
                self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

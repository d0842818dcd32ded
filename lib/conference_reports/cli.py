"""The `conference-reports` command: parses, calls one function per verb, maps errors to one line."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from .errors import ReportError, first_line

PROG = "conference-reports"
DEBUG_ENV = "CONFERENCE_REPORTS_DEBUG"
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: a bug in the suite, not bad input
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer whose reader went away (128 + SIGPIPE)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy URL or SQLite path "
                        "(default: $CONFERENCE_REPORTS_DB, else the demo database)")


def cmd_conferences(args: argparse.Namespace) -> int:
    from .data.conferences import list_conferences
    from .data.db import connect
    from .demo.default import database_url

    with connect(database_url(args.db)) as conn:
        rows = list_conferences(conn)
    width = max((len(c.slug) for c in rows), default=4)
    for c in rows:
        print(f"{c.slug:<{width}}  {c.start_date} .. {c.end_date}  {c.name}")
    return 0


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """The cycle collector off while one short computation of aggregate rows runs: reference counting
    frees its garbage, and the collector's passes over SQLAlchemy's objects are pure cost (about 4% of
    a scale-100 `metrics`). Its state is put back, for a caller of `main` that goes on, with what the
    command allocated handed to the oldest generation: re-enabled as it was, the collector's next pass
    would walk every object made meanwhile (30-40 ms at scale 100, as the process ends)."""
    was_on, none_frozen = gc.isenabled(), gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield
    finally:
        if was_on and none_frozen:  # a caller's own frozen objects stay frozen
            gc.freeze()
            gc.enable()
            gc.unfreeze()
        elif was_on:
            gc.enable()


def cmd_metrics(args: argparse.Namespace) -> int:
    with _without_cycle_collector():
        return _print_metrics(args)


def _print_metrics(args: argparse.Namespace) -> int:
    from .data.conferences import get_conference, list_conferences, resolve_zone
    from .data.db import connect
    from .demo.default import database_url
    from .metrics import check_names, compute
    from .params import load_all, params_folder
    from .serialize import dumps

    check_names(args.metric or [])
    zone = resolve_zone(args.time_zone) if args.time_zone else None
    with connect(database_url(args.db), statement_cache=False) as conn:  # one conference, each statement once
        conference = get_conference(conn, args.conference)
        params = None
        if args.params is not None:
            slugs = [c.slug for c in list_conferences(conn)]
            params = load_all(params_folder(args.params), slugs)[conference.slug]
        values = compute(conn, conference, args.metric, zone, params)
    print(dumps(values))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .data.conferences import get_conference, list_conferences
    from .data.db import connect
    from .demo.default import database_url
    from .metrics.quality import RULES, data_quality
    from .serialize import dumps, jsonable

    def shown(example: dict[str, object]) -> str:
        """An example as `key=value` pairs (lists joined by '/'), without its conference."""
        values = {key: jsonable(value) for key, value in example.items() if key != "conference"}
        text = {key: "/".join(map(str, v)) if isinstance(v, list) else v for key, v in values.items()}
        return ", ".join(f"{key}={v}" for key, v in text.items())

    counts = dict.fromkeys(RULES, 0)
    examples: dict[str, list[dict[str, object]]] = {rule: [] for rule in RULES}
    lines: list[str] = []
    with connect(database_url(args.db)) as conn:
        slugs = list(dict.fromkeys(args.conference or []))
        conferences = [get_conference(conn, s) for s in slugs] if slugs else list_conferences(conn)
        for conference in conferences:
            lines.append(f"{conference.slug}  {conference.name}")
            for rule, found in data_quality(conn, conference).items():
                named = [{"conference": conference.slug, **e} for e in found["examples"]]
                counts[rule] += found["count"]
                examples[rule] += named
                lines.append(f"  {rule:<28} {found['count']:>5}")
                lines.extend(f"      {shown(e)}" for e in named)
    if args.json:
        print(dumps({rule: {"count": counts[rule], "examples": examples[rule]} for rule in RULES}))
    else:
        print("\n".join([*lines, f"{sum(counts.values())} finding(s) in {len(conferences)} conference(s)"]))
    return 1 if args.strict and any(counts.values()) else 0


def cmd_demo_db(args: argparse.Namespace) -> int:
    import datetime as dt

    from .demo import build_demo_db
    from .paths import default_demo_path

    target = args.target or str(default_demo_path())
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        raise ReportError(f"--today wants a date as YYYY-MM-DD, not {args.today!r}") from None
    summary = build_demo_db(target, scale=args.scale, seed=args.seed, today=today, force=args.force)
    rows = sum(summary.row_counts.values())
    print(f"wrote {summary.target}: {len(summary.conferences)} conferences, "
          f"{rows} rows in {summary.elapsed_seconds:.1f}s")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .pipeline.options import RunOptions
    from .pipeline.run import run_reports

    options = RunOptions(
        db=args.db,
        conferences=tuple(args.conference or ()),
        out=Path(args.out or "output"),
        jobs=args.jobs,
        params=Path(args.params) if args.params is not None else None,
        notebooks=Path(args.notebooks) if args.notebooks else None,
        packet=not args.no_packet,
        force=args.force,
        scheduler=args.scheduler,
    )
    return run_reports(options)


def cmd_packet(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .packet import PacketOptions, write_packet
    from .packet.build import describe

    options = PacketOptions(
        db=args.db,
        conferences=tuple(args.conference or ()),
        params=Path(args.params) if args.params is not None else None,
        out=Path(args.out),
        organisation=args.organisation,
        paper=args.paper,
    )
    print(describe(write_packet(options)))
    return 0


def _debug_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--debug", action="store_true", default=default,
                        help=f"show the traceback of an error (also: ${DEBUG_ENV}=1)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Analytics reports for django-program conferences."
    )
    _debug_option(parser, False)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("conferences", help="list conferences: slug, dates, name")
    _db_option(p)
    p.set_defaults(func=cmd_conferences)

    p = verbs.add_parser("metrics", help="print one conference's metrics as JSON")
    _db_option(p)
    p.add_argument("--conference", required=True, metavar="SLUG")
    p.add_argument("--metric", action="append", metavar="NAME", help="only this metric (repeatable)")
    p.add_argument("--time-zone", metavar="ZONE",
                   help="IANA zone for date-grouped metrics (default: the conference's own)")
    p.add_argument("--params", metavar="DIR", help="per-conference YAML; the suite's own metrics "
                   "(kpi_summary, sponsor_goal_progress) then use its targets and goals")
    p.set_defaults(func=cmd_metrics)

    p = verbs.add_parser("check", help="data-quality checks: each rule's count and up to five examples")
    _db_option(p)
    p.add_argument("--conference", action="append", metavar="SLUG",
                   help="only this conference (repeatable; default: every conference)")
    p.add_argument("--json", action="store_true",
                   help="print {rule: {count, examples}}, counts summed over the conferences")
    p.add_argument("--strict", action="store_true", help="exit 1 when any rule finds something")
    p.set_defaults(func=cmd_check)

    p = verbs.add_parser("demo-db", help="write a demo django-program database")
    p.add_argument("target", nargs="?", metavar="PATH_OR_URL", help="default: output/demo.sqlite3")
    p.add_argument("--scale", type=int, default=1, help="1: a few hundred attendees a conference")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date 'upcoming' is relative to")
    p.add_argument("--force", action="store_true", help="overwrite an existing database")
    p.set_defaults(func=cmd_demo_db)

    p = verbs.add_parser("run", help="execute the report notebooks into HTML")
    _db_option(p)
    p.add_argument("--conference", action="append", metavar="SLUG", help="only this conference (repeatable)")
    p.add_argument("--out", default="output", metavar="DIR")
    p.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: CPUs)")
    p.add_argument("--params", metavar="DIR", help="per-conference YAML (default: the checkout's params/)")
    p.add_argument("--notebooks", metavar="DIR", help="report notebooks (default: the checkout's notebooks/)")
    p.add_argument("--no-packet", action="store_true", help="do not write <out>/board-packet.pdf")
    p.add_argument("--force", action="store_true",
                   help="render every report, even one whose inputs have not changed since its last good run")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler (tcp://host:8786) to execute the notebooks on instead of local "
                        "workers (needs the dask extra)")
    p.set_defaults(func=cmd_run)

    p = verbs.add_parser("packet", help="write the board packet: one print-ready PDF")
    _db_option(p)
    p.add_argument("--conference", action="append", metavar="SLUG", help="only this conference (repeatable; "
                   "default: the latest completed and the next upcoming edition of each series)")
    p.add_argument("--params", metavar="DIR", help="per-conference YAML (default: the checkout's params/)")
    p.add_argument("--out", default="output/board-packet.pdf", metavar="FILE")
    p.add_argument("--organisation", metavar="NAME", help="named on the cover (default: the series' names)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.set_defaults(func=cmd_packet)
    for sub in verbs.choices.values():
        _debug_option(sub, argparse.SUPPRESS)  # `--debug` before or after the verb
    return parser


def _scrubbed(text: str, args: argparse.Namespace) -> str:
    """A message with every secret of the URLs in play masked (drivers sometimes echo them)."""
    from .data.db import ENV_VAR
    from .data.urls import scrub

    for url in (getattr(args, "db", None), getattr(args, "target", None), os.environ.get(ENV_VAR)):
        if url:
            text = scrub(text, url)
    return text


def _quiet_broken_pipe() -> int:
    """The reader of stdout went away (`metrics | head`): end quietly, without a flush error at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; the one place that turns an error into a line on stderr and an exit code."""
    return _run_verb(build_parser().parse_args(argv))


def _run_verb(args: argparse.Namespace) -> int:
    debug = args.debug or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except ReportError as exc:
        if debug:
            traceback.print_exc()
        print(f"{PROG}: error: {_scrubbed(str(exc), args)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        reason = first_line(exc)
        print(f"{PROG}: internal error: {type(exc).__name__}: {_scrubbed(reason, args)} "
              "(rerun with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def console() -> NoReturn:
    """The process's entry point (the installed command, `python -m`): one verb, then the exit. After
    `metrics` the exit skips the cycle collector's last walk over every object still alive (60-110 ms
    at scale 100): the system takes the memory back whole. Only there: a verb that ran a process pool
    leaves its dead threads to that walk, and the pool's exit hook would wake a closed pipe without it."""
    args = build_parser().parse_args()
    code = _run_verb(args)
    if args.func is cmd_metrics:
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    console()

"""Every metric agrees with django-program's own results on the fixture, by compare_metrics.py's rules."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from conference_reports.cli import main
from conference_reports.data.conferences import get_conference
from conference_reports.data.db import connect
from conference_reports.metrics import compute_one
from conference_reports.serialize import jsonable
from conftest import COMPARE, EXPECTED

# django-program groups by day in its Django TIME_ZONE; the fixture was made with the default.
DJANGO_TIME_ZONE = "America/Chicago"

_spec = importlib.util.spec_from_file_location("compare_metrics", COMPARE)
compare_metrics = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_metrics)

_expected = json.loads(EXPECTED.read_text())
CASES = [(slug, name) for slug in sorted(_expected) for name in sorted(_expected[slug])]


def _check(url: str, slug: str, name: str) -> None:
    with connect(url) as conn:
        conference = get_conference(conn, slug)
        value = jsonable(compute_one(conn, conference, name, ZoneInfo(DJANGO_TIME_ZONE)))
    problems = compare_metrics.diff(_expected[slug][name], value, f"{slug}.{name}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("slug", "name"), CASES, ids=[f"{s}.{n}" for s, n in CASES])
def test_metric_agrees_on_sqlite(fixture_url: str, slug: str, name: str) -> None:
    _check(fixture_url, slug, name)


@pytest.mark.postgres
@pytest.mark.parametrize(("slug", "name"), CASES, ids=[f"{s}.{n}" for s, n in CASES])
def test_metric_agrees_on_postgresql(pg_fixture_url: str, slug: str, name: str) -> None:
    _check(pg_fixture_url, slug, name)


@pytest.mark.parametrize("slug", sorted(_expected))
def test_cli_output_passes_compare_script(fixture_url, slug, tmp_path, capsys) -> None:
    """The `metrics` verb's JSON, judged by the shared compare script itself."""
    assert main(["metrics", "--db", fixture_url, "--conference", slug, "--time-zone", DJANGO_TIME_ZONE]) == 0
    actual = tmp_path / "actual.json"
    actual.write_text(capsys.readouterr().out)
    done = subprocess.run(
        [sys.executable, str(COMPARE), str(EXPECTED), str(actual), "--conference", slug],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert done.stdout.strip().endswith(f"{len(_expected[slug])} passed, 0 failed")


def test_what_ran_without_the_collector_is_not_walked_as_young_after() -> None:
    """Objects made while the collector was off go to the oldest generation: re-enabled as it was, the
    next young collection would walk every one of them (at scale 100, 30-40 ms as `metrics` ends)."""
    import gc

    from conference_reports.cli import _without_cycle_collector

    young_sizes: list[int] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 0:
            young_sizes.append(len(gc.get_objects(generation=0)))

    gc.collect()
    gc.callbacks.append(watch)
    try:
        with _without_cycle_collector():
            kept = [[i] for i in range(50_000)]
        more = [[i] for i in range(2_000)]  # enough allocation for young collections to run
    finally:
        gc.callbacks.remove(watch)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert young_sizes and max(young_sizes) < 50_000
    assert len(kept) + len(more) == 52_000


def test_a_callers_frozen_objects_stay_frozen() -> None:
    import gc

    from conference_reports.cli import _without_cycle_collector

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with _without_cycle_collector():
            pass
        assert gc.isenabled() and gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()


def test_metrics_verb_puts_the_cycle_collector_back(fixture_url, capsys) -> None:
    """`metrics` runs without the cycle collector, but a caller of `main` gets it back, after an
    answer and after an error alike."""
    import gc

    slug = sorted(_expected)[0]
    assert gc.isenabled()
    assert main(["metrics", "--db", fixture_url, "--conference", slug, "--metric", "attendee_summary"]) == 0
    assert gc.isenabled()
    assert main(["metrics", "--db", fixture_url, "--conference", "no-such-conference"]) != 0
    assert gc.isenabled()
    capsys.readouterr()

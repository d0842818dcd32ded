"""params/<slug>.yaml: validation, one clear error per problem, series and overrides."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conference_reports.errors import BadParams
from conference_reports.params import (
    check_overrides,
    default_series,
    load,
    load_all,
    parse,
    unmatched_files,
)

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, slug: str, text: str) -> Path:
    path = tmp_path / f"{slug}.yaml"
    path.write_text(text)
    return path


def test_full_file(tmp_path):
    write(
        tmp_path,
        "pyconf-2026",
        """
series: pyconf
targets:
  target_conversion_rate: 3.5
  target_revenue_per_attendee: null
sponsor_goals:
  revenue: 250000
  levels: {Gold: 5, silver: 8}
""",
    )
    p = load(tmp_path, "pyconf-2026")
    assert p.series == "pyconf" and p.effective_series == "pyconf"
    assert p.targets == {"target_conversion_rate": Decimal("3.5"), "target_revenue_per_attendee": None}
    assert p.sponsor_goals.revenue == Decimal("250000")
    assert p.sponsor_goals.levels == {"Gold": 5, "silver": 8}


def test_missing_and_empty_files_mean_defaults(tmp_path):
    p = load(tmp_path, "regiocon-2025")
    assert p.path is None and p.targets == {} and p.sponsor_goals.revenue is None
    assert p.effective_series == "regiocon"
    write(tmp_path, "x-2020", "")
    assert load(tmp_path, "x-2020").targets == {}


@pytest.mark.parametrize(
    "slug, series",
    [
        ("pyconf-2026", "pyconf"),
        ("python-2077", "python"),
        ("djangocon-eu-2025", "djangocon-eu"),
        ("summit", "summit"),
        ("pycon-us", "pycon-us"),
    ],
)
def test_default_series(slug, series):
    assert default_series(slug) == series


@pytest.mark.parametrize(
    "text, message",
    [
        ("colour: blue\n", "unknown key colour (allowed: series, targets, sponsor_goals)"),
        ("targets:\n  target_happiness: 3\n", "unknown key targets.target_happiness"),
        ("sponsor_goals:\n  budget: 3\n", "unknown key sponsor_goals.budget"),
        ("targets:\n  target_refund_rate: lots\n", "targets.target_refund_rate must be a number, got 'lots'"),
        ("targets:\n  target_refund_rate: -1\n", "must be a non-negative number"),
        ("targets:\n  target_refund_rate: true\n", "must be a number"),
        ("targets:\n  target_checkin_rate: 150\n", "target_checkin_rate must be a percentage from 0 to 100"),
        ("targets:\n  target_conversion_rate: 1E+400\n", "must be a percentage from 0 to 100"),
        ("targets:\n  target_revenue_per_attendee: 1E+400\n", "must be a number no larger than"),
        ("sponsor_goals:\n  revenue: 1E+400\n", "sponsor_goals.revenue must be a number no larger than"),
        ("sponsor_goals:\n  levels:\n    Gold: 2.5\n", "sponsor_goals.levels.Gold must be a whole number"),
        ("sponsor_goals:\n  levels: [Gold]\n", "sponsor_goals.levels must be a mapping"),
        ("series: 2026\n", "series must be a non-empty text"),
        ("- just\n- a list\n", "the file must be a mapping"),
        ("targets: [\n", "not valid YAML (line 2, column 1)"),
        ("targets:\n  a: 1\n b: 2\n", "not valid YAML (line 3"),
    ],
)
def test_bad_files_raise_one_clear_error_naming_file_and_key(tmp_path, text, message):
    write(tmp_path, "pyconf-2026", text)
    with pytest.raises(BadParams) as info:
        load(tmp_path, "pyconf-2026")
    line = str(info.value)
    assert "pyconf-2026.yaml" in line and message in line
    assert "\n" not in line and "Traceback" not in line


def test_load_all_validates_every_file(tmp_path):
    write(tmp_path, "a-2025", "series: a\n")
    write(tmp_path, "b-2025", "bogus: 1\n")
    with pytest.raises(BadParams, match=r"b-2025\.yaml: unknown key bogus"):
        load_all(tmp_path, ["a-2025", "b-2025"])


def test_unmatched_files_are_reported(tmp_path):
    write(tmp_path, "a-2025", "")
    write(tmp_path, "typo-2025", "")
    (tmp_path / "a-2025.yml").write_text("")
    assert [p.name for p in unmatched_files(tmp_path, ["a-2025"])] == ["a-2025.yml", "typo-2025.yaml"]


def test_notebook_overrides_are_checked_like_files():
    assert check_overrides({"target_checkin_rate": 85}) == {"target_checkin_rate": Decimal("85")}
    assert check_overrides(None) == {}
    with pytest.raises(BadParams, match="unknown key target_nope"):
        check_overrides({"target_nope": 1})
    with pytest.raises(BadParams, match="must be a mapping"):
        check_overrides([1])


def test_parse_takes_text_directly():
    p = parse(Path("inline.yaml"), "sponsor_goals: {revenue: 10}", "x-2020")
    assert p.sponsor_goals.as_dict() == {"revenue": 10.0, "levels": {}}


def test_committed_example_files_are_valid():
    files = sorted((ROOT / "params").glob("*.yaml"))
    assert files, "params/ should hold example files"
    for path in files:
        load(path.parent, path.stem)

"""Per-conference parameters: params/<slug>.yaml.

    # params/pyconf-2026.yaml (every key optional)
    series: pyconf              # groups editions for year-over-year change (default: slug minus -YYYY)
    targets:                    # KPI target overrides; they win over the database's KPITargets
      target_conversion_rate: 3.5
      target_revenue_per_attendee: 300
    sponsor_goals:              # the sponsor report's goals
      revenue: 250000           # sponsorship revenue goal
      levels:                   # target sponsor count per level (level name or slug)
        Gold: 5
        silver: 8

Unknown keys, wrong types and malformed YAML raise BadParams naming the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import BadParams
from .paths import default_params_dir

TOP_KEYS = ("series", "targets", "sponsor_goals")
GOAL_KEYS = ("revenue", "levels")
_YEAR_SUFFIX = re.compile(r"-(\d{4})$")


def target_keys() -> tuple[str, ...]:
    """The KPI target fields an override may name (the metrics' own list)."""
    from .metrics.targets import DEFAULT_TARGETS

    return tuple(DEFAULT_TARGETS)


@dataclass(frozen=True)
class SponsorGoals:
    revenue: Decimal | None = None
    levels: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"revenue": None if self.revenue is None else float(self.revenue), "levels": dict(self.levels)}


@dataclass(frozen=True)
class ConferenceParams:
    """The validated content of one params file (all defaults when the file does not exist)."""

    slug: str
    path: Path | None = None
    series: str | None = None
    targets: dict[str, Decimal | None] = field(default_factory=dict)
    sponsor_goals: SponsorGoals = field(default_factory=SponsorGoals)
    # every conference's series as the params folder has them (slug -> series), where it was read
    series_map: dict[str, str] = field(default_factory=dict)

    def with_targets(self, overrides: Mapping[str, Decimal | None]) -> ConferenceParams:
        """These params with `overrides` (validated, e.g. a notebook's) winning over the file's targets."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, targets={**self.targets, **given})

    def with_goals(self, goals: SponsorGoals) -> ConferenceParams:
        return replace(self, sponsor_goals=goals)

    @property
    def effective_series(self) -> str:
        return self.series or default_series(self.slug)


def default_series(slug: str) -> str:
    """A conference's series: its slug without a trailing -YYYY (the whole slug when there is none)."""
    return _YEAR_SUFFIX.sub("", slug) or slug


def params_folder(given: str | Path | None) -> Path:
    """A --params folder as given (relative to the working directory), else the checkout's params/;
    it must exist."""
    folder = Path(given) if given is not None else default_params_dir()
    if not folder.is_dir():
        raise BadParams(f"params folder {folder} does not exist")
    return folder.resolve()


def params_path(params_dir: str | Path | None, slug: str) -> Path:
    """params/<slug>.yaml; a slug that is no Django slug uses its safe name, so it stays in the folder."""
    from .paths import check_within, safe_name

    folder = Path(params_dir or default_params_dir())
    return check_within(folder, folder / f"{safe_name(slug)}.yaml")


def _where(path: Path | str) -> str:
    """How messages name where a value came from: a file (relative to here when it can) or a label."""
    if isinstance(path, str):
        return path
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# The largest amount a money figure may name: far above any conference, far below float overflow.
MONEY_LIMIT = Decimal("1e12")


def _number(
    path: Path | str, key: str, value: Any, *, allow_none: bool = True, upper: Decimal = MONEY_LIMIT
) -> Decimal | None:
    """A non-negative number at most `upper` (100 for a percentage); anything else is BadParams."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadParams(f"{_where(path)}: {key} must be a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise BadParams(f"{_where(path)}: {key} must be a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise BadParams(f"{_where(path)}: {key} must be a non-negative number, got {value!r}")
    if number > upper:
        what = "a percentage from 0 to 100" if upper == 100 else f"a number no larger than {upper:,.0f}"
        raise BadParams(f"{_where(path)}: {key} must be {what}, got {value!r}")
    return number


def _target(path: Path | str, key: str, name: str, value: Any) -> Decimal | None:
    """One KPI target: percentages lie in 0-100, money below MONEY_LIMIT."""
    from .metrics.targets import PERCENT_TARGETS

    return _number(path, key, value, upper=Decimal(100) if name in PERCENT_TARGETS else MONEY_LIMIT)


def _mapping(path: Path | str, key: str, value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BadParams(
            f"{_where(path)}: {key} must be a mapping of keys to values, got {type(value).__name__}"
        )
    return value


def _unknown(path: Path | str, data: Mapping[str, Any], allowed: Iterable[str], prefix: str = "") -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            raise BadParams(f"{_where(path)}: unknown key {prefix}{key!s} (allowed: {', '.join(allowed)})")


def parse(path: Path, text: str, slug: str) -> ConferenceParams:
    """Validate one params document."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadParams(f"{_where(path)}: not valid YAML{where}: {problem}") from None
    data = _mapping(path, "the file", data)
    _unknown(path, data, TOP_KEYS)

    series = data.get("series")
    if series is not None and (not isinstance(series, str) or not series.strip()):
        raise BadParams(f"{_where(path)}: series must be a non-empty text, got {series!r}")

    targets_in = _mapping(path, "targets", data.get("targets"))
    _unknown(path, targets_in, target_keys(), "targets.")
    targets = {k: _target(path, f"targets.{k}", k, v) for k, v in targets_in.items()}

    goals = parse_sponsor_goals(data.get("sponsor_goals"), path)
    return ConferenceParams(
        slug=slug, path=path, series=series.strip() if series else None, targets=targets, sponsor_goals=goals
    )


def parse_sponsor_goals(value: Any, origin: Path | str = "the sponsor_goals parameter") -> SponsorGoals:
    """Validate a `sponsor_goals` mapping (from a params file, or the notebook parameter)."""
    prefix = "sponsor_goals."
    goals_in = _mapping(origin, "sponsor_goals", value)
    _unknown(origin, goals_in, GOAL_KEYS, prefix)
    levels_in = _mapping(origin, f"{prefix}levels", goals_in.get("levels"))
    levels: dict[str, int] = {}
    for name, wanted in levels_in.items():
        key = f"{prefix}levels.{name}"
        n = _number(origin, key, wanted, allow_none=False)
        if n is None or n != n.to_integral_value():
            raise BadParams(f"{_where(origin)}: {key} must be a whole number of sponsors, got {wanted!r}")
        levels[str(name)] = int(n)
    return SponsorGoals(revenue=_number(origin, f"{prefix}revenue", goals_in.get("revenue")), levels=levels)


def load(params_dir: str | Path | None, slug: str) -> ConferenceParams:
    """params/<slug>.yaml validated; defaults when the file does not exist."""
    path = params_path(params_dir, slug)
    if not path.is_file():
        return ConferenceParams(slug=slug)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadParams(f"{_where(path)}: cannot read: {exc}") from None
    return parse(path, text, slug)


def load_all(params_dir: str | Path | None, slugs: Iterable[str]) -> dict[str, ConferenceParams]:
    """Every named conference's params (validating each file that exists), each knowing every one's
    series, so a series of editions is the same whichever of them is asked."""
    every = {slug: load(params_dir, slug) for slug in slugs}
    series = series_of(every)
    return {slug: replace(p, series_map=series) for slug, p in every.items()}


def series_of(params: Mapping[str, ConferenceParams]) -> dict[str, str]:
    """slug -> series, for every conference of `params`."""
    return {slug: p.effective_series for slug, p in params.items()}


def unmatched_files(params_dir: str | Path | None, slugs: Iterable[str]) -> list[Path]:
    """params/*.yaml files that name no known conference (likely typos)."""
    from .paths import safe_name

    folder = Path(params_dir or default_params_dir())
    known = {safe_name(s) for s in slugs}
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix != ".yaml" or p.stem not in known)


def check_overrides(overrides: Mapping[str, Any] | None, origin: str = "target_overrides") -> dict[str, Any]:
    """Validate notebook-parameter target overrides the same way as the params file's `targets`."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise BadParams(
            f"{origin} must be a mapping of target names to numbers, got {type(overrides).__name__}"
        )
    _unknown(origin, overrides, target_keys(), "")
    return {k: _target(origin, k, k, v) for k, v in overrides.items()}

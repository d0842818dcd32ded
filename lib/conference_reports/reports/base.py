"""What every report notebook shares: render modes, `show`, reading declared metrics, the Report object."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import charts
from ..data.conferences import Conference, default_conference, find_conference
from ..errors import BadParams
from ..files import write_atomic
from ..params import ConferenceParams
from ..serialize import jsonable
from .header import header_html

if TYPE_CHECKING:
    import pandas as pd

RENDER_MODES = ("interactive", "report")


def show(*items: Any) -> None:
    """Display each chart or table in turn (a notebook cell shows only its last value by itself).

    A chart's spec is written here, not in a display hook: a hook that fails prints its error and
    carries on, which would let a broken chart pass as a good report. Here the error fails the cell.
    An analyst's own Altair chart is shown the same way (Altair validates it first).
    """
    from IPython.display import display

    from .offline import render

    for item in items:
        if isinstance(item, charts.Chart) or _is_altair_chart(item):
            display(render(item.to_dict()), raw=True)
        else:
            display(item)


def _is_altair_chart(item: Any) -> bool:
    """An Altair chart (asked without importing Altair: a report that never made one never loads it)."""
    alt = sys.modules.get("altair")
    return alt is not None and isinstance(item, alt.TopLevelMixin)


def prepare(render: str) -> None:
    """Charts drawn without a network in both modes: report mode's for the HTML export; interactive
    mode (JupyterLab) shows the chart libraries once per notebook, from the Python environment, and
    draws each chart with them, an analyst's own Altair charts too, in the house look (see
    reports/offline.py)."""
    if render not in RENDER_MODES:
        raise BadParams(f"render must be one of {', '.join(RENDER_MODES)}, got {render!r}")
    from .offline import use_interactive_renderer, use_offline_renderer

    if render == "report":
        use_offline_renderer()
    else:
        charts.use_theme()
        use_interactive_renderer()


def database() -> str:
    """The URL the kernel reads: $CONFERENCE_REPORTS_DB, else the demo database (built when missing)."""
    from ..demo.default import database_url

    return database_url()


def data_source() -> str:
    """The database the kernel reads, as a page names it: password masked, no local path (showing it
    builds nothing)."""
    from ..data.urls import describe_source
    from ..demo.default import database_url

    return describe_source(database_url(build=False))


def pick(conferences: Sequence[Conference], slug: str | None) -> Conference:
    """The conference a notebook asked for; by default the most recent that has started."""
    return default_conference(conferences) if slug is None else find_conference(conferences, slug)


def compute_declared(
    conn: Any, conference: Conference, names: Sequence[str], params: ConferenceParams | None = None
) -> dict[str, Any]:
    """The metrics a report declares (an unknown name is UnknownMetric, never a silent gap)."""
    from ..metrics import compute

    return compute(conn, conference, names, params=params)


def load_reading(path: str | os.PathLike[str], asked: str | None = None) -> dict[str, Any] | None:
    """What the runner read for this report (`read` of its module), from `path`; it must be the reading
    of the conference the notebook asks for (`asked`, when it names one). None when the file is gone
    (an executed notebook run again: its runner's temp file was removed): the database is read."""
    from ..serialize import loads_exact

    if not Path(path).exists():
        print(f"conference-reports: note: {Path(path).name} is gone; reading the database", file=sys.stderr)
        return None
    try:
        reading = loads_exact(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadParams(f"cannot read the report's data file {Path(path).name}: {exc}") from None
    if asked is not None and reading.get("conference") not in (None, asked):
        raise BadParams(f"the data file {Path(path).name} holds {reading.get('conference')!r}, not {asked!r}")
    return reading


def now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def write_json(path: str | os.PathLike[str], payload: Any) -> None:
    """`payload` (decimals and dates made JSON) to `path`, atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps(jsonable(payload), indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def conference_label(conf: Conference, asked: str | None) -> str:
    """The slug, saying so when it was picked by default."""
    return conf.slug if asked else f"{conf.slug} (default: the most recent conference that has started)"


class PerEdition(dict):
    """slug -> one edition's value of a metric (the cross-event report's), for `Report.frame`."""


# What some reports hold besides their metrics, as `frame` offers it (an attribute or a method):
# the cross-event report's rows, lifetime value and series retention (per edition); the conference
# report's KPIs; the sponsor report's goal rows.
HELD = ("rows", "lifetime_value", "series_retention", "kpis", "goal_rows")
PER_EDITION = frozenset({"series_retention"})


@dataclass
class Report:
    """What every report shows at the top, plus the metric values its sections draw."""

    kind: str
    title: str
    render: str
    parameters: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=now)
    source: str = ""

    @property
    def phase(self) -> str | None:
        """The edition's phase (`edition_phase`), None for a report that did not read it."""
        return (self.values.get("edition_phase") or {}).get("phase")

    def __getitem__(self, name: str) -> Any:
        """A metric's value; a metric the report did not declare is a KeyError naming what it read."""
        if name in self.values:
            return self.values[name]
        raise KeyError(
            f"this report did not read metric {name!r} (it read: {', '.join(sorted(self.values))})"
        )

    def names(self) -> list[str]:
        """What `frame` accepts: each metric the report read, the tables it holds besides (`HELD`), and
        their nested parts by dotted name ("discount_impact.by_voucher")."""
        from .frames import parts

        found: list[str] = []
        for name, value in self._sources().items():
            editions = value.values() if isinstance(value, PerEdition) else [value]
            for one in editions:
                found += [p for p in parts(one, name) if p not in found]
        return found

    def frame(self, name: str) -> pd.DataFrame:
        """A metric (or a dotted part of one, see `names`) as a pandas DataFrame to explore and chart.

        A list of records is one row per record; a dict is one row of its scalars (its lists and dicts
        are frames of their own by dotted name), except that a dict holding only one list is that list
        and a dict of named dicts is a row per name (column `key`). Money, counts and rates are numbers
        (float64 for Decimals), dates and ISO date strings datetime64; the metric's own column names.
        A metric the cross-event report holds per edition is one frame, the slug in a first column
        `conference`. The rules in full: reports/frames.py.
        """
        from .frames import per_key_frame, resolve, split, to_frame

        head, path = split(name)
        sources = self._sources()
        if head not in sources:
            raise KeyError(f"this report holds no {head!r} (it holds: {', '.join(sources)})")
        value = sources[head]
        if isinstance(value, PerEdition):
            return per_key_frame(value, name, "conference")
        return to_frame(resolve(value, path), name)

    def _sources(self) -> dict[str, Any]:
        """Name -> value for `frame`: the metrics read, then the report's own tables (`HELD`)."""
        out: dict[str, Any] = dict(self.values)
        per = getattr(self, "per_conference", None)  # the cross-event report: metrics per edition
        if isinstance(per, Mapping):
            for slug, metrics in per.items():
                for metric, value in metrics.items():
                    out.setdefault(metric, PerEdition())[slug] = value
        for name in HELD:
            held = getattr(self, name, None)
            held = held() if callable(held) else held
            if isinstance(held, (Mapping, list)) and name not in out:
                out[name] = PerEdition(held) if name in PER_EDITION else held
        return out

    def header_html(self) -> str:
        return header_html(self.title, self.generated_at, self.source, self.parameters, self.notes)

    def header(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.header_html()))

    def _repr_html_(self) -> str:
        return self.header_html()


def describe_overrides(overrides: Mapping[str, Any]) -> str:
    if not overrides:
        return "none (targets from the database, else the defaults)"
    return ", ".join(f"{k} = {v}" for k, v in overrides.items())

"""What every report notebook shares: render modes, `show`, reading declared metrics, the Report object."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import charts
from ..data.conferences import Conference, default_conference, find_conference
from ..errors import BadParams
from ..files import write_atomic
from ..params import ConferenceParams
from ..serialize import jsonable
from .header import header_html

RENDER_MODES = ("interactive", "report")


def show(*items: Any) -> None:
    """Display each chart or table in turn (a notebook cell shows only its last value by itself).

    Charts are converted here, not in Altair's display hook: that hook prints a chart's error and
    carries on, which would let a broken chart pass as a good report. Here the error fails the cell.
    """
    import altair as alt
    from IPython.display import display

    for item in items:
        if not isinstance(item, alt.TopLevelMixin):
            display(item)
            continue
        spec = item.to_dict()  # validated against the Vega-Lite schema; raises on a bad chart
        renderer = alt.renderers.get()
        bundle = renderer(spec) if renderer is not None else None
        if isinstance(bundle, tuple):
            display(bundle[0], metadata=bundle[1], raw=True)
        elif bundle:
            display(bundle, raw=True)
        else:
            display(item)


def prepare(render: str) -> None:
    """Theme always; the offline renderer in report mode (analysts keep Altair's own in JupyterLab)."""
    if render not in RENDER_MODES:
        raise BadParams(f"render must be one of {', '.join(RENDER_MODES)}, got {render!r}")
    charts.use_theme()
    if render == "report":
        from .offline import use_offline_renderer

        use_offline_renderer()


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

    def __getitem__(self, name: str) -> Any:
        """A metric's value; a metric the report did not declare is a KeyError naming what it read."""
        if name in self.values:
            return self.values[name]
        raise KeyError(
            f"this report did not read metric {name!r} (it read: {', '.join(sorted(self.values))})"
        )

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

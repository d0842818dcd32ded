"""Vega-Lite specs as plain dicts, written with the few Altair-shaped calls the chart modules use.

    vl.Chart(df).mark_bar().encode(x=vl.X("revenue:Q", axis=vl.Axis(format="$,.0f")), y="day:T")

Altair builds a tree of schema objects, copies it deeply whenever charts are layered or stacked, and
validates each piece as it goes: about 3 s of a conference report's 30-odd charts. These builders
make the same specs as dicts in milliseconds and import neither Altair nor jsonschema; the tests
validate every chart the reports draw against the Vega-Lite schema instead. `Chart.to_altair()`
hands an analyst the Altair chart of a spec.

Semantics kept from Altair, so a spec reads the same: a shorthand `"field:Q"` is a field and its type
(`"sum(field):Q"` an aggregate); `None` is written as JSON null (an axis or a title switched off);
inline data goes to the top-level `datasets` under a name hashed from its rows; layers and stacks
whose parts all draw the same data object hold it once, and a layer holds its parts' size.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .theme import THEME_CONFIG

VEGA_LITE_VERSION = "6.4.1"
SCHEMA_URL = f"https://vega.github.io/schema/vega-lite/v{VEGA_LITE_VERSION}.json"

TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal", "G": "geojson"}
_SHORTHAND = re.compile(
    r"^(?:(?P<aggregate>[a-z]+)\((?P<inner>[^)]*)\)|(?P<field>.*?))(?::(?P<type>[QNOTG]))?$"
)
_COMPOSITIONS = ("layer", "vconcat", "hconcat")
_LAYER_SIZE = ("width", "height", "view")
_SECONDARY = frozenset({"x2", "y2", "theta2", "radius2", "latitude2", "longitude2"})  # they take no type

_renderer: Any = None  # how a chart shows itself in a notebook (set by the report layer's prepare)


def shorthand(text: str) -> dict[str, Any]:
    """`"field:Q"` as {"field", "type"}; `"sum(x):Q"` with its aggregate; `"count()"` a count."""
    found = _SHORTHAND.match(text)
    if found is None:  # pragma: no cover - the pattern matches every string
        raise ValueError(f"not a shorthand: {text!r}")
    out: dict[str, Any] = {}
    if found["aggregate"]:
        out["aggregate"] = found["aggregate"]
        if found["inner"]:
            out["field"] = found["inner"]
        elif found["aggregate"] == "count":
            out["type"] = "quantitative"
    elif found["field"]:
        out["field"] = found["field"]
    if found["type"]:
        out["type"] = TYPES[found["type"]]
    return out


class Params(dict):
    """Keyword arguments as a Vega-Lite object (Scale, Axis, Legend, TitleParams, DateTime, ...)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


class Scale(Params):
    pass


class Axis(Params):
    pass


class Legend(Params):
    pass


class TitleParams(Params):
    def __init__(self, text: Any = None, **kwargs: Any) -> None:
        super().__init__(**({"text": text} if text is not None else {}), **kwargs)


class DateTime(Params):
    pass


class Channel(dict):
    """An encoding channel: a shorthand (`"field:Q"`) and keyword arguments."""

    def __init__(self, field: str | None = None, **kwargs: Any) -> None:
        super().__init__({**(shorthand(field) if field is not None else {}), **kwargs})

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


class X(Channel):
    pass


class Y(Channel):
    pass


class Color(Channel):
    pass


class Text(Channel):
    pass


class Tooltip(Channel):
    pass


class Order(Channel):
    pass


def value(constant: Any) -> dict[str, Any]:
    """A channel set to a constant (a colour, a pixel position)."""
    return {"value": constant}


def datum(constant: Any) -> dict[str, Any]:
    """A channel set to a data value (drawn through the channel's scale)."""
    return {"datum": constant}


def condition(test: str, if_true: Mapping[str, Any], if_false: Mapping[str, Any]) -> dict[str, Any]:
    """`if_true` where the expression `test` holds, else `if_false`."""
    return {"condition": {"test": test, **if_true}, **if_false}


def _channel(name: str, given: Any) -> Any:
    if isinstance(given, (list, tuple)):
        return [_channel(name, item) for item in given]
    if isinstance(given, str):
        given = shorthand(given)
    if name in _SECONDARY and isinstance(given, Mapping) and "type" in given:
        given = {k: v for k, v in given.items() if k != "type"}
    return given


class Chart:
    """A view or a composition of views: its data (kept as given until the spec is written) and the
    rest of its spec. Every method returns a new chart; none changes the one it is called on."""

    def __init__(self, data: Any = None, **spec: Any) -> None:
        self.data = data
        self.spec: dict[str, Any] = spec

    def _with(self, **changes: Any) -> Chart:
        return Chart(self.data, **{**self.spec, **changes})

    # marks
    def mark(self, kind: str, **kwargs: Any) -> Chart:
        return self._with(mark={"type": kind, **kwargs})

    def mark_bar(self, **kwargs: Any) -> Chart:
        return self.mark("bar", **kwargs)

    def mark_text(self, **kwargs: Any) -> Chart:
        return self.mark("text", **kwargs)

    def mark_rule(self, **kwargs: Any) -> Chart:
        return self.mark("rule", **kwargs)

    def mark_line(self, **kwargs: Any) -> Chart:
        return self.mark("line", **kwargs)

    def mark_area(self, **kwargs: Any) -> Chart:
        return self.mark("area", **kwargs)

    def mark_point(self, **kwargs: Any) -> Chart:
        return self.mark("point", **kwargs)

    def mark_tick(self, **kwargs: Any) -> Chart:
        return self.mark("tick", **kwargs)

    # encodings, properties, transforms
    def encode(self, **channels: Any) -> Chart:
        """Channels added to (or replacing those of) the chart's encoding."""
        encoding = {**self.spec.get("encoding", {}), **{k: _channel(k, v) for k, v in channels.items()}}
        return self._with(encoding=encoding)

    def properties(self, **kwargs: Any) -> Chart:
        return self._with(**kwargs)

    def transform_calculate(self, **fields: str) -> Chart:
        """Each keyword a new field computed by its Vega expression."""
        added = [{"calculate": expr, "as": name} for name, expr in fields.items()]
        return self._with(transform=[*self.spec.get("transform", []), *added])

    def resolve_scale(self, **channels: str) -> Chart:
        resolve = dict(self.spec.get("resolve", {}))
        resolve["scale"] = {**resolve.get("scale", {}), **channels}
        return self._with(resolve=resolve)

    # reading a chart
    @property
    def title(self) -> Any:
        return self.spec.get("title")

    @property
    def vconcat(self) -> list[Chart]:
        return list(self.spec.get("vconcat", []))

    def to_dict(self) -> dict[str, Any]:
        """The whole Vega-Lite spec: `$schema`, the house config, datasets and the views."""
        datasets: dict[str, list[dict[str, Any]]] = {}
        spec = self._view(datasets, {})
        out = {"$schema": SCHEMA_URL, "config": copy.deepcopy(THEME_CONFIG), **spec}
        if datasets:
            out["datasets"] = datasets
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True, default=str)

    def to_altair(self) -> Any:
        """The same chart as an Altair object, to restyle or extend (imports Altair; validates the spec)."""
        import altair as alt

        return alt.Chart.from_dict(self.to_dict())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        if _renderer is None:
            return {"application/json": self.to_dict(), "text/plain": "<chart>"}
        return _renderer(self.to_dict())

    def _view(self, datasets: dict[str, Any], named: dict[int, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.data is not None:
            out["data"] = _named_data(self.data, datasets, named)
        for key, item in self.spec.items():
            out[key] = [part._view(datasets, named) for part in item] if key in _COMPOSITIONS else item
        return out


def _compose(kind: str, charts: Sequence[Chart], **kwargs: Any) -> Chart:
    """Charts layered or stacked; data drawn by every part (the same object) moves up to the whole."""
    parts = list(charts)
    data = kwargs.pop("data", None)
    first = parts[0].data if parts else None
    if data is None and first is not None and all(p.data is first for p in parts):
        data, parts = first, [Chart(None, **p.spec) for p in parts]
    elif data is not None and all(p.data is None or p.data is data for p in parts):
        parts = [Chart(None, **p.spec) for p in parts]
    spec: dict[str, Any] = {}
    if kind == "layer":  # a layer's size is the layer's, not its parts'
        for prop in _LAYER_SIZE:
            if prop in kwargs:
                continue
            values = [p.spec[prop] for p in parts if prop in p.spec]
            if values and any(v != values[0] for v in values[1:]):
                raise ValueError(f"inconsistent values {values} for {prop} in a layer")
            if values:
                spec[prop] = values[0]
                parts = [Chart(p.data, **{k: v for k, v in p.spec.items() if k != prop}) for p in parts]
    return Chart(data, **{kind: parts}, **spec, **kwargs)


def layer(*charts: Chart, **kwargs: Any) -> Chart:
    """Charts drawn on top of each other in one view."""
    return _compose("layer", charts, **kwargs)


def vconcat(*charts: Chart, **kwargs: Any) -> Chart:
    """Charts one above the other."""
    return _compose("vconcat", charts, **kwargs)


def hconcat(*charts: Chart, **kwargs: Any) -> Chart:
    """Charts side by side."""
    return _compose("hconcat", charts, **kwargs)


# ---------------------------------------------------------------------------------------------
# data


def _named_data(data: Any, datasets: dict[str, Any], named: dict[int, str]) -> dict[str, Any]:
    """`data` (a DataFrame, rows, or {"values": rows}) stored in `datasets`, referred to by name."""
    if isinstance(data, Mapping) and "values" not in data:
        return dict(data)  # a url or a named dataset
    key = id(data)
    if key not in named:
        values = data["values"] if isinstance(data, Mapping) else records(data)
        named[key] = dataset_name(values)
        datasets[named[key]] = values
    return {"name": named[key]}


def dataset_name(values: Any) -> str:
    """A name for rows from their content (so one table drawn twice is stored once)."""
    if values == [{}]:
        return "empty"
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def records(data: Any) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: a DataFrame's columns by type (times as ISO text, missing numbers as
    null, NumPy scalars as Python's), or rows given as dicts written the same way (datetimes as ISO
    text, a missing time as "", NaN and infinities as null, Decimals as floats)."""
    if isinstance(data, Sequence) and not isinstance(data, str):
        return [{k: _row_value(v) for k, v in dict(row).items()} for row in data]
    columns = [_column(data[name]) for name in data.columns]
    names = [str(name) for name in data.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if names else \
        [{} for _ in range(len(data))]


def _column(series: Any) -> list[Any]:
    from pandas.api.extensions import ExtensionDtype

    kind = series.dtype.kind
    values = series.tolist()
    if kind == "M":
        return ["" if v is None or v != v else v.isoformat() for v in values]
    if isinstance(series.dtype, ExtensionDtype):  # nullable numbers, strings, categories: NA as null
        return [_plain(v) for v in values]
    if kind == "f":
        return [None if v != v or v in (math.inf, -math.inf) else v for v in values]
    if kind in "iub":
        return values
    return [_plain(v) for v in values]


def _row_value(v: Any) -> Any:
    """A value of a row given as a dict, as a DataFrame's column of its type would write it."""
    if isinstance(v, dt.datetime):  # a datetime column: ISO text, NaT as ""
        return "" if v != v else v.isoformat()
    return _plain(v)


def _plain(v: Any) -> Any:
    """A value as JSON can carry it: missing as None, Decimal as float, NumPy scalars as Python's."""
    if v is None:
        return None
    if isinstance(v, float):
        return None if v != v or v in (math.inf, -math.inf) else v
    if isinstance(v, Decimal):
        return float(v) if v.is_finite() else None
    if isinstance(v, (str, bool, int, dt.date, list, dict)):
        return v
    if hasattr(v, "item") and not hasattr(v, "isoformat"):  # a NumPy scalar
        return _plain(v.item())
    try:
        missing = bool(v != v)  # NaT
    except TypeError:  # pandas' NA refuses to be compared
        missing = True
    return None if missing else v


def set_renderer(renderer: Any) -> None:
    """How charts show themselves in a notebook: spec -> MIME bundle (None: as JSON)."""
    global _renderer
    _renderer = renderer

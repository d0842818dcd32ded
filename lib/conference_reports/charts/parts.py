"""The helpers every chart module shares: records as rows (floats, local days and times, weeks),
axes and tooltips by unit, status and kind colours, titles, bar heights, per-row target ticks.

Rows are plain dicts, one per record, each holding every column of its table (None where a record has
no value): the tables charts wrangle are small aggregates, so plain Python serves and no kernel has
to import pandas to draw them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from . import vegalite as vl
from .formats import MET_TEXT, STATUS_DOMAIN, num
from .theme import BAR_STEP, MET, MISSED, MUTED, NEUTRAL, PALETTE, TARGET, WIDTH

Row = dict[str, Any]

# Records into rows.


def is_table(data: Any) -> bool:
    """Whether `data` is a DataFrame (asked without importing pandas: one passed in is loaded already)."""
    return hasattr(data, "to_dict") and hasattr(data, "columns")


def rows_of(records: Any) -> list[Row]:
    """Records (a DataFrame, one dict or a list of dicts) as new rows, each with every column of them
    all (None where a record has none), Decimals as floats and missing numbers (NaN, NA) as None."""
    if records is None:
        return []
    if is_table(records):
        records = records.to_dict("records")
    elif isinstance(records, Mapping):
        records = [records]
    given = [dict(r) for r in records]
    names = columns(given)
    return [{name: _record_value(r.get(name)) for name in names} for r in given] if names else []


def _record_value(v: Any) -> Any:
    """A record's value as rows hold it: a Decimal as a float, a missing number (NaN, NA) as None."""
    if isinstance(v, Decimal):
        v = float(v)
    if isinstance(v, float):
        return None if v != v else v
    if v is None or isinstance(v, (str, int, dt.date, list, dict, tuple)):
        return v
    try:
        return None if bool(v != v) else v
    except TypeError:  # pandas' NA refuses to be compared
        return None


def columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The columns of `rows`, in the order they first appear."""
    return list(dict.fromkeys(name for r in rows for name in r))


def numeric(rows: list[Row], *names: str) -> list[Row]:
    """`rows` with each of the columns `names` they have as floats (junk and None as None), changed in
    place."""
    present = set(columns(rows))
    for name in (n for n in names if n in present):
        for r in rows:
            r[name] = num(r.get(name))
    return rows


def values(rows: Iterable[Mapping[str, Any]], name: str) -> list[Any]:
    """The values of column `name`, missing ones left out."""
    return [r[name] for r in rows if r.get(name) is not None]


def total(rows: Iterable[Mapping[str, Any]], name: str) -> float:
    """The sum of column `name` (missing values left out; 0.0 for none)."""
    return math.fsum(values(rows, name))


def highest(rows: Iterable[Mapping[str, Any]], name: str) -> Any:
    """The largest value of column `name` (None when it has none)."""
    return max(values(rows, name), default=None)


def lowest(rows: Iterable[Mapping[str, Any]], name: str) -> Any:
    """The smallest value of column `name` (None when it has none)."""
    return min(values(rows, name), default=None)


def having(rows: Iterable[Mapping[str, Any]], name: str) -> list[Row]:
    """Copies of the rows with a value in column `name`."""
    return [dict(r) for r in rows if r.get(name) is not None]


def ranked(rows: Iterable[Mapping[str, Any]], *names: str) -> list[Row]:
    """The rows by `names`, largest first, rows without a value last, ties in their given order."""

    def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(part for n in names for part in (r.get(n) is not None, r.get(n) or 0))

    return sorted(rows, key=key, reverse=True)


def local_day(values: Iterable[Any]) -> list[dt.datetime]:
    """Calendar days as naive midnight datetimes (drawn as local time, so no browser shifts a day)."""
    out = []
    for v in values:
        day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
        out.append(dt.datetime(day.year, day.month, day.day))
    return out


def local_instant(values: Iterable[Any], zone: Any = None) -> list[dt.datetime]:
    """Instants as naive wall-clock datetimes in `zone` (a ZoneInfo or name; default: as given)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    out = []
    for v in values:
        stamp = v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))
        if tz is not None and stamp.tzinfo is not None:
            stamp = stamp.astimezone(tz)
        out.append(stamp.replace(tzinfo=None))
    return out


def week_start(day: dt.datetime) -> dt.datetime:
    """The Monday of `day`'s week, at the same time of day."""
    return day - dt.timedelta(days=day.weekday())


def sums_by(rows: Iterable[Mapping[str, Any]], keys: Sequence[str], sums: Sequence[str]) -> list[Row]:
    """One row per distinct `keys` (sorted by them; rows missing a key left out) with each of `sums`
    summed (missing values left out)."""
    groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
    for r in rows:
        found = tuple(r.get(k) for k in keys)
        if all(v is not None for v in found):
            groups.setdefault(found, []).append(r)
    return [
        {**dict(zip(keys, found, strict=True)), **{s: total(group, s) for s in sums}}
        for found, group in sorted(groups.items(), key=lambda item: item[0])
    ]


def _by_period(
    rows: list[Row],
    sums: Sequence[str],
    keys: Sequence[str] = (),
    *,
    max_days: int = 62,
) -> tuple[list[Row], str]:
    """Daily rows as they are, or summed per week (starting Monday) when they span more than `max_days`.

    Returns the rows (their `day` is the period start) and the period's name ("Day" or "Week of").
    """
    if not rows or (highest(rows, "day") - lowest(rows, "day")).days <= max_days:
        return rows, "Day"
    weekly = [{**r, "day": week_start(r["day"])} for r in rows]
    return sums_by(weekly, ["day", *keys], sums), "Week of"


def daily(records: Any, sums: Sequence[str], keys: Sequence[str] = ()) -> tuple[list[Row], str]:
    """Records with a `date` and the numbers `sums` as rows with a local `day`, per week when long.

    Returns the rows (none when there are no records) and the period's name ("Day" or "Week of").
    """
    rows = numeric(rows_of(records), *sums)
    if not rows:
        return rows, "Day"
    for r, day in zip(rows, local_day(r["date"] for r in rows), strict=True):
        r["day"] = day
    return _by_period(rows, sums, keys)


def long_form(
    rows: Sequence[Mapping[str, Any]],
    id_vars: Sequence[str],
    names: Mapping[str, str],
    value_name: str,
    var_name: str = "kind",
) -> list[Row]:
    """The columns named in `names` stacked into one `value_name` column, all rows of the first, then
    of the next; `var_name` says which, in words, and the `id_vars` columns come along."""
    return [
        {**{k: r[k] for k in id_vars}, var_name: word, value_name: r[column]}
        for column, word in names.items()
        for r in rows
    ]


# Bars on time axes.

PERIODS = {"Day": dt.timedelta(days=1), "Week of": dt.timedelta(days=7)}


def bands(
    rows: Iterable[Mapping[str, Any]], start: str, length: dt.timedelta | str, gap: float = 0.12
) -> list[Row]:
    """Copies of `rows` with `x0` and `x1`: each row's period from `start` over `length` (a timedelta, or
    the column where each row's period ends), less a `gap` share split either side, so a bar on a time
    axis is as wide as its period (never a hair-thin sliver)."""
    out = []
    for r in rows:
        span = length if isinstance(length, dt.timedelta) else r[length] - r[start]
        pad = span * (gap / 2)
        out.append({**r, "x0": r[start] + pad, "x1": r[start] + span - pad})
    return out


def time_axis(title: str | None, first: Any, last: Any) -> vl.Axis:
    """A date axis from `first` to `last` whose labels never run together: a tick per month ("Aug",
    "Jan 2026") over more than nine weeks, else per week ("Aug 03"), overlapping labels dropped."""
    span = (last - first).days
    if span > 62:
        tick: Any = {"interval": "month", "step": 1 if span <= 400 else 3}
        label = "timeFormat(datum.value, month(datum.value) == 0 ? '%b %Y' : '%b')"
    elif span > 13:
        tick, label = {"interval": "week", "step": 1}, "timeFormat(datum.value, '%b %d')"
    else:
        tick, label = {"interval": "day", "step": 1 if span <= 7 else 2}, "timeFormat(datum.value, '%b %d')"
    return vl.Axis(
        title=title, tickCount=tick, labelExpr=label, labelAngle=0, labelOverlap="greedy", labelSeparation=8
    )


# Encodings, titles and sizes.


def unit_axis(unit: str, title: str | None, ticks: int | None = None) -> vl.Axis:
    """An axis whose labels read as `unit`: money ($), percent (%) or count (whole numbers).

    Labels are whole units, so ticks are at least one unit apart: a small range never repeats a label
    ("$0 $0 $1").
    """
    extra: dict[str, Any] = {"tickCount": ticks, "tickMinStep": 1} if ticks else {"tickMinStep": 1}
    # Vega still steps by halves over a range of one unit (ticks 0, 0.5, 1: "0 1 1"): a tick between
    # whole units keeps its grid line but no label.
    whole = "datum.value % 1 ? '' : "
    if unit == "money":
        return vl.Axis(title=title, format="$,.0f", labelExpr=whole + "format(datum.value, '$,.0f')", **extra)
    if unit == "percent":
        return vl.Axis(title=title, labelExpr=whole + "format(datum.value, ',.0f') + '%'", **extra)
    return vl.Axis(title=title, format=",.0f", labelExpr=whole + "format(datum.value, ',.0f')", **extra)


def unit_tooltip(field: str, title: str, unit: str) -> vl.Tooltip:
    """A tooltip giving the exact value of `field` as `unit` (money to the cent, percent named once)."""
    if unit == "money":
        return vl.Tooltip(f"{field}:Q", title=title, format="$,.2f")
    if unit == "percent":
        return vl.Tooltip(f"{field}:Q", title=title if "%" in title else f"{title} (%)", format=",.2f")
    return vl.Tooltip(f"{field}:Q", title=title, format=",")


def status_colour(
    legend_title: str = "Against target",
    words: Mapping[str, str] = MET_TEXT,
    present: Iterable[str] | None = None,
) -> vl.Color:
    """Colour by the `status` column; the legend names each status in words (`words`)."""
    seen = set(present) if present is not None else set(STATUS_DOMAIN)
    domain = [s for s in STATUS_DOMAIN if s in seen] or STATUS_DOMAIN
    colours = {"met": MET, "missed": MISSED, "no target": MUTED, "n/a": MUTED, "not yet": MUTED}
    labels = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in words.items())
    return vl.Color(
        "status:N",
        scale=vl.Scale(domain=domain, range=[colours[s] for s in domain]),
        legend=vl.Legend(title=legend_title, labelExpr=f"{labels} : datum.label"),
    )


def kind_colour(first: str, second: str, other: str = PALETTE[1]) -> vl.Color:
    """Colour by the `kind` column holding two kinds: the first in the house blue, the second in `other`."""
    return vl.Color("kind:N", title=None, scale=vl.Scale(domain=[first, second], range=[NEUTRAL, other]))


def titled(chart: Any, title: str, subtitle: str | Sequence[str] | None = None) -> Any:
    """`chart` with a title and, when given, a subtitle (one line or several)."""
    params: dict[str, Any] = {"text": title}
    if subtitle:
        params["subtitle"] = subtitle
    return chart.properties(title=vl.TitleParams(**params))


def rows_height(n: int) -> int:
    """The height of a chart with `n` horizontal bars."""
    return max(60, BAR_STEP * n)


def domain_max(*values: Any, headroom: float = 1.3) -> float:
    """The top of a scale holding every one of `values` with `headroom` to spare (1.0 when all are 0)."""
    present = [abs(v) for v in (num(x) for x in values) if v is not None]
    top = max(present, default=0.0)
    return top * headroom if top > 0 else 1.0


# Bars against their own targets.


def target_ticks(rows: Sequence[Row], y: vl.Y, target: str, tooltip: Sequence[Any]) -> vl.Chart:
    """A dark tick at each row's own `target` (rows without one get none)."""
    return (
        vl.Chart(having(rows, target))
        .mark_tick(color=TARGET, thickness=3, size=BAR_STEP - 4)
        .encode(y=y, x=f"{target}:Q", tooltip=tooltip)
    )


def end_labels(rows: Sequence[Row], y: vl.Y) -> vl.Chart:
    """Each row's `label` just right of its `end` (the further of its bar and its tick)."""
    return vl.Chart(rows).mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="label:N")


def bars_against_ticks(
    rows: Sequence[Row],
    y: vl.Y,
    tooltip: Sequence[Any],
    *,
    value: str,
    target: str | None,
    unit: str,
    value_title: str,
    colour: vl.Color,
    headroom: float,
) -> vl.Chart:
    """Horizontal bars of `value`, each against its own `target` drawn as a dark tick (none when `target`
    is None), labelled past `end`.

    `rows` hold `value`, `target`, `label`, `end` and whatever `colour` and `tooltip` name.
    """
    top = domain_max(highest(rows, "end"), headroom=headroom)
    axis = unit_axis(unit, value_title, ticks=6)
    bar = (
        vl.Chart(rows)
        .mark_bar()
        .encode(
            y=y,
            x=vl.X(f"{value}:Q", axis=axis, scale=vl.Scale(domain=[0, top], nice=False)),
            color=colour,
            tooltip=tooltip,
        )
    )
    ticks = [target_ticks(rows, y, target, tooltip)] if target else []
    layers = vl.layer(bar, *ticks, end_labels(rows, y))
    return layers.properties(width=WIDTH - 60, height=rows_height(len(rows)))

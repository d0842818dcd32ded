"""The helpers every chart module shares: records as DataFrames (floats, local days and times, weeks),
axes and tooltips by unit, status and kind colours, titles, bar heights, per-row target ticks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from . import vegalite as vl
from .formats import MET_TEXT, STATUS_DOMAIN, num
from .theme import BAR_STEP, MET, MISSED, MUTED, NEUTRAL, PALETTE, TARGET, WIDTH

# Records into DataFrames.


def frame(records: Any) -> pd.DataFrame:
    """Records (a DataFrame, one dict or a list of dicts) as a new DataFrame, Decimals as floats."""
    if records is None:
        return pd.DataFrame()
    if isinstance(records, pd.DataFrame):
        df = records.copy()
        for column in [c for c in df.columns if pd.api.types.is_object_dtype(df[c].dtype)]:
            df[column] = [float(v) if isinstance(v, Decimal) else v for v in df[column]]
        return df
    if isinstance(records, Mapping):
        records = [records]
    rows = [{k: (float(v) if isinstance(v, Decimal) else v) for k, v in dict(r).items()} for r in records]
    return pd.DataFrame(rows)


def numeric(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """`df` with each of `columns` it has as float64 (junk and None as NaN), changed in place."""
    for column in columns:
        if column in df:
            df[column] = [num(v) for v in df[column]]
            df[column] = df[column].astype("float64")
    return df


def local_day(values: Iterable[Any]) -> list[pd.Timestamp]:
    """Calendar days as naive midnight timestamps (drawn as local time, so no browser shifts a day)."""
    out = []
    for v in values:
        day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
        out.append(pd.Timestamp(day.year, day.month, day.day))
    return out


def local_instant(values: Iterable[Any], zone: Any = None) -> list[pd.Timestamp]:
    """Instants as naive wall-clock timestamps in `zone` (a ZoneInfo or name; default: as given)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    out = []
    for v in values:
        stamp = v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))
        if tz is not None and stamp.tzinfo is not None:
            stamp = stamp.astimezone(tz)
        out.append(pd.Timestamp(stamp.replace(tzinfo=None)))
    return out


def _by_period(
    df: pd.DataFrame,
    sums: Sequence[str],
    keys: Sequence[str] = (),
    *,
    max_days: int = 62,
) -> tuple[pd.DataFrame, str]:
    """Daily rows as they are, or summed per week (starting Monday) when they span more than `max_days`.

    Returns the frame (its `day` column is the period start) and the period's name ("Day" or "Week of").
    """
    if df.empty or (df["day"].max() - df["day"].min()).days <= max_days:
        return df, "Day"
    weekly = df.assign(day=df["day"] - pd.to_timedelta(df["day"].dt.day_of_week, unit="D"))
    return weekly.groupby(["day", *keys], as_index=False)[list(sums)].sum(), "Week of"


def daily(records: Any, sums: Sequence[str], keys: Sequence[str] = ()) -> tuple[pd.DataFrame, str]:
    """Records with a `date` and the numbers `sums` as a frame with a local `day`, per week when long.

    Returns the frame (empty when there are no records) and the period's name ("Day" or "Week of").
    """
    df = numeric(frame(records), *sums)
    if df.empty:
        return df, "Day"
    df["day"] = local_day(df["date"])
    return _by_period(df, sums, keys)


def long_form(
    df: pd.DataFrame,
    id_vars: Sequence[str],
    names: Mapping[str, str],
    value_name: str,
    var_name: str = "kind",
) -> pd.DataFrame:
    """The columns named in `names` stacked into one `value_name` column; `var_name` says which, in words."""
    long = df.melt(id_vars=list(id_vars), value_vars=list(names), var_name=var_name, value_name=value_name)
    long[var_name] = long[var_name].map(names)
    return long


# Bars on time axes.

PERIODS = {"Day": pd.Timedelta(days=1), "Week of": pd.Timedelta(days=7)}


def bands(df: pd.DataFrame, start: str, length: pd.Timedelta | pd.Series, gap: float = 0.12) -> pd.DataFrame:
    """`df` with `x0` and `x1`: each row's period from `start` over `length`, less a `gap` share split
    either side, so a bar on a time axis is as wide as its period (never a hair-thin sliver)."""
    pad = length * (gap / 2)
    return df.assign(x0=df[start] + pad, x1=df[start] + length - pad)


def time_axis(title: str | None, first: Any, last: Any) -> vl.Axis:
    """A date axis from `first` to `last` whose labels never run together: a tick per month ("Aug",
    "Jan 2026") over more than nine weeks, else per week ("Aug 03"), overlapping labels dropped."""
    span = (pd.Timestamp(last) - pd.Timestamp(first)).days
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
    if unit == "money":
        return vl.Axis(title=title, format="$,.0f", **extra)
    if unit == "percent":
        return vl.Axis(title=title, labelExpr="format(datum.value, ',.0f') + '%'", **extra)
    return vl.Axis(title=title, format=",.0f", **extra)


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


def target_ticks(df: pd.DataFrame, y: vl.Y, target: str, tooltip: Sequence[Any]) -> vl.Chart:
    """A dark tick at each row's own `target` (rows without one get none)."""
    return (
        vl.Chart(df.dropna(subset=[target]))
        .mark_tick(color=TARGET, thickness=3, size=BAR_STEP - 4)
        .encode(y=y, x=f"{target}:Q", tooltip=tooltip)
    )


def end_labels(df: pd.DataFrame, y: vl.Y) -> vl.Chart:
    """Each row's `label` just right of its `end` (the further of its bar and its tick)."""
    return vl.Chart(df).mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="label:N")


def bars_against_ticks(
    df: pd.DataFrame,
    y: vl.Y,
    tooltip: Sequence[Any],
    *,
    value: str,
    target: str,
    unit: str,
    value_title: str,
    colour: vl.Color,
    headroom: float,
) -> vl.Chart:
    """Horizontal bars of `value`, each against its own `target` drawn as a dark tick, labelled past `end`.

    `df` holds `value`, `target`, `label`, `end` and whatever `colour` and `tooltip` name.
    """
    top = domain_max(df["end"].max(), headroom=headroom)
    bar = (
        vl.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=vl.X(
                f"{value}:Q", axis=unit_axis(unit, value_title), scale=vl.Scale(domain=[0, top], nice=False)
            ),
            color=colour,
            tooltip=tooltip,
        )
    )
    layers = vl.layer(bar, target_ticks(df, y, target, tooltip), end_labels(df, y))
    return layers.properties(width=WIDTH - 60, height=rows_height(len(df)))

"""Records (lists of dicts, dicts, DataFrames) into DataFrames: floats, local days and times, weeks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from .formats import num


def _frame(records: Any) -> pd.DataFrame:
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


def _numeric(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        if column in df:
            df[column] = [num(v) for v in df[column]]
            df[column] = df[column].astype("float64")
    return df


def _local_day(values: Iterable[Any]) -> list[pd.Timestamp]:
    """Calendar days as naive midnight timestamps (drawn as local time, so no browser shifts a day)."""
    out = []
    for v in values:
        day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
        out.append(pd.Timestamp(day.year, day.month, day.day))
    return out


def _local_instant(values: Iterable[Any], zone: Any = None) -> list[pd.Timestamp]:
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
    weekly = df.assign(day=df["day"] - pd.to_timedelta(df["day"].dt.weekday, unit="D"))
    return weekly.groupby(["day", *keys], as_index=False)[list(sums)].sum(), "Week of"


def _daily(records: Any, sums: Sequence[str], keys: Sequence[str] = ()) -> tuple[pd.DataFrame, str]:
    """Records with a `date` and the numbers `sums` as a frame with a local `day`, per week when long.

    Returns the frame (empty when there are no records) and the period's name (see `_by_period`).
    """
    df = _numeric(_frame(records), *sums)
    if df.empty:
        return df, "Day"
    df["day"] = _local_day(df["date"])
    return _by_period(df, sums, keys)


def _long(
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

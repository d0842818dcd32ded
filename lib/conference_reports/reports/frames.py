"""A metric's value as a pandas DataFrame, for exploring in a notebook (`Report.frame`).

The shape, by the value's kind:
- a list of records (dicts): one row per record, the records' keys as columns (an empty list: a
  frame with no columns);
- a dict: one row of its scalar entries. Its nested parts (lists, dicts) are left out of that row and
  are frames of their own by a dotted name: `"discount_impact.by_voucher"`. Two exceptions: a dict
  that is essentially a list (no scalar entries, and exactly one part, a list) is that list; and a
  dict with no scalar entries whose values are all dicts (checks, or sections, by name) is one row per
  entry, its name in a first column `key`;
- a list of scalars: one column named after the metric (its last dotted part);
- None: an empty frame.

Columns: Decimals, ints and floats become numbers (int64 for whole numbers, the nullable Int64 when
some are missing, float64 as soon as one is a Decimal or a float, missing ones NaN); dates,
datetimes and ISO date strings ("2026-06-10", "2026-10-08T09:00:00+02:00") become datetime64 (in
UTC when their offsets differ); booleans stay booleans; anything else (text, nested values) is left
to pandas. Column names are the metric's own keys, as text (a score distribution's 1..5: "1".."5").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")


def _is_part(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple))


def _is_records(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, Mapping) for v in value)


def _keyed(value: Mapping[str, Any]) -> bool:
    """A dict of named dicts (no scalar entries): one row per name."""
    return bool(value) and all(isinstance(v, Mapping) for v in value.values())


def _essentially_a_list(value: Mapping[str, Any]) -> bool:
    return len(value) == 1 and isinstance(next(iter(value.values())), (list, tuple))


def resolve(value: Any, path: Sequence[str]) -> Any:
    """The part of `value` at `path` (dict keys); a KeyError names the missing step."""
    for i, step in enumerate(path):
        if not isinstance(value, Mapping) or step not in value:
            where = ".".join(path[:i]) or "the metric"
            raise KeyError(f"{where} has no part {step!r}")
        value = value[step]
    return value


def parts(value: Any, prefix: str) -> list[str]:
    """`prefix`, then the dotted names of `value`'s nested parts that are frames of their own."""
    found = [prefix]
    if not isinstance(value, Mapping) or _essentially_a_list(value):
        return found
    keyed = _keyed(value)
    for key, sub in value.items():
        # a keyed dict's entries are rows of its own frame: one needs a name only for what it nests
        if _is_part(sub) and not (keyed and not any(_is_part(x) for x in sub.values())):
            found += parts(sub, f"{prefix}.{key}")
    return found


def rows_of(value: Any, name: str = "value") -> list[dict[str, Any]]:
    """The records a frame of `value` holds (see the module's rules)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        if _essentially_a_list(value):
            return rows_of(next(iter(value.values())), str(next(iter(value))))
        if _keyed(value):
            return [{"key": k, **{str(c): x for c, x in v.items() if not _is_part(x)}}
                    for k, v in value.items()]
        return [{str(k): v for k, v in value.items() if not _is_part(v)}]
    if _is_records(value):
        return [{str(k): v for k, v in row.items()} for row in value]
    if isinstance(value, (list, tuple)):
        return [{name: v} for v in value]
    return [{name: value}]


def _datetimes(values: list[Any], present: list[Any]) -> pd.Series | None:
    """`values` as datetime64 when every one `present` is a datetime, a date or an ISO date string."""
    import pandas as pd

    if all(isinstance(v, dt.datetime) for v in present):
        if len({v.utcoffset() is None for v in present}) > 1:
            return None  # naive and aware mixed: no one time line
        return pd.Series(pd.to_datetime(values, utc=len({str(v.tzinfo) for v in present}) > 1))
    if all(isinstance(v, dt.date) for v in present):  # dates, or dates and datetimes mixed
        return _iso_series([None if v is None else v.isoformat() for v in values])
    if all(isinstance(v, str) and _ISO.fullmatch(v) for v in present):
        return _iso_series(values)
    return None


def _iso_series(values: list[Any]) -> pd.Series:
    """ISO 8601 texts (None for gaps) as datetime64; in UTC where their offsets differ or some lack one."""
    import pandas as pd

    try:
        return pd.Series(pd.to_datetime(values, format="ISO8601"))
    except (ValueError, TypeError):
        return pd.Series(pd.to_datetime(values, format="ISO8601", utc=True))


def column(values: list[Any]) -> pd.Series:
    """One column: numbers, datetimes or booleans typed as the module says; anything else to pandas."""
    import pandas as pd

    present = [v for v in values if v is not None]
    gaps = len(present) < len(values)
    if not present:
        return pd.Series(values, dtype=object)
    if all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean" if gaps else bool)
    if all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in present):
        if all(isinstance(v, int) for v in present):
            return pd.Series(values, dtype="Int64" if gaps else "int64")
        return pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")
    when = _datetimes(values, present)
    return when if when is not None else pd.Series(values)


def records_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a DataFrame, columns in first-seen order, typed by `column`."""
    import pandas as pd

    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    return pd.DataFrame({c: column([row.get(c) for row in rows]) for c in names}, columns=names)


def to_frame(value: Any, name: str = "value") -> pd.DataFrame:
    """`value` (a metric, or a part of one) as a DataFrame: the module's shapes and column types."""
    return records_frame(rows_of(value, name.rsplit(".", 1)[-1]))


def split(name: str) -> tuple[str, list[str]]:
    """'discount_impact.by_voucher' -> ('discount_impact', ['by_voucher'])."""
    head, *path = name.split(".")
    return head, path


def per_key_frame(values: Mapping[str, Any], name: str, key: str) -> pd.DataFrame:
    """One metric of many editions (`values`: slug -> value) as one frame, the slug in a first column
    `key`: each edition's frame of the part `name` names (one without that part adds no rows)."""
    _, path = split(name)
    rows: list[dict[str, Any]] = []
    found = False
    for slug, value in values.items():
        try:
            part = resolve(value, path)
        except KeyError:
            continue
        found = True
        rows += [{key: slug, **row} for row in rows_of(part, name.rsplit(".", 1)[-1])]
    if path and not found:
        raise KeyError(f"no edition has a part {'.'.join(path)!r}")
    return records_frame(rows)

"""Metric values to JSON: decimals as strings, instants as ISO 8601 with offset, days as YYYY-MM-DD."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .data.conferences import Conference


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of a metric value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    return json.dumps(jsonable(value), indent=indent, sort_keys=True, ensure_ascii=False)


# A report's reading, handed from the runner to the kernel: exact types back (Decimal, date, datetime
# with its UTC offset, the Conference rows; tuples come back as lists), so the kernel's figures are the
# ones it would have read itself. Anything else is a TypeError, never a silent change.
_TAG = "$cr"


def _tagged(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dict):
        if any(not isinstance(k, str) for k in value):
            return {_TAG: "dict", "v": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tagged(v) for v in value]
    if isinstance(value, Conference):
        return {_TAG: "conference", "v": _tagged(dataclasses.asdict(value))}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"a reading holds {type(value).__name__}, which the runner cannot hand to a kernel")


def _untagged(value: Any) -> Any:
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(_TAG)
    if kind is None:
        return {k: _untagged(v) for k, v in value.items()}
    raw = value["v"]
    if kind == "decimal":
        return Decimal(raw)
    if kind == "datetime":
        return dt.datetime.fromisoformat(raw)
    if kind == "date":
        return dt.date.fromisoformat(raw)
    if kind == "dict":
        return {_untagged(k): _untagged(v) for k, v in raw}
    if kind == "conference":
        return Conference(**_untagged(raw))
    raise ValueError(f"unknown tag {kind!r}")


def dumps_exact(value: Any) -> str:
    """`value` as JSON that `loads_exact` turns back into the same Python values."""
    return json.dumps(_tagged(value), ensure_ascii=False, separators=(",", ":"))


def loads_exact(text: str) -> Any:
    return _untagged(json.loads(text))

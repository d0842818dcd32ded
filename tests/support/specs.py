"""Test support: reading Vega-Lite specs made by the chart builders."""

from __future__ import annotations

from typing import Any


def walk(node: Any):
    """Every dict inside a spec."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def rows(s: dict[str, Any]) -> list[dict[str, Any]]:
    """Every data row of a spec's inline datasets."""
    return [row for data in s.get("datasets", {}).values() for row in data]

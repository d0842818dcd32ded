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


def resolved(node: Any, datasets: dict[str, Any] | None = None) -> Any:
    """A spec with each named dataset's rows in place of its name (so specs compare by content)."""
    if datasets is None:
        datasets = node.get("datasets", {}) if isinstance(node, dict) else {}
    if isinstance(node, dict):
        return {
            key: {"values": datasets[value["name"]]}
            if key == "data" and isinstance(value, dict) and value.get("name") in datasets
            else resolved(value, datasets)
            for key, value in node.items()
            if key != "datasets"
        }
    if isinstance(node, list):
        return [resolved(value, datasets) for value in node]
    return node

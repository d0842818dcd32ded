"""Chart specs: the builder's rules (charts/vegalite.py), and every chart the three notebooks draw is valid
Vega-Lite (the reports no longer validate at run time, so this is where a broken chart is caught)."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from conference_reports.charts import vegalite as vl
from conference_reports.paths import default_notebooks_dir
from conftest import DEMO_TODAY
from support.handmade import Handmade

# --- the builder ---------------------------------------------------------------------------------


def test_shorthand_gives_field_type_and_aggregate() -> None:
    assert vl.shorthand("revenue:Q") == {"field": "revenue", "type": "quantitative"}
    assert vl.shorthand("day:T") == {"field": "day", "type": "temporal"}
    assert vl.shorthand("sum(amount):Q") == {"aggregate": "sum", "field": "amount", "type": "quantitative"}
    assert vl.shorthand("count()") == {"aggregate": "count", "type": "quantitative"}
    assert vl.shorthand("name") == {"field": "name"}


def test_none_is_written_as_null_and_secondary_channels_take_no_type() -> None:
    chart = vl.Chart(pd.DataFrame({"a": [1], "b": [2]})).mark_bar().encode(
        x=vl.X("a:Q", title=None, axis=None), x2="b:Q", y=vl.datum(0))
    enc = chart.to_dict()["encoding"]
    assert enc["x"] == {"field": "a", "type": "quantitative", "title": None, "axis": None}
    assert enc["x2"] == {"field": "b"}
    assert enc["y"] == {"datum": 0}
    assert json.loads(chart.to_json())["encoding"]["x"]["axis"] is None


def test_methods_return_new_charts_and_leave_the_old_one_alone() -> None:
    base = vl.Chart(pd.DataFrame({"a": [1]})).encode(y="a:Q")
    bar = base.mark_bar().encode(x="a:Q")
    assert "mark" not in base.spec and "x" not in base.spec["encoding"]
    assert bar.spec["mark"] == {"type": "bar"} and set(bar.spec["encoding"]) == {"x", "y"}


def test_layers_of_one_data_object_hold_it_once_and_carry_the_size() -> None:
    df = pd.DataFrame({"a": [1, 2]})
    base = vl.Chart(df)
    spec = vl.layer(base.mark_bar().properties(width=300), base.mark_text().properties(width=300)).to_dict()
    assert list(spec["datasets"].values()) == [[{"a": 1}, {"a": 2}]]
    assert spec["data"] == {"name": next(iter(spec["datasets"]))}
    assert spec["width"] == 300 and all("data" not in p and "width" not in p for p in spec["layer"])


def test_parts_of_different_data_keep_their_own() -> None:
    one, two = pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [2]})
    spec = vl.vconcat(vl.Chart(one).mark_bar(), vl.Chart(two).mark_bar()).to_dict()
    assert "data" not in spec and len(spec["datasets"]) == 2
    assert [p["data"]["name"] for p in spec["vconcat"]] == list(spec["datasets"])


def test_a_layer_refuses_parts_of_different_sizes() -> None:
    with pytest.raises(ValueError, match="height"):
        vl.layer(vl.Chart().mark_bar().properties(height=10), vl.Chart().mark_bar().properties(height=20))


def test_records_are_json_ready() -> None:
    df = pd.DataFrame({
        "n": [1, 2],
        "x": [1.5, float("nan")],
        "inf": [math.inf, 0.0],
        "day": [pd.Timestamp(2026, 2, 18), pd.NaT],
        "utc": pd.to_datetime(["2026-02-18T15:00:00Z", "2026-02-18T16:00:00Z"]),
        "s": ["a", None],
        "maybe": pd.array([1, None], dtype="Int64"),
        "ok": [True, False],
    })
    rows = vl.records(df)
    assert rows[0] == {"n": 1, "x": 1.5, "inf": None, "day": "2026-02-18T00:00:00",
                       "utc": "2026-02-18T15:00:00+00:00", "s": "a", "maybe": 1, "ok": True}
    assert rows[1] == {"n": 2, "x": None, "inf": 0.0, "day": "", "utc": "2026-02-18T16:00:00+00:00",
                       "s": None, "maybe": None, "ok": False}
    assert type(rows[0]["n"]) is int and type(rows[0]["ok"]) is bool
    assert vl.records([{"amount": Decimal("12.50"), "when": dt.date(2026, 1, 2)}]) == [
        {"amount": 12.5, "when": dt.date(2026, 1, 2)}]
    json.dumps(rows, allow_nan=False)  # no NaN or Infinity reaches a page


def test_rows_are_written_as_their_dataframe_is() -> None:
    """Charts hand the builder rows (dicts): datetimes, missing times and numbers, NumPy scalars and
    Decimals come out as a DataFrame of those rows writes them, so a chart's spec is the same either way."""
    rows = [
        {"day": dt.datetime(2026, 2, 18), "at": dt.datetime(2026, 2, 18, 7, 1, 7, 500000),
         "utc": dt.datetime(2026, 2, 18, 15, tzinfo=dt.UTC), "x": 1.5, "inf": math.inf, "n": 1, "s": "a"},
        {"day": pd.NaT, "at": dt.datetime(2026, 2, 18, 8), "utc": dt.datetime(2026, 2, 18, 16, tzinfo=dt.UTC),
         "x": float("nan"), "inf": 0.0, "n": 2, "s": "b"},
    ]
    df = pd.DataFrame(rows)
    assert vl.records(rows) == vl.records(df)
    assert vl.records(rows)[0]["at"] == "2026-02-18T07:01:07.500000" and vl.records(rows)[1]["day"] == ""
    assert vl.records(df.to_dict("records")) == vl.records(df)  # NumPy and pandas values in rows
    def bar(data):
        return vl.Chart(data).mark_bar().encode(x="x:Q").to_dict()

    assert bar(rows) == bar(df)


def test_one_table_drawn_twice_is_stored_once_under_a_name_from_its_rows() -> None:
    a, b = pd.DataFrame({"v": [1]}), pd.DataFrame({"v": [1]})
    spec = vl.vconcat(vl.Chart(a).mark_bar(), vl.Chart(b).mark_point()).to_dict()
    assert len(spec["datasets"]) == 1
    assert spec["vconcat"][0]["data"] == spec["vconcat"][1]["data"]


def test_every_spec_names_the_vega_lite_altair_knows_and_to_altair_round_trips() -> None:
    import altair as alt

    assert f"v{vl.VEGA_LITE_VERSION}" == alt.SCHEMA_VERSION
    chart = vl.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q").properties(title="T")
    assert chart.to_dict()["$schema"] == alt.SCHEMA_URL
    assert chart.to_altair().to_dict()["encoding"] == chart.to_dict()["encoding"]


# --- every chart of the reports is valid Vega-Lite -----------------------------------------------


@pytest.fixture(scope="module")
def validator():
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files("altair") / "vegalite/v6/schema/vega-lite-schema.json")
                        .read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _drawn(monkeypatch: pytest.MonkeyPatch, notebook: str, url: str, conference: str | None) -> list[dict]:
    """The specs of every chart `notebook`'s code cells show (run in this process, report mode)."""
    from conference_reports.reports import offline

    specs: list[dict] = []
    monkeypatch.setenv("CONFERENCE_REPORTS_DB", url)
    monkeypatch.setattr(offline, "render", lambda spec: specs.append(spec) or {"text/plain": ""})
    nb = json.loads((default_notebooks_dir() / notebook).read_text(encoding="utf-8"))
    names: dict = {"__name__": "__main__"}
    code = [c for c in nb["cells"]
            if c["cell_type"] == "code" and "analyst" not in c["metadata"].get("tags", [])]
    exec("".join(code[0]["source"]), names)
    names.update(render="report", **({"conference": conference} if conference else {}))
    for cell in code[1:]:
        exec("".join(cell["source"]), names)
    return specs


def _assert_valid(validator, specs: list[dict]) -> None:
    assert specs
    for spec in specs:
        errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.path))
        assert not errors, f"{spec.get('title')}: {errors[0].message[:300]} at {list(errors[0].path)}"
        json.dumps(spec, allow_nan=False, default=str)


@pytest.mark.parametrize("notebook", ["conference.ipynb", "sponsors.ipynb"])
@pytest.mark.parametrize("slug", ["pyconf-2024", "pyconf-2025", "pyconf-2026", "regiocon-2026"])
def test_demo_charts_are_valid(monkeypatch, validator, demo_sqlite, notebook: str, slug: str) -> None:
    """Editions over, running and on sale (as of the demo's day)."""
    path, _ = demo_sqlite
    monkeypatch.setenv("CONFERENCE_REPORTS_AS_OF", DEMO_TODAY)
    _assert_valid(validator, _drawn(monkeypatch, notebook, f"sqlite:///{path}", slug))


@pytest.mark.parametrize("notebook", ["conference.ipynb", "sponsors.ipynb", "cross_event.ipynb"])
def test_fixture_charts_are_valid(monkeypatch, validator, fixture_url: str, notebook: str) -> None:
    _assert_valid(validator, _drawn(monkeypatch, notebook, fixture_url, None))


def test_cross_event_charts_of_the_demo_are_valid(monkeypatch, validator, demo_sqlite) -> None:
    path, _ = demo_sqlite
    _assert_valid(validator, _drawn(monkeypatch, "cross_event.ipynb", f"sqlite:///{path}", None))


@pytest.mark.parametrize("notebook", ["conference.ipynb", "sponsors.ipynb"])
def test_an_empty_conference_draws_valid_notes(monkeypatch, validator, tmp_path: Path, notebook: str) -> None:
    hm = Handmade(tmp_path / "empty.sqlite3")
    hm.conference("empty-2026", "2026-05-01")
    specs = _drawn(monkeypatch, notebook, hm.url, "empty-2026")
    _assert_valid(validator, specs)
    notes = [row.get("note") for s in specs for rows in s.get("datasets", {}).values() for row in rows]
    assert any(isinstance(n, str) and n.startswith("No ") for n in notes)


def _shown(specs: list[dict]) -> list[str]:
    """Every line of words the specs show: titles, subtitles and text-mark fields of their data."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            title = node.get("title")
            if isinstance(title, dict):
                for key in ("text", "subtitle"):
                    part = title.get(key)
                    found.extend([part] if isinstance(part, str) else part or [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for spec in specs:
        walk(spec)
        found += [str(row[k]) for rows in spec.get("datasets", {}).values() for row in rows
                  for k in ("label", "text", "note") if k in row]
    return found


JUDGING = ("· met", "missed", "within limit", "over limit", "within budget", "over budget", "budget reached",
           "budget not reached")


@pytest.mark.parametrize("notebook", ["conference.ipynb", "sponsors.ipynb"])
def test_an_edition_before_sales_is_judged_nowhere(monkeypatch, demo_sqlite, notebook: str) -> None:
    """Read long before its sales opened, regiocon-2026's scorecard says "not yet" for every KPI; so
    does every section's chart (attendance, refunds, spending, the sponsor goals), none met or missed.
    The same notebooks judge it once it is over."""
    path, _ = demo_sqlite
    monkeypatch.setenv("CONFERENCE_REPORTS_AS_OF", "2025-01-01")
    shown = _shown(_drawn(monkeypatch, notebook, f"sqlite:///{path}", "regiocon-2026"))
    judged = [line for line in shown if any(word in line for word in JUDGING)]
    assert not judged, judged
    on_page = ("· not yet (target ", "· not yet (limit ", "· not yet (budget ")
    waiting = on_page if notebook == "conference.ipynb" else ("· not yet (goal ",)
    for said in waiting:
        assert any(said in line for line in shown), said
    monkeypatch.setenv("CONFERENCE_REPORTS_AS_OF", "2027-01-01")
    over = _shown(_drawn(monkeypatch, notebook, f"sqlite:///{path}", "regiocon-2026"))
    assert any(word in line for line in over for word in JUDGING)

"""Charts that read right: no target rule through a value label, budget labels anchored to the chart,
time-axis bars as wide as their period, week labels that do not run together."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pandas as pd

from conference_reports import charts
from support.specs import rows, walk


def spec(chart: Any) -> dict[str, Any]:
    charts.use_theme()
    return chart.to_dict()


def _text_marks(s: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in walk(s) if isinstance(d.get("mark"), dict) and d["mark"].get("type") == "text"]


def test_a_bar_label_below_its_target_starts_past_the_rule() -> None:
    """25 against a target of 60: the label is placed at 60 (past the rule), not at 25 where it would
    run through the rule; a bar over its target keeps its label at its own end."""
    s = spec(charts.bars([{"room": "A", "pct": 25}, {"room": "B", "pct": 80}], category="room", value="pct",
                         title="Rooms", value_title="Used (%)", unit="percent", target=60))
    fields = [m["encoding"]["x"]["field"] for m in _text_marks(s)]
    assert sorted(fields) == ["end", "target"]  # the bar labels, and the rule's own label above the plot
    ends = {r["room"]: r["end"] for r in rows(s) if "end" in r}
    assert ends == {"A": 60, "B": 80}


def test_a_bullet_says_its_words_above_the_bar_not_beside_it() -> None:
    """Words beside the bar were cut short on a phone: each row's name is its title and its value, status
    and target the subtitle, and nothing is drawn as text in the plot for a rule to strike or an edge
    to clip."""
    kpis = [{"label": "Attendance (registered attendees)", "value": 419, "target": 440, "unit": "count"},
            {"label": "Refund rate", "value": 2.3, "target": 4.0, "unit": "percent",
             "higher_is_better": False}]
    s = spec(charts.primitives.bullets(kpis, title="KPIs", subtitle="dashed line = target"))
    rows_titles = [c["title"] for c in s["vconcat"]]
    assert [t["text"] for t in rows_titles] == ["Attendance (registered attendees)", "Refund rate"]
    assert [t["subtitle"] for t in rows_titles] == ["419 · missed (target 440)", "2.3% · met (target 4.0%)"]
    assert _text_marks(s) == []
    # one bullet alone: the chart's title, its words the subtitle, naming the dashed line
    one = spec(charts.bullet("Attendance", 419, 440, unit="count"))
    assert one["title"] == {"text": "Attendance", "subtitle": ["419 · missed (target 440, dashed line)"]}
    assert _text_marks(one) == []


def test_the_budget_label_is_anchored_to_the_chart_not_a_pixel() -> None:
    records = [{"date": "2026-01-01", "daily": "50", "cumulative": "50"},
               {"date": "2026-01-02", "daily": "100", "cumulative": "150"}]
    s = spec(charts.cumulative_revenue(records, budget=D("120")))
    budget = [m for m in _text_marks(s) if m["encoding"].get("y", {}).get("field") == "target"]
    assert budget, "no budget label"
    x = budget[0]["encoding"]["x"]
    assert x == {"value": 0}, x  # the left edge, whatever the width: the line starts below the budget
    assert budget[0]["mark"]["baseline"] == "bottom"  # above the rule
    assert any(r.get("label") == "Revenue budget $120.00" for r in rows(s))
    # a horizontal rule labelled at the right edge follows the view's width signal
    right = spec(charts.target_rule(5, "Goal", axis="y", at="end"))
    assert [m["encoding"]["x"] for m in _text_marks(right)] == [{"value": "width"}]


def test_sales_bars_span_their_week() -> None:
    days = pd.date_range("2026-01-05", periods=100, freq="D")
    records = [{"date": d.date().isoformat(), "count": 1, "revenue": "10"} for d in days]
    s = spec(charts.sales_by_date(records))
    bars = [d for d in walk(s) if d.get("mark") in ("bar", {"type": "bar"}) or
            (isinstance(d.get("mark"), dict) and d["mark"].get("type") == "bar")]
    assert bars and all(b["encoding"]["x2"]["field"] == "x1" for b in bars)
    data = [r for r in rows(s) if "x0" in r]
    first = data[0]
    width = pd.Timestamp(first["x1"]) - pd.Timestamp(first["x0"])
    assert pd.Timedelta(days=6) <= width < pd.Timedelta(days=7)  # a week less a small gap
    axis = bars[0]["encoding"]["x"]["axis"]
    assert axis["tickCount"] == {"interval": "month", "step": 1}
    assert axis["labelOverlap"] == "greedy" and axis["labelAngle"] == 0


def test_check_ins_are_drawn_per_day_in_visible_windows() -> None:
    records = [{"bucket_start": f"2026-02-{d}T{h}:00:00", "bucket_end": f"2026-02-{d}T{h}:15:00", "count": 3}
               for d in ("18", "19") for h in ("08", "09", "10")]
    s = spec(charts.checkin_throughput(records))
    assert len(s["vconcat"]) == 2  # one panel per day, the night left out
    data = [r for r in rows(s) if "x0" in r]
    width = pd.Timestamp(data[0]["x1"]) - pd.Timestamp(data[0]["x0"])
    assert pd.Timedelta(minutes=12) <= width < pd.Timedelta(minutes=15)


def test_growth_labels_start_past_the_target_tick() -> None:
    """161 against a target of 170: the label starts at 170, past the tick, not at the bar's end where
    the tick would strike it; each conference is a row (names under narrow columns ran together)."""
    rows_in = [{"name": "Conf 2026", "series": "conf", "attendance": 161, "revenue": 900, "sponsors": 3,
                "talks": 10, "target_attendance": 170, "revenue_budget": 800, "upcoming": False}]
    s = spec(charts.yoy_growth_by_conference(rows_in))
    attendance = [r for r in rows(s) if r.get("attendance") == 161 and "end" in r]
    assert attendance and attendance[0]["end"] == 170
    labels = _text_marks(s)
    assert len(labels) == 4  # one per chart: attendance, revenue, sponsors, talks
    assert all(m["encoding"]["x"]["field"] == "end" and m["encoding"]["y"]["field"] == "name" for m in labels)


def test_return_rates_draw_no_line_from_one_series_to_another() -> None:
    """Editions alternate between series (PyConf 2025, RegioCon 2025, ...): a line through them would
    draw a trend that is not there, so each conference is a row of dots, one per measure."""
    editions = (("PyConf", 40.0), ("RegioCon", 10.0))
    rows_in = [{"name": f"{s} 2025", "series": s.lower(), "retention_rate": r, "renewal_rate": 50.0,
                "speaker_return_rate": 30.0} for s, r in editions]
    rows_in.append({"name": "PyConf 2026", "series": "pyconf", "retention_rate": None, "renewal_rate": None,
                    "speaker_return_rate": None})
    s = spec(charts.return_rates(rows_in))
    marks = [m["mark"]["type"] if isinstance(m["mark"], dict) else m["mark"] for m in walk(s) if "mark" in m]
    assert marks == ["point"]
    y = s["encoding"]["y"]
    assert y["field"] == "name" and y["sort"] == ["PyConf 2025", "RegioCon 2025", "PyConf 2026"]
    assert y["scale"]["domain"] == y["sort"]  # PyConf 2026 keeps its row with no rate to draw
    assert sorted(r["rate"] for r in rows(s)) == [10.0, 30.0, 30.0, 40.0, 50.0, 50.0]


def test_an_edition_not_held_yet_says_so_beside_its_attendees() -> None:
    """Its bar holds the returning and new attendees so far; its rate is withheld, and the words say
    why (not "retention n/a", which is for an edition that nothing came before)."""
    rows_in = [{"name": "Conf 2025", "returning": 0, "new": 90, "retention_rate": None, "upcoming": False},
               {"name": "Conf 2026", "returning": 40, "new": 60, "retention_rate": 40.0, "upcoming": False},
               {"name": "Conf 2027", "returning": 20, "new": 10, "retention_rate": None, "upcoming": True}]
    labels = [r["label"] for r in rows(spec(charts.yoy_retention_by_conference(rows_in))) if "label" in r]
    assert labels == ["retention n/a", "40.0% returning", "not held yet"]

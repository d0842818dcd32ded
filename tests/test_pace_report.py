"""The pace and forecast as a reader sees them: their sentences, the scorecard's change at the same
days out, and the conference report and kpis.json of the fixture's upcoming edition."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from decimal import Decimal as D

import pytest

from conference_reports import charts
from conference_reports.charts.pace import days_words
from conftest import FIXTURE_DB
from test_runner import build_reports, sections

GAP = {
    "gap": {"against": "c-2026", "against_name": "Conf 2026", "days_out": 78,
            "registrations": 260, "previous_registrations": 252, "registrations_change_pct": D("3.2"),
            "revenue": D("80095.89"), "previous_revenue": D("75196.29"), "revenue_change_pct": D("6.5")},
    "recent": [{"days": 7, "registrations": 1, "revenue": D("300.00")},
               {"days": 28, "registrations": 38, "revenue": D("13375.95")}],
}


def test_gap_and_recent_sentences() -> None:
    assert charts.pace_gap_text(GAP) == (
        "+3.2% registrations (260 against 252) and +6.5% net ticket revenue ($80,095.89 against "
        "$75,196.29) against Conf 2026 at 78 days out.")
    assert charts.pace_recent_text(GAP) == (
        "What sold: last 7 days 1 registration and $300.00; last 28 days 38 registrations and $13,375.95.")
    fell = {"gap": {**GAP["gap"], "registrations_change_pct": D("-12.0"), "revenue_change_pct": None}}
    assert charts.pace_gap_text(fell).startswith("−12.0% registrations (260 against 252) and n/a net ticket")
    assert charts.pace_gap_text({"gap": None}).startswith("No earlier edition of this series")
    over = {"gap": {**GAP["gap"], "days_out": -2, "final": True}, "recent": GAP["recent"], "over": True}
    assert charts.pace_recent_text(over).startswith("What sold up to its end: last 7 days 1 registration")
    assert charts.pace_gap_text(over) == (
        "Final figures: +3.2% registrations (260 against 252) and +6.5% net ticket revenue ($80,095.89 "
        "against $75,196.29) against Conf 2026 by the same day of its edition (the last).")
    assert [days_words(d) for d in (1, 0, -2)] == ["1 day out", "on the first day", "2 days after the start"]
    nothing = {"gap": {**GAP["gap"], "registrations": 0, "previous_registrations": 0, "revenue": D("0.00"),
                       "previous_revenue": D("0.00")},
               "recent": [{"days": 7, "registrations": 0, "revenue": D("0.00")}]}
    assert charts.pace_gap_text(nothing) == "Nothing sold yet, nor had Conf 2026 at 78 days out."
    assert charts.pace_recent_text(nothing) == "Nothing sold in the last 28 days."


def test_forecast_sentences_and_warning() -> None:
    made = {"registrations": {"point": 463, "low": 430, "high": 480},
            "revenue": {"point": D("150000.00"), "low": D("140000.00"), "high": D("160000.50")},
            "targets": {"registrations": D("490"), "revenue": None},
            "warnings": [{"figure": "registrations", "high": 480, "target": D("490")}], "reason": None}
    assert charts.forecast_text(made) == (
        "Forecast of the final figures: registrations 463 (430–480) against a target of 490; net ticket "
        "revenue $150,000.00 ($140,000.00–$160,000.50).")
    assert charts.forecast_warnings(made) == [
        "Early warning: even the top of the registrations forecast (480) is below the target (490)."]
    none = {"registrations": {"point": None}, "revenue": {"point": None}, "reason": "sales have not started"}
    assert charts.forecast_text(none) == "No forecast (sales have not started)."
    assert charts.forecast_lines(made) == ["Registrations 463 (430–480), target 490",
                                           "Net ticket revenue $150,000.00 ($140,000.00–$160,000.50)"]
    assert charts.forecast_lines(none) == ["No forecast (sales have not started)."]


def test_scorecard_change_at_the_same_days_out() -> None:
    kpis = [{"key": "attendance", "label": "Attendance", "value": 270, "unit": "count", "status": "not yet"},
            {"key": "total_income", "label": "Total income", "value": D("1000.00"), "unit": "money",
             "status": "not yet"}]
    rows = charts.scorecard_rows(kpis, [{"key": "attendance", "value": 252, "now": 260}])
    # 260 registrations now against 252 then: +8, whatever the attendance figure itself says.
    assert [r["change"] for r in rows] == ["+8", "—"]


@pytest.fixture(scope="module")
def upcoming() -> dict:
    """python-2077 (upcoming in the fixture): its kpis.json, its page, and the metric from the CLI."""
    built = build_reports()
    done = subprocess.run(
        [sys.executable, "-m", "conference_reports.cli", "metrics", "--db", str(FIXTURE_DB),
         "--conference", "python-2077", "--params", str(built.params),
         "--metric", "registration_pace", "--metric", "forecast"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    folder = built.out / "python-2077"
    return {"kpis": json.loads((folder / "kpis.json").read_text()),
            "html": (folder / "conference.html").read_text(), "metrics": json.loads(done.stdout)}


@pytest.mark.slow
def test_kpis_json_holds_the_pace_and_forecast_of_the_metrics(upcoming: dict) -> None:
    kpis, metrics = upcoming["kpis"], upcoming["metrics"]
    assert kpis["pace"]["gap"] == metrics["registration_pace"]["gap"]
    assert kpis["pace"]["recent"] == metrics["registration_pace"]["recent"]
    made = {k: v for k, v in kpis["forecast"].items() if k not in ("text", "warning_texts")}
    assert made == metrics["forecast"]
    assert set(kpis["quality"]) >= {"slot_overlap", "refund_larger_than_order"}


@pytest.mark.slow
def test_the_page_shows_the_gap_the_forecast_and_the_pace_chart(upcoming: dict) -> None:
    page, kpis = upcoming["html"], upcoming["kpis"]
    assert html.escape(kpis["pace"]["text"]) in page
    assert html.escape(kpis["forecast"]["text"]) in page
    (spec,) = [s for s in sections(page)["Registration pace and forecast"]]
    titles = json.dumps(spec)
    assert "Registrations by days before the start" in titles
    assert "Net ticket revenue by days before the start" in titles


def test_pace_chart_draws_one_line_per_edition_even_when_names_repeat() -> None:
    from support.specs import walk

    pace = {"days_out": 10, "editions": [
        {"slug": "euro-2026", "name": "EuroConf", "points": [{"days_out": 20, "registrations": 3,
                                                             "revenue": D("10.00")}]},
        {"slug": "euro-2025", "name": "EuroConf", "points": [{"days_out": 20, "registrations": 2,
                                                             "revenue": D("8.00")}]}]}
    charts.use_theme()
    spec = charts.registration_pace(pace, {"registrations": D("5")}).to_dict()
    domains = [n["scale"]["domain"] for n in walk(spec) if isinstance(n.get("scale"), dict)
               and n.get("field") == "slug"]
    assert domains and all(d == ["euro-2026", "euro-2025"] for d in domains)
    assert "EuroConf (euro-2025)" in json.dumps(spec) and "target 5" in json.dumps(spec)


def test_the_pace_marker_says_today_until_the_edition_is_over() -> None:
    """An edition over stands at its last day ("2 days after the start"): months later that is not today."""
    from support.specs import rows

    def marker(pace: dict) -> list[str]:
        charts.use_theme()
        spec = charts.registration_pace(pace).to_dict()
        return sorted({r["label"] for r in rows(spec) if str(r.get("label", "")).endswith(")")})

    points = [{"days_out": 20, "registrations": 3, "revenue": D("10.00"), "current": True}]
    edition = {"slug": "euro-2026", "name": "EuroConf", "points": points}
    assert marker({"days_out": 10, "over": False, "editions": [edition]}) == ["today (10 days out)"]
    over = marker({"days_out": -2, "over": True, "editions": [edition]})
    assert over == ["last day (2 days after the start)"]


def test_the_pace_marker_label_sits_where_there_is_room() -> None:
    """Near the start (the plot's right edge) the label reads leftwards from the rule, not off the plot;
    early on, rightwards; always at the plot's foot, clear of the target's rule along the top."""
    from support.specs import walk

    points = [{"days_out": 200, "registrations": 1, "revenue": D("1.00")},
              {"days_out": 20, "registrations": 3, "revenue": D("10.00")}]
    edition = {"slug": "euro-2026", "name": "EuroConf", "points": points}

    def label_mark(days_out: int) -> dict:
        charts.use_theme()
        spec = charts.registration_pace({"days_out": days_out, "editions": [edition]}).to_dict()
        foot = {"value": "height"}
        at_foot = [n["mark"] for n in walk(spec) if isinstance(n.get("mark"), dict)
                   and n["mark"].get("type") == "text" and n.get("encoding", {}).get("y") == foot]
        (mark,) = {json.dumps(m, sort_keys=True) for m in at_foot}  # the same in both panels
        return json.loads(mark)

    assert label_mark(5)["align"] == "right" and label_mark(150)["align"] == "left"
    assert label_mark(5)["baseline"] == "bottom"

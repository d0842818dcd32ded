"""Charts: valid Vega-Lite, targets drawn with words, money formatted, empty data as a note.

Inputs are the fixture's expected metric values (decimals as strings), so these tests need no database.
"""

from __future__ import annotations

import ast
import html
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert

from conference_reports import charts
from conference_reports.data.conferences import get_conference
from conference_reports.data.db import connect
from conference_reports.metrics import compute_one
from conference_reports.metrics import names as metric_names
from conference_reports.reports import offline as render
from support.specs import resolved, rows, walk

# Charts named after the metric they draw: each takes that metric's value as its first argument.
METRIC_CHARTS = sorted(set(charts.__all__) & set(metric_names()))


@pytest.fixture(scope="module")
def v(expected: dict) -> dict[str, Any]:
    return expected["python-2077"]


def spec(chart: Any) -> dict[str, Any]:
    charts.use_theme()
    return chart.to_dict()  # validates against the Vega-Lite schema


def texts(s: dict[str, Any]) -> list[str]:
    """Every text a spec can show: text-mark fields of its datasets, and title and subtitle lines."""
    drawn = [str(value) for row in rows(s) for key, value in row.items() if key in ("label", "text", "note")]
    titles = [n["title"] for n in walk(s) if isinstance(n.get("title"), dict)]
    parts = [t.get(key) for t in titles for key in ("text", "subtitle")]
    return drawn + [str(line) for part in parts for line in ([part] if isinstance(part, str) else part or [])]


def has_rule_at(s: dict[str, Any], value: float) -> bool:
    marks = [
        n
        for n in walk(s)
        if n.get("mark") in ("rule", {"type": "rule"})
        or (isinstance(n.get("mark"), dict) and n["mark"].get("type") == "rule")
    ]
    return bool(marks) and any(row.get("target") == value for row in rows(s))


def builders(v: dict[str, Any]) -> dict[str, Any]:
    t = v["effective_targets"]
    sa = v["sponsor_analytics"]
    return {
        "scorecard": lambda: charts.kpi_scorecard(
            [
                {
                    "key": "conversion_rate",
                    "label": "Cart conversion rate",
                    "value": Decimal("30.0"),
                    "target": Decimal("3.5"),
                    "status": "met",
                    "unit": "percent",
                    "higher_is_better": True,
                }
            ]
        ),
        "revenue_breakdown": lambda: charts.revenue_breakdown(v["revenue_breakdown"]),
        "revenue_by_ticket_type": lambda: charts.revenue_by_ticket_type(v["revenue_by_ticket_type"]),
        "cumulative_revenue": lambda: charts.cumulative_revenue(v["cumulative_revenue"], 50000),
        "cashflow_waterfall": lambda: charts.cashflow_waterfall(v["cashflow_waterfall"]),
        "sales_by_date": lambda: charts.sales_by_date(v["sales_by_date"]),
        "registration_flow": lambda: charts.registration_flow(v["registration_flow"]),
        "ticket_sales_ratio": lambda: charts.ticket_sales_ratio(v["ticket_sales_ratio"]),
        "attendee_summary": lambda: charts.attendee_summary(v["attendee_summary"], 150),
        "cart_funnel": lambda: charts.cart_funnel(v["cart_funnel"], t["target_conversion_rate"]),
        "refund_metrics": lambda: charts.refund_metrics(v["refund_metrics"], t["target_refund_rate"]),
        "credit_summary": lambda: charts.credit_summary(v["credit_summary"]),
        "vouchers": lambda: charts.vouchers(v["voucher_summary"], v["discount_summary"]),
        "discount_impact": lambda: charts.discount_impact(v["discount_impact"]),
        "checkin_throughput": lambda: charts.checkin_throughput(v["checkin_throughput"], "Europe/Berlin"),
        "room_utilization": lambda: charts.room_utilization(
            v["room_utilization"], t["target_room_utilization"]
        ),
        "activity_utilization": lambda: charts.activity_utilization(v["activity_utilization"]),
        "travel_grant_analytics": lambda: charts.travel_grant_analytics(v["travel_grant_analytics"], 15000),
        "content_analytics": lambda: charts.content_analytics(v["content_analytics"]),
        "sponsor_benefit_fulfillment": lambda: charts.sponsor_benefit_fulfillment(
            v["sponsor_benefit_fulfillment"], t["target_fulfillment_rate"]
        ),
        "expense_summary": lambda: charts.expense_summary(v["expense_summary"]),
        "event_roi": lambda: charts.event_roi(v["event_roi"]),
        "nps_score": lambda: charts.nps_score(v["nps_score"]),
        "session_rating_analytics": lambda: charts.session_rating_analytics(v["session_rating_analytics"]),
        "sponsor_analytics_revenue_goal": lambda: charts.sponsor_analytics_revenue_goal(
            sa["total_sponsor_revenue"], 250000
        ),
        "sponsor_analytics_level_goals": lambda: charts.sponsor_analytics_level_goals(
            sa["by_level"], {"Diamond": 3, "gold": 2}
        ),
        "sponsor_analytics_revenue_by_level": lambda: charts.sponsor_analytics_revenue_by_level(
            sa["by_level"]
        ),
        "sponsor_benefit_fulfillment_by_level": lambda: charts.sponsor_benefit_fulfillment_by_level(
            sa["by_level"], 90
        ),
        "sponsor_renewal_rate": lambda: charts.sponsor_renewal_rate(v["sponsor_renewal_rate"]),
        "sponsor_benefit_fulfillment_outstanding": lambda: charts.sponsor_benefit_fulfillment_outstanding(
            v["sponsor_benefit_fulfillment"]["by_sponsor"]
        ),
        "attendee_lifetime_value": lambda: charts.attendee_lifetime_value(v["attendee_lifetime_value"]),
        "yoy_growth_by_conference": lambda: charts.yoy_growth_by_conference(
            [
                {
                    "name": "Python 2076",
                    "series": "python",
                    "attendance": 40,
                    "revenue": "9010",
                    "sponsors": 4,
                    "talks": 20,
                    "target_attendance": 120,
                    "revenue_budget": Decimal("40000"),
                },
                {
                    "name": "Python 2077",
                    "series": "python",
                    "attendance": 66,
                    "revenue": "22190.45",
                    "sponsors": 15,
                    "talks": 30,
                    "target_attendance": 50,
                    "revenue_budget": None,
                },
            ]
        ),
        "yoy_retention_by_conference": lambda: charts.yoy_retention_by_conference(
            [
                {"name": "Python 2076", "returning": 0, "new": 40, "retention_rate": "0"},
                {"name": "Python 2077", "returning": 44, "new": 22, "retention_rate": "66.67"},
            ]
        ),
        "return_rates": lambda: charts.return_rates(
            [
                {
                    "name": "Python 2077",
                    "retention_rate": "66.6",
                    "renewal_rate": "40.0",
                    "speaker_return_rate": "75",
                },
            ]
        ),
    }


def test_every_chart_is_valid_vega_lite_with_data(v):
    for name, build in builders(v).items():
        s = spec(build())
        assert rows(s), f"{name}: no data in the spec"
        assert not any("note" in row for row in rows(s)), f"{name}: drew the no-data note on real data"
        json.dumps(s)  # everything serialisable: no Decimals left behind


def test_every_chart_has_a_plain_title(v):
    for name, build in builders(v).items():
        s = spec(build())
        titles = [n["title"] for n in walk(s) if isinstance(n.get("title"), (str, dict))]
        assert titles, f"{name}: no title"


def test_target_is_a_labelled_rule_and_status_is_text_and_colour(v):
    s = spec(charts.room_utilization(v["room_utilization"], Decimal("28.00")))
    assert has_rule_at(s, 28.0)
    assert "Target 28.0%" in texts(s)
    statuses = {row["status"] for row in rows(s) if "status" in row}
    assert statuses == {"met", "missed"}
    labels = [t for t in texts(s) if "·" in t]
    assert any(t.endswith("· met") for t in labels) and any(t.endswith("· missed") for t in labels)
    colours = [n for n in walk(s) if n.get("field") == "status" and "scale" in n]
    assert colours and colours[0]["scale"]["range"] == [charts.MET, charts.MISSED]


def test_lower_is_better_targets_say_within_or_over(v):
    s = spec(charts.refund_metrics(v["refund_metrics"], Decimal("5.0")))
    assert any("within limit" in t for t in texts(s))
    s = spec(charts.refund_metrics(v["refund_metrics"], Decimal("1.0")))
    assert any("over limit" in t for t in texts(s))


def test_budget_charts_draw_the_budget(v):
    s = spec(charts.cumulative_revenue(v["cumulative_revenue"], 50000))
    assert has_rule_at(s, 50000.0)
    assert any(t == "Revenue budget $50,000.00" for t in texts(s))
    assert any("budget not reached" in t for t in texts(s))
    s = spec(charts.expense_summary(v["expense_summary"]))
    assert any("over budget" in t for t in texts(s)) and any("within budget" in t for t in texts(s))


def test_money_tooltips_and_axes_are_formatted_as_money(v):
    s = spec(charts.revenue_breakdown(v["revenue_breakdown"]))
    formats = {n.get("format") for n in walk(s) if n.get("type") == "quantitative" or "format" in n}
    assert "$,.2f" in formats and "$,.0f" in formats
    assert "$230,000.00 (90.2%)" in texts(s)


def test_empty_data_gives_a_note_not_a_broken_chart():
    for chart in (
        charts.cart_funnel(None),
        charts.cart_funnel({"total_carts": 0}),
        charts.room_utilization([], 28),
        charts.revenue_by_ticket_type([]),
        charts.checkin_throughput([]),
        charts.session_rating_analytics({}),
        charts.sponsor_analytics_level_goals([], {}),
        charts.yoy_growth_by_conference([]),
        charts.bars([], category="a", value="b", title="T", value_title="B"),
    ):
        s = spec(chart)
        notes = [row["note"] for row in rows(s) if "note" in row]
        assert notes and all(n.startswith("No ") for n in notes), s


# Charts of a list of records, each with the metric it draws: an analyst may pass them a DataFrame.
RECORD_CHARTS = {
    "sales_by_date": "sales_by_date",
    "revenue_by_ticket_type": "revenue_by_ticket_type",
    "registration_flow": "registration_flow",
    "cumulative_revenue": "cumulative_revenue",
    "checkin_throughput": "checkin_throughput",
    "ticket_sales_ratio": "ticket_sales_ratio",
    "ticket_sales_ratio_stock": "ticket_sales_ratio",
    "room_utilization": "room_utilization",
    "activity_utilization": "activity_utilization",
}


@pytest.mark.parametrize("name", sorted(RECORD_CHARTS))
def test_a_dataframe_draws_as_its_records_do(v, name: str) -> None:
    records = v[RECORD_CHARTS[name]]
    draw = getattr(charts, name)
    assert records and resolved(spec(draw(pd.DataFrame(records)))) == resolved(spec(draw(records)))


def test_dataframes_of_weeks_and_conferences_draw_as_their_records_do() -> None:
    days = [f"2026-{m:02d}-{d:02d}" for m in (1, 2, 3, 4) for d in range(1, 29)]  # drawn per week
    sales = [{"date": day, "count": i % 3, "revenue": f"{i * 1.1:.2f}", "ticket_type": "AB"[i % 2]}
             for i, day in enumerate(days)]
    checkins = [{"bucket_start": f"{day}T09:00:00+00:00", "bucket_end": f"{day}T09:15:00+00:00", "count": 2}
                for day in days[:9]]  # more days than panels: drawn per day
    conferences = [
        {"name": f"Python {year}", "series": "python", "attendance": people, "revenue": Decimal("9010.5"),
         "sponsors": 4, "talks": None, "target_attendance": target, "revenue_budget": None,
         "upcoming": year == 2078, "returning": people and people // 2, "new": 10, "retention_rate": rate,
         "renewal_rate": "40.0", "speaker_return_rate": None}
        for year, people, target, rate in ((2076, 40, 120, None), (2077, None, 50, "66.7"),
                                           (2078, 12, None, "0"))
    ]
    for draw, records in (
        (charts.sales_by_date, sales),
        (charts.revenue_by_ticket_type, sales),
        (lambda data: charts.checkin_throughput(data, "Europe/Berlin"), checkins),
        (charts.yoy_growth_by_conference, conferences),
        (charts.yoy_retention_by_conference, conferences),
        (charts.return_rates, conferences),
    ):
        assert resolved(spec(draw(pd.DataFrame(records)))) == resolved(spec(draw(records)))


def discount_records(n: int) -> dict[str, Any]:
    """A discount_impact value with `n` voucher codes: CODE01 gave $10.00, CODE02 $20.00, and so on."""
    by_voucher = [
        {"code": f"CODE{i:02d}", "discount_total": float(i * 10), "order_count": i} for i in range(1, n + 1)
    ]
    total = sum(r["discount_total"] for r in by_voucher)
    return {
        "total_gross": "10000.00",
        "total_discount": f"{total:.2f}",
        "total_net": f"{10000 - total:.2f}",
        "discount_rate": "5.0",
        "orders_with_discount": n,
        "orders_without_discount": 100,
        "by_voucher": by_voucher,
    }


def subtitles(s: dict[str, Any]) -> list[str]:
    """Every subtitle line in a spec."""
    found = [n["subtitle"] for n in walk(s) if "subtitle" in n]
    return [line for sub in found for line in ([sub] if isinstance(sub, str) else sub)]


def test_discount_impact_draws_the_top_15_codes_and_sums_the_rest():
    s = spec(charts.discount_impact(discount_records(20)))
    codes = [row["code"] for row in rows(s) if "code" in row]
    assert sorted(codes) == [f"CODE{i:02d}" for i in range(6, 21)]  # the 15 largest discounts
    assert any(line.startswith("Gross $10,000.00") for line in subtitles(s))
    assert "Top 15 of 20 codes by discount given; the other 5 gave $150.00" in subtitles(s)


def test_discount_impact_draws_every_code_when_there_are_few():
    s = spec(charts.discount_impact(discount_records(5)))
    assert sorted(row["code"] for row in rows(s) if "code" in row) == [f"CODE{i:02d}" for i in range(1, 6)]
    assert not any("other" in line or "Top " in line for line in subtitles(s))


def test_no_target_is_said_in_words():
    s = spec(charts.bullet("Revenue per attendee", Decimal("321.34"), None, unit="money"))
    assert any("no target" in t for t in texts(s))
    assert not any(n.get("mark") == "rule" for n in walk(s))


def test_scorecard_table_says_met_and_missed_in_words():
    kpis = [
        {
            "key": "a",
            "label": "Check-in rate",
            "value": Decimal("40.9"),
            "target": Decimal("80"),
            "status": "missed",
            "unit": "percent",
            "higher_is_better": True,
        },
        {
            "key": "b",
            "label": "Refund rate",
            "value": Decimal("4.4"),
            "target": Decimal("5"),
            "status": "met",
            "unit": "percent",
            "higher_is_better": False,
        },
        {
            "key": "c",
            "label": "Revenue per attendee",
            "value": Decimal("321.34"),
            "target": None,
            "status": "no target",
            "unit": "money",
            "higher_is_better": True,
        },
    ]
    html = charts.scorecard_table(kpis, [{"key": "a", "value": Decimal("30")}], "Python 2076").data
    assert "✗ missed" in html and "✓ within limit" in html and "no target" in html
    assert "$321.34" in html and "+10.9 pts" in html and "Change vs Python 2076" in html


def test_formatting_helpers():
    assert charts.money("1234.5") == "$1,234.50"
    assert charts.money(Decimal("-3")) == "-$3.00"
    assert charts.percent("0E+2") == "0.0%"
    assert charts.num("junk") is None and charts.num(None) is None
    assert charts.status_of(5, 5) == "met" and charts.status_of(6, 5, False) == "missed"
    assert charts.status_of(1, None) == "no target"


def test_offline_renderer_ids_are_content_hashes():
    chart = charts.no_data("Same chart")
    a = render.offline_html(spec(chart))["text/html"]
    b = render.offline_html(spec(chart))["text/html"]
    c = render.offline_html(spec(charts.no_data("Other chart")))["text/html"]
    ida, idb, idc = (h.split('id="', 1)[1].split('"', 1)[0] for h in (a, b, c))
    assert ida.rsplit("-", 1)[0] == idb.rsplit("-", 1)[0] != idc.rsplit("-", 1)[0]
    assert ida != idb  # a repeated spec gets its own element
    assert "vegaEmbed(" in a and "<script src" not in a and "cdn" not in a


def test_theme_is_one_consistent_config(v):
    s = spec(charts.revenue_breakdown(v["revenue_breakdown"]))
    assert s["config"]["range"]["category"] == charts.PALETTE
    assert alt.theme.active == charts.THEME


def test_growth_labels_say_the_status_in_words():
    rows_in = [
        {"name": "Conf 2025", "series": "conf", "attendance": 90, "revenue": 900, "sponsors": 3, "talks": 10,
         "target_attendance": 100, "revenue_budget": 800, "upcoming": False},
        {"name": "Conf 2026", "series": "conf", "attendance": 10, "revenue": 100, "sponsors": 1, "talks": 2,
         "target_attendance": 120, "revenue_budget": 1000, "upcoming": True},
    ]
    labels = texts(spec(charts.yoy_growth_by_conference(rows_in)))
    assert "90 · missed" in labels
    assert "$900.00 · budget reached" in labels
    assert "10 · not held yet" in labels  # an edition not over is not judged
    assert "$100.00 · not held yet" in labels


def test_stacked_status_scales_do_not_merge():
    """Total within budget above a category over budget: the category bar must still read as over budget.

    Vega-Lite shares colour scales across a concatenation unless told otherwise, which painted
    every category in the total's colour."""
    value = {
        "total_expenses": Decimal("90"), "total_budget": Decimal("100"), "expense_count": 2,
        "budget_variance": Decimal("10"), "budget_variance_pct": Decimal("10"),
        "by_category": [
            {"name": "Venue", "actual": Decimal("70"), "budget": Decimal("50"), "variance": Decimal("-20"),
             "expense_count": 1},
            {"name": "Food", "actual": Decimal("20"), "budget": Decimal("50"), "variance": Decimal("30"),
             "expense_count": 1},
        ],
    }
    s = spec(charts.expense_summary(value))
    assert s["resolve"]["scale"]["color"] == "independent"
    scales = [n["scale"] for n in walk(s) if n.get("field") == "status" and "scale" in n]
    mapped = [dict(zip(sc["domain"], sc["range"], strict=True)) for sc in scales]
    assert any(m.get("missed") == charts.MISSED and m.get("met") == charts.MET for m in mapped)


def _kpi(key: str, value: Any, target: Any, status: str, hib: bool = True) -> dict[str, Any]:
    return {"key": key, "label": key.title(), "value": value, "target": target, "status": status,
            "unit": "percent", "higher_is_better": hib}


def test_lower_is_better_kpis_read_within_or_over_limit_in_the_legend():
    kpis = [_kpi("conversion", Decimal("2"), Decimal("3"), "missed"),
            _kpi("refunds", Decimal("4"), Decimal("5"), "met", hib=False)]
    s = spec(charts.kpi_scorecard(kpis))
    exprs = {d["labelExpr"] for d in walk(s) if "labelExpr" in d and "datum.label ==" in d["labelExpr"]}
    assert exprs and all("'within limit'" in e and "'missed'" in e for e in exprs)
    assert "4.0% · within limit (limit 5.0%)" in subtitles(s)  # a limit, as the refunds section says
    assert "2.0% · missed (target 3.0%)" in subtitles(s)


def test_a_rate_over_zero_reads_n_a_not_missed():
    kpis = [_kpi("conversion", None, Decimal("3"), "n/a")]
    html = charts.scorecard_table(kpis).data
    assert "n/a" in html and "✗" not in html and "missed" not in html
    texts = json.dumps(spec(charts.kpi_scorecard(kpis)))
    assert "n/a: nothing to compute yet" in texts and "missed" not in texts


def test_percent_tooltips_name_the_unit_once(v):
    s = json.dumps(spec(charts.sponsor_benefit_fulfillment(v["sponsor_benefit_fulfillment"], Decimal("90"))))
    assert "(%) (%)" not in s and "Benefits delivered (%)" in s


def test_charts_are_named_after_the_metric_they_draw():
    assert {
        "activity_utilization",
        "content_analytics",
        "nps_score",
        "sponsor_benefit_fulfillment",
        "travel_grant_analytics",
    } <= set(METRIC_CHARTS)


@pytest.mark.parametrize("name", METRIC_CHARTS)
def test_a_chart_named_after_a_metric_draws_that_metrics_value(expected, fixture_url, name):
    """Fed its metric's value on every conference of the fixture, alone: django-program's value for its
    metrics, the suite's own computed here (they are not in the expected file)."""
    for slug, values in expected.items():
        if name not in values:
            with connect(fixture_url) as conn:
                values = {name: compute_one(conn, get_conference(conn, slug), name)}
        s = spec(getattr(charts, name)(values[name]))
        assert rows(s), f"{slug}.{name}: no data in the spec"
        assert any(isinstance(n.get("title"), (str, dict)) for n in walk(s)), f"{slug}.{name}: no title"
        json.dumps(s)


def test_no_chart_module_imports_a_private_name_from_another():
    """Helpers shared between chart modules are public; private ones stay in their own module."""
    found = []
    for path in sorted(Path(charts.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = node.module or ""
            if node.level != 1 and not module.startswith("conference_reports.charts"):
                continue
            found += [
                f"{path.name}: from {'.' * node.level}{module} import {alias.name}"
                for alias in node.names
                if alias.name.startswith("_") or module.rpartition(".")[2].startswith("_")
            ]
    assert not found


def test_income_statement_reads_as_one_vocabulary():
    d = Decimal
    value = {
        "gross_ticket_sales": d("1000.00"), "discounts": d("100.00"), "refunds": d("50.00"),
        "ticket_sales_net": d("850.00"), "addons": d("150.00"), "sponsorship": d("2000.00"),
        "total_income": d("3000.00"), "total_expenses": d("3200.50"), "surplus": d("-200.50"),
        "income_budget": d("2500.00"), "expense_budget": None, "budgeted_surplus": None,
        "attendees": 10, "cost_per_attendee": d("320.05"), "income_per_attendee": d("300.00"),
        "reconciliation": [{"from": "django-program net revenue", "from_amount": d("900.00"),
                            "to": "net ticket revenue + add-ons", "to_amount": d("1000.00"),
                            "steps": [{"label": "credits counted twice", "amount": d("100.00")},
                                      {"label": "nothing here", "amount": d("0.00")}]}],
    }
    page = charts.income_statement_table(value).data
    for text in ("= Net ticket revenue", "$850.00", "= Total income", "$3,000.00", "$2,500.00",
                 "= Surplus or deficit", "-$200.50", "cost per attendee $320.05",
                 "income per attendee $300.00",
                 "django-program net revenue $900.00 → net ticket revenue + add-ons $1,000.00: "
                 "credits counted twice $100.00"):
        assert text in page, text
    assert "nothing here" not in page  # a step of zero is not worth a line
    assert "No income budget" not in page  # every stream with income has its budget
    assert charts.NO_DATA in charts.income_statement_table(None).data


def test_under_a_target_where_it_comes_from_or_why_there_is_none():
    d = Decimal
    assert charts.target_source_text({"target": d("440"), "target_origin": "database"}) == "from the database"
    assert charts.target_source_text({"target": None, "unbudgeted": ["registrations", "sponsorship"]}) == (
        "no budget for registrations and sponsorship")
    assert charts.target_source_text({"target": None}) == ""
    rows = [{"key": "total_income", "label": "Total income", "value": d("10.00"), "target": None,
             "status": "no target", "unit": "money", "unbudgeted": ["sponsorship"]}]
    assert "no budget for sponsorship" in charts.scorecard_table(rows).data


def test_income_without_a_budget_says_which_and_how_much():
    d = Decimal
    value = {"ticket_sales_net": d("850.00"), "addons": d("150.00"), "sponsorship": d("2000.00"),
             "total_income": d("3000.00"), "income_budget": None, "income_unbudgeted": ["sponsorship"]}
    said = charts.unbudgeted_income_text(value)
    assert said == ("No income budget for sponsorship ($2,000.00 so far; no sponsor_goals.revenue in "
                    "params): total income and the surplus are not judged.")
    assert html.escape(said) in charts.income_statement_table(value).data
    both = charts.unbudgeted_income_text({**value, "income_unbudgeted": ["registrations", "sponsorship"]})
    # registrations are net tickets + add-ons: 850 + 150
    assert both is not None and both.startswith("No income budget for registrations ($1,000.00 so far; ")
    assert " and sponsorship ($2,000.00 so far; " in both
    nothing_yet = {**value, "sponsorship": d("0.00")}
    said = str(charts.unbudgeted_income_text(nothing_yet))
    assert "for sponsorship (no sponsor_goals.revenue in params)" in said
    assert charts.unbudgeted_income_text({**value, "income_unbudgeted": []}) is None
    assert charts.unbudgeted_income_text(None) is None


def test_attendance_names_one_count_the_same_in_bar_and_subtitle(v):
    s = json.dumps(spec(charts.attendee_summary(v["attendee_summary"], 100)))
    total = v["attendee_summary"]["total"]
    assert f"{total} registered attendees (attendee records)" in s
    assert f"{total} \\u00b7" in s or f"{total} ·" in s  # the bar's own label shows the same count


def test_django_program_figures_say_what_they_count(v):
    roi = json.dumps(spec(charts.event_roi(v["event_roi"])))
    assert "not sponsorship" in roi
    waterfall = json.dumps(spec(charts.cashflow_waterfall(v["cashflow_waterfall"])))
    assert "fully refunded orders" in waterfall
    breakdown = json.dumps(spec(charts.revenue_breakdown(v["revenue_breakdown"])))
    assert "before order discounts and refunds" in breakdown


def test_whole_unit_axes_never_repeat_a_label():
    """A small money range ($0.40) would label its ticks "$0 $0 $1" without a one-unit step."""
    for unit in ("money", "percent", "count"):
        axis = charts.parts.unit_axis(unit, "x").to_dict()
        assert axis["tickMinStep"] == 1, unit
    tiny = spec(charts.revenue_breakdown({"total_revenue": "0.40", "ticket_revenue": "0.40",
                                          "ticket_pct": "100"}))
    assert any(d.get("tickMinStep") == 1 for d in walk(tiny) if "format" in d or "labelExpr" in d)
    # drawn: a range of one unit (every bar 0: an edition before sales) labels 0 and 1 once each
    for unit, shown in (("count", ["0", "1"]), ("percent", ["0%", "1%"]), ("money", ["$0", "$1"])):
        zeros = charts.bars([{"what": "A", "n": 0}, {"what": "B", "n": 0}], category="what", value="n",
                            title="Zeros", value_title="Axis", unit=unit)
        svg = vl_convert.vegalite_to_svg(json.dumps(spec(zeros)))
        axis = svg.split('aria-label="X-axis', 1)[1].split('aria-label="Y-axis', 1)[0]
        assert re.findall(r"<text[^>]*>([^<]+)</text>", axis)[:-1] == shown, unit  # last: the axis title


def test_data_quality_names_each_rule_in_words():
    value = {"slot_overlap": {"count": 2, "examples": [{"room": "Expo Hall", "first": "Lunch"}]},
             "checkin_after_end": {"count": 0, "examples": []}}
    page = charts.data_quality_table(value).data
    assert "Schedule slots overlapping in one room" in page and "Check-ins after the end" in page
    assert "room Expo Hall, first Lunch" in page and "to look at" in page and "clean" in page


def test_the_scorecard_says_where_a_target_comes_from():
    kpis = [{**_kpi("conversion", Decimal("70"), Decimal("3"), "met"), "target_origin": "default"},
            {**_kpi("checkin", Decimal("70"), Decimal("80"), "missed"), "target_origin": "params"}]
    page = charts.scorecard_table(kpis).data
    assert "django-program&#x27;s default" in page or "django-program's default" in page
    assert "from params" in page


def test_each_scorecard_cell_names_its_column_for_a_narrow_screen():
    kpis = [_kpi("checkin", Decimal("70"), Decimal("80"), "missed")]
    page = charts.scorecard_table(kpis, [{"key": "checkin", "value": Decimal("60")}], "PyCon 2076").data
    labels = re.findall(r'<td data-label="([^"]*)"', page)
    assert labels == ["KPI", "Value", "Target", "Against target", "Change vs PyCon 2076"]
    assert page.count("<td") == len(labels)  # no cell without its column's name


NOT_YET = {"target": Decimal("90"), "status": "not yet"}  # a KPI record (r.kpi()) before the doors open


def test_a_section_chart_says_not_yet_where_its_kpi_record_does():
    """Given the KPI record, a section's chart takes its judgement: 1 of 2 benefits is not "missed"
    before the edition runs; given the bare target (or the judged record), it is."""
    value = {"fulfillment_rate": Decimal("50"), "completed": 1, "total_benefits": 2,
             "by_sponsor": [{"sponsor_name": "Acme", "level": "Gold", "completed": 1, "pending": 1,
                             "total": 2}]}
    waiting = texts(spec(charts.sponsor_benefit_fulfillment(value, NOT_YET)))
    assert "1 of 2 benefits · not yet" in waiting and not any("missed" in t for t in waiting)
    for target in (Decimal("90"), {**NOT_YET, "status": "missed"}):
        assert "1 of 2 benefits · missed" in texts(spec(charts.sponsor_benefit_fulfillment(value, target)))
    by_level = [{"level_name": "Gold", "fulfillment_rate": 50.0, "completed_benefits": 1,
                 "total_benefits": 2}]
    assert any(t.startswith("50.0% · not yet") for t in texts(spec(
        charts.sponsor_benefit_fulfillment_by_level(by_level, NOT_YET))))
    people = {"total": 12, "completed": 12, "checked_in": 0}
    said = texts(spec(charts.attendee_summary(people, {"target": 200, "status": "not yet"})))
    assert "12 · not yet (target 200)" in said and not any("missed" in t for t in said)
    assert "12 · missed (target 200)" in texts(spec(charts.attendee_summary(people, 200)))


def test_spending_and_sponsor_goals_wait_for_the_edition():
    value = {"total_expenses": Decimal("900"), "total_budget": Decimal("500"), "expense_count": 2,
             "budget_variance": Decimal("-400"), "budget_variance_pct": Decimal("-80"),
             "by_category": [{"name": "Venue", "actual": Decimal("900"), "budget": Decimal("500"),
                              "variance": Decimal("-400"), "expense_count": 2}]}
    waiting = texts(spec(charts.expense_summary(value, judged=False)))
    assert "$900.00 · not yet (budget $500.00)" in waiting and "$900.00 · not yet" in waiting
    assert not any("over budget" in t for t in waiting)
    assert "$900.00 · over budget" in texts(spec(charts.expense_summary(value)))
    goal = texts(spec(charts.sponsor_analytics_revenue_goal(Decimal("100"), Decimal("300"), judged=False)))
    assert "$100.00 · not yet (goal $300.00, dashed line)" in goal
    levels = [{"level_name": "Gold", "level_slug": "gold", "sponsor_count": 1}]
    waiting = charts.sponsor_analytics_level_goals(levels, {"Gold": 3}, judged=False)
    assert "1 of 3 · not yet" in texts(spec(waiting))
    assert "1 of 3 · missed" in texts(spec(charts.sponsor_analytics_level_goals(levels, {"Gold": 3})))


def test_roi_over_no_expenses_is_n_a_not_zero():
    """django-program gives ROI 0% with no expenses (it divides by zero); the page says n/a."""
    value = {"total_revenue": Decimal("0"), "total_expenses": Decimal("0"), "net_profit": Decimal("0"),
             "roi_pct": Decimal("0"), "net_margin_pct": Decimal("0"), "cost_per_attendee": Decimal("0"),
             "revenue_per_attendee": Decimal("0")}
    line = subtitles(spec(charts.event_roi(value)))[0]
    assert line.startswith("ROI n/a (no expenses yet); net margin n/a (no revenue yet);")
    paid = {**value, "total_revenue": Decimal("150"), "total_expenses": Decimal("100"),
            "roi_pct": Decimal("50"), "net_margin_pct": Decimal("33.3"), "net_profit": Decimal("50")}
    assert subtitles(spec(charts.event_roi(paid)))[0].startswith("ROI 50.0%; net margin 33.3%;")


def test_rooms_grants_and_revenue_wait_with_their_kpis():
    """Given the record a report's as_judged() makes before the doors open, each says "not yet"."""
    waits = {"status": "not yet"}
    rooms = [{"room_name": "Hall", "utilization_pct": 0.0, "talk_slots": 0, "total_slots": 10,
              "room_capacity": 50}]
    assert "0.0% · not yet" in texts(spec(charts.room_utilization(rooms, {**waits, "target": 28})))
    assert "0.0% · missed" in texts(spec(charts.room_utilization(rooms, 28)))
    grants = {"total_applications": 2, "by_status": {"approved": 2}, "approval_rate": Decimal("100"),
              "total_requested": Decimal("900"), "total_approved": Decimal("800"),
              "total_disbursed": Decimal("0")}
    said = texts(spec(charts.travel_grant_analytics(grants, {**waits, "target": Decimal("500")})))
    assert "$800.00 · not yet (budget $500.00)" in said and not any("over budget" in t for t in said)
    assert "$800.00 · over budget (budget $500.00)" in texts(spec(charts.travel_grant_analytics(grants, 500)))
    days = [{"date": "2026-01-01", "daily": "50", "cumulative": "50"}]
    waiting = texts(spec(charts.cumulative_revenue(days, budget={**waits, "target": Decimal("100")})))
    assert "$50.00 = 50.0% of budget · not yet" in waiting
    judged = texts(spec(charts.cumulative_revenue(days, Decimal("100"))))
    assert "$50.00 = 50.0% of budget · budget not reached" in judged


def test_no_outstanding_benefit_is_said_as_what_it_is():
    """No benefit outstanding: all delivered where sponsors have benefits, none to deliver where not
    (an edition without sponsors is not one whose every benefit is delivered)."""
    none = {"outstanding_count": 0, "benefits": [], "by_level": [{"level_name": "Gold", "total_benefits": 0}]}
    assert "No sponsor benefits yet." in charts.outstanding_benefits_list(none).data
    done = {**none, "by_level": [{"level_name": "Gold", "total_benefits": 4}]}
    assert "Every sponsor benefit is delivered." in charts.outstanding_benefits_list(done).data
    sponsors = [{"sponsor_name": "Acme", "level": "Gold", "pending": 0, "completed": 0, "total": 0}]
    assert "No sponsor benefits yet." in texts(spec(charts.sponsor_benefit_fulfillment_outstanding(sponsors)))

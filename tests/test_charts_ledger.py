"""Ledger charts (charts/ledger.py): reconciliation, attribution, visa letters, tickets left.

Fed the fixture's expected values (django-program's, decimals as strings); the numbers checked by hand
against django-program-demo.expected.json. No database.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import nbformat
import pytest

from conference_reports import charts
from conference_reports.reports.conference import METRICS
from support.specs import rows, walk

ROOT = Path(__file__).resolve().parents[1]
BUILDERS = {  # builder -> the metric it draws
    "reconciliation_payments": "reconciliation",
    "registration_attribution": "registration_attribution",
    "letter_request_summary": "letter_request_summary",
    "ticket_sales_ratio_stock": "ticket_sales_ratio",
}


@pytest.fixture(scope="module")
def v(expected: dict) -> dict[str, Any]:
    return expected["python-2077"]


def spec(chart: Any) -> dict[str, Any]:
    charts.use_theme()
    s = chart.to_dict()  # validates against the Vega-Lite schema
    json.dumps(s)  # no Decimals left behind
    return s


def labels(s: dict[str, Any]) -> list[str]:
    return [str(row["label"]) for row in rows(s) if "label" in row]


def notes(s: dict[str, Any]) -> list[str]:
    return [row["note"] for row in rows(s) if "note" in row]


def subtitles(s: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for n in walk(s):
        sub = n.get("subtitle")
        found += [sub] if isinstance(sub, str) else list(sub or [])
    return found


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_each_builder_draws_its_metric_for_every_conference(expected, builder):
    for slug, values in expected.items():
        s = spec(getattr(charts, builder)(values[BUILDERS[builder]]))
        assert rows(s), f"{slug}: nothing drawn"
        assert any(isinstance(n.get("title"), (str, dict)) for n in walk(s)), f"{slug}: no title"


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_python_2077_draws_data_not_the_note(v, builder):
    s = spec(getattr(charts, builder)(v[BUILDERS[builder]]))
    assert rows(s) and not notes(s)


@pytest.mark.parametrize("builder", sorted(BUILDERS))
@pytest.mark.parametrize("empty", [None, {}, []])
def test_empty_input_gives_the_no_data_note(builder, empty):
    s = spec(getattr(charts, builder)(empty))
    found = notes(s)
    assert len(found) == 1 and found[0].startswith("No ") and found[0].endswith("."), found
    assert len(rows(s)) == 1


def test_reconciliation_shows_sales_payments_pending_orders_and_methods(v):
    s = spec(charts.reconciliation_payments(v["reconciliation"]))
    drawn = labels(s)
    # sales_total and payments_total are both 22190.45: they agree, the difference is 0
    assert drawn[:5] == ["$22,190.45", "$22,190.45", "$0.00", "$982.00", "$649.00"]
    assert {r["what"]: r["amount"] for r in rows(s) if "what" in r} == {
        "Paid sales (order totals)": 22190.45,
        "Payments received (succeeded)": 22190.45,
        "Difference (sales − payments)": 0.0,
        "Refunded as store credit": 982.0,
        "Store credit not yet spent": 649.0,
    }
    assert "7 · $1,780.00 order total" in drawn  # pending orders, by_order_status
    assert "72 · $20,759.45 order total" in drawn
    assert "$19,746.45 · 62 payments" in drawn  # stripe, by_payment_method
    subs = subtitles(s)
    assert "7 pending orders, $1,780.00 not yet paid" in subs
    assert any("agree" in t for t in subs)
    assert any("no failed or pending payment attempts" in t for t in subs)
    statuses = [r["name"] for r in rows(s) if "status" in r and "name" in r]
    assert statuses[0] == "Pending (not yet paid)"  # what waits comes first


def test_reconciliation_says_which_way_a_gap_goes(v):
    value = dict(v["reconciliation"], discrepancy="-25.50")
    assert "payments received exceed paid sales by $25.50" in " ".join(
        subtitles(spec(charts.reconciliation_payments(value)))
    )
    unpaid = spec(charts.reconciliation_payments({**value, "by_payment_method": []}))
    assert notes(unpaid) == ["No payments recorded yet."]  # the other parts still draw
    assert any(r.get("what") == "Paid sales (order totals)" for r in rows(unpaid))


def test_registration_attribution_counts_tagged_and_untagged_paid_orders(v):
    s = spec(charts.registration_attribution(v["registration_attribution"]))
    assert {r["what"]: r["orders"] for r in rows(s)} == {
        "With a UTM source, medium or campaign": 0.0,
        "Without UTM tags": 76.0,
    }
    subs = subtitles(s)
    assert "0 of 76 paid orders (0.0%) carry a UTM tag" in subs
    assert "No paid order carries a UTM source, medium or campaign yet." in subs


def test_registration_attribution_draws_revenue_per_source_medium_and_campaign():
    d = Decimal
    campaigns = [{"name": f"c{i:02}", "count": 1, "revenue": d(str(10 + i))} for i in range(20)]
    value = {
        "by_source": [{"name": "newsletter", "count": 3, "revenue": d("1047.00")}],
        "by_medium": [{"name": "email", "count": 3, "revenue": d("1047.00")}],
        "by_campaign": campaigns,
        "total_attributed": 23,
        "total_unattributed": 7,
    }
    s = spec(charts.registration_attribution(value))
    drawn = labels(s)
    assert drawn.count("$1,047.00 · 3 paid orders") == 2
    assert "$29.00 · 1 paid orders" in drawn and "$14.00 · 1 paid orders" not in drawn  # top 15 only
    subs = subtitles(s)
    assert "23 of 30 paid orders (76.7%) carry a UTM tag" in subs
    # the 5 smallest campaigns, $10 to $14, summed
    assert "Top 15 of 20 campaigns; the others brought 5 paid orders, $60.00" in subs
    titles = {n["title"].get("text") for n in walk(s) if isinstance(n.get("title"), dict)}
    assert {"Revenue by UTM source", "Revenue by UTM medium", "Revenue by UTM campaign"} <= titles
    axes = [n for n in walk(s) if n.get("title") == "Revenue (paid order totals)"]
    assert {a.get("format") for a in axes} == {"$,.0f", "$,.2f"}  # money axes and tooltips


def test_letter_request_summary_shows_the_backlog(v):
    s = spec(charts.letter_request_summary(v["letter_request_summary"]))
    by_status = {r["status"]: (r["requests"], r["stage"]) for r in rows(s) if "stage" in r}
    assert by_status == {
        "Submitted": (3, "waiting for review"),
        "Under review": (2, "waiting for review"),
        "Approved": (4, "approved, letter not sent"),
        "Letter generated": (3, "approved, letter not sent"),
        "Sent": (2, "done"),
        "Rejected": (1, "done"),
    }
    subs = subtitles(s)
    # pending_count 5 (submitted + under review); completion_rate 13.33 of 15
    assert "5 waiting for review, 7 approved but not sent; 13.3% of 15 requests sent" in subs
    assert any(t.startswith("Mean days from request to review -6.5 (negative") for t in subs)
    assert len([r for r in rows(s) if "nationality" in r]) == 10


def test_letter_request_summary_keeps_an_unknown_status_and_says_no_review_yet():
    value = {"total": 2, "by_status": {"submitted": 1, "on_hold": 1}, "by_nationality": [],
             "avg_processing_days": None, "pending_count": 1, "completion_rate": 0.0}
    s = spec(charts.letter_request_summary(value))
    assert [r["status"] for r in rows(s) if "stage" in r] == ["Submitted", "On hold"]
    assert "No request reviewed yet" in subtitles(s)


def test_ticket_stock_shows_sold_and_left_only_where_a_capacity_exists(v):
    records = [*v["ticket_sales_ratio"], {"name": "Volunteer", "sold": 9, "capacity": None, "revenue": "0"}]
    s = spec(charts.ticket_sales_ratio_stock(records))
    drawn = labels(s)
    assert "38 sold · 62 left of 100" in drawn  # Early Bird
    assert "23 sold · 177 left of 200" in drawn  # Regular
    assert not any("Volunteer" in t for t in drawn)
    assert not any(r.get("name") == "Volunteer" for r in rows(s))
    # 455 capacity over the five limited types, 76 sold
    assert "Tickets in paid orders against capacity: 379 of 455 left; 1 ticket type without a limit " \
        "not shown" in subtitles(s)
    left = {r["name"]: r["tickets"] for r in rows(s) if r.get("kind") == "Left"}
    assert left == {"Early Bird": 62, "Regular": 177, "Student": 43, "Corporate": 72, "Speaker": 25}


def test_ticket_stock_says_oversold_and_no_capacity():
    s = spec(charts.ticket_sales_ratio_stock([{"name": "Gala", "sold": 12, "capacity": 10, "revenue": "0"}]))
    assert labels(s) == ["12 sold of 10: sold out, 2 over capacity"]
    s = spec(charts.ticket_sales_ratio_stock([{"name": "Open", "sold": 4, "capacity": None}]))
    assert notes(s) == ["No ticket type has a capacity."]


def test_the_conference_notebook_shows_each_in_its_section():
    book = nbformat.read(str(ROOT / "notebooks" / "conference.ipynb"), as_version=4)
    section, seen = None, {}
    for cell in book.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            section = cell.source.splitlines()[0][3:]
        elif cell.cell_type == "code":
            for builder, metric in BUILDERS.items():
                if f'charts.{builder}(r["{metric}"]' in cell.source:
                    seen[builder] = section
    assert seen == {
        "reconciliation_payments": "Payments and reconciliation",
        "registration_attribution": "Where registrations came from",
        "letter_request_summary": "Visa letters",
        "ticket_sales_ratio_stock": "Registration",
    }
    assert set(BUILDERS.values()) <= set(METRICS)

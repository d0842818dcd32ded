"""Spending against budget and the return on investment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import BUDGET_TEXT, as_judged, count, judged_status, money, num, percent
from .parts import bars_against_ticks, numeric, rows_of, status_colour, titled, unit_tooltip
from .primitives import bullet, labelled_bars, no_data, stack


def expense_summary(value: Mapping[str, Any] | None, judged: bool = True) -> Any:
    """Spending per category against its budget; `judged` False (an edition whose surplus its report does
    not judge yet) says "not yet" instead of within or over budget."""
    title = "Expenses against budget"
    if not value or not (value.get("by_category") or num(value.get("total_expenses"))):
        return no_data(title, "No expenses recorded yet.")
    rows = numeric(rows_of(value.get("by_category") or []), "actual", "budget", "variance", "expense_count")
    total = bullet(
        "All expenses",
        value.get("total_expenses"),
        as_judged(value.get("total_budget"), judged),
        unit="money",
        higher_is_better=False,
        words=BUDGET_TEXT,
        target_label="Budget",
        title="Total spending",
        subtitle=f"{count(value.get('expense_count'))} expenses; variance "
        f"{money(value.get('budget_variance'))} ({percent(value.get('budget_variance_pct'))})",
    )
    if not rows:
        return total
    for r in rows:
        actual, budget = r["actual"], r["budget"]
        r["status"] = judged_status(actual, as_judged(budget, judged), False) if budget else "no target"
        r["status_text"] = BUDGET_TEXT[r["status"]]
        r["label"] = f"{money(actual)} · {BUDGET_TEXT[r['status']]}"
        r["end"] = max(actual or 0.0, budget or 0.0)
    y = vl.Y("name:N", title="Category", sort=[r["name"] for r in rows])
    tips = [
        vl.Tooltip("name:N", title="Category"),
        unit_tooltip("actual", "Spent", "money"),
        unit_tooltip("budget", "Budget", "money"),
        unit_tooltip("variance", "Left in budget", "money"),
        vl.Tooltip("status_text:N", title="Against budget"),
    ]
    chart = bars_against_ticks(
        rows,
        y,
        tips,
        value="actual",
        target="budget",
        unit="money",
        value_title="Spent",
        colour=status_colour("Against budget", BUDGET_TEXT),
        headroom=1.45,
    )
    per_category = titled(
        chart,
        "Spending by category",
        "Dark tick = the category's budget",
    )
    return titled(stack(total, per_category, spacing=18), title)


def event_roi(value: Mapping[str, Any] | None) -> Any:
    """Revenue, expenses and profit, with ROI and margins."""
    title = "Return on investment"
    if not value:
        return no_data(title)
    rows = [
        {"what": "Revenue", "amount": value.get("total_revenue")},
        {"what": "Expenses", "amount": value.get("total_expenses")},
        {"what": "Net profit", "amount": value.get("net_profit")},
    ]
    # django-program gives 0% where there is nothing to divide by; the page says n/a
    roi = percent(value.get("roi_pct")) if num(value.get("total_expenses")) else "n/a (no expenses yet)"
    revenue = num(value.get("total_revenue"))
    margin = percent(value.get("net_margin_pct")) if revenue else "n/a (no revenue yet)"
    sub = [
        f"ROI {roi}; net margin {margin}; "
        f"cost per attendee {money(value.get('cost_per_attendee'))}; "
        f"paid orders per attendee {money(value.get('revenue_per_attendee'))}",
        "django-program's ROI counts paid ticket and add-on orders only, not sponsorship: the surplus with "
        "sponsorship is in The money.",
    ]
    return labelled_bars(rows, "amount", title=title, value_title="Amount", unit="money", subtitle=sub)

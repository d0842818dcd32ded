"""Spending against budget and the return on investment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import BUDGET_TEXT, count, money, num, percent, status_of
from .parts import bars_against_ticks, frame, numeric, status_colour, titled, unit_tooltip
from .primitives import bullet, labelled_bars, no_data, stack


def expense_summary(value: Mapping[str, Any] | None) -> Any:
    """Spending per category against its budget."""
    title = "Expenses against budget"
    if not value or not (value.get("by_category") or num(value.get("total_expenses"))):
        return no_data(title, "No expenses recorded yet.")
    df = numeric(frame(value.get("by_category") or []), "actual", "budget", "variance", "expense_count")
    total = bullet(
        "All expenses",
        value.get("total_expenses"),
        value.get("total_budget"),
        unit="money",
        higher_is_better=False,
        words=BUDGET_TEXT,
        target_label="Budget",
        title="Total spending",
        subtitle=f"{count(value.get('expense_count'))} expenses; variance "
        f"{money(value.get('budget_variance'))} ({percent(value.get('budget_variance_pct'))})",
    )
    if df.empty:
        return total
    df["status"] = [
        status_of(a, b, False) if b else "no target" for a, b in zip(df["actual"], df["budget"], strict=True)
    ]
    df["status_text"] = [BUDGET_TEXT[s] for s in df["status"]]
    df["label"] = [f"{money(a)} · {BUDGET_TEXT[s]}" for a, s in zip(df["actual"], df["status"], strict=True)]
    df["end"] = [max(a or 0, b or 0) for a, b in zip(df["actual"], df["budget"].fillna(0), strict=True)]
    y = vl.Y("name:N", title="Category", sort=list(df["name"]))
    tips = [
        vl.Tooltip("name:N", title="Category"),
        unit_tooltip("actual", "Spent", "money"),
        unit_tooltip("budget", "Budget", "money"),
        unit_tooltip("variance", "Left in budget", "money"),
        vl.Tooltip("status_text:N", title="Against budget"),
    ]
    chart = bars_against_ticks(
        df,
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
    sub = [
        f"ROI {percent(value.get('roi_pct'))}; net margin {percent(value.get('net_margin_pct'))}; "
        f"cost per attendee {money(value.get('cost_per_attendee'))}; "
        f"revenue per attendee {money(value.get('revenue_per_attendee'))}",
        "django-program's ROI counts paid ticket and add-on orders only, not sponsorship: the surplus with "
        "sponsorship is in The money.",
    ]
    return labelled_bars(rows, "amount", title=title, value_title="Amount", unit="money", subtitle=sub)

"""HTML tables and headings shown between the charts (IPython display objects)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from .formats import fmt, num
from .primitives import NO_DATA
from .theme import MET, MISSED, MUTED


def html_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str, str]], *, empty: str = NO_DATA
) -> Any:
    """An HTML table (IPython display object): columns are (key, heading, kind).

    kind: text, count, money, percent, decimal (2 places), auto (the row's `unit`), or status
    (met/missed as words with colour; a `<key>_text` column may give the words).
    """
    from IPython.display import HTML

    if not rows:
        return HTML(f'<p class="cr-note" style="color:{MUTED};font-style:italic">{html.escape(empty)}</p>')
    style_cell = "border-bottom:1px solid #d9e2ec;padding:4px 10px;"
    head = "".join(
        f'<th style="{style_cell}text-align:{"left" if kind in ("text", "status") else "right"}">'
        f"{html.escape(title)}</th>"
        for _, title, kind in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _, kind in columns:
            value = row.get(key)
            if kind == "status":
                state = str(value or "no target")
                css = {"met": "cr-met", "missed": "cr-missed"}.get(state, "cr-none")
                colour = {"met": MET, "missed": MISSED}.get(state, MUTED)
                mark = {"met": "✓ ", "missed": "✗ "}.get(state, "")
                word = row.get(f"{key}_text") or state
                cells.append(
                    f'<td class="{css}" style="{style_cell}text-align:left;color:{colour};font-weight:600">'
                    f"{mark}{html.escape(str(word))}</td>"
                )
            elif kind == "text":
                text = html.escape("" if value is None else str(value))
                cells.append(f'<td style="{style_cell}text-align:left">{text}</td>')
            else:
                if kind == "decimal":
                    shown = "—" if num(value) is None else f"{num(value):,.2f}"
                else:
                    shown = fmt(value, row.get("unit", "count") if kind == "auto" else kind)
                cells.append(
                    f'<td class="num" style="{style_cell}text-align:right">{html.escape(shown)}</td>'
                )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return HTML(
        f'<table class="cr-table" style="border-collapse:collapse;font-size:13px;margin:8px 0 16px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def section_heading(text: str) -> Any:
    """A small heading between charts and tables of one section."""
    from IPython.display import HTML

    return HTML(f'<h4 style="margin:16px 0 4px">{html.escape(text)}</h4>')


_STATEMENT = (
    # (key, label, sign shown before it, the budget key beside it)
    ("gross_ticket_sales", "Gross ticket sales", "", None),
    ("discounts", "Discounts on tickets", "−", None),
    ("refunds", "Refunds on tickets", "−", None),
    ("ticket_sales_net", "Net ticket revenue", "=", None),
    ("addons", "Add-ons (after their discounts and refunds)", "+", None),
    ("sponsorship", "Sponsorship (active sponsors' level cost)", "+", None),
    ("total_income", "Total income", "=", "income_budget"),
    ("total_expenses", "Expenses", "−", "expense_budget"),
    ("surplus", "Surplus or deficit", "=", "budgeted_surplus"),
)


# Each income stream (as income_unbudgeted names it): its figures in the statement, why it has no budget.
_STREAMS = {
    "registrations": (("ticket_sales_net", "addons"), "no revenue budget on the conference"),
    "sponsorship": (("sponsorship",), "no sponsor_goals.revenue in params"),
}


def unbudgeted_income_text(value: Mapping[str, Any] | None) -> str | None:
    """Why total income has no budget to be judged on, when some income has none; else None."""
    value = value or {}
    parts = []
    for name in value.get("income_unbudgeted") or ():
        keys, why = _STREAMS[name]
        took = sum(num(value.get(k)) or 0 for k in keys)
        parts.append(f"{name} ({fmt(took, 'money')} so far; {why})" if took else f"{name} ({why})")
    if not parts:
        return None
    return f"No income budget for {' and '.join(parts)}: total income and the surplus are not judged."


def income_statement_table(value: Mapping[str, Any] | None) -> Any:
    """The `income_statement` metric as a treasurer reads it: one line per term (docs/metrics.md),
    budgets beside them, per-attendee figures, and how django-program's own figures reconcile."""
    from IPython.display import HTML

    if not value:
        return HTML(f'<p class="cr-note" style="color:{MUTED};font-style:italic">{NO_DATA}</p>')
    cell = "border-bottom:1px solid #d9e2ec;padding:4px 10px;"
    rows = []
    for key, label, sign, budget in _STATEMENT:
        weight = "font-weight:600;" if sign == "=" else ""
        budget_text = fmt(value.get(budget), "money") if budget else ""
        rows.append(
            f'<tr><td style="{cell}{weight}text-align:left">{html.escape(sign)} {html.escape(label)}</td>'
            f'<td class="num" style="{cell}{weight}text-align:right">{fmt(value.get(key), "money")}</td>'
            f'<td class="num" style="{cell}text-align:right">{html.escape(budget_text)}</td></tr>'
        )
    people = value.get("attendees") or 0
    per = (
        f"{fmt(people, 'count')} registered attendees: cost per attendee "
        f"{fmt(value.get('cost_per_attendee'), 'money')}, income per attendee "
        f"{fmt(value.get('income_per_attendee'), 'money')}."
    )
    unbudgeted = unbudgeted_income_text(value)
    gap = f'<p class="cr-note cr-unbudgeted" style="color:{MUTED}">{html.escape(unbudgeted)}</p>' \
        if unbudgeted else ""
    lines = []
    for entry in value.get("reconciliation") or []:
        steps = [s for s in entry.get("steps") or [] if num(s.get("amount"))]
        how = "; ".join(f"{html.escape(s['label'])} {fmt(s['amount'], 'money')}" for s in steps) or "equal"
        lines.append(
            f"<li>{html.escape(entry['from'])} {fmt(entry.get('from_amount'), 'money')} → "
            f"{html.escape(entry['to'])} {fmt(entry.get('to_amount'), 'money')}: {how}</li>"
        )
    return HTML(
        '<table class="cr-table cr-statement" style="border-collapse:collapse;font-size:14px;margin:8px 0">'
        f'<thead><tr><th style="{cell}text-align:left">Term</th>'
        f'<th style="{cell}text-align:right">Amount</th><th style="{cell}text-align:right">Budget</th></tr>'
        f'</thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p class="cr-note" style="color:{MUTED}">{html.escape(per)}</p>'
        f'{gap}'
        '<details class="cr-reconciliation"><summary>How django-program\'s own revenue figures become '
        f'these</summary><ul style="font-size:13px">{"".join(lines)}</ul></details>'
    )


def data_quality_text(value: Mapping[str, Mapping[str, Any]] | None) -> str:
    """The `data_quality` counts in one sentence: which checks found rows, or that all are clean."""
    from ..metrics.quality_text import RULE_TEXT

    found = [(RULE_TEXT.get(rule, rule), c["count"]) for rule, c in (value or {}).items() if c.get("count")]
    if not value:
        return "No data-quality checks ran."
    if not found:
        return f"Data quality: all {len(value)} checks clean."
    listed = "; ".join(f"{text.lower()}: {count:,}" for text, count in found)
    return f"Data quality: {sum(c for _, c in found):,} suspect rows ({listed})."


def data_quality_table(value: Mapping[str, Mapping[str, Any]] | None) -> Any:
    """The `data_quality` metric: each rule in words, how many rows break it, and one example."""
    from ..metrics.quality_text import RULE_TEXT

    rows = []
    for rule, found in (value or {}).items():
        examples = found.get("examples") or []
        first = ", ".join(f"{k} {v}" for k, v in examples[0].items()) if examples else ""
        rows.append({"rule": RULE_TEXT.get(rule, rule), "count": found.get("count", 0), "example": first,
                     "status": "missed" if found.get("count") else "met",
                     "status_text": "to look at" if found.get("count") else "clean"})
    columns = [("rule", "Check", "text"), ("count", "Rows", "count"), ("status", "", "status"),
               ("example", "For example", "text")]
    return html_table(rows, columns, empty="No data-quality checks ran.")

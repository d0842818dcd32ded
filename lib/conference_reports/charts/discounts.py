"""Money given back or off: refunds, store credits, vouchers and discounts per voucher code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .formats import LIMIT_TEXT, count, money, num, percent
from .parts import numeric, ranked, rows_of, titled, total, unit_tooltip
from .primitives import bars, bullet, labelled_bars, no_data, stack

TOP_CODES = 15  # voucher codes drawn by discount_impact; the subtitle sums the rest


def refund_metrics(value: Mapping[str, Any] | None, target_refund_rate: Any = None) -> Any:
    """Refund rate against its limit, and refunds by state."""
    title = "Refunds"
    if not value:
        return no_data(title)
    sub = (
        f"{count(value.get('refund_count'))} refunds, {money(value.get('total_refunded'))} refunded "
        f"of {money(value.get('total_revenue'))} revenue"
    )
    rate = bullet(
        "Refund rate",
        value.get("refund_rate"),
        target_refund_rate,
        unit="percent",
        higher_is_better=False,
        words=LIMIT_TEXT,
        title="Refund rate (lower is better)",
        target_label="Limit",
        subtitle=sub,
    )
    states = [
        {"state": str(k).replace("_", " ").capitalize(), "refunds": v}
        for k, v in (value.get("by_status") or {}).items()
    ]
    by_state = bars(
        states,
        category="state",
        value="refunds",
        title="Refund credits by state",
        value_title="Refunds",
        category_title="State",
        note="No refunds yet.",
    )
    return titled(stack(rate, by_state, spacing=18), title)


def credit_summary(value: Mapping[str, Any] | None) -> Any:
    """Store credits issued, applied and still outstanding."""
    title = "Store credits"
    if not value or not num(value.get("count")):
        return no_data(title, "No credits issued yet.")
    rows = [
        {"what": name, "amount": value.get(key)}
        for key, name in (
            ("total_issued", "Issued"),
            ("total_applied", "Applied to orders"),
            ("total_outstanding", "Outstanding"),
        )
    ]
    return labelled_bars(
        rows, "amount", title=title, value_title="Amount", unit="money",
        subtitle=f"{count(value.get('count'))} credits",
    )


def vouchers(
    voucher_summary: Mapping[str, Any] | None, discount_summary: Mapping[str, Any] | None = None
) -> Any:
    """Voucher and discount-rule counts."""
    title = "Vouchers and discount rules"
    rows = []
    if voucher_summary:
        rows += [
            {"what": "Vouchers", "n": voucher_summary.get("total")},
            {"what": "Vouchers active", "n": voucher_summary.get("active")},
            {"what": "Vouchers used", "n": voucher_summary.get("used")},
        ]
    if discount_summary:
        rows += [
            {"what": "Discount rules", "n": discount_summary.get("total")},
            {"what": "Discount rules active", "n": discount_summary.get("active")},
        ]
    if not rows or not any(num(r["n"]) for r in rows):
        return no_data(title, "No vouchers or discounts yet.")
    sub = f"Voucher discounts given: {money((voucher_summary or {}).get('total_revenue_impact'))}"
    return labelled_bars(rows, "n", title=title, value_title="Count", unit="count", subtitle=sub)


def discount_impact(value: Mapping[str, Any] | None) -> Any:
    """Discount given per voucher code (the top TOP_CODES codes), with gross, net and the discount rate."""
    title = "Discounts by voucher code"
    if not value:
        return no_data(title)
    orders = (num(value.get("orders_with_discount")) or 0) + (num(value.get("orders_without_discount")) or 0)
    sub = (
        f"Gross {money(value.get('total_gross'))}, discounts {money(value.get('total_discount'))} "
        f"({percent(value.get('discount_rate'))}), net {money(value.get('total_net'))}; "
        f"{count(value.get('orders_with_discount'))} of "
        f"{count(orders)}"
        " orders discounted"
    )
    rows = numeric(rows_of(value.get("by_voucher") or []), "discount_total", "order_count")
    if not rows:
        return no_data(title, "No voucher discounts yet.", sub)
    subtitle: str | list[str] = sub
    if len(rows) > TOP_CODES:
        codes = ranked(rows, "discount_total")
        rows, rest = codes[:TOP_CODES], codes[TOP_CODES:]
        others = "the other one" if len(rest) == 1 else f"the other {count(len(rest))}"
        subtitle = [
            sub,
            f"Top {TOP_CODES} of {count(len(codes))} codes by discount given; "
            f"{others} gave {money(total(rest, 'discount_total'))}",
        ]
    return bars(
        rows,
        category="code",
        value="discount_total",
        title=title,
        value_title="Discount given",
        unit="money",
        category_title="Voucher code",
        sort="-x",
        subtitle=subtitle,
        tooltip=[unit_tooltip("order_count", "Orders", "count")],
    )

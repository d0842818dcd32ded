"""The data-quality rules in words, as a reader sees them (the report's Data quality section, `check`'s
text output); no database needed to show them."""

RULE_TEXT = {
    "paid_buyer_without_attendee": "Buyers with a paid order but no attendee record",
    "checkin_before_doors": "Check-ins more than a day before the start",
    "checkin_after_end": "Check-ins after the end",
    "refund_larger_than_order": "Refunds or credits larger than their order",
    "order_total_mismatch": "Paid orders whose total is not subtotal minus discount",
    "grant_above_approved": "Travel grants disbursed above the approved amount",
    "slot_overlap": "Schedule slots overlapping in one room",
}

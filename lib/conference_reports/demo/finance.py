"""Expense categories (with budgets, one left unbudgeted) and the expenses booked against them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .context import ConferenceContext
from .values import money

# (name, share of the revenue budget, vendors)
CATEGORIES = (
    ("Venue", 0.30, ("Convention centre", "Security services")),
    ("Catering", 0.22, ("Fresh Plate Catering", "Coffee Collective")),
    ("Audio/Visual", 0.10, ("Stagecraft AV", "Caption Pros")),
    ("Speaker Support", 0.06, ("Travel agency", "Hotel group")),
    ("Swag", 0.05, ("Print & Stitch", "Lanyard Co")),
    ("Marketing", 0.03, ("Ad network", "Design studio")),
    ("Childcare", None, ("KidsCamp Events",)),
    ("Staff & Volunteers", 0.04, ("T-shirt printer", "Volunteer meals")),
)


def generate_expenses(ctx: ConferenceContext) -> None:
    ed, w, rng = ctx.edition, ctx.writer, ctx.rng("expenses")
    revenue = ed.budgets[0] or Decimal(ed.planned_attendance * 300)
    planning = ctx.created
    last_day = min(
        ctx.now - dt.timedelta(days=1), dt.datetime.combine(ed.end, dt.time(), dt.UTC) + dt.timedelta(days=20)
    )
    spent_share = 0.45 if ed.phase == "selling" else 0.0 if ed.phase == "announced" else 1.0
    for order, (name, share, vendors) in enumerate(CATEGORIES):
        if ed.phase == "announced" and order > 2:
            break
        budget = None if share is None else money(round(revenue * Decimal(str(share)), -2))
        category_id = w.add(
            "program_conference_expensecategory",
            {
                "conference_id": ctx.conference_id,
                "name": name,
                "slug": name.lower().replace("/", "-").replace(" & ", "-"),
                "description": "",
                "budget_amount": budget,
                "order": order,
                "created_at": planning,
                "updated_at": planning,
            },
        )
        if spent_share == 0:
            continue
        target = (budget or money(revenue * Decimal("0.01"))) * Decimal(
            str(rng.uniform(0.75, 1.15) * spent_share)
        )
        count = ed.content(4 if ed.series.large else 2)
        for i in range(count):
            amount = money(target / count * Decimal(str(rng.uniform(0.6, 1.4))))
            day = planning + (last_day - planning) * rng.random()
            w.add(
                "program_conference_expense",
                {
                    "conference_id": ctx.conference_id,
                    "category_id": category_id,
                    "description": f"{name} invoice {i + 1}",
                    "amount": amount,
                    "vendor": vendors[i % len(vendors)],
                    "date": day.date(),
                    "receipt_reference": f"RCPT-{ctx.conference_id:02d}{order:02d}{i:03d}",
                    "notes": "",
                    "created_by_id": ctx.staff[3],
                    "created_at": day,
                    "updated_at": day,
                },
            )

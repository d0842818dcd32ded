"""Ticket types and add-ons of a conference, priced a little higher every edition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .catalog import Catalog, Product
from .discounts import plan_conditions, plan_vouchers
from .lineup import Edition
from .values import money, slugify
from .writer import RowWriter

# fmt: off
TUTORIAL_TOPICS = (
    "Intro to Data Pipelines", "Async Python in Practice", "Testing with pytest", "Packaging for Humans",
    "Building REST APIs", "Geospatial Python", "Profiling and Performance", "Machine Learning Basics",
    "Type Hints in Depth", "Web Scraping Responsibly", "Writing C Extensions", "Teaching Python",
)
# fmt: on


def _ticket_specs(edition: Edition) -> list[tuple[str, str, float, str | None, int, bool]]:
    """(key, name, base price, window, capacity share of planned attendance, requires voucher)."""
    if edition.series.large:
        return [
            ("early", "Early Bird", 325, "early", 14, False),
            ("individual", "Individual", 425, "regular", 0, False),
            ("late", "Late Registration", 500, "late", 0, False),
            ("corporate", "Corporate", 750, None, 0, False),
            ("student", "Student", 125, None, 9, False),
            ("speaker", "Speaker", 425, None, 0, True),
            ("online", "Online Pass", 100, "all", 0, False),
        ]
    if edition.phase == "announced":
        return [
            ("early", "Early Bird", 129, "early", 30, False),
            ("regular", "Regular", 169, "regular", 0, False),
        ]
    return [
        ("early", "Early Bird", 119, "early", 18, False),
        ("regular", "Regular", 159, "regular", 0, False),
        ("late", "Late", 189, "late", 0, False),
        ("student", "Student", 59, None, 10, False),
        ("supporter", "Supporter", 299, None, 0, False),
        ("speaker", "Speaker", 159, None, 0, True),
    ]


def _window(edition: Edition, name: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    if name == "early":
        return edition.sales_open, edition.early_bird_end
    if name == "regular":
        return edition.sales_open, edition.late_price_from
    if name == "late":
        return edition.late_price_from, edition.sales_close
    if name == "all":
        return edition.sales_open, edition.sales_close
    return None, None


def build_catalog(edition: Edition, conference_id: int, writer: RowWriter, created: dt.datetime) -> Catalog:
    """Write ticket types and add-ons; prepare (unwritten) vouchers and conditions."""
    inflation = Decimal("1.05") ** edition.index
    tickets: dict[str, Product] = {}
    for order, (key, name, price, window, share, needs_voucher) in enumerate(_ticket_specs(edition)):
        start, until = _window(edition, window)
        product = Product(
            writer.next_id("program_registration_tickettype"),
            "ticket",
            key,
            name,
            money(round(Decimal(price) * inflation)),
            start,
            until,
            capacity=round(edition.planned_attendance * share / 100),
            requires_voucher=needs_voucher,
            is_active=not (key == "online" and edition.index == 0),
        )
        tickets[key] = product
        writer.add(
            "program_registration_tickettype",
            {
                "id": product.id,
                "conference_id": conference_id,
                "name": name,
                "slug": slugify(name),
                "description": f"{name} admission to {edition.name}.",
                "price": product.price,
                "available_from": start,
                "available_until": until,
                "total_quantity": product.capacity,
                "limit_per_user": 1 if key in ("early", "student", "speaker") else 10,
                "requires_voucher": needs_voucher,
                "is_active": product.is_active,
                "bulk_enabled": key == "corporate",
                "order": order,
                "created_at": created,
                "updated_at": created,
            },
        )
    addons = _build_addons(edition, conference_id, writer, created, tickets, inflation)
    catalog = Catalog(tickets, addons)
    if edition.phase != "announced":
        plan_vouchers(edition, catalog, writer)
        plan_conditions(edition, catalog, writer)
    return catalog


def _build_addons(
    edition: Edition,
    conference_id: int,
    writer: RowWriter,
    created: dt.datetime,
    tickets: dict[str, Product],
    inflation: Decimal,
) -> dict[str, Product]:
    if edition.phase == "announced":
        return {}
    plan = edition.planned_attendance
    specs: list[tuple[str, str, float, int, bool]] = []  # key, name, price, capacity, needs a ticket
    if edition.series.large:
        first = (edition.index * 3) % len(TUTORIAL_TOPICS)
        for i in range(edition.content(4)):
            topic = TUTORIAL_TOPICS[(first + i) % len(TUTORIAL_TOPICS)]
            specs.append((f"tutorial-{i}", f"Tutorial: {topic}", 150, edition.scaled(40), True))
        specs += [
            ("tshirt", "Conference T-shirt", 25, 0, False),
            ("dinner", "PyLadies Auction Dinner", 85, round(plan * 0.2), True),
            ("lunch", "Sprint Lunch Pass", 30, 0, True),
        ]
    else:
        specs += [
            ("workshop", "Workshop Day", 90, round(plan * 0.25), True),
            ("dinner", "Conference Dinner", 55, round(plan * 0.35), True),
            ("tshirt", "T-shirt", 20, 0, False),
        ]
    addons: dict[str, Product] = {}
    for order, (key, name, price, capacity, needs_ticket) in enumerate(specs):
        until = midnight_before(edition.start) if key.startswith("tutorial") else None
        product = Product(
            writer.next_id("program_registration_addon"),
            "addon",
            key,
            name,
            money(round(Decimal(price) * inflation)),
            edition.sales_open,
            until,
            capacity,
        )
        addons[key] = product
        writer.add(
            "program_registration_addon",
            {
                "id": product.id,
                "conference_id": conference_id,
                "name": name,
                "slug": slugify(name),
                "description": "",
                "price": product.price,
                "available_from": edition.sales_open,
                "available_until": until,
                "total_quantity": capacity,
                "is_active": True,
                "bulk_enabled": False,
                "order": order,
                "created_at": created,
                "updated_at": created,
            },
        )
        if needs_ticket:
            for ticket in tickets.values():
                if ticket.key != "online":
                    writer.add(
                        "program_registration_addon_requires_ticket_types",
                        {"addon_id": product.id, "tickettype_id": ticket.id},
                    )
    return addons


def midnight_before(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) - dt.timedelta(hours=1)

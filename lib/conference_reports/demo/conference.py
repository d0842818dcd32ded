"""The conference row itself, its KPI targets (some fields left NULL) and feature flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .lineup import Edition
from .writer import RowWriter

# KPI-target rows by (series, edition index); None = no row. NULL fields fall back to the defaults.
KPI_TARGETS: dict[tuple[str, int], dict[str, Decimal | None]] = {
    ("pyconf", 2): {
        "target_conversion_rate": Decimal("60.00"),
        "target_refund_rate": Decimal("4.00"),
        "target_checkin_rate": Decimal("85.00"),
        "target_fulfillment_rate": Decimal("90.00"),
        "target_revenue_per_attendee": Decimal("380.00"),
        "target_room_utilization": Decimal("60.00"),
    },
    ("pyconf", 3): {
        "target_conversion_rate": None,
        "target_refund_rate": Decimal("5.00"),
        "target_checkin_rate": None,
        "target_fulfillment_rate": Decimal("80.00"),
        "target_revenue_per_attendee": None,
        "target_room_utilization": Decimal("50.00"),
    },
    ("regiocon", 2): dict.fromkeys(
        (
            "target_conversion_rate",
            "target_refund_rate",
            "target_checkin_rate",
            "target_fulfillment_rate",
            "target_revenue_per_attendee",
            "target_room_utilization",
        )
    ),
}


def created_at(edition: Edition, now: dt.datetime) -> dt.datetime:
    """When organisers set the conference up: a month before sales opened (and before ``now``)."""
    return min(edition.sales_open - dt.timedelta(days=30), now - dt.timedelta(days=14))


def _capacity(edition: Edition) -> int:
    """0 (unlimited) for the large series except its current edition, which caps sales."""
    if edition.series.large:
        return edition.scaled(500) if edition.phase == "selling" else 0
    return edition.scaled(220)


def write_conference(edition: Edition, writer: RowWriter, now: dt.datetime) -> int:
    ed, created = edition, created_at(edition, now)
    revenue, attendance, grants = ed.budgets
    updated = max(created, min(now, ed.sales_close + dt.timedelta(days=14)))
    conference_id = writer.add(
        "program_conference_conference",
        {
            "name": ed.name,
            "slug": ed.slug,
            "start_date": ed.start,
            "end_date": ed.end,
            "timezone": ed.timezone,
            "venue": ed.venue.venue,
            "address": ed.venue.address,
            "website_url": f"https://{ed.series.key}.example/{ed.year}/",
            "pretalx_event_slug": ed.slug,
            "stripe_secret_key": None,
            "stripe_publishable_key": None,
            "stripe_webhook_secret": None,
            "qbo_realm_id": "",
            "qbo_client_id": "",
            "qbo_access_token": None,
            "qbo_refresh_token": None,
            "qbo_client_secret": None,
            "qbo_token_expires_at": None,
            "total_capacity": _capacity(ed),
            "revenue_budget": revenue,
            "target_attendance": attendance,
            "grant_budget": grants,
            "is_active": ed.phase != "past" or ed.index >= 2,
            "created_at": created,
            "updated_at": updated,
        },
    )
    targets = KPI_TARGETS.get((ed.series.key, ed.index))
    if targets is not None:
        writer.add(
            "program_conference_kpitargets",
            {"conference_id": conference_id, **targets, "updated_at": created},
        )
    if ed.index >= ed.series.days - 1:  # the newer editions turned the feature flags on
        writer.add(
            "program_conference_featureflags",
            {
                "conference_id": conference_id,
                "registration_enabled": True,
                "sponsors_enabled": True,
                "travel_grants_enabled": ed.series.large,
                "programs_enabled": True,
                "pretalx_sync_enabled": True,
                "public_ui_enabled": None,
                "manage_ui_enabled": None,
                "all_ui_enabled": None,
                "visa_letters_enabled": ed.series.large or None,
                "updated_at": created,
            },
        )
    return conference_id

"""Travel grants through every status, with requested/approved/disbursed amounts against the grant budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .context import ConferenceContext
from .faults import GRANT_NOTE, overpaid
from .values import ZERO, money, pick_weighted

GRANT = "program_programs_travelgrant"
PAST_STATUSES = (
    ("disbursed", 34),
    ("accepted", 8),
    ("declined", 8),
    ("rejected", 24),
    ("withdrawn", 8),
    ("offered", 5),
    ("need_more", 4),
    ("info_needed", 4),
    ("submitted", 5),
)
OPEN_STATUSES = (
    ("submitted", 32),
    ("info_needed", 10),
    ("offered", 20),
    ("accepted", 16),
    ("rejected", 10),
    ("withdrawn", 5),
    ("need_more", 4),
    ("declined", 3),
)
APPLICATION_TYPES = (
    ("general", 50),
    ("speaker", 12),
    ("staff", 6),
    ("core_dev", 3),
    ("psf_board", 1),
    ("community", 8),
    ("education", 8),
    ("pyladies", 8),
    ("other", 4),
)
# fmt: off
ORIGINS = (
    "Lagos, Nigeria", "Nairobi, Kenya", "São Paulo, Brazil", "Bogotá, Colombia", "Pune, India",
    "Manila, Philippines", "Warsaw, Poland", "Kyiv, Ukraine", "Austin, TX", "Toronto, Canada",
    "Accra, Ghana", "Jakarta, Indonesia", "Mexico City, Mexico", "Tbilisi, Georgia",
)
# fmt: on


def generate_grants(ctx: ConferenceContext) -> None:
    """Applications from attendees (and a few who never came), reviewed by the grants chair."""
    ed, w, rng = ctx.edition, ctx.writer, ctx.rng("grants")
    attendees = sorted({a.user_id for a in ctx.attendees if a.order_id is not None})
    if not attendees:
        return
    count = max(6, round(ed.planned_attendance * (0.07 if ed.series.large else 0.05)))
    applicants = rng.sample(attendees, min(len(attendees), round(count * 0.85)))
    statuses = PAST_STATUSES if ed.phase == "past" else OPEN_STATUSES
    opened = dt.datetime.combine(ed.start, dt.time(16), dt.UTC) - dt.timedelta(days=150)
    closes = min(opened + dt.timedelta(days=60), ctx.now - dt.timedelta(days=1))
    reviewer, payer = ctx.staff[4], ctx.staff[3]
    rows = []
    for i in range(count):
        attended = i < len(applicants)
        uid = applicants[i] if attended else ctx.people.new_user(opened)
        # every status at least once, then by weight
        status = statuses[i][0] if i < len(statuses) else str(pick_weighted(rng, statuses))
        if not attended and status in ("disbursed", "accepted"):
            status = "declined"  # never came, so never paid out
        rows.append((uid, status, opened + (closes - opened) * rng.random()))
    rows.sort(key=lambda r: r[2])
    overpay = ctx.faults  # the first disbursed grant of a faulty edition (faults.py)
    for uid, status, created in rows:
        ticket_only = rng.random() < 0.15
        international = rng.random() < 0.45
        air = (
            ZERO
            if ticket_only
            else money(rng.randrange(2, 16) * 100 if international else rng.randrange(1, 5) * 100)
        )
        lodging = ZERO if ticket_only else money(rng.randrange(3, 9) * 60)
        transit = ZERO if ticket_only else money(rng.randrange(1, 8) * 10)
        visa = money(160) if international and not ticket_only and rng.random() < 0.4 else ZERO
        requested = air + lodging + transit + visa
        reviewed = status not in ("submitted", "withdrawn")
        reviewed_at = created + dt.timedelta(days=rng.uniform(7, 40)) if reviewed else None
        if reviewed_at and reviewed_at > ctx.now:
            reviewed_at = ctx.now - dt.timedelta(hours=rng.uniform(1, 48))
        approved = None
        if status in ("offered", "accepted", "declined", "need_more", "disbursed"):
            approved = money(int(requested * Decimal(str(rng.choice((0.5, 0.6, 0.75, 0.8, 1.0)))) / 50) * 50)
        disbursed = disbursed_at = disbursed_by = None
        note = "OK" if reviewed else ""
        if status == "disbursed" and approved is not None:
            disbursed = money(approved - (rng.randrange(0, 5) * 25 if rng.random() < 0.4 else 0))
            disbursed_at = dt.datetime.combine(ed.end, dt.time(15), dt.UTC) + dt.timedelta(
                days=rng.uniform(7, 30)
            )
            disbursed_at = min(disbursed_at, ctx.now - dt.timedelta(hours=1))
            disbursed_by = payer
            if overpay:
                disbursed, overpay, note = overpaid(approved), False, GRANT_NOTE
        updated = disbursed_at or reviewed_at or created
        w.add(
            GRANT,
            {
                "conference_id": ctx.conference_id,
                "user_id": uid,
                "status": status,
                "application_type": str(pick_weighted(rng, APPLICATION_TYPES)),
                "request_type": "ticket_only" if ticket_only else "ticket_and_grant",
                "travel_from": ORIGINS[rng.randrange(len(ORIGINS))],
                "international": international,
                "first_time": None if rng.random() < 0.15 else rng.random() < 0.4,
                "travel_plans_airfare_amount": air,
                "travel_plans_airfare_description": "Economy return" if air else "",
                "travel_plans_lodging_amount": lodging,
                "travel_plans_lodging_description": "Shared hotel room" if lodging else "",
                "travel_plans_transit_amount": transit,
                "travel_plans_transit_description": "Local transit" if transit else "",
                "travel_plans_visa_amount": visa,
                "travel_plans_visa_description": "Visa fee" if visa else "",
                "requested_amount": requested,
                "approved_amount": approved,
                "experience_level": ("", "beginner", "intermediate", "expert")[rng.randrange(4)],
                "occupation": ("Student", "Software engineer", "Teacher", "Researcher", "Data analyst")[
                    rng.randrange(5)
                ],
                "involvement": "Organises a local Python meetup." if rng.random() < 0.4 else "",
                "reason": "To learn, meet maintainers and bring ideas home.",
                "days_attending": "All days",
                "traveling_with": "",
                "sharing_expenses": rng.random() < 0.2,
                "reviewer_notes": note,
                "promo_code": "",
                "reviewed_by_id": reviewer if reviewed else None,
                "reviewed_at": reviewed_at,
                "disbursed_amount": disbursed,
                "disbursed_at": disbursed_at,
                "disbursed_by_id": disbursed_by,
                "created_at": created,
                "updated_at": updated,
            },
        )

"""Visa invitation-letter requests (program_registration_letterrequest) in every workflow status."""

from __future__ import annotations

import datetime as dt

from .context import ConferenceContext
from .values import pick_weighted

STATUSES_PAST = (
    ("sent", 60),
    ("rejected", 10),
    ("generated", 5),
    ("approved", 5),
    ("under_review", 5),
    ("submitted", 15),
)
STATUSES_OPEN = (
    ("submitted", 35),
    ("under_review", 25),
    ("approved", 15),
    ("generated", 10),
    ("sent", 10),
    ("rejected", 5),
)
NATIONALITIES = (
    ("Nigeria", "Lagos"),
    ("India", "New Delhi"),
    ("Brazil", "Brasília"),
    ("Indonesia", "Jakarta"),
    ("Ghana", "Accra"),
    ("Philippines", "Manila"),
    ("Egypt", "Cairo"),
    ("Pakistan", "Islamabad"),
)


def generate_letters(ctx: ConferenceContext) -> None:
    ed, w, rng = ctx.edition, ctx.writer, ctx.rng("letters")
    if ed.phase == "announced":
        return
    attendees = sorted((a.user_id, a.id) for a in ctx.attendees if a.order_id is not None)
    if not attendees:
        return
    count = max(2, round(ed.planned_attendance * 0.02))
    chosen = rng.sample(attendees, min(len(attendees), count))
    statuses = STATUSES_PAST if ed.phase == "past" else STATUSES_OPEN
    for i, (uid, attendee_id) in enumerate(chosen):
        person = ctx.people.person(uid)
        nationality, capital = NATIONALITIES[rng.randrange(len(NATIONALITIES))]
        status = statuses[i][0] if i < len(statuses) else str(pick_weighted(rng, statuses))
        created = min(ctx.now, dt.datetime.combine(ed.start, dt.time(10), dt.UTC)) - dt.timedelta(
            days=rng.uniform(20, 90)
        )
        reviewed = created + dt.timedelta(days=rng.uniform(1, 10)) if status != "submitted" else None
        sent = reviewed + dt.timedelta(days=rng.uniform(0.5, 3)) if reviewed and status == "sent" else None
        w.add(
            "program_registration_letterrequest",
            {
                "conference_id": ctx.conference_id,
                "user_id": uid,
                "attendee_id": attendee_id if rng.random() < 0.8 else None,
                "passport_name": person.full_name.upper(),
                "passport_number": f"P{rng.randrange(10**7, 10**8)}",
                "nationality": nationality,
                "date_of_birth": dt.date(
                    1970 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
                "travel_from": ed.start - dt.timedelta(days=2),
                "travel_until": ed.end + dt.timedelta(days=2),
                "destination_address": f"{ed.venue.venue}, {ed.venue.address}",
                "embassy_name": f"Embassy in {capital}",
                "status": status,
                "rejection_reason": "Incomplete passport details" if status == "rejected" else "",
                "generated_pdf": f"letters/{ed.slug}/{uid}.pdf" if status in ("generated", "sent") else None,
                "reviewed_by_id": ctx.staff[1] if reviewed else None,
                "reviewed_at": reviewed,
                "sent_at": sent,
                "created_at": created,
                "updated_at": sent or reviewed or created,
            },
        )

"""Attendee rows and check-ins, clustered on the event mornings in the conference's time zone."""

from __future__ import annotations

import datetime as dt
import random

from .context import AttendeeRecord, ConferenceContext
from .values import clamp, local_minutes, zone

ATTENDEE = "program_registration_attendee"
CHECKIN = "program_registration_checkin"


def _morning_minutes(rng: random.Random) -> float:
    """Minutes after local midnight of a check-in: a peak around 08:40, a thin afternoon tail."""
    if rng.random() < 0.88:
        return clamp(rng.gauss(8 * 60 + 40, 35), 7 * 60, 12 * 60)
    return rng.uniform(12 * 60, 17 * 60)


def _first_checkin(ctx: ConferenceContext, rec: AttendeeRecord, rng: random.Random) -> dt.datetime | None:
    ed = ctx.edition
    if ed.phase != "past" or rec.online:
        return None
    chance = 0.08 if rec.refunded else 0.97 if rec.speaker else 0.75 if rec.order_id is None else 0.9
    if rec.on_site_at is not None:
        return rec.on_site_at + dt.timedelta(minutes=rng.uniform(1, 6))
    if rng.random() >= chance:
        return None
    shares = (0.74, 0.19, 0.07)[: ed.series.days]
    day = ed.days[0]
    point = rng.random() * sum(shares)
    for candidate, share in zip(ed.days, shares, strict=False):
        point -= share
        if point < 0:
            day = candidate
            break
    return local_minutes(day, ed.timezone, _morning_minutes(rng), rng)


def write_attendees(ctx: ConferenceContext) -> None:
    """Write every attendee (ids by registration time), its first check-in and re-entry scans."""
    rng = ctx.rng("attendees")
    ed, w = ctx.edition, ctx.writer
    stations = [f"Registration Desk {i}" for i in range(1, (5 if ed.series.large else 3))] + [
        "Self-service Kiosk"
    ]
    ctx.attendees.sort(key=lambda r: (r.registered_at, r.user_id))
    for rec in ctx.attendees:
        rec.id = w.next_id(ATTENDEE)
        rec.checked_in_at = _first_checkin(ctx, rec, rng)
        w.add(
            ATTENDEE,
            {
                "id": rec.id,
                "user_id": rec.user_id,
                "conference_id": ctx.conference_id,
                "order_id": rec.order_id,
                "access_code": ctx.history.access_codes.code(rec.id),
                "checked_in_at": rec.checked_in_at,
                "completed_registration": rec.order_id is not None,
                "created_at": rec.registered_at,
                "updated_at": rec.checked_in_at or rec.registered_at,
            },
        )
        if rec.checked_in_at is None:
            continue
        scans = [rec.checked_in_at]
        first_day = rec.checked_in_at.astimezone(zone(ed.timezone)).date()
        for day in ed.days:
            if day > first_day and rng.random() < 0.55:
                scans.append(local_minutes(day, ed.timezone, _morning_minutes(rng), rng))
        for scan in scans:
            station = stations[rng.randrange(len(stations))]
            kiosk = station.startswith("Self")
            w.add(
                CHECKIN,
                {
                    "attendee_id": rec.id,
                    "conference_id": ctx.conference_id,
                    "checked_in_at": scan,
                    "checked_in_by_id": None if kiosk else ctx.staff[1],
                    "station": station,
                    "note": "re-entry" if scan is not scans[0] else "",
                },
            )

"""Known answers for the operations and sponsor metrics on small hand-built data (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from conference_reports.metrics.operations import (
    activity_utilization,
    checkin_throughput,
    content_analytics,
    room_utilization,
    travel_grant_analytics,
)
from conference_reports.metrics.sponsors import sponsor_analytics, sponsor_benefit_fulfillment
from support.backends import run
from support.handmade import Handmade

UTC = dt.UTC
_names = itertools.count()


@pytest.fixture
def hm(tmp_path) -> Handmade:
    return Handmade(tmp_path / "db.sqlite3")


# --- empty conference ---------------------------------------------------------------------------


def test_empty_conference_gives_zeros(hm: Handmade, url_of) -> None:
    hm.conference("empty", "2030-05-01")
    url = url_of(hm)
    assert run(url, "empty", checkin_throughput) == []
    assert run(url, "empty", room_utilization) == []
    assert run(url, "empty", activity_utilization) == []
    assert run(url, "empty", content_analytics) == {
        "total_talks": 0, "by_state": {}, "by_type": {}, "by_track": {},
        "total_rooms": 0, "total_schedule_slots": 0, "slot_types": {},
    }
    grants = run(url, "empty", travel_grant_analytics)
    assert grants == {
        "total_applications": 0, "by_status": {}, "approval_rate": 0, "disbursement_rate": 0,
        "avg_requested": 0, "avg_approved": 0, "avg_disbursed": 0,
        "total_requested": 0, "total_approved": 0, "total_disbursed": 0,
        "by_type": {}, "international_count": 0, "first_time_count": 0,
    }
    decimals = [k for k in grants if k.startswith(("avg_", "total_")) and k != "total_applications"]
    assert len(decimals) == 6
    assert all(isinstance(grants[k], Decimal) for k in [*decimals, "approval_rate", "disbursement_rate"])
    assert run(url, "empty", sponsor_benefit_fulfillment) == {
        "total_benefits": 0, "completed": 0, "pending": 0, "fulfillment_rate": 0, "by_sponsor": [],
    }
    assert run(url, "empty", sponsor_analytics) == {
        "total_sponsors": 0, "total_sponsor_revenue": 0, "by_level": [], "overall_fulfillment_rate": 0,
        "total_benefits": 0, "total_completed_benefits": 0,
    }


# --- check-in throughput --------------------------------------------------------------------------


def _attendee(hm: Handmade, conf: int, name: str, checked_in_at: Any) -> None:
    user = hm.user(name)
    hm.add("program_registration_attendee", conference_id=conf, user_id=user, access_code=name.upper(),
           checked_in_at=checked_in_at)


def test_checkin_buckets_floor_to_quarter_hours_in_utc(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2030-05-01", timezone="America/Chicago")  # the zone is not used
    other = hm.conference("other", "2030-05-01")
    _attendee(hm, conf, "early", dt.datetime(2030, 5, 1, 8, 59, 59, 999000, tzinfo=UTC))  # 08:45 bucket
    _attendee(hm, conf, "exact", "2030-05-01 09:00:00")  # exactly on the boundary: 09:00 bucket
    _attendee(hm, conf, "late", dt.datetime(2030, 5, 1, 9, 14, 59, 500000, tzinfo=UTC))  # 09:00 bucket
    _attendee(hm, conf, "first", "2030-05-01 08:45:00")  # 08:45 bucket
    _attendee(hm, conf, "after", dt.datetime(2030, 5, 1, 10, 31, tzinfo=UTC))  # 10:30; no empty ones between
    _attendee(hm, conf, "absent", None)
    _attendee(hm, other, "elsewhere", "2030-05-01 09:00:00")

    rows = run(url_of(hm), "c", checkin_throughput)

    def at(h: int, m: int) -> dt.datetime:
        return dt.datetime(2030, 5, 1, h, m, tzinfo=UTC)

    assert rows == [
        {"bucket_start": at(8, 45), "bucket_end": at(9, 0), "count": 2},
        {"bucket_start": at(9, 0), "bucket_end": at(9, 15), "count": 2},
        {"bucket_start": at(10, 30), "bucket_end": at(10, 45), "count": 1},
    ]
    assert all(r["bucket_start"].utcoffset() == dt.timedelta(0) for r in rows)


# --- rooms, activities, content ---------------------------------------------------------------------


def _talk(hm: Handmade, conf: int, code: str, **values: Any) -> int:
    return hm.add("program_pretalx_talk", conference_id=conf, pretalx_code=code, tags="[]", **values)


def _slot(hm: Handmade, conf: int, room: int | None, minute: int, slot_type: str, talk: int | None) -> None:
    start = dt.datetime(2030, 5, 1, 9, minute, tzinfo=UTC)
    hm.add("program_pretalx_scheduleslot", conference_id=conf, room_id=room, start=start,
           end=start + dt.timedelta(minutes=5), slot_type=slot_type, talk_id=talk)


def test_room_utilization_counts_slots_with_a_talk(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2030-05-01")
    other = hm.conference("other", "2030-05-01")
    hall = hm.add("program_pretalx_room", conference_id=conf, name="Hall", position=2, capacity=100)
    annex = hm.add("program_pretalx_room", conference_id=conf, name="Annex", position=None, capacity=None)
    aula = hm.add("program_pretalx_room", conference_id=conf, name="Aula", position=2, capacity=50)
    hm.add("program_pretalx_room", conference_id=other, name="Elsewhere", position=1)
    talks = [_talk(hm, conf, f"T{i}") for i in range(3)]
    _slot(hm, conf, hall, 0, "talk", talks[0])
    _slot(hm, conf, hall, 10, "talk", talks[1])
    _slot(hm, conf, hall, 20, "break", talks[2])  # slot_type is not consulted
    _slot(hm, conf, hall, 30, "talk", None)
    _slot(hm, conf, aula, 0, "break", None)

    rows = run(url_of(hm), "c", room_utilization)

    def room(room_id, name, capacity, total, talk_slots, share):
        return {"room_id": room_id, "room_name": name, "room_capacity": capacity, "total_slots": total,
                "talk_slots": talk_slots, "utilization_pct": share}

    assert rows == [  # by position, NULL first, then name
        room(annex, "Annex", None, 0, 0, Decimal(0)),
        room(aula, "Aula", 50, 1, 0, Decimal(0)),
        room(hall, "Hall", 100, 4, 3, Decimal(75)),
    ]


def test_activity_utilization_by_status_with_none_for_no_cap(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2030-05-01")
    ten = dt.datetime(2030, 5, 2, 10, 0, tzinfo=UTC)

    def activity(name: str, start: dt.datetime | None, cap: int | None, kind: str, **kw: Any) -> int:
        return hm.add("program_programs_activity", conference_id=conf, name=name, slug=name.lower(),
                      start_time=start, max_participants=cap, activity_type=kind,
                      is_active=kw.get("active", 1))

    sprint = activity("Sprint", ten, 4, "sprint")
    space = activity("Open Space", None, None, "open_space")
    bof = activity("BoF", ten, 0, "other")
    workshop = activity("Workshop", dt.datetime(2030, 5, 1, 9, tzinfo=UTC), 2, "workshop", active=0)
    users = [hm.user(f"u{i}") for i in range(6)]
    for user, status in zip(users, ["confirmed"] * 3 + ["waitlisted"] + ["cancelled"] * 2, strict=True):
        hm.add("program_programs_activitysignup", activity_id=sprint, user_id=user, status=status)
    for user in users[:2]:
        hm.add("program_programs_activitysignup", activity_id=space, user_id=user, status="confirmed")
    for user in users[:3]:
        hm.add("program_programs_activitysignup", activity_id=workshop, user_id=user, status="confirmed")

    rows = run(url_of(hm), "c", activity_utilization)

    def row(activity_id, name, kind, cap, confirmed, waitlisted, cancelled, share):
        return {"activity_id": activity_id, "name": name, "activity_type": kind, "max_participants": cap,
                "confirmed": confirmed, "waitlisted": waitlisted, "cancelled": cancelled,
                "utilization_pct": share}

    assert rows == [  # by start_time (NULL first), then name; inactive activities included
        row(space, "Open Space", "open_space", None, 2, 0, 0, None),
        row(workshop, "Workshop", "workshop", 2, 3, 0, 0, Decimal(150)),
        row(bof, "BoF", "other", 0, 0, 0, 0, None),
        row(sprint, "Sprint", "sprint", 4, 3, 1, 2, Decimal(75)),
    ]


def test_content_analytics_counts_every_talk_and_slot(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2030-05-01")
    other = hm.conference("other", "2030-05-01")
    talks = [("accepted", "Talk", "Web"), ("accepted", "Talk", ""), ("", "", "Web"),
             ("withdrawn", "Talk", "")]
    for i, (state, kind, track) in enumerate(talks):
        _talk(hm, conf, f"T{i}", state=state, submission_type=kind, track=track)
    _talk(hm, other, "X", state="accepted", track="Web")
    room = hm.add("program_pretalx_room", conference_id=conf, name="Hall")
    hm.add("program_pretalx_room", conference_id=conf, name="Annex")
    hm.add("program_pretalx_room", conference_id=other, name="Elsewhere")
    _slot(hm, conf, room, 0, "talk", None)
    _slot(hm, conf, room, 10, "talk", None)
    _slot(hm, conf, None, 20, "break", None)
    _slot(hm, other, None, 0, "social", None)

    assert run(url_of(hm), "c", content_analytics) == {
        "total_talks": 4,
        "by_state": {"accepted": 2, "": 1, "withdrawn": 1},
        "by_type": {"Talk": 3, "": 1},
        "by_track": {"Web": 2, "": 2},
        "total_rooms": 2,
        "total_schedule_slots": 3,
        "slot_types": {"talk": 2, "break": 1},
    }


# --- travel grants ---------------------------------------------------------------------------------


def test_travel_grant_analytics_amounts_ignore_status(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2030-05-01")
    other = hm.conference("other", "2030-05-01")
    grants = [  # status, requested, approved, disbursed, type, international, first_time
        ("submitted", "1000.00", None, None, "general", 1, None),
        ("offered", "500.50", "400.00", None, "general", 0, 1),
        ("accepted", "800.00", "600.00", None, "speaker", 1, 0),
        ("disbursed", "1200.00", "1000.00", "950.25", "speaker", 0, 1),
        ("declined", "300.00", "250.00", None, "staff", 0, None),  # approved amount still counts
    ]
    for i, (status, requested, approved, disbursed, kind, abroad, first) in enumerate(grants):
        hm.add("program_programs_travelgrant", conference_id=conf, user_id=hm.user(f"g{i}"), status=status,
               requested_amount=float(requested), approved_amount=approved and float(approved),
               disbursed_amount=disbursed and float(disbursed), application_type=kind,
               international=abroad, first_time=first)
    hm.add("program_programs_travelgrant", conference_id=other, user_id=hm.user("x"), status="disbursed",
           requested_amount=99.0, approved_amount=99.0, disbursed_amount=99.0, international=1, first_time=1)

    got = run(url_of(hm), "c", travel_grant_analytics)

    assert got == {
        "total_applications": 5,
        "by_status": {"submitted": 1, "offered": 1, "accepted": 1, "disbursed": 1, "declined": 1},
        "approval_rate": Decimal(60),  # offered + accepted + disbursed = 3 of 5
        "disbursement_rate": Decimal(20),
        "avg_requested": Decimal("760.10"),  # 3800.50 / 5
        "avg_approved": Decimal("562.50"),  # 2250.00 / 4 set values
        "avg_disbursed": Decimal("950.25"),
        "total_requested": Decimal("3800.50"),
        "total_approved": Decimal("2250.00"),
        "total_disbursed": Decimal("950.25"),
        "by_type": {"general": 2, "speaker": 2, "staff": 1},
        "international_count": 2,
        "first_time_count": 2,
    }


# --- sponsors ------------------------------------------------------------------------------------


def _sponsor(hm: Handmade, conf: int, level: int, name: str, done: list[bool], active: int = 1) -> int:
    sponsor = hm.add("program_sponsors_sponsor", conference_id=conf, level_id=level, name=name,
                     slug=name.lower().replace(" ", "-"), is_active=active)
    for i, complete in enumerate(done):
        hm.add("program_sponsors_sponsorbenefit", sponsor_id=sponsor, name=f"b{i}", is_complete=int(complete))
    return sponsor


def test_sponsor_analytics_counts_each_active_sponsor_once(hm: Handmade, url_of) -> None:
    """The join fan-out of django-program (A counted once per benefit, 3 + 1 = 4) is mended: Gold has 2."""
    conf = hm.conference("c", "2030-05-01")
    level = "program_sponsors_sponsorlevel"
    community = hm.add(level, conference_id=conf, name="Community", slug="community", order=0, cost=0)
    gold = hm.add(level, conference_id=conf, name="Gold", slug="gold", order=1, cost=1000.0)
    silver = hm.add(level, conference_id=conf, name="Silver", slug="silver", order=2, cost=500.0)
    _sponsor(hm, conf, gold, "A", [True, True, False])
    _sponsor(hm, conf, gold, "B", [])
    _sponsor(hm, conf, silver, "C", [False], active=0)  # inactive: its benefits count, it does not

    got = run(url_of(hm), "c", sponsor_analytics)

    assert got["by_level"] == [
        {"level_name": "Community", "level_slug": "community", "cost": Decimal("0.00"), "sponsor_count": 0,
         "revenue": Decimal("0.00"), "total_benefits": 0, "completed_benefits": 0, "fulfillment_rate": 0},
        {"level_name": "Gold", "level_slug": "gold", "cost": Decimal("1000.00"), "sponsor_count": 2,
         "revenue": Decimal("2000.00"), "total_benefits": 3, "completed_benefits": 2,
         "fulfillment_rate": Decimal(2) / Decimal(3) * 100},
        {"level_name": "Silver", "level_slug": "silver", "cost": Decimal("500.00"), "sponsor_count": 0,
         "revenue": Decimal("0.00"), "total_benefits": 1, "completed_benefits": 0, "fulfillment_rate": 0},
    ]
    assert community  # the level with no sponsors is still listed, first by `order`
    assert {k: v for k, v in got.items() if k != "by_level"} == {
        "total_sponsors": 2,
        "total_sponsor_revenue": Decimal("2000.00"),
        "overall_fulfillment_rate": Decimal(50),
        "total_benefits": 4,
        "total_completed_benefits": 2,
    }


def test_sponsor_benefit_fulfillment_lists_sponsors_with_benefits(hm: Handmade, url_of) -> None:
    conf = hm.conference("c", "2030-05-01")
    other = hm.conference("other", "2030-05-01")
    level = "program_sponsors_sponsorlevel"
    silver = hm.add(level, conference_id=conf, name="Silver", slug="silver", order=2)
    gold = hm.add(level, conference_id=conf, name="Gold", slug="gold", order=1)
    elsewhere = hm.add(level, conference_id=other, name="Gold", slug="gold", order=1)
    _sponsor(hm, conf, gold, "Beta", [True, True, False])
    _sponsor(hm, conf, gold, "Alpha", [])  # no benefits: left out of by_sponsor
    _sponsor(hm, conf, silver, "Gamma", [False], active=0)  # inactive sponsors count too
    _sponsor(hm, conf, silver, "Acme", [True, False])
    _sponsor(hm, other, elsewhere, "Other", [True, True])

    assert run(url_of(hm), "c", sponsor_benefit_fulfillment) == {
        "total_benefits": 6,
        "completed": 3,
        "pending": 3,
        "fulfillment_rate": Decimal(50),
        "by_sponsor": [  # by level order, then sponsor name
            {"sponsor_name": "Beta", "level": "Gold", "total": 3, "completed": 2, "pending": 1},
            {"sponsor_name": "Acme", "level": "Silver", "total": 2, "completed": 1, "pending": 1},
            {"sponsor_name": "Gamma", "level": "Silver", "total": 1, "completed": 0, "pending": 1},
        ],
    }

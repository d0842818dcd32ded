"""Activities (tutorials, sprints, workshops, socials, ...) and confirmed/waitlisted/cancelled signups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalog import Product
from .context import ConferenceContext
from .values import local_minutes, slugify

ACTIVITY = "program_programs_activity"
SIGNUP = "program_programs_activitysignup"


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: str
    capacity: int | None  # per unit of scale; None = unlimited
    demand: float  # share of attendees who sign up
    day: int  # offset from the first conference day
    minute: int  # local start, minutes after midnight
    hours: float
    active: bool = True
    overbooked: bool = False  # organisers confirmed more than the limit


LARGE = (
    _Spec("Sprint: CPython", "sprint", None, 0.05, 3, 9 * 60, 8),
    _Spec("Sprint: Django", "sprint", None, 0.04, 3, 9 * 60, 8),
    _Spec("Sprint: Packaging", "sprint", None, 0.02, 4, 9 * 60, 8),
    _Spec("Workshop: First-time Contributors", "workshop", 25, 0.09, 0, 14 * 60, 3),
    _Spec("Lightning Talks", "lightning_talk", None, 0.03, 0, 17 * 60 + 45, 1),
    _Spec("Newcomer Orientation", "social", 40, 0.15, 0, 8 * 60, 1, overbooked=True),
    _Spec("Open Spaces", "open_space", None, 0.06, 1, 10 * 60, 7),
    _Spec("Language Summit", "summit", 30, 0.06, -1, 9 * 60, 7),
    _Spec("PyConf 5K Fun Run", "other", 60, 0.08, 1, 6 * 60 + 30, 1.5),
    _Spec("Board Game Night", "social", 50, 0.0, 1, 20 * 60, 3, active=False),
)
REGIONAL = (
    _Spec("Sprint Day", "sprint", None, 0.08, 2, 9 * 60, 8),
    _Spec("Workshop: Intro to Django", "workshop", 20, 0.14, -1, 10 * 60, 6),
    _Spec("Lightning Talks", "lightning_talk", None, 0.05, 0, 17 * 60, 1),
    _Spec("Newcomer Meetup", "social", 15, 0.16, 0, 18 * 60, 2, overbooked=True),
)


class ActivityGenerator:
    def __init__(self, ctx: ConferenceContext) -> None:
        self.ctx = ctx
        self.ed = ctx.edition
        self.w = ctx.writer
        self.rng = ctx.rng("activities")
        self.users = sorted({a.user_id for a in ctx.attendees if not a.online})
        self.signup_from = self.ed.sales_open + dt.timedelta(days=10)
        self.signup_until = min(ctx.horizon, dt.datetime.combine(self.ed.start, dt.time(), dt.UTC))

    def run(self) -> None:
        catalog = self.ctx.catalog
        tutorials = catalog.addon_group("tutorial") if catalog else []
        for i, addon in enumerate(tutorials):
            talk = self.ctx.tutorial_talk_ids[i] if i < len(self.ctx.tutorial_talk_ids) else None
            self._tutorial(addon, talk)
        for spec in LARGE if self.ed.series.large else REGIONAL:
            capacity = None if spec.capacity is None else self.ed.scaled(spec.capacity)
            aid = self._activity(
                spec.name, spec.kind, capacity, spec.day, spec.minute, spec.hours, spec.active
            )
            wanted = round(len(self.users) * spec.demand)
            users = self.rng.sample(self.users, min(wanted, len(self.users)))
            self._signups(aid, users, capacity, overbooked=spec.overbooked)

    def _activity(
        self,
        name: str,
        kind: str,
        capacity: int | None,
        day: int,
        minute: int,
        hours: float,
        active: bool = True,
    ) -> int:
        ed, rng = self.ed, self.rng
        start = local_minutes(ed.start + dt.timedelta(days=day), ed.timezone, minute)
        rooms = self.ctx.talk_room_ids
        aid = self.w.add(
            ACTIVITY,
            {
                "conference_id": self.ctx.conference_id,
                "name": name,
                "slug": slugify(name),
                "activity_type": kind,
                "description": f"{name} at {ed.name}.",
                "location": "" if rooms else ed.venue.venue,
                "room_id": rooms[rng.randrange(len(rooms))] if rooms and rng.random() < 0.7 else None,
                "start_time": start,
                "end_time": start + dt.timedelta(hours=hours),
                "max_participants": capacity,
                "requires_ticket": kind in ("tutorial", "workshop"),
                "external_url": "",
                "is_active": active,
                "pretalx_submission_type": "Tutorial" if kind == "tutorial" else "",
                "synced_at": None,
                "created_at": self.ctx.created,
                "updated_at": self.ctx.created,
            },
        )
        if rng.random() < 0.6:
            self.w.add(
                "program_programs_activity_organizers", {"activity_id": aid, "user_id": self.ctx.staff[2]}
            )
        return aid

    def _tutorial(self, addon: Product, talk_id: int | None) -> None:
        name = addon.name.removeprefix("Tutorial: ")
        aid = self._activity(name, "tutorial", addon.capacity, -1, 9 * 60, 3)
        if talk_id is not None:
            self.w.add("program_programs_activity_talks", {"activity_id": aid, "talk_id": talk_id})
        buyers = sorted(set(self.ctx.addon_buyers.get(addon.key, [])))
        confirmed = set(buyers)
        extra = [u for u in self.users if u not in confirmed]
        waiting = (
            self.rng.sample(extra, min(len(extra), round(len(buyers) * 0.15)))
            if addon.sold >= addon.capacity
            else []
        )
        self._signups(aid, buyers + waiting, addon.capacity, keep_order=True)

    def _signups(
        self,
        activity_id: int,
        users: list[int],
        capacity: int | None,
        *,
        overbooked: bool = False,
        keep_order: bool = False,
    ) -> None:
        rng = self.rng
        if self.signup_until <= self.signup_from or not users:
            return
        span = (self.signup_until - self.signup_from).total_seconds()
        times = sorted(self.signup_from + dt.timedelta(seconds=rng.uniform(0, span)) for _ in users)
        if not keep_order:
            users = sorted(users)
            rng.shuffle(users)
        limit = None if capacity is None else round(capacity * 1.15) if overbooked else capacity
        for position, (uid, at) in enumerate(zip(users, times, strict=True)):
            status = "confirmed" if limit is None or position < limit else "waitlisted"
            cancelled_at = None
            if rng.random() < 0.06:
                status, cancelled_at = (
                    "cancelled",
                    min(at + dt.timedelta(days=rng.uniform(1, 20)), self.ctx.now),
                )
            self.w.add(
                SIGNUP,
                {
                    "activity_id": activity_id,
                    "user_id": uid,
                    "status": status,
                    "note": "",
                    "cancelled_at": cancelled_at,
                    "created_at": at,
                },
            )

"""The talk programme: rooms, talks (every Pretalx state), speakers and the schedule grid.

Returning speakers keep their identity across years: a linked speaker by ``user_id``, an
outside speaker (no account) by the exact name and e-mail Pretalx reports.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

from .catalog import add_voucher
from .context import ConferenceContext, TalkRecord
from .people import outside_speaker
from .values import local_minutes

TALK = "program_pretalx_talk"
SLOT = "program_pretalx_scheduleslot"
# fmt: off
PREFIXES = (
    "A Practical Guide to", "Lessons Learned from", "Beyond", "Demystifying", "Building", "Testing",
    "Debugging", "Scaling", "Securing", "Teaching", "The Hidden Costs of", "Ten Years of", "Rethinking",
)
TOPICS = (
    "Async Django", "Data Pipelines", "Type Hints", "Packaging", "the GIL", "Pandas at Scale", "Web APIs",
    "Machine Learning Ops", "Open Source Maintenance", "Python on Microcontrollers", "Accessibility",
    "Property-based Testing", "CPython Internals", "Geospatial Data", "Observability", "Rust Extensions",
    "Jupyter in Production", "Search Engines", "Scientific Computing", "Community Building",
)
TAGS = (
    "python", "django", "data", "ml", "testing", "web", "community", "performance", "security",
)
# fmt: on
SLOT_STARTS = (
    10 * 60 + 15,
    11 * 60,
    11 * 60 + 45,
    13 * 60 + 45,
    14 * 60 + 30,
    15 * 60 + 15,
    16 * 60 + 15,
    17 * 60,
)
# fmt: off
ROOM_NAMES_LARGE = (
    "Main Hall", "Ballroom A", "Ballroom B", "Room 251", "Room 252", "Room 253", "Room 315", "Room 316",
    "Room 317", "Room 318", "Room 401", "Room 402", "Room 403", "Room 404", "Room 405", "Room 406",
    "Room 407", "Room 408",
)
ROOM_NAMES_REGIONAL = (
    "Saal 1", "Saal 2", "Saal 3", "Studio A", "Studio B", "Studio C", "Studio D", "Studio E",
)
# fmt: on


@dataclass
class _Talk:
    state: str
    submission_type: str
    duration: int | None
    room_id: int | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    id: int = 0


class ProgramGenerator:
    def __init__(self, ctx: ConferenceContext) -> None:
        self.ctx = ctx
        self.ed = ctx.edition
        self.w = ctx.writer
        self.rng: random.Random = ctx.rng("program")
        self.selling = self.ed.phase == "selling"
        self.tracks = (
            ("Web", "Data & AI", "Core Python", "Education", "Security", "DevOps", "Community", "")
            if self.ed.series.large
            else ("Python", "Data", "Web", "")
        )
        self.cfp_open = dt.datetime.combine(self.ed.start, dt.time(14), dt.UTC) - dt.timedelta(
            days=240 if self.ed.series.large else 160
        )
        self.decided = self.cfp_open + dt.timedelta(days=75)

    def run(self) -> None:
        rooms = self._rooms()
        talks = self._schedule(rooms)
        talks += self._unscheduled(sum(1 for t in talks if t.state in ("confirmed", "accepted")))
        self._write_talks(talks)
        self._speakers(talks)

    # -- rooms and schedule ------------------------------------------------------------------
    def _rooms(self) -> dict[str, int]:
        ed, rng = self.ed, self.rng
        names = ROOM_NAMES_LARGE if ed.series.large else ROOM_NAMES_REGIONAL
        count = min(len(names), ed.content(3 if ed.series.large else 2))
        talk_rooms = list(names[:count])
        extra = ["Open Space Lounge", "Expo Hall"] if ed.series.large else ["Foyer"]
        ids: dict[str, int] = {}
        for position, name in enumerate(talk_rooms + extra, start=1):
            capacity = (
                3000
                if position == 1 and ed.series.large
                else 400
                if position == 1
                else rng.choice((120, 150, 200, 250, 300))
            )
            if name in ("Expo Hall", "Foyer") or (position == 4 and ed.series.large):
                capacity = None
            ids[name] = self.w.add(
                "program_pretalx_room",
                {
                    "conference_id": self.ctx.conference_id,
                    "name": name,
                    "description": "",
                    "capacity": capacity,
                    "position": None if name == "Open Space Lounge" else position,
                    "pretalx_id": None
                    if name in ("Expo Hall", "Foyer", "Open Space Lounge")
                    else 100 + position,
                    "synced_at": self._synced(),
                    "created_at": self.ctx.created,
                    "updated_at": self.ctx.created,
                },
            )
        self.ctx.talk_room_ids = [ids[n] for n in talk_rooms]
        return ids

    def _synced(self) -> dt.datetime:
        if self.selling:
            return self.ctx.now - dt.timedelta(hours=1)
        return dt.datetime.combine(self.ed.end, dt.time(23), dt.UTC)

    def _slot(
        self,
        room_id: int | None,
        start: dt.datetime,
        minutes: int,
        slot_type: str,
        title: str = "",
        talk_id: int | None = None,
    ) -> None:
        self.w.add(
            SLOT,
            {
                "conference_id": self.ctx.conference_id,
                "talk_id": talk_id,
                "title": title,
                "room_id": room_id,
                "start": start,
                "end": start + dt.timedelta(minutes=minutes),
                "slot_type": slot_type,
                "synced_at": self._synced(),
                "created_at": self.decided,
                "updated_at": self.decided,
            },
        )

    def _schedule(self, rooms: dict[str, int]) -> list[_Talk]:
        """Scheduled talks (ids reserved) and the schedule slots around them."""
        ed, rng, tz = self.ed, self.rng, self.ed.timezone
        hall = rooms.get("Expo Hall") or rooms["Foyer"]
        main = self.ctx.talk_room_ids[0]
        talks: list[_Talk] = []
        pending_slots: list[tuple[int, dt.datetime, int, _Talk]] = []

        def schedule(room: int, minute: int, day: dt.date, length: int, kind: str) -> None:
            start = local_minutes(day, tz, minute)
            state = "confirmed" if self.selling or rng.random() < 0.92 else "accepted"
            talk = _Talk(state, kind, length, room, start, start + dt.timedelta(minutes=length))
            talks.append(talk)
            pending_slots.append((room, start, length, talk))

        fill = 0.55 if self.selling else 1.0
        for day_index, day in enumerate(ed.days):
            schedule(main, 9 * 60, day, 45, "Keynote")
            for ri, room in enumerate(self.ctx.talk_room_ids):
                chance = max(0.5, 0.97 - 0.08 * ri) * fill
                for minute in SLOT_STARTS:
                    if rng.random() < chance:
                        schedule(room, minute, day, 30, "Talk")
                    elif not self.selling and ri > 0 and rng.random() < 0.5:
                        self._slot(room, local_minutes(day, tz, minute), 30, "other", "Sponsor Workshop")
            if "Open Space Lounge" in rooms:
                lounge = rooms["Open Space Lounge"]
                for i, minute in enumerate(SLOT_STARTS):
                    if i in (2, 5) and not self.selling:
                        schedule(lounge, minute, day, 30, "Talk")
                    else:
                        self._slot(lounge, local_minutes(day, tz, minute), 30, "other", "Open Space")
            if not self.selling or day_index == 0:
                schedule(main, 17 * 60 + 45, day, 60, "Lightning Talks")
            self._slot(hall, local_minutes(day, tz, 7 * 60 + 30), 90, "other", "Registration & Breakfast")
            self._slot(hall, local_minutes(day, tz, 9 * 60 + 45), 30, "break", "Morning Coffee")
            self._slot(hall, local_minutes(day, tz, 12 * 60 + 15), 90, "break", "Lunch")
            self._slot(hall, local_minutes(day, tz, 15 * 60 + 45), 30, "break", "Afternoon Break")
            if day_index == 0:
                self._slot(hall, local_minutes(day, tz, 18 * 60 + 30), 120, "social", "Opening Reception")
            elif day_index == 1:
                title = "PyLadies Auction" if ed.series.large else "Conference Party"
                self._slot(None, local_minutes(day, tz, 19 * 60), 180, "social", title)
                if ed.series.large:
                    self._slot(hall, local_minutes(day, tz, 10 * 60), 180, "other", "Poster Session")
        last_day = ed.days[-1]
        self._slot(main, local_minutes(last_day, tz, 18 * 60 + 45), 30, "talk", "To be announced")
        for talk in talks:
            talk.id = self.w.next_id(TALK)
        for room, start, length, talk in pending_slots:
            self._slot(room, start, length, "talk", "", talk.id)
        return talks

    def _unscheduled(self, scheduled: int) -> list[_Talk]:
        ed = self.ed
        talks: list[_Talk] = []

        def add(count: int, state: str, kind: str = "Talk", duration: int | None = 30) -> None:
            talks.extend(_Talk(state, kind, duration) for _ in range(count))

        tutorials = len(self.ctx.catalog.addon_group("tutorial")) if self.ctx.catalog else 0
        add(tutorials, "confirmed", "Tutorial", 180)
        if ed.series.large:
            add(ed.content(6), "confirmed", "Poster", None)
        if self.selling:
            add(round(scheduled * 0.4), "accepted")
            add(round(scheduled * 0.6), "submitted")
            add(round(scheduled * 0.4), "rejected")
            add(2, "withdrawn")
            add(3, "draft")
        else:
            add(round(scheduled * (0.8 if ed.series.large else 0.5)), "rejected")
            add(max(1, round(scheduled * 0.05)), "withdrawn")
            add(max(1, round(scheduled * 0.03)), "canceled")
            add(1, "submitted")
            add(1, "draft")
            if ed.series.large:
                add(1, "deleted")
        for talk in talks:
            talk.id = self.w.next_id(TALK)
        return talks

    def _write_talks(self, talks: list[_Talk]) -> None:
        rng, tracks = self.rng, self.tracks
        tutorial_ids: list[int] = []
        for talk in sorted(talks, key=lambda t: t.id):
            created = self.cfp_open + dt.timedelta(days=rng.uniform(0, 60))
            updated = created if talk.state in ("submitted", "draft") else self.decided
            title = f"{PREFIXES[rng.randrange(len(PREFIXES))]} {TOPICS[rng.randrange(len(TOPICS))]}"
            if talk.submission_type == "Lightning Talks":
                title = "Lightning Talks"
            tags = rng.sample(TAGS, rng.choice((0, 1, 2, 3)))
            self.w.add(
                TALK,
                {
                    "id": talk.id,
                    "conference_id": self.ctx.conference_id,
                    "pretalx_code": self.ctx.history.talk_codes.code(talk.id),
                    "title": title,
                    "abstract": f"{title}: what we tried, what broke and what we would do again.",
                    "description": "",
                    "submission_type": talk.submission_type,
                    "track": tracks[rng.randrange(len(tracks))],
                    "tags": json.dumps(tags),
                    "duration": talk.duration,
                    "state": talk.state,
                    "room_id": talk.room_id,
                    "slot_start": talk.start,
                    "slot_end": talk.end,
                    "synced_at": self._synced(),
                    "created_at": created,
                    "updated_at": updated,
                },
            )
            scheduled = talk.start is not None
            self.ctx.talks.append(TalkRecord(talk.id, talk.state, scheduled, talk.submission_type))
            if talk.submission_type == "Tutorial":
                tutorial_ids.append(talk.id)
        self.ctx.tutorial_talk_ids = tutorial_ids

    # -- speakers ----------------------------------------------------------------------------
    def _speakers(self, talks: list[_Talk]) -> None:
        rng, ed, hist = self.rng, self.ed, self.ctx.history
        needed = max(1, round(len(talks) * 0.95))
        previous = list(hist.speakers.get(ed.series.key, []))
        identities: list[tuple[str, int]] = rng.sample(previous, min(len(previous), round(needed * 0.3)))
        linked = {number for kind, number in identities if kind == "user"}
        attendees = [u for u in hist.past_attendees(ed.series.key, 1) if u not in linked]
        rng.shuffle(attendees)
        while len(identities) < needed:
            if rng.random() < 0.28:
                identities.append(("ext", hist.next_outside_speaker))
                hist.next_outside_speaker += 1
            elif attendees and rng.random() < 0.5:
                identities.append(("user", attendees.pop()))
            else:
                identities.append(("user", self.ctx.people.new_user(self.cfp_open)))
        speaker_ids = [self._write_speaker(kind, number) for kind, number in identities]
        hist.speakers[ed.series.key] = identities
        order = list(range(len(talks)))
        rng.shuffle(order)
        for position, talk_index in enumerate(order):
            talk = talks[talk_index]
            chosen = {position % len(speaker_ids)}
            if rng.random() < 0.15:
                chosen.add(rng.randrange(len(speaker_ids)))
            for si in sorted(chosen):
                self.w.add(
                    "program_pretalx_talk_speakers", {"talk_id": talk.id, "speaker_id": speaker_ids[si]}
                )
                kind, number = identities[si]
                if kind == "user" and talk.state in ("confirmed", "accepted"):
                    self._register_speaker(number, self.ctx.history.speaker_codes.code(2 * number))

    def _write_speaker(self, kind: str, number: int) -> int:
        hist, people = self.ctx.history, self.ctx.people
        if kind == "user":
            person = people.person(number)
            name, email, user_id = person.full_name, person.email, number
            code = hist.speaker_codes.code(2 * number)
        else:
            outside = outside_speaker(number, people.salt)
            name, email, user_id = outside.name, outside.email, None
            code = hist.speaker_codes.code(2 * number + 1)
        avatar = f"https://pretalx.example/media/avatars/{code.lower()}.png" if number % 3 else ""
        return self.w.add(
            "program_pretalx_speaker",
            {
                "conference_id": self.ctx.conference_id,
                "pretalx_code": code,
                "name": name,
                "biography": f"{name} writes Python for a living and for fun.",
                "avatar_url": avatar,
                "email": email,
                "user_id": user_id,
                "synced_at": self._synced(),
                "created_at": self.cfp_open,
                "updated_at": self.decided,
            },
        )

    def _register_speaker(self, user_id: int, code: str) -> None:
        """A linked speaker with an accepted talk gets a personal comp voucher."""
        if user_id in self.ctx.speaker_users or self.ctx.catalog is None:
            return
        voucher_code = f"SPK-{code}"
        window = (self.ed.sales_open, self.ed.sales_close)
        add_voucher(
            self.ctx.catalog,
            self.w,
            voucher_code,
            "comp",
            0,
            1,
            window,
            ("speaker",),
            ("tshirt",),
            unlocks_hidden=True,
        )
        self.ctx.speaker_users[user_id] = voucher_code
        self.ctx.speaker_since[user_id] = max(self.decided, self.ed.sales_open)

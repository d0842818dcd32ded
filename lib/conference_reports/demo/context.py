"""State passed between the generators: one conference's context and the history across conferences."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from .catalog import Catalog
from .lineup import Edition
from .people import People
from .values import CodeMint, rng_for
from .writer import RowWriter


@dataclass
class AttendeeRecord:
    """An attendee before it is written (check-in is decided when writing)."""

    user_id: int
    order_id: int | None
    registered_at: dt.datetime
    refunded: bool = False
    online: bool = False
    speaker: bool = False
    on_site_at: dt.datetime | None = None  # bought at the door
    id: int = 0
    checked_in_at: dt.datetime | None = None


@dataclass
class TalkRecord:
    id: int
    state: str
    scheduled: bool
    submission_type: str


@dataclass
class History:
    """What later conferences reuse from earlier ones: returning people, speakers, sponsors, codes."""

    seed: int
    attendees: dict[str, list[list[int]]] = field(default_factory=lambda: defaultdict(list))
    speakers: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # ("user"|"ext", number)
    sponsors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (name, level key)
    next_outside_speaker: int = 1
    access_codes: CodeMint = field(init=False)
    order_refs: CodeMint = field(init=False)
    talk_codes: CodeMint = field(init=False)
    speaker_codes: CodeMint = field(init=False)

    def __post_init__(self) -> None:
        self.access_codes = CodeMint(rng_for(self.seed, "access-codes"), 8)
        self.order_refs = CodeMint(rng_for(self.seed, "order-references"), 8)
        self.talk_codes = CodeMint(rng_for(self.seed, "talk-codes"), 6)
        self.speaker_codes = CodeMint(rng_for(self.seed, "speaker-codes"), 5)

    def past_attendees(self, series: str, editions_back: int = 1) -> list[int]:
        """Attendee user ids of an earlier edition of ``series`` (1 = the latest one written)."""
        history = self.attendees.get(series, [])
        return history[-editions_back] if len(history) >= editions_back else []


@dataclass
class ConferenceContext:
    """Everything the generators of one conference share."""

    edition: Edition
    conference_id: int
    seed: int
    now: dt.datetime
    writer: RowWriter
    people: People
    history: History
    created: dt.datetime  # when the organisers set the conference up
    catalog: Catalog | None = None
    staff: list[int] = field(default_factory=list)
    volunteers_group_id: int = 0
    faults: bool = False  # plant the data-quality faults of faults.py in this conference
    speaker_users: dict[int, str] = field(default_factory=dict)  # user id -> personal comp voucher code
    speaker_since: dict[int, dt.datetime] = field(default_factory=dict)
    attendees: list[AttendeeRecord] = field(default_factory=list)
    addon_buyers: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    buyers: set[int] = field(default_factory=set)
    talks: list[TalkRecord] = field(default_factory=list)
    talk_room_ids: list[int] = field(default_factory=list)
    tutorial_talk_ids: list[int] = field(default_factory=list)

    def rng(self, part: str) -> random.Random:
        return rng_for(self.seed, self.edition.slug, part)

    @property
    def horizon(self) -> dt.datetime:
        """Nothing happens after this instant: the end of sales, or ``now`` while sales run."""
        return min(self.now, self.edition.sales_close)

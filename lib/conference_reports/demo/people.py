"""People: auth_user rows whose names derive from the user id, staff accounts, outside speakers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .values import hex_token, jitter
from .writer import RowWriter

# fmt: off
FIRST_NAMES = (
    "Ada", "Adebayo", "Aiko", "Alejandro", "Amara", "Ana", "Anders", "Anika", "Arjun", "Astrid", "Beatriz",
    "Bilal", "Bo", "Camila", "Carlos", "Chen", "Chiara", "Chidi", "Dara", "Daniel", "Dmitri", "Elena",
    "Emeka", "Emma", "Farah", "Felix", "Fatima", "Freya", "Gabriel", "Grace", "Hana", "Hannah", "Hiroshi",
    "Ibrahim", "Ines", "Ingrid", "Isaac", "Jamal", "Javier", "Jin", "Jonas", "Julia", "Kai", "Kamala",
    "Karim", "Keiko", "Kofi", "Lars", "Layla", "Leon", "Lina", "Lucas", "Maya", "Mateo", "Mei", "Mohammed",
    "Nadia", "Naomi", "Nikolai", "Nina", "Noah", "Olga", "Omar", "Paula", "Priya", "Rafael", "Ravi",
    "Rosa", "Sami", "Sara", "Sofia", "Sven", "Tariq", "Thandiwe", "Tomas", "Uma", "Valentina", "Wei",
    "Yara", "Yusuf", "Zainab", "Zoe",
)
LAST_NAMES = (
    "Abara", "Andersson", "Bauer", "Becker", "Bianchi", "Brown", "Castillo", "Chen", "Costa", "Dubois",
    "Eriksen", "Fernandes", "Fischer", "Garcia", "Gonzalez", "Hashemi", "Hoffmann", "Ibrahim", "Ito",
    "Jansen", "Johnson", "Kaur", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez", "Martin", "Mensah",
    "Meyer", "Mueller", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Osei", "Park",
    "Patel", "Petrov", "Popescu", "Rahman", "Reyes", "Rossi", "Sato", "Schmidt", "Schneider", "Silva",
    "Singh", "Smith", "Suzuki", "Tanaka", "Taylor", "Thompson", "Torres", "Varga", "Wagner", "Wang",
    "Weber", "Williams", "Wilson", "Yamamoto", "Yilmaz", "Zhang", "Zimmermann",
)
EMAIL_DOMAINS = (
    "example.com", "example.org", "example.net", "mail.example", "dev.example",
)
# fmt: on
STAFF = (
    ("admin", "Ada", "Admin", True),
    ("registration.lead", "Rosa", "Registrar", False),
    ("program.chair", "Paula", "Programme", False),
    ("finance.lead", "Felix", "Treasurer", False),
    ("grants.chair", "Grace", "Grants", False),
    ("sponsor.lead", "Sven", "Sponsors", False),
)


def person_name(number: int, salt: int) -> tuple[str, str]:
    """A (first, last) name spread deterministically over the name lists."""
    first = FIRST_NAMES[(number * 7 + salt) % len(FIRST_NAMES)]
    last = LAST_NAMES[(number * 13 + number // len(FIRST_NAMES) + salt * 3) % len(LAST_NAMES)]
    return first, last


@dataclass(frozen=True)
class Person:
    """Display identity of a user: what billing, speaker and grant rows copy."""

    user_id: int
    first: str
    last: str
    username: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


class People:
    """Allocates auth_user rows (ids in creation order) and recomputes their identity from the id."""

    def __init__(self, writer: RowWriter, seed: int, now: dt.datetime) -> None:
        self.writer = writer
        self.salt = seed % 997
        self.now = now
        self.rng = random.Random(f"{seed}:people")
        self.staff_ids: list[int] = []
        # Accounts must predate every use. Conferences are generated oldest first, and no conference
        # has activity earlier than 250 days before its start, so joining before that suits all uses.
        self.join_before = now

    def person(self, user_id: int) -> Person:
        if user_id <= len(STAFF):
            username, first, last, _ = STAFF[user_id - 1]
            return Person(user_id, first, last, username, f"{username}@conference.example")
        first, last = person_name(user_id, self.salt)
        username = f"{first}.{last}.{user_id}".lower()
        domain = EMAIL_DOMAINS[(user_id + self.salt) % len(EMAIL_DOMAINS)]
        return Person(user_id, first, last, username, f"{username}@{domain}")

    def create_staff(self, joined: dt.datetime) -> list[int]:
        """The organisers' accounts (ids 1..n), created before any attendee."""
        for username, _first, _last, superuser in STAFF:
            uid = self._write(joined, is_staff=True, is_superuser=superuser)
            assert self.person(uid).username == username
            self.staff_ids.append(uid)
        return self.staff_ids

    def new_user(self, first_seen: dt.datetime) -> int:
        """A new attendee-side account that joined before ``first_seen`` and before ``join_before``."""
        joined = min(first_seen, self.join_before) - dt.timedelta(days=self.rng.uniform(20, 400))
        return self._write(joined, is_staff=False, is_superuser=False)

    def _write(self, joined: dt.datetime, *, is_staff: bool, is_superuser: bool) -> int:
        rng = self.rng
        uid = self.writer.next_id("auth_user")
        person = self.person(uid)
        last_login = None if rng.random() < 0.15 else jitter(rng, joined, (self.now - joined).total_seconds())
        self.writer.add(
            "auth_user",
            {
                "id": uid,
                "password": "!" + hex_token(rng, 40),  # Django's "unusable password" form
                "last_login": last_login,
                "is_superuser": is_superuser,
                "username": person.username,
                "first_name": person.first,
                "last_name": person.last,
                "email": person.email,
                "is_staff": is_staff,
                "is_active": rng.random() > 0.01,
                "date_joined": joined,
            },
        )
        return uid


@dataclass(frozen=True)
class OutsideSpeaker:
    """A speaker known to Pretalx only (no user account); matched across years by name and email."""

    number: int
    name: str
    email: str


def outside_speaker(number: int, salt: int) -> OutsideSpeaker:
    first, last = person_name(number + 5003, salt + 11)
    email = "" if number % 9 == 4 else f"{first}.{last}.{number}@speakers.example".lower()
    return OutsideSpeaker(number, f"{first} {last}", email)

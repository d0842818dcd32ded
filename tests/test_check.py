"""Data-quality checks: each rule finds its one planted row (SQLite and PostgreSQL), near misses and a
clean database give zeros, the `check` verb's output and exit codes, and the demo's planted faults."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conference_reports.cli import main
from conference_reports.metrics.quality import RULES, data_quality
from support.backends import run
from support.handmade import Handmade

NEW_YORK = ZoneInfo("America/New_York")
ORDER = "program_registration_order"
ATTENDEE = "program_registration_attendee"
CHECKIN = "program_registration_checkin"
CREDIT = "program_registration_credit"
GRANT = "program_programs_travelgrant"
ROOM = "program_pretalx_room"
SLOT = "program_pretalx_scheduleslot"


def local(day: str, time: str) -> dt.datetime:
    """An instant given as New York wall-clock time."""
    return dt.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=NEW_YORK)


class Db:
    """A Handmade database with helpers for the rows the rules read."""

    def __init__(self, path: Path) -> None:
        self.h = Handmade(path)
        self.users = self.orders = 0

    def user(self) -> int:
        self.users += 1
        return self.h.user(f"user{self.users}")

    def order(self, conf: int, uid: int, status: str, subtotal: str, discount: str = "0", total: str = "",
              ) -> int:
        self.orders += 1
        return self.h.add(ORDER, conference_id=conf, user_id=uid, status=status, subtotal=subtotal,
                          discount_amount=discount, total=total or str(Decimal(subtotal) - Decimal(discount)),
                          reference=f"ORD-{self.orders:06d}")

    def attending(self, conf: int, status: str, subtotal: str, discount: str = "0", total: str = "") -> int:
        """An order of a new user who has an attendee record (as paying makes one)."""
        uid = self.user()
        self.attendee(conf, uid)
        return self.order(conf, uid, status, subtotal, discount, total)

    def attendee(self, conf: int, uid: int, checked_in_at: dt.datetime | None = None) -> int:
        return self.h.add(ATTENDEE, conference_id=conf, user_id=uid, checked_in_at=checked_in_at,
                          access_code=f"A{uid:07d}{conf}")

    def checkin(self, conf: int, attendee_id: int, at: dt.datetime) -> int:
        return self.h.add(CHECKIN, conference_id=conf, attendee_id=attendee_id, checked_in_at=at)

    def credit(self, conf: int, amount: str, source: int | None) -> int:
        """A credit; with `source`, a refund of that order (and its buyer's)."""
        uid = self.h.db.execute(f"SELECT user_id FROM {ORDER} WHERE id = ?", (source,)).fetchone()
        return self.h.add(CREDIT, conference_id=conf, user_id=uid[0] if uid else self.user(), amount=amount,
                          remaining_amount=amount, status="available", source_order_id=source)

    def grant(self, conf: int, approved: str | None, disbursed: str | None, status: str = "disbursed") -> int:
        return self.h.add(GRANT, conference_id=conf, user_id=self.user(), status=status,
                          requested_amount="900", approved_amount=approved, disbursed_amount=disbursed,
                          application_type="general", request_type="ticket_and_grant")

    def slot(self, conf: int, room: int | None, start: dt.datetime | str, end: dt.datetime | str,
             title: str = "") -> int:
        return self.h.add(SLOT, conference_id=conf, room_id=room, start=start, end=end, title=title,
                          slot_type="talk")


def near_misses(db: Db, conf: int) -> None:
    """Rows that look like faults but are not: each rule must ignore all of them."""
    buyer = db.user()
    db.order(conf, buyer, "paid", "100")
    db.order(conf, buyer, "partially_refunded", "50")
    db.attendee(conf, buyer, local("2025-05-13", "00:30"))  # the day before the start: badge pick-up
    db.order(conf, db.user(), "refunded", "100")  # no attendee, but not paid any more
    db.order(conf, db.user(), "pending", "100")
    db.order(conf, db.user(), "cancelled", "100", "0", "80")  # wrong total, but not a paid order
    late = db.attendee(conf, db.user(), local("2025-05-14", "09:00"))
    db.checkin(conf, late, local("2025-05-16", "23:30"))  # last day, late evening: 03:30 UTC the day after
    whole = db.order(conf, db.user(), "refunded", "100")
    db.credit(conf, "60", whole)
    db.credit(conf, "40", whole)  # refunds equal to the total
    cents = db.attending(conf, "partially_refunded", "0.30")
    db.credit(conf, "0.10", cents)
    db.credit(conf, "0.20", cents)  # 0.1 + 0.2 > 0.3 in floating point, not in cents
    db.credit(conf, "75", None)  # goodwill credit, no source order
    db.attending(conf, "paid", "0.30", "0.10", "0.20")  # 0.3 - 0.1 != 0.2 in floating point
    db.attending(conf, "paid", "100", "120", "0")  # discount above the subtotal: total floors at 0
    db.grant(conf, "500", "500")
    db.grant(conf, "0.30", "0.30")
    db.grant(conf, "400", None, "accepted")
    db.grant(conf, None, None, "submitted")
    hall = db.h.add(ROOM, conference_id=conf, name="Hall")
    other = db.h.add(ROOM, conference_id=conf, name="Studio")
    day = "2025-05-14"
    db.slot(conf, hall, local(day, "09:00"), local(day, "10:00"), "Keynote")
    db.slot(conf, hall, "2025-05-14 14:00:00", local(day, "11:00"), "Next")  # touches: end == start
    db.slot(conf, other, local(day, "09:30"), local(day, "10:30"), "Elsewhere")  # same time, other room
    db.slot(conf, None, local(day, "09:00"), local(day, "12:00"), "Party")
    db.slot(conf, None, local(day, "09:00"), local(day, "12:00"), "Another party")  # no room: not compared


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Db, dict[str, Any]]:
    """alpha-2025 holds one fault per rule among the near misses; beta-2025 two more; ids in `ids`."""
    db = Db(tmp_path_factory.mktemp("planted") / "db.sqlite3")
    alpha = db.h.conference("alpha-2025", "2025-05-14", "2025-05-16", timezone="America/New_York")
    beta = db.h.conference("beta-2025", "2025-09-10", "2025-09-11", timezone="Europe/Berlin")
    near_misses(db, alpha)
    ids: dict[str, Any] = {}
    ghost = db.user()  # paid at alpha, attendee only at beta
    ids["ghost"], ids["ghost_order"] = ghost, db.order(alpha, ghost, "partially_refunded", "100")
    db.attendee(beta, ghost)
    early_at = local("2025-05-12", "23:30")  # two days before, though 05-13 in UTC
    ids["early"] = db.attendee(alpha, db.user(), early_at)
    db.checkin(alpha, ids["early"], early_at)  # the same first check-in in the log: still one attendee
    ids["late"] = db.attendee(alpha, db.user(), local("2025-05-15", "08:45"))
    db.checkin(alpha, ids["late"], local("2025-05-17", "00:30"))  # a re-entry scan after the end
    ids["over_user"] = db.user()
    over = ids["over"] = db.order(alpha, ids["over_user"], "refunded", "100")
    db.credit(alpha, "60", over)
    db.credit(alpha, "50", over)
    ids["mismatch"] = db.attending(alpha, "paid", "200", "50", "160")
    ids["grant"] = db.grant(alpha, "500", "500.01")
    hall = ids["hall"] = db.h.add(ROOM, conference_id=alpha, name="Ballroom")
    ids["slots"] = [
        db.slot(alpha, hall, local("2025-05-15", "10:00"), local("2025-05-15", "11:00"), "Talk A"),
        db.slot(alpha, hall, local("2025-05-15", "10:30"), local("2025-05-15", "11:30"), "Talk B"),
    ]
    db.slot(alpha, hall, local("2025-05-15", "11:30"), local("2025-05-15", "12:00"), "Talk C")
    db.order(beta, db.user(), "paid", "80")  # beta: a paid buyer without attendee
    ids["beta_grant"] = db.grant(beta, None, "300")  # beta: disbursed with nothing approved
    db.h.db.commit()
    return db, ids


def counts(value: dict[str, Any]) -> dict[str, int]:
    return {rule: found["count"] for rule, found in value.items()}


def test_each_planted_fault_is_found_once(planted: tuple[Db, dict[str, Any]], url_of) -> None:
    db, ids = planted
    found = run(url_of(db.h), "alpha-2025", data_quality)
    assert list(found) == list(RULES)
    assert counts(found) == dict.fromkeys(RULES, 1)
    example = {rule: value["examples"][0] for rule, value in found.items()}
    assert example["paid_buyer_without_attendee"] == {
        "user_id": ids["ghost"], "username": f"user{ids['ghost']}", "order_id": ids["ghost_order"],
        "paid_orders": 1,
    }
    assert example["checkin_before_doors"] == {
        "attendee_id": ids["early"], "user_id": ids["ghost"] + 1,
        "checked_in_at": dt.datetime(2025, 5, 13, 3, 30, tzinfo=dt.UTC), "check_ins": 2,
    }
    assert example["checkin_after_end"]["attendee_id"] == ids["late"]
    assert example["checkin_after_end"]["checked_in_at"] == local("2025-05-17", "00:30")
    assert example["refund_larger_than_order"] == {
        "order_id": ids["over"], "user_id": ids["over_user"], "status": "refunded",
        "total": Decimal("100.00"), "refunded": Decimal("110.00"), "credits": 2,
    }
    assert example["order_total_mismatch"]["order_id"] == ids["mismatch"]
    assert example["order_total_mismatch"]["total"] == Decimal("160.00")
    assert example["grant_above_approved"] == {
        "grant_id": ids["grant"], "status": "disbursed", "approved_amount": Decimal("500.00"),
        "disbursed_amount": Decimal("500.01"),
    }
    assert example["slot_overlap"] == {
        "room_id": ids["hall"], "room_name": "Ballroom",
        "slot_ids": ids["slots"], "titles": ["Talk A", "Talk B"],
        "from": local("2025-05-15", "10:30"),
        "until": local("2025-05-15", "11:00"),
    }


def test_the_other_conference_counts_only_its_own(planted: tuple[Db, dict[str, Any]], url_of) -> None:
    db, ids = planted
    found = run(url_of(db.h), "beta-2025", data_quality)
    assert {rule: n for rule, n in counts(found).items() if n} == {
        "paid_buyer_without_attendee": 1, "grant_above_approved": 1,
    }
    assert found["grant_above_approved"]["examples"] == [
        {"grant_id": ids["beta_grant"], "status": "disbursed", "approved_amount": None,
         "disbursed_amount": Decimal("300.00")},
    ]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Db:
    db = Db(tmp_path_factory.mktemp("clean") / "db.sqlite3")
    near_misses(db, db.h.conference("clean-2025", "2025-05-14", "2025-05-16", timezone="America/New_York"))
    db.h.conference("empty-2026", "2026-05-14")
    db.h.db.commit()
    return db


def test_a_clean_database_gives_zero_for_every_rule(clean: Db, url_of) -> None:
    url = url_of(clean.h)
    for slug in ("clean-2025", "empty-2026"):
        assert run(url, slug, data_quality) == {rule: {"count": 0, "examples": []} for rule in RULES}


# --- the `check` verb -------------------------------------------------------------------------------


def test_check_json_sums_over_conferences(planted: tuple[Db, dict[str, Any]], capsys) -> None:
    db, _ = planted
    assert main(["check", "--db", db.h.url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == sorted(RULES)
    assert {rule: v["count"] for rule, v in out.items()} == {
        **dict.fromkeys(RULES, 1), "paid_buyer_without_attendee": 2, "grant_above_approved": 2,
    }
    assert [e["conference"] for e in out["grant_above_approved"]["examples"]] == ["alpha-2025", "beta-2025"]
    assert all(e["conference"] == "alpha-2025" for e in out["slot_overlap"]["examples"])
    assert out["refund_larger_than_order"]["examples"][0]["refunded"] == "110.00"  # Decimals as strings
    assert out["checkin_after_end"]["examples"][0]["checked_in_at"] == "2025-05-17T04:30:00+00:00"


def test_check_one_conference_and_strict(planted: tuple[Db, dict[str, Any]], clean: Db, capsys) -> None:
    db, _ = planted
    assert main(["check", "--db", db.h.url, "--conference", "beta-2025", "--json", "--strict"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert sum(v["count"] for v in out.values()) == 2
    assert main(["check", "--db", clean.h.url, "--strict"]) == 0
    text = capsys.readouterr().out
    assert "clean-2025" in text and "empty-2026" in text
    assert text.rstrip().endswith("0 finding(s) in 2 conference(s)")
    assert main(["check", "--db", db.h.url]) == 0  # findings, but not --strict


def test_check_text_lists_rules_counts_and_examples(planted: tuple[Db, dict[str, Any]], capsys) -> None:
    db, ids = planted
    assert main(["check", "--db", db.h.url, "--conference", "alpha-2025"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("alpha-2025")
    for rule in RULES:
        assert any(line.split() == [rule, "1"] for line in lines), rule
    assert f"slot_ids={ids['slots'][0]}/{ids['slots'][1]}" in "\n".join(lines)


def test_check_unknown_slug_is_one_line_exit_2(planted: tuple[Db, dict[str, Any]], capsys) -> None:
    db, _ = planted
    assert main(["check", "--db", db.h.url, "--conference", "alpha-2025", "--conference", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "no conference with slug 'nope'" in captured.err


# --- the demo database ------------------------------------------------------------------------------


def test_the_demo_faults_are_found(demo_sqlite: tuple[Path, Any], capsys) -> None:
    """faults.py: the latest past edition of each series carries one of four faults, nothing else does."""
    path, summary = demo_sqlite
    assert main(["check", "--db", str(path), "--json", "--strict"]) == 1
    out = json.loads(capsys.readouterr().out)
    faulty = ["pyconf-2025", "regiocon-2025"]
    for rule in ("paid_buyer_without_attendee", "refund_larger_than_order", "checkin_before_doors",
                 "grant_above_approved"):
        assert out[rule]["count"] == 2, rule
        assert [e["conference"] for e in out[rule]["examples"]] == faulty, rule
    assert out["checkin_after_end"]["count"] == out["order_total_mismatch"]["count"] == 0
    for e in out["refund_larger_than_order"]["examples"]:
        assert e["credits"] == 2 and Decimal(e["refunded"]) == 2 * Decimal(e["total"])
    for e in out["grant_above_approved"]["examples"]:
        assert Decimal(e["disbursed_amount"]) - Decimal(e["approved_amount"]) == Decimal("160.00")
    pyconfs = [slug for slug in summary.conferences if slug.startswith("pyconf-")]
    assert out["slot_overlap"]["count"] == 2 * len(pyconfs)  # the Poster Session, by design of the grid
    assert {tuple(e["titles"]) for e in out["slot_overlap"]["examples"]} == {
        ("Morning Coffee", "Poster Session"), ("Lunch", "Poster Session"),
    }


def test_every_rule_has_its_words() -> None:
    from conference_reports.metrics.quality import RULES
    from conference_reports.metrics.quality_text import RULE_TEXT

    assert set(RULE_TEXT) == set(RULES)

"""Runs every generator, conference by conference (oldest first), through one RowWriter."""

from __future__ import annotations

import datetime as dt

from .activities import ActivityGenerator
from .attendees import write_attendees
from .conference import created_at, write_conference
from .context import ConferenceContext, History
from .faults import faulty_editions, plant_checkin_fault, plant_order_faults
from .feedback import generate_feedback
from .finance import generate_expenses
from .grants import generate_grants
from .letters import generate_letters
from .lineup import build_lineup
from .people import People
from .products import build_catalog
from .program import ProgramGenerator
from .sales import SalesGenerator
from .sponsors import generate_sponsors
from .values import midnight_utc
from .writer import RowWriter


def generate_all(writer: RowWriter, *, scale: int, seed: int, today: dt.date) -> list[str]:
    """Write the whole demo dataset; returns the conference slugs, oldest first.

    Memory stays bounded by one conference: rows stream through the writer, and only the
    user ids of past attendees, speakers and sponsor names are kept for the next editions.
    """
    now = midnight_utc(today)
    lineup = build_lineup(today, scale)
    people = People(writer, seed, now)
    staff = people.create_staff(lineup[0].sales_open - dt.timedelta(days=400))
    group_id = writer.add("auth_group", {"name": "Volunteers"})
    writer.add("auth_user_groups", {"user_id": staff[1], "group_id": group_id})
    history = History(seed)
    faulty = faulty_editions(lineup)
    for edition in lineup:
        people.join_before = midnight_utc(edition.start) - dt.timedelta(days=250)
        conference_id = write_conference(edition, writer, now)
        ctx = ConferenceContext(
            edition,
            conference_id,
            seed,
            now,
            writer,
            people,
            history,
            created_at(edition, now),
            staff=staff,
            volunteers_group_id=group_id,
            faults=edition.slug in faulty,
        )
        generate_expenses(ctx)
        generate_sponsors(ctx)
        ctx.catalog = build_catalog(edition, conference_id, writer, ctx.created)
        if edition.phase == "announced":
            continue
        ProgramGenerator(ctx).run()
        SalesGenerator(ctx).run()
        plant_order_faults(ctx)
        write_attendees(ctx)
        plant_checkin_fault(ctx)
        ActivityGenerator(ctx).run()
        generate_grants(ctx)
        generate_feedback(ctx)
        generate_letters(ctx)
        history.attendees[edition.series.key].append(sorted({a.user_id for a in ctx.attendees}))
    return [e.slug for e in lineup]

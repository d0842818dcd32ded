"""After-event feedback: NPS/satisfaction surveys with responses and 1-5 session ratings."""

from __future__ import annotations

import datetime as dt

from .context import ConferenceContext
from .values import clamp

NPS_SCORES = ((10, 24), (9, 21), (8, 20), (7, 13), (6, 7), (5, 5), (4, 3), (3, 2), (2, 2), (1, 1), (0, 2))
COMMENTS = (
    "",
    "",
    "",
    "Great talks!",
    "More vegetarian food please.",
    "The venue was hard to find.",
    "Loved the hallway track.",
    "Rooms were too cold.",
)


def generate_feedback(ctx: ConferenceContext) -> None:
    ed, w, rng = ctx.edition, ctx.writer, ctx.rng("feedback")
    if ed.phase == "announced":
        return
    after = dt.datetime.combine(ed.end, dt.time(20), dt.UTC)
    survey_id = w.add(
        "program_programs_survey",
        {
            "conference_id": ctx.conference_id,
            "name": f"{ed.name} feedback",
            "slug": "feedback",
            "survey_type": "nps",
            "description": "How likely are you to recommend us to a friend?",
            "is_active": ed.phase == "selling",
            "created_at": ctx.created,
            "updated_at": ctx.created,
        },
    )
    if ed.phase != "past":
        return  # survey prepared, no responses yet
    present = sorted(a.user_id for a in ctx.attendees if a.checked_in_at is not None)
    scores = [s for s, weight in NPS_SCORES for _ in range(weight)]
    for uid in rng.sample(present, round(len(present) * 0.25)):
        w.add(
            "program_programs_surveyresponse",
            {
                "survey_id": survey_id,
                "user_id": uid,
                "score": scores[rng.randrange(len(scores))],
                "comment": COMMENTS[rng.randrange(len(COMMENTS))],
                "created_at": after + dt.timedelta(days=rng.uniform(0, 14)),
            },
        )
    if not ed.series.large:
        satisfaction = w.add(
            "program_programs_survey",
            {
                "conference_id": ctx.conference_id,
                "name": "Overall satisfaction",
                "slug": "satisfaction",
                "survey_type": "satisfaction",
                "description": "",
                "is_active": False,
                "created_at": ctx.created,
                "updated_at": ctx.created,
            },
        )
        for uid in rng.sample(present, round(len(present) * 0.15)):
            w.add(
                "program_programs_surveyresponse",
                {
                    "survey_id": satisfaction,
                    "user_id": uid,
                    "score": rng.choice((3, 4, 4, 4, 5, 5)),
                    "comment": "",
                    "created_at": after + dt.timedelta(days=rng.uniform(0, 10)),
                },
            )
    _session_ratings(ctx, present)


def _session_ratings(ctx: ConferenceContext, present: list[int]) -> None:
    w, rng = ctx.writer, ctx.rng("ratings")
    talks = [t.id for t in ctx.talks if t.scheduled and t.state in ("confirmed", "accepted")]
    if not talks:
        return
    quality = {tid: clamp(rng.gauss(3.9, 0.55), 1.5, 5.0) for tid in talks}
    start = dt.datetime.combine(ctx.edition.start, dt.time(15), dt.UTC)
    span = ctx.edition.series.days * 86400.0
    for uid in rng.sample(present, round(len(present) * 0.45)):
        for tid in rng.sample(talks, min(len(talks), rng.randint(2, 6))):
            score = round(clamp(rng.gauss(quality[tid], 0.8), 1, 5))
            w.add(
                "program_pretalx_sessionrating",
                {
                    "conference_id": ctx.conference_id,
                    "talk_id": tid,
                    "user_id": uid,
                    "score": score,
                    "comment": "",
                    "created_at": start + dt.timedelta(seconds=rng.uniform(0, span)),
                },
            )

"""Feedback metrics: session ratings and the Net Promoter Score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Connection, Float, Integer, Text, cast, func, select
from sqlalchemy.sql import ColumnElement

from ..data import schema as t
from ..data.conferences import Conference
from .common import ZERO, absent, attendee_count, pct, read_parts, whole_sum
from .registry import metric

MIN_RATINGS = 3  # a talk needs this many ratings to be ranked
RANKED_TALKS = 10  # length of the top and bottom lists


def _float_mean(total: int | None, count: int) -> float:
    """The mean as the float Django's Avg gives for an integer column."""
    return float(total or 0) / count if count else 0.0


def _rounded_score(total: int, count: int) -> Decimal:
    """Average score rounded to 2 dp as django-program does it: float round, then Decimal(str())."""
    return Decimal(str(round(_float_mean(total, count), 2)))


def _talk_parts(conn: Connection, conference: Conference) -> dict[str, list[Any]]:
    """The conference's ratings read once, in one statement, as the rows of each part: "score" (per
    score), "top" and "bottom" (the RANKED_TALKS best and worst talks with MIN_RATINGS ratings or more,
    ties by talk id), "track" (per non-empty track of the rated talks, best first); each row has
    (rank, score, title, track, total, n), total being the sum of the scores and n their count."""
    r, tk = t.session_rating.c, t.talk.c
    by_score = (
        select(r.talk_id, r.score, func.count().label("n"))
        .where(r.conference_id == conference.id)
        .group_by(r.talk_id, r.score)
        .cte("by_score")
    )
    talks = (
        select(tk.id, tk.title, tk.track, whole_sum(by_score.c.score * by_score.c.n).label("total"),
               whole_sum(by_score.c.n).label("n"))
        .join_from(by_score, t.talk, tk.id == by_score.c.talk_id)
        .group_by(tk.id, tk.title, tk.track)
        .cte("talks")
    )
    tracks = (
        select(talks.c.track, whole_sum(talks.c.total).label("total"), whole_sum(talks.c.n).label("n"))
        .where(talks.c.track > "")
        .group_by(talks.c.track)
        .subquery("tracks")
    )

    def mean(part: Any) -> ColumnElement[Any]:
        return cast(part.c.total, Float) / part.c.n

    ranked = select(
        talks,
        func.row_number().over(order_by=(mean(talks).desc(), talks.c.id)).label("best"),
        func.row_number().over(order_by=(mean(talks).asc(), talks.c.id)).label("worst"),
    ).where(talks.c.n >= MIN_RATINGS).subquery("ranked")
    no_score, no_text, no_total = absent(Integer), absent(Text), absent(BigInteger)
    return read_parts(conn, {
        "score": select(by_score.c.score.label("rank"), by_score.c.score, no_text.label("title"),
                        no_text.label("track"), no_total.label("total"), whole_sum(by_score.c.n).label("n"))
        .group_by(by_score.c.score),
        **{
            kind: select(order, no_score, ranked.c.title, ranked.c.track, ranked.c.total, ranked.c.n)
            .where(order <= RANKED_TALKS)
            for kind, order in (("top", ranked.c.best), ("bottom", ranked.c.worst))
        },
        "track": select(func.row_number().over(order_by=(mean(tracks).desc(), tracks.c.track)), no_score,
                        no_text, tracks.c.track, tracks.c.total, tracks.c.n),
    })


def _talk_entry(row: Any) -> dict[str, Any]:
    return {"talk_title": row.title, "avg_score": _rounded_score(row.total, row.n), "rating_count": row.n,
            "track": row.track or ""}


@metric()
def session_rating_analytics(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Session ratings: count, mean, 1-5 distribution, top/bottom talks (>= 3 ratings) and tracks.

    django-program crashes here (its Avg is a float coalesced with a Decimal); this is the mended
    result: the overall mean is Decimal(str(float mean)), 0.0 without ratings.
    """
    parts = _talk_parts(conn, conference)
    distribution = dict.fromkeys(range(1, 6), 0)
    distribution.update({row.score: row.n for row in parts["score"]})
    total_ratings = sum(row.n for row in parts["score"])
    score_sum = sum(row.score * row.n for row in parts["score"])
    return {
        "total_ratings": total_ratings,
        "average_score": Decimal(str(_float_mean(score_sum, total_ratings))),
        "score_distribution": distribution,
        "top_sessions": [_talk_entry(row) for row in parts["top"]],
        "bottom_sessions": [_talk_entry(row) for row in parts["bottom"]],
        "by_track": [
            {"track": row.track, "avg_score": _rounded_score(row.total, row.n), "rating_count": row.n}
            for row in parts["track"]
        ],
    }


_EMPTY_NPS: dict[str, Any] = {
    "nps_score": 0,
    "promoters": 0,
    "passives": 0,
    "detractors": 0,
    "total_responses": 0,
    "promoter_pct": ZERO,
    "passive_pct": ZERO,
    "detractor_pct": ZERO,
    "response_rate": ZERO,
}


def _nps_survey_id(conn: Connection, conference: Conference, survey_slug: str | None) -> int | None:
    """The survey with this slug, else the newest NPS-type survey of the conference (None if none)."""
    s = t.survey.c
    chosen = s.slug == survey_slug if survey_slug else s.survey_type == "nps"
    return conn.execute(
        select(s.id).where(s.conference_id == conference.id, chosen)
        .order_by(s.created_at.desc(), s.id.desc()).limit(1)
    ).scalar_one_or_none()


@metric()
def nps_score(conn: Connection, conference: Conference, *, survey_slug: str | None = None) -> dict[str, Any]:
    """Net Promoter Score of one survey: promoters (>= 9) % minus detractors (<= 6) %, rounded."""
    survey_id = _nps_survey_id(conn, conference, survey_slug)
    if survey_id is None:
        return dict(_EMPTY_NPS)
    sc = t.survey_response.c.score
    total, promoters, passives, detractors = conn.execute(
        select(
            func.count(),
            func.count().filter(sc >= 9),
            func.count().filter(sc.between(7, 8)),
            func.count().filter(sc <= 6),
        ).where(t.survey_response.c.survey_id == survey_id)
    ).one()
    if not total:
        return dict(_EMPTY_NPS)
    promoter_pct, detractor_pct = pct(promoters, total), pct(detractors, total)
    return {
        "nps_score": round(promoter_pct - detractor_pct),
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "total_responses": total,
        "promoter_pct": promoter_pct,
        "passive_pct": pct(passives, total),
        "detractor_pct": detractor_pct,
        "response_rate": pct(total, attendee_count(conn, conference)),
    }

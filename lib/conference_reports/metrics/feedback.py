"""Feedback metrics: session ratings and the Net Promoter Score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Float, cast, func, select
from sqlalchemy.sql import ColumnElement

from ..data import schema as t
from ..data.conferences import Conference
from .common import ZERO, attendee_count, pct
from .registry import metric

MIN_RATINGS = 3  # a talk needs this many ratings to be ranked
RANKED_TALKS = 10  # length of the top and bottom lists


def _float_mean(total: int | None, count: int) -> float:
    """The mean as the float Django's Avg gives for an integer column."""
    return float(total or 0) / count if count else 0.0


def _rounded_score(total: int, count: int) -> Decimal:
    """Average score rounded to 2 dp as django-program does it: float round, then Decimal(str())."""
    return Decimal(str(round(_float_mean(total, count), 2)))


def _ranked_talks(conn: Connection, conference: Conference, *, best: bool) -> list[dict[str, Any]]:
    """The RANKED_TALKS talks with the highest (best) or lowest average among those with enough ratings."""
    r, tk = t.session_rating.c, t.talk.c
    total, count = func.sum(r.score), func.count()
    mean: ColumnElement[Any] = cast(total, Float) / count
    rows = conn.execute(
        select(tk.title, tk.track, total, count)
        .select_from(t.session_rating.join(t.talk, tk.id == r.talk_id))
        .where(r.conference_id == conference.id)
        .group_by(tk.id, tk.title, tk.track)
        .having(count >= MIN_RATINGS)
        .order_by(mean.desc() if best else mean.asc(), tk.id)
        .limit(RANKED_TALKS)
    )
    return [
        {"talk_title": title, "avg_score": _rounded_score(s, n), "rating_count": n, "track": track or ""}
        for title, track, s, n in rows
    ]


def _tracks(conn: Connection, conference: Conference) -> list[dict[str, Any]]:
    """Ratings grouped by the rated talk's non-empty track, best average first."""
    r, tk = t.session_rating.c, t.talk.c
    total, count = func.sum(r.score), func.count()
    rows = conn.execute(
        select(tk.track, total, count)
        .select_from(t.session_rating.join(t.talk, tk.id == r.talk_id))
        .where(r.conference_id == conference.id, tk.track > "")
        .group_by(tk.track)
        .order_by((cast(total, Float) / count).desc(), tk.track)
    )
    return [{"track": track, "avg_score": _rounded_score(s, n), "rating_count": n} for track, s, n in rows]


@metric()
def session_rating_analytics(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Session ratings: count, mean, 1-5 distribution, top/bottom talks (>= 3 ratings) and tracks.

    django-program crashes here (its Avg is a float coalesced with a Decimal); this is the mended
    result: the overall mean is Decimal(str(float mean)), 0.0 without ratings.
    """
    r = t.session_rating.c
    rows = conn.execute(
        select(r.score, func.count()).where(r.conference_id == conference.id).group_by(r.score)
    ).all()
    distribution = dict.fromkeys(range(1, 6), 0)
    distribution.update({score: n for score, n in rows})
    total_ratings = sum(n for _, n in rows)
    score_sum = sum(score * n for score, n in rows)
    return {
        "total_ratings": total_ratings,
        "average_score": Decimal(str(_float_mean(score_sum, total_ratings))),
        "score_distribution": distribution,
        "top_sessions": _ranked_talks(conn, conference, best=True),
        "bottom_sessions": _ranked_talks(conn, conference, best=False),
        "by_track": _tracks(conn, conference),
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

"""Sponsor metrics: benefit fulfillment, per-level analytics, progress against the goals in params,
renewal of active sponsors and the outstanding benefits by name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    distinct,
    exists,
    func,
    select,
)

from ..data import schema as t
from ..data.conferences import Conference
from ..params import ConferenceParams, SponsorGoals
from .common import ZERO, pct
from .phase import edition_phase
from .registry import metric
from .sponsor_goals import goal_progress_from


@metric()
def sponsor_benefit_fulfillment(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Benefits of the conference's sponsors (active or not): completed / total, and per sponsor."""
    s, b, lv = t.sponsor.c, t.sponsor_benefit.c, t.sponsor_level.c
    done, open_ = b.is_complete.is_(True), b.is_complete.is_(False)
    benefits = t.sponsor_benefit.join(t.sponsor, s.id == b.sponsor_id)
    total, completed, pending = conn.execute(
        select(func.count(), func.count().filter(done), func.count().filter(open_))
        .select_from(benefits)
        .where(s.conference_id == conference.id)
    ).one()
    rows = conn.execute(
        select(s.name, lv.name, func.count(), func.count().filter(done), func.count().filter(open_))
        .select_from(benefits.join(t.sponsor_level, lv.id == s.level_id))
        .where(s.conference_id == conference.id)
        .group_by(s.id, s.name, lv.name, lv.order)
        .order_by(lv.order, s.name, s.id)
    )
    return {
        "total_benefits": total,
        "completed": completed,
        "pending": pending,
        "fulfillment_rate": pct(completed, total),
        "by_sponsor": [
            {"sponsor_name": name, "level": level, "total": n, "completed": c, "pending": p}
            for name, level, n, c, p in rows
        ],
    }


@metric()
def sponsor_analytics(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Per sponsor level: distinct active sponsors, list-price revenue, benefit fulfillment; totals.

    Deliberate divergence: django-program counts each active sponsor once per benefit (join
    fan-out); here each active sponsor counts once, so revenue = cost x distinct active sponsors.
    """
    lv, s, b = t.sponsor_level.c, t.sponsor.c, t.sponsor_benefit.c
    active = func.count(distinct(case((s.is_active.is_(True), s.id))))
    completed = func.count(b.id).filter(b.is_complete.is_(True))
    joined = t.sponsor_level.outerjoin(t.sponsor, s.level_id == lv.id).outerjoin(
        t.sponsor_benefit, b.sponsor_id == s.id
    )
    rows = conn.execute(
        select(lv.name, lv.slug, lv.cost, active, func.count(b.id), completed)
        .select_from(joined)
        .where(lv.conference_id == conference.id)
        .group_by(lv.id, lv.name, lv.slug, lv.cost, lv.order)
        .order_by(lv.order, lv.name, lv.id)
    ).all()
    by_level = [
        {
            "level_name": name,
            "level_slug": slug,
            "cost": cost,
            "sponsor_count": count,
            "revenue": cost * count,
            "total_benefits": benefits,
            "completed_benefits": completed,
            "fulfillment_rate": pct(completed, benefits),
        }
        for name, slug, cost, count, benefits, completed in rows
    ]
    total_benefits = sum(level["total_benefits"] for level in by_level)
    total_completed = sum(level["completed_benefits"] for level in by_level)
    return {
        "total_sponsors": sum(level["sponsor_count"] for level in by_level),
        "total_sponsor_revenue": sum((level["revenue"] for level in by_level), ZERO),
        "by_level": by_level,
        "overall_fulfillment_rate": pct(total_completed, total_benefits),
        "total_benefits": total_benefits,
        "total_completed_benefits": total_completed,
    }


@metric(params=True)
def sponsor_goal_progress(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> list[dict[str, Any]]:
    """The sponsor goals of params/<slug>.yaml (django-program stores none) against sponsor_analytics,
    judged once the edition runs ("not yet" before)."""
    goals = params.sponsor_goals if params is not None else SponsorGoals()
    phase = edition_phase(conn, conference)["phase"]
    return goal_progress_from(sponsor_analytics(conn, conference), goals, phase)


@metric()
def outstanding_benefits(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Each benefit not yet delivered (sponsor, level, benefit name), and per level of the conference
    its benefits and how many are outstanding (0 benefits: a level with nothing to deliver).

    Sponsors active or not, as `sponsor_benefit_fulfillment` counts them, so `outstanding_count` is its
    `pending`.
    """
    s, b, lv = t.sponsor.c, t.sponsor_benefit.c, t.sponsor_level.c
    open_ = b.is_complete.is_(False)
    rows = conn.execute(
        select(s.name, s.is_active, lv.name, b.name)
        .select_from(
            t.sponsor_benefit.join(t.sponsor, s.id == b.sponsor_id).join(t.sponsor_level, lv.id == s.level_id)
        )
        .where(s.conference_id == conference.id, open_)
        .order_by(lv.order, lv.name, lv.id, s.name, s.id, b.name, b.id)
    ).all()
    sponsor_of_level = and_(s.level_id == lv.id, s.conference_id == conference.id)
    levels = conn.execute(
        select(lv.name, func.count(b.id), func.count(b.id).filter(open_))
        .select_from(
            t.sponsor_level.outerjoin(t.sponsor, sponsor_of_level)
            .outerjoin(t.sponsor_benefit, b.sponsor_id == s.id)
        )
        .where(lv.conference_id == conference.id)
        .group_by(lv.id, lv.name, lv.order)
        .order_by(lv.order, lv.name, lv.id)
    ).all()
    return {
        "outstanding_count": len(rows),
        "benefits": [
            {"sponsor_name": sponsor, "is_active": bool(active), "level": level, "benefit": benefit}
            for sponsor, active, level, benefit in rows
        ],
        "by_level": [
            {"level_name": name, "total_benefits": total, "outstanding": waiting}
            for name, total, waiting in levels
        ],
    }


@metric()
def active_sponsor_renewal(conn: Connection, conference: Conference) -> dict[str, Any]:
    """Active sponsors here, and those of them whose exact name an active sponsor of an earlier
    conference bore (returning); per level of the conference, every level listed.

    The count agrees with `sponsor_analytics` (active sponsors, each once). django-program's
    `sponsor_renewal_rate` counts active and inactive sponsors alike (distinct names).
    """
    s, lv, c = t.sponsor.c, t.sponsor_level.c, t.conference.c
    prev = t.sponsor.alias("prev")
    earlier = select(c.id).where(c.start_date < conference.start_date)
    renewed = exists().where(
        prev.c.name == s.name, prev.c.is_active.is_(True), prev.c.conference_id.in_(earlier)
    )
    active = and_(s.level_id == lv.id, s.conference_id == conference.id, s.is_active.is_(True))
    rows = conn.execute(
        select(lv.name, func.count(s.id), func.count(s.id).filter(renewed))
        .select_from(t.sponsor_level.outerjoin(t.sponsor, active))
        .where(lv.conference_id == conference.id)
        .group_by(lv.id, lv.name, lv.order)
        .order_by(lv.order, lv.name, lv.id)
    ).all()
    current = sum(n for _, n, _ in rows)
    returning = sum(back for _, _, back in rows)
    return {
        "active_sponsor_count": current,
        "returning_count": returning,
        "new_count": current - returning,
        "renewal_rate": pct(returning, current),
        "by_level": [
            {"level_name": name, "total": n, "returning": back, "new": n - back} for name, n, back in rows
        ],
    }

"""Sponsor metrics: benefit fulfillment and per-level sponsor analytics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, distinct, func, select

from ..data import schema as t
from ..data.conferences import Conference
from .common import ZERO, pct
from .registry import metric


@metric("sponsors")
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


@metric("sponsors")
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

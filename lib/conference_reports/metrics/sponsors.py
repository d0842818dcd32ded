"""Sponsor metrics: benefit fulfillment, per-level analytics, progress against the goals in params."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, distinct, func, select

from ..data import schema as t
from ..data.conferences import Conference
from ..params import ConferenceParams, SponsorGoals
from .common import ZERO, pct
from .registry import metric
from .targets import status


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


def goal_progress_from(analytics: Mapping[str, Any], goals: SponsorGoals) -> list[dict[str, Any]]:
    """Each sponsor goal of params with its progress: sponsorship revenue, then active sponsors per level.

    A level goal names a level by name or slug (any case); a goal for no such level shows 0 sponsors.
    """
    rows: list[dict[str, Any]] = []
    if goals.revenue is not None:
        value = analytics.get("total_sponsor_revenue") or ZERO
        rows.append(_goal_row("Sponsorship revenue", value, goals.revenue, "money"))
    by_key: dict[str, Mapping[str, Any]] = {}
    for level in analytics.get("by_level") or []:
        by_key.setdefault(str(level.get("level_slug", "")).strip().lower(), level)
        by_key.setdefault(str(level.get("level_name", "")).strip().lower(), level)
    for name, wanted in goals.levels.items():
        level = by_key.get(str(name).strip().lower())
        label = f"Active sponsors at level {level['level_name']}" if level else (
            f"Active sponsors at level {name} (no such level)")
        rows.append(_goal_row(label, level["sponsor_count"] if level else 0, Decimal(wanted), "count"))
    return rows


def _goal_row(goal: str, value: Any, target: Decimal, unit: str) -> dict[str, Any]:
    return {
        "goal": goal,
        "value": value,
        "target": target,
        "unit": unit,
        "progress": pct(value, target) if target else None,
        "status": status(value, target),
    }


@metric(params=True)
def sponsor_goal_progress(
    conn: Connection, conference: Conference, params: ConferenceParams | None = None
) -> list[dict[str, Any]]:
    """The sponsor goals of params/<slug>.yaml (django-program stores none) against sponsor_analytics."""
    goals = params.sponsor_goals if params is not None else SponsorGoals()
    return goal_progress_from(sponsor_analytics(conn, conference), goals)

"""Sponsors: benefit fulfilment, revenue and count goals, revenue and fulfilment per level, renewal,
outstanding benefits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import vegalite as vl
from .formats import MET_TEXT, as_judged, count, judged_status, num, percent, target_of
from .parts import (
    bars_against_ticks,
    kind_colour,
    long_form,
    numeric,
    rows_height,
    rows_of,
    status_colour,
    titled,
    unit_axis,
    unit_tooltip,
)
from .primitives import bars, bullet, no_data
from .theme import WIDTH


def sponsor_benefit_fulfillment(value: Mapping[str, Any] | None, target: Any = None) -> Any:
    """Share of each sponsor's benefits delivered, against the fulfilment target (a number, or the
    fulfilment KPI record, whose "not yet" every sponsor then says)."""
    title = "Sponsor benefit fulfilment"
    rows = []
    for r in (value or {}).get("by_sponsor") or []:
        total = num(r.get("total")) or 0
        if not total:
            continue
        done = num(r.get("completed")) or 0
        rows.append({**r, "rate": done / total * 100, "done": f"{int(done)} of {int(total)} benefits"})
    if not rows:
        return no_data(title, "No sponsor benefits yet.")
    t = num(target_of(target))
    for r in rows:
        word = MET_TEXT[judged_status(r["rate"], target)] if t is not None else None
        r["label"] = f"{r['done']} · {word}" if word else r["done"]
    sub = (
        f"Overall {percent(value.get('fulfillment_rate'))}: {count(value.get('completed'))} of "
        f"{count(value.get('total_benefits'))} benefits delivered"
    )
    return bars(
        rows,
        category="sponsor_name",
        value="rate",
        title=title,
        value_title="Benefits delivered (%)",
        category_title="Sponsor",
        unit="percent",
        target=target,
        label="label",
        sort="-x",
        subtitle=sub,
        tooltip=[
            vl.Tooltip("level:N", title="Level"),
            unit_tooltip("completed", "Delivered", "count"),
            unit_tooltip("pending", "Outstanding", "count"),
        ],
    )


def _level_key(name: Any) -> str:
    return str(name or "").strip().lower()


def sponsor_analytics_revenue_goal(total: Any, goal: Any, judged: bool = True) -> Any:
    """Sponsorship revenue (`sponsor_analytics` total) against the revenue goal; `judged` False ("not
    yet": the edition has not run) says so instead of met or missed."""
    sub = (
        None
        if num(goal)
        else "No sponsorship revenue goal is set (params/<slug>.yaml: sponsor_goals.revenue)."
    )
    return bullet(
        "Sponsorship revenue",
        total,
        as_judged(num(goal) or None, judged or not num(goal)),  # a goal not set is "no target" in any phase
        unit="money",
        title="Sponsorship revenue goal",
        target_label="Goal",
        subtitle=sub,
    )


def sponsor_analytics_level_goals(
    by_level: Sequence[Mapping[str, Any]] | None, goals: Mapping[str, Any] | None, judged: bool = True
) -> Any:
    """Sponsors per level (`sponsor_analytics` by_level) against the target count for that level;
    `judged` False: "not yet" (the edition has not run) instead of met or missed."""
    title = "Active sponsors per level against goals"
    if not by_level:
        return no_data(title, "No sponsor levels yet.")
    wanted = {_level_key(k): num(v) for k, v in (goals or {}).items()}
    rows = []
    for r in by_level:
        goal = wanted.get(_level_key(r.get("level_name")), wanted.get(_level_key(r.get("level_slug"))))
        n = num(r.get("sponsor_count")) or 0.0
        state = judged_status(n, as_judged(goal, judged)) if goal is not None else "no target"
        rows.append(
            {
                "level": r.get("level_name"),
                "sponsors": n,
                "goal": goal,
                "status": state,
                "status_text": MET_TEXT[state],
                "label": f"{int(n)} of {int(goal)} · {MET_TEXT[state]}" if goal is not None else f"{int(n)}",
                "end": max(n, goal or 0.0),
            }
        )
    y = vl.Y("level:N", title="Level", sort=[r["level"] for r in rows])
    tips = [
        vl.Tooltip("level:N", title="Level"),
        unit_tooltip("sponsors", "Sponsors", "count"),
        unit_tooltip("goal", "Goal", "count"),
        vl.Tooltip("status_text:N", title="Against goal"),
    ]
    chart = bars_against_ticks(
        rows,
        y,
        tips,
        value="sponsors",
        target="goal",
        unit="count",
        value_title="Sponsors",
        colour=status_colour("Against goal", MET_TEXT, [r["status"] for r in rows]),
        headroom=1.5,
    )
    sub = [
        "Active sponsors, each once (sponsor_analytics)",
        "Dark tick = goal for the level"
        if wanted
        else "No per-level goals are set (params/<slug>.yaml: sponsor_goals.levels).",
    ]
    return titled(chart, title, sub)


def sponsor_analytics_revenue_by_level(by_level: Sequence[Mapping[str, Any]] | None) -> Any:
    """Sponsorship revenue per level (`sponsor_analytics` by_level)."""
    rows = numeric(rows_of(by_level or []), "revenue", "cost", "sponsor_count")
    return bars(
        rows,
        category="level_name",
        value="revenue",
        title="Sponsorship revenue by level",
        value_title="Revenue",
        category_title="Level",
        unit="money",
        tooltip=[
            unit_tooltip("cost", "Price of the level", "money"),
            unit_tooltip("sponsor_count", "Sponsors", "count"),
        ],
        note="No sponsor levels yet.",
    )


def sponsor_benefit_fulfillment_by_level(
    by_level: Sequence[Mapping[str, Any]] | None, target: Any = None
) -> Any:
    """Benefits delivered per level (`sponsor_analytics` by_level) against the fulfilment target."""
    rows = [r for r in by_level or [] if num(r.get("total_benefits"))]
    return bars(
        rows,
        category="level_name",
        value="fulfillment_rate",
        title="Benefit fulfilment by level",
        value_title="Benefits delivered (%)",
        category_title="Level",
        unit="percent",
        target=target,
        cap=100,
        tooltip=[
            unit_tooltip("completed_benefits", "Delivered", "count"),
            unit_tooltip("total_benefits", "Benefits", "count"),
        ],
        note="No sponsor benefits yet.",
    )


def _renewal(rows: Sequence[Mapping[str, Any]], title: str, subtitle: str) -> Any:
    """New and returning sponsors stacked per level."""
    levels = numeric(rows_of(rows), "new", "returning", "total")
    long = long_form(levels, ["level_name"], {"returning": "Returning", "new": "New"}, "sponsors")
    chart = (
        vl.Chart(long)
        .mark_bar()
        .encode(
            y=vl.Y("level_name:N", title="Level", sort=[r["level_name"] for r in levels]),
            x=vl.X("sum(sponsors):Q", axis=unit_axis("count", "Sponsors")),
            color=kind_colour("Returning", "New"),
            tooltip=[
                vl.Tooltip("level_name:N", title="Level"),
                vl.Tooltip("kind:N", title="Sponsor"),
                vl.Tooltip("sponsors:Q", title="Sponsors", format=","),
            ],
        )
        .properties(width=WIDTH, height=rows_height(len(levels)))
    )
    return titled(chart, title, subtitle)


def sponsor_renewal_rate(value: Mapping[str, Any] | None) -> Any:
    """New and returning sponsors per level, with the renewal rate (django-program's: every sponsor,
    active or not, by distinct name)."""
    title = "Sponsor renewal (all sponsors, active or not)"
    rows = (value or {}).get("by_level") or []
    if not rows:
        return no_data(title, "No sponsors yet.")
    sub = (
        f"Renewal rate {percent(value.get('renewal_rate'))}: "
        f"{count(value.get('returning_count'))} returning, "
        f"{count(value.get('new_count'))} new of {count(value.get('current_sponsor_count'))} sponsor names"
    )
    return _renewal(rows, title, sub)


def active_sponsor_renewal_by_level(value: Mapping[str, Any] | None) -> Any:
    """Active sponsors per level, new and returning (`active_sponsor_renewal`): the same active sponsors
    the goal table counts."""
    title = "Sponsor renewal (active sponsors)"
    rows = (value or {}).get("by_level") or []
    if not rows or not num(value.get("active_sponsor_count")):
        return no_data(title, "No active sponsors yet.")
    sub = [
        f"Renewal rate {percent(value.get('renewal_rate'))}: "
        f"{count(value.get('returning_count'))} returning, "
        f"{count(value.get('new_count'))} new of {count(value.get('active_sponsor_count'))} active sponsors",
        "Returning = an active sponsor of an earlier conference bore the same name",
    ]
    return _renewal(rows, title, sub)


def outstanding_benefits_by_level(value: Mapping[str, Any] | None) -> Any:
    """Per level (`outstanding_benefits` by_level): its benefits, how many are outstanding and which
    (sponsor: benefit); "—" where a level has no benefits."""
    from .tables import html_table

    named: dict[str, list[str]] = {}
    for b in (value or {}).get("benefits") or []:
        named.setdefault(str(b.get("level")), []).append(f"{b.get('sponsor_name')}: {b.get('benefit')}")
    rows = []
    for level in (value or {}).get("by_level") or []:
        total = int(num(level.get("total_benefits")) or 0)
        waiting = named.get(str(level.get("level_name")), [])
        rows.append(
            {
                "level_name": level.get("level_name"),
                "total_benefits": total or None,
                "outstanding": level.get("outstanding") if total else None,
                "which": "; ".join(waiting) if waiting else ("none" if total else "—"),
            }
        )
    columns = [("level_name", "Level", "text"), ("total_benefits", "Benefits", "count"),
               ("outstanding", "Outstanding", "count"), ("which", "Outstanding benefits", "text")]
    return html_table(rows, columns, empty="No sponsor levels yet.")


def nothing_outstanding(benefits: Any) -> str:
    """What to say where no benefit is outstanding: all delivered, or none to deliver (`benefits`: how
    many the sponsors have in all)."""
    return "Every sponsor benefit is delivered." if num(benefits) else "No sponsor benefits yet."


def outstanding_benefits_list(value: Mapping[str, Any] | None) -> Any:
    """Each benefit not yet delivered (`outstanding_benefits` benefits): sponsor, level, benefit."""
    from .tables import html_table

    rows = [
        {**b, "active": "yes" if b.get("is_active") else "no (inactive sponsor)"}
        for b in (value or {}).get("benefits") or []
    ]
    columns = [("sponsor_name", "Sponsor", "text"), ("level", "Level", "text"),
               ("benefit", "Benefit outstanding", "text"), ("active", "Sponsor active", "text")]
    total = sum(num(lv.get("total_benefits")) or 0 for lv in (value or {}).get("by_level") or [])
    return html_table(rows, columns, empty=nothing_outstanding(total))


def sponsor_benefit_fulfillment_outstanding(by_sponsor: Sequence[Mapping[str, Any]] | None) -> Any:
    """Benefits not yet delivered, per sponsor (`sponsor_benefit_fulfillment` by_sponsor)."""
    title = "Outstanding benefits per sponsor"
    rows = [r for r in by_sponsor or [] if num(r.get("pending"))]
    if not by_sponsor:
        return no_data(title, "No sponsors yet.")
    if not rows:
        return no_data(title, nothing_outstanding(sum(num(r.get("total")) or 0 for r in by_sponsor)))
    for r in rows:
        r["label"] = f"{int(num(r['pending']) or 0)} of {int(num(r.get('total')) or 0)} outstanding"
    return bars(
        rows,
        category="sponsor_name",
        value="pending",
        title=title,
        value_title="Benefits outstanding",
        category_title="Sponsor",
        label="label",
        sort="-x",
        tooltip=[vl.Tooltip("level:N", title="Level"), unit_tooltip("completed", "Delivered", "count")],
    )

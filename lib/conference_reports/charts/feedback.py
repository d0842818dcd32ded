"""Attendee feedback: the Net Promoter Score and session ratings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .formats import count, num, percent
from .parts import numeric, rows_of, titled, unit_tooltip
from .primitives import bars, no_data, stack


def nps_score(value: Mapping[str, Any] | None) -> Any:
    """Promoters, passives and detractors, with the Net Promoter Score."""
    title = "Net Promoter Score"
    if not value or not num(value.get("total_responses")):
        return no_data(title, "No survey responses yet.")
    rows = [
        {"group": name, "people": value.get(key), "share": num(value.get(f"{key[:-1]}_pct"))}
        for key, name in (
            ("promoters", "Promoters (9–10)"),
            ("passives", "Passives (7–8)"),
            ("detractors", "Detractors (0–6)"),
        )
    ]
    for r in rows:
        r["label"] = f"{count(r['people'])} ({percent(r['share'])})"
    sub = (
        f"NPS {value.get('nps_score')} from {count(value.get('total_responses'))} responses "
        f"(response rate {percent(value.get('response_rate'))})"
    )
    return bars(
        rows,
        category="group",
        value="people",
        title=f"{title}: {value.get('nps_score')}",
        value_title="Respondents",
        category_title=None,
        label="label",
        sort=[r["group"] for r in rows],
        subtitle=sub,
        tooltip=[unit_tooltip("share", "Share", "percent")],
    )


def session_rating_analytics(value: Mapping[str, Any] | None) -> Any:
    """The spread of session scores and the average per track."""
    title = "Session ratings"
    if not value or not num(value.get("total_ratings")):
        return no_data(title, "No session ratings yet.")
    dist = [
        {"score": f"{k} star{'s' if str(k) != '1' else ''}", "ratings": v}
        for k, v in sorted((value.get("score_distribution") or {}).items(), key=lambda kv: str(kv[0]))
    ]
    spread = bars(
        dist,
        category="score",
        value="ratings",
        title="Ratings by score",
        value_title="Ratings",
        category_title="Score",
        sort=[d["score"] for d in dist],
    )
    tracks = numeric(rows_of(value.get("by_track") or []), "avg_score", "rating_count")
    for r in tracks:
        r["label"] = f"{r['avg_score']:.2f} of 5"
    per_track = bars(
        tracks,
        category="track",
        value="avg_score",
        title="Average score by track",
        value_title="Average score (1–5)",
        category_title="Track",
        label="label",
        sort="-x",
        tooltip=[unit_tooltip("rating_count", "Ratings", "count")],
    )
    average = num(value.get("average_score")) or 0
    sub = f"{count(value.get('total_ratings'))} ratings; average {average:.2f} of 5"
    return titled(stack(spread, per_track, spacing=18), title, sub)

"""Registration pace against earlier editions, and the forecast, as charts and as sentences.

The sentences are the one wording of the gap, the week's sales and the forecast: the report shows
them, and writes them into kpis.json for the index and the board packet.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from . import vegalite as vl
from .formats import count, fmt, money, num
from .parts import Row, titled, unit_axis, unit_tooltip
from .primitives import no_data, stack, target_rule
from .theme import MISSED, MUTED, NEUTRAL, PALETTE, TARGET, WIDTH

FIGURES = {"registrations": ("Registrations", "count"), "revenue": ("Net ticket revenue", "money")}


def _signed(value: Any) -> str:
    v = num(value)
    if v is None:
        return "n/a"
    return f"+{v:,.1f}%" if v > 0 else (f"−{abs(v):,.1f}%" if v < 0 else "±0.0%")


def _figure(figure: str, value: Any) -> str:
    return fmt(value, FIGURES[figure][1])


def days_words(days_out: int) -> str:
    """78 -> "78 days out"; 0 -> "on the first day"; -2 -> "2 days after the start"."""
    if days_out > 0:
        return f"{days_out} day{'s' if days_out != 1 else ''} out"
    if days_out == 0:
        return "on the first day"
    return f"{-days_out} day{'s' if days_out != -1 else ''} after the start"


def gap_text(pace: Mapping[str, Any]) -> str:
    """"+3.2% registrations (260 against 252) and +6.5% net ticket revenue (...) against PyConf 2026 at
    78 days out", or why there is nothing to compare with."""
    gap = pace.get("gap")
    if not gap:
        return "No earlier edition of this series in the database: no pace to compare with."
    if not any(num(gap[k]) for f in FIGURES for k in (f, f"previous_{f}")):
        return f"Nothing sold yet, nor had {gap['against_name']} at {days_words(gap['days_out'])}."
    parts = [
        f"{_signed(gap[f'{f}_change_pct'])} {FIGURES[f][0].lower()} ({_figure(f, gap[f])} against "
        f"{_figure(f, gap[f'previous_{f}'])})"
        for f in FIGURES
    ]
    if gap.get("final"):
        where = "by the same day of its edition (the last)"
        return f"Final figures: {parts[0]} and {parts[1]} against {gap['against_name']} {where}."
    return f"{parts[0]} and {parts[1]} against {gap['against_name']} at {days_words(gap['days_out'])}."


def recent_text(pace: Mapping[str, Any]) -> str:
    """What sold in the last 7 and 28 days."""
    spans = [
        f"last {w['days']} days {count(w['registrations'])} "
        f"registration{'s' if w['registrations'] != 1 else ''} and {money(w['revenue'])}"
        for w in pace.get("recent") or []
    ]
    if not any(w["registrations"] or num(w["revenue"]) for w in pace.get("recent") or []):
        return "Nothing sold in the last 28 days." if spans else ""
    lead = "What sold up to its end" if pace.get("over") else "What sold"
    return f"{lead}: " + "; ".join(spans) + "."


def _no_forecast(forecast: Mapping[str, Any]) -> str:
    return f"No forecast ({forecast.get('reason') or 'nothing to forecast from'})."


def forecast_text(forecast: Mapping[str, Any]) -> str:
    """"Forecast of the final figures: registrations 428 (391–480) against a target of 490; ..." or
    "No forecast (why)."."""
    if all(forecast.get(f, {}).get("point") is None for f in FIGURES):
        return _no_forecast(forecast)
    targets = forecast.get("targets") or {}
    names = {"registrations": "a target of", "revenue": "a revenue budget of"}
    parts = []
    for f in FIGURES:
        got = forecast[f]
        if got.get("point") is None:
            parts.append(f"{FIGURES[f][0].lower()}: no forecast ({got.get('reason')})")
            continue
        against = f" against {names[f]} {_figure(f, targets[f])}" if targets.get(f) is not None else ""
        parts.append(f"{FIGURES[f][0].lower()} {_figure(f, got['point'])} "
                     f"({_figure(f, got['low'])}–{_figure(f, got['high'])}){against}")
    return "Forecast of the final figures: " + "; ".join(parts) + "."


def forecast_lines(forecast: Mapping[str, Any]) -> list[str]:
    """The forecast in short lines for a table cell: "Registrations 428 (355–537), target 490"."""
    targets, names = forecast.get("targets") or {}, {"registrations": "target", "revenue": "budget"}
    lines = []
    for f, (label, _) in FIGURES.items():
        got = forecast.get(f) or {}
        if got.get("point") is None:
            continue
        against = f", {names[f]} {_figure(f, targets[f])}" if targets.get(f) is not None else ""
        span = f"{_figure(f, got['low'])}–{_figure(f, got['high'])}"
        lines.append(f"{label} {_figure(f, got['point'])} ({span}){against}")
    return lines or [_no_forecast(forecast)]


def warning_texts(forecast: Mapping[str, Any]) -> list[str]:
    """An early warning per figure whose forecast range tops out below its target."""
    return [
        f"Early warning: even the top of the {FIGURES[w['figure']][0].lower()} forecast "
        f"({_figure(w['figure'], w['high'])}) is below the target ({_figure(w['figure'], w['target'])})."
        for w in forecast.get("warnings") or []
    ]


def pace_summary(pace: Mapping[str, Any], forecast: Mapping[str, Any]) -> Any:
    """The gap, the recent sales, the forecast with its method and any early warning, as a short block."""
    from IPython.display import HTML

    lines = [f"<p><strong>{html.escape(gap_text(pace))}</strong></p>"]
    if recent_text(pace):
        lines.append(f"<p>{html.escape(recent_text(pace))}</p>")
    lines.append(f"<p>{html.escape(forecast_text(forecast))}</p>")
    warn = f'<p style="color:{MISSED};font-weight:600">'
    lines += [f"{warn}{html.escape(w)}</p>" for w in warning_texts(forecast)]
    if forecast.get("registrations", {}).get("point") is not None:
        lines.append(f'<p style="color:{MUTED};font-size:12px">Method: {html.escape(forecast["method"])}</p>')
    return HTML(f'<div class="cr-pace">{"".join(lines)}</div>')


def _long(pace: Mapping[str, Any], figure: str) -> list[Row]:
    """One row per edition and day: slug, edition, days_out, value (of `figure`), current (the first)."""
    return [
        {"slug": edition["slug"], "edition": edition["name"], "days_out": p["days_out"],
         "value": num(p[figure]), "current": i == 0}
        for i, edition in enumerate(pace.get("editions") or [])
        for p in edition["points"]
    ]


def _legend_names(editions: list[Mapping[str, Any]]) -> dict[str, str]:
    """slug -> the edition's name, with its slug beside it where another edition has the same name."""
    seen = [e["name"] for e in editions]
    return {e["slug"]: e["name"] if seen.count(e["name"]) == 1 else f"{e['name']} ({e['slug']})"
            for e in editions}


def _pace_panel(pace: Mapping[str, Any], figure: str, target: Any) -> vl.Chart:
    title, unit = FIGURES[figure]
    rows = _long(pace, figure)
    editions = [e["slug"] for e in pace.get("editions") or []]
    if not rows:
        return no_data(f"{title} by days before the start")
    colours = [NEUTRAL, *(PALETTE[1:] * 4)][: len(editions)]
    # one line per edition (by slug: editions may share a name), each named in the legend
    names = _legend_names(pace.get("editions") or [])
    legend = " : ".join(f"datum.label == {json.dumps(k)} ? {json.dumps(v)}" for k, v in names.items())
    x = vl.X("days_out:Q", title="Days before the start", scale=vl.Scale(reverse=True, nice=False),
              axis=vl.Axis(tickMinStep=1, format="d"))
    lines = vl.Chart(rows).mark_line(interpolate="step-after").encode(
        x=x,
        y=vl.Y("value:Q", axis=unit_axis(unit, title)),
        color=vl.Color("slug:N", title="Edition", scale=vl.Scale(domain=editions, range=colours),
                        sort=editions, legend=vl.Legend(labelExpr=f"{legend} : datum.label")),
        strokeWidth=vl.condition("datum.current", vl.value(3.2), vl.value(1.3)),
        opacity=vl.condition("datum.current", vl.value(1.0), vl.value(0.75)),
        tooltip=[vl.Tooltip("edition:N", title="Edition"), vl.Tooltip("days_out:Q", title="Days out"),
                 unit_tooltip("value", title, unit)],
    )
    layers: list[Any] = [lines]
    if pace.get("days_out") is not None and any(r["current"] for r in rows):
        # an edition that is over stands at its last day, whatever today is
        label = f"{'last day' if pace.get('over') else 'today'} ({days_words(pace['days_out'])})"
        base = vl.Chart([{"days_out": pace["days_out"], "label": label}])
        layers.append(base.mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x="days_out:Q"))
        # at the foot of the plot (the target's rule and label run along its top), on the side of the rule
        # with more room: left of it in the plot's right half (days out run down to the right)
        right_half = pace["days_out"] < max(r["days_out"] for r in rows) / 2
        layers.append(base.mark_text(align="right" if right_half else "left", baseline="bottom",
                                     dx=-4 if right_half else 4, dy=-4, color=MUTED, fontSize=11)
                      .encode(x="days_out:Q", y=vl.value("height"), text="label:N"))
    if num(target) is not None:
        label = f"target {count(target)}" if figure == "registrations" else f"revenue budget {money(target)}"
        layers.append(target_rule(num(target), label, axis="y", colour=TARGET, at="start"))
    subtitle = "This edition bold, earlier ones thin; running totals by the day (the conference's time zone)."
    chart = vl.layer(*layers).properties(width=WIDTH, height=220)
    return titled(chart, f"{title} by days before the start", subtitle)


def registration_pace(pace: Mapping[str, Any], targets: Mapping[str, Any] | None = None) -> vl.Chart:
    """Cumulative registrations and net ticket revenue by days out: this edition against earlier ones,
    with today's day and the targets (`{"registrations": n, "revenue": amount}`) where set."""
    targets = targets or {}
    return stack(*(_pace_panel(pace, f, targets.get(f)) for f in FIGURES))

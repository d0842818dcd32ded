"""The public building blocks of every chart: the no-data note, target rules, bar charts, bullet charts
and stacks of charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import vegalite as vl
from .formats import BUDGET_TEXT, MET_TEXT, awaits, fmt, judged_status, num, status_of, target_of
from .parts import (
    domain_max,
    highest,
    lowest,
    numeric,
    rows_height,
    rows_of,
    status_colour,
    titled,
    unit_axis,
    unit_tooltip,
    values,
)
from .theme import MUTED, NEUTRAL, TARGET, WIDTH

NO_DATA = "No data yet."


def no_data(title: str, note: str = NO_DATA, subtitle: str | None = None) -> vl.Chart:
    """A short note in place of a chart whose data is empty."""
    chart = (
        vl.Chart([{"note": note}])
        .mark_text(align="left", baseline="middle", fontSize=13, fontStyle="italic", color=MUTED)
        .encode(x=vl.value(0), y=vl.value(16), text="note:N")
        .properties(width=WIDTH, height=32)
    )
    return titled(chart, title, subtitle)


def target_rule(
    target: float, label: str, *, axis: str = "x", colour: str = TARGET, at: str = "end", side: str = "above"
) -> vl.Chart:
    """A dashed rule at `target` with its label: vertical (axis="x") or horizontal (axis="y").

    A vertical rule's label sits above the plot, clear of the bars and their labels. A horizontal rule's
    label is anchored to the chart, not to a pixel: at its left edge (`at="start"`) or right edge
    (`at="end"`, the view's `width`, so it follows the chart when it narrows), `side` "above" or "below"
    the rule.
    """
    base = vl.Chart([{"target": target, "label": label}])
    tip = [vl.Tooltip("label:N", title="Target")]
    if axis == "x":
        rule = base.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=colour).encode(
            x=vl.X("target:Q"), tooltip=tip
        )
        text = base.mark_text(
            align="left", baseline="bottom", dx=-6, dy=-3, fontWeight=600, color=colour
        ).encode(x=vl.X("target:Q"), y=vl.value(0), text=vl.Text("label:N"))
    else:
        rule = base.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=colour).encode(
            y="target:Q", tooltip=tip
        )
        above = side == "above"
        text = base.mark_text(
            align="left" if at == "start" else "right",
            baseline="bottom" if above else "top",
            dx=4 if at == "start" else -4,
            dy=-3 if above else 3,
            fontWeight=600,
            color=colour,
        ).encode(y="target:Q", x=vl.value(0 if at == "start" else "width"), text="label:N")
    return vl.layer(rule, text)


def bars(
    data: Any,
    *,
    category: str,
    value: str,
    title: str,
    value_title: str,
    category_title: str | None = None,
    unit: str = "count",
    subtitle: str | Sequence[str] | None = None,
    target: Any = None,
    target_label: str = "Target",
    higher_is_better: bool = True,
    words: Mapping[str, str] = MET_TEXT,
    label: str | None = None,
    cap: float | None = None,
    sort: Any = None,
    tooltip: Sequence[Any] = (),
    note: str = NO_DATA,
) -> Any:
    """Horizontal bars; with a target, each bar is coloured and labelled met/missed and a rule is drawn.

    `target`: a number, or a KPI record (`r.kpi(...)`), whose "not yet" every bar then says.

    `label` names a column holding each bar's text (default: the formatted value, plus the status).
    `cap` clips the drawn bar (e.g. 100 for a percentage) while labels and tooltips keep the value.
    """
    rows = numeric(rows_of(data), value)
    if not values(rows, value):
        return no_data(title, note, subtitle if isinstance(subtitle, str) else None)
    t = num(target_of(target))
    for r in rows:
        v = r[value]
        r[category] = ("(none)" if r[category] is None else str(r[category])) or "(none)"
        r["drawn"] = min(v, float(cap)) if cap is not None and v is not None else v
        if t is not None:
            r["status"] = judged_status(v, target, higher_is_better)
        r["status_text"] = words[r["status"]] if t is not None else ""
        if label is None:
            r["label"] = f"{fmt(v, unit)} · {words[r['status']]}" if t is not None else fmt(v, unit)
    label = "label" if label is None else label
    low = min(0.0, float(lowest(rows, "drawn")))
    top = domain_max(highest(rows, "drawn"), t if t is not None else 0)
    x = vl.X(
        "drawn:Q", axis=unit_axis(unit, value_title, ticks=6), scale=vl.Scale(domain=[low, top], nice=False)
    )
    y = vl.Y(f"{category}:N", title=category_title, sort=sort if sort is not None else None)
    tips = [
        vl.Tooltip(f"{category}:N", title=category_title or "Item"),
        unit_tooltip(value, value_title, unit),
        *tooltip,
    ]
    if t is not None:
        tips += [vl.Tooltip("status_text:N", title="Against target")]
    base = vl.Chart(rows).encode(y=y, tooltip=tips)
    legend = "Against budget" if words is BUDGET_TEXT else "Against target"
    colour = status_colour(legend, words, [r["status"] for r in rows]) if t is not None else vl.value(NEUTRAL)
    bar = base.mark_bar(cornerRadiusEnd=2).encode(x=x, color=colour)
    # A label starts past the further of its bar and the target rule, so the rule never strikes it.
    for r in rows:
        r["end"] = max(r["drawn"], t) if t is not None and r["drawn"] is not None else r["drawn"]
    text = base.mark_text(align="left", dx=6 if t is not None else 4).encode(x="end:Q", text=f"{label}:N")
    layers: list[Any] = [bar, text]
    if t is not None:
        layers.append(target_rule(t, f"{target_label} {fmt(t, unit)}"))
    chart = vl.layer(*layers).properties(width=WIDTH, height=rows_height(len(rows)))
    return titled(chart, title, subtitle)


def bullet(
    label: str,
    value: Any,
    target: Any,
    *,
    unit: str,
    higher_is_better: bool = True,
    title: str | None = None,
    subtitle: str | None = None,
    target_label: str = "Target",
    words: Mapping[str, str] = MET_TEXT,
) -> Any:
    """One value against its target (a number, or a KPI record `r.kpi(...)` with its judgement): a bar,
    a dashed target rule and the met/missed words."""
    return bullets(
        [
            {
                "label": label,
                "value": value,
                "target": target_of(target),
                "status": "not yet" if awaits(target) else None,  # else judged on the numbers, in bullets
                "unit": unit,
                "higher_is_better": higher_is_better,
            }
        ],
        title=title or label,
        subtitle=subtitle,
        target_label=target_label,
        words=words,
        legend=f"Against {target_label.lower()}",
    )


def bullets(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    subtitle: str | Sequence[str] | None = None,
    target_label: str = "Target",
    words: Mapping[str, str] = MET_TEXT,
    legend: str | None = None,
) -> Any:
    """Rows {label, value, target, unit, higher_is_better[, target_label]}, one bullet chart each, stacked.

    Each row is its measure's name, a line of words (value, met/missed, target) and a bar against a
    dashed target rule, on its own scale (units differ); met/missed is also the bar colour. The words
    sit above the bar, not beside it, so neither they nor the name are cut short on a narrow screen.
    One row alone takes the chart's title and says its words in the subtitle.
    """
    charts = []
    legend = legend or ("Against budget" if words is BUDGET_TEXT else "Against target")
    states = [
        row.get("status") or status_of(row.get("value"), row.get("target"), row.get("higher_is_better", True))
        for row in rows
    ]
    present = set(states)
    # One legend serves every row: a status reads as each row's own word for it ("met / within limit").
    legend_words = dict(words)
    for state in present:
        pairs = zip(rows, states, strict=True)
        used = dict.fromkeys(row.get("words", words)[s] for row, s in pairs if s == state)
        legend_words[state] = " / ".join(used)
    alone = len(rows) == 1
    lines: list[str] = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    for row in rows:
        v, t, unit = num(row.get("value")), num(row.get("target")), row.get("unit", "count")
        hib = row.get("higher_is_better", True)
        if v is None:
            note = "n/a: nothing to compute yet (it divides by zero)." if row.get("status") == "n/a" \
                else "No value yet."
            if alone:
                return no_data(title, note, subtitle if isinstance(subtitle, str) else None)
            charts.append(no_data(row["label"], note))
            continue
        state = row.get("status") or status_of(v, t, hib)
        word = row.get("words", words)[state]
        text = f"{fmt(v, unit)} · {word}"
        if t is not None:
            # the rule is named where the chart's subtitle does not already say what a dashed line is
            named = ", dashed line" if alone and not lines else ""
            text += f" ({row.get('target_label', target_label).lower()} {fmt(t, unit)}{named})"
        if row.get("note"):
            text += f" · {row['note']}"
        one = [
            {
                "label": row["label"],
                "value": v,
                "target": t,
                "status": state,
                "status_text": word,
                "target_text": fmt(t, unit) if t is not None else "none",
                "zero": 0,
            }
        ]
        top = domain_max(v, t, headroom=1.1)
        low = min(0.0, v * 1.1)
        tips = [
            vl.Tooltip("label:N", title="Measure"),
            unit_tooltip("value", "Value", unit),
            vl.Tooltip("target_text:N", title="Target"),
            vl.Tooltip("status_text:N", title="Against target"),
        ]
        x = vl.X(
            "value:Q", axis=unit_axis(unit, None, ticks=6), scale=vl.Scale(domain=[low, top], nice=False)
        )
        layers: list[Any] = [
            vl.Chart(one)
            .mark_bar(height=20, cornerRadiusEnd=2)
            .encode(x=x, x2="zero:Q", y=vl.value(7), y2=vl.value(27),
                    color=status_colour(legend, legend_words, present), tooltip=tips)
        ]
        if t is not None:
            layers.append(
                vl.Chart(one)
                .mark_rule(strokeDash=[6, 4], strokeWidth=2, color=TARGET)
                .encode(x="target:Q", y=vl.value(0), y2=vl.value(34), tooltip=tips)
            )
        chart = vl.layer(*layers).properties(width=WIDTH, height=34)
        if alone:
            return titled(chart, title, [*lines, text])
        charts.append(
            chart.properties(
                title=vl.TitleParams(
                    row["label"], subtitle=text, fontSize=13, subtitleFontSize=12, subtitleColor=TARGET,
                    subtitlePadding=3, offset=6,
                )
            )
        )
    if not charts:
        return no_data(title)
    chart = vl.vconcat(*charts, spacing=22).resolve_scale(x="independent", color="shared")
    return titled(chart, title, subtitle)


def labelled_bars(
    rows: list[dict[str, Any]], value: str, *, title: str, value_title: str, unit: str, subtitle: Any
) -> Any:
    """Bars for a short fixed list of labelled figures ({"what": label, value: number}), in list order."""
    return bars(
        rows,
        category="what",
        value=value,
        title=title,
        value_title=value_title,
        unit=unit,
        category_title=None,
        sort=[r["what"] for r in rows],
        subtitle=subtitle,
    )


def stack(*charts: Any, spacing: int = 18) -> vl.Chart:
    """Charts one above the other, each keeping its own colour scale and legend.

    Vega-Lite shares colour scales across a concatenation by default; two status scales with
    different domains would then merge and paint every bar in the first one's colours.
    """
    return vl.vconcat(*charts, spacing=spacing).resolve_scale(color="independent")

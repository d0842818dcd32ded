"""Every chart of the reports: one Altair theme, target rules, empty states, tables.

Charts take records (lists of dicts, dicts, DataFrames) shaped like the metric values and know
nothing of the database. Conventions:

* a chart with a target draws it as a dashed rule with a label, and tells met or missed by colour
  *and* by text (the bar label and the tooltip say "met" / "missed", never colour alone);
* titles and axis titles are plain words; tooltips carry exact values; money is `$,.2f`;
* no data gives a short "No data yet" note instead of an empty or broken chart.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import altair as alt
import pandas as pd

THEME = "conference_reports"

MET = "#2e7d32"
MISSED = "#c62828"
MUTED = "#7b8794"
NEUTRAL = "#3c6e9f"
TARGET = "#1f2933"
PALETTE = ["#3c6e9f", "#e08a2c", "#5a9e6f", "#b3546b", "#7c6bb0", "#4fa3a5", "#b08d3c", "#8a8a8a"]
WIDTH = 560
BAR_STEP = 24

MET_TEXT = {"met": "met", "missed": "missed", "no target": "no target"}
BUDGET_TEXT = {"met": "within budget", "missed": "over budget", "no target": "no budget"}
LIMIT_TEXT = {"met": "within limit", "missed": "over limit", "no target": "no target"}
STATUS_DOMAIN = ["met", "missed", "no target"]

NO_DATA = "No data yet."

# ---------------------------------------------------------------------------------------------
# theme and formatting


def _theme() -> alt.theme.ThemeConfig:
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    return alt.theme.ThemeConfig(
        config={
            "font": font,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 240, "stroke": None},
            "title": {
                "fontSize": 15,
                "fontWeight": 600,
                "anchor": "start",
                "color": TARGET,
                "subtitleFontSize": 12,
                "subtitleColor": "#52606d",
                "offset": 18,
            },
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": 500,
                "gridColor": "#e4e7eb",
                "domainColor": "#9aa5b1",
                "tickColor": "#9aa5b1",
                "labelColor": "#3e4c59",
                "titleColor": "#3e4c59",
                "labelLimit": 220,
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": PALETTE},
            "bar": {"color": NEUTRAL},
            "line": {"color": NEUTRAL, "strokeWidth": 2},
            "point": {"color": NEUTRAL, "filled": True},
            "text": {"fontSize": 11, "color": "#1f2933"},
        }
    )


alt.theme.register(THEME, enable=False)(_theme)


def use_theme() -> None:
    """Enable the house theme and lift Altair's 5000-row guard (metrics arrive aggregated)."""
    alt.theme.enable(THEME)
    alt.data_transformers.disable_max_rows()


def num(value: Any) -> float | None:
    """A metric number (Decimal, decimal string, int, float) as a float; None and junk give None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def money(value: Any) -> str:
    v = num(value)
    if v is None:
        return "—"
    return f"-${abs(v):,.2f}" if v < 0 else f"${v:,.2f}"


def percent(value: Any, digits: int = 1) -> str:
    v = num(value)
    return "—" if v is None else f"{v:,.{digits}f}%"


def count(value: Any) -> str:
    v = num(value)
    return "—" if v is None else f"{v:,.0f}"


def fmt(value: Any, unit: str) -> str:
    """Format a value by unit: money, percent, count (anything else: count)."""
    return {"money": money, "percent": percent}.get(unit, count)(value)


def status_of(value: Any, target: Any, higher_is_better: bool = True) -> str:
    """met / missed / no target (no value or no target)."""
    v, t = num(value), num(target)
    if v is None or t is None:
        return "no target"
    return "met" if (v >= t if higher_is_better else v <= t) else "missed"


def _axis(unit: str, title: str | None, ticks: int | None = None) -> alt.Axis:
    extra: dict[str, Any] = {"tickCount": ticks} if ticks else {}
    if unit == "money":
        return alt.Axis(title=title, format="$,.0f", **extra)
    if unit == "percent":
        return alt.Axis(title=title, labelExpr="format(datum.value, ',.0f') + '%'", **extra)
    return alt.Axis(title=title, format=",.0f", tickMinStep=1, **extra)


def _tooltip(field: str, title: str, unit: str) -> alt.Tooltip:
    if unit == "money":
        return alt.Tooltip(f"{field}:Q", title=title, format="$,.2f")
    if unit == "percent":
        return alt.Tooltip(f"{field}:Q", title=f"{title} (%)", format=",.2f")
    return alt.Tooltip(f"{field}:Q", title=title, format=",")


def _status_colour(
    legend_title: str = "Against target",
    words: Mapping[str, str] = MET_TEXT,
    present: Iterable[str] | None = None,
) -> alt.Color:
    """Colour by the `status` column; the legend names each status in words (`words`)."""
    seen = set(present) if present is not None else set(STATUS_DOMAIN)
    domain = [s for s in STATUS_DOMAIN if s in seen] or STATUS_DOMAIN
    colours = {"met": MET, "missed": MISSED, "no target": MUTED}
    labels = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in words.items())
    return alt.Color(
        "status:N",
        scale=alt.Scale(domain=domain, range=[colours[s] for s in domain]),
        legend=alt.Legend(title=legend_title, labelExpr=f"{labels} : datum.label"),
    )


def _frame(records: Any) -> pd.DataFrame:
    if records is None:
        return pd.DataFrame()
    if isinstance(records, pd.DataFrame):
        df = records.copy()
        for column in [c for c in df.columns if pd.api.types.is_object_dtype(df[c].dtype)]:
            df[column] = [float(v) if isinstance(v, Decimal) else v for v in df[column]]
        return df
    if isinstance(records, Mapping):
        records = [records]
    rows = [{k: (float(v) if isinstance(v, Decimal) else v) for k, v in dict(r).items()} for r in records]
    return pd.DataFrame(rows)


def _numeric(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        if column in df:
            df[column] = [num(v) for v in df[column]]
            df[column] = df[column].astype("float64")
    return df


def _local_day(values: Iterable[Any]) -> list[pd.Timestamp]:
    """Calendar days as naive midnight timestamps (drawn as local time, so no browser shifts a day)."""
    out = []
    for v in values:
        day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
        out.append(pd.Timestamp(day.year, day.month, day.day))
    return out


def _local_instant(values: Iterable[Any], zone: Any = None) -> list[pd.Timestamp]:
    """Instants as naive wall-clock timestamps in `zone` (a ZoneInfo or name; default: as given)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    out = []
    for v in values:
        stamp = v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))
        if tz is not None and stamp.tzinfo is not None:
            stamp = stamp.astimezone(tz)
        out.append(pd.Timestamp(stamp.replace(tzinfo=None)))
    return out


def _by_period(
    df: pd.DataFrame,
    sums: Sequence[str],
    keys: Sequence[str] = (),
    *,
    max_days: int = 62,
) -> tuple[pd.DataFrame, str]:
    """Daily rows as they are, or summed per week (starting Monday) when they span more than `max_days`.

    Returns the frame (its `day` column is the period start) and the period's name ("Day" or "Week of").
    """
    if df.empty or (df["day"].max() - df["day"].min()).days <= max_days:
        return df, "Day"
    weekly = df.assign(day=df["day"] - pd.to_timedelta(df["day"].dt.weekday, unit="D"))
    return weekly.groupby(["day", *keys], as_index=False)[list(sums)].sum(), "Week of"


def _titled(chart: Any, title: str, subtitle: str | Sequence[str] | None = None) -> Any:
    params: dict[str, Any] = {"text": title}
    if subtitle:
        params["subtitle"] = subtitle
    return chart.properties(title=alt.TitleParams(**params))


def _height(n: int) -> int:
    return max(60, BAR_STEP * n)


def _domain_max(*values: Any, headroom: float = 1.3) -> float:
    present = [abs(v) for v in (num(x) for x in values) if v is not None]
    top = max(present, default=0.0)
    return top * headroom if top > 0 else 1.0


# ---------------------------------------------------------------------------------------------
# building blocks


def no_data(title: str, note: str = NO_DATA, subtitle: str | None = None) -> alt.Chart:
    """A short note in place of a chart whose data is empty."""
    chart = (
        alt.Chart(pd.DataFrame({"note": [note]}))
        .mark_text(align="left", baseline="middle", fontSize=13, fontStyle="italic", color=MUTED)
        .encode(x=alt.value(0), y=alt.value(16), text="note:N")
        .properties(width=WIDTH, height=32)
    )
    return _titled(chart, title, subtitle)


def target_rule(target: float, label: str, *, axis: str = "x", colour: str = TARGET) -> alt.LayerChart:
    """A dashed rule at `target` with its label: vertical (axis="x") or horizontal (axis="y")."""
    df = pd.DataFrame({"target": [target], "label": [label]})
    base = alt.Chart(df)
    tip = [alt.Tooltip("label:N", title="Target")]
    if axis == "x":
        rule = base.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=colour).encode(
            x="target:Q", tooltip=tip
        )
        text = base.mark_text(
            align="left", baseline="bottom", dx=-6, dy=-3, fontWeight=600, color=colour
        ).encode(x="target:Q", y=alt.value(0), text="label:N")
    else:
        rule = base.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=colour).encode(
            y="target:Q", tooltip=tip
        )
        text = base.mark_text(align="right", baseline="bottom", dy=-3, fontWeight=600, color=colour).encode(
            y="target:Q", x=alt.value(WIDTH), text="label:N"
        )
    return alt.layer(rule, text)


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

    `label` names a column holding each bar's text (default: the formatted value, plus the status).
    `cap` clips the drawn bar (e.g. 100 for a percentage) while labels and tooltips keep the value.
    """
    df = _numeric(_frame(data), value)
    if df.empty or value not in df or df[value].isna().all():
        return no_data(title, note, subtitle if isinstance(subtitle, str) else None)
    df[category] = df[category].fillna("(none)").astype(str).replace("", "(none)")
    t = num(target)
    df["drawn"] = df[value].clip(upper=cap) if cap is not None else df[value]
    if t is not None:
        df["status"] = [status_of(v, t, higher_is_better) for v in df[value]]
    df["status_text"] = [words[s] for s in df["status"]] if t is not None else ""
    if label is None:
        df["label"] = [
            f"{fmt(v, unit)} · {words[s]}" if t is not None else fmt(v, unit)
            for v, s in zip(df[value], df["status"] if t is not None else [None] * len(df), strict=True)
        ]
        label = "label"
    low = min(0.0, float(df["drawn"].min()))
    top = _domain_max(df["drawn"].max(), t if t is not None else 0)
    x = alt.X(
        "drawn:Q", axis=_axis(unit, value_title, ticks=6), scale=alt.Scale(domain=[low, top], nice=False)
    )
    y = alt.Y(f"{category}:N", title=category_title, sort=sort if sort is not None else None)
    tips = [
        alt.Tooltip(f"{category}:N", title=category_title or "Item"),
        _tooltip(value, value_title, unit),
        *tooltip,
    ]
    if t is not None:
        tips += [alt.Tooltip("status_text:N", title="Against target")]
    base = alt.Chart(df).encode(y=y, tooltip=tips)
    legend = "Against budget" if words is BUDGET_TEXT else "Against target"
    bar = base.mark_bar(cornerRadiusEnd=2).encode(
        x=x, color=_status_colour(legend, words, df["status"]) if t is not None else alt.value(NEUTRAL)
    )
    text = base.mark_text(align="left", dx=4).encode(x="drawn:Q", text=f"{label}:N")
    layers: list[Any] = [bar, text]
    if t is not None:
        layers.append(target_rule(t, f"{target_label} {fmt(t, unit)}"))
    chart = alt.layer(*layers).properties(width=WIDTH, height=_height(len(df)))
    return _titled(chart, title, subtitle)


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
    """One value against its target: a bar, a labelled target rule and a met/missed label."""
    return bullets(
        [
            {
                "label": label,
                "value": value,
                "target": target,
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
    """Rows {label, value, target, unit, higher_is_better}, one bullet chart each, stacked.

    Each row has its own scale (units differ); met/missed is the bar colour and the label text.
    """
    charts = []
    legend = legend or ("Against budget" if words is BUDGET_TEXT else "Against target")
    present = {
        row.get("status") or status_of(row.get("value"), row.get("target"), row.get("higher_is_better", True))
        for row in rows
    }
    for row in rows:
        v, t, unit = num(row.get("value")), num(row.get("target")), row.get("unit", "count")
        hib = row.get("higher_is_better", True)
        if v is None:
            charts.append(no_data(row["label"], "No value yet."))
            continue
        state = row.get("status") or status_of(v, t, hib)
        word = row.get("words", words)[state]
        text = f"{fmt(v, unit)} · {word}"
        if t is not None:
            text += f" ({target_label.lower()} {fmt(t, unit)})"
        if row.get("note"):
            text += f" · {row['note']}"
        df = pd.DataFrame(
            [
                {
                    "label": row["label"],
                    "value": v,
                    "target": t,
                    "status": state,
                    "status_text": word,
                    "text": text,
                    "target_text": fmt(t, unit) if t is not None else "none",
                }
            ]
        )
        top = _domain_max(v, t, headroom=1.25)
        low = min(0.0, v * 1.25)
        tips = [
            alt.Tooltip("label:N", title="Measure"),
            _tooltip("value", "Value", unit),
            alt.Tooltip("target_text:N", title="Target"),
            alt.Tooltip("status_text:N", title="Against target"),
        ]
        base = alt.Chart(df).encode(
            y=alt.Y("label:N", title=None, axis=alt.Axis(labelFontWeight=600, labelLimit=260)), tooltip=tips
        )
        x = alt.X("value:Q", axis=_axis(unit, None, ticks=6), scale=alt.Scale(domain=[low, top], nice=False))
        layers: list[Any] = [
            base.mark_bar(height=20, cornerRadiusEnd=2).encode(
                x=x, color=_status_colour(legend, row.get("words", words), present)
            ),
            base.mark_text(align="left", dx=4, fontWeight=600).encode(x="value:Q", text="text:N"),
        ]
        if t is not None:
            layers.append(target_rule(t, f"{target_label} {fmt(t, unit)}"))
        charts.append(alt.layer(*layers).properties(width=WIDTH, height=34))
    if not charts:
        return no_data(title)
    chart = alt.vconcat(*charts, spacing=30).resolve_scale(x="independent", color="shared")
    return _titled(chart, title, subtitle)


def html_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str, str]], *, empty: str = NO_DATA
) -> Any:
    """An HTML table (IPython display object): columns are (key, heading, kind).

    kind: text, count, money, percent, decimal (2 places), auto (the row's `unit`), or status
    (met/missed as words with colour; a `<key>_text` column may give the words).
    """
    from IPython.display import HTML

    if not rows:
        return HTML(f'<p class="cr-note" style="color:{MUTED};font-style:italic">{html.escape(empty)}</p>')
    style_cell = "border-bottom:1px solid #d9e2ec;padding:4px 10px;"
    head = "".join(
        f'<th style="{style_cell}text-align:{"left" if kind in ("text", "status") else "right"}">'
        f"{html.escape(title)}</th>"
        for _, title, kind in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _, kind in columns:
            value = row.get(key)
            if kind == "status":
                state = str(value or "no target")
                css = {"met": "cr-met", "missed": "cr-missed"}.get(state, "cr-none")
                colour = {"met": MET, "missed": MISSED}.get(state, MUTED)
                mark = {"met": "✓ ", "missed": "✗ "}.get(state, "")
                word = row.get(f"{key}_text") or state
                cells.append(
                    f'<td class="{css}" style="{style_cell}text-align:left;color:{colour};font-weight:600">'
                    f"{mark}{html.escape(str(word))}</td>"
                )
            elif kind == "text":
                text = html.escape("" if value is None else str(value))
                cells.append(f'<td style="{style_cell}text-align:left">{text}</td>')
            else:
                if kind == "decimal":
                    shown = "—" if num(value) is None else f"{num(value):,.2f}"
                else:
                    shown = fmt(value, row.get("unit", "count") if kind == "auto" else kind)
                cells.append(
                    f'<td class="num" style="{style_cell}text-align:right">{html.escape(shown)}</td>'
                )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return HTML(
        f'<table class="cr-table" style="border-collapse:collapse;font-size:13px;margin:8px 0 16px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def section_heading(text: str) -> Any:
    """A small heading between charts and tables of one section."""
    from IPython.display import HTML

    return HTML(f'<h4 style="margin:16px 0 4px">{html.escape(text)}</h4>')


# ---------------------------------------------------------------------------------------------
# headline KPIs


def _change_text(value: Any, previous: Any, unit: str) -> str:
    v, p = num(value), num(previous)
    if v is None or p is None:
        return "—"
    delta = v - p
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if unit == "money":
        return f"{sign}${abs(delta):,.2f}"
    if unit == "percent":
        return f"{sign}{abs(delta):,.1f} pts"
    return f"{sign}{abs(delta):,.0f}"


def scorecard_rows(
    kpis: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """KPI records joined with the previous edition's values: value, target, status, change."""
    before = {r["key"]: r.get("value") for r in previous or ()}
    rows = []
    for r in kpis:
        words = LIMIT_TEXT if not r.get("higher_is_better", True) else MET_TEXT
        rows.append(
            {
                **r,
                "status_text": words.get(r.get("status", "no target"), r.get("status")),
                "previous": before.get(r["key"]),
                "change": _change_text(r.get("value"), before.get(r["key"]), r.get("unit", "count"))
                if previous is not None
                else "—",
            }
        )
    return rows


def scorecard_table(
    kpis: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] | None = None,
    previous_name: str | None = None,
) -> Any:
    """The headline table: KPI, value, target, met/missed, change against the previous edition."""
    from IPython.display import HTML

    rows = scorecard_rows(kpis, previous)
    if not rows:
        return HTML(f'<p style="color:{MUTED};font-style:italic">{NO_DATA}</p>')
    change_title = f"Change vs {previous_name}" if previous_name else "Change vs previous year"
    style = "border-bottom:1px solid #d9e2ec;padding:5px 12px;"
    out = [
        f'<table class="cr-table cr-scorecard" style="border-collapse:collapse;font-size:14px;margin:8px 0">'
        f'<thead><tr><th style="{style}text-align:left">KPI</th>'
        f'<th style="{style}text-align:right">Value</th>'
        f'<th style="{style}text-align:right">Target</th>'
        f'<th style="{style}text-align:left">Against target</th>'
        f'<th style="{style}text-align:right">{html.escape(change_title)}</th></tr></thead><tbody>'
    ]
    for r in rows:
        unit, state = r.get("unit", "count"), r.get("status", "no target")
        colour = {"met": MET, "missed": MISSED}.get(state, MUTED)
        mark = {"met": "✓ ", "missed": "✗ "}.get(state, "")
        target = fmt(r.get("target"), unit) if r.get("target") is not None else "none set"
        out.append(
            f'<tr><td style="{style}text-align:left">{html.escape(r["label"])}</td>'
            f'<td style="{style}text-align:right;font-weight:600">{fmt(r.get("value"), unit)}</td>'
            f'<td style="{style}text-align:right">{html.escape(target)}</td>'
            f'<td class="cr-{state.replace(" ", "-")}" style="{style}text-align:left;color:{colour};'
            'font-weight:600">'
            f"{mark}{html.escape(r['status_text'])}</td>"
            f'<td style="{style}text-align:right">{html.escape(r["change"])}</td></tr>'
        )
    if previous is None:
        out.append(
            f'<tr><td colspan="5" style="{style}color:{MUTED};font-style:italic">'
            "No earlier edition of this series in the database: no change to show.</td></tr>"
        )
    out.append("</tbody></table>")
    return HTML("".join(out))


def kpi_scorecard(
    kpis: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]] | None = None,
    previous_name: str | None = None,
) -> Any:
    """The headline KPIs as bullet charts against their targets."""
    rows = []
    for r in scorecard_rows(kpis, previous):
        hib = r.get("higher_is_better", True)
        note = (
            f"{r['change']} vs {previous_name or 'last year'}"
            if previous is not None and r["change"] != "—"
            else None
        )
        rows.append({**r, "note": note, "words": MET_TEXT if hib else LIMIT_TEXT})
    return bullets(
        rows,
        title="Headline KPIs against targets",
        subtitle="Bar colour and label say whether each target is met; dashed line = target.",
    )


def kpi_bullet(record: Mapping[str, Any] | None, title: str | None = None) -> Any:
    """One KPI record {label, value, target, status, unit, higher_is_better} as a bullet chart."""
    if not record:
        return no_data(title or "KPI")
    hib = record.get("higher_is_better", True)
    return bullets([{**record, "words": MET_TEXT if hib else LIMIT_TEXT}], title=title or record["label"])


# ---------------------------------------------------------------------------------------------
# revenue


def revenue_breakdown(value: Mapping[str, Any] | None) -> Any:
    """Ticket, add-on and sponsorship revenue with their shares."""
    title = "Revenue by source"
    if not value or not num(value.get("total_revenue")):
        return no_data(title)
    rows = [
        {"source": name, "revenue": num(value.get(f"{key}_revenue")), "share": num(value.get(f"{key}_pct"))}
        for key, name in (("ticket", "Tickets"), ("addon", "Add-ons"), ("sponsor", "Sponsorships"))
    ]
    for r in rows:
        r["label"] = f"{money(r['revenue'])} ({percent(r['share'])})"
    return bars(
        rows,
        category="source",
        value="revenue",
        title=title,
        value_title="Revenue",
        unit="money",
        category_title="Source",
        label="label",
        subtitle=f"Total {money(value.get('total_revenue'))}",
        tooltip=[_tooltip("share", "Share of revenue", "percent")],
    )


def revenue_by_ticket_type(records: Any) -> Any:
    """Daily ticket revenue stacked by ticket type."""
    title = "Ticket revenue by ticket type over time"
    df = _numeric(_frame(records), "revenue", "count")
    if df.empty:
        return no_data(title)
    df["day"] = _local_day(df["date"])
    df, period = _by_period(df, ["revenue", "count"], ["ticket_type"])
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title=period, timeUnit="yearmonthdate", axis=alt.Axis(format="%b %d")),
            y=alt.Y("sum(revenue):Q", title="Revenue", axis=_axis("money", "Revenue")),
            color=alt.Color("ticket_type:N", title="Ticket type"),
            tooltip=[
                alt.Tooltip("day:T", title=period, format="%Y-%m-%d"),
                alt.Tooltip("ticket_type:N", title="Ticket type"),
                alt.Tooltip("sum(revenue):Q", title="Revenue", format="$,.2f"),
                alt.Tooltip("sum(count):Q", title="Tickets", format=","),
            ],
        )
        .properties(width=WIDTH, height=240)
    )
    return _titled(chart, title, "Revenue per week" if period != "Day" else "Revenue per day")


def cumulative_revenue(records: Any, budget: Any = None) -> Any:
    """Cumulative revenue by day against the revenue budget (rule + reached / not reached)."""
    title = "Cumulative revenue against budget"
    df = _numeric(_frame(records), "cumulative", "daily")
    if df.empty:
        return no_data(title)
    df["day"] = _local_day(df["date"])
    b = num(budget)
    last = float(df["cumulative"].iloc[-1])
    words = {"met": "budget reached", "missed": "budget not reached", "no target": "no budget set"}
    state = status_of(last, b) if b else "no target"
    share = f" = {last / b * 100:,.1f}% of budget" if b else ""
    end = pd.DataFrame(
        [
            {
                "day": df["day"].iloc[-1],
                "cumulative": last,
                "status": state,
                "status_text": words[state],
                "text": f"{money(last)}{share} · {words[state]}",
            }
        ]
    )
    tips = [
        alt.Tooltip("day:T", title="Day", format="%Y-%m-%d"),
        _tooltip("cumulative", "Cumulative revenue", "money"),
        _tooltip("daily", "Revenue that day", "money"),
    ]
    y = alt.Y(
        "cumulative:Q",
        axis=_axis("money", "Cumulative revenue"),
        scale=alt.Scale(domain=[0, _domain_max(last, b, headroom=1.1)]),
    )
    line = (
        alt.Chart(df)
        .mark_area(line={"color": NEUTRAL}, color=NEUTRAL, opacity=0.15)
        .encode(x=alt.X("day:T", title="Day", axis=alt.Axis(format="%b %d")), y=y, tooltip=tips)
    )
    point = (
        alt.Chart(end)
        .mark_point(size=90, filled=True)
        .encode(
            x="day:T",
            y="cumulative:Q",
            color=_status_colour("Against budget", words, [state]),
            tooltip=[alt.Tooltip("text:N", title="Latest")],
        )
    )
    label = (
        alt.Chart(end)
        .mark_text(align="right", dy=-12, fontWeight=600)
        .encode(x="day:T", y="cumulative:Q", text="text:N")
    )
    layers: list[Any] = [line, point, label]
    if b:
        layers.append(target_rule(b, f"Revenue budget {money(b)}", axis="y"))
    chart = alt.layer(*layers).properties(width=WIDTH, height=260)
    return _titled(chart, title, None if b else "No revenue budget is set for this conference.")


def cashflow_waterfall(records: Any) -> Any:
    """Gross sales down to net revenue: discounts, refunds and credits as steps."""
    title = "From gross sales to net revenue"
    df = _numeric(_frame(records), "value")
    if df.empty or not df["value"].abs().sum():
        return no_data(title)
    starts, ends, running = [], [], 0.0
    for kind, v in zip(df["type"], df["value"], strict=True):
        if kind == "total":
            starts.append(0.0)
            ends.append(v)
            running = v
        else:
            starts.append(running)
            running += v
            ends.append(running)
    df["start"], df["end"] = starts, ends
    df["step"] = (
        df["type"].map({"total": "Total", "increase": "Increase", "decrease": "Decrease"}).fillna("Step")
    )
    df["text"] = [money(v) for v in df["value"]]
    order = list(df["label"])
    base = alt.Chart(df).encode(x=alt.X("label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)))
    bar = base.mark_bar(size=48).encode(
        y=alt.Y("start:Q", axis=_axis("money", "Amount")),
        y2="end:Q",
        color=alt.Color(
            "step:N",
            title="Step",
            scale=alt.Scale(domain=["Total", "Increase", "Decrease"], range=[NEUTRAL, "#5a9e6f", "#b3546b"]),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Step"),
            _tooltip("value", "Amount", "money"),
            _tooltip("end", "Running total", "money"),
        ],
    )
    text = (
        base.mark_text(dy=-6, baseline="bottom")
        .encode(y="max_y:Q", text="text:N")
        .transform_calculate(max_y="max(datum.start, datum.end)")
    )
    return _titled(alt.layer(bar, text).properties(width=WIDTH, height=240), title)


# ---------------------------------------------------------------------------------------------
# registration


def sales_by_date(records: Any) -> Any:
    """Paid orders and their revenue per day."""
    df = _numeric(_frame(records), "count", "revenue")
    if df.empty:
        return no_data("Sales over time")
    df["day"] = _local_day(df["date"])
    df, period = _by_period(df, ["count", "revenue"])
    title = "Sales by day" if period == "Day" else "Sales by week"
    tips = [
        alt.Tooltip("day:T", title=period, format="%Y-%m-%d"),
        _tooltip("count", "Paid orders", "count"),
        _tooltip("revenue", "Revenue", "money"),
    ]
    x = alt.X("day:T", title=period, axis=alt.Axis(format="%b %d"))
    orders = (
        alt.Chart(df)
        .mark_bar()
        .encode(x=x, y=alt.Y("count:Q", axis=_axis("count", "Paid orders")), tooltip=tips)
        .properties(width=WIDTH, height=150)
    )
    revenue = (
        alt.Chart(df)
        .mark_bar(color=PALETTE[1])
        .encode(x=x, y=alt.Y("revenue:Q", axis=_axis("money", "Revenue")), tooltip=tips)
        .properties(width=WIDTH, height=150)
    )
    total = f"{int(df['count'].sum()):,} paid orders, {money(df['revenue'].sum())} in total"
    return _titled(alt.vconcat(orders, revenue, spacing=8), title, total)


def registration_flow(records: Any) -> Any:
    """Registrations and cancellations per day."""
    df = _numeric(_frame(records), "registrations", "cancellations")
    if df.empty:
        return no_data("Registrations and cancellations")
    df["day"] = _local_day(df["date"])
    df, period = _by_period(df, ["registrations", "cancellations"])
    title = f"Registrations and cancellations by {'day' if period == 'Day' else 'week'}"
    long = df.melt(
        id_vars=["day"], value_vars=["registrations", "cancellations"], var_name="kind", value_name="people"
    )
    long["kind"] = long["kind"].map({"registrations": "Registrations", "cancellations": "Cancellations"})
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=period, axis=alt.Axis(format="%b %d")),
            y=alt.Y("people:Q", axis=_axis("count", "People")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Registrations", "Cancellations"], range=[NEUTRAL, PALETTE[3]]),
            ),
            tooltip=[
                alt.Tooltip("day:T", title=period, format="%Y-%m-%d"),
                alt.Tooltip("kind:N", title="What"),
                _tooltip("people", "People", "count"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )
    return _titled(
        chart,
        title,
        f"{int(df['registrations'].sum()):,} registrations, {int(df['cancellations'].sum()):,} cancellations",
    )


def ticket_sales_ratio(records: Any) -> Any:
    """Tickets sold against each ticket type's capacity."""
    title = "Ticket types: sold against capacity"
    df = _numeric(_frame(records), "sold", "capacity", "fill_rate", "revenue", "revenue_pct")
    if df.empty:
        return no_data(title)
    df["label"] = [
        f"{int(s):,} of {int(c):,} sold ({percent(f)})" if c else f"{int(s):,} sold, no limit"
        for s, c, f in zip(df["sold"], df["capacity"].fillna(0), df["fill_rate"].fillna(0), strict=True)
    ]
    df["fill"] = [
        f if c else 0.0 for f, c in zip(df["fill_rate"].fillna(0), df["capacity"].fillna(0), strict=True)
    ]
    return bars(
        df,
        category="name",
        value="fill",
        title=title,
        value_title="Sold (% of capacity)",
        category_title="Ticket type",
        unit="percent",
        label="label",
        cap=100,
        tooltip=[
            _tooltip("sold", "Sold", "count"),
            _tooltip("capacity", "Capacity (0 = no limit)", "count"),
            _tooltip("revenue", "Revenue", "money"),
            _tooltip("revenue_pct", "Share of revenue", "percent"),
        ],
    )


def attendance(summary: Mapping[str, Any] | None, target_attendance: Any = None) -> Any:
    """Attendees against the attendance target."""
    title = "Attendance against target"
    if not summary:
        return no_data(title)
    sub = (
        f"{count(summary.get('completed'))} completed registration, "
        f"{count(summary.get('checked_in'))} checked in"
    )
    if not num(target_attendance):
        sub += "; no attendance target is set"
    return bullet(
        "Attendees", summary.get("total"), target_attendance or None, unit="count", title=title, subtitle=sub
    )


# ---------------------------------------------------------------------------------------------
# carts, refunds, credits, vouchers, discounts


def cart_funnel(value: Mapping[str, Any] | None, target_conversion_rate: Any = None) -> Any:
    """Carts by outcome, and the conversion rate against its target."""
    title = "Cart funnel"
    if not value or not num(value.get("total_carts")):
        return no_data(title, "No carts yet.")
    rows = [
        {"outcome": name, "carts": num(value.get(key))}
        for key, name in (
            ("completed", "Completed"),
            ("open", "Open"),
            ("abandoned", "Abandoned"),
            ("expired", "Expired"),
        )
    ]
    total = num(value.get("total_carts")) or 0
    for r in rows:
        r["share"] = (r["carts"] or 0) / total * 100 if total else 0
        r["label"] = f"{count(r['carts'])} ({percent(r['share'])})"
    outcome = bars(
        rows,
        category="outcome",
        value="carts",
        title="Carts by outcome",
        value_title="Carts",
        category_title="Outcome",
        label="label",
        sort=[r["outcome"] for r in rows],
        tooltip=[_tooltip("share", "Share of carts", "percent")],
        subtitle=f"{count(total)} carts; abandonment {percent(value.get('abandonment_rate'))}",
    )
    rate = bullet(
        "Conversion rate",
        value.get("conversion_rate"),
        target_conversion_rate,
        unit="percent",
        title="Cart conversion rate",
    )
    return _titled(alt.vconcat(outcome, rate, spacing=18), title)


def refunds(value: Mapping[str, Any] | None, target_refund_rate: Any = None) -> Any:
    """Refund rate against its limit, and refunds by state."""
    title = "Refunds"
    if not value:
        return no_data(title)
    sub = (
        f"{count(value.get('refund_count'))} refunds, {money(value.get('total_refunded'))} refunded "
        f"of {money(value.get('total_revenue'))} revenue"
    )
    rate = bullet(
        "Refund rate",
        value.get("refund_rate"),
        target_refund_rate,
        unit="percent",
        higher_is_better=False,
        words=LIMIT_TEXT,
        title="Refund rate (lower is better)",
        target_label="Limit",
        subtitle=sub,
    )
    states = [
        {"state": str(k).replace("_", " ").capitalize(), "refunds": v}
        for k, v in (value.get("by_status") or {}).items()
    ]
    by_state = bars(
        states,
        category="state",
        value="refunds",
        title="Refund credits by state",
        value_title="Refunds",
        category_title="State",
        note="No refunds yet.",
    )
    return _titled(alt.vconcat(rate, by_state, spacing=18), title)


def credits(value: Mapping[str, Any] | None) -> Any:
    """Store credits issued, applied and still outstanding."""
    title = "Store credits"
    if not value or not num(value.get("count")):
        return no_data(title, "No credits issued yet.")
    rows = [
        {"what": name, "amount": value.get(key)}
        for key, name in (
            ("total_issued", "Issued"),
            ("total_applied", "Applied to orders"),
            ("total_outstanding", "Outstanding"),
        )
    ]
    return bars(
        rows,
        category="what",
        value="amount",
        title=title,
        value_title="Amount",
        unit="money",
        category_title=None,
        sort=[r["what"] for r in rows],
        subtitle=f"{count(value.get('count'))} credits",
    )


def vouchers(
    voucher_summary: Mapping[str, Any] | None, discount_summary: Mapping[str, Any] | None = None
) -> Any:
    """Voucher and discount-rule counts."""
    title = "Vouchers and discount rules"
    rows = []
    if voucher_summary:
        rows += [
            {"what": "Vouchers", "n": voucher_summary.get("total")},
            {"what": "Vouchers active", "n": voucher_summary.get("active")},
            {"what": "Vouchers used", "n": voucher_summary.get("used")},
        ]
    if discount_summary:
        rows += [
            {"what": "Discount rules", "n": discount_summary.get("total")},
            {"what": "Discount rules active", "n": discount_summary.get("active")},
        ]
    if not rows or not any(num(r["n"]) for r in rows):
        return no_data(title, "No vouchers or discounts yet.")
    sub = f"Voucher discounts given: {money((voucher_summary or {}).get('total_revenue_impact'))}"
    return bars(
        rows,
        category="what",
        value="n",
        title=title,
        value_title="Count",
        category_title=None,
        sort=[r["what"] for r in rows],
        subtitle=sub,
    )


def discount_impact(value: Mapping[str, Any] | None) -> Any:
    """Discount given per voucher code, with gross, net and the discount rate."""
    title = "Discounts by voucher code"
    if not value:
        return no_data(title)
    orders = (num(value.get("orders_with_discount")) or 0) + (num(value.get("orders_without_discount")) or 0)
    sub = (
        f"Gross {money(value.get('total_gross'))}, discounts {money(value.get('total_discount'))} "
        f"({percent(value.get('discount_rate'))}), net {money(value.get('total_net'))}; "
        f"{count(value.get('orders_with_discount'))} of "
        f"{count(orders)}"
        " orders discounted"
    )
    rows = _numeric(_frame(value.get("by_voucher") or []), "discount_total", "order_count")
    if rows.empty:
        return no_data(title, "No voucher discounts yet.", sub)
    return bars(
        rows,
        category="code",
        value="discount_total",
        title=title,
        value_title="Discount given",
        unit="money",
        category_title="Voucher code",
        sort="-x",
        subtitle=sub,
        tooltip=[_tooltip("order_count", "Orders", "count")],
    )


# ---------------------------------------------------------------------------------------------
# operations


def checkin_throughput(records: Any, zone: Any = None) -> Any:
    """Check-ins per 15-minute window, in the conference's local time."""
    title = "Check-ins per 15 minutes"
    df = _numeric(_frame(records), "count")
    if df.empty:
        return no_data(title, "No check-ins yet.")
    df["start"] = _local_instant(df["bucket_start"], zone)
    df["end"] = _local_instant(df["bucket_end"], zone)
    busiest = df.loc[df["count"].idxmax()]
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title="Local time", axis=alt.Axis(format="%b %d %H:%M", labelAngle=-30)),
            x2="end:T",
            y=alt.Y("count:Q", axis=_axis("count", "Check-ins")),
            tooltip=[
                alt.Tooltip("start:T", title="From", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("end:T", title="To", format="%H:%M"),
                _tooltip("count", "Check-ins", "count"),
            ],
        )
        .properties(width=WIDTH, height=200)
    )
    sub = (
        f"{int(df['count'].sum()):,} check-ins; busiest window "
        f"{busiest['start']:%Y-%m-%d %H:%M} with {int(busiest['count']):,}"
    )
    return _titled(chart, title, sub)


def room_utilization(records: Any, target: Any = None) -> Any:
    """Share of each room's slots used by talks, against the utilisation target."""
    title = "Room utilisation"
    df = _numeric(_frame(records), "utilization_pct", "talk_slots", "total_slots", "room_capacity")
    if df.empty:
        return no_data(title, "No rooms scheduled yet.")
    return bars(
        df,
        category="room_name",
        value="utilization_pct",
        title=title,
        value_title="Slots used by talks (%)",
        category_title="Room",
        unit="percent",
        target=target,
        cap=100,
        tooltip=[
            _tooltip("talk_slots", "Talk slots", "count"),
            _tooltip("total_slots", "All slots", "count"),
            _tooltip("room_capacity", "Seats", "count"),
        ],
    )


def activity_capacity(records: Any) -> Any:
    """Confirmed and waitlisted sign-ups per activity against its capacity."""
    title = "Activity capacity"
    df = _numeric(
        _frame(records), "confirmed", "waitlisted", "cancelled", "max_participants", "utilization_pct"
    )
    if df.empty:
        return no_data(title, "No activities yet.")
    df["limit"] = [m if m else None for m in df["max_participants"].fillna(0)]
    df["label"] = [
        f"{int(c):,} of {int(m):,} ({percent(u)})" + (f", {int(w):,} waitlisted" if w else "")
        if m
        else f"{int(c):,} confirmed, no limit"
        for c, w, m, u in zip(
            df["confirmed"], df["waitlisted"], df["limit"].fillna(0), df["utilization_pct"], strict=True
        )
    ]
    long = df.melt(
        id_vars=["name", "label", "limit"],
        value_vars=["confirmed", "waitlisted"],
        var_name="kind",
        value_name="people",
    )
    long["kind"] = long["kind"].map({"confirmed": "Confirmed", "waitlisted": "Waitlisted"})
    y = alt.Y("name:N", title="Activity", sort=list(df["name"]))
    stacked = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("sum(people):Q", axis=_axis("count", "People")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Confirmed", "Waitlisted"], range=[NEUTRAL, PALETTE[1]]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Activity"),
                alt.Tooltip("kind:N", title="Sign-up"),
                alt.Tooltip("people:Q", title="People", format=","),
            ],
        )
    )
    cap = (
        alt.Chart(df.dropna(subset=["limit"]))
        .mark_tick(color=TARGET, thickness=3, size=BAR_STEP - 4)
        .encode(
            y=y,
            x="limit:Q",
            tooltip=[
                alt.Tooltip("name:N", title="Activity"),
                alt.Tooltip("limit:Q", title="Capacity", format=","),
            ],
        )
    )
    df["total"] = df["confirmed"].fillna(0) + df["waitlisted"].fillna(0)
    df["end"] = [max(t, m or 0) for t, m in zip(df["total"], df["limit"].fillna(0), strict=True)]
    text = alt.Chart(df).mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="label:N")
    chart = alt.layer(stacked, cap, text).properties(width=WIDTH - 120, height=_height(len(df)))
    return _titled(chart, title, "Dark tick = capacity (the limit each activity is measured against)")


def travel_grants(value: Mapping[str, Any] | None, grant_budget: Any = None) -> Any:
    """Grant applications by status, and money approved and disbursed against the grant budget."""
    title = "Travel grants"
    if not value or not num(value.get("total_applications")):
        return no_data(title, "No travel grant applications yet.")
    states = [
        {"status": str(k).replace("_", " ").capitalize(), "applications": v}
        for k, v in (value.get("by_status") or {}).items()
    ]
    by_status = bars(
        states,
        category="status",
        value="applications",
        title="Applications by status",
        value_title="Applications",
        category_title="Status",
        subtitle=f"{count(value.get('total_applications'))} applications; approval rate "
        f"{percent(value.get('approval_rate'))}",
    )
    budget = num(grant_budget)
    rows = [
        {"label": "Approved", "value": value.get("total_approved")},
        {"label": "Disbursed", "value": value.get("total_disbursed")},
    ]
    for r in rows:
        r.update(target=budget, unit="money", higher_is_better=False, words=BUDGET_TEXT)
    asked = f"{money(value.get('total_requested'))} requested"
    money_chart = bullets(
        rows,
        title="Grant money against the grant budget",
        target_label="Budget",
        words=BUDGET_TEXT,
        subtitle=asked if budget else f"{asked}; no grant budget is set.",
    )
    return _titled(alt.vconcat(by_status, money_chart, spacing=18), title)


# ---------------------------------------------------------------------------------------------
# content, sponsors, finance, feedback


def _counts(mapping: Mapping[str, Any] | None, key: str) -> list[dict[str, Any]]:
    return [{key: (str(k) if k else "(none)"), "n": v} for k, v in (mapping or {}).items() if num(v)]


def content(value: Mapping[str, Any] | None) -> Any:
    """Talks by track, by submission type and by state."""
    title = "Content"
    if not value or not num(value.get("total_talks")):
        return no_data(title, "No talks yet.")
    sub = (
        f"{count(value.get('total_talks'))} talks, {count(value.get('total_rooms'))} rooms, "
        f"{count(value.get('total_schedule_slots'))} schedule slots"
    )
    parts = [
        bars(
            _counts(value.get("by_track"), "track"),
            category="track",
            value="n",
            title="Talks by track",
            value_title="Talks",
            category_title="Track",
            sort="-x",
        ),
        bars(
            _counts(value.get("by_type"), "kind"),
            category="kind",
            value="n",
            title="Talks by submission type",
            value_title="Talks",
            category_title="Type",
            sort="-x",
        ),
        bars(
            _counts(value.get("by_state"), "state"),
            category="state",
            value="n",
            title="Talks by state",
            value_title="Talks",
            category_title="State",
            sort="-x",
        ),
    ]
    return _titled(alt.vconcat(*parts, spacing=18), title, sub)


def sponsor_fulfilment(value: Mapping[str, Any] | None, target: Any = None) -> Any:
    """Share of each sponsor's benefits delivered, against the fulfilment target."""
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
    t = num(target)
    for r in rows:
        r["label"] = f"{r['done']} · {MET_TEXT[status_of(r['rate'], t)]}" if t is not None else r["done"]
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
            alt.Tooltip("level:N", title="Level"),
            _tooltip("completed", "Delivered", "count"),
            _tooltip("pending", "Outstanding", "count"),
        ],
    )


def expenses(value: Mapping[str, Any] | None) -> Any:
    """Spending per category against its budget."""
    title = "Expenses against budget"
    if not value or not (value.get("by_category") or num(value.get("total_expenses"))):
        return no_data(title, "No expenses recorded yet.")
    df = _numeric(_frame(value.get("by_category") or []), "actual", "budget", "variance", "expense_count")
    total = bullet(
        "All expenses",
        value.get("total_expenses"),
        value.get("total_budget"),
        unit="money",
        higher_is_better=False,
        words=BUDGET_TEXT,
        target_label="Budget",
        title="Total spending",
        subtitle=f"{count(value.get('expense_count'))} expenses; variance "
        f"{money(value.get('budget_variance'))} ({percent(value.get('budget_variance_pct'))})",
    )
    if df.empty:
        return total
    df["status"] = [
        status_of(a, b, False) if b else "no target" for a, b in zip(df["actual"], df["budget"], strict=True)
    ]
    df["status_text"] = [BUDGET_TEXT[s] for s in df["status"]]
    df["label"] = [f"{money(a)} · {BUDGET_TEXT[s]}" for a, s in zip(df["actual"], df["status"], strict=True)]
    df["end"] = [max(a or 0, b or 0) for a, b in zip(df["actual"], df["budget"].fillna(0), strict=True)]
    y = alt.Y("name:N", title="Category", sort=list(df["name"]))
    tips = [
        alt.Tooltip("name:N", title="Category"),
        _tooltip("actual", "Spent", "money"),
        _tooltip("budget", "Budget", "money"),
        _tooltip("variance", "Left in budget", "money"),
        alt.Tooltip("status_text:N", title="Against budget"),
    ]
    top = _domain_max(df["end"].max(), headroom=1.45)
    bar = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("actual:Q", axis=_axis("money", "Spent"), scale=alt.Scale(domain=[0, top], nice=False)),
            color=_status_colour("Against budget", BUDGET_TEXT),
            tooltip=tips,
        )
    )
    tick = (
        alt.Chart(df.dropna(subset=["budget"]))
        .mark_tick(color=TARGET, thickness=3, size=BAR_STEP - 4)
        .encode(y=y, x="budget:Q", tooltip=tips)
    )
    text = alt.Chart(df).mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="label:N")
    per_category = _titled(
        alt.layer(bar, tick, text).properties(width=WIDTH - 60, height=_height(len(df))),
        "Spending by category",
        "Dark tick = the category's budget",
    )
    return _titled(alt.vconcat(total, per_category, spacing=18), title)


def event_roi(value: Mapping[str, Any] | None) -> Any:
    """Revenue, expenses and profit, with ROI and margins."""
    title = "Return on investment"
    if not value:
        return no_data(title)
    rows = [
        {"what": "Revenue", "amount": value.get("total_revenue")},
        {"what": "Expenses", "amount": value.get("total_expenses")},
        {"what": "Net profit", "amount": value.get("net_profit")},
    ]
    sub = (
        f"ROI {percent(value.get('roi_pct'))}; net margin {percent(value.get('net_margin_pct'))}; "
        f"cost per attendee {money(value.get('cost_per_attendee'))}; "
        f"revenue per attendee {money(value.get('revenue_per_attendee'))}"
    )
    return bars(
        rows,
        category="what",
        value="amount",
        title=title,
        value_title="Amount",
        unit="money",
        category_title=None,
        sort=[r["what"] for r in rows],
        subtitle=sub,
    )


def nps(value: Mapping[str, Any] | None) -> Any:
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
        tooltip=[_tooltip("share", "Share", "percent")],
    )


def session_ratings(value: Mapping[str, Any] | None) -> Any:
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
    tracks = _numeric(_frame(value.get("by_track") or []), "avg_score", "rating_count")
    if not tracks.empty:
        tracks["label"] = [f"{v:.2f} of 5" for v in tracks["avg_score"]]
    per_track = bars(
        tracks,
        category="track",
        value="avg_score",
        title="Average score by track",
        value_title="Average score (1–5)",
        category_title="Track",
        label="label",
        sort="-x",
        tooltip=[_tooltip("rating_count", "Ratings", "count")],
    )
    average = num(value.get("average_score")) or 0
    sub = f"{count(value.get('total_ratings'))} ratings; average {average:.2f} of 5"
    return _titled(alt.vconcat(spread, per_track, spacing=18), title, sub)


# ---------------------------------------------------------------------------------------------
# sponsors report


def _level_key(name: Any) -> str:
    return str(name or "").strip().lower()


def sponsor_revenue_goal(total: Any, goal: Any) -> Any:
    """Sponsorship revenue against the revenue goal."""
    sub = (
        None
        if num(goal)
        else "No sponsorship revenue goal is set (params/<slug>.yaml: sponsor_goals.revenue)."
    )
    return bullet(
        "Sponsorship revenue",
        total,
        num(goal) or None,
        unit="money",
        title="Sponsorship revenue goal",
        target_label="Goal",
        subtitle=sub,
    )


def sponsor_level_goals(by_level: Sequence[Mapping[str, Any]] | None, goals: Mapping[str, Any] | None) -> Any:
    """Sponsors per level against the target count for that level."""
    title = "Sponsors per level against goals"
    if not by_level:
        return no_data(title, "No sponsor levels yet.")
    wanted = {_level_key(k): num(v) for k, v in (goals or {}).items()}
    rows = []
    for r in by_level:
        goal = wanted.get(_level_key(r.get("level_name")), wanted.get(_level_key(r.get("level_slug"))))
        n = num(r.get("sponsor_count")) or 0
        state = status_of(n, goal) if goal is not None else "no target"
        rows.append(
            {
                "level": r.get("level_name"),
                "sponsors": n,
                "goal": goal,
                "status": state,
                "status_text": MET_TEXT[state],
                "label": f"{int(n)} of {int(goal)} · {MET_TEXT[state]}" if goal is not None else f"{int(n)}",
            }
        )
    df = pd.DataFrame(rows)
    df["end"] = [max(s, g or 0) for s, g in zip(df["sponsors"], df["goal"].fillna(0), strict=True)]
    y = alt.Y("level:N", title="Level", sort=list(df["level"]))
    tips = [
        alt.Tooltip("level:N", title="Level"),
        _tooltip("sponsors", "Sponsors", "count"),
        _tooltip("goal", "Goal", "count"),
        alt.Tooltip("status_text:N", title="Against goal"),
    ]
    top = _domain_max(df["end"].max(), headroom=1.5)
    bar = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "sponsors:Q", axis=_axis("count", "Sponsors"), scale=alt.Scale(domain=[0, top], nice=False)
            ),
            color=_status_colour("Against goal"),
            tooltip=tips,
        )
    )
    tick = (
        alt.Chart(df.dropna(subset=["goal"]))
        .mark_tick(color=TARGET, thickness=3, size=BAR_STEP - 4)
        .encode(y=y, x="goal:Q", tooltip=tips)
    )
    text = alt.Chart(df).mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="label:N")
    sub = (
        "Dark tick = goal for the level"
        if wanted
        else "No per-level goals are set (params/<slug>.yaml: sponsor_goals.levels)."
    )
    return _titled(
        alt.layer(bar, tick, text).properties(width=WIDTH - 60, height=_height(len(df))), title, sub
    )


def sponsor_revenue_by_level(by_level: Sequence[Mapping[str, Any]] | None) -> Any:
    """Sponsorship revenue per level."""
    df = _numeric(_frame(by_level or []), "revenue", "cost", "sponsor_count")
    return bars(
        df,
        category="level_name",
        value="revenue",
        title="Sponsorship revenue by level",
        value_title="Revenue",
        category_title="Level",
        unit="money",
        tooltip=[
            _tooltip("cost", "Price of the level", "money"),
            _tooltip("sponsor_count", "Sponsors", "count"),
        ],
        note="No sponsor levels yet.",
    )


def sponsor_fulfilment_by_level(by_level: Sequence[Mapping[str, Any]] | None, target: Any = None) -> Any:
    """Benefits delivered per level against the fulfilment target."""
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
            _tooltip("completed_benefits", "Delivered", "count"),
            _tooltip("total_benefits", "Benefits", "count"),
        ],
        note="No sponsor benefits yet.",
    )


def sponsor_renewal(value: Mapping[str, Any] | None) -> Any:
    """New and returning sponsors per level, with the renewal rate."""
    title = "Sponsor renewal"
    rows = (value or {}).get("by_level") or []
    if not rows:
        return no_data(title, "No sponsors yet.")
    df = _numeric(_frame(rows), "new", "returning", "total")
    long = df.melt(
        id_vars=["level_name"], value_vars=["returning", "new"], var_name="kind", value_name="sponsors"
    )
    long["kind"] = long["kind"].map({"returning": "Returning", "new": "New"})
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("level_name:N", title="Level", sort=list(df["level_name"])),
            x=alt.X("sum(sponsors):Q", axis=_axis("count", "Sponsors")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Returning", "New"], range=[NEUTRAL, PALETTE[1]]),
            ),
            tooltip=[
                alt.Tooltip("level_name:N", title="Level"),
                alt.Tooltip("kind:N", title="Sponsor"),
                alt.Tooltip("sponsors:Q", title="Sponsors", format=","),
            ],
        )
        .properties(width=WIDTH, height=_height(len(df)))
    )
    sub = (
        f"Renewal rate {percent(value.get('renewal_rate'))}: "
        f"{count(value.get('returning_count'))} returning, "
        f"{count(value.get('new_count'))} new of {count(value.get('current_sponsor_count'))}"
    )
    return _titled(chart, title, sub)


def outstanding_benefits(by_sponsor: Sequence[Mapping[str, Any]] | None) -> Any:
    """Benefits not yet delivered, per sponsor."""
    title = "Outstanding benefits per sponsor"
    rows = [r for r in by_sponsor or [] if num(r.get("pending"))]
    if not by_sponsor:
        return no_data(title, "No sponsors yet.")
    if not rows:
        return no_data(title, "Every sponsor benefit is delivered.")
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
        tooltip=[alt.Tooltip("level:N", title="Level"), _tooltip("completed", "Delivered", "count")],
    )


# ---------------------------------------------------------------------------------------------
# cross-event report


def _per_conference(
    df: pd.DataFrame,
    value: str,
    *,
    title: str,
    unit: str,
    target: str | None = None,
    target_name: str = "Target",
    words: Mapping[str, str] = MET_TEXT,
) -> Any:
    """One value per conference (x in date order, colour by series), with per-conference targets as ticks."""
    d = df.copy()
    if value not in d or d[value].isna().all():
        return no_data(title)
    order = list(d["name"])
    tips = [
        alt.Tooltip("name:N", title="Conference"),
        alt.Tooltip("series:N", title="Series"),
        _tooltip(value, title, unit),
    ]
    layers: list[Any] = []
    x = alt.X("name:N", title="Conference", sort=order, axis=alt.Axis(labelAngle=-30))
    upcoming = (
        d["upcoming"].fillna(False).astype(bool) if "upcoming" in d else pd.Series(False, index=d.index)
    )
    if target and target in d and d[target].notna().any():
        # an edition that has not started yet is not judged against its target
        words = {**words, "no target": "no target or not held yet"}
        d["status"] = [
            "no target" if (not t or soon) else status_of(v, t)
            for v, t, soon in zip(d[value], d[target], upcoming, strict=True)
        ]
        d["status_text"] = [words[s] for s in d["status"]]
        d["label"] = [
            fmt(v, unit) + (" · not held yet" if soon else f" · {words[s]}" if s != "no target" else "")
            for v, s, soon in zip(d[value], d["status"], upcoming, strict=True)
        ]
        tips += [
            _tooltip(target, target_name, unit),
            alt.Tooltip("status_text:N", title=f"Against {target_name}"),
        ]
        layers.append(
            alt.Chart(d)
            .mark_bar(size=26)
            .encode(
                x=x,
                y=alt.Y(f"{value}:Q", axis=_axis(unit, title)),
                color=_status_colour(f"Against {target_name}", words, d["status"]),
                tooltip=tips,
            )
        )
        layers.append(
            alt.Chart(d.dropna(subset=[target]))
            .mark_tick(color=TARGET, thickness=3, size=34)
            .encode(x=x, y=f"{target}:Q", tooltip=tips)
        )
        subtitle = f"Dark tick = {target_name.lower()} for that conference"
    else:
        d["label"] = [fmt(v, unit) for v in d[value]]
        layers.append(
            alt.Chart(d)
            .mark_bar(size=26)
            .encode(
                x=x,
                y=alt.Y(f"{value}:Q", axis=_axis(unit, title)),
                color=alt.Color("series:N", title="Series"),
                tooltip=tips,
            )
        )
        subtitle = None
    layers.append(
        alt.Chart(d)
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y=f"{value}:Q", text="label:N")
    )
    chart = alt.layer(*layers).properties(width=max(WIDTH, 70 * len(d)), height=220)
    return _titled(chart, title, subtitle)


def growth(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendance, revenue, sponsors and talks across every conference."""
    df = _numeric(
        _frame(rows), "attendance", "revenue", "sponsors", "talks", "target_attendance", "revenue_budget"
    )
    if df.empty:
        return no_data("Growth across conferences")
    return alt.vconcat(
        _per_conference(
            df,
            "attendance",
            title="Attendance",
            unit="count",
            target="target_attendance",
            target_name="Attendance target",
        ),
        _per_conference(
            df,
            "revenue",
            title="Revenue from paid orders",
            unit="money",
            target="revenue_budget",
            target_name="Revenue budget",
            words={**MET_TEXT, "met": "budget reached", "missed": "below budget"},
        ),
        _per_conference(df, "sponsors", title="Sponsors", unit="count"),
        _per_conference(df, "talks", title="Talks", unit="count"),
        spacing=24,
        title=alt.TitleParams("Growth across conferences", subtitle="Oldest first"),
    ).resolve_scale(color="independent")


def retention(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Returning and new attendees per conference."""
    title = "Returning and new attendees"
    df = _numeric(_frame(rows), "returning", "new", "retention_rate")
    if df.empty or not (df["returning"].fillna(0) + df["new"].fillna(0)).any():
        return no_data(title)
    long = df.melt(
        id_vars=["name", "retention_rate"],
        value_vars=["returning", "new"],
        var_name="kind",
        value_name="attendees",
    )
    long["kind"] = long["kind"].map({"returning": "Returning", "new": "New"})
    x = alt.X("name:N", title="Conference", sort=list(df["name"]), axis=alt.Axis(labelAngle=-30))
    stacked = (
        alt.Chart(long)
        .mark_bar(size=26)
        .encode(
            x=x,
            y=alt.Y("sum(attendees):Q", axis=_axis("count", "Attendees")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Returning", "New"], range=[NEUTRAL, PALETTE[1]]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Conference"),
                alt.Tooltip("kind:N", title="Attendee"),
                alt.Tooltip("attendees:Q", title="Attendees", format=","),
                _tooltip("retention_rate", "Retention rate", "percent"),
            ],
        )
    )
    df["total"] = df["returning"].fillna(0) + df["new"].fillna(0)
    df["label"] = [f"{percent(r)} returning" for r in df["retention_rate"]]
    text = (
        alt.Chart(df)
        .mark_text(dy=-6, baseline="bottom", fontSize=10)
        .encode(x=x, y="total:Q", text="label:N")
    )
    chart = alt.layer(stacked, text).properties(width=max(WIDTH, 70 * len(df)), height=240)
    return _titled(chart, title, "Returning = attended an earlier conference in this database")


def return_rates(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Attendee retention, sponsor renewal and speaker return rates per conference."""
    title = "Who comes back: attendees, sponsors, speakers"
    df = _numeric(_frame(rows), "retention_rate", "renewal_rate", "speaker_return_rate")
    if df.empty:
        return no_data(title)
    names = {
        "retention_rate": "Attendee retention",
        "renewal_rate": "Sponsor renewal",
        "speaker_return_rate": "Speaker return",
    }
    long = df.melt(id_vars=["name"], value_vars=list(names), var_name="measure", value_name="rate")
    long["measure"] = long["measure"].map(names)
    long = long.dropna(subset=["rate"])
    if long.empty:
        return no_data(title)
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("name:N", title="Conference", sort=list(df["name"]), axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("rate:Q", axis=_axis("percent", "Rate"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("measure:N", title=None),
            tooltip=[
                alt.Tooltip("name:N", title="Conference"),
                alt.Tooltip("measure:N", title="Measure"),
                _tooltip("rate", "Rate", "percent"),
            ],
        )
        .properties(width=max(WIDTH, 70 * len(df)), height=240)
    )
    return _titled(
        chart, title, "Share of this year's attendees, sponsors and speakers seen at an earlier conference"
    )


def lifetime_value(value: Mapping[str, Any] | None) -> Any:
    """Top attendees by total spent across every conference (usernames only, no e-mail addresses)."""
    title = "Attendee lifetime value: top spenders"
    users = (value or {}).get("top_users") or []
    if not users:
        return no_data(title, "No orders yet.")
    df = _numeric(_frame(users), "total_spent", "order_count", "conferences_attended")
    df = df[["username", "total_spent", "order_count", "conferences_attended"]]
    sub = (
        f"{count(value.get('total_users_with_orders'))} people with orders; average "
        f"{money(value.get('avg_ltv'))}, highest {money(value.get('max_ltv'))}, "
        f"lowest {money(value.get('min_ltv'))}"
    )
    return bars(
        df,
        category="username",
        value="total_spent",
        title=title,
        value_title="Total spent",
        category_title="Attendee",
        unit="money",
        sort="-x",
        subtitle=sub,
        tooltip=[
            _tooltip("order_count", "Orders", "count"),
            _tooltip("conferences_attended", "Conferences attended", "count"),
        ],
    )

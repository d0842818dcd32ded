"""The packet as typst markup. Every text that comes from the database or params goes in through `lit`
(a typst string literal), never as raw markup: names can hold any character."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import charts
from ..metrics import phase as phases
from ..reports.header import in_words
from .build import PAPERS, TYPST_PAPER
from .content import Edition, Packet, Trend
from .figures import ChartCache, Svg, key_charts, sponsor_charts, trend_charts

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.7, 56.7, 68.0  # 2 cm, 2 cm, 2.4 cm
ROOM_FOR_HEADING = 70.0  # points kept free above a chart scaled to the page's height
SUMMARY_COLUMNS = 4  # editions side by side on the cover; more continue in a second table
MONEY_NOTE = (
    "Money terms as docs/metrics.md defines them: total income = net ticket revenue + add-ons + "
    "sponsorship; surplus = total income − spending; per attendee = ÷ registered attendees. Budgets: "
    "income = revenue budget + the sponsorship goal of params, judged only when each stream of income "
    "has its budget; spending = the expense categories' budgets."
)
NO_PREVIOUS = "No earlier edition of this series in the database: no change to show."
CAME_BACK = (
    "Came back: the share of an edition's attendees who attended the previous edition of the series "
    "(series_retention); n/a for a first edition, not yet before it runs."
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}

# The scorecard's terms, as docs/metrics.md defines them.
TERMS = {
    "attendance": "registered attendees: the conference's attendee records, made when an order is paid "
    "(comp orders included).",
    "total_income": "net ticket revenue + add-ons + sponsorship (the active sponsors' level cost); "
    "judged against the income budget (revenue budget + the sponsorship goal of params), only when "
    "each stream of income has its budget.",
    "surplus": "total income − total expenses (negative: a deficit); judged against the budgeted surplus "
    "(income budget − expense budget), only when both budgets are set.",
    "revenue_per_attendee": "django-program's net revenue ÷ registered attendees (no sponsorship); the "
    "figure its revenue-per-attendee target is set for.",
    "conversion_rate": "carts that became paid orders, as a share of all carts.",
    "checkin_rate": "registered attendees checked in at least once, as a share of all registered attendees.",
    "fulfillment_rate": "sponsor benefits delivered, as a share of all benefits promised.",
    "refund_rate": "money refunded as a share of paid order totals; lower is better (a limit).",
}
STATUS_NOTE = (
    "Against target: met or missed; within or over limit where lower is better; no target; "
    "n/a (nothing to compute); not yet (cannot be judged in this phase: check-in, sponsor fulfilment, "
    "attendance, total income and surplus are judged once the edition runs)."
)


def lit(value: object) -> str:
    """`value` as a typst string literal: safe for any text (quotes, backslashes, markup characters,
    control characters and lone surrogates, which become U+FFFD)."""
    out = ['"']
    for ch in str(value):
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{{{code:x}}}" if code else "\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def t(value: object) -> str:
    """`value` as text inside markup (an embedded string, ended by `;` so nothing after it binds)."""
    return f"#{lit(value)};"


def status_markup(state: str | None, words: str | None = None, size: str | None = None) -> str:
    """A status as words, marked ✓ / ✗ and coloured: readable in black and white too."""
    state = state or "no target"
    text = words or state
    styled = {"met": f"met({lit('✓ ' + text)})", "missed": f"missed({lit('✗ ' + text)})"}.get(
        state, f"muted({lit(text)})")
    return f"#text(size: {size}, {styled})" if size else f"#{styled}"


def cell(*lines: str) -> str:
    """A table cell of markup lines (already escaped), one under the other."""
    return "[" + " \\ ".join(line for line in lines if line) + "]"


def table(columns: Sequence[tuple[str, str, str]], rows: Iterable[Sequence[str]], size: str = "9pt") -> str:
    """A typst table: columns (heading, width, align) and rows of cells (from `cell`)."""
    widths = ", ".join(w for _, w, _ in columns)
    aligns = ", ".join(a for _, _, a in columns)
    head = ", ".join(f"[*{t(h)}*]" for h, _, _ in columns)
    body = ",\n  ".join(", ".join(r) for r in rows)
    return (
        f"#block(width: 100%)[#set text(size: {size})\n#table(\n  columns: ({widths},),\n"
        f"  align: ({aligns},),\n  table.header({head}),\n  {body}\n)]\n"
    )


_PREAMBLE = """\
#set document(title: {title}, author: {author})
#set page(paper: {paper}, margin: (x: {mx}pt, top: {mt}pt, bottom: {mb}pt),
  header: context {{ if here().page() > 1 [
    #set text(size: 8pt, fill: luma(90))
    #grid(columns: (1fr, auto), {org_t}, [Board packet])
  ] }},
  footer: context [
    #set text(size: 8pt, fill: luma(90))
    #grid(columns: (1fr, auto), [Generated {generated} · data source {source}],
      [Page #counter(page).display("1 of 1", both: true)])
  ])
#set text(font: ("Liberation Sans", "DejaVu Sans", "Libertinus Serif"), size: 10pt, lang: "en")
#set par(justify: false)
#set table(stroke: (x, y) => (bottom: 0.5pt + luma(200)), inset: (x: 4pt, y: 3.5pt))
#show table.cell.where(y: 0): set text(fill: luma(40))
#show heading.where(level: 1): it => block(below: 10pt, text(size: 15pt, weight: "bold", it.body))
#show heading.where(level: 2): it => block(above: 12pt, below: 6pt, text(size: 11.5pt, weight: "bold",
  it.body))
#let muted(body) = text(fill: luma(80), body)
#let small(body) = text(size: 7.5pt, fill: luma(80), body)
#let met(body) = text(fill: rgb("#2e7d32"), weight: "bold", body)
#let missed(body) = text(fill: rgb("#c62828"), weight: "bold", body)
"""


@dataclass(frozen=True)
class _Chart:
    """A chart waiting to be drawn (they are drawn together, in threads, by `Document.markup`)."""

    chart: Any


@dataclass
class Document:
    """The markup and the chart files it draws (name -> SVG text)."""

    paper: str = "a4"
    parts: list[str | _Chart] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    drawn: ChartCache = field(default_factory=lambda: ChartCache(None))  # charts drawn in earlier packets

    @property
    def text_width(self) -> float:
        return PAPERS[self.paper][0] - 2 * MARGIN_X

    @property
    def text_height(self) -> float:
        return PAPERS[self.paper][1] - MARGIN_TOP - MARGIN_BOTTOM

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def chart(self, chart: Any) -> None:
        """A chart, drawn as vector SVG at its natural size or smaller: never wider than the text nor
        taller than a page leaves under a heading."""
        self.parts.append(_Chart(chart))

    def new_page(self, heading: str) -> None:
        self.add(f"#pagebreak(weak: true)\n= {t(heading)}\n")

    def markup(self) -> str:
        """The whole markup, every chart drawn (`files` filled)."""
        from concurrent.futures import ThreadPoolExecutor

        pending = [p.chart for p in self.parts if isinstance(p, _Chart)]
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            drawn = iter(list(pool.map(self.drawn.draw, pending)))
        return "".join(p if isinstance(p, str) else self._placed(p.chart, next(drawn)) for p in self.parts)

    @property
    def _room(self) -> float:
        return self.text_height - ROOM_FOR_HEADING

    def _scale(self, svg: Svg) -> float:
        return min(1.0, self.text_width / svg.width)

    def _placed(self, chart: Any, svg: Svg) -> str:
        """The markup of a drawn chart; a stack of charts too tall for a page goes chart by chart."""
        if chart.vconcat and svg.height * self._scale(svg) > self._room:
            heading = _title_text(chart)  # the stack's own title would be lost with it
            lead = f"#block(above: 10pt, below: 4pt)[*{t(heading)}*]\n" if heading else ""
            return lead + "".join(self._placed(part, self.drawn.draw(part)) for part in chart.vconcat)
        name = f"chart-{len(self.files) + 1}.svg"
        self.files[name] = svg.text
        width = svg.width * self._scale(svg)
        if svg.height * width / svg.width > self._room:
            width = self._room * svg.width / svg.height
        return (f'#block(breakable: false, above: 10pt, below: 14pt, '
                f'image("{name}", width: {width:.1f}pt))\n')


def _title_text(chart: Any) -> str | None:
    """A chart's title as plain text (its subtitle after a colon), None without one."""
    title = chart.title
    if title is None or isinstance(title, str):
        return title
    lines = (title.get("text"), title.get("subtitle"))
    parts = [" ".join(x) if isinstance(x, list) else x for x in lines if x]
    return ": ".join(str(x) for x in parts) or None


def build(packet: Packet, paper: str = "a4", drawn: ChartCache | None = None) -> Document:
    """The whole packet: cover and summary, scorecards, key charts, trends, sponsors; `drawn`: charts
    drawn for earlier packets."""
    doc = Document(paper=paper, drawn=drawn or ChartCache(None))
    doc.add(_PREAMBLE.format(
        title=lit(f"Board packet: {packet.organisation}"),
        author=lit(packet.organisation),
        paper=lit(TYPST_PAPER[paper]),
        mx=MARGIN_X, mt=MARGIN_TOP, mb=MARGIN_BOTTOM,
        org_t=cell(t(packet.organisation)),
        generated=t(in_words(packet.generated_at)),
        source=t(packet.source),
    ))
    cover(doc, packet)
    for e in packet.editions:
        scorecard_page(doc, e)
    for e in packet.editions:
        doc.new_page(f"{e.conference.name}: key charts")
        for chart in key_charts(e):
            doc.chart(chart)
    for trend in packet.trends:
        trend_page(doc, trend)
    for e in packet.editions:
        sponsor_page(doc, e)
    return doc


def phase_text(e: Edition) -> str:
    """Where the edition stands, in words."""
    p = e.phase
    days = p.get("days_to_start")
    state = p.get("phase")
    c = e.conference
    if state == phases.OVER:
        return f"over: ended {c.end_date.day} {c.end_date:%B %Y}"
    if state == phases.RUNNING:
        return "running: figures still coming in"
    return f"{state}: starts {c.start_date.day} {c.start_date:%B %Y}, in {days} days"


def phase_short(e: Edition) -> str:
    """The phase in a few words, for the cover's table."""
    state, days = e.phase.get("phase"), e.phase.get("days_to_start")
    if state in (phases.BEFORE_SALES, phases.ON_SALE):
        return f"{state}, {days} days to go"
    return str(state)


def _money(value: Any) -> str:
    return charts.money(value)


def _against(e: Edition, key: str, budget_word: str) -> list[str]:
    """The lines under a summary figure: the KPI's target, then its status."""
    return against(e.kpi(key), budget_word)


def against(k: Mapping[str, Any] | None, word: str) -> list[str]:
    """A KPI row's target ("budget $1,000.00") and status, as two small lines of markup."""
    if k is None:
        return []
    status = status_markup(k.get("status"), k.get("status_text"), "8pt")
    if k.get("target") is None:
        why = charts.target_source_text(k)
        return [f"#small({lit(why)})", status] if why else [status]
    return [f"#small({lit(word + ' ' + charts.fmt(k['target'], k.get('unit', 'count')))})", status]


def summary_rows(e: Edition) -> list[tuple[str, str]]:
    """(label, cell) per line of an edition's column on the cover."""
    i = e.income
    attendance = e.kpi("attendance") or {}
    rows = [
        ("Phase", cell(t(phase_short(e)))),
        ("Net ticket revenue", cell(t(_money(i.get("ticket_sales_net"))))),
        ("Add-ons", cell(t(_money(i.get("addons"))))),
        ("Sponsorship", cell(t(_money(i.get("sponsorship"))))),
        ("Total income", cell(f"*{t(_money(i.get('total_income')))}*",
                              *_against(e, "total_income", "budget"))),
        ("Spending", cell(
            f"*{t(_money(i.get('total_expenses')))}*",
            f"#small({lit('budget ' + _money(i.get('expense_budget')))})"
            if i.get("expense_budget") is not None else f"#small({lit('no budget')})",
        )),
        ("Surplus or deficit", cell(f"*{t(_money(i.get('surplus')))}*", *_against(e, "surplus", "budgeted"))),
        ("Cost per attendee", cell(t(_money(i.get("cost_per_attendee"))))),
        ("Income per attendee", cell(t(_money(i.get("income_per_attendee"))))),
        ("Attendance", cell(
            f"*{t(charts.count(attendance.get('value')))}*", *_against(e, "attendance", "target"),
        )),
    ]
    if e.forecast:
        rows.append(("Forecast outturn", cell(*(t(line) for line in e.forecast))))
    return rows


def cover(doc: Document, packet: Packet) -> None:
    """Page 1: who, which conferences, when, from what; then each edition's money and attendance."""
    doc.add('#text(size: 22pt, weight: "bold")[Board packet]\n\n')
    doc.add(f"#text(size: 14pt)[{t(packet.organisation)}]\n\n")
    covered = [f"{e.conference.name} ({phase_text(e)})" for e in packet.editions]
    doc.add(
        f"#muted[Figures as of {t(f'{packet.as_of.day} {packet.as_of:%B %Y}')} · data source "
        f"{t(packet.source)} · generated {t(in_words(packet.generated_at))}]\n\n"
    )
    doc.add("*Conferences covered:* " + "; ".join(t(c) for c in covered) + "\n\n")
    doc.add("== Summary\n")
    editions = packet.editions
    for start in range(0, len(editions), SUMMARY_COLUMNS):
        chunk = editions[start:start + SUMMARY_COLUMNS]
        columns = [("", "1.15fr", "left")] + [(e.conference.name, "1fr", "right") for e in chunk]
        per = [summary_rows(e) for e in chunk]
        rows = []
        for n, (label, _) in enumerate(per[0]):
            rows.append([cell(f"*{t(label)}*")] + [p[n][1] if n < len(p) else "[]" for p in per])
        extra = max(len(p) for p in per)
        for n in range(len(per[0]), extra):  # a forecast row only some columns have
            label = next(p[n][0] for p in per if len(p) > n)
            rows.append([cell(f"*{t(label)}*")] + [p[n][1] if len(p) > n else "[]" for p in per])
        doc.add(table(columns, rows, size="8.5pt"))
    for e in editions:
        if e.outlook:
            said = " ".join(t(line) for line in e.outlook)
            doc.add(f"*{t(e.conference.name + ' outlook:')}* {said}\n\n")
    doc.add(f"#small({lit(STATUS_NOTE)})\n\n")
    doc.add(f"#small({lit(MONEY_NOTE)})\n")


def scorecard_page(doc: Document, e: Edition) -> None:
    """One edition's scorecard: value, target (and where it comes from), status in words, change."""
    doc.new_page(f"{e.conference.name}: scorecard")
    doc.add(f"#muted[{t(phase_text(e))}]\n\n")
    for note in e.report.notes:
        doc.add(f"#muted(emph({lit(note)}))\n\n")
    prev = e.previous_name
    change = f"Change vs {prev}" if prev else "Change vs previous year"
    columns = [("KPI", "2fr", "left"), ("Value", "1fr", "right"), ("Target", "1.1fr", "right"),
               ("Against target", "1fr", "left"), (change, "1.1fr", "right")]
    rows = []
    for r in e.scorecard():
        unit, state = r.get("unit", "count"), r.get("status", "no target")
        value = "n/a" if state == "n/a" else charts.fmt(r.get("value"), unit)
        target = charts.fmt(r.get("target"), unit) if r.get("target") is not None else "none set"
        origin = charts.target_source_text(r)
        rows.append([
            cell(t(r["label"])),
            cell(f"*{t(value)}*"),
            cell(t(target), f"#small({lit(origin)})" if origin else ""),
            cell(status_markup(state, r.get("status_text"))),
            cell(t(r["change"])),
        ])
    doc.add(table(columns, rows, size="9.5pt"))
    if e.report.previous is None:
        doc.add(f"#muted(emph({lit(NO_PREVIOUS)}))\n\n")
    doc.add("== Terms\n")
    doc.add(f"#small({lit(STATUS_NOTE)})\n\n")
    labels = {r["key"]: r["label"] for r in e.scorecard()}
    for key, text in TERMS.items():
        if key in labels:
            doc.add(f"- #text(size: 8.5pt)[*{t(labels[key])}*: {t(text)}]\n")
    doc.add("\n")


def _retention(entry: Mapping[str, Any]) -> str:
    rate = entry.get("retention_rate")
    if rate is not None:
        return t(charts.percent(rate))
    return f"#muted({lit(entry.get('status') or 'n/a')})"


def trend_page(doc: Document, trend: Trend) -> None:
    """A series across its editions: attendance, income, surplus (each against its target) and retention."""
    doc.new_page(f"{trend.title}: trends across editions")
    columns = [("Edition", "1.4fr", "left"), ("Attendance", "1fr", "right"),
               ("Total income", "1.3fr", "right"), ("Surplus or deficit", "1.3fr", "right"),
               ("Came back from the last edition", "1fr", "right")]
    rows = []
    for row in trend.rows:
        r = trend.reports[row["slug"]]
        kpis = {k["key"]: k for k in charts.scorecard_rows(r.kpis)}

        def figure(key: str, word: str, kpis: Mapping[str, Any] = kpis) -> str:
            k = kpis.get(key)
            value = charts.fmt((k or {}).get("value"), (k or {}).get("unit", "count"))
            return cell(f"*{t(value)}*", *against(k, word))

        rows.append([
            cell(t(row["name"]), f"#small({lit(row['start_date'])})"),
            figure("attendance", "target"),
            figure("total_income", "budget"),
            figure("surplus", "budgeted"),
            cell(_retention(trend.retention.get(row["slug"]) or {})),
        ])
    doc.add(table(columns, rows, size="9pt"))
    doc.add(f"#small({lit(CAME_BACK)})\n\n")
    for chart in trend_charts(trend):
        doc.chart(chart)


def sponsor_page(doc: Document, e: Edition) -> None:
    """Sponsorship revenue and sponsors per level against the goals of params; outstanding benefits."""
    s = e.sponsors
    doc.new_page(f"{e.conference.name}: sponsors")
    goals = s.goal_rows()
    doc.add("== Against the goals\n")
    if goals:
        columns = [("Goal", "2.2fr", "left"), ("Now", "1fr", "right"), ("Target", "1fr", "right"),
                   ("Progress", "0.8fr", "right"), ("Against goal", "0.9fr", "left")]
        rows = [[
            cell(t(g["goal"])),
            cell(f"*{t(charts.fmt(g.get('value'), g.get('unit', 'count')))}*"),
            cell(t(charts.fmt(g.get("target"), g.get("unit", "count")))),
            cell(t(charts.percent(g.get("progress")))),
            cell(status_markup(g.get("status"))),
        ] for g in goals]
        doc.add(table(columns, rows))
    else:
        doc.add(f"#muted({lit('No sponsor goals are set (params/<slug>.yaml).')})\n\n")
    analytics = s["sponsor_analytics"] or {}
    levels = analytics.get("by_level") or []
    doc.add("== Per level\n")
    if levels:
        columns = [("Level", "1.6fr", "left"), ("Price", "1fr", "right"), ("Sponsors", "0.8fr", "right"),
                   ("Revenue", "1.1fr", "right"), ("Benefits", "0.8fr", "right"),
                   ("Delivered", "0.8fr", "right")]
        rows = [[
            cell(t(lv.get("level_name"))),
            cell(t(charts.money(lv.get("cost")))),
            cell(t(charts.count(lv.get("sponsor_count")))),
            cell(f"*{t(charts.money(lv.get('revenue')))}*"),
            cell(t(charts.count(lv.get("total_benefits")))),
            cell(t(charts.count(lv.get("completed_benefits")))),
        ] for lv in levels]
        doc.add(table(columns, rows))
    else:
        doc.add(f"#muted({lit('No sponsor levels yet.')})\n\n")
    for chart in sponsor_charts(e):
        doc.chart(chart)
    fulfilment = s["sponsor_benefit_fulfillment"] or {}
    outstanding = sorted((x for x in fulfilment.get("by_sponsor") or [] if x.get("pending")),
                         key=lambda x: -x["pending"])
    doc.add("== Outstanding benefits\n")
    if outstanding:
        columns = [("Sponsor", "2fr", "left"), ("Level", "1.2fr", "left"), ("Outstanding", "0.9fr", "right"),
                   ("Delivered", "0.9fr", "right"), ("Benefits", "0.9fr", "right")]
        rows = [[
            cell(t(x.get("sponsor_name"))),
            cell(t(x.get("level"))),
            cell(f"*{t(charts.count(x.get('pending')))}*"),
            cell(t(charts.count(x.get("completed")))),
            cell(t(charts.count(x.get("total")))),
        ] for x in outstanding]
        doc.add(table(columns, rows))
    else:
        doc.add(f"#muted({lit(charts.nothing_outstanding(fulfilment.get('total_benefits')))})\n\n")

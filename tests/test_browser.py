"""A real browser, offline: headless Chromium loads generated reports with every host unresolvable;
every chart must hold a drawn <svg>/<canvas> and no error text may show. At 390 px (a phone) nothing
scrolls sideways and charts keep their text size; printed, no heading ends a page.

Headless Chromium lays a window out at 500 px at least, so a phone's width is an iframe of that width
in a wrapper page (`phone_frame`); the wrapper reads the page's DOM (--allow-file-access-from-files).

Skipped when Chromium is absent, except under CI (env CI set), where that is a failure.
Install: `make browser` (apt-get install chromium).
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_runner import build_reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).resolve().parents[1] / "output" / "screenshots"

PAGES = (
    "python-2077/conference.html",
    "python-2077/sponsors.html",
    "python-2075/conference.html",
    "cross-event.html",
)
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)
ERROR_WORDS = ("Error", "Chart failed to draw", "Chart library missing")
PHONE = (390, 844)
OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=20000"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chromium-headless-shell"):
        if path := shutil.which(name):
            return path
    if os.environ.get("CI"):
        pytest.fail("headless Chromium is required under CI (make browser)")
    pytest.skip("headless Chromium is not installed (make browser)")


class Dom(HTMLParser):
    """Chart divs (id vl-...) with the tags drawn inside them, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.charts: dict[str, set[str]] = {}
        self.chart_text: dict[str, str] = {}
        self.visible: list[str] = []

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id") or ""
        chart = ident if ident.startswith("vl-") else None
        if chart:
            self.charts.setdefault(chart, set())
        for _, owner in self.stack:
            if owner:
                self.charts[owner].add(tag)
        if tag not in VOID:
            self.stack.append((tag, chart))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(t in ("script", "style") for t, _ in self.stack):
            return
        self.visible.append(data)
        for _, owner in self.stack:
            if owner:
                self.chart_text[owner] = self.chart_text.get(owner, "") + data


def dump_dom(browser: str, pages: list[Path]) -> dict[Path, str]:
    """Each page's DOM after scripts ran, loaded with no network (every host fails to resolve)."""
    runs = {}
    for page in pages:
        profile = tempfile.mkdtemp(prefix="cr-chromium-")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=20000",
            "--dump-dom",
            page.as_uri(),
        ]
        runs[page] = (
            profile,
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True),
        )
    doms = {}
    for page, (profile, proc) in runs.items():
        out, _ = proc.communicate(timeout=120)
        shutil.rmtree(profile, ignore_errors=True)
        assert proc.returncode == 0, f"chromium failed on {page}"
        doms[page] = out
    return doms


def test_reports_render_every_chart_offline():
    browser = chromium()
    built = build_reports()
    assert built.code == 0, built.stdout + built.stderr
    pages = [built.out / p for p in PAGES]
    for page, dom in dump_dom(browser, pages).items():
        parsed = Dom()
        parsed.feed(dom)
        assert parsed.charts, f"{page}: no charts found"
        blank = [c for c, tags in parsed.charts.items() if not tags & {"svg", "canvas"}]
        assert not blank, f"{page}: charts not drawn: {blank} {[parsed.chart_text.get(c) for c in blank]}"
        text = " ".join(parsed.visible)
        assert not [w for w in ERROR_WORDS if w in text], f"{page}: error text shown"


def test_index_page_loads_offline():
    browser = chromium()
    built = build_reports()
    dom = dump_dom(browser, [built.out / "index.html"])[built.out / "index.html"]
    assert "Conference reports" in dom and "python-2077/conference.html" in dom
    assert "Error" not in dom


def test_printed_report_holds_the_scorecard_on_page_one(tmp_path):
    """Chromium's "Save as PDF": page 1 of the conference report holds the header and the scorecard."""
    browser = chromium()
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: `make browser` installs poppler-utils")
    built = build_reports()
    pdf = tmp_path / "report.pdf"
    profile = tempfile.mkdtemp(prefix="cr-chromium-")
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=20000", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", (built.out / "python-2077" / "conference.html").as_uri()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=True,
    )
    shutil.rmtree(profile, ignore_errors=True)
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Python 2077: conference report" in first
    for label in ("Headline KPIs", "Attendance", "Check-in rate", "Refund rate"):  # first and last rows
        assert label in first, f"{label!r} is not on page 1"
    SHOTS.mkdir(parents=True, exist_ok=True)  # for people to look at
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "70", "-png", "-singlefile", str(pdf),
                    str(SHOTS / "conference-printed-page-1")], check=True, timeout=60)


def test_first_screens_are_saved_for_people_to_look_at(tmp_path):
    """Each report's first screen at desktop width and at 390 px, under output/screenshots/."""
    browser = chromium()
    built = build_reports()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for page in PAGES:
        for width, height in ((1280, 900), PHONE):
            shot = SHOTS / f"{page.replace('/', '-').removesuffix('.html')}-{width}.png"
            target = built.out / page
            if width < 500:  # below the window's minimum: the page in an iframe that wide
                folder = tmp_path / f"frame-{width}-{page.replace('/', '-')}"
                target = phone_frame(folder, target, width, height)
            profile = tempfile.mkdtemp(prefix="cr-chromium-")
            subprocess.run(
                [browser, *OFFLINE, f"--user-data-dir={profile}", "--hide-scrollbars",
                 f"--window-size={width},{height}", f"--screenshot={shot}", target.as_uri()],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=True,
            )
            shutil.rmtree(profile, ignore_errors=True)
            assert shot.stat().st_size > 10_000, shot


# ---------------------------------------------------------------------------------------------
# a phone's width


MEASURE = """
<script>
// Once every chart drew (or after 15 s of the page's time), what the page looks like at this width.
function frame() { return document.getElementById("page").contentDocument; }
function measure(tries) {
  var d = frame();
  if (!d || d.readyState !== "complete") return setTimeout(measure, 200, tries - 1);
  var charts = [].slice.call(d.querySelectorAll(".cr-chart"));
  var waiting = charts.filter(function (c) {
    return !c.querySelector("svg, canvas") && !/failed|missing/.test(c.textContent);
  });
  if (waiting.length && tries > 0) return setTimeout(measure, 200, tries - 1);
  setTimeout(function () {  // crFitChart narrows after the first draw
    var vw = d.documentElement.clientWidth, out = [];
    charts.forEach(function (c) {
      var svg = c.querySelector("svg"), box = c.getBoundingClientRect();
      var cell = c.closest(".jp-Cell"), h2 = null;
      for (var p = cell && cell.previousElementSibling; p && !h2; p = p.previousElementSibling) {
        h2 = p.querySelector("h2");
        if (p.querySelector(".cr-chart")) break;
      }
      var first = cell && cell.querySelector(".cr-chart") === c;
      var title = svg && [].filter.call(svg.querySelectorAll(".role-title-text text"), function (t) {
        return !t.closest(".role-scope");  // the chart's own title, not a part's
      })[0];
      out.push({
        id: c.id, svg: !!svg, right: box.right,
        drawn: svg ? svg.getBoundingClientRect().width : 0,
        natural: svg ? parseFloat(svg.getAttribute("width")) : 0,
        title: title ? title.textContent : null,
        section: first && h2 && h2.firstChild ? h2.firstChild.textContent.trim() : null,
      });
    });
    var pre = document.createElement("pre");
    pre.id = "measured";
    pre.textContent = JSON.stringify({
      width: d.defaultView.innerWidth, scrollWidth: d.documentElement.scrollWidth, clientWidth: vw,
      scorecard: [].map.call(d.querySelectorAll("table.cr-scorecard td"), function (td) {
        return td.getBoundingClientRect().right;
      }),
      boxes: [].map.call(d.querySelectorAll(".jp-OutputArea-child > .jp-OutputArea-output"), function (box) {
        var next = box.nextElementSibling;
        return { over: box.scrollWidth > box.clientWidth + 2,
                 hinted: !!next && next.classList.contains("cr-scroll-hint") };
      }),
      charts: out,
    });
    document.body.appendChild(pre);
  }, 1000);
}
window.addEventListener("load", function () { measure(75); });
</script>
"""


def phone_frame(folder: Path, page: Path, width: int, height: int, script: str = "") -> Path:
    """A wrapper page holding `page` in an iframe `width` x `height` px (the page's own viewport)."""
    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "frame.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>frame</title></head><body style="margin:0">'
        f'<iframe id="page" src="{html_lib.escape(page.as_uri())}" '
        f'style="border:0;display:block;width:{width}px;height:{height}px"></iframe>{script}</body></html>',
        encoding="utf-8",
    )
    return wrapper


def measure_at(browser: str, page: Path, folder: Path, width: int, height: int, script: str = "") -> dict:
    """The page at `width` px: its innerWidth, scrollWidth and every chart's box (see MEASURE), or what
    `script` puts in <pre id="measured">."""
    wrapper = phone_frame(folder, page, width, height, script or MEASURE)
    profile = tempfile.mkdtemp(prefix="cr-chromium-")
    try:
        dom = subprocess.run(
            [browser, *OFFLINE, f"--user-data-dir={profile}", "--allow-file-access-from-files",
             f"--window-size={width},{height}", "--dump-dom", wrapper.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, f"{page}: no measurement (the wrapper could not read the page)"
    return json.loads(html_lib.unescape(found.group(1)))


@pytest.mark.parametrize("page", PAGES)
def test_a_phone_never_scrolls_sideways_and_charts_keep_their_text_size(page, tmp_path):
    browser = chromium()
    built = build_reports()
    width, height = PHONE
    m = measure_at(browser, built.out / page, tmp_path, width, height)
    assert m["width"] == width, m["width"]
    assert m["scrollWidth"] <= width, f"{page} scrolls sideways: {m['scrollWidth']} px wide at {width}"
    assert m["charts"], f"{page}: no charts"
    blank = [c["id"] for c in m["charts"] if not c["svg"]]
    assert not blank, f"{page}: charts without an SVG at {width} px: {blank}"
    # each chart stays in the page; one still too wide scrolls in its own box, never shrunk to fit
    assert all(c["right"] <= m["clientWidth"] + 0.5 for c in m["charts"]), page
    shrunk = [c["id"] for c in m["charts"] if c["drawn"] < c["natural"] - 1]
    assert not shrunk, f"{page}: charts scaled down (their text with them): {shrunk}"
    # most charts fit outright (the rest: long value labels beside their bars)
    fitting = [c for c in m["charts"] if c["natural"] <= m["clientWidth"] + 2]
    assert len(fitting) >= 0.6 * len(m["charts"]), f"{page}: {len(fitting)} of {len(m['charts'])} charts fit"
    # charts laid out for any width fit outright: the KPI bullets (words above each bar) and the
    # per-conference charts (a row per edition; side by side, eight names ran together)
    reworked = ("Headline KPIs against targets", "Growth across conferences", "Returning and new attendees",
                "Who comes back")
    named = [c for c in m["charts"] if (c["title"] or "").startswith(reworked)]
    if page.endswith(("conference.html", "cross-event.html")):
        assert named, f"{page}: none of {reworked} measured"
    wide = [(c["title"], c["natural"]) for c in named if c["natural"] > m["clientWidth"] + 2]
    assert not wide, f"{page}: wider than a phone: {wide}"
    # a box that scrolls sideways (a wide table or chart) says so under it; one that fits does not
    wrong = [b for b in m["boxes"] if b["over"] != b["hinted"]]
    assert not wrong, f"{page}: {len(wrong)} boxes hinted wrongly of {len(m['boxes'])}: {wrong}"
    if page == "cross-event.html":
        assert any(b["over"] for b in m["boxes"]), f"{page}: its wide tables should scroll on a phone"
    # the scorecard stacks its cells: every one (the status above all) is read without scrolling
    assert all(right <= m["clientWidth"] + 0.5 for right in m["scorecard"]), f"{page}: {m['scorecard']}"
    if page.endswith("conference.html"):
        assert m["scorecard"], f"{page}: no scorecard measured"
    repeated = [c["title"] for c in m["charts"] if c["section"] and c["title"] == c["section"]]
    assert not repeated, f"{page}: chart titles repeat their section's heading: {repeated}"


INDEX_MEASURE = """
<script>
window.addEventListener("load", function () {
  var d = document.getElementById("page").contentDocument, pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify({
    scrollWidth: d.documentElement.scrollWidth, clientWidth: d.documentElement.clientWidth,
    kpis: [].map.call(d.querySelectorAll("ul.kpis"), function (ul) {
      return ul.getBoundingClientRect().width;
    }),
  });
  document.body.appendChild(pre);
});
</script>
"""


def test_the_index_on_a_phone_gives_each_conference_the_whole_width(tmp_path):
    """At 390 px each conference is a block: its headline KPIs use the width, not a third of it."""
    browser = chromium()
    built = build_reports()
    m = measure_at(browser, built.out / "index.html", tmp_path, *PHONE, script=INDEX_MEASURE)
    assert m["scrollWidth"] <= m["clientWidth"], m
    assert m["kpis"] and min(m["kpis"]) >= 0.8 * m["clientWidth"], m


def test_desktop_charts_keep_their_size(tmp_path):
    """At 1280 px a chart that fits is drawn at its own size (only one wider than the page narrows)."""
    browser = chromium()
    built = build_reports()
    m = measure_at(browser, built.out / "python-2077" / "conference.html", tmp_path, 1280, 900)
    assert m["scrollWidth"] <= 1280
    assert all(c["svg"] and c["drawn"] >= c["natural"] - 1 for c in m["charts"])
    assert sum(c["natural"] > 600 for c in m["charts"]) >= len(m["charts"]) // 2  # not squeezed to a phone's


# ---------------------------------------------------------------------------------------------
# navigation and headings


class Page(HTMLParser):
    """A report page's links, ids, headings (h1, h2 with their ids) and its <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.nav: list[tuple[str, str]] = []
        self.toc: list[str] = []
        self.h1: list[str] = []
        self.h2: list[tuple[str, str]] = []
        self.title = ""
        self._in: list[str] = []
        self._text: list[str] = []
        self._href = ""
        self._where: str | None = None
        self._h2_id = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        cls = a.get("class") or ""
        if tag == "nav":
            self._where = "toc" if "cr-toc" in cls else "nav" if "cr-nav" in cls else self._where
        if tag in ("h1", "h2", "title"):
            self._in.append(tag)
            self._text = []
            self._h2_id = a.get("id") or ""
        if tag == "a" and self._where and not self._in:
            self._href, self._text = a.get("href") or "", []
        if tag == "a" and "anchor-link" in cls:
            self._in.append("anchor")

    def handle_endtag(self, tag):
        if tag == "a" and self._in and self._in[-1] == "anchor":
            self._in.pop()
        elif tag in ("h1", "h2", "title") and self._in and self._in[-1] == tag:
            self._in.pop()
            text = "".join(self._text).strip()
            if tag == "h1":
                self.h1.append(text)
            elif tag == "h2":
                self.h2.append((self._h2_id, text))
            else:
                self.title = text
        elif tag == "a" and self._where and not self._in:
            (self.nav if self._where == "nav" else self.toc).append((self._href, "".join(self._text).strip()))
        elif tag == "nav":
            self._where = None

    def handle_data(self, data):
        if not (self._in and self._in[-1] == "anchor"):
            self._text.append(data)


def parsed(page: Path) -> Page:
    text = page.read_text(encoding="utf-8")
    p = Page()
    p.feed(text)
    return p


EXPECTED_NAV = {
    "python-2077/conference.html": ["../index.html", "sponsors.html", "../python-2076/conference.html"],
    "python-2076/conference.html": ["../index.html", "sponsors.html", "../python-2075/conference.html"],
    "python-2075/conference.html": ["../index.html", "sponsors.html"],  # the first of its series
    "python-2077/sponsors.html": ["../index.html", "conference.html", "../python-2076/sponsors.html"],
    "python-2075/sponsors.html": ["../index.html", "conference.html"],  # the first of its series
    "cross-event.html": ["index.html"],
}


@pytest.mark.parametrize("page", sorted(EXPECTED_NAV))
def test_pages_link_to_their_related_reports_inside_the_output(page):
    built = build_reports()
    p = parsed(built.out / page)
    hrefs = [href for href, _ in p.nav]
    assert hrefs == EXPECTED_NAV[page], p.nav
    here = (built.out / page).parent
    for href, text in p.nav:
        target = (here / href).resolve()
        assert target.is_relative_to(built.out.resolve()) and target.is_file(), (href, text)
    assert all(text for _, text in p.nav)


@pytest.mark.parametrize("page", sorted(EXPECTED_NAV))
def test_contents_list_every_section_and_each_heading_shows_once(page):
    built = build_reports()
    p = parsed(built.out / page)
    assert p.h1 == [p.title], (p.h1, p.title)  # the header's h1 is the page's one title
    texts = [t for _, t in p.h2]
    assert len(texts) == len(set(texts)) >= 2, texts
    assert [href for href, _ in p.toc] == [f"#{i}" for i, _ in p.h2], (p.toc, p.h2)
    assert [t for _, t in p.toc] == texts
    assert all(href[1:] in p.ids for href, _ in p.toc)


def print_to_pdf(browser: str, page: Path, pdf: Path) -> None:
    profile = tempfile.mkdtemp(prefix="cr-chromium-")
    try:
        subprocess.run(
            [browser, *OFFLINE, f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.as_uri()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=True,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _words(text: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_printed_pages_end_on_no_heading(tmp_path):
    """On paper every section heading (with its intro) shares its page with what it introduces."""
    browser = chromium()
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: `make browser` installs poppler-utils")
    built = build_reports()
    page = built.out / "python-2077" / "conference.html"
    text = page.read_text(encoding="utf-8")
    cells = re.findall(r'<h2 id="[^"]*">(.*?)<a class="anchor-link"[^>]*>.*?</a></h2>(.*?)</div>', text, re.S)
    intros = {_words(h): _words(rest) for h, rest in cells}  # each heading: the words after it in its cell
    assert len(intros) >= 10
    pdf = tmp_path / "report.pdf"
    print_to_pdf(browser, page, pdf)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    seen, stranded = set(), []
    for number, sheet in enumerate(pages.split("\f"), 1):
        lines = [" ".join(line.split()) for line in sheet.splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if line in intros and line not in seen:
                seen.add(line)
                after = " ".join(lines[i + 1:])
                if intros[line].startswith(after):  # nothing but its own intro (or nothing) follows
                    stranded.append((number, line))
    assert seen == set(intros), f"headings not found in the PDF: {set(intros) - seen}"
    assert not stranded, f"headings at the foot of a page: {stranded}"

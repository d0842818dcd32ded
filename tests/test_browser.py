"""A real browser, offline: headless Chromium loads generated reports with every host unresolvable;
every chart must hold a drawn <svg>/<canvas> and no error text may show.

Skipped when Chromium is absent, except under CI (env CI set), where that is a failure.
Install: `make browser` (apt-get install chromium).
"""

from __future__ import annotations

import os
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


def test_first_screens_are_saved_for_people_to_look_at():
    """Each report's first screen at desktop width and at 390 px, under output/screenshots/."""
    browser = chromium()
    built = build_reports()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for page in PAGES:
        for width, height in ((1280, 900), (390, 844)):
            shot = SHOTS / f"{page.replace('/', '-').removesuffix('.html')}-{width}.png"
            profile = tempfile.mkdtemp(prefix="cr-chromium-")
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--virtual-time-budget=20000", f"--window-size={width},{height}", f"--screenshot={shot}",
                 (built.out / page).as_uri()],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=True,
            )
            shutil.rmtree(profile, ignore_errors=True)
            assert shot.stat().st_size > 10_000, shot

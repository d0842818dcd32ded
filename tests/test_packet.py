"""The board packet (issue 11): a PDF that opens, has its pages, holds the same figures as kpis.json and
income_statement (money to the cent), draws its charts as vectors, says "not yet" where the HTML does;
bad input is one line; every database text is escaped for typst."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from conference_reports import cli
from conference_reports.charts import fmt, money, status_words

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params"
AS_OF = "2026-12-01"  # pyconf-2027 on sale, regiocon-2027 before sales, both 2026 editions over
EXPECTED = ("pyconf-2026", "pyconf-2027", "regiocon-2026", "regiocon-2027")
NAMES = {"pyconf-2026": "PyConf 2026", "pyconf-2027": "PyConf 2027",
         "regiocon-2026": "RegioCon 2026", "regiocon-2027": "RegioCon 2027"}
SCREENSHOTS = ROOT / "output" / "screenshots"


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_one_line(code: int, err: str, *needles: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pypdf, else poppler's pdftotext), blanks collapsed."""
    try:
        from pypdf import PdfReader

        pages = [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
    except ImportError:
        count = int(re.search(r"Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf))).group(1))
        pages = [_poppler("pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-")
                 for i in range(1, count + 1)]
    return [re.sub(r"\s+", " ", p) for p in pages]


def _poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"neither pypdf nor {tool} is installed")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class Built:
    pdf: Path
    db: Path
    code: int
    stdout: str
    texts: list[str]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database as `make report` builds it, dated AS_OF."""
    from conference_reports.demo import build_demo_db

    path = tmp_path_factory.mktemp("packet-db") / "demo.sqlite3"
    build_demo_db(path, scale=1, seed=7, today=dt.date.fromisoformat(AS_OF))
    return path


@pytest.fixture(scope="module")
def as_of():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFERENCE_REPORTS_AS_OF", AS_OF)
        yield


@pytest.fixture(scope="module")
def built(demo_db: Path, as_of: None, tmp_path_factory: pytest.TempPathFactory) -> Built:
    pdf = tmp_path_factory.mktemp("packet") / "board-packet.pdf"
    code, stdout, err = run(["packet", "--db", str(demo_db), "--params", str(PARAMS), "--out", str(pdf)])
    assert code == 0, err
    return Built(pdf, demo_db, code, stdout, page_texts(pdf))


@pytest.fixture(scope="module")
def metrics(demo_db: Path, as_of: None) -> dict[str, dict]:
    """kpi_summary (with params, as kpis.json has it) and income_statement of each edition, from the
    metrics layer directly: the packet must agree with them."""
    from conference_reports.data.conferences import get_conference
    from conference_reports.data.db import connect, sqlite_url
    from conference_reports.metrics import compute
    from conference_reports.params import load

    found = {}
    with connect(sqlite_url(demo_db)) as conn:
        for slug in EXPECTED:
            conference = get_conference(conn, slug)
            found[slug] = compute(conn, conference, ["kpi_summary", "income_statement", "edition_phase"],
                                  params=load(PARAMS, slug))
    return found


def pages_titled(built: Built, title: str) -> list[int]:
    return [i for i, text in enumerate(built.texts) if title in text]


# ------------------------------------------------------------------------------------------------


def test_the_packet_opens_and_has_its_pages(built: Built) -> None:
    texts = built.texts
    assert built.stdout.startswith(f"board packet: {built.pdf} ({len(texts)} pages: ")
    assert ", ".join(EXPECTED) in built.stdout
    cover = texts[0]
    assert "Board packet" in cover and "PyConf and RegioCon" in cover
    assert "demo.sqlite3 (SQLite)" in cover and str(built.db.parent) not in cover  # masked source
    assert "Figures as of 1 December 2026" in cover
    for slug in EXPECTED:
        assert NAMES[slug] in cover
    # cover, then one scorecard page per conference, in order; then charts, trends, sponsors
    assert [pages_titled(built, f"{NAMES[s]}: scorecard")[0] for s in EXPECTED] == [1, 2, 3, 4]
    order = [pages_titled(built, f"{NAMES[EXPECTED[0]]}: key charts")[0],
             pages_titled(built, "PyConf: trends across editions")[0],
             pages_titled(built, "RegioCon: trends across editions")[0],
             pages_titled(built, f"{NAMES[EXPECTED[0]]}: sponsors")[0]]
    assert order == sorted(order) and order[0] == 5
    for slug in EXPECTED:
        assert pages_titled(built, f"{NAMES[slug]}: key charts")
        assert pages_titled(built, f"{NAMES[slug]}: sponsors")
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in text
        assert re.search(r"Generated \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d", text)


def test_the_cover_holds_each_editions_money_to_the_cent(built: Built, metrics: dict) -> None:
    cover = built.texts[0]
    for slug in EXPECTED:
        s = metrics[slug]["income_statement"]
        # hand computation: total income is the three streams, surplus is income less spending
        assert s["total_income"] == s["ticket_sales_net"] + s["addons"] + s["sponsorship"]
        assert s["surplus"] == s["total_income"] - s["total_expenses"]
        if s["attendees"]:
            per = (s["total_expenses"] / s["attendees"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert s["cost_per_attendee"] == per
        for key in ("ticket_sales_net", "addons", "sponsorship", "total_income", "total_expenses", "surplus",
                    "cost_per_attendee", "income_per_attendee", "income_budget", "expense_budget",
                    "budgeted_surplus"):
            if s[key] is not None:
                assert money(s[key]) in cover, (slug, key, money(s[key]))
    big = metrics["pyconf-2026"]["income_statement"]["total_income"]
    assert big > 1000 and re.search(r"\$\d{1,3}(,\d{3})+\.\d\d", money(big))  # thousands separators


def test_each_scorecard_page_shows_the_kpis_as_kpis_json(built: Built, metrics: dict) -> None:
    for slug in EXPECTED:
        page = built.texts[pages_titled(built, f"{NAMES[slug]}: scorecard")[0]]
        for k in metrics[slug]["kpi_summary"]:
            value = "n/a" if k["status"] == "n/a" else fmt(k["value"], k["unit"])
            target = fmt(k["target"], k["unit"]) if k["target"] is not None else "none set"
            words = status_words(k["higher_is_better"])[k["status"]]
            row = page.split(k["label"], 1)[1][:160]
            assert row.lstrip().startswith(value), (slug, k["key"], value, row)
            assert target in row and words in row, (slug, k["key"], target, words, row)


def test_an_upcoming_edition_says_not_yet_where_the_html_does(built: Built, metrics: dict) -> None:
    phases = {slug: metrics[slug]["edition_phase"]["phase"] for slug in EXPECTED}
    assert phases == {"pyconf-2026": "over", "pyconf-2027": "on sale", "regiocon-2026": "over",
                      "regiocon-2027": "before sales"}
    for slug in ("pyconf-2027", "regiocon-2027"):
        page = built.texts[pages_titled(built, f"{NAMES[slug]}: scorecard")[0]]
        not_yet = [k for k in metrics[slug]["kpi_summary"] if k["status"] == "not yet"]
        assert not_yet
        for k in not_yet:
            assert "not yet" in page.split(k["label"], 1)[1][:160], (slug, k["key"])
        assert "missed" not in page.split("Terms", 1)[0].split(NAMES[slug] + ": scorecard", 1)[1] or any(
            k["status"] == "missed" for k in metrics[slug]["kpi_summary"])
    on_sale = [k["key"] for k in metrics["pyconf-2027"]["kpi_summary"] if k["status"] == "not yet"]
    assert {"attendance", "total_income", "surplus", "checkin_rate", "fulfillment_rate"} <= set(on_sale)
    assert all(k["status"] == "not yet" for k in metrics["regiocon-2027"]["kpi_summary"])
    assert "not yet" in built.texts[0]


def test_charts_are_vector_graphics(built: Built) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(built.pdf))

    def xobjects(resources, seen):
        found = []
        xo = (resources or {}).get("/XObject") or {}
        for ref in xo.values():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            found.append(obj)
            found += xobjects(obj.get("/Resources"), seen)
        return found

    chart_pages = pages_titled(built, ": key charts")
    for n, page in enumerate(reader.pages):
        objs = xobjects(page.get("/Resources"), set())
        assert not [o for o in objs if o.get("/Subtype") == "/Image"], f"raster image on page {n + 1}"
        if n in chart_pages:
            forms = [o.get_data() for o in objs if o.get("/Subtype") == "/Form"]
            streams = [page.get_contents().get_data(), *forms]
            data = b"\n".join(streams)
            paths = len(re.findall(rb"\s(?:re|l|c)\s", data))
            assert paths > 50, f"page {n + 1} draws {paths} path segments"


def test_letter_paper(demo_db: Path, as_of: None, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = tmp_path / "letter.pdf"
    code, _, err = run(["packet", "--db", str(demo_db), "--params", str(PARAMS), "--out", str(pdf),
                        "--paper", "letter", "--conference", "regiocon-2027",
                        "--organisation", "Ørsted & <Co>"])
    assert code == 0, err
    reader = pypdf.PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    cover = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Ørsted & <Co>" in cover and "RegioCon 2027" in cover and "PyConf 2027" not in cover


def test_screenshots_of_page_one_and_a_scorecard(built: Built) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    scorecard = pages_titled(built, f"{NAMES['pyconf-2027']}: scorecard")[0] + 1
    for page, name in ((1, "packet-page-1"), (scorecard, "packet-scorecard-pyconf-2027")):
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile",
                        str(built.pdf), str(SCREENSHOTS / name)], check=True)
        assert (SCREENSHOTS / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# bad input ----------------------------------------------------------------------------------------


def test_an_unknown_slug_is_one_line(demo_db: Path, tmp_path: Path) -> None:
    code, _, err = run(["packet", "--db", str(demo_db), "--conference", "nope-2099", "--out",
                        str(tmp_path / "p.pdf")])
    assert_one_line(code, err, "no conference with slug 'nope-2099'")
    assert code == 2 and not (tmp_path / "p.pdf").exists()


@pytest.mark.parametrize("where", ["folder", "under-a-file"])
def test_an_unwritable_out_is_one_line(demo_db: Path, tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = tmp_path if where == "folder" else blocker / "p.pdf"
    code, _, err = run(["packet", "--db", str(demo_db), "--out", str(out)])
    assert_one_line(code, err, "cannot write")
    assert code == 2


def test_an_empty_organisation_is_one_line(demo_db: Path, tmp_path: Path) -> None:
    code, _, err = run(["packet", "--db", str(demo_db), "--organisation", " ",
                        "--out", str(tmp_path / "p.pdf")])
    assert_one_line(code, err, "--organisation is empty")


def test_without_typst_it_says_what_to_install(demo_db: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "typst", None)  # import typst -> ImportError
    code, _, err = run(["packet", "--db", str(demo_db), "--out", str(tmp_path / "p.pdf")])
    assert_one_line(code, err, "typst", "pip install typst")
    assert not (tmp_path / "p.pdf").exists()


def test_a_failed_packet_leaves_the_last_good_one(demo_db: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from conference_reports.packet import render

    out = tmp_path / "p.pdf"
    out.write_bytes(b"%PDF-1.7 the last good packet")

    def broken(*_a, **_k):
        raise render.PacketFailed("typst could not lay out the board packet: boom")

    monkeypatch.setattr(render, "compile_pdf", broken)
    code, _, err = run(["packet", "--db", str(demo_db), "--conference", "regiocon-2027", "--out", str(out)])
    assert_one_line(code, err, "boom")
    assert out.read_bytes() == b"%PDF-1.7 the last good packet"
    # no temp file left; the charts drawn before the layout failed are kept for the next try
    assert sorted(p.name for p in tmp_path.iterdir()) == [".board-packet-charts", "p.pdf"]


# `run` writes it too ------------------------------------------------------------------------------


def test_run_records_a_failed_packet_and_keeps_the_good_one(demo_db: Path, tmp_path: Path) -> None:
    from conference_reports.data.db import sqlite_url
    from conference_reports.pipeline import run as pipeline_run
    from conference_reports.pipeline.board import write_board_packet
    from conference_reports.pipeline.index_page import render_index

    (tmp_path / "board-packet.pdf").write_bytes(b"%PDF good")
    record = write_board_packet(sqlite_url(demo_db), ("nope-2099",), PARAMS, tmp_path)
    assert record["status"] == "failed" and "nope-2099" in record["error"]
    assert (tmp_path / "board-packet.pdf").read_bytes() == b"%PDF good"
    saved = json.loads((tmp_path / "board-packet.json").read_text())
    assert saved["status"] == "failed" and saved["error"] == record["error"]
    lines = pipeline_run.summary_lines([], 1.0, tmp_path / "index.html", record)
    assert [line for line in lines if line.startswith("FAILED board packet: ")]
    html = render_index(tmp_path, {"generated_at": "2026-12-01T21:09:00+00:00", "source": "x", "reports": []})
    assert 'href="board-packet.pdf"' in html and "✗ failed" in html and "nope-2099" in html


def test_run_never_shows_a_password_of_the_packets_database(tmp_path: Path) -> None:
    from conference_reports.pipeline.board import write_board_packet

    url = "postgresql://reports:s3cr3t-pw@127.0.0.1:9/program"
    record = write_board_packet(url, (), PARAMS, tmp_path)
    assert record["status"] == "failed"
    assert "s3cr3t-pw" not in json.dumps(record)
    assert "s3cr3t-pw" not in (tmp_path / "board-packet.json").read_text()


def test_the_packet_starts_once_the_reports_it_draws_from_are_in(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Made beside the other reports, from the readings of those it draws from; its digest is theirs
    (and its conferences'), so a change elsewhere leaves it as it is, and a failure there remakes it."""
    from conference_reports.pipeline import board
    from conference_reports.pipeline.outcome import Outcome

    made: list[tuple] = []
    monkeypatch.setattr(board, "write_board_packet", lambda *a: made.append(a) or {"status": "ok"})

    def outcome(report: str, status: str = "ok", fingerprint: str | None = "f") -> Outcome:
        return Outcome(report, status, "", 0.0, fingerprint=fingerprint, reading={"of": report})

    packet = board.BoardPacket("db", ["a"], PARAMS, tmp_path, {"a/conference", "a/sponsors"})
    packet.offer(outcome("a/conference"))
    packet.offer(outcome("b/conference", fingerprint="other"))  # not drawn from
    assert packet.thread is None
    packet.offer(outcome("a/sponsors"))
    assert packet.thread is not None and packet.finish() == {"status": "ok"}
    (_, slugs, _, _, digest, readings, *_) = made[0]
    assert slugs == ("a",) and set(readings) == {"a/conference", "a/sponsors"}
    again = board.BoardPacket("db", ["a"], PARAMS, tmp_path, {"a/conference", "a/sponsors"})
    for o in (outcome("a/conference"), outcome("b/conference", fingerprint="changed"), outcome("a/sponsors")):
        again.offer(o)
    assert again.digest() == digest  # b changed: the packet's inputs did not
    failed = board.BoardPacket("db", ["a"], PARAMS, tmp_path, {"a/conference", "a/sponsors"})
    failed.offer(outcome("a/conference", status="failed", fingerprint=None))
    failed.offer(outcome("a/sponsors"))
    assert failed.digest() is None
    forced = board.BoardPacket("db", ["a"], PARAMS, tmp_path, {"a/conference"}, force=True)
    forced.offer(outcome("a/conference"))
    assert forced.digest() is None and forced.finish() == {"status": "ok"}
    # it also draws from a report the run leaves out (read by the packet itself): never "unchanged"
    partial = board.BoardPacket("db", ["a"], PARAMS, tmp_path, {"a/conference"}, complete=False)
    partial.offer(outcome("a/conference"))
    assert partial.digest() is None


def test_a_stopped_run_leaves_its_packet_as_it_was(demo_db: Path, tmp_path: Path) -> None:
    """A signal while the packet is made: it writes nothing more, its temp files go, another run's stay."""
    import os

    from conference_reports.packet import PacketOptions
    from conference_reports.packet.build import PacketStopped, write_packet
    from conference_reports.pipeline import board

    (tmp_path / "board-packet.pdf").write_bytes(b"%PDF the last good one")
    mine = tmp_path / f".board-packet.{os.getpid()}.tmp.pdf"
    theirs = tmp_path / ".board-packet.1.tmp.pdf"
    for leftover in (mine, theirs):
        leftover.write_bytes(b"half")
    packet = board.BoardPacket("db", ["a"], PARAMS, tmp_path, set())
    packet.stop()
    assert packet.stopped.is_set() and not mine.exists() and theirs.exists()
    options = PacketOptions(db=str(demo_db), conferences=("regiocon-2027",), params=PARAMS,
                            out=tmp_path / "board-packet.pdf")
    with pytest.raises(PacketStopped):  # asked before each chart: the first one is not drawn
        write_packet(options, None, lambda: True)
    assert (tmp_path / "board-packet.pdf").read_bytes() == b"%PDF the last good one"


def test_no_packet_option_reaches_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from conference_reports.pipeline import run as pipeline_run

    seen = []
    monkeypatch.setattr(pipeline_run, "run_reports", lambda options: seen.append(options) or 0)
    assert run(["run", "--no-packet"])[0] == 0 and run(["run"])[0] == 0
    assert [o.packet for o in seen] == [False, True]


def test_the_index_writes_times_in_words(tmp_path: Path) -> None:
    from conference_reports.pipeline.index_page import render_index

    (tmp_path / "board-packet.json").write_text(json.dumps(
        {"status": "ok", "ran_at": "2026-12-01T21:09:30+00:00", "seconds": 4.2, "pages": 26,
         "conferences": ["pyconf-2026"], "last_good_at": "2026-12-01T21:09:30+00:00", "error": None}))
    manifest = {
        "generated_at": "2026-12-01T21:10:00+00:00",
        "source": "demo.sqlite3 (SQLite)",
        "reports": [{"report": "cross-event", "kind": "cross-event", "status": "ok",
                     "html": "cross-event.html", "ipynb": "cross-event.ipynb",
                     "ran_at": "2026-12-01T21:08:00+00:00", "seconds": 3.0}],
    }
    html = render_index(tmp_path, manifest)
    assert "Index updated 1 December 2026, 21:10 UTC" in html
    assert "changed 1 December 2026, 21:08 UTC" in html and "ran 1 December 2026, 21:09 UTC" in html
    assert "2026-12-01T" not in html
    assert "Board packet (PDF)" in html and "26 pages" in html and "✓ written" in html


# escaping -----------------------------------------------------------------------------------------

HOSTILE = [
    '#panic("boom")',
    "]) #panic(\"out\") [",
    "$x^2$ and $$",
    "*bold* _under_ `raw` ```block```",
    "<label> @reference",
    "// not a comment /* nor this */",
    "= not a heading",
    "- not a list\n+ nor this",
    'quote " and backslash \\ and \\" both',
    "{ braces } [ brackets ] ( parens )",
    "tab\there, carriage\rreturn",
    "nul\x00byte and bell\x07",
    "lone surrogate \ud800 here",
    "Ünïcødé — “quotes” 🎉 עברית",
    "a;b #\"x\"; ~ nbsp \\u{41}",
]


def test_lit_makes_a_typst_string_of_anything() -> None:
    from conference_reports.packet.typst_doc import lit

    assert lit('a"b\\c') == '"a\\"b\\\\c"'
    assert lit("x\ny") == '"x\\ny"'
    assert lit("\x07") == '"\\u{7}"'
    assert lit("\ud800") == '"\ufffd"'
    for text in HOSTILE:
        body = lit(text)[1:-1]
        assert not re.search(r'(?<!\\)(?:\\\\)*"', body), text  # every quote inside is escaped


def test_hostile_text_prints_as_itself(tmp_path: Path) -> None:
    pytest.importorskip("typst")
    from conference_reports.packet.render import compile_pdf
    from conference_reports.packet.typst_doc import cell, status_markup, t, table

    rows = [[cell(t(text)), cell(status_markup("met", text))] for text in HOSTILE]
    markup = "\n\n".join(t(text) for text in HOSTILE) + "\n" + table(
        [("Name " + HOSTILE[0], "2fr", "left"), ("Status", "1fr", "left")], rows)
    markup = "#let muted(b) = b\n#let met(b) = b\n#let missed(b) = b\n#let small(b) = b\n" + markup
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(compile_pdf(markup, {}))
    text = " ".join(page_texts(pdf))
    assert "boom" in text and "out" in text  # printed, not run (a panic would fail the compile)
    for hostile in HOSTILE:
        for word in re.findall(r"[\w$#*@<>=\[\]{}()`\"\\/;~^+-]+", hostile):
            if word.isascii():
                assert word in text, (hostile, word)


def test_a_runs_readings_make_the_same_packet_without_reading_again(demo_db: Path, as_of: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` hands the packet what its reports read: the same content, and the database is read only
    for what the readings do not cover (the series' earlier editions)."""
    from conference_reports.data.conferences import list_conferences
    from conference_reports.data.db import connect, sqlite_url
    from conference_reports.packet.content import gather
    from conference_reports.params import load_all, series_of
    from conference_reports.reports import conference, cross_event, sponsors

    url = sqlite_url(demo_db)
    slugs = ["pyconf-2026", "pyconf-2027"]
    with connect(url) as conn:
        every = list_conferences(conn)
        series = series_of(load_all(PARAMS, [c.slug for c in every]))
        readings = {"cross-event": cross_event.read(conn, None, str(PARAMS))}
        for slug in slugs:
            readings[f"{slug}/conference"] = conference.read(conn, slug, str(PARAMS))
            readings[f"{slug}/sponsors"] = sponsors.read(conn, slug, str(PARAMS))
    alone = gather(url, slugs, PARAMS, None, series, every)
    read: list[str] = []
    for module in (conference, sponsors, cross_event):
        real = module.read
        monkeypatch.setattr(module, "read", lambda *a, _real=real, _m=module, **k: (
            read.append(_m.__name__.rsplit(".", 1)[1]) or _real(*a, **k)))
    given = gather(url, slugs, PARAMS, None, series, every, readings)
    assert "sponsors" not in read and "cross_event" not in read
    assert read.count("conference") == len([t for t in given.trends for s in t.reports if s not in slugs])
    for a, b in zip(alone.editions, given.editions, strict=True):
        assert a.scorecard() == b.scorecard() and a.income == b.income and a.outlook == b.outlook
        assert a.sponsors.goal_rows() == b.sponsors.goal_rows()
    assert [t.rows for t in alone.trends] == [t.rows for t in given.trends]
    assert [t.retention for t in alone.trends] == [t.retention for t in given.trends]


def test_a_packet_draws_again_only_the_charts_that_changed(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    from conference_reports.charts import vegalite as vl
    from conference_reports.packet.figures import ChartCache

    drawn: list[dict] = []
    real = vl_convert.vegalite_to_svg
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec: drawn.append(spec) or real(spec))

    def bar(n: int) -> vl.Chart:
        return vl.Chart([{"n": n}]).mark_bar().encode(x="n:Q")

    first = ChartCache(tmp_path)
    svg = first.draw(bar(1))
    first.draw(bar(2))
    first.prune()
    assert len(drawn) == 2 and len(list(tmp_path.glob("*.svg"))) == 2 and svg.width > 0
    second = ChartCache(tmp_path)
    assert second.draw(bar(1)) == svg and len(drawn) == 2  # kept from the first packet
    second.draw(bar(3))
    assert len(drawn) == 3
    second.prune()  # the chart of 2 is not in this packet: gone
    assert len(list(tmp_path.glob("*.svg"))) == 2
    (tmp_path / "not-a-folder").write_text("")
    assert ChartCache(tmp_path / "not-a-folder").draw(bar(4)).text  # an unusable folder only costs a draw


def test_an_editions_charts_are_drawn_as_soon_as_its_reports_are_in(
    demo_db: Path, as_of: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawn ahead from the readings, into the packet's chart folder: the packet then draws none of them
    again (the same specs)."""
    import vl_convert

    from conference_reports.data.db import connect, sqlite_url
    from conference_reports.packet.build import CHARTS_FOLDER
    from conference_reports.packet.content import edition_of
    from conference_reports.packet.figures import ChartCache, edition_charts
    from conference_reports.params import load_all, series_of
    from conference_reports.pipeline import board
    from conference_reports.pipeline.outcome import Outcome
    from conference_reports.reports import conference, conference_report, sponsors

    slug = "pyconf-2027"
    with connect(sqlite_url(demo_db)) as conn:
        readings = {f"{slug}/conference": conference.read(conn, slug, str(PARAMS)),
                    f"{slug}/sponsors": sponsors.read(conn, slug, str(PARAMS))}
        series = series_of(load_all(PARAMS, [c.slug for c in readings[f"{slug}/conference"]["conferences"]]))
    packet = board.BoardPacket(sqlite_url(demo_db), [slug], PARAMS, tmp_path, set(readings), series=series)
    monkeypatch.setattr(packet, "_start", lambda: None)  # the packet itself is not written here
    for report, reading in readings.items():
        packet.offer(Outcome(report, "ok", "", 0.0, fingerprint="f", reading=reading))
    packet.editions.put(None)
    assert packet.drawing is not None
    packet.drawing.join(60)
    drawn = sorted((tmp_path / CHARTS_FOLDER).glob("*.svg"))
    assert drawn
    asked: list[dict] = []
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec: asked.append(spec) or "<svg/>")
    report = conference_report(slug, params_dir=str(PARAMS), render="report", header=False,
                               reading=readings[f"{slug}/conference"])
    edition = edition_of(report, PARAMS, series, readings[f"{slug}/sponsors"])
    cache = ChartCache(tmp_path / CHARTS_FOLDER)
    charts = edition_charts(edition)
    for chart in charts:
        cache.draw(chart)
    assert asked == [] and len(drawn) == len(charts)  # every one found drawn, none drawn twice


class _CoverEdition:
    """What the cover's column reads of an edition: its income statement, phase and KPIs."""

    def __init__(self, income: dict, total_income_kpi: dict) -> None:
        self.income, self.forecast = income, []
        self.phase = {"phase": "finished", "days_to_start": -400}
        self._kpis = {"total_income": total_income_kpi}

    def kpi(self, key: str) -> dict | None:
        return self._kpis.get(key)


def test_the_cover_names_income_without_a_budget() -> None:
    from conference_reports.packet.typst_doc import summary_rows

    income = {"ticket_sales_net": Decimal("122311.25"), "addons": Decimal("0.00"),
              "sponsorship": Decimal("475000.00"), "total_income": Decimal("597311.25"),
              "income_budget": None, "income_unbudgeted": ["sponsorship"]}
    no_target = {"status": "no target", "target": None, "unit": "money", "unbudgeted": ["sponsorship"]}
    cell = dict(summary_rows(_CoverEdition(income, no_target)))["Total income"]  # type: ignore[arg-type]
    assert "no budget for sponsorship" in cell
    budgeted = {**income, "income_budget": Decimal("600000.00"), "income_unbudgeted": []}
    judged = {"status": "missed", "target": Decimal("600000.00"), "unit": "money"}
    cell = dict(summary_rows(_CoverEdition(budgeted, judged)))["Total income"]  # type: ignore[arg-type]
    assert "no budget" not in cell and "budget $600,000.00" in cell

"""End to end: `run` on the fixture database writes every report, the index and kpis.json; a failing
notebook keeps the last good HTML and exits 1 naming the cell; bad input is one line, never a traceback.

The full run happens once per session (`build_reports`); test_browser.py reuses its output.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from conference_reports import cli
from conference_reports.data.db import ENV_VAR
from conftest import FIXTURE_DB

ROOT = Path(__file__).resolve().parents[1]
SLUGS = ("python-2075", "python-2076", "python-2077")
SECTIONS = (
    "Headline KPIs",
    "Revenue",
    "Registration",
    "Cart funnel",
    "Refunds, credits, vouchers and discounts",
    "Check-in",
    "Room utilisation",
    "Activity capacity",
    "Travel grants",
    "Content",
    "Sponsor benefit fulfilment",
    "Expenses and return on investment",
    "Feedback: NPS and session ratings",
    "Payments and reconciliation",
    "Where registrations came from",
    "Visa letters",
)
PARAMS = {
    # overrides that differ from the database's targets, so the tests can see them win
    "python-2077.yaml": "targets:\n  target_checkin_rate: 40\n"
    "sponsor_goals:\n  revenue: 200000\n  levels: {Diamond: 2, gold: 9}\n",
    "python-2076.yaml": "series: python\n",
}
BROKEN_CELL = 'raise RuntimeError("deliberate failure for the test")'


@dataclass(frozen=True)
class Built:
    out: Path
    params: Path
    code: int
    stdout: str
    stderr: str


def run(argv: list[str]) -> tuple[int, str, str]:
    """The CLI in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@functools.lru_cache(maxsize=1)
def build_reports() -> Built:
    """One full run per session (shared with test_browser.py)."""
    root = Path(tempfile.mkdtemp(prefix="cr-e2e-"))
    atexit.register(shutil.rmtree, root, True)
    params = root / "params"
    params.mkdir()
    for name, text in PARAMS.items():
        (params / name).write_text(text)
    out = root / "output"
    from conference_reports.data import conferences

    conferences._warned.clear()  # an earlier test in this process may have warned about the zone already
    code, stdout, stderr = run(
        ["run", "--db", str(FIXTURE_DB), "--out", str(out), "--params", str(params), "--jobs", "2"]
    )
    return Built(out, params, code, stdout, stderr)


@pytest.fixture(scope="session")
def built() -> Built:
    if not FIXTURE_DB.is_file():
        pytest.fail(f"fixture database missing: {FIXTURE_DB}")
    return build_reports()


def specs(html: str) -> list[dict]:
    """The Vega-Lite specs a report page embeds, in page order."""
    decoder = json.JSONDecoder()
    found, start = [], 0
    while (i := html.find("vegaEmbed(el,", start)) >= 0:
        spec, end = decoder.raw_decode(html, i + len("vegaEmbed(el,"))
        found.append(spec)
        start = end
    return found


def sections(html: str) -> dict[str, list[dict]]:
    """h2 heading -> the chart specs under it."""
    out: dict[str, list[dict]] = {}
    parts = html.split("<h2")
    for part in parts[1:]:
        heading = part.split(">", 1)[1].split("<", 1)[0].strip()
        out[heading] = specs(part)
    return out


def data_rows(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows if "note" not in row]


# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_run_writes_every_report_and_the_index(built):
    assert built.code == 0, built.stdout + built.stderr
    for slug in SLUGS:
        for name in ("conference.html", "conference.ipynb", "kpis.json", "sponsors.html", "sponsors.ipynb"):
            assert (built.out / slug / name).is_file(), f"{slug}/{name}"
    for name in ("cross-event.html", "cross-event.ipynb", "index.html", "reports.json"):
        assert (built.out / name).is_file(), name
    assert "7 reports" in built.stdout and "7 ok, 0 failed" in built.stdout
    assert not list(built.out.rglob("*.tmp*")), "temp files left behind"


@pytest.mark.slow
def test_html_is_one_offline_file(built):
    for page in [*built.out.glob("*/*.html"), built.out / "cross-event.html"]:
        html = page.read_text()
        assert '<script src="http' not in html and "<script src=" not in html, page
        assert not [
            m for m in ("require.js", "MathJax", "cdn.jsdelivr", "unpkg.com", "cdnjs") if m in html
        ], page
        assert html.count("<script>") >= 1
        # the Vega bundle is inlined exactly once per page, however many charts there are
        assert html.count("vega-embed") >= 1
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert len([s for s in scripts if len(s) > 500_000]) == 1
        # no code and no parameter cells in the page
        assert "import conference_reports" not in html and "from conference_reports" not in html
        assert "injected-parameters" not in html and "kpis_path" not in html


@pytest.mark.slow
def test_every_section_has_a_chart_with_data(built):
    html = (built.out / "python-2077" / "conference.html").read_text()
    found = sections(html)
    for section in SECTIONS:
        assert section in found, f"section {section!r} missing: {sorted(found)}"
        charts = found[section]
        assert charts, f"no chart under {section!r}"
        assert any(data_rows(s) for s in charts), f"no chart with data under {section!r}"
    for page in ("sponsors.html",):
        page_specs = specs((built.out / "python-2077" / page).read_text())
        assert len(page_specs) >= 6 and all(data_rows(s) for s in page_specs)
    assert len(specs((built.out / "cross-event.html").read_text())) >= 4


@pytest.mark.slow
def test_chart_ids_are_content_hashes(built):
    html = (built.out / "python-2077" / "conference.html").read_text()
    ids = re.findall(r'<div [^>]*id="(vl-[0-9a-f]{12}-\d+)"', html)
    assert len(ids) == len(set(ids)) >= len(SECTIONS)
    # the same notebook on the same data gives the same ids (nbval and diffs stay quiet)
    again = (built.out / "python-2077" / "conference.ipynb").read_text()
    assert all(i in again for i in ids)


@pytest.mark.slow
def test_report_shows_title_time_source_and_parameters(built):
    html = (built.out / "python-2077" / "conference.html").read_text()
    assert "Python 2077: conference report" in html
    assert "<title>Python 2077: conference report</title>" in html
    assert re.search(r"Generated \d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d", html)  # in words, not ISO
    assert "django-program-demo.sqlite3 (SQLite)" in html
    assert str(FIXTURE_DB.parent) not in html and str(built.params) not in html  # no local paths
    assert "target_checkin_rate = 40" in html
    assert "Python 2076 (python-2076)" in html  # previous edition of the series


@pytest.mark.slow
def test_kpis_json_applies_params_overrides(built):
    payload = json.loads((built.out / "python-2077" / "kpis.json").read_text())
    kpis = {k["key"]: k for k in payload["kpis"]}
    assert set(kpis) >= {
        "revenue_per_attendee",
        "conversion_rate",
        "checkin_rate",
        "fulfillment_rate",
        "refund_rate",
    }
    assert kpis["checkin_rate"]["target"] == "40"  # params file wins over the database's 80
    held = payload["phase"]["phase"] in ("running", "over")  # python-2077 starts on 2027-05-14
    assert kpis["checkin_rate"]["status"] == ("met" if held else "not yet")  # 40.9% against 40
    assert payload["previous"]["slug"] == "python-2076"
    first = json.loads((built.out / "python-2075" / "kpis.json").read_text())
    assert first["previous"] is None


@pytest.mark.slow
def test_sponsor_report_tracks_goals(built):
    html = (built.out / "python-2077" / "sponsors.html").read_text()
    assert "Sponsorship revenue goal" in html and "$200,000.00" in html
    assert "Active sponsors at level Diamond" in html and "Active sponsors at level Gold" in html
    assert "Outstanding benefits" in html


@pytest.mark.slow
def test_index_lists_every_report_with_status_and_kpis(built):
    html = (built.out / "index.html").read_text()
    for slug in SLUGS:
        assert f'href="{slug}/conference.html"' in html and f'href="{slug}/sponsors.html"' in html
    assert 'href="cross-event.html"' in html
    assert html.count("✓ ok") == 7
    assert "Check-in rate" in html and "(target 40.0%, from params)" in html  # its origin shown too
    assert "missed" in html and "met" in html
    assert re.search(r"changed \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d", html)  # times in words, as the headers
    manifest = json.loads((built.out / "reports.json").read_text())
    assert {e["status"] for e in manifest["reports"]} == {"ok"} and len(manifest["reports"]) == 7
    assert (built.out / "board-packet.pdf").read_bytes()[:5] == b"%PDF-"  # the board packet, listed too
    assert 'href="board-packet.pdf"' in html and "board packet: " in built.stdout


@pytest.mark.slow
def test_no_database_url_in_notebook_parameters(built):
    nb = nbformat.read(str(built.out / "python-2077" / "conference.ipynb"), as_version=4)
    params = nb.metadata["papermill"]["parameters"]
    assert set(params) == {"conference", "params_dir", "render", "kpis_path", "data_path"}
    assert str(FIXTURE_DB) not in json.dumps(params)
    assert not Path(params["data_path"]).exists()  # the runner's reading was a temp file, gone with the job


@pytest.mark.slow
def test_failed_notebook_keeps_the_last_good_html_and_names_the_cell(built, tmp_path):
    out = tmp_path / "output"
    shutil.copytree(built.out, out)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    book = nbformat.read(str(notebooks / "sponsors.ipynb"), as_version=4)
    book.cells.insert(2, nbformat.v4.new_code_cell(BROKEN_CELL))
    nbformat.write(book, str(notebooks / "sponsors.ipynb"))
    good = (out / "python-2077" / "sponsors.html").read_bytes()

    from conference_reports.pipeline.options import RunOptions
    from conference_reports.pipeline.run import run_reports

    options = RunOptions(
        db=str(FIXTURE_DB),
        conferences=("python-2077",),
        out=out,
        jobs=2,
        params=built.params,
        notebooks=notebooks,
        force=True,  # the others render again too (else they are unchanged): one failure stops none
    )
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        code = run_reports(options)
    summary = stdout.getvalue()

    assert code == 1
    assert (out / "python-2077" / "sponsors.html").read_bytes() == good  # last good page kept
    assert (out / "python-2077" / "sponsors.failed.ipynb").is_file()
    assert f"FAILED python-2077/sponsors: cell 2 `{BROKEN_CELL}`" in summary
    assert "RuntimeError: deliberate failure for the test" in summary
    assert "2 ok, 1 failed" in summary  # the other reports still ran
    assert not list(out.rglob("*.tmp*"))
    manifest = {e["report"]: e for e in json.loads((out / "reports.json").read_text())["reports"]}
    entry = manifest["python-2077/sponsors"]
    assert entry["status"] == "failed" and entry["error"]["cell_index"] == 2 and entry["last_good_at"]
    assert manifest["python-2075/sponsors"]["status"] == "ok"  # untouched entries kept
    index = (out / "index.html").read_text()
    assert "✗ failed" in index and "deliberate failure for the test" in index
    assert "the link shows the last good report" in index


def test_report_header_masks_the_password(monkeypatch):
    from conference_reports.reports.base import Report, data_source

    monkeypatch.setenv(ENV_VAR, "postgresql://reports:s3cret@db.example.org/conference"
                       "?sslpassword=s3cret-ssl&password=s3cret-query")
    source = data_source()
    assert "s3cret" not in source and "***" in source
    header = Report(kind="conference", title="T", render="report", parameters={"a": 1}, source=source)
    assert "s3cret" not in header.header_html() and "db.example.org" in header.header_html()


# ---------------------------------------------------------------------------------------------
# bad input: one clear line and a non-zero exit, before any notebook runs


def assert_one_line(code: int, stderr: str, *fragments: str) -> None:
    assert code != 0
    lines = [line for line in stderr.splitlines() if line.strip() and ": note: " not in line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("conference-reports: error: ")
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_slug(tmp_path):
    code, _, err = run(["run", "--db", str(FIXTURE_DB), "--conference", "nope-2020", "--out", str(tmp_path)])
    assert_one_line(code, err, "no conference with slug 'nope-2020'", "python-2077")


def test_bad_database_url(tmp_path):
    code, _, err = run(["run", "--db", "postgresql://user:s3cret@127.0.0.1:1/none", "--out", str(tmp_path)])
    assert_one_line(code, err, "cannot connect")
    assert "s3cret" not in err
    code, _, err = run(["run", "--db", str(tmp_path / "missing.sqlite3"), "--out", str(tmp_path)])
    assert_one_line(code, err, "no SQLite database")
    code, _, err = run(["run", "--db", "mysql://x@y/z", "--out", str(tmp_path)])
    assert_one_line(code, err, "unsupported database")


def test_malformed_params_yaml(tmp_path):
    (tmp_path / "python-2076.yaml").write_text("targets: [\n")
    code, _, err = run(
        ["run", "--db", str(FIXTURE_DB), "--params", str(tmp_path), "--out", str(tmp_path / "o")]
    )
    assert_one_line(code, err, "python-2076.yaml", "not valid YAML")
    assert not (tmp_path / "o" / "index.html").exists()


def test_unknown_params_key(tmp_path):
    (tmp_path / "python-2077.yaml").write_text("sponsor_goals:\n  revenue: 1\n  tiers: {}\n")
    code, _, err = run(
        ["run", "--db", str(FIXTURE_DB), "--params", str(tmp_path), "--out", str(tmp_path / "o")]
    )
    assert_one_line(code, err, "python-2077.yaml", "unknown key sponsor_goals.tiers")


def test_missing_params_folder(tmp_path):
    code, _, err = run(
        ["run", "--db", str(FIXTURE_DB), "--params", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]
    )
    assert_one_line(code, err, "params folder", "does not exist")


def test_missing_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFERENCE_REPORTS_KERNEL", "no-such-kernel-xyz")
    code, _, err = run(["run", "--db", str(FIXTURE_DB), "--out", str(tmp_path / "o")])
    assert_one_line(code, err, "kernel 'no-such-kernel-xyz' is not installed")


@pytest.mark.postgres
def test_run_on_the_postgresql_copy(built: Built, pg_fixture_url: str, tmp_path: Path) -> None:
    """The same reports from the PostgreSQL copy of the fixture, with the same headline KPI values;
    no form of the URL's password (ignored by the server's trust auth) lands in any output file."""
    out = tmp_path / "output"
    url = pg_fixture_url.replace("postgres@", "postgres:pw-must-not-leak@")
    url += "?password=pw-must-not-leak-query&sslpassword=pw-must-not-leak-ssl"
    argv = ["run", "--db", url, "--conference", "python-2077", "--out", str(out),
            "--params", str(built.params), "--jobs", "2"]
    code, stdout, stderr = run(argv)
    assert code == 0, stdout + stderr
    pages = ("python-2077/conference.html", "python-2077/sponsors.html", "cross-event.html", "index.html")
    for page in pages:
        assert (out / page).is_file(), page

    def kpi_values(folder: Path) -> dict[str, str]:
        kpis = json.loads((folder / "python-2077" / "kpis.json").read_text())["kpis"]
        return {k["key"]: k["value"] for k in kpis}

    assert kpi_values(out) == kpi_values(built.out)
    leaks = [p for p in out.rglob("*") if p.is_file() and b"pw-must-not-leak" in p.read_bytes()]
    assert not leaks
    assert "pw-must-not-leak" not in stdout + stderr


def test_index_says_when_an_edition_is_still_to_come(built: Built) -> None:
    """Upcoming editions read as 'missed' on check-in until they happen; the index says why."""
    import datetime as dt

    index = (built.out / "index.html").read_text()
    upcoming = dt.date(2027, 5, 14) > dt.date.today()  # python-2077's start date in the fixture
    assert ("Python 2077 starts in" in index) == upcoming
    assert "Python 2076 starts in" not in index


def test_an_unknown_time_zone_warns_and_the_header_names_the_zone_used(built: Built) -> None:
    """The fixture's conferences say 'America/Pittsburgh', which is no IANA zone: UTC is used, and said."""
    assert "unknown time zone 'America/Pittsburgh', using UTC" in built.stderr
    import html

    page = html.unescape((built.out / "python-2077" / "conference.html").read_text())
    assert "UTC (the database's 'America/Pittsburgh' is not a known time zone)" in page

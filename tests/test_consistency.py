"""One answer to "the KPIs": `metrics --metric kpi_summary --params`, kpis.json, scorecard, index."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIXTURE_DB
from test_runner import build_reports

SLUGS = ["python-2075", "python-2076", "python-2077"]


def cli_kpis(slug: str, *extra: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "conference_reports.cli", "metrics", "--db", str(FIXTURE_DB),
         "--conference", slug, "--metric", "kpi_summary", *extra],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["kpi_summary"]


def facts(rows: list[dict]) -> list[tuple]:
    return [(r["key"], r["value"], r["target"], r["status"]) for r in rows]


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_metrics_with_params_gives_what_the_report_shows(slug: str) -> None:
    built = build_reports()
    payload = json.loads((built.out / slug / "kpis.json").read_text())
    assert facts(cli_kpis(slug, "--params", str(built.params))) == facts(payload["kpis"])


@pytest.mark.slow
def test_params_change_only_the_suites_own_metrics() -> None:
    """python-2077's params override the check-in target: kpi_summary follows it, effective_targets not."""
    built = build_reports()
    plain, with_params = cli_kpis("python-2077"), cli_kpis("python-2077", "--params", str(built.params))
    assert facts(plain) != facts(with_params)
    by_key = {r["key"]: r for r in with_params}
    assert by_key["checkin_rate"]["target"] == "40"  # from the params file (test_runner's PARAMS)
    done = subprocess.run(
        [sys.executable, "-m", "conference_reports.cli", "metrics", "--db", str(FIXTURE_DB), "--conference",
         "python-2077", "--metric", "effective_targets", "--params", str(built.params)],
        capture_output=True, text=True, timeout=120,
    )
    assert json.loads(done.stdout)["effective_targets"]["target_checkin_rate"] != "40"


@pytest.mark.slow
def test_the_index_shows_the_same_values_and_statuses_as_kpis_json() -> None:
    import html

    from conference_reports.charts import fmt, status_words

    built = build_reports()
    index = html.unescape((built.out / "index.html").read_text())
    rows = {r.split(" · starts", 1)[0].rsplit(">", 1)[-1]: r for r in index.split("<tr>") if " · starts" in r}
    for slug in SLUGS:
        payload = json.loads((built.out / slug / "kpis.json").read_text())
        for k in payload["kpis"]:
            value = "n/a" if k["status"] == "n/a" else fmt(k["value"], k["unit"])
            words = status_words(k["higher_is_better"])[k["status"]]
            assert f"{k['label']}: <strong>{value}</strong>" in rows[slug], (slug, k)
            assert words in rows[slug].split(f"{k['label']}:", 1)[1].split("</li>", 1)[0], (slug, k)

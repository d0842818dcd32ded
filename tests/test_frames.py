"""`Report.frame` and `Report.names`: metrics as DataFrames, on values made by hand and on the fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import altair as alt
import pandas as pd
import pytest

from conference_reports.reports.base import Report
from conference_reports.reports.cross_event import CrossEventReport
from conference_reports.reports.frames import to_frame


def _report(**values) -> Report:
    return Report(kind="conference", title="t", render="report", parameters={}, values=values)


SALES = [
    {"date": "2026-06-10", "count": 6, "revenue": Decimal("898.35")},
    {"date": "2026-06-11", "count": 2, "revenue": Decimal("249.00")},
    {"date": "2026-06-13", "count": 1, "revenue": None},
]


def test_records_become_typed_columns_with_the_metrics_names() -> None:
    df = _report(sales_by_date=SALES).frame("sales_by_date")
    assert list(df.columns) == ["date", "count", "revenue"]
    assert df["revenue"].dtype == "float64" and df["count"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert list(df["date"]) == [pd.Timestamp(d) for d in ("2026-06-10", "2026-06-11", "2026-06-13")]
    assert df["revenue"].iloc[0] == 898.35 and df["revenue"].iloc[1] == 249.0
    assert pd.isna(df["revenue"].iloc[2])
    summary = df.describe()
    assert "revenue" in summary.columns
    assert summary.loc["mean", "revenue"] == pytest.approx((898.35 + 249.0) / 2)
    assert summary.loc["count", "revenue"] == 2  # the missing day is missing, not zero
    chart = alt.Chart(df).mark_bar().encode(x="date:T", y="revenue:Q").to_dict()
    rows = next(iter(chart["datasets"].values()))
    assert rows[0]["revenue"] == 898.35 and rows[0]["date"].startswith("2026-06-10")


def test_missing_counts_stay_whole_numbers_and_flags_stay_booleans() -> None:
    df = to_frame([{"n": 3, "ok": True}, {"n": None, "ok": False}])
    assert str(df["n"].dtype) == "Int64" and df["n"].iloc[0] == 3 and pd.isna(df["n"].iloc[1])
    assert df["ok"].dtype == bool and list(df["ok"]) == [True, False]
    alt.Chart(df).mark_point().encode(x="n:Q").to_dict()


def test_datetimes_keep_their_zone_and_mixed_offsets_become_utc() -> None:
    berlin = dt.timezone(dt.timedelta(hours=2))
    same = to_frame([{"at": dt.datetime(2026, 10, 8, 9, 0, tzinfo=berlin)}])
    assert str(same["at"].dt.tz) == "UTC+02:00" and same["at"].iloc[0].hour == 9
    mixed = to_frame([{"at": "2026-10-08T09:00:00+02:00"}, {"at": "2026-10-08T09:00:00+00:00"}])
    assert str(mixed["at"].dt.tz) == "UTC"
    assert list(mixed["at"].dt.hour) == [7, 9]
    day = to_frame({"as_of": dt.date(2026, 12, 1), "phase": "over"})
    assert pd.api.types.is_datetime64_any_dtype(day["as_of"])
    assert day["as_of"].iloc[0] == pd.Timestamp("2026-12-01")
    assert day["phase"].iloc[0] == "over"
    text = to_frame([{"window": "2026-06-10 15:00:00+00:00 - 2026-07-01"}])  # not a date: left as text
    assert not pd.api.types.is_datetime64_any_dtype(text["window"])


IMPACT = {
    "total_discount": Decimal("9350.77"),
    "discount_rate": Decimal("27.63"),
    "orders_with_discount": 74,
    "by_voucher": [{"code": "COMMUNITY15", "discount_total": 492.67, "order_count": 8},
                   {"code": "SPEAKER", "discount_total": Decimal("100.50"), "order_count": 2}],
    "by_status": {"available": 16, "applied": 1},
}


def test_a_dict_is_one_row_of_its_scalars_and_its_parts_have_dotted_names() -> None:
    r = _report(discount_impact=IMPACT)
    assert r.names() == ["discount_impact", "discount_impact.by_voucher", "discount_impact.by_status"]
    row = r.frame("discount_impact")
    assert list(row.columns) == ["total_discount", "discount_rate", "orders_with_discount"] and len(row) == 1
    assert row["total_discount"].iloc[0] == 9350.77 and row["orders_with_discount"].dtype == "int64"
    vouchers = r.frame("discount_impact.by_voucher")
    assert vouchers["discount_total"].dtype == "float64"
    assert list(vouchers["discount_total"]) == [492.67, 100.5]
    assert r.frame("discount_impact.by_status").to_dict("records") == [{"available": 16, "applied": 1}]
    with pytest.raises(KeyError, match="by_level"):
        r.frame("discount_impact.by_level")
    with pytest.raises(KeyError, match="discount_impact"):
        r.frame("no_such_metric")


def test_a_dict_holding_only_a_list_is_that_list_and_named_dicts_are_rows() -> None:
    wrapped = {"checks": [{"name": "a", "count": 1}, {"name": "b", "count": 0}]}
    assert list(to_frame(wrapped)["name"]) == ["a", "b"]
    quality = {"paid_buyer_without_attendee": {"count": 1, "examples": [{"user_id": 206}]},
               "checkin_after_end": {"count": 0, "examples": []}}
    r = _report(data_quality=quality)
    df = r.frame("data_quality")
    assert df.to_dict("records") == [{"key": "paid_buyer_without_attendee", "count": 1},
                                     {"key": "checkin_after_end", "count": 0}]
    assert "data_quality.paid_buyer_without_attendee.examples" in r.names()
    assert r.frame("data_quality.paid_buyer_without_attendee.examples")["user_id"].tolist() == [206]
    assert to_frame({1: 5, 2: 7}).columns.tolist() == ["1", "2"]  # a score distribution: names as text
    assert to_frame(None).empty and to_frame([3, 4], "scores")["scores"].tolist() == [3, 4]


def test_cross_event_metrics_are_one_frame_with_a_conference_column() -> None:
    report = CrossEventReport(
        kind="cross-event", title="t", render="report", parameters={},
        per_conference={
            "c-2024": {"yoy_retention": {"returning_count": 0, "retention_rate": Decimal("0"),
                                         "previous_conferences": []}},
            "c-2025": {"yoy_retention": {"returning_count": 4, "retention_rate": Decimal("3.54"),
                                         "previous_conferences": [{"slug": "c-2024", "shared": 4}]}},
        },
        lifetime_value={"avg_ltv": Decimal("562.43"),
                        "top_users": [{"username": "a", "total_spent": Decimal("10")}]},
    )
    assert {"yoy_retention", "yoy_retention.previous_conferences", "rows", "lifetime_value",
            "lifetime_value.top_users"} <= set(report.names())
    df = report.frame("yoy_retention")
    assert list(df.columns) == ["conference", "returning_count", "retention_rate"]
    assert df["conference"].tolist() == ["c-2024", "c-2025"] and df["retention_rate"].tolist() == [0.0, 3.54]
    assert report.frame("yoy_retention.previous_conferences").to_dict("records") == [
        {"conference": "c-2025", "slug": "c-2024", "shared": 4}]
    assert report.frame("lifetime_value")["avg_ltv"].iloc[0] == 562.43
    assert report.frame("rows").empty  # no conferences chosen


@pytest.fixture(scope="module")
def fixture_reports(fixture_url: str):
    from conference_reports.reports import conference_report, sponsors_report

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFERENCE_REPORTS_DB", fixture_url)
        yield (conference_report("python-2077", header=False, render="report"),
               sponsors_report("python-2077", header=False, render="report"))


def test_fixture_sales_by_date_frame(fixture_reports, expected) -> None:
    r, _ = fixture_reports
    df = r.frame("sales_by_date")
    metric = r["sales_by_date"]
    assert len(df) == len(metric) > 20
    assert [d.date().isoformat() for d in df["date"]] == [str(v["date"]) for v in metric]
    assert df["count"].tolist() == [v["count"] for v in metric]
    assert df["revenue"].tolist() == [float(v["revenue"]) for v in metric]  # the metric's Decimals
    assert df.loc[0, "revenue"] == 249.0 and df.loc[0, "date"] == pd.Timestamp("2026-10-15")
    # django-program's own answers (days cut in UTC there, so only the totals must agree)
    known = expected["python-2077"]["sales_by_date"]
    assert df["count"].sum() == sum(k["count"] for k in known)
    assert df["revenue"].sum() == pytest.approx(float(sum(Decimal(k["revenue"]) for k in known)))
    assert df["revenue"].dtype == "float64" and df["count"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert "revenue" in df.describe().columns
    spec = alt.Chart(df).mark_line().encode(x="date:T", y="revenue:Q").to_dict()
    assert len(next(iter(spec["datasets"].values()))) == len(metric)


def test_fixture_frames_of_dicts_and_datetimes(fixture_reports, expected) -> None:
    r, sponsors = fixture_reports
    funnel = r.frame("cart_funnel")
    known = expected["python-2077"]["cart_funnel"]
    assert len(funnel) == 1 and funnel["total_carts"].iloc[0] == known["total_carts"] == 20
    assert funnel["conversion_rate"].iloc[0] == pytest.approx(float(known["conversion_rate"]))
    assert funnel["conversion_rate"].dtype == "float64"
    checkins = r.frame("checkin_throughput")
    first = expected["python-2077"]["checkin_throughput"][0]
    assert str(checkins["bucket_start"].dtype).startswith("datetime64")
    assert checkins["bucket_start"].iloc[0] == pd.Timestamp(first["bucket_start"])
    assert "cart_funnel" in r.names() and "sponsor_analytics.by_level" in sponsors.names()
    levels = sponsors.frame("sponsor_analytics.by_level")
    assert levels["revenue"].dtype == "float64"
    total = sponsors["sponsor_analytics"]["total_sponsor_revenue"]
    assert levels["revenue"].sum() == pytest.approx(float(total))
    for name in r.names() + sponsors.names():  # every frame charts, and holds no Decimal
        df = (r if name in r.names() else sponsors).frame(name)
        alt.Chart(df).mark_point().to_dict()
        assert not any(isinstance(v, Decimal) for col in df.columns for v in df[col]), name


def test_dates_and_datetimes_mixed_make_one_time_line() -> None:
    from conference_reports.reports.frames import column

    naive = column([dt.date(2026, 1, 1), dt.datetime(2026, 1, 2, 3, 4), None])
    assert pd.api.types.is_datetime64_any_dtype(naive)
    assert list(naive[:2]) == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-02 03:04")]
    aware = column([dt.date(2026, 1, 1), dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)])
    assert str(aware.dt.tz) == "UTC" and aware.iloc[1] == pd.Timestamp("2026-01-02 03:04", tz="UTC")

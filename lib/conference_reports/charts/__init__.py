"""Every chart of the reports: one house look, target rules, empty states, tables.

Charts take records (lists of dicts, dicts, DataFrames) shaped like the metric values and know
nothing of the database. Each is a `Chart` (`charts/vegalite.py`): a Vega-Lite spec built as plain
dicts, `to_dict()` for the spec, `to_altair()` for an Altair chart. Conventions:

* a chart with a target draws it as a dashed rule with a label, and tells met or missed by colour
  *and* by text (the bar label and the tooltip say "met" / "missed", never colour alone);
* titles and axis titles are plain words; tooltips carry exact values; money is `$,.2f`;
* no data gives a short "No data yet" note instead of an empty or broken chart;
* a chart that draws one metric is named after it and takes its value first (`nps_score(value)`); one
  that draws a part or a variant of a metric starts with its name (`sponsor_benefit_fulfillment_by_level`).
"""

from __future__ import annotations

from .cross_event import (
    attendee_lifetime_value,
    return_rates,
    yoy_growth_by_conference,
    yoy_retention_by_conference,
)
from .discounts import credit_summary, discount_impact, refund_metrics, vouchers
from .feedback import nps_score, session_rating_analytics
from .finance import event_roi, expense_summary
from .formats import (
    BUDGET_TEXT,
    LIMIT_TEXT,
    MET_TEXT,
    STATUS_DOMAIN,
    as_judged,
    count,
    fmt,
    money,
    num,
    percent,
    status_of,
    status_words,
)
from .kpis import kpi_bullet, kpi_scorecard, scorecard_rows, scorecard_table, target_source_text
from .ledger import (
    letter_request_summary,
    payment_status_summary_by_status,
    reconciliation_payments,
    registration_attribution,
    ticket_sales_ratio_stock,
)
from .operations import (
    activity_utilization,
    checkin_throughput,
    content_analytics,
    room_utilization,
    travel_grant_analytics,
)
from .pace import days_words, forecast_lines, forecast_text, pace_summary, registration_pace
from .pace import gap_text as pace_gap_text
from .pace import recent_text as pace_recent_text
from .pace import warning_texts as forecast_warnings
from .primitives import NO_DATA, bars, bullet, bullets, no_data, target_rule
from .registration import attendee_summary, cart_funnel, registration_flow, sales_by_date, ticket_sales_ratio
from .revenue import cashflow_waterfall, cumulative_revenue, revenue_breakdown, revenue_by_ticket_type
from .sponsors import (
    active_sponsor_renewal_by_level,
    nothing_outstanding,
    outstanding_benefits_by_level,
    outstanding_benefits_list,
    sponsor_analytics_level_goals,
    sponsor_analytics_revenue_by_level,
    sponsor_analytics_revenue_goal,
    sponsor_benefit_fulfillment,
    sponsor_benefit_fulfillment_by_level,
    sponsor_benefit_fulfillment_outstanding,
    sponsor_renewal_rate,
)
from .tables import (
    data_quality_table,
    data_quality_text,
    html_table,
    income_statement_table,
    section_heading,
    unbudgeted_income_text,
)
from .theme import (
    BAR_STEP,
    MET,
    MISSED,
    MUTED,
    NEUTRAL,
    PALETTE,
    TARGET,
    THEME,
    THEME_CONFIG,
    WIDTH,
    use_theme,
)
from .vegalite import Chart

__all__ = [
    "BAR_STEP",
    "BUDGET_TEXT",
    "LIMIT_TEXT",
    "MET",
    "MET_TEXT",
    "MISSED",
    "MUTED",
    "NEUTRAL",
    "NO_DATA",
    "PALETTE",
    "STATUS_DOMAIN",
    "TARGET",
    "THEME",
    "THEME_CONFIG",
    "WIDTH",
    "Chart",
    "active_sponsor_renewal_by_level",
    "activity_utilization",
    "as_judged",
    "attendee_lifetime_value",
    "attendee_summary",
    "bars",
    "bullet",
    "bullets",
    "cart_funnel",
    "cashflow_waterfall",
    "checkin_throughput",
    "content_analytics",
    "count",
    "credit_summary",
    "cumulative_revenue",
    "data_quality_table",
    "data_quality_text",
    "days_words",
    "discount_impact",
    "event_roi",
    "expense_summary",
    "fmt",
    "forecast_lines",
    "forecast_text",
    "forecast_warnings",
    "html_table",
    "income_statement_table",
    "kpi_bullet",
    "kpi_scorecard",
    "letter_request_summary",
    "money",
    "no_data",
    "nothing_outstanding",
    "nps_score",
    "num",
    "outstanding_benefits_by_level",
    "outstanding_benefits_list",
    "pace_gap_text",
    "pace_recent_text",
    "pace_summary",
    "payment_status_summary_by_status",
    "percent",
    "reconciliation_payments",
    "refund_metrics",
    "registration_attribution",
    "registration_flow",
    "registration_pace",
    "return_rates",
    "revenue_breakdown",
    "revenue_by_ticket_type",
    "room_utilization",
    "sales_by_date",
    "scorecard_rows",
    "scorecard_table",
    "section_heading",
    "session_rating_analytics",
    "sponsor_analytics_level_goals",
    "sponsor_analytics_revenue_by_level",
    "sponsor_analytics_revenue_goal",
    "sponsor_benefit_fulfillment",
    "sponsor_benefit_fulfillment_by_level",
    "sponsor_benefit_fulfillment_outstanding",
    "sponsor_renewal_rate",
    "status_of",
    "status_words",
    "target_rule",
    "target_source_text",
    "ticket_sales_ratio",
    "ticket_sales_ratio_stock",
    "travel_grant_analytics",
    "unbudgeted_income_text",
    "use_theme",
    "vouchers",
    "yoy_growth_by_conference",
    "yoy_retention_by_conference",
]

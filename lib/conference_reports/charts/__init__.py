"""Every chart of the reports: one Altair theme, target rules, empty states, tables.

Charts take records (lists of dicts, dicts, DataFrames) shaped like the metric values and know
nothing of the database. Conventions:

* a chart with a target draws it as a dashed rule with a label, and tells met or missed by colour
  *and* by text (the bar label and the tooltip say "met" / "missed", never colour alone);
* titles and axis titles are plain words; tooltips carry exact values; money is `$,.2f`;
* no data gives a short "No data yet" note instead of an empty or broken chart.
"""

from __future__ import annotations

from .cross_event import growth, lifetime_value, retention, return_rates
from .discounts import credits, discount_impact, refunds, vouchers
from .feedback import nps, session_ratings
from .finance import event_roi, expenses
from .formats import (
    BUDGET_TEXT,
    LIMIT_TEXT,
    MET_TEXT,
    STATUS_DOMAIN,
    count,
    fmt,
    money,
    num,
    percent,
    status_of,
    status_words,
)
from .kpis import kpi_bullet, kpi_scorecard, scorecard_rows, scorecard_table
from .operations import activity_capacity, checkin_throughput, content, room_utilization, travel_grants
from .primitives import NO_DATA, bars, bullet, bullets, no_data, target_rule
from .registration import attendance, cart_funnel, registration_flow, sales_by_date, ticket_sales_ratio
from .revenue import cashflow_waterfall, cumulative_revenue, revenue_breakdown, revenue_by_ticket_type
from .sponsors import (
    outstanding_benefits,
    sponsor_fulfilment,
    sponsor_fulfilment_by_level,
    sponsor_level_goals,
    sponsor_renewal,
    sponsor_revenue_by_level,
    sponsor_revenue_goal,
)
from .tables import html_table, section_heading
from .theme import BAR_STEP, MET, MISSED, MUTED, NEUTRAL, PALETTE, TARGET, THEME, WIDTH, use_theme

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
    "WIDTH",
    "activity_capacity",
    "attendance",
    "bars",
    "bullet",
    "bullets",
    "cart_funnel",
    "cashflow_waterfall",
    "checkin_throughput",
    "content",
    "count",
    "credits",
    "cumulative_revenue",
    "discount_impact",
    "event_roi",
    "expenses",
    "fmt",
    "growth",
    "html_table",
    "kpi_bullet",
    "kpi_scorecard",
    "lifetime_value",
    "money",
    "no_data",
    "nps",
    "num",
    "outstanding_benefits",
    "percent",
    "refunds",
    "registration_flow",
    "retention",
    "return_rates",
    "revenue_breakdown",
    "revenue_by_ticket_type",
    "room_utilization",
    "sales_by_date",
    "scorecard_rows",
    "scorecard_table",
    "section_heading",
    "session_ratings",
    "sponsor_fulfilment",
    "sponsor_fulfilment_by_level",
    "sponsor_level_goals",
    "sponsor_renewal",
    "sponsor_revenue_by_level",
    "sponsor_revenue_goal",
    "status_of",
    "status_words",
    "target_rule",
    "ticket_sales_ratio",
    "travel_grants",
    "use_theme",
    "vouchers",
]

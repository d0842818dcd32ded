"""The house look: colours, sizes and the Vega-Lite config every chart carries."""

from __future__ import annotations

from typing import Any

THEME = "conference_reports"

MET = "#2e7d32"

MISSED = "#c62828"

MUTED = "#7b8794"

NEUTRAL = "#3c6e9f"

TARGET = "#1f2933"

PALETTE = ["#3c6e9f", "#e08a2c", "#5a9e6f", "#b3546b", "#7c6bb0", "#4fa3a5", "#b08d3c", "#8a8a8a"]

WIDTH = 560

BAR_STEP = 24

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

THEME_CONFIG: dict[str, Any] = {
    "font": FONT,
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
        "labelSeparation": 6,  # where a plot narrows (a phone), labels that would touch are thinned out
    },
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "titleLimit": 400},
    "range": {"category": PALETTE},
    "bar": {"color": NEUTRAL},
    "line": {"color": NEUTRAL, "strokeWidth": 2},
    "point": {"color": NEUTRAL, "filled": True},
    "text": {"fontSize": 11, "color": "#1f2933"},
}


def use_theme() -> None:
    """The house look for an analyst's own Altair charts too (the suite's charts always carry it), and
    Altair's 5000-row guard lifted (metrics arrive aggregated). Imports Altair."""
    import copy

    import altair as alt

    if THEME not in alt.theme.names():
        config = copy.deepcopy(THEME_CONFIG)
        alt.theme.register(THEME, enable=False)(lambda: alt.theme.ThemeConfig(config=config))
    alt.theme.enable(THEME)
    alt.data_transformers.disable_max_rows()

"""The report layer, the kernel side: one module per notebook, each declaring the metrics it reads.

    from conference_reports.reports import conference_report, show
"""

from .base import show
from .conference import conference_report
from .cross_event import cross_event_report
from .sponsors import sponsors_report

__all__ = ["conference_report", "cross_event_report", "show", "sponsors_report"]

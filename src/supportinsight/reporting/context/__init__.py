"""The report context: plain dicts and lists built from aggregate tables.

Every function of this package takes tables that :mod:`supportinsight.aggregate` and
:mod:`supportinsight.journey.signals` return (or the same columns built by hand)
and gives plain Python values: formatted strings for the tables and sentences,
numbers for the charts. Templates and chart code read only this context, so a
report can be rebuilt from saved tables without the messages.

>>> ctx = build_context(pain=si.pain_points(annotated), lang="de")   # doctest: +SKIP
>>> ctx.summary["pain"][0]["text"]                                    # doctest: +SKIP
"""

from __future__ import annotations

from .build import ReportContext, build_context
from .journey_cells import heatmap_data, pain_rows
from .overview import cell_signals, data_notes, describe_frame
from .summary import IMPROVED_THRESHOLD, summary_section  # the constants stay importable from here
from .trends import MIN_MESSAGES_FOR_SHARE, channel_rows, intent_matrix, switch_rows, time_data, topic_rows
from .values import shorten

__all__ = [
    "ReportContext",
    "build_context",
    "describe_frame",
    "summary_section",
    "pain_rows",
    "heatmap_data",
    "time_data",
    "channel_rows",
    "switch_rows",
    "topic_rows",
    "intent_matrix",
    "data_notes",
    "cell_signals",
    "shorten",
]

"""The ReportContext record and build_context, which assembles it from the aggregate tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..i18n import STRINGS, Labels, check_lang, fmt_int, fmt_percent, text
from .journey_cells import heatmap_data, pain_rows
from .overview import data_notes
from .summary import _previous_word, summary_section
from .trends import channel_rows, intent_matrix, switch_rows, time_data, topic_rows


@dataclass
class ReportContext:
    """Everything a template or a chart needs, as plain values."""

    lang: str
    title: str
    generated: str
    period: str | None
    period_word: str
    previous_word: str
    kpis: list[dict[str, str]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    heatmap: dict[str, Any] = field(default_factory=dict)
    pain: list[dict[str, Any]] = field(default_factory=list)
    pain_min_messages: int = 5
    time: dict[str, Any] = field(default_factory=dict)
    channels: list[dict[str, Any]] = field(default_factory=list)
    switches: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] | None = None
    intents: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The context as a dict (what the templates see)."""
        return dict(self.__dict__)


def build_context(*, pain: pd.DataFrame, lang: str = "en", labels: Labels | None = None,
                  overview: Mapping[str, Any] | None = None, over_time: pd.DataFrame | None = None,
                  channels: pd.DataFrame | None = None, switches: pd.DataFrame | None = None,
                  intents: pd.DataFrame | None = None, topics: pd.DataFrame | None = None,
                  signals: pd.DataFrame | None = None, quarantine: int | None = None,
                  provenance: Sequence[Mapping[str, Any]] | None = None, period: str | None = "W",
                  title: str | None = None, generated: str = "", redacted: bool = True) -> ReportContext:
    """Assemble the whole report context from aggregate tables.

    Only ``pain`` is required; sections whose table is None are left out of the report.

    Parameters
    ----------
    pain:
        :func:`~supportinsight.aggregate.pain_points.pain_points` (by phase and touchpoint).
    lang:
        ``"en"`` or ``"de"``.
    labels:
        Display labels (default: prettified ids in ``lang``).
    overview:
        :func:`describe_frame` of the annotated frame.
    over_time, channels, intents:
        :func:`~supportinsight.aggregate.trends.sentiment_over_time`,
        :func:`~supportinsight.aggregate.trends.channel_mix`,
        :func:`~supportinsight.aggregate.trends.intents_by_touchpoint`.
    switches, signals:
        :func:`~supportinsight.journey.signals.channel_switches` and
        :func:`~supportinsight.journey.signals.escalation_signals`.
    topics:
        :func:`~supportinsight.aggregate.topics.topic_table`, or None.
    quarantine:
        Number of quarantined input rows (None: not known).
    provenance:
        List of ``{step, version, columns}`` (``frame.attrs["supportinsight_steps"]``).
    generated:
        Generation time as text (the one part of the report that changes between runs).
    """
    check_lang(lang)
    labels = labels or Labels(lang=lang)
    strings = dict(STRINGS[lang])
    period_word = text(lang, f"period_{period}") if period in ("W", "M", "D", "Q") else text(lang, "previous_other")
    ctx = ReportContext(lang=lang, title=title or text(lang, "title"), generated=generated, period=period,
                        period_word=period_word, previous_word=_previous_word(lang, period), strings=strings)
    ctx.pain_min_messages = int(pain.attrs.get("min_messages", 5)) if hasattr(pain, "attrs") else 5
    ctx.summary = summary_section(pain, labels, overview=overview, signals=signals, topics=topics, period=period)
    if overview:
        ctx.kpis.append({"value": fmt_int(overview["customer_messages"], lang), "label": text(lang, "kpi_messages")})
        ctx.kpis.append({"value": fmt_int(overview["conversations"], lang), "label": text(lang, "kpi_conversations")})
        ctx.kpis.append({"value": fmt_percent(overview["customer_negative"], lang), "label": text(lang, "kpi_negative")})
    if signals is not None and len(signals):
        rate = float(signals["escalated"].astype(bool).mean())
        ctx.kpis.append({"value": fmt_percent(rate, lang), "label": text(lang, "kpi_escalated")})
    ctx.heatmap = heatmap_data(pain, labels)
    ctx.pain = pain_rows(pain, labels, signals=signals)
    if over_time is not None:
        ctx.time = time_data(over_time, labels)
    if channels is not None:
        ctx.channels = channel_rows(channels, labels)
    if switches is not None:
        ctx.switches = switch_rows(switches, labels)
    ctx.topics = topic_rows(topics, labels)
    if intents is not None:
        ctx.intents = intent_matrix(intents, labels)
    ctx.notes = data_notes(overview or {}, labels, quarantine=quarantine, provenance=provenance,
                           redacted=redacted)
    return ctx

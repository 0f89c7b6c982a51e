"""The insight report for CX leads: one self-contained HTML file and a Markdown summary.

>>> import supportinsight as si
>>> result = si.report(annotated, "report.html", lang="de", md="summary.md")   # doctest: +SKIP
>>> result.context.summary["pain"][0]                                           # doctest: +SKIP

:func:`report` computes the aggregate tables (pain points, trends, escalation
signals, topics), turns them into a plain report context
(:mod:`~supportinsight.reporting.context`) and renders it with Jinja2
(:mod:`~supportinsight.reporting.html`, :mod:`~supportinsight.reporting.markdown`).
To render tables you computed yourself, call
:func:`~supportinsight.reporting.context.build_context` and the renderers directly.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, SchemaError
from .context import ReportContext, build_context, describe_frame
from .i18n import Labels, check_lang

__all__ = ["report", "ReportResult", "report_labels", "build_context", "render_html", "render_markdown"]


def __getattr__(name: str) -> Any:
    # Renderers import plotly and jinja2; load them only when asked for.
    if name == "render_html":
        from .html import render_html

        return render_html
    if name == "render_markdown":
        from .markdown import render_markdown

        return render_markdown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(repr=False)
class ReportResult:
    """What :func:`report` made: the HTML and Markdown text, where they were written, the context.

    Its repr is one line (paths, sizes, counts), so a REPL or notebook does not print
    the whole page; the text itself is ``result.html`` and ``result.markdown``.
    """

    html: str
    markdown: str | None
    path: Path | None
    md_path: Path | None
    context: ReportContext

    def __repr__(self) -> str:
        parts = [f"path={str(self.path)!r}" if self.path is not None else "path=None",
                 f"html={_size(self.html)}"]
        if self.markdown is not None:
            parts += [f"md_path={str(self.md_path)!r}" if self.md_path is not None else "md_path=None",
                      f"markdown={_size(self.markdown)}"]
        ctx = self.context
        parts += [f"lang={ctx.lang!r}", f"pain_points={len(ctx.pain)}"]
        if ctx.topics is not None:
            parts.append(f"topics={len(ctx.topics)}")
        return f"ReportResult({', '.join(parts)})"


def _size(text: str) -> str:
    """``'1.27 MB'``-style size of a text written as UTF-8."""
    n = len(text.encode("utf-8"))
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n} B"


def report_labels(taxonomy: Any = None, lang: str = "en") -> Labels:
    """Display labels from a journey taxonomy (name, YAML path or loaded object).

    None loads the ``default`` taxonomy; when no taxonomy can be loaded, ids are
    shown prettified (``order_tracking`` -> ``Order tracking``).
    """
    check_lang(lang)
    loaded = taxonomy
    if taxonomy is None or isinstance(taxonomy, (str, Path)):
        try:
            from ..journey.taxonomy import load_taxonomy
        except ImportError:
            return Labels(lang=lang)
        loaded = load_taxonomy(str(taxonomy) if taxonomy is not None else "default")
    return Labels.from_taxonomy(loaded, lang)


def _quarantine_count(quarantine: Any, annotated: pd.DataFrame) -> int | None:
    if quarantine is None:
        value = annotated.attrs.get("quarantined_rows")
        return int(value) if value is not None else None
    if isinstance(quarantine, pd.DataFrame):
        return int(len(quarantine))
    if isinstance(quarantine, (str, Path)):
        path = Path(quarantine)
        if not path.exists():
            return 0
        return int(len(pd.read_csv(path, dtype=str, keep_default_na=False)))
    if isinstance(quarantine, bool) or not isinstance(quarantine, int) or quarantine < 0:
        raise ConfigError(f"quarantine must be a row count >= 0, a quarantine DataFrame or CSV path, "
                          f"got {quarantine!r}")
    return quarantine


def _topic_table(annotated: pd.DataFrame, period: str) -> pd.DataFrame | None:
    if "topic_id" not in annotated.columns:
        return None
    try:
        from ..aggregate.topics import topic_table
    except ImportError:
        return None
    table = topic_table(annotated, period=period)
    if "quotes" in table.columns:
        from ..text.pii import redact

        table = table.assign(quotes=[[redact(str(q)) for q in (qs if isinstance(qs, (list, tuple)) else [])]
                                     for qs in table["quotes"]])
    return table


def report(annotated: pd.DataFrame, path: str | Path | None = None, *, lang: str = "en", period: str = "W",
           md: str | Path | None = None, quarantine: int | pd.DataFrame | str | Path | None = None,
           title: str | None = None, taxonomy: Any = None,
           provenance: Sequence[Mapping[str, Any]] | None = None, generated: str | None = None,
           inline_plotly: bool = True) -> ReportResult:
    """Build the insight report of an annotated frame; write it when ``path``/``md`` are given.

    The HTML has seven sections: executive summary (sentences with numbers, trend and a
    quote per pain point; what improved; what is new), journey heatmap (phases x
    touchpoints, colour = negative share, hover/click for quotes), pain-point table with
    evidence quotes and escalation signals, sentiment and volume over time with channel
    mix and channel switches, topics (when the frame has ``topic_id``), intents per
    touchpoint, and data notes (period, languages, quarantine, model versions).
    All user text is escaped; quotes are PII-redacted.

    Parameters
    ----------
    annotated:
        Output of :func:`supportinsight.annotate` (or :func:`supportinsight.store.read_annotated`).
    path:
        HTML file to write (parent folders are created). None only returns the HTML.
    lang:
        ``"en"`` or ``"de"``: words, number formats (``38%`` / ``38 %``) and labels.
    period:
        ``"W"`` (weeks) or ``"M"`` (months), or any pandas period alias: trend and chart bins.
    md:
        Markdown file for the summary and pain-point table (e-mail, chat).
    quarantine:
        Quarantined input rows: a count, the quarantine DataFrame or its CSV path
        (default: ``annotated.attrs["quarantined_rows"]`` when present).
    title:
        Report title (default: "Customer journey insight report" in ``lang``).
    taxonomy:
        Journey taxonomy for phase/touchpoint labels (default: the ``default`` taxonomy).
    provenance:
        ``[{step, version, columns}, ...]``; default ``annotated.attrs["supportinsight_steps"]``.
    generated:
        Generation time shown in the report (default: now, UTC). The only part of the
        HTML that differs between runs on the same input.
    inline_plotly:
        Inline plotly.js (default). False makes a small file that needs no charts (tests).

    Returns
    -------
    ReportResult
        ``html``, ``markdown`` (None without ``md``), ``path``, ``md_path`` and ``context``.

    Raises
    ------
    SchemaError
        When the frame lacks the annotation columns (run :func:`supportinsight.annotate`).
    ConfigError
        For an unknown ``lang`` or ``period``.
    """
    from ..aggregate.pain_points import pain_points
    from ..aggregate.trends import channel_mix, check_period, intents_by_touchpoint, sentiment_over_time
    from ..journey.signals import channel_switches, escalation_signals
    from .html import render_html
    from .markdown import render_markdown

    check_lang(lang)
    check_period(period)
    if period is None:
        raise ConfigError("period must be a pandas period alias such as 'W' or 'M', got None")
    if not isinstance(annotated, pd.DataFrame):
        raise SchemaError(f"report() takes an annotated pandas DataFrame, got {type(annotated).__name__}")

    labels = report_labels(taxonomy, lang)
    signals = escalation_signals(annotated)
    pain = pain_points(annotated, period=period, signals=signals, redact=True)
    over_time = sentiment_over_time(annotated, period=period) if "timestamp" in annotated.columns else None
    channels = channel_mix(annotated) if "channel" in annotated.columns else None
    switches = channel_switches(annotated, signals=signals)
    has_intents = "intent" in annotated.columns or "intents" in annotated.columns
    intents = intents_by_touchpoint(annotated) if has_intents and "touchpoint" in annotated.columns else None
    topics = _topic_table(annotated, period)
    if provenance is None:
        provenance = annotated.attrs.get("supportinsight_steps")
    stamp = generated if generated is not None else _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    ctx = build_context(pain=pain, lang=lang, labels=labels, overview=describe_frame(annotated),
                        over_time=over_time, channels=channels, switches=switches, intents=intents,
                        topics=topics, signals=signals, quarantine=_quarantine_count(quarantine, annotated),
                        provenance=provenance, period=period, title=title, generated=stamp)
    html = render_html(ctx, inline_plotly=inline_plotly)
    markdown = render_markdown(ctx) if md is not None else None
    out_path = md_path = None
    if path is not None:
        out_path = Path(path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(html, encoding="utf-8")
    if md is not None:
        md_path = Path(md)
        md_path.parent.mkdir(parents=True, exist_ok=True)
        md_path.write_text(markdown, encoding="utf-8")
    return ReportResult(html=html, markdown=markdown, path=out_path, md_path=md_path, context=ctx)

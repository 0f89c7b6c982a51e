"""Render the report context to one self-contained HTML file (a partial plotly.js bundle inlined, no CDN).

User text reaches the page only through Jinja2 with ``autoescape=True`` or through
:func:`~supportinsight.reporting.charts.safe_json`; nothing is marked safe except the
chart blocks built by :mod:`~supportinsight.reporting.charts` and the plotly.js bundle.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from .._version import __version__
from .charts import (channel_figure, figure_html, heatmap_figure, intent_figure, plotly_js, safe_json,
                     switch_figure, time_figure, topic_figure)
from .context import ReportContext

__all__ = ["render_html", "chart_blocks", "template_environment"]

#: Fixed ids of the chart divs: the same input gives the same HTML.
CHART_IDS: dict[str, str] = {
    "heatmap": "si-heatmap",
    "time": "si-time",
    "channels": "si-channels",
    "switches": "si-switches",
    "topics": "si-topics",
    "intents": "si-intents",
}


@lru_cache(maxsize=4)
def template_environment(autoescape: bool = True) -> jinja2.Environment:
    """The Jinja2 environment reading ``supportinsight/reporting/templates``."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("supportinsight.reporting", "templates"),
                             autoescape=autoescape, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


def chart_blocks(ctx: ReportContext) -> dict[str, Markup]:
    """Chart name -> ready ``<div>``/``<script>`` HTML for the sections that have data."""
    lang = ctx.lang
    # A defaultdict so the template can ask for a chart whose section has no data.
    blocks: dict[str, Markup] = defaultdict(Markup)
    if ctx.heatmap.get("z"):
        blocks["heatmap"] = Markup(figure_html(heatmap_figure(ctx.heatmap, lang), CHART_IDS["heatmap"]))
    if ctx.time.get("periods"):
        blocks["time"] = Markup(figure_html(time_figure(ctx.time, lang), CHART_IDS["time"]))
    if ctx.channels:
        blocks["channels"] = Markup(figure_html(channel_figure(ctx.channels, lang), CHART_IDS["channels"]))
    if ctx.switches:
        blocks["switches"] = Markup(figure_html(switch_figure(ctx.switches, lang), CHART_IDS["switches"]))
    if ctx.topics:
        blocks["topics"] = Markup(figure_html(topic_figure(ctx.topics, lang), CHART_IDS["topics"]))
    if ctx.intents.get("z"):
        blocks["intents"] = Markup(figure_html(intent_figure(ctx.intents, lang), CHART_IDS["intents"]))
    return blocks


def render_html(ctx: ReportContext, *, inline_plotly: bool = True) -> str:
    """The whole report page as a string.

    Parameters
    ----------
    ctx:
        From :func:`~supportinsight.reporting.context.build_context`.
    inline_plotly:
        Inline plotly.js (a partial bundle of about 1.1 MB) so the file works offline.
        False leaves it out (only for tests that read the HTML as text).
    """
    charts = chart_blocks(ctx)
    values: dict[str, Any] = ctx.as_dict()
    values.update(
        s=ctx.strings,
        charts=charts,
        plotly_js=Markup(plotly_js()) if inline_plotly and charts else Markup(""),
        heatmap_quotes=Markup(safe_json(ctx.heatmap.get("quotes", {}))),
        chart_ids=CHART_IDS,
        version=__version__,
    )
    return template_environment(True).get_template("report.html.j2").render(**values)

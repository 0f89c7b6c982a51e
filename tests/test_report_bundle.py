"""The report stays one small offline file: a partial plotly.js bundle with every trace the charts draw."""

from __future__ import annotations

import json
import re

import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from report_sample import build_annotated
from supportinsight.reporting import charts, report
from supportinsight.reporting.html import chart_blocks

MAX_REPORT_BYTES = 1_500_000


@pytest.fixture(scope="module")
def bundle() -> str:
    text = charts.partial_bundle()
    assert text is not None, "templates/plotly_partial.min.js is missing; run plotly_partial.build.js"
    return text


def test_report_bundle_is_of_the_plotly_js_version_plotly_writes_for(bundle):
    # figures are written by the plotly package for its own plotly.js: the two must not drift apart
    assert bundle.startswith(f"/*! plotly.js {get_plotlyjs_version()} ")


def test_report_bundle_registers_every_trace_the_report_draws(bundle):
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert registered == {"scatter", "bar", "heatmap", "sankey"}
    frame = build_annotated()
    blocks = chart_blocks(report(frame, lang="de", generated="2026-03-16 09:00 UTC").context)
    drawn = set()
    for block in blocks.values():
        spec = json.loads(re.search(r"var s=(.*?);Plotly\.newPlot", block).group(1))
        drawn |= {trace["type"] for trace in spec["data"]}
    assert drawn == registered
    assert not re.search(r'description:"[^"]', bundle)  # the schema's documentation is left out
    assert len(bundle) < 1_300_000 < len(get_plotlyjs())


def test_report_bundle_report_is_small_and_self_contained(tmp_path, bundle):
    frame = build_annotated()
    result = report(frame, tmp_path / "report.html", lang="en", generated="2026-03-16 09:00 UTC")
    html = result.path.read_text(encoding="utf-8")
    size = result.path.stat().st_size
    assert size < MAX_REPORT_BYTES, f"report is {size:,} bytes"
    assert bundle[:120] in html and html.count("/*! plotly.js") == 1
    assert len(chart_blocks(result.context)) >= 5
    # offline: no script or style is fetched from anywhere
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"?https?:", html)


def test_report_bundle_falls_back_to_the_whole_bundle(monkeypatch):
    charts.plotly_js.cache_clear()
    try:
        monkeypatch.setattr(charts, "partial_bundle", lambda: None)
        assert len(charts.plotly_js()) > 3_000_000
        monkeypatch.setattr(charts, "partial_bundle", lambda: "/*! plotly.js 0.0.1 old */")
        assert len(charts.plotly_js()) > 3_000_000  # a bundle of another version is not used
    finally:
        charts.plotly_js.cache_clear()

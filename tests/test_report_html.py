"""The HTML insight report: context from hand-built tables, sentences, numbers, escaping, determinism."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from report_sample import build_annotated
from supportinsight.errors import ConfigError, SchemaError
from supportinsight.reporting import report
from supportinsight.reporting.charts import plotly_js, safe_json
from supportinsight.reporting.context import build_context, heatmap_data, summary_section
from supportinsight.reporting.html import render_html
from supportinsight.reporting.i18n import Labels, fmt_percent, fmt_points

XSS = ["<script>alert(1)</script> Paket weg", "<img src=x onerror=alert(1)> kaputt",
       '"><svg onload=alert(1)> Rechnung falsch']

PAIN_COLUMNS = ["rank", "journey_phase", "touchpoint", "messages", "conversations", "negative", "negative_share",
                "negative_share_low", "negative_share_high", "escalation_rate", "previous_negative_share", "change",
                "messages_change", "score", "top_intents", "top_topics", "quotes"]


def pain_table(rows: list[tuple]) -> pd.DataFrame:
    """A pain-point table built by hand in the contract's column order."""
    table = pd.DataFrame(rows, columns=PAIN_COLUMNS)
    table["unmapped"] = table["touchpoint"] == "unknown"
    table["low_volume"] = table["messages"] < 5
    return table


@pytest.fixture(scope="module")
def pain() -> pd.DataFrame:
    return pain_table([
        (1, "retention", "delivery", 80, 64, 30, 0.375, 0.28, 0.48, 0.2, 0.255, 0.12, 0.3, 2.1,
         ["complaint"], [], ["Paket seit 6 Tagen weg 😡", "Where is my parcel?"]),
        (2, "purchase", "payment", 40, 35, 12, 0.30, 0.18, 0.45, 0.1, 0.40, -0.10, 0.0, 1.2,
         ["request"], [], ["Zahlung abgelehnt"]),
        (3, "retention", "app", 3, 3, 3, 1.0, 0.44, 1.0, 0.0, np.nan, np.nan, np.nan, 0.6, [], [], ["App kaputt"]),
    ])


@pytest.fixture(scope="module")
def labels_en() -> Labels:
    return Labels.from_taxonomy({
        "phases": [{"id": "purchase", "label_en": "Purchase", "label_de": "Kauf"},
                   {"id": "retention", "label_en": "Retention", "label_de": "Bindung"}],
        "touchpoints": [{"id": "delivery", "label_en": "Delivery", "label_de": "Lieferung", "phases": ["retention"]},
                        {"id": "payment", "label_en": "Payment", "label_de": "Bezahlung", "phases": ["purchase"]}],
    }, "en")


@pytest.fixture(scope="module")
def xss_result():
    frame = build_annotated(extra_messages=XSS)
    return report(frame, title="Report <script>alert('t')</script>", generated="2026-03-16 09:00 UTC",
                  inline_plotly=False)


def test_report_summary_sentence_en(pain, labels_en):
    summary = summary_section(pain, labels_en, period="W")
    first = summary["pain"][0]
    assert first["label"] == "Delivery (Retention)"
    assert first["text"] == ("38% negative customer messages, +12\u00a0pts vs the previous week, "
                             "64 conversations, 20% escalated")
    assert first["quote"] == "Paket seit 6 Tagen weg 😡"
    # The 3-message cell is low volume: never named as a top pain point.
    assert [p["label"] for p in summary["pain"]] == ["Delivery (Retention)", "Payment (Purchase)"]
    assert summary["improved"][0]["label"] == "Payment (Purchase)"
    assert "\u221210\u00a0pts" in summary["improved"][0]["text"]


def test_report_summary_sentence_de(pain):
    labels = Labels.from_taxonomy({"phases": [{"id": "retention", "label_de": "Bindung"}],
                                   "touchpoints": [{"id": "delivery", "label_de": "Lieferung"}]}, "de")
    first = summary_section(pain, labels, period="W")["pain"][0]
    assert first["label"] == "Lieferung (Bindung)"
    assert first["text"] == ("38\u00a0% negative Kundennachrichten, +12\u00a0Punkte zur Vorwoche, "
                             "64 Gespräche, 20\u00a0% eskaliert")


def test_report_summary_month_and_new_topics(pain, labels_en):
    topics = pd.DataFrame({"topic_id": [0, 1], "topic_label": ["late parcels", "voucher codes"],
                           "messages": [50, 12], "share": [0.4, 0.1], "change": [0.1, np.nan],
                           "emerging": [False, True], "quotes": [["a"], ["b"]], "keywords": [["paket"], ["code"]]})
    summary = summary_section(pain, labels_en, period="M", topics=topics)
    assert "vs the previous month" in summary["pain"][0]["text"]
    assert summary["new"] == [{"label": "voucher codes",
                               "text": "New topic \u201cvoucher codes\u201d: 12 messages (10% of all)."}]


@pytest.mark.parametrize("share,lang,expected", [
    (0.375, "en", "38%"), (0.375, "de", "38\u00a0%"), (0.05, "de", "5\u00a0%"), (np.nan, "en", "\u2013")])
def test_report_percent_format(share, lang, expected):
    assert fmt_percent(share, lang) == expected


@pytest.mark.parametrize("change,lang,expected", [
    (0.12, "en", "+12\u00a0pts"), (-0.033, "de", "\u22123,3\u00a0Punkte"), (0.01, "de", "+1\u00a0Punkt"),
    (0.0, "en", "\u00b10\u00a0pts")])
def test_report_points_format(change, lang, expected):
    assert fmt_points(change, lang) == expected


def test_report_heatmap_matrix_follows_journey_order(pain, labels_en):
    heat = heatmap_data(pain, labels_en)
    assert heat["phases"] == ["purchase", "retention"]
    # Touchpoints grouped by phase: payment (purchase) before delivery and app (retention).
    assert heat["touchpoints"] == ["payment", "app", "delivery"]
    assert heat["x"] == ["Purchase", "Retention"]
    assert heat["z"][0] == [0.3, None]
    assert heat["z"][2] == [None, 0.375]
    assert heat["text"][2][1] == "38%<br>n=80"
    assert heat["quotes"]["retention|delivery"]["quotes"][0] == "Paket seit 6 Tagen weg 😡"
    # The 3-message app cell is flagged low volume (drawn grey); empty cells are not.
    assert heat["low"] == [[False, False], [False, True], [False, False]]


def test_report_context_renders_hand_built_tables(pain, labels_en):
    topics = pd.DataFrame({"topic_id": [-1, 0], "topic_label": ["outliers", "late parcels"], "messages": [9, 50],
                           "share": [0.1, 0.4], "change": [np.nan, 0.25], "emerging": [False, True],
                           "quotes": [[], ["wo bleibt das Paket"]], "keywords": [[], ["paket", "dhl"]]})
    over_time = pd.DataFrame({"period": pd.to_datetime(["2026-03-02", "2026-03-09"], utc=True),
                              "journey_phase": ["retention", "retention"], "messages": [40, 40],
                              "negative": [10, 20], "negative_share": [0.25, 0.5], "mean_sentiment": [0.0, -0.2]})
    channels = pd.DataFrame({"channel": ["chat", "social"], "messages": [70, 10], "customers": [60, 9],
                             "negative_share": [0.3, 0.7]})
    switches = pd.DataFrame({"from_channel": ["chat"], "to_channel": ["social"], "customers": [4],
                             "conversations": [4]})
    intents = pd.DataFrame({"touchpoint": ["delivery", "delivery"], "intent": ["complaint", "question"],
                            "messages": [30, 10], "share": [0.375, 0.125]})
    ctx = build_context(pain=pain, lang="en", labels=labels_en, over_time=over_time, channels=channels,
                        switches=switches, intents=intents, topics=topics, quarantine=7,
                        provenance=[{"step": "sentiment", "version": "si-sentiment-1", "columns": ["sentiment"]}],
                        generated="T")
    html = render_html(ctx, inline_plotly=False)
    for chart in ("si-heatmap", "si-time", "si-channels", "si-switches", "si-topics", "si-intents"):
        assert f'<div id="{chart}"' in html
    assert "late parcels" in html and "outliers" not in html  # outlier topic -1 is not a topic
    assert '<span class="tag new">new</span>' in html
    assert '<dd id="si-quarantine">7</dd>' in html
    assert "si-sentiment-1" in html
    assert re.search(r"<td>Chat</td><td>Social media</td><td class=\"num\">4</td>", html)


def test_report_html_escapes_user_text(xss_result):
    html = xss_result.html
    for raw in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
                "<script>alert('t')</script>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Paket weg" in html
    assert "&lt;img src=x onerror=alert(1)&gt; kaputt" in html
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in html
    assert "Report &lt;script&gt;" in html


def test_report_html_scripts_cannot_be_broken_out_of(xss_result):
    html = xss_result.html
    # Every <script> block is one of ours and closes where we close it.
    blocks = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
    assert len(blocks) == html.count("<script")
    assert len(blocks) >= 5
    for body in blocks:
        assert "<" not in body  # chart JSON escapes every "<" as \u003c
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    quotes = re.search(r'<script type="application/json" id="si-heatmap-quotes">(.*?)</script>', html, re.S)
    cells = json.loads(quotes.group(1))
    flat = [q for cell in cells.values() for q in cell["quotes"]]
    assert "<script>alert(1)</script> Paket weg" in flat


def test_report_safe_json_escapes_script_end():
    assert safe_json({"q": "</script><b>&"}) == '{"q":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    assert json.loads(safe_json({"q": "</script>\u2028"})) == {"q": "</script>\u2028"}


def test_report_html_is_deterministic_except_timestamp():
    frame = build_annotated()
    a = report(frame, generated="A", inline_plotly=False).html
    b = report(frame, generated="A", inline_plotly=False).html
    c = report(frame, generated="B", inline_plotly=False).html
    assert a == b
    assert a.replace('id="si-generated">A<', "") == c.replace('id="si-generated">B<', "")


def test_report_html_self_contained(tmp_path):
    result = report(build_annotated(), tmp_path / "r.html", lang="de", generated="G")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html == result.html
    assert html.count(plotly_js()[:60]) == 1  # plotly.js inlined exactly once
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "cdn.plot.ly" not in html.replace(plotly_js(), "")
    assert '<html lang="de">' in html


def test_report_numbers_follow_language():
    frame = build_annotated()
    de = report(frame, lang="de", generated="G", inline_plotly=False)
    en = report(frame, lang="en", generated="G", inline_plotly=False)
    top = de.context.pain[0]
    assert top["negative_share"].endswith("\u00a0%") and top["change"].endswith("Punkte")
    assert en.context.pain[0]["negative_share"].endswith("%") and "\u00a0" not in en.context.pain[0]["negative_share"]
    assert "Zusammenfassung" in de.html and "Executive summary" in en.html


def test_report_data_notes(xss_result):
    notes = xss_result.context.notes
    assert notes["quarantine"] == "3"  # from attrs["quarantined_rows"]
    assert [s["step"] for s in notes["steps"]] == ["language", "sentiment", "intent", "journey"]
    assert notes["period"] == "2026-03-02 \u2013 2026-03-16"
    assert notes["languages"].startswith("de ")


def test_report_without_provenance_says_so():
    frame = build_annotated()
    frame.attrs = {}
    ctx = report(frame, generated="G", inline_plotly=False, quarantine=pd.DataFrame({"x": [1, 2]})).context
    assert ctx.notes["steps"] == [] and "provenance" in ctx.notes["steps_missing"]
    assert ctx.notes["quarantine"] == "2"


def test_report_rejects_bad_arguments():
    frame = build_annotated()
    with pytest.raises(ConfigError, match="lang"):
        report(frame, lang="fr")
    with pytest.raises(ConfigError, match="period"):
        report(frame, period="fortnight")
    with pytest.raises(SchemaError, match="journey_phase"):
        report(frame.drop(columns=["journey_phase"]))


def test_report_labels_fallback_prettifies_unknown_ids():
    labels = Labels(lang="de")
    assert labels("order_tracking") == "Order tracking"
    assert labels("social") == "Social Media"
    assert labels("unknown") == "Nicht zugeordnet"


def test_report_topics_section_from_topic_column():
    result = report(build_annotated(topics=True), generated="G", inline_plotly=False)
    topics = result.context.topics
    assert [t["label"] for t in topics] == ["Paket verspätet / tracking", "Rechnung falsch / invoice",
                                            "Erstattung dauert / refund", "Preise gestiegen / prices"]
    # 47 delivery messages from the table of cells plus 8 from the channel switchers.
    assert topics[0]["messages"] == "55"
    assert topics[3]["emerging"] and topics[3]["messages"] == "6"
    assert result.context.summary["new"][0]["label"] == "Preise gestiegen / prices"
    assert '<div id="si-topics"' in result.html and 'id="si-topic-table"' in result.html


@pytest.mark.parametrize("case", ["undated", "agents_only", "no_intents", "empty"])
def test_report_degrades_gracefully(case):
    frame = build_annotated()
    if case == "undated":
        frame = frame.assign(timestamp=pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]"))
    elif case == "agents_only":
        frame = frame[frame["author_role"] == "agent"]
    elif case == "no_intents":
        frame = frame.drop(columns=["intent", "intents"])
    else:
        frame = frame.head(0)
    result = report(frame, generated="G", inline_plotly=False)
    html = result.html
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    if case == "undated":
        assert result.context.time == {"periods": [], "series": []} and '<div id="si-time"' not in html
        assert "167 customer messages in 167 conversations; 44% of them negative." in html
    if case in ("agents_only", "empty"):
        assert result.context.pain == [] and result.context.summary["pain"] == []
    if case == "no_intents":
        assert 'id="intents"' not in html and '<div id="si-heatmap"' in html


@pytest.mark.parametrize("lang,movers,expected", [
    ("en", 0, "Escalation signals in 1 of 3 conversations (33%); no customer moved"),
    ("en", 1, "; 1 customer moved from a private channel"),
    ("de", 1, "Eskalationssignale in 1 von 3 Gesprächen (33\u00a0%); 1 Kundin bzw. Kunde wechselte"),
    ("de", 2, "; 2 Kundinnen und Kunden wechselten"),
])
def test_report_escalation_sentence_counts(pain, lang, movers, expected):
    signals = pd.DataFrame({"conversation_id": ["a", "b", "c"], "customer_id": ["x", "y", "z"],
                            "escalated": [True, False, False],
                            "channel_switch": [i < movers for i in range(3)],
                            "journey_phase": ["retention"] * 3, "touchpoint": ["delivery"] * 3,
                            "signals": [["channel_switch"], [], []]})
    sentence = summary_section(pain, Labels(lang=lang), signals=signals)["overview"][0]
    assert expected in sentence


def test_report_low_volume_cells_collapse_into_details(pain, labels_en):
    html = render_html(build_context(pain=pain, labels=labels_en, generated="T"), inline_plotly=False)
    main, more = html.split('<details class="more">')
    assert main.count('data-cell="') == 2 and more.count('data-cell="') == 1
    assert 'data-cell="retention|app"' in more
    assert "1 more cell with fewer than 5 messages" in more

"""The report on what a new user meets first: a short repr, a small export, undetermined
languages and exports without customer ids (hand-built frames, no models)."""

from __future__ import annotations

import pandas as pd
import pytest

from report_sample import build_annotated
from supportinsight.aggregate.pain_points import pain_points
from supportinsight.reporting import report
from supportinsight.reporting.context import channel_rows, data_notes, summary_section
from supportinsight.reporting.i18n import Labels


def small_frame() -> pd.DataFrame:
    """At most 3 customer messages per journey cell: no cell reaches the minimum of 5."""
    frame = build_annotated()
    customer = frame[frame["author_role"] == "customer"]
    keep = customer.groupby(["journey_phase", "touchpoint"], group_keys=False).head(3)
    return keep.reset_index(drop=True)


def test_report_result_repr_is_short(tmp_path):
    result = report(build_annotated(), tmp_path / "r.html", md=tmp_path / "s.md", generated="G")
    text = repr(result)
    assert len(text) < 300 and "<html" not in text and "<!DOCTYPE" not in text
    assert text.startswith("ReportResult(path=") and "r.html" in text and "s.md" in text
    assert "MB" in text or "kB" in text
    assert "pain_points=" in text and "lang='en'" in text
    assert str(result) == text, "print(result) must not dump the page either"


@pytest.mark.parametrize("lang,why,first", [
    ("en", "No journey cell has 5 or more customer messages yet (the largest has 3)",
     "3 of 3 customer messages negative (100%; n = 3, tentative)"),
    ("de", "Noch hat kein Journey-Bereich 5 oder mehr Kundennachrichten (der größte hat 3)",
     "3 von 3 Kundennachrichten negativ (100\u00a0%; n = 3, vorläufig)"),
])
def test_report_small_data_says_why_and_shows_tentative_signals(lang, why, first):
    frame = small_frame()
    result = report(frame, lang=lang, generated="G", inline_plotly=False)
    summary = result.context.summary
    assert summary["pain"] == []
    assert summary["pain_note"].startswith(why)
    assert 1 <= len(summary["tentative"]) <= 3
    assert summary["tentative"][0]["text"] == first
    assert summary["tentative"][0]["quote"]
    html = result.html
    assert why in html and first in html
    # the cells are shown, not hidden behind "N more cells"
    assert "<details class=\"more\" open>" in html and "more cells" not in html
    assert 'id="si-pain-table"' not in html and 'id="si-pain-table-more"' in html


def test_report_small_data_markdown_lists_the_tentative_signals(tmp_path):
    result = report(small_frame(), md=tmp_path / "s.md", generated="G", inline_plotly=False)
    md = result.markdown
    top = md.split("## Top pain points", 1)[1].split("## What improved", 1)[0]
    assert "No journey cell has 5 or more customer messages yet" in top
    assert "1. **" in top and "n = 3, tentative" in top
    assert "\n–\n" not in top


def test_report_small_data_without_negatives_says_so():
    frame = small_frame()
    frame = frame.assign(sentiment="neutral")
    summary = summary_section(pain_points(frame), Labels(lang="en"))
    assert summary["pain"] == [] and summary["tentative"] == []
    assert "none of the small cells holds a negative message" in summary["pain_note"]


def test_report_enough_data_has_no_small_data_note():
    summary = summary_section(pain_points(build_annotated()), Labels(lang="en"))
    assert summary["pain"] and summary["pain_note"] == "" and summary["tentative"] == []


def test_report_big_cells_without_negatives_say_so():
    frame = build_annotated().assign(sentiment="neutral")
    summary = summary_section(pain_points(frame), Labels(lang="de"))
    assert summary["pain"] == [] and summary["tentative"] == []
    assert summary["pain_note"].startswith("Kein Journey-Bereich mit 5 oder mehr Kundennachrichten")


@pytest.mark.parametrize("lang,word", [("de", "unbestimmt"), ("en", "undetermined")])
def test_report_names_the_undetermined_language(lang, word):
    overview = {"messages": 10, "customer_messages": 10, "conversations": 5,
                "languages": {"de": 7, "en": 2, "und": 1}, "channels": {}}
    notes = data_notes(overview, Labels(lang=lang))
    assert f"{word} 10" in notes["languages"]
    assert "und " not in notes["languages"].replace(word, "")


@pytest.mark.parametrize("lang,unknown", [("en", "unknown"), ("de", "unbekannt")])
def test_report_channel_without_author_ids_has_unknown_customers(lang, unknown):
    frame = build_annotated()
    frame["author_id"] = frame["author_id"].where(frame["channel"] != "email", None)
    result = report(frame, lang=lang, generated="G", inline_plotly=False)
    rows = {r["id"]: r for r in result.context.channels}
    assert rows["email"]["customers"] == unknown
    assert rows["email"]["conversations"] not in ("0", "\u2013")
    assert rows["chat"]["customers"] not in (unknown, "0")
    table = result.html.split('id="si-channel-table"', 1)[1].split("</table>", 1)[0]
    assert f">{unknown}<" in table and ">0<" not in table


def test_report_channel_rows_from_an_older_table_read_unknown_not_zero():
    mix = pd.DataFrame({"channel": ["web_form"], "messages": [4], "customers": [0], "negative_share": [0.5]})
    assert channel_rows(mix, Labels(lang="en"))[0]["customers"] == "unknown"


@pytest.mark.parametrize("lang, words", [("en", "Of these, 2 were placed by their intent alone"),
                                         ("de", "Davon wurden 2 allein über ihr Anliegen zugeordnet")])
def test_report_coverage_says_how_many_touchpoints_came_from_the_intent_alone(lang, words):
    from supportinsight.journey.decide import INTENT_PLACED
    from supportinsight.reporting.context.overview import describe_frame

    frame = build_annotated()
    cust = frame.index[frame["author_role"] == "customer"][:3]
    frame.loc[cust, "touchpoint"] = ["product_quality", "product_quality", "unknown"]
    frame.loc[cust, "mapping_evidence"] = [f"{INTENT_PLACED} complaint: no touchpoint scored", f"{INTENT_PLACED} x",
                                           f"{INTENT_PLACED} on an unknown row is not counted"]
    overview = describe_frame(frame)
    assert overview["mapped_by_intent"] == 2
    summary = summary_section(pain_points(frame), Labels(lang=lang), overview=overview)
    assert any(words in s for s in summary["overview"])
    # without such rows the sentence says nothing about intents
    plain = summary_section(pain_points(build_annotated()), Labels(lang=lang), overview=describe_frame(build_annotated()))
    assert not any("intent alone" in s or "Anliegen" in s for s in plain["overview"])


def test_report_coverage_by_intent_reads_missing_evidence_without_error():
    from supportinsight.reporting.context.overview import describe_frame

    frame = build_annotated()
    cust = frame.index[frame["author_role"] == "customer"][:2]
    frame["mapping_evidence"] = frame["mapping_evidence"].astype(object)
    frame.loc[cust, "mapping_evidence"] = [None, float("nan")]
    assert describe_frame(frame)["mapped_by_intent"] == 0
    assert describe_frame(frame.drop(columns=["mapping_evidence"]))["mapped_by_intent"] == 0

"""The executive summary: overview sentences, top pain points, what improved, what is new."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..i18n import Labels, fmt_date, fmt_int, fmt_percent, fmt_points, text
from .values import _as_list, _isnan, _require, shorten

#: A change of the negative share at least this big (in share units) counts as "improved".
IMPROVED_THRESHOLD = 0.05


def summary_section(pain: pd.DataFrame, labels: Labels, *, overview: Mapping[str, Any] | None = None,
                    signals: pd.DataFrame | None = None, topics: pd.DataFrame | None = None,
                    period: str | None = "W", top: int = 3
                    ) -> dict[str, Any]:
    """The executive summary as sentences: overview, top pain points, what improved, what is new.

    Parameters
    ----------
    pain:
        :func:`~supportinsight.aggregate.pain_points.pain_points` table.
    labels:
        Display labels in the report language.
    overview:
        :func:`describe_frame` of the annotated frame (for the overview sentence).
    signals:
        :func:`~supportinsight.journey.signals.escalation_signals` (escalation rate and
        customers who went public).
    topics:
        :func:`~supportinsight.aggregate.topics.topic_table` table, or None.
    top:
        How many pain points to name.

    Returns
    -------
    dict
        ``overview`` (list of sentences), ``pain`` (list of ``{label, text, quote}``),
        ``improved`` (list of ``{label, text}``), ``new`` (list of ``{label, text}``),
        ``new_note`` and ``improved_note`` (sentence when the list is empty),
        ``pain_note`` (why ``pain`` is empty; ``""`` when it is not) and ``tentative``
        (when no cell reaches the minimum: the strongest small cells as
        ``{label, text, quote}``, each naming its number of messages).
    """
    lang = labels.lang
    _require(pain, ["journey_phase", "touchpoint", "messages", "conversations", "negative_share", "change",
                    "escalation_rate", "quotes"], "pain points")
    period_word = text(lang, f"period_{period}") if period in ("W", "M", "D", "Q") else text(lang, "previous_other")
    prev = _previous_word(lang, period)
    out: dict[str, Any] = {"overview": [], "pain": [], "improved": [], "new": [], "improved_note": "",
                           "new_note": "", "pain_note": "", "tentative": []}
    if overview:
        values = dict(messages=fmt_int(overview["customer_messages"], lang),
                      conversations=fmt_int(overview["conversations"], lang),
                      negative=fmt_percent(overview["customer_negative"], lang))
        if overview.get("start") is not None:
            out["overview"].append(text(lang, "overview_sentence", start=fmt_date(overview["start"], lang),
                                        end=fmt_date(overview["end"], lang), **values))
        else:
            out["overview"].append(text(lang, "overview_undated", **values))
    if signals is not None and len(signals):
        escalated = int(signals["escalated"].astype(bool).sum())
        movers = 0
        if "channel_switch" in signals.columns:
            sw = signals[signals["channel_switch"].astype(bool)]
            movers = int(sw["customer_id"].nunique() + sw["customer_id"].isna().sum())
        key = "switches_none" if movers == 0 else ("switches_one" if movers == 1 else "switches_many")
        out["overview"].append(text(lang, "escalation_sentence", escalated=fmt_int(escalated, lang),
                                    total=fmt_int(len(signals), lang),
                                    rate=fmt_percent(escalated / len(signals), lang),
                                    switches=text(lang, key, n=fmt_int(movers, lang))))

    cust = int(overview.get("customer_messages", 0) or 0) if overview else 0
    if cust:
        mapped = cust - int(overview.get("unmapped", 0) or 0)
        sentence = text(lang, "coverage_sentence", mapped=fmt_int(mapped, lang),
                        total=fmt_int(cust, lang), share=fmt_percent(mapped / cust, lang))
        by_intent = int(overview.get("mapped_by_intent", 0) or 0)
        if by_intent:
            sentence += " " + text(lang, "coverage_by_intent", n=fmt_int(by_intent, lang))
        out["overview"].append(sentence)

    usable = pain
    for flag in ("low_volume", "unmapped"):
        if flag in usable.columns:
            usable = usable[~usable[flag].astype(bool)]
    ranked = usable[usable["negative_share"].fillna(0) > 0].head(top)
    out["pain_note"], out["tentative"] = _small_data(pain, usable, ranked, labels, top)
    for row in ranked.to_dict("records"):
        change = "" if _isnan(row["change"]) else text(lang, "change_clause", points=fmt_points(row["change"], lang),
                                                        prev=prev)
        esc = ("" if _isnan(row["escalation_rate"]) or row["escalation_rate"] <= 0
               else text(lang, "escalation_clause", rate=fmt_percent(row["escalation_rate"], lang)))
        sentence = text(lang, "pain_sentence", label="", share=fmt_percent(row["negative_share"], lang),
                        change=change, conversations=fmt_int(row["conversations"], lang), escalation=esc)
        quotes = _as_list(row["quotes"])
        out["pain"].append({"label": labels.cell(row["journey_phase"], row["touchpoint"]),
                            "text": sentence.lstrip(": ").strip(),
                            "quote": shorten(quotes[0]) if quotes else ""})

    better = usable[usable["change"].notna() & (usable["change"] <= -IMPROVED_THRESHOLD)]
    better = better.sort_values(["change", "messages"], ascending=[True, False], kind="stable").head(top)
    for row in better.to_dict("records"):
        out["improved"].append({
            "label": labels.cell(row["journey_phase"], row["touchpoint"]),
            "text": text(lang, "improved_sentence", label="", share=fmt_percent(row["negative_share"], lang),
                         points=fmt_points(row["change"], lang), prev=prev,
                         messages=fmt_int(row["messages"], lang)).lstrip(": ").strip()})
    if not out["improved"]:
        out["improved_note"] = text(lang, "nothing_improved", prev=prev)

    if topics is None:
        out["new_note"] = text(lang, "no_topics")
    else:
        _require(topics, ["topic_label", "messages", "share", "emerging"], "topics")
        emerging = topics[topics["emerging"].astype(bool)].sort_values("messages", ascending=False, kind="stable")
        for row in emerging.head(top).to_dict("records"):
            out["new"].append({"label": str(row["topic_label"]),
                               "text": text(lang, "new_topic_sentence", label=str(row["topic_label"]),
                                            messages=fmt_int(row["messages"], lang),
                                            share=fmt_percent(row["share"], lang))})
        if not out["new"]:
            out["new_note"] = text(lang, "nothing_new", period=period_word)
    return out


def _small_data(pain: pd.DataFrame, usable: pd.DataFrame, ranked: pd.DataFrame, labels: Labels,
                top: int) -> tuple[str, list[dict[str, str]]]:
    """Why no pain point is named, and (when no cell reaches the minimum) the tentative ones.

    A report on a small export must not go silent: it says that no journey cell has
    enough customer messages to rank with confidence and still names the strongest
    signals, each with its ``n``.
    """
    if len(ranked):
        return "", []
    lang = labels.lang
    min_messages = int(pain.attrs.get("min_messages", 5) or 5) if hasattr(pain, "attrs") else 5
    if not len(pain):
        return text(lang, "pain_no_messages"), []
    if len(usable):
        return text(lang, "pain_none_negative", min_messages=fmt_int(min_messages, lang)), []
    mapped = pain[~pain["unmapped"].astype(bool)] if "unmapped" in pain.columns else pain
    largest = int(mapped["messages"].max()) if len(mapped) else 0
    negative = mapped[mapped["negative_share"].fillna(0) > 0]
    values = dict(min_messages=fmt_int(min_messages, lang), largest=fmt_int(largest, lang))
    if not len(negative):
        return text(lang, "pain_small_none", **values), []
    # pain_points ranks low-volume cells by score too: the first ones are the strongest signals
    tentative = []
    for row in negative.head(top).to_dict("records"):
        negatives = row["negative"] if "negative" in row else round(row["negative_share"] * row["messages"])
        quotes = _as_list(row.get("quotes"))
        tentative.append({"label": labels.cell(row["journey_phase"], row["touchpoint"]),
                          "text": text(lang, "tentative_sentence", negative=fmt_int(negatives, lang),
                                       messages=fmt_int(row["messages"], lang),
                                       share=fmt_percent(row["negative_share"], lang)),
                          "quote": shorten(quotes[0]) if quotes else ""})
    return text(lang, "pain_small_data", **values), tentative


def _previous_word(lang: str, period: str | None) -> str:
    key = f"previous_{period}" if period in ("W", "M", "D", "Q") else "previous_other"
    return text(lang, key)

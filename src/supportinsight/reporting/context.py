"""The report context: plain dicts and lists built from aggregate tables.

Every function here takes tables that :mod:`supportinsight.aggregate` and
:mod:`supportinsight.journey.signals` return (or the same columns built by hand)
and gives plain Python values: formatted strings for the tables and sentences,
numbers for the charts. Templates and chart code read only this context, so a
report can be rebuilt from saved tables without the messages.

>>> ctx = build_context(pain=si.pain_points(annotated), lang="de")   # doctest: +SKIP
>>> ctx.summary["pain"][0]["text"]                                    # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import SchemaError
from .i18n import (STRINGS, Labels, check_lang, fmt_date, fmt_int, fmt_percent, fmt_points,
                   text)

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

#: A change of the negative share at least this big (in share units) counts as "improved".
IMPROVED_THRESHOLD = 0.05
_QUOTE_SUMMARY = 160
_UNKNOWN = "unknown"


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


def _isnan(value: Any) -> bool:
    try:
        return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _as_list(value: Any) -> list:
    if value is None or _isnan(value):
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in list(value) if v is not None and not _isnan(v)]


def _require(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise SchemaError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    for col in columns:
        if col not in table.columns:
            raise SchemaError(f"is missing from the {name} table; build it with the matching "
                              "supportinsight.aggregate function", column=col)


def shorten(quote: Any, limit: int = _QUOTE_SUMMARY) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    line = " ".join(str(quote).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "\u2026"


def describe_frame(annotated: pd.DataFrame) -> dict[str, Any]:
    """Counts the data notes and the overview sentence need, read from an annotated frame.

    Returns
    -------
    dict
        ``messages``, ``customer_messages``, ``conversations``, ``customer_negative``
        (share), ``start``/``end`` (UTC timestamps or None), ``languages`` and
        ``channels`` (id -> customer messages, largest first), ``errors`` (messages with
        annotation errors), ``unmapped`` (customer messages without touchpoint).
    """
    from ..journey.signals import customer_messages

    cust_mask = customer_messages(annotated).to_numpy()
    cust = annotated.loc[cust_mask]
    out: dict[str, Any] = {
        "messages": int(len(annotated)),
        "customer_messages": int(len(cust)),
        "conversations": int(annotated["conversation_id"].nunique()) if "conversation_id" in annotated else 0,
        "start": None,
        "end": None,
        "customer_negative": float("nan"),
        "languages": {},
        "channels": {},
        "errors": 0,
        "unmapped": 0,
    }
    if "timestamp" in annotated.columns:
        ts = pd.to_datetime(annotated["timestamp"], utc=True).dropna()
        if len(ts):
            out["start"], out["end"] = ts.min(), ts.max()
    if "sentiment" in cust.columns and len(cust):
        s = cust["sentiment"].astype("string")
        rated = s.notna().sum()
        out["customer_negative"] = float((s == "negative").sum() / rated) if rated else float("nan")
    for col, key in (("language", "languages"), ("channel", "channels")):
        if col in cust.columns:
            counts = cust[col].astype("string").fillna(_UNKNOWN).value_counts()
            out[key] = {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}
    if "annotation_errors" in annotated.columns:
        out["errors"] = int((annotated["annotation_errors"].astype("string").fillna("") != "").sum())
    if "touchpoint" in cust.columns:
        tp = cust["touchpoint"].astype("string")
        out["unmapped"] = int((tp.isna() | (tp == _UNKNOWN)).sum())
    return out


def cell_signals(signals: pd.DataFrame | None, by: Sequence[str] = ("journey_phase", "touchpoint")
                 ) -> dict[tuple, Counter]:
    """Per journey cell, how many conversations carry each escalation signal."""
    if signals is None or not len(signals):
        return {}
    _require(signals, [*by, "signals"], "escalation signals")
    out: dict[tuple, Counter] = {}
    for row in signals[[*by, "signals"]].itertuples(index=False):
        key = tuple(str(v) for v in row[:-1])
        out.setdefault(key, Counter()).update(_as_list(row[-1]))
    return out


def _signal_text(counter: Counter | None, labels: Labels) -> list[str]:
    if not counter:
        return []
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"{labels.signal(name)} ({n})" for name, n in items]


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
        out["overview"].append(text(lang, "coverage_sentence", mapped=fmt_int(mapped, lang),
                                    total=fmt_int(cust, lang), share=fmt_percent(mapped / cust, lang)))

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


def pain_rows(pain: pd.DataFrame, labels: Labels, *, signals: pd.DataFrame | None = None,
              quotes: int = 3) -> list[dict[str, Any]]:
    """The pain-point table, formatted: one dict per row with strings ready to print."""
    lang = labels.lang
    _require(pain, ["journey_phase", "touchpoint", "messages", "conversations", "negative_share"], "pain points")
    per_cell = cell_signals(signals)
    rows = []
    for i, row in enumerate(pain.to_dict("records"), start=1):
        key = (str(row["journey_phase"]), str(row["touchpoint"]))
        change = row.get("change", float("nan"))
        rows.append({
            "rank": int(row.get("rank", i)),
            "phase": labels(row["journey_phase"]),
            "touchpoint": labels(row["touchpoint"]),
            "phase_id": key[0],
            "touchpoint_id": key[1],
            "messages": fmt_int(row["messages"], lang),
            "conversations": fmt_int(row["conversations"], lang),
            "conversations_word": text(lang, "conv_one" if int(row["conversations"]) == 1 else "kpi_conversations"),
            "negative_share": fmt_percent(row["negative_share"], lang),
            "negative_value": float(row["negative_share"]) if not _isnan(row["negative_share"]) else 0.0,
            "interval": (f"{fmt_percent(row['negative_share_low'], lang)}\u2013"
                         f"{fmt_percent(row['negative_share_high'], lang)}"
                         if "negative_share_low" in row and not _isnan(row["negative_share_low"]) else ""),
            "change": fmt_points(change, lang),
            "change_sign": 0 if _isnan(change) else (1 if change > 0 else (-1 if change < 0 else 0)),
            "escalation_rate": fmt_percent(row.get("escalation_rate"), lang),
            "signals": _signal_text(per_cell.get(key), labels),
            "top_intents": [labels(x) for x in _as_list(row.get("top_intents"))],
            "top_topics": [str(x) for x in _as_list(row.get("top_topics"))],
            "quotes": [shorten(q, 240) for q in _as_list(row.get("quotes"))[:quotes]],
            "score": _fmt_score(row.get("score"), lang),
            "low_volume": bool(row.get("low_volume", False)),
            "unmapped": bool(row.get("unmapped", False)),
        })
    return rows


def _fmt_score(value: Any, lang: str) -> str:
    if _isnan(value):
        return "\u2013"
    out = f"{float(value):.2f}"
    return out.replace(".", ",") if lang == "de" else out


def _touchpoint_order(cells: pd.DataFrame, labels: Labels) -> tuple[list[str], list[str]]:
    """Phases in journey order; touchpoints grouped by the phase they occur in most."""
    phases = sorted({str(p) for p in cells["journey_phase"]}, key=labels.phase_rank)
    home: dict[str, str] = {}
    for tp, grp in cells.groupby("touchpoint", sort=True):
        tp = str(tp)
        if tp in labels.touchpoint_phase and labels.touchpoint_phase[tp] in phases:
            home[tp] = labels.touchpoint_phase[tp]
        else:
            best = grp.sort_values(["messages", "journey_phase"], ascending=[False, True], kind="stable")
            home[tp] = str(best["journey_phase"].iloc[0])
    touchpoints = sorted(home, key=lambda tp: (labels.phase_rank(home[tp]), tp == _UNKNOWN, labels(tp)))
    return phases, touchpoints


def heatmap_data(pain: pd.DataFrame, labels: Labels, *, min_messages: int | None = None) -> dict[str, Any]:
    """Phases x touchpoints matrices of negative share, volume and quotes for the heatmap.

    Returns
    -------
    dict
        ``phases`` and ``touchpoints`` (ids, in journey order), ``x``/``y`` (their labels),
        ``z`` (negative share per touchpoint row and phase column, None where empty),
        ``messages`` (counts), ``text`` (cell label), ``hover`` (one-quote hover text, raw),
        ``keys`` (cell key per position), ``quotes`` (cell key -> ``{label, quotes}``) and
        ``low`` (True where the cell has fewer than ``min_messages`` messages; default
        ``pain.attrs["min_messages"]`` or 5): a share of 1 of 1 must not look like a fire.
    """
    if min_messages is None:
        min_messages = int(pain.attrs.get("min_messages", 5) or 5)
    lang = labels.lang
    _require(pain, ["journey_phase", "touchpoint", "messages", "negative_share"], "pain points")
    cells = pain.assign(journey_phase=pain["journey_phase"].astype(str), touchpoint=pain["touchpoint"].astype(str))
    phases, touchpoints = _touchpoint_order(cells, labels)
    index = {(r["journey_phase"], r["touchpoint"]): r for r in cells.to_dict("records")}
    z, counts, label_text, hover, keys, low = [], [], [], [], [], []
    quotes: dict[str, dict[str, Any]] = {}
    for tp in touchpoints:
        zr, cr, tr, hr, kr, lr = [], [], [], [], [], []
        for ph in phases:
            row = index.get((ph, tp))
            if row is None:
                zr.append(None)
                cr.append(0)
                tr.append("")
                hr.append("")
                kr.append("")
                lr.append(False)
                continue
            lr.append(int(row["messages"]) < min_messages)
            key = f"{ph}|{tp}"
            share = None if _isnan(row["negative_share"]) else float(row["negative_share"])
            q = [shorten(x, 240) for x in _as_list(row.get("quotes"))]
            quotes[key] = {"label": labels.cell(ph, tp), "quotes": q}
            zr.append(share)
            cr.append(int(row["messages"]))
            tr.append(f"{fmt_percent(share, lang)}<br>n={fmt_int(row['messages'], lang)}")
            hr.append({"cell": labels.cell(ph, tp), "messages": fmt_int(row["messages"], lang),
                       "negative": fmt_percent(share, lang),
                       "change": fmt_points(row.get("change"), lang),
                       "quote": shorten(q[0], 140) if q else ""})
            kr.append(key)
        z.append(zr)
        counts.append(cr)
        label_text.append(tr)
        hover.append(hr)
        keys.append(kr)
        low.append(lr)
    return {"phases": phases, "touchpoints": touchpoints, "x": [labels(p) for p in phases],
            "y": [labels(t) for t in touchpoints], "z": z, "messages": counts, "text": label_text,
            "hover": hover, "keys": keys, "quotes": quotes, "low": low, "min_messages": min_messages}


#: A period's negative share is drawn only from this many messages on: 1 of 1 is noise.
MIN_MESSAGES_FOR_SHARE = 3


def time_data(over_time: pd.DataFrame, labels: Labels, by: str = "journey_phase",
              min_messages: int = MIN_MESSAGES_FOR_SHARE) -> dict[str, Any]:
    """Series per phase for the over-time chart: periods, negative share, volume.

    Shares of periods with fewer than ``min_messages`` messages are None (a gap in the
    line); their volume still counts.
    """
    _require(over_time, ["period", "messages", "negative_share"], "sentiment over time")
    if not len(over_time):
        return {"periods": [], "series": []}
    periods = sorted(pd.to_datetime(over_time["period"], utc=True).unique())
    iso = [pd.Timestamp(p).strftime("%Y-%m-%d") for p in periods]
    groups = (sorted({str(g) for g in over_time[by]}, key=labels.phase_rank) if by in over_time.columns
              else ["all"])
    series = []
    for g in groups:
        part = over_time if by not in over_time.columns else over_time[over_time[by].astype(str) == g]
        by_period = {pd.Timestamp(p): r for p, r in zip(pd.to_datetime(part["period"], utc=True),
                                                         part.to_dict("records"))}
        share, volume = [], []
        for p in periods:
            r = by_period.get(pd.Timestamp(p))
            share.append(None if r is None or _isnan(r["negative_share"]) or int(r["messages"]) < min_messages
                         else float(r["negative_share"]))
            volume.append(0 if r is None else int(r["messages"]))
        series.append({"id": g, "label": labels(g) if g != "all" else "", "negative_share": share,
                       "messages": volume})
    return {"periods": iso, "series": series, "min_messages": min_messages}


def channel_rows(mix: pd.DataFrame, labels: Labels) -> list[dict[str, Any]]:
    """Channel mix rows: label, messages, conversations, customers, negative share (numbers and text).

    A channel whose export carries no ``author_id`` has an unknown number of customers
    (``customers`` missing or, in tables built before that, 0 with messages): it reads
    "unknown", never "0"; its conversations still count.
    """
    _require(mix, ["channel", "messages", "customers", "negative_share"], "channel mix")
    lang = labels.lang
    total = float(mix["messages"].sum()) or 1.0
    rows = []
    for r in mix.to_dict("records"):
        known = not _isnan(r["customers"]) and not (int(r["customers"]) == 0 and int(r["messages"]) > 0)
        conversations = r.get("conversations")
        rows.append({"id": str(r["channel"]), "label": labels(r["channel"]), "messages_value": int(r["messages"]),
                     "messages": fmt_int(r["messages"], lang), "share": fmt_percent(r["messages"] / total, lang),
                     "conversations": "\u2013" if _isnan(conversations) else fmt_int(conversations, lang),
                     "customers": fmt_int(r["customers"], lang) if known else text(lang, "customers_unknown"),
                     "negative_value": None if _isnan(r["negative_share"]) else float(r["negative_share"]),
                     "negative_share": fmt_percent(r["negative_share"], lang)})
    return rows


def switch_rows(switches: pd.DataFrame, labels: Labels, limit: int = 10) -> list[dict[str, Any]]:
    """Channel switches (from -> to) with customers and conversations."""
    _require(switches, ["from_channel", "to_channel", "customers", "conversations"], "channel switches")
    lang = labels.lang
    return [{"from_id": str(r["from_channel"]), "to_id": str(r["to_channel"]),
             "from": labels(r["from_channel"]), "to": labels(r["to_channel"]),
             "customers_value": int(r["customers"]), "conversations_value": int(r["conversations"]),
             "customers": fmt_int(r["customers"], lang), "conversations": fmt_int(r["conversations"], lang)}
            for r in switches.head(limit).to_dict("records")]


def topic_rows(topics: pd.DataFrame | None, labels: Labels, limit: int = 15) -> list[dict[str, Any]] | None:
    """Topic rows (largest first, outlier topic -1 left out), or None without a topic table."""
    if topics is None:
        return None
    _require(topics, ["topic_id", "topic_label", "messages", "share"], "topics")
    lang = labels.lang
    kept = topics[pd.to_numeric(topics["topic_id"], errors="coerce") != -1]
    kept = kept.sort_values(["messages", "topic_id"], ascending=[False, True], kind="stable").head(limit)
    rows = []
    for r in kept.to_dict("records"):
        rows.append({"id": str(r["topic_id"]), "label": str(r["topic_label"]),
                     "messages_value": int(r["messages"]), "messages": fmt_int(r["messages"], lang),
                     "share": fmt_percent(r["share"], lang, 1 if r["share"] < 0.1 else 0),
                     # topic_table gives the change of the topic's share in percentage points (5.0 = +5).
                     "change": fmt_points(None if _isnan(r.get("change")) else r["change"] / 100.0, lang),
                     "change_sign": 0 if _isnan(r.get("change")) else (1 if r["change"] > 0 else -1),
                     "emerging": bool(r.get("emerging", False)),
                     "keywords": [str(k) for k in _as_list(r.get("keywords"))[:6]],
                     "quotes": [shorten(q, 200) for q in _as_list(r.get("quotes"))[:2]]})
    return rows


def intent_matrix(intents: pd.DataFrame, labels: Labels, *, max_intents: int = 9) -> dict[str, Any]:
    """Touchpoint x intent matrix of shares for the intents chart and table."""
    _require(intents, ["touchpoint", "intent", "messages", "share"], "intents by touchpoint")
    lang = labels.lang
    if not len(intents):
        return {"touchpoints": [], "intents": [], "x": [], "y": [], "z": [], "text": [], "rows": []}
    totals = intents.groupby("intent")["messages"].sum()
    chosen = sorted(totals.index, key=lambda i: (-totals[i], str(i)))[:max_intents]
    order_tp = list(dict.fromkeys(str(t) for t in intents["touchpoint"]))
    order_tp = sorted(order_tp, key=lambda tp: (labels.phase_rank(labels.touchpoint_phase.get(tp, "~")),
                                                tp == _UNKNOWN, order_tp.index(tp)))
    lookup = {(str(r["touchpoint"]), str(r["intent"])): r for r in intents.to_dict("records")}
    z, txt, rows = [], [], []
    for tp in order_tp:
        zr, tr = [], []
        for it in chosen:
            r = lookup.get((tp, str(it)))
            zr.append(None if r is None else float(r["share"]))
            tr.append("" if r is None else fmt_percent(r["share"], lang))
        z.append(zr)
        txt.append(tr)
        top = sorted((r for (t, _), r in lookup.items() if t == tp), key=lambda r: (-r["messages"], r["intent"]))[:3]
        rows.append({"touchpoint": labels(tp),
                     "intents": [f"{labels(r['intent'])} {fmt_percent(r['share'], lang)}" for r in top]})
    return {"touchpoints": order_tp, "intents": [str(i) for i in chosen], "x": [labels(i) for i in chosen],
            "y": [labels(t) for t in order_tp], "z": z, "text": txt, "rows": rows}


def data_notes(overview: Mapping[str, Any], labels: Labels, *, quarantine: int | None = None,
               provenance: Sequence[Mapping[str, Any]] | None = None, redacted: bool = True) -> dict[str, Any]:
    """What was analysed: counts, period, languages, channels, quarantine, errors, model versions."""
    lang = labels.lang
    langs = overview.get("languages") or {}
    total_lang = sum(langs.values()) or 1
    channels = overview.get("channels") or {}
    total_ch = sum(channels.values()) or 1
    if quarantine is None:
        q_text = text(lang, "notes_quarantine_unknown")
    elif quarantine == 0:
        q_text = text(lang, "notes_quarantine_none")
    else:
        q_text = fmt_int(quarantine, lang)
    steps = [{"step": str(p.get("step", "")), "version": str(p.get("version", "")),
              "columns": ", ".join(str(c) for c in _as_list(p.get("columns")))} for p in (provenance or [])]
    period_text = "\u2013"
    if overview.get("start") is not None:
        period_text = f"{fmt_date(overview['start'], lang)} \u2013 {fmt_date(overview['end'], lang)}"
    cust = overview.get("customer_messages", 0) or 0
    return {
        "analysed": text(lang, "notes_messages", messages=fmt_int(overview.get("messages", 0), lang),
                         customer=fmt_int(cust, lang), conversations=fmt_int(overview.get("conversations", 0), lang)),
        "period": period_text,
        "languages": ", ".join(f"{labels.language(k)} {fmt_percent(v / total_lang, lang)}" for k, v in langs.items())
        or text(lang, "none"),
        "channels": ", ".join(f"{labels(k)} {fmt_percent(v / total_ch, lang)}" for k, v in channels.items())
        or text(lang, "none"),
        "quarantine": q_text,
        "errors": fmt_int(overview.get("errors", 0), lang),
        "unmapped": (f"{fmt_int(overview.get('unmapped', 0), lang)} "
                     f"({fmt_percent((overview.get('unmapped', 0) or 0) / cust, lang) if cust else '–'})"),
        "redaction": text(lang, "notes_redacted") if redacted else "",
        "steps": steps,
        "steps_missing": text(lang, "notes_models_none") if not steps else "",
    }


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

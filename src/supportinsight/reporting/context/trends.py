"""Sections beside the journey: sentiment over time, channel mix and switches, topics, intents per touchpoint."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..i18n import Labels, fmt_int, fmt_percent, fmt_points, text
from .values import _UNKNOWN, _as_list, _isnan, _require, shorten

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

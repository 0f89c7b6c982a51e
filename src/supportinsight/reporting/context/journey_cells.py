"""Per journey cell (phase x touchpoint): the pain-point table rows and the heatmap matrices."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from ..i18n import Labels, fmt_int, fmt_percent, fmt_points, text
from .overview import cell_signals
from .values import _UNKNOWN, _as_list, _isnan, _require, shorten


def _signal_text(counter: Counter | None, labels: Labels) -> list[str]:
    if not counter:
        return []
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"{labels.signal(name)} ({n})" for name, n in items]


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

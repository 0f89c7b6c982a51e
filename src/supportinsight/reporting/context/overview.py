"""What the data holds: counts read from an annotated frame, signals per journey cell, the data notes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..i18n import Labels, fmt_date, fmt_int, fmt_percent, text
from .values import _UNKNOWN, _as_list, _require


def describe_frame(annotated: pd.DataFrame) -> dict[str, Any]:
    """Counts the data notes and the overview sentence need, read from an annotated frame.

    Returns
    -------
    dict
        ``messages``, ``customer_messages``, ``conversations``, ``customer_negative``
        (share), ``start``/``end`` (UTC timestamps or None), ``languages`` and
        ``channels`` (id -> customer messages, largest first), ``errors`` (messages with
        annotation errors), ``unmapped`` (customer messages without touchpoint),
        ``mapped_by_intent`` (customer messages whose touchpoint came from their intent
        alone, e.g. a complaint that names no touchpoint placed at the product itself).
    """
    from ...journey.signals import customer_messages

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
        "mapped_by_intent": 0,
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
        if "mapping_evidence" in cust.columns:
            from ...journey.decide import INTENT_PLACED

            ev = cust["mapping_evidence"].astype("string").fillna("")
            out["mapped_by_intent"] = int((ev.str.startswith(INTENT_PLACED) & tp.notna() & (tp != _UNKNOWN)).sum())
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

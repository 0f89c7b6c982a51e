"""From scores to answers: conversation context, abstention, phase, evidence.

:func:`assemble` turns a :class:`~supportinsight.journey.mapper.JourneyMapper`'s
per-touchpoint scores (learned probabilities or zero-shot scores) and phase
probabilities into the :data:`~supportinsight.journey.mapper.MAPPING_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .taxonomy import UNKNOWN

#: How ``mapping_evidence`` starts where the touchpoint came from the intent alone (the
#: taxonomy's ``unplaced_intents``), not from cues or similarity; reports count these.
INTENT_PLACED = "touchpoint from intent"

__all__ = ["assemble", "conversation_order", "Scored"]

#: Characters of the nearest example quoted in the evidence.
EXAMPLE_CHARS = 60


@dataclass
class Scored:
    """A mapper's scores for a batch, with what the evidence needs: per-touchpoint
    ``score`` (learned probabilities or zero-shot scores), the cue hits, and the phase
    probabilities and vectors (learned) or centroid similarities (zero-shot)."""

    score: np.ndarray
    tp_hits: list
    ph_hits: list
    phase: np.ndarray | None = None
    vecs: np.ndarray | None = None
    sims: np.ndarray | None = None


def conversation_order(frame: pd.DataFrame) -> list[np.ndarray]:
    """Positions grouped by conversation, each group in time order (frame order without timestamps)."""
    n = len(frame)
    if "conversation_id" not in frame.columns or n == 0:
        return []
    conv = frame["conversation_id"].astype("string")
    # messages without a conversation id have no thread to take context from
    keys = pd.DataFrame({"c": conv.to_numpy(), "p": np.arange(n)})[conv.notna().to_numpy()]
    if "timestamp" in frame.columns:
        keys["t"] = pd.to_datetime(frame["timestamp"], errors="coerce", utc=True).to_numpy()[keys["p"].to_numpy()]
        keys = keys.sort_values(["c", "t", "p"], kind="stable", na_position="last")
    else:
        keys = keys.sort_values(["c", "p"], kind="stable")
    return [g.to_numpy() for _, g in keys.groupby("c", sort=False)["p"] if len(g) > 1]


def _with_context(mapper: Any, score: np.ndarray, phase: np.ndarray | None, frame: pd.DataFrame
                  ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Lean each message towards the touchpoint (and phase) of the earlier message in its thread.

    Learned: ``(1 - w) * p + w * onehot(previous)`` (still a distribution); zero-shot:
    ``score + w * onehot(previous)``. Returns the new scores and, per message, the
    touchpoint index the context came from where it changed the answer (else -1).
    """
    w = mapper.context_weight
    ctx_from = np.full(len(score), -1)
    groups = conversation_order(frame)
    if not groups or w <= 0:
        return score, phase, ctx_from
    learned = mapper.method_ == "learned"
    score = score.copy()
    phase = phase.copy() if phase is not None else None
    th = mapper.threshold_
    for pos in groups:
        last, last_phase = -1, -1
        for p in pos:
            row = score[p]
            if last >= 0:
                new = (1 - w) * row if learned else row.copy()
                new[last] += w
                if int(new.argmax()) == last and (int(row.argmax()) != last or row.max() < th <= new[last]):
                    ctx_from[p] = last
                score[p] = new
            if phase is not None and last_phase >= 0:
                phase[p] = (1 - w) * phase[p]
                phase[p, last_phase] += w
            best = int(score[p].argmax())
            if score[p, best] >= th:
                last = best
            if phase is not None:
                last_phase = int(phase[p].argmax())
    return score, phase, ctx_from


def _nearest(mapper: Any, vecs: np.ndarray | None, best: np.ndarray, known: np.ndarray) -> list[str]:
    """Per message, the closest example message of its touchpoint (learned mappers only)."""
    parts = mapper.parts_
    out = [""] * len(best)
    if parts is None or vecs is None or parts.example_vectors is None or not len(parts.example_touchpoints):
        return out
    ex_tp = np.asarray(parts.example_touchpoints, dtype=object)
    ids = mapper.touchpoint_ids_
    rows = np.flatnonzero(known)
    for start in range(0, len(rows), 4096):
        chunk = rows[start:start + 4096]
        sims = vecs[chunk] @ parts.example_vectors.T
        for r, i in enumerate(chunk):
            mask = ex_tp == ids[best[i]]
            if not mask.any():
                continue
            cand = np.where(mask, sims[r], -2.0)
            j = int(cand.argmax())
            text = parts.example_texts[j].replace("\n", " ")
            text = text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS - 1] + "…"
            out[i] = f'nearest example "{text}" ({float(sims[r, j]):.2f})'
    return out


def assemble(mapper: Any, frame: pd.DataFrame, texts: list[str], scored: Scored) -> pd.DataFrame:
    n = len(texts)
    tps, phases = mapper._tps, mapper._phases
    phase_ids = [p.id for p in phases]
    learned = mapper.method_ == "learned"
    tp_hits, ph_hits, sims = scored.tp_hits, scored.ph_hits, scored.sims
    score, phase, ctx_from = _with_context(mapper, scored.score, scored.phase, frame)
    th = mapper.threshold_
    best = score.argmax(axis=1) if n and score.shape[1] else np.zeros(n, dtype=int)
    conf = score[np.arange(n), best] if n and score.shape[1] else np.zeros(n)
    empty = np.array([not t.strip() for t in texts], dtype=bool)
    p_unknown = 1.0 - score.sum(axis=1) if learned else np.zeros(n)
    known = (conf >= th) & ~empty & (conf >= p_unknown)
    nearest = _nearest(mapper, scored.vecs, best, known)
    ph_classes = mapper.parts_.phase_head.classes if learned else []
    intents = primary_intents(frame, n)
    ph_rules = _intent_rules(phases)
    # a message no touchpoint scores for, whose intent a touchpoint lists as unplaced_intents
    tp_unplaced = {intent: j for j, t in enumerate(tps) for intent in t.unplaced_intents}
    fallback = np.array([not known[i] and not empty[i] and intents[i] in tp_unplaced for i in range(n)], dtype=bool)
    conf = np.array(conf, dtype=np.float64)
    for i in np.flatnonzero(fallback):
        best[i] = tp_unplaced[intents[i]]
        conf[i] = score[i, best[i]]  # its own score: below the threshold, as the evidence says
    out_phase, out_tp, kinds, evid = [], [], [], []
    for i in range(n):
        parts: list[str] = []
        tp = tps[best[i]] if score.shape[1] else None
        if known[i]:
            if learned:
                parts.append(f"p={conf[i]:.2f} {tp.id}")
            own = [h for h in tp_hits[i] if h.target == best[i]]
            parts.extend(f'cue "{h.surface}"' + (f" ({h.cue})" if h.cue.lower() != h.surface.lower() else "")
                         + (" [compound]" if h.compound else "") for h in own[:3])
            if nearest[i]:
                parts.append(nearest[i])
            elif sims is not None:
                parts.append(f"similarity {float(sims[i, best[i]]):.2f} to {tp.id}")
            if ctx_from[i] >= 0:
                parts.append(f"context: previous message in the conversation was {tps[ctx_from[i]].id}")
        elif fallback[i]:
            parts.append(f"{INTENT_PLACED} {intents[i]}: no touchpoint scored above the threshold "
                         f"{th:.2f}, and the taxonomy puts such messages at {tp.id}")
        elif empty[i]:
            parts.append("no touchpoint: empty text")
        elif learned and p_unknown[i] > conf[i]:
            parts.append(f"no touchpoint: most like messages without one (p={p_unknown[i]:.2f}; best {tp.id} "
                         f"p={conf[i]:.2f})")
        elif tp is not None and conf[i] > 0:
            parts.append(f"no touchpoint: best {tp.id} {'p=' if learned else 'scored '}{conf[i]:.2f} "
                         f"(below threshold {th:.2f})")
        else:
            parts.append(f"no touchpoint: no cue and no similarity (threshold {th:.2f})")
        placed = known[i] or fallback[i]
        ph = _phase(tp if placed else None, phase[i] if learned else None, ph_classes, ph_hits[i], phase_ids,
                    learned and not empty[i])
        by_intent = None if empty[i] else _intent_phase(ph_rules, intents[i], placed or ph != UNKNOWN, ph_hits[i],
                                                        phase_ids)
        if by_intent is not None and by_intent != ph:
            ph = by_intent
            parts.append(f"phase from intent {intents[i]}" + ("" if placed else " (no touchpoint)"))
        cue_words = [h.surface for h in ph_hits[i] if phase_ids[h.target] == ph][:3]
        if cue_words:
            parts.append("phase cue " + ", ".join(f'"{c}"' for c in cue_words))
        out_tp.append(tp.id if placed else UNKNOWN)
        kinds.append(tp.kind if placed else None)
        out_phase.append(ph)
        evid.append("; ".join(parts))
    return pd.DataFrame({"journey_phase": out_phase, "touchpoint": out_tp, "touchpoint_kind": kinds,
                         "mapping_confidence": np.round(np.asarray(conf, dtype=np.float64), 3),
                         "mapping_evidence": evid}, index=frame.index)


def intent_labels(value: Any) -> list:
    """The intent ids of one ``intent``/``intents`` cell: a string, a list, or missing."""
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, (list, tuple, np.ndarray)) else []


def primary_intents(frame: pd.DataFrame, n: int) -> list[str | None]:
    """Per message, the primary intent the intent step found (``intent``, else the first of
    ``intents``); ``None`` where the frame has neither or the value is missing."""
    if "intent" in frame.columns:
        return [v if isinstance(v, str) and v else None for v in frame["intent"].tolist()]
    if "intents" in frame.columns:
        return [str(labels[0]) if labels else None for labels in map(intent_labels, frame["intents"].tolist())]
    return [None] * n


def _cue_counts(hits: list[Any], phase_ids: list[str]) -> dict[str, int]:
    """How many phase cue hits point to each phase id."""
    counts: dict[str, int] = {}
    for h in hits:
        pid = phase_ids[h.target]
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def _intent_rules(phases: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The taxonomy's intent -> phase rules: (whatever the touchpoint, without a touchpoint)."""
    always = {intent: p.id for p in phases for intent in p.intents}
    unplaced = {intent: p.id for p in phases for intent in p.unplaced_intents}
    return always, unplaced


def _intent_phase(rules: tuple[dict[str, str], dict[str, str]], intent: str | None, placed: bool, hits: list[Any],
                  phase_ids: list[str]) -> str | None:
    """The phase the primary intent places a message in, or ``None`` to keep the one found.

    An intent listed under a phase's ``intents`` decides whatever the touchpoint. For a
    message not otherwise ``placed`` (no touchpoint and no phase from the phase head), an
    intent under ``unplaced_intents`` decides, unless phase cues in the text
    name a phase (the phase most cues point to; "before I buy" keeps a question in
    consideration).
    """
    if intent is None:
        return None
    always, unplaced = rules
    if intent in always:
        return always[intent]
    if placed or intent not in unplaced:
        return None
    counts = {pid: k for pid, k in _cue_counts(hits, phase_ids).items() if pid != UNKNOWN}
    if counts:
        return max(counts.items(), key=lambda kv: (kv[1], -phase_ids.index(kv[0])))[0]
    return unplaced[intent]


def _phase(tp: Any, q: np.ndarray | None, classes: list[str], hits: list[Any], phase_ids: list[str],
           use_head: bool) -> str:
    """The phase: the phase head's choice among the touchpoint's phases (learned), else
    the touchpoint's phase named by a phase cue, else its primary phase."""
    if use_head and q is not None:
        allowed = set(tp.phases) if tp is not None else set(classes)
        cand = [(float(q[j]), c) for j, c in enumerate(classes) if c in allowed]
        if cand:
            return max(cand)[1]
    if tp is None:
        # phase cues are generic ("still not", "gibt es"); alone they are no evidence
        return UNKNOWN
    counts = _cue_counts(hits, phase_ids)
    cand2 = [(counts.get(p, 0), -k, p) for k, p in enumerate(tp.phases) if p in phase_ids]
    if cand2 and max(cand2)[0] > 0:
        return max(cand2)[2]
    return tp.primary_phase

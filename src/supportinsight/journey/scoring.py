"""Per-touchpoint scores of a journey mapper: cue and embedding features, learned or zero-shot scores, intents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..enrich.base import analysis_text
from .cues import LANGS, cue_matrix, find_hits
from .decide import Scored, intent_labels
from .learned import CUE_SCALE
from .zero_shot import zero_shot_scores

__all__ = ["intent_table", "message_languages", "features", "touchpoint_scores", "intent_boosts", "with_intents"]


def intent_table(tps: Sequence[Any]) -> dict[str, np.ndarray]:
    """Per intent id, the score boost of each touchpoint (the taxonomy's ``intents``)."""
    table: dict[str, np.ndarray] = {}
    for i, t in enumerate(tps):
        for intent, boost in t.intents:
            table.setdefault(intent, np.zeros(len(tps), dtype=np.float32))[i] = boost
    return table


def message_languages(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """Per message, the cue languages to match: its ``language`` where that is one of them, else all."""
    if "language" not in frame.columns:
        return [LANGS] * len(frame)
    return [(v,) if v in LANGS else LANGS for v in frame["language"].astype(object).tolist()]


def features(mapper: Any, frame: pd.DataFrame, texts: list[str] | None = None):
    """Cue hits, embeddings, touchpoint-head input and phase-head input."""
    texts = analysis_text(frame).tolist() if texts is None else texts
    hits = find_hits(mapper._index, texts, message_languages(frame), mapper.batch_size)
    vecs = mapper._embedder().encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    vecs = np.asarray(vecs, dtype=np.float32)
    X_tp = np.hstack([vecs, CUE_SCALE * cue_matrix(hits[0], len(mapper._tps))])
    return hits, vecs, X_tp, np.hstack([X_tp, CUE_SCALE * cue_matrix(hits[1], len(mapper._phases))])


def touchpoint_scores(mapper: Any, frame: pd.DataFrame, texts: list[str]) -> Scored:
    """Per-touchpoint probability (learned) or score (zero-shot), with what the evidence needs."""
    if mapper.method_ == "learned":
        hits, vecs, X_tp, X_ph = features(mapper, frame, texts)
        head = mapper.parts_.touchpoint_head
        proba = head.proba(X_tp)
        col = {c: j for j, c in enumerate(head.classes)}
        tp = np.zeros((len(texts), len(mapper._tps)), dtype=np.float32)
        for i, t in enumerate(mapper.touchpoint_ids_):
            if t in col:
                tp[:, i] = proba[:, col[t]]
        return Scored(tp, *hits, phase=mapper.parts_.phase_head.proba(X_ph), vecs=vecs)
    hits = find_hits(mapper._index, texts, message_languages(frame), mapper.batch_size)
    sims = mapper._embedder().encode(texts) @ mapper.centroids_.T if mapper.centroids_ is not None and texts else None
    floor, ceiling = mapper._similarity_scale()
    score = zero_shot_scores(cue_matrix(hits[0], len(mapper._tps)), sims, cue_weight=mapper.cue_weight,
                             similarity_weight=mapper.similarity_weight, similarity_floor=floor,
                             similarity_ceiling=ceiling)
    score[np.array([not t.strip() for t in texts], dtype=bool)] = 0.0  # an empty text has no touchpoint
    return Scored(score, *hits, sims=sims)


def intent_boosts(mapper: Any, frame: pd.DataFrame, n: int) -> np.ndarray:
    """Per message and touchpoint, the boost from the intents the intent step found (times ``intent_weight``)."""
    out = np.zeros((n, len(mapper._tps)), dtype=np.float32)
    col = "intents" if "intents" in frame.columns else ("intent" if "intent" in frame.columns else None)
    if not mapper._intent_boost or col is None:
        return out
    for i, v in enumerate(frame[col].tolist()):
        for lab in intent_labels(v):
            b = mapper._intent_boost.get(lab)
            if b is not None:
                out[i] = np.maximum(out[i], b)
    return mapper.intent_weight * out


def with_intents(score: np.ndarray, boosts: np.ndarray, learned: bool) -> np.ndarray:
    """The scores with the intent boosts applied."""
    if learned:
        # p(t) * (1 + boost(t)), renormalised together with p(unknown): rows still sum to 1
        return score * (1.0 + boosts) / (1.0 + (score * boosts).sum(axis=1, keepdims=True))
    return score + boosts

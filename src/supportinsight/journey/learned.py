"""The learned part of the journey mapper: touchpoint and phase heads over one embedding.

A head is a multinomial logistic regression over

* the message embedding of the pipeline's encoder (USE v3 for ``fast``,
  multilingual-e5-small for ``accurate``), and
* the taxonomy's cue features: per touchpoint (and per phase)
  ``1 - exp(-sum of cue weights)`` (:func:`~supportinsight.journey.cues.cue_matrix`).

The cue features are the taxonomy's prior: with few examples they carry most of
the decision, with many the embedding does. The heads are trained on the examples
a taxonomy file carries (team-written, per touchpoint and language), on permissively
licensed real data mapped to touchpoints (``data/journey/mappings/``), and, when a
team adapts the mapper, on its own labels. Probabilities are calibrated by one
temperature fitted on out-of-fold predictions (Guo et al. 2017, "On Calibration of
Modern Neural Networks"), so ``mapping_confidence`` reads as a probability.

Everything is stored as arrays and JSON (no pickle): :meth:`Head.to_arrays` /
:meth:`Head.from_arrays`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Head", "fit_head", "class_weights", "CUE_SCALE"]

#: Cue features are scaled up so that a regularised head can give them weight
#: comparable to the (unit-length, 384-512 dimensional) embedding.
CUE_SCALE = 2.0


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Head:
    """A linear softmax classifier: ``softmax((X @ coef.T + intercept) / temperature)``."""

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float = 1.0

    def logits(self, X: np.ndarray) -> np.ndarray:
        return X.astype(np.float32) @ self.coef.T + self.intercept

    def proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return _softmax(self.logits(X) / self.temperature).astype(np.float32)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_coef": self.coef.astype(np.float32), f"{prefix}_intercept": self.intercept.astype(np.float32),
                f"{prefix}_classes": np.asarray(self.classes), f"{prefix}_temperature": np.float32(self.temperature)}

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> "Head":
        return cls(classes=[str(c) for c in arrays[f"{prefix}_classes"]],
                   coef=np.asarray(arrays[f"{prefix}_coef"], dtype=np.float32),
                   intercept=np.asarray(arrays[f"{prefix}_intercept"], dtype=np.float32),
                   temperature=float(arrays[f"{prefix}_temperature"]))


def class_weights(labels: Sequence[str], groups: Sequence[str], shares: dict[str, float]) -> np.ndarray:
    """Sample weights: every class weighs the same in total; inside a class each
    group (``"team"``, ``"bitext"``, ``"user"`` ...) gets its share of that weight
    (shares of the groups a class has are renormalised), split evenly over its rows.

    So 6,000 Bitext rows about orders do not drown 48 team examples about the app,
    and a class with 20 examples counts as much as one with 2,000.
    """
    labels = np.asarray(labels, dtype=object)
    groups = np.asarray(groups, dtype=object)
    w = np.zeros(len(labels), dtype=np.float64)
    classes = sorted(set(labels.tolist()))
    for c in classes:
        in_c = labels == c
        present = sorted(set(groups[in_c].tolist()))
        total = sum(shares.get(g, 1.0) for g in present)
        for g in present:
            m = in_c & (groups == g)
            w[m] = shares.get(g, 1.0) / total / m.sum()
    return w * len(labels) / w.sum() if len(labels) else w  # mean weight 1: C keeps its meaning


def _fit_lr(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=C, max_iter=300, tol=1e-3, random_state=seed)
    lr.fit(X, y, sample_weight=w)
    return lr


def _temperature(logits: np.ndarray, y_idx: np.ndarray, w: np.ndarray) -> float:
    """The temperature that minimises the weighted negative log-likelihood (grid + refine)."""
    def nll(t: float) -> float:
        p = _softmax(logits / t)
        return float(-(w * np.log(np.clip(p[np.arange(len(y_idx)), y_idx], 1e-12, None))).sum() / w.sum())

    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 41))
    best = min(grid, key=nll)
    lo, hi = best / 1.1, best * 1.1
    for _ in range(20):  # golden-section-like shrink
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (lo, b) if nll(a) < nll(b) else (a, hi)
    return float((lo + hi) / 2)


def fit_head(X: np.ndarray, labels: Sequence[str], weights: np.ndarray, *, C: float = 4.0, folds: int = 3,
             calibrate_on: np.ndarray | None = None, seed: int = 0) -> Head:
    """Fit a head on all rows; calibrate its temperature on out-of-fold logits.

    ``calibrate_on`` (a boolean mask) picks the rows whose out-of-fold predictions set
    the temperature, e.g. only the team-written and user-labelled rows, which look
    more like real messages than template-generated data; default all rows.
    """
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=object)
    classes = sorted(set(y.tolist()))
    lr = _fit_lr(X, y, weights, C, seed)
    head = Head(classes=[str(c) for c in lr.classes_], coef=lr.coef_.astype(np.float32),
                intercept=lr.intercept_.astype(np.float32))
    if len(classes) == 2:  # sklearn keeps one row for two classes: make it a softmax pair
        head.coef = np.vstack([-head.coef[0] / 2, head.coef[0] / 2]).astype(np.float32)
        head.intercept = np.array([-head.intercept[0] / 2, head.intercept[0] / 2], dtype=np.float32)
    counts = {c: int((y == c).sum()) for c in classes}
    k = min(folds, min(counts.values())) if folds else 0
    if k < 2:
        return head
    mask = np.ones(len(y), dtype=bool) if calibrate_on is None else np.asarray(calibrate_on, dtype=bool)
    oof = np.zeros((len(y), len(head.classes)), dtype=np.float32)
    col = {c: j for j, c in enumerate(head.classes)}
    for tr, te in StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, y):
        part = _fit_lr(X[tr], y[tr], weights[tr], C, seed)
        z = X[te] @ part.coef_.T + part.intercept_
        if z.shape[1] == 1:
            z = np.hstack([-z / 2, z / 2])
        full = np.full((len(te), len(head.classes)), -1e4, dtype=np.float32)
        for j, c in enumerate(part.classes_):
            full[:, col[str(c)]] = z[:, j]
        oof[te] = full
    y_idx = np.array([col[str(c)] for c in y])
    if mask.sum() >= 20:
        head.temperature = _temperature(oof[mask], y_idx[mask], np.ones(int(mask.sum())))
    return head

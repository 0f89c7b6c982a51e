"""The intent classifier's heads: text and label checks, fitting the logistic-regression and fine-tuned e5 heads, scoring."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, LabelError
from .intent_features import model_text

__all__ = ["check_texts", "check_labels", "softmax", "sigmoid", "fit_logistic_heads", "fit_accurate_head",
           "adopt_tuned", "head_scores", "intent_lists"]


def check_texts(texts: Any, what: str = "texts") -> list[str]:
    """``texts`` as a list of strings (missing values as ``""``); one bare string is refused."""
    if isinstance(texts, str):
        raise ConfigError(f"{what} must be a list of strings, not one string; wrap it: [{texts[:30]!r}]")
    if isinstance(texts, (pd.Series, pd.Index)):
        texts = texts.tolist()
    try:
        items = list(texts)
    except TypeError:
        raise ConfigError(f"{what} must be a list of strings, got {type(texts).__name__}") from None
    return ["" if (t is None or (isinstance(t, float) and math.isnan(t))) else str(t) for t in items]


def check_labels(texts: list[str], labels: Sequence[str] | Sequence[Sequence[str]]
                 ) -> tuple[list[list[str]], np.ndarray, np.ndarray, bool]:
    """The label set of each text, the primary (first) labels, the sorted classes and whether the labels are lists."""
    if isinstance(labels, (pd.Series, pd.Index, np.ndarray)):
        labels = list(labels)
    labels = list(labels)
    if len(texts) != len(labels):
        raise LabelError(f"got {len(texts)} texts but {len(labels)} labels; give one label (or list) per text")
    if not texts:
        raise LabelError("fit needs at least one labelled text per intent; got none")
    multi = any(isinstance(y, (list, tuple, set, frozenset, np.ndarray)) for y in labels)
    label_sets: list[list[str]] = []
    for row, y in enumerate(labels):
        ys = [str(v) for v in y] if isinstance(y, (list, tuple, set, frozenset, np.ndarray)) else [y]
        if not ys or any(v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""
                         for v in ys):
            raise LabelError(f"label of row {row} is empty or missing ({y!r}); every text needs an intent id")
        label_sets.append([str(v) for v in dict.fromkeys(ys)])
    primary = np.array([ys[0] for ys in label_sets], dtype=object)
    classes = np.array(sorted({v for ys in label_sets for v in ys}), dtype=object)
    if len(classes) < 2:
        raise LabelError(f"fit needs at least two different intents, got only {classes.tolist()}")
    missing_primary = sorted(set(classes) - set(primary))
    if missing_primary:
        raise LabelError(f"intents {missing_primary} never occur as a primary (first) label; "
                         "list each intent first in at least one example")
    empty = [row for row, t in enumerate(texts) if not model_text(t)]
    if empty:
        raise LabelError(f"texts at rows {empty[:10]} are empty; remove them or give them text")
    return label_sets, primary, classes, multi


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


# ---------------------------------------------------------------------------
# fitting

def fit_logistic_heads(X: Any, label_sets: list[list[str]], primary: np.ndarray, classes: np.ndarray, multi: bool,
                       *, C: float, max_iter: int, class_weight: str | None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """The primary (softmax) head's ``coef, intercept`` over ``classes`` and, for multi-label
    fits, the one-vs-rest head's ``ovr_coef, ovr_intercept`` (else ``None, None``)."""
    from sklearn.linear_model import LogisticRegression

    head = LogisticRegression(C=C, max_iter=max_iter, class_weight=class_weight)
    head.fit(X, primary)
    index = {c: i for i, c in enumerate(classes)}
    coef = np.zeros((len(classes), X.shape[1]), dtype=np.float32)
    intercept = np.full(len(classes), -1e4, dtype=np.float32)  # classes never primary: never chosen
    seen = [index[c] for c in head.classes_]
    if len(head.classes_) == 2:
        # scikit-learn stores one row for binary problems: logits (-w, +w) give the same softmax
        coef[seen[1]], intercept[seen[1]] = head.coef_[0] / 2, head.intercept_[0] / 2
        coef[seen[0]], intercept[seen[0]] = -head.coef_[0] / 2, -head.intercept_[0] / 2
    else:
        coef[seen], intercept[seen] = head.coef_, head.intercept_

    ovr_coef = ovr_intercept = None
    if multi:
        ovr_coef = np.zeros_like(coef)
        ovr_intercept = np.zeros(len(classes), dtype=np.float32)
        for c, i in index.items():
            y = np.array([c in ys for ys in label_sets])
            if y.all() or not y.any():
                ovr_intercept[i] = 50.0 if y.all() else -50.0
                continue
            m = LogisticRegression(C=C, max_iter=max_iter, class_weight=class_weight).fit(X, y)
            ovr_coef[i], ovr_intercept[i] = m.coef_[0], m.intercept_[0]
    return coef, intercept, ovr_coef, ovr_intercept


def fit_accurate_head(model: Any, texts: list[str], primary: np.ndarray, classes: np.ndarray) -> Any:
    """Fine-tune multilingual-e5-small with a classification head on the primary intents (``model``'s settings)."""
    from ..encoders.accurate import FineTunedE5
    from ..encoders.finetune import TrainConfig

    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[c] for c in primary])
    weights = None
    if model.class_weight == "balanced":
        counts = np.bincount(y, minlength=len(classes)).astype(float)
        weights = (len(y) / (len(classes) * np.maximum(counts, 1)))[y]
    # many classes, few examples each: the head starts from a linear probe (BANKING77, 10 per
    # class, three seeds: 0.783 with a random start, 0.804 probed; docs/ACCURATE.md)
    tuned = FineTunedE5([str(c) for c in classes],
                        TrainConfig(epochs=model.epochs, seed=model.seed, min_steps=int(model.min_steps),
                                    head_init="probe"),
                        embedder=model.embedder)
    tuned.fit([model_text(t) for t in texts], y, sample_weight=weights, progress=model.progress,
              desc="fine-tuning intents")
    return tuned


def adopt_tuned(model: Any, tuned: Any, multi: bool) -> Any:
    """Set ``model``'s fitted attributes from a fine-tuned e5 model (after fit or load); returns ``model``."""
    head = tuned.module_.head
    model.tuned_ = tuned
    model.classes_ = np.array(tuned.classes, dtype=object)
    model.multi_label_ = bool(multi)
    model.coef_ = head.weight.detach().numpy().copy()
    model.intercept_ = head.bias.detach().numpy().copy()
    model.ovr_coef_ = model.ovr_intercept_ = None
    model.n_features_ = int(model.coef_.shape[1])
    model.uses_cues_ = model.uses_ngrams_ = False
    model.embedder_name_ = f"{tuned.meta_['base']} (fine-tuned)"
    model.ngram_vocabulary_ = model.ngram_idf_ = None
    return model


# ---------------------------------------------------------------------------
# scoring

#: Texts featurised at a time when scoring (rows are scored independently, so the block
#: size changes memory, not results).
SCORE_BLOCK = 4096


def head_scores(model: Any, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Primary-intent probabilities of a fitted ``model`` and, for multi-label models, the one-vs-rest ones."""
    if model.__dict__.get("tuned_") is not None:
        logits, _ = model.tuned_.logits([model_text(t) for t in texts])
        return softmax(logits.astype(np.float64)), None
    multi = model.multi_label_ and model.ovr_coef_ is not None
    probas, ovrs = [], []
    # features block by block: a block's n-gram matrix is built in Python lists, so
    # scoring 20,000 texts at once held some 180 MB that a block of 4,096 keeps to a fifth
    for start in range(0, max(len(texts), 1), SCORE_BLOCK):
        X = model._features(texts[start:start + SCORE_BLOCK])
        z = np.asarray(X @ model.coef_.T) + model.intercept_
        probas.append(softmax(z.astype(np.float64)))
        if multi:
            ovrs.append(sigmoid(np.asarray(X @ model.ovr_coef_.T, dtype=np.float64) + model.ovr_intercept_))
    return np.vstack(probas), (np.vstack(ovrs) if multi else None)


def intent_lists(classes: np.ndarray, best: np.ndarray, side: np.ndarray, thr: float) -> list[list[str]]:
    """Each row's primary intent (``classes[best]``), then the others whose ``side`` score reaches ``thr``
    (highest first; ``"other"`` is only listed alone)."""
    out: list[list[str]] = []
    for row, b in enumerate(best):
        primary = classes[b]
        labels = [str(primary)]
        if primary != "other":
            order = np.argsort(-side[row])
            labels += [str(classes[j]) for j in order
                       if j != b and side[row, j] >= thr and classes[j] != "other"]
        out.append(labels)
    return out

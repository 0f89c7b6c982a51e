"""Learning curves: what do 50, 100, 200, 500 labels buy over the shipped model?

Stratified k-fold cross-validation. In each fold the model is fitted on ``size``
labels drawn (stratified) from the training part and scored on the test part, so
every row of the table is measured on messages the model never saw. The shipped
model (``setting="default"``, size 0) is scored on the same test parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, LabelError

__all__ = ["learning_curve", "cross_validate", "CURVE_COLUMNS", "DEFAULT_SIZES"]

DEFAULT_SIZES: tuple[int | None, ...] = (50, 100, 200, 500, None)
CURVE_COLUMNS: tuple[str, ...] = ("setting", "size", "micro_f1_mean", "micro_f1_std", "macro_f1_mean",
                                  "macro_f1_std", "folds")
_TASKS = ("sentiment", "intent")


def _primary(labels: Sequence[Any]) -> np.ndarray:
    return np.asarray([y[0] if isinstance(y, (list, tuple)) else y for y in labels], dtype=object)


def _subsample(train: np.ndarray, y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """``size`` indices of ``train``, stratified by ``y`` where every class allows it."""
    from sklearn.model_selection import train_test_split

    try:
        pick, _ = train_test_split(train, train_size=size, stratify=y[train], random_state=seed)
    except ValueError:  # a class with one example, or fewer picks than classes
        pick = np.random.default_rng(seed).choice(train, size, replace=False)
    return np.sort(pick)


def _default_scorable(task: str, classes: set[str]) -> bool:
    if task == "sentiment":
        return True
    from ..enrich.intent import IntentClassifier

    return classes <= set(map(str, IntentClassifier().classes_))


def learning_curve(texts: Sequence[str], labels: Sequence[Any], *, task: str = "sentiment",
                   sizes: Sequence[int | None] = DEFAULT_SIZES, folds: int = 5, random_state: int = 0,
                   features: np.ndarray | None = None, include_default: bool = True,
                   model_params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Cross-validated scores of the model fitted on ``size`` labels, for each size.

    Parameters
    ----------
    texts, labels:
        Labelled messages (sentiment labels: negative/neutral/positive or their aliases;
        intent labels: ids, or lists of ids with the primary first).
    task:
        ``"sentiment"`` (:class:`~supportinsight.SentimentModel`, adapted from the
        shipped head) or ``"intent"`` (:class:`~supportinsight.IntentClassifier`).
    sizes:
        Training labels per fold; ``None`` = the whole training part. Sizes not below the
        training part's size are left out (``None`` covers them).
    folds:
        Folds of the stratified k-fold (lowered to the size of the rarest class, at least 2).
    random_state:
        Seed of the folds and subsamples.
    features:
        Sentiment only: precomputed :func:`~supportinsight.enrich.sentiment.sentiment_features`
        rows (saves the featurising).
    include_default:
        Add the shipped model's score as ``setting="default"``, size 0 (intents: only when
        every label is in the built-in taxonomy).
    model_params:
        Keyword arguments of the fitted model's constructor. With ``pipeline="accurate"``
        the shipped accurate model is the ``default`` row and every fold fine-tunes
        multilingual-e5-small (slow on a CPU).

    Returns
    -------
    pandas.DataFrame
        :data:`CURVE_COLUMNS`: ``setting`` ("default", "50", ..., "all"), ``size`` (mean
        training labels used), micro/macro F1 mean and standard deviation over folds,
        ``folds``. ``attrs["per_fold"]`` holds the fold scores.

    Examples
    --------
    >>> learning_curve(texts, labels, task="sentiment")  # doctest: +SKIP
      setting  size  micro_f1_mean  micro_f1_std  macro_f1_mean  macro_f1_std  folds
    0 default     0          0.612         0.010          0.540         0.012      5
    ...
    """
    from sklearn.model_selection import StratifiedKFold

    from ..metrics import classification_metrics

    if task not in _TASKS:
        raise ConfigError(f"task must be one of {list(_TASKS)}, got {task!r}")
    if not isinstance(folds, int) or folds < 2:
        raise ConfigError(f"folds must be an int >= 2, got {folds!r}")
    for s in sizes:
        if s is not None and (not isinstance(s, (int, np.integer)) or s < 1):
            raise ConfigError(f"sizes must hold positive ints or None (all), got {s!r}")
    texts = ["" if t is None else str(t) for t in texts]
    labels = list(labels)
    if len(texts) != len(labels):
        raise LabelError(f"got {len(texts)} texts but {len(labels)} labels")
    params = dict(model_params or {})
    # the "before" row is the shipped model of the same pipeline as the adapted one
    kind = {"pipeline": params["pipeline"]} if "pipeline" in params else {}
    if task == "sentiment":
        from ..enrich.sentiment import CLASSES, SentimentModel, _normalise_labels, sentiment_features

        y = np.asarray(CLASSES, dtype=object)[_normalise_labels(labels)]
        if kind.get("pipeline") == "accurate":
            if features is not None:
                raise ConfigError("features= is for the fast pipeline; the accurate one reads the texts")
            X = None  # the accurate model reads the texts
        else:
            X = sentiment_features(texts) if features is None else np.asarray(features, dtype=np.float32)
            if len(X) != len(texts):
                raise ConfigError(f"features has {len(X)} rows for {len(texts)} texts")

        def fit(idx: np.ndarray):
            return SentimentModel(**params).fit([texts[i] for i in idx], y[idx].tolist(),
                                                features=None if X is None else X[idx])

        def predict(model, idx: np.ndarray) -> np.ndarray:
            return model.predict([texts[i] for i in idx], features=None if X is None else X[idx])

        default = SentimentModel(**kind)
    else:
        from ..enrich.intent import IntentClassifier

        y = _primary(labels).astype(str).astype(object)

        def fit(idx: np.ndarray):
            return IntentClassifier(**params).fit([texts[i] for i in idx], [labels[i] for i in idx])

        def predict(model, idx: np.ndarray) -> np.ndarray:
            return model.predict([texts[i] for i in idx])

        default = IntentClassifier(**kind)
    counts = pd.Series(y).value_counts()
    if len(counts) < 2:
        raise LabelError(f"a learning curve needs at least two classes, got {counts.index.tolist()}")
    k = min(folds, int(counts.min()))
    if k < 2:
        raise LabelError(f"class {counts.idxmin()!r} has only {int(counts.min())} example; cross-validation needs "
                         "at least 2 per class")
    with_default = include_default and _default_scorable(task, set(map(str, counts.index)))
    settings = (["default"] if with_default else []) + [str(s) if s is not None else "all" for s in sizes]
    scores: dict[str, list[dict[str, float]]] = {s: [] for s in dict.fromkeys(settings)}
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state)
    for fold, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        runs: list[tuple[str, Any, int]] = []
        if with_default:
            runs.append(("default", default, 0))
        for size in sizes:
            name = str(size) if size is not None else "all"
            if size is not None and size >= len(train):
                continue
            idx = train if size is None else _subsample(train, y, int(size), random_state + fold)
            runs.append((name, fit(idx), len(idx)))
        for name, model, n_train in runs:
            m = classification_metrics(y[test].tolist(), [str(p) for p in predict(model, test)])
            scores[name].append({"fold": fold, "size": n_train, "micro_f1": m["micro_f1"],
                                 "macro_f1": m["macro_f1"]})
    rows = []
    for name, per in scores.items():
        if not per:
            continue
        mi = np.array([p["micro_f1"] for p in per])
        ma = np.array([p["macro_f1"] for p in per])
        rows.append({"setting": name, "size": int(round(np.mean([p["size"] for p in per]))),
                     "micro_f1_mean": float(mi.mean()), "micro_f1_std": float(mi.std()),
                     "macro_f1_mean": float(ma.mean()), "macro_f1_std": float(ma.std()), "folds": len(per)})
    table = pd.DataFrame(rows, columns=list(CURVE_COLUMNS))
    table.attrs["per_fold"] = {name: per for name, per in scores.items() if per}
    table.attrs["task"] = task
    return table


def cross_validate(texts: Sequence[str], labels: Sequence[Any], *, task: str = "sentiment", folds: int = 5,
                   random_state: int = 0, model_params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Before and after: the shipped model vs the model fitted on all training labels, k-fold CV.

    The same table as :func:`learning_curve` with ``sizes=(None,)``.
    """
    return learning_curve(texts, labels, task=task, sizes=(None,), folds=folds, random_state=random_state,
                          model_params=model_params)

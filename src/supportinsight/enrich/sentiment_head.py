"""The sentiment head: classes and label aliases, softmax, the regularised logistic fit and the shipped weights."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import LabelError, ModelError

__all__ = ["CLASSES", "LABEL_ALIASES", "fit_head"]

CLASSES: tuple[str, ...] = ("negative", "neutral", "positive")
#: Other spellings of the three classes that ``fit`` accepts.
LABEL_ALIASES: dict[str, str] = {
    "neg": "negative", "negative": "negative", "-1": "negative", "0": "neutral", "1": "positive",
    "neu": "neutral", "neutral": "neutral", "none": "neutral", "pos": "positive", "positive": "positive",
    "negativ": "negative", "positiv": "positive", "-": "negative", "+": "positive",
}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=1, keepdims=True)


def fit_head(X: np.ndarray, y: np.ndarray, *, C: float, coef_prior: np.ndarray | None = None,
             intercept_init: np.ndarray | None = None, sample_weight: np.ndarray | None = None,
             max_iter: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression with an L2 pull towards ``coef_prior`` (zeros if None).

    Minimises ``sum_i w_i * CE_i + ||W - W_prior||^2 / (2C)``; intercepts are not penalised.
    ``X`` must already be scaled. Returns ``(coef (k, d), intercept (k,))``.
    """
    from scipy.optimize import minimize

    n, d = X.shape
    k = len(CLASSES)
    prior = np.zeros((k, d)) if coef_prior is None else np.asarray(coef_prior, dtype=np.float64)
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    Y = np.zeros((n, k))
    Y[np.arange(n), y] = 1.0
    X64 = X.astype(np.float64)
    lam = 1.0 / C

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W = theta[: k * d].reshape(k, d)
        b = theta[k * d:]
        Z = X64 @ W.T + b
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        diff = W - prior
        value = -(w[:, None] * Y * logp).sum() + 0.5 * lam * (diff * diff).sum()
        G = w[:, None] * (np.exp(logp) - Y)
        grad_w = G.T @ X64 + lam * diff
        return value, np.concatenate([grad_w.ravel(), G.sum(axis=0)])

    b0 = np.zeros(k) if intercept_init is None else np.asarray(intercept_init, dtype=np.float64)
    theta0 = np.concatenate([prior.ravel(), b0])
    from threadpoolctl import threadpool_limits

    # small matrices: BLAS threads only add contention on a shared 2-core machine
    with threadpool_limits(1):
        res = minimize(loss, theta0, jac=True, method="L-BFGS-B",
                       options={"maxiter": max_iter, "ftol": 1e-8, "gtol": 1e-5})
    return res.x[: k * d].reshape(k, d).astype(np.float32), res.x[k * d:].astype(np.float32)


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    base = resources.files("supportinsight").joinpath("data/sentiment")
    try:
        meta = json.loads(base.joinpath("head.json").read_text(encoding="utf-8"))
        with resources.as_file(base.joinpath("head.npz")) as path, np.load(path) as npz:
            arrays = {k: npz[k].copy() for k in npz.files}
    except FileNotFoundError as exc:
        raise ModelError("the shipped sentiment weights are missing from the package; rebuild them with "
                         "`python -m supportinsight.train.sentiment --data-dir ../shared/data`") from exc
    return {"meta": meta, **arrays}


def _normalise_labels(labels: Iterable[Any]) -> np.ndarray:
    out = []
    for i, lab in enumerate(labels):
        key = str(lab).strip().lower()
        if key not in LABEL_ALIASES:
            raise LabelError(f"label {lab!r} at position {i} is not one of {list(CLASSES)} (or an alias such as "
                             "'neg'/'pos'/-1/0/1); map other label sets to these three classes first "
                             "(e.g. 'mixed' -> 'neutral' or drop those rows)")
        out.append(CLASSES.index(LABEL_ALIASES[key]))
    return np.asarray(out, dtype=np.int64)


"""Emoji-aware intent classification for German and English support messages.

The default model reads what a customer *wants* (complaint, question, request,
praise, gratitude, suggestion, churn_threat, escalation, urgency, other) from the
multilingual sentence embedding plus emoji and punctuation cues and word and
character n-grams, and ships as JSON + NPZ weights built by
``python -m supportinsight.train.intent``.
:class:`IntentClassifier` is a scikit-learn style estimator, so the same class
learns a user's own taxonomy from a handful of labelled examples per intent.

>>> import supportinsight as si
>>> clf = si.IntentClassifier()                     # the shipped support taxonomy
>>> clf.predict(["Paket immer noch nicht da 😡", "Danke für die schnelle Hilfe 🙏"])  # doctest: +SKIP
array(['complaint', 'gratitude'], dtype=object)
>>> own = si.IntentClassifier().fit(texts, labels)  # your taxonomy  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from ..errors import ConfigError, LabelError, ModelError, NotFittedError
from .base import Step, analysis_text
from .embeddings import E5Embedder, Embedder, SentenceTransformerEmbedder, accurate_embedder, default_embedder
from .intent_features import (cue_features, cue_names, default_taxonomy, intent_data_dir, model_features, model_text,
                              ngram_settings, ngram_transforms)
from .ngram_tfidf import NgramTfidf

__all__ = ["IntentClassifier", "IntentStep", "default_taxonomy", "cue_features", "model_text", "CUE_NAMES"]

_FORMAT = "supportinsight-intent-classifier"
_FORMAT_VERSION = 1
#: Further-intent threshold of a model whose ``threshold`` is None.
_THRESHOLD = 0.5


def __getattr__(name: str) -> Any:  # CUE_NAMES is read from package data, lazily
    if name == "CUE_NAMES":
        return cue_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------
# the estimator

def _check_texts(texts: Any, what: str = "texts") -> list[str]:
    if isinstance(texts, str):
        raise ConfigError(f"{what} must be a list of strings, not one string; wrap it: [{texts[:30]!r}]")
    if isinstance(texts, (pd.Series, pd.Index)):
        texts = texts.tolist()
    try:
        items = list(texts)
    except TypeError:
        raise ConfigError(f"{what} must be a list of strings, got {type(texts).__name__}") from None
    return ["" if (t is None or (isinstance(t, float) and math.isnan(t))) else str(t) for t in items]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


class IntentClassifier(ClassifierMixin, BaseEstimator):
    """Intent classifier: sentence embedding + emoji/punctuation cues (+ n-grams) -> logistic regression.

    ``IntentClassifier()`` *before* :meth:`fit` is the shipped default model for
    the built-in support taxonomy (``complaint``, ``question``, ``request``,
    ``praise``, ``gratitude``, ``suggestion``, ``churn_threat``, ``escalation``,
    ``urgency``, ``other``; see :func:`default_taxonomy`): ``predict``,
    ``predict_proba``, ``predict_intents`` and ``classes_`` answer from the
    packaged weights. :meth:`fit` replaces them with a model of your own
    taxonomy. Pass ``pretrained=None`` for a strict scikit-learn estimator that
    raises :class:`~supportinsight.NotFittedError` until fitted.

    Parameters
    ----------
    embedder:
        An :class:`~supportinsight.enrich.embeddings.Embedder`; default: the
        shared multilingual USE v3 (:func:`default_embedder`), whose cache other
        steps share. ``SentenceTransformerEmbedder("all-MiniLM-L6-v2")`` is an
        English-only alternative.
    ngrams:
        Add TF-IDF word (1-2) and character (2-5) n-gram features. ``"auto"``
        (default) turns them on when the training set has at least
        ``ngram_min_per_class`` examples per class on average, where they add
        accuracy; with few examples the embedding alone generalises better.
    cues:
        Add the emoji and punctuation cue features (:func:`cue_features`).
    cue_weight:
        Scale of the cue block next to the unit-length embedding. The cues are a
        few large values against 512 small ones; unscaled, a regularised model
        leans on them too much when it has few examples (BANKING77 with 10 per
        class, C=10: 0.763 at 1.0, 0.777 at 0.3, 0.781 without cues). The shipped
        support model uses 0.5: the lowest weight at which an emoji still moves its
        intent as the team's emoji pairs require; at 1.0 "!!" and shouted words
        alone made a message ``urgency``.
    C:
        Inverse L2 regularisation strength of the logistic regressions.
    threshold:
        Probability at or above which a further intent is listed in :meth:`predict_intents`
        (the primary intent is always listed). ``None`` (default): the model's own, 0.5 for
        a model you fit, 0.3 for the shipped default models (chosen by cross-validation on
        the team's examples, see ``supportinsight.train.intent``).
    class_weight:
        ``"balanced"`` (default) or ``None``.
    max_iter:
        Solver iterations.
    ngram_min_per_class:
        See ``ngrams``.
    pretrained:
        ``"default"``: an unfitted classifier answers with the shipped model;
        ``None``: it raises :class:`~supportinsight.NotFittedError`.
    pipeline:
        ``"fast"`` (default): the features above over multilingual USE v3.
        ``"accurate"``: multilingual-e5-small; :meth:`fit` fine-tunes its top layers with a
        classification head on the primary intents (seeded, early stopping on a tenth of
        the labels, progress bar with ``progress=True``); further intents are those whose
        probability reaches ``threshold``. Unfitted, it answers with the shipped accurate
        model (a head over frozen e5 embeddings, the cues and n-grams, trained on the team's
        examples).
    epochs, seed, progress:
        Fine-tuning settings of the accurate pipeline.
    min_steps:
        The accurate fine-tune trains at least this many optimiser steps (more epochs on a
        small set; early stopping keeps the best): a new head over many intents needs them
        (BANKING77, 10 per class: 0.622 with the four default epochs, 0.787 with 400).

    Attributes
    ----------
    classes_ : ndarray of str
        Intent ids, in the column order of :meth:`predict_proba`.
    multi_label_ : bool
        True when fitted on lists of labels (then a second, one-vs-rest head
        decides which further intents apply).
    coef_, intercept_ : ndarray
        Weights of the primary (softmax) head over the feature columns.
    ovr_coef_, ovr_intercept_ : ndarray or None
        Weights of the one-vs-rest head (multi-label fits only).
    n_features_ : int
        Width of the feature matrix.
    uses_ngrams_ : bool
        Whether n-gram features were used.

    Examples
    --------
    >>> clf = IntentClassifier().fit(["where is my card?", "card not arrived yet", "cancel my card",
    ...                               "please cancel the card"], ["card_arrival", "card_arrival",
    ...                               "cancel", "cancel"])  # doctest: +SKIP
    >>> clf.predict(["my card still hasn't come"])  # doctest: +SKIP
    array(['card_arrival'], dtype=object)
    """

    _fitted_attrs = ("classes_", "multi_label_", "coef_", "intercept_", "ovr_coef_", "ovr_intercept_",
                     "n_features_", "uses_ngrams_", "uses_cues_", "embedder_name_", "ngram_vocabulary_",
                     "ngram_idf_", "tuned_")

    def __init__(self, *, embedder: Embedder | None = None, ngrams: bool | str = "auto", cues: bool = True,
                 cue_weight: float = 0.3, C: float = 30.0, threshold: float | None = None,
                 class_weight: str | None = "balanced",
                 max_iter: int = 3000, ngram_min_per_class: int = 40, pretrained: str | None = "default",
                 pipeline: str = "fast", epochs: int = 4, seed: int = 0, progress: bool = False,
                 min_steps: int = 400) -> None:
        self.embedder = embedder
        self.ngrams = ngrams
        self.cues = cues
        self.cue_weight = cue_weight
        self.C = C
        self.threshold = threshold
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.ngram_min_per_class = ngram_min_per_class
        self.pretrained = pretrained
        self.pipeline = pipeline
        self.epochs = epochs
        self.seed = seed
        self.progress = progress
        self.min_steps = min_steps

    def _shipped(self) -> "IntentClassifier":
        return _shipped_accurate_model() if self.__dict__.get("pipeline") == "accurate" else _shipped_model()

    # -- scikit-learn plumbing ---------------------------------------------
    def set_params(self, **params: Any) -> "IntentClassifier":
        valid = self.get_params()
        for k, v in params.items():
            if k not in valid:
                raise ConfigError(f"IntentClassifier has no parameter {k!r}; parameters are {sorted(valid)}")
            setattr(self, k, v)
        return self

    def _is_fitted(self) -> bool:
        return "classes_" in vars(self)

    def __sklearn_is_fitted__(self) -> bool:
        return self._is_fitted() or self.pretrained == "default"

    def __getattr__(self, name: str) -> Any:
        # Only reached for missing attributes: an unfitted default classifier
        # answers fitted attributes (classes_ ...) from the shipped model.
        if name in IntentClassifier._fitted_attrs and self.__dict__.get("pretrained") == "default":
            return getattr(self._shipped(), name)
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _model(self) -> "IntentClassifier":
        if self._is_fitted():
            return self
        if self.pretrained == "default":
            return self._shipped()
        if self.pretrained is not None:
            raise ConfigError(f"pretrained must be 'default' or None, got {self.pretrained!r}")
        raise NotFittedError("this IntentClassifier is not fitted yet; call fit(texts, labels) first, "
                             "or construct it with pretrained='default' for the built-in support taxonomy")

    def _validate_params(self) -> None:
        if self.ngrams not in (True, False, "auto"):
            raise ConfigError(f"ngrams must be True, False or 'auto', got {self.ngrams!r}")
        if not isinstance(self.cue_weight, (int, float)) or not self.cue_weight > 0:
            raise ConfigError(f"cue_weight must be a positive number, got {self.cue_weight!r}")
        if not isinstance(self.C, (int, float)) or not self.C > 0:
            raise ConfigError(f"C must be a positive number, got {self.C!r}")
        if self.threshold is not None and (not isinstance(self.threshold, (int, float))
                                           or not 0.0 < self.threshold <= 1.0):
            raise ConfigError(f"threshold must be None or a number in (0, 1], got {self.threshold!r}")
        if self.class_weight not in ("balanced", None):
            raise ConfigError(f"class_weight must be 'balanced' or None, got {self.class_weight!r}")
        if not isinstance(self.max_iter, int) or self.max_iter < 1:
            raise ConfigError(f"max_iter must be a positive int, got {self.max_iter!r}")
        if self.pretrained not in ("default", None):
            raise ConfigError(f"pretrained must be 'default' or None, got {self.pretrained!r}")
        if self.pipeline not in ("fast", "accurate"):
            raise ConfigError(f"pipeline must be 'fast' or 'accurate', got {self.pipeline!r}")
        if not isinstance(self.epochs, int) or self.epochs < 1:
            raise ConfigError(f"epochs must be an int >= 1, got {self.epochs!r}")
        if self.embedder is not None and not isinstance(self.embedder, Embedder):
            raise ConfigError("embedder must be a supportinsight Embedder (e.g. "
                              f"SentenceTransformerEmbedder('all-MiniLM-L6-v2')) or None, "
                              f"got {type(self.embedder).__name__}")

    # -- features -----------------------------------------------------------
    def _embedder(self) -> Embedder:
        if self.embedder is not None:
            return self.embedder
        if self.__dict__.get("pipeline") == "accurate":
            from .embeddings import accurate_embedder

            return accurate_embedder()
        return default_embedder()

    def _ngram_vectorizers(self):
        return ngram_settings()

    def _ngram_transforms(self) -> list[NgramTfidf]:
        """The fitted word and character TF-IDF maps, built once per fitted vocabulary."""
        return ngram_transforms(self)

    def _features(self, texts: list[str], *, fitting: bool = False):
        return model_features(self, texts, fitting=fitting)

    # -- fit ----------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str] | Sequence[Sequence[str]]) -> "IntentClassifier":
        """Learn a taxonomy from labelled texts.

        Parameters
        ----------
        texts:
            The messages.
        labels:
            One intent id per text (single-label), or a list of intent ids per
            text (multi-label; the first id of each list is the primary intent).
            Five to ten examples per intent are enough to start.

        Returns
        -------
        IntentClassifier
            ``self``, fitted.
        """
        from sklearn.linear_model import LogisticRegression

        self._validate_params()
        texts = _check_texts(texts)
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

        if self.pipeline == "accurate":
            return self._fit_accurate(texts, primary, classes, multi)
        self.tuned_ = None
        self.uses_cues_ = bool(self.cues)
        per_class = len(texts) / len(classes)
        self.uses_ngrams_ = bool(self.ngrams is True
                                 or (self.ngrams == "auto" and per_class >= self.ngram_min_per_class))
        self.embedder_name_ = self._embedder().name
        X = self._features(texts, fitting=True)

        head = LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight=self.class_weight)
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
                m = LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight=self.class_weight).fit(X, y)
                ovr_coef[i], ovr_intercept[i] = m.coef_[0], m.intercept_[0]

        self.classes_ = classes
        self.multi_label_ = multi
        self.coef_ = coef
        self.intercept_ = intercept
        self.ovr_coef_ = ovr_coef
        self.ovr_intercept_ = ovr_intercept
        self.n_features_ = int(X.shape[1])
        if not self.uses_ngrams_:
            self.ngram_vocabulary_ = None
            self.ngram_idf_ = None
        return self

    def _fit_accurate(self, texts: list[str], primary: np.ndarray, classes: np.ndarray,
                      multi: bool) -> "IntentClassifier":
        from ..encoders.accurate import FineTunedE5
        from ..encoders.finetune import TrainConfig

        index = {c: i for i, c in enumerate(classes)}
        y = np.array([index[c] for c in primary])
        weights = None
        if self.class_weight == "balanced":
            counts = np.bincount(y, minlength=len(classes)).astype(float)
            weights = (len(y) / (len(classes) * np.maximum(counts, 1)))[y]
        tuned = FineTunedE5([str(c) for c in classes],
                            TrainConfig(epochs=self.epochs, seed=self.seed, min_steps=int(self.min_steps)),
                            embedder=self.embedder)
        tuned.fit([model_text(t) for t in texts], y, sample_weight=weights, progress=self.progress,
                  desc="fine-tuning intents")
        return self._adopt(tuned, multi)

    def _adopt(self, tuned, multi: bool) -> "IntentClassifier":
        """Set the fitted attributes from a fine-tuned e5 model (after fit or load)."""
        head = tuned.module_.head
        self.tuned_ = tuned
        self.classes_ = np.array(tuned.classes, dtype=object)
        self.multi_label_ = bool(multi)
        self.coef_ = head.weight.detach().numpy().copy()
        self.intercept_ = head.bias.detach().numpy().copy()
        self.ovr_coef_ = self.ovr_intercept_ = None
        self.n_features_ = int(self.coef_.shape[1])
        self.uses_cues_ = self.uses_ngrams_ = False
        self.embedder_name_ = f"{tuned.meta_['base']} (fine-tuned)"
        self.ngram_vocabulary_ = self.ngram_idf_ = None
        return self

    # -- predict ------------------------------------------------------------
    def _scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
        if self.__dict__.get("tuned_") is not None:
            logits, _ = self.tuned_.logits([model_text(t) for t in texts])
            return _softmax(logits.astype(np.float64)), None
        X = self._features(texts)
        z = np.asarray(X @ self.coef_.T) + self.intercept_
        proba = _softmax(z.astype(np.float64))
        ovr = None
        if self.multi_label_ and self.ovr_coef_ is not None:
            ovr = _sigmoid(np.asarray(X @ self.ovr_coef_.T, dtype=np.float64) + self.ovr_intercept_)
        return proba, ovr

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each class being the primary intent, shape ``(n, len(classes_))``, rows sum to 1."""
        model = self._model()
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, len(model.classes_)))
        return model._scores(texts)[0]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The primary intent of each text (``ndarray`` of str)."""
        model = self._model()
        proba = self.predict_proba(texts)
        return model.classes_[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=object)

    def predict_intents(self, texts: Sequence[str], *, threshold: float | None = None) -> list[list[str]]:
        """All intents of each text: the primary first, then the others at or above ``threshold``.

        For multi-label models the others come from the one-vs-rest head, for
        single-label models from the primary probabilities. ``"other"`` is only
        listed alone.
        """
        return self.predict_all(texts, threshold=threshold)[1]

    def predict_all(self, texts: Sequence[str], *, threshold: float | None = None
                    ) -> tuple[np.ndarray, list[list[str]], np.ndarray]:
        """Primary intents, all intents and the primary's probability in one pass over the features."""
        model = self._model()
        texts = _check_texts(texts)
        # an explicit argument, else this object's setting, else the one the model was built with
        thr = next((t for t in (threshold, self.threshold, model.threshold) if t is not None), _THRESHOLD)
        if not isinstance(thr, (int, float)) or not 0.0 < thr <= 1.0:
            raise ConfigError(f"threshold must be in (0, 1], got {thr!r}")
        if not texts:
            return np.array([], dtype=object), [], np.zeros(0)
        proba, ovr = model._scores(texts)
        best = proba.argmax(axis=1)
        classes = model.classes_
        side = ovr if ovr is not None else proba
        out: list[list[str]] = []
        for row, b in enumerate(best):
            primary = classes[b]
            labels = [str(primary)]
            if primary != "other":
                order = np.argsort(-side[row])
                labels += [str(classes[j]) for j in order
                           if j != b and side[row, j] >= thr and classes[j] != "other"]
            out.append(labels)
        return classes[best], out, proba[np.arange(len(best)), best]

    # -- persistence ----------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the fitted model to folder ``path`` as ``intent_model.json`` + ``intent_model.npz`` (no pickle);
        a fine-tuned accurate model as ``model.json`` + ``model.safetensors``."""
        model = self._model()
        path = Path(path)
        if model.__dict__.get("tuned_") is not None:
            params = {k: v for k, v in model.get_params().items() if k not in ("embedder", "progress")}
            return model.tuned_.save(path, extra={"kind": "IntentClassifier", "multi_label": bool(model.multi_label_),
                                                  "params": params})
        path.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "classes": [str(c) for c in model.classes_],
            "multi_label": bool(model.multi_label_),
            "uses_cues": bool(model.uses_cues_),
            "cue_names": list(cue_names()) if model.uses_cues_ else [],
            "uses_ngrams": bool(model.uses_ngrams_),
            "ngram_vocabulary": model.ngram_vocabulary_,
            "embedder": model.embedder_name_,
            "n_features": int(model.n_features_),
            "params": {k: v for k, v in model.get_params().items() if k != "embedder"},
        }
        arrays = {"coef": model.coef_, "intercept": model.intercept_}
        if model.ovr_coef_ is not None:
            arrays.update(ovr_coef=model.ovr_coef_, ovr_intercept=model.ovr_intercept_)
        if model.uses_ngrams_:
            arrays.update(word_idf=model.ngram_idf_[0], char_idf=model.ngram_idf_[1])
        (path / "intent_model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
        np.savez_compressed(path / "intent_model.npz", **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path, *, embedder: Embedder | None = None) -> "IntentClassifier":
        """Read a model written by :meth:`save`.

        Parameters
        ----------
        path:
            The folder (or its ``intent_model.json``).
        embedder:
            The embedder the model was trained with, when it is not the default
            multilingual encoder and not ``all-MiniLM-L6-v2``.
        """
        path = Path(path)
        folder = path.parent if path.suffix == ".json" else path
        if (folder / "model.json").is_file():
            return cls._load_accurate(folder, embedder)
        meta_file, npz_file = folder / "intent_model.json", folder / "intent_model.npz"
        if not meta_file.is_file() or not npz_file.is_file():
            raise ModelError(f"{folder}: no intent model here (need intent_model.json and intent_model.npz, "
                             "written by IntentClassifier.save)")
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"{meta_file}: not valid JSON ({exc}); re-save the model") from None
        return cls._from_parts(meta, npz_file, embedder=embedder, where=str(meta_file))

    @classmethod
    def _load_accurate(cls, folder: Path, embedder: Embedder | None) -> "IntentClassifier":
        from ..encoders.accurate import FineTunedE5

        tuned = FineTunedE5.load(folder, embedder=embedder, what="IntentClassifier")
        if tuned.meta_.get("kind") != "IntentClassifier":
            raise ModelError(f"{folder} holds a fine-tuned {tuned.meta_.get('kind', 'model')!r}, not an "
                             "IntentClassifier; load it with the class that saved it")
        allowed = {"cues", "cue_weight", "C", "threshold", "class_weight", "max_iter", "epochs", "seed", "min_steps"}
        params = {k: v for k, v in (tuned.meta_.get("params") or {}).items() if k in allowed}
        clf = cls(embedder=embedder, pipeline="accurate", **params)
        return clf._adopt(tuned, bool(tuned.meta_.get("multi_label", False)))

    @classmethod
    def _from_parts(cls, meta: Any, npz_source: Any, *, embedder: Embedder | None, where: str) -> "IntentClassifier":
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
            raise ModelError(f"{where}: not an intent model (expected \"format\": \"{_FORMAT}\")")
        if meta.get("format_version") != _FORMAT_VERSION:
            raise ModelError(f"{where}: format_version {meta.get('format_version')!r} is not supported "
                             f"(this supportinsight reads {_FORMAT_VERSION}); re-train or upgrade")
        try:
            classes = [str(c) for c in meta["classes"]]
            multi = bool(meta["multi_label"])
            n_features = int(meta["n_features"])
            uses_cues = bool(meta["uses_cues"])
            uses_ngrams = bool(meta["uses_ngrams"])
            embedder_name = str(meta["embedder"])
            params = dict(meta.get("params") or {})
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: field {exc} is missing or malformed; re-save the model") from None
        if uses_cues and list(meta.get("cue_names") or []) != list(cue_names()):
            raise ModelError(f"{where}: the model was trained with other emoji cue groups than this "
                             "supportinsight ships; re-train it with this version")
        try:
            with np.load(npz_source, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except Exception as exc:  # translate numpy's many error types at the boundary
            raise ModelError(f"{where}: weights file unreadable ({type(exc).__name__}: {exc}); re-save the model") \
                from None
        k = len(classes)
        for name, shape in (("coef", (k, n_features)), ("intercept", (k,))):
            if name not in arrays or arrays[name].shape != shape:
                got = arrays[name].shape if name in arrays else "missing"
                raise ModelError(f"{where}: array {name!r} should have shape {shape}, got {got}")
        if multi and ("ovr_coef" not in arrays or arrays["ovr_coef"].shape != (k, n_features)):
            raise ModelError(f"{where}: multi-label model lacks a valid 'ovr_coef' array")
        if embedder is None:
            if embedder_name == default_embedder().name:
                embedder = None
            elif embedder_name in {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
                embedder = SentenceTransformerEmbedder(embedder_name)
            elif embedder_name == E5Embedder.name:
                embedder = accurate_embedder()
            else:
                raise ModelError(f"{where}: the model was trained with embedder {embedder_name!r}; pass it as "
                                 "IntentClassifier.load(path, embedder=...)")
        allowed = {"ngrams", "cues", "cue_weight", "C", "threshold", "class_weight", "max_iter",
                   "ngram_min_per_class", "pretrained", "pipeline"}
        clf = cls(embedder=embedder, **{k2: v for k2, v in params.items() if k2 in allowed})
        clf.classes_ = np.array(classes, dtype=object)
        clf.multi_label_ = multi
        clf.coef_ = arrays["coef"].astype(np.float32)
        clf.intercept_ = arrays["intercept"].astype(np.float32)
        clf.ovr_coef_ = arrays["ovr_coef"].astype(np.float32) if multi else None
        clf.ovr_intercept_ = arrays["ovr_intercept"].astype(np.float32) if multi else None
        clf.n_features_ = n_features
        clf.uses_cues_ = uses_cues
        clf.uses_ngrams_ = uses_ngrams
        clf.embedder_name_ = embedder_name
        clf.ngram_vocabulary_ = None
        clf.ngram_idf_ = None
        clf.tuned_ = None
        if uses_ngrams:
            vocab = meta.get("ngram_vocabulary")
            if (not isinstance(vocab, list) or len(vocab) != 2 or "word_idf" not in arrays
                    or "char_idf" not in arrays or [len(v) for v in vocab] != [len(arrays["word_idf"]),
                                                                               len(arrays["char_idf"])]):
                raise ModelError(f"{where}: n-gram vocabulary and idf arrays are missing or do not match")
            clf.ngram_vocabulary_ = vocab
            clf.ngram_idf_ = [arrays["word_idf"], arrays["char_idf"]]
        dim = (embedder.dim if embedder is not None and embedder.dim else default_embedder().dim
               if embedder is None else None)
        expected = None if dim is None else dim + (len(cue_names()) if uses_cues else 0) + (
            sum(len(v) for v in clf.ngram_vocabulary_) if uses_ngrams else 0)
        if expected is not None and expected != n_features:
            raise ModelError(f"{where}: n_features {n_features} does not match the embedder ({dim}-d) and "
                             f"feature settings (expected {expected})")
        return clf

    @classmethod
    def default(cls) -> "IntentClassifier":
        """The shipped model for the built-in support taxonomy (loaded once, shared)."""
        return _shipped_model()

    @classmethod
    def default_accurate(cls) -> "IntentClassifier":
        """The accurate pipeline's shipped model for the built-in taxonomy (over e5; loaded once)."""
        return _shipped_accurate_model()


@lru_cache(maxsize=1)
def _shipped_model() -> IntentClassifier:
    folder = intent_data_dir()
    meta_res, npz_res = folder.joinpath("intent_model.json"), folder.joinpath("intent_model.npz")
    if not meta_res.is_file() or not npz_res.is_file():
        raise ModelError("the shipped intent model is missing from supportinsight/data/intents; rebuild it with "
                         "`python -m supportinsight.train.intent` or reinstall supportinsight")
    try:
        meta = json.loads(meta_res.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"shipped intent_model.json is not valid JSON ({exc}); reinstall supportinsight") from None
    with resources.as_file(npz_res) as npz_path:
        return IntentClassifier._from_parts(meta, npz_path, embedder=None, where="supportinsight/data/intents")


@lru_cache(maxsize=1)
def _shipped_accurate_model() -> IntentClassifier:
    folder = intent_data_dir().joinpath("accurate")
    meta_res, npz_res = folder.joinpath("intent_model.json"), folder.joinpath("intent_model.npz")
    if not meta_res.is_file() or not npz_res.is_file():
        raise ModelError("the accurate pipeline's intent model is missing from supportinsight/data/intents/accurate; "
                         "rebuild it with `python -m supportinsight.train.intent --pipeline accurate`")
    meta = json.loads(meta_res.read_text(encoding="utf-8"))
    with resources.as_file(npz_res) as npz_path:
        return IntentClassifier._from_parts(meta, npz_path, embedder=None,
                                            where="supportinsight/data/intents/accurate")


# ---------------------------------------------------------------------------
# pipeline step

class IntentStep(Step):
    """Pipeline step: adds ``intent`` (primary id), ``intents`` (list of ids) and ``intent_confidence``.

    Parameters
    ----------
    classifier:
        A fitted :class:`IntentClassifier`; default: the shipped support taxonomy.
    """

    name = "intent"
    requires = ("text",)
    assigns = ("intent", "intents", "intent_confidence")

    def __init__(self, classifier: IntentClassifier | None = None) -> None:
        if classifier is not None and not isinstance(classifier, IntentClassifier):
            raise ConfigError(f"classifier must be an IntentClassifier or None, got {type(classifier).__name__}")
        self.classifier = classifier if classifier is not None else IntentClassifier()

    @property
    def version(self) -> str:
        model = self.classifier._model()
        kind = "shipped" if model is _shipped_model_if_loaded() else "custom"
        return f"IntentClassifier({kind}, {len(model.classes_)} intents, {model.embedder_name_})"

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        texts = analysis_text(frame).tolist()
        primary, intents, conf = self.classifier.predict_all(texts)
        return pd.DataFrame({
            "intent": pd.Series(primary, index=frame.index, dtype=object).astype("string"),
            "intents": pd.Series(intents if intents else [], index=frame.index, dtype=object),
            "intent_confidence": pd.Series(conf, index=frame.index, dtype="float64"),
        }, index=frame.index)

    def defaults(self) -> dict[str, object]:
        return {"intent": None, "intents": [], "intent_confidence": float("nan")}

    def __repr__(self) -> str:
        return f"IntentStep(classifier={self.classifier!r})"


def _shipped_model_if_loaded() -> IntentClassifier | None:
    return _shipped_model() if _shipped_model.cache_info().currsize else None

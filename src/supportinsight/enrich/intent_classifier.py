"""The IntentClassifier estimator (embedding + cues + n-grams, or fine-tuned e5) and its shipped default models."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from ..errors import ConfigError, NotFittedError
from .embeddings import Embedder, default_embedder
from .intent_features import model_features, ngram_settings, ngram_transforms
from .intent_heads import (adopt_tuned, check_labels, check_texts, fit_accurate_head, fit_logistic_heads,
                           head_scores, intent_lists)
from .intent_persistence import (load_accurate, load_model, model_from_parts, read_shipped, read_shipped_accurate,
                                 save_model)
from .ngram_tfidf import NgramTfidf

__all__ = ["IntentClassifier", "shipped_model_if_loaded"]

#: Further-intent threshold of a model whose ``threshold`` is None.
_THRESHOLD = 0.5


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
        self._validate_params()
        texts = check_texts(texts)
        label_sets, primary, classes, multi = check_labels(texts, labels)

        if self.pipeline == "accurate":
            return self._fit_accurate(texts, primary, classes, multi)
        self.tuned_ = None
        self.uses_cues_ = bool(self.cues)
        per_class = len(texts) / len(classes)
        self.uses_ngrams_ = bool(self.ngrams is True
                                 or (self.ngrams == "auto" and per_class >= self.ngram_min_per_class))
        self.embedder_name_ = self._embedder().name
        X = self._features(texts, fitting=True)

        coef, intercept, ovr_coef, ovr_intercept = fit_logistic_heads(
            X, label_sets, primary, classes, multi, C=self.C, max_iter=self.max_iter, class_weight=self.class_weight)

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
        return self._adopt(fit_accurate_head(self, texts, primary, classes), multi)

    def _adopt(self, tuned, multi: bool) -> "IntentClassifier":
        """Set the fitted attributes from a fine-tuned e5 model (after fit or load)."""
        return adopt_tuned(self, tuned, multi)

    # -- predict ------------------------------------------------------------
    def _scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
        return head_scores(self, texts)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each class being the primary intent, shape ``(n, len(classes_))``, rows sum to 1."""
        model = self._model()
        texts = check_texts(texts)
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
        texts = check_texts(texts)
        # an explicit argument, else this object's setting, else the one the model was built with
        thr = next((t for t in (threshold, self.threshold, model.threshold) if t is not None), _THRESHOLD)
        if not isinstance(thr, (int, float)) or not 0.0 < thr <= 1.0:
            raise ConfigError(f"threshold must be in (0, 1], got {thr!r}")
        if not texts:
            return np.array([], dtype=object), [], np.zeros(0)
        proba, ovr = model._scores(texts)
        best = proba.argmax(axis=1)
        classes = model.classes_
        out = intent_lists(classes, best, ovr if ovr is not None else proba, thr)
        return classes[best], out, proba[np.arange(len(best)), best]

    # -- persistence ----------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the fitted model to folder ``path`` as ``intent_model.json`` + ``intent_model.npz`` (no pickle);
        a fine-tuned accurate model as ``model.json`` + ``model.safetensors``."""
        return save_model(self._model(), path)

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
        return load_model(cls, path, embedder)

    @classmethod
    def _load_accurate(cls, folder: Path, embedder: Embedder | None) -> "IntentClassifier":
        return load_accurate(cls, folder, embedder)

    @classmethod
    def _from_parts(cls, meta: Any, npz_source: Any, *, embedder: Embedder | None, where: str) -> "IntentClassifier":
        return model_from_parts(cls, meta, npz_source, embedder=embedder, where=where)

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
    return read_shipped(IntentClassifier)


@lru_cache(maxsize=1)
def _shipped_accurate_model() -> IntentClassifier:
    return read_shipped_accurate(IntentClassifier)


def shipped_model_if_loaded() -> IntentClassifier | None:
    """The shipped default model if it has been loaded in this process, else None (nothing is loaded)."""
    return _shipped_model() if _shipped_model.cache_info().currsize else None

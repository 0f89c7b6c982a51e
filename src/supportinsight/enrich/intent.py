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

The parts sit next to this module: ``intent_features`` (taxonomy and cue data, :func:`cue_features`,
:func:`model_text`, the feature matrix), ``intent_heads`` (checks, fitting and scoring the heads),
``intent_classifier`` (:class:`IntentClassifier` and the shipped models), ``intent_persistence``
(save/load) and ``intent_step`` (:class:`IntentStep`). Every name is importable from here.
"""

from __future__ import annotations

from typing import Any

from .intent_classifier import IntentClassifier
from .intent_features import cue_features, cue_names, default_taxonomy, model_text
from .intent_step import IntentStep

__all__ = ["IntentClassifier", "IntentStep", "default_taxonomy", "cue_features", "model_text", "CUE_NAMES"]


def __getattr__(name: str) -> Any:  # CUE_NAMES is read from package data, lazily
    if name == "CUE_NAMES":
        return cue_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""IntentStep: the pipeline step that adds ``intent``, ``intents`` and ``intent_confidence``."""

from __future__ import annotations

import pandas as pd

from ..errors import ConfigError
from .base import Step, analysis_text
from .intent_classifier import IntentClassifier, shipped_model_if_loaded

__all__ = ["IntentStep"]


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
        kind = "shipped" if model is shipped_model_if_loaded() else "custom"
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


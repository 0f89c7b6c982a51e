"""Message sentiment for German and English support text, emoji- and negation-aware.

The feature map is the multilingual USE v3 embedding (512-d, one space for German
and English) plus emoji/emoticon features from the Emoji Sentiment Ranking and the
team's entries (sarcasm, anger, gratitude cues), plus lexicon features with
negation and intensifiers (the team's German/English lexicon and VADER). A
multinomial logistic head reads them. The shipped head is trained on shippable
data only (TweetEval validation tweets and team-written support messages; see
``python -m supportinsight.train.sentiment``).

:meth:`SentimentModel.fit` adapts the head to a user's labelled messages: it keeps
the feature map and the shipped feature scaling, starts from the shipped weights
and is regularised towards them, so a hundred labels move it only where the data
says so, while the class biases adapt freely to the domain's label mix. With enough
labels (100 by default) it also fits a character n-gram head on the labelled texts
(:class:`~supportinsight.enrich.char_ngrams.CharNgramHead`), which learns the
domain's own words; the two heads' probabilities are combined as a weighted
geometric mean.

The parts sit next to this module: ``sentiment_features`` (the feature map),
``sentiment_head`` (classes, the logistic head and its fit, the shipped weights) and
``sentiment_model`` (:class:`SentimentModel`); this module keeps :class:`SentimentStep`
and still exports every name.

>>> import supportinsight as si
>>> model = si.SentimentModel()                                   # the shipped model
>>> model.predict(["Paket immer noch nicht da 😡", "Danke!! 🙏😊"])  # doctest: +SKIP
array(['negative', 'positive'], dtype=object)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import NOTES_COLUMN, Step, analysis_text
from .sentiment_features import _EXTRA_NAMES, _extra_features, feature_names, sentiment_features  # noqa: F401
from .sentiment_head import CLASSES, LABEL_ALIASES, _normalise_labels, _shipped, _softmax, fit_head  # noqa: F401
from .sentiment_model import _FORMAT, SentimentModel  # noqa: F401

__all__ = ["SentimentModel", "SentimentStep", "sentiment_features", "CLASSES", "LABEL_ALIASES"]


class SentimentStep(Step):
    """Adds ``sentiment`` (negative/neutral/positive), ``sentiment_score`` (P(positive) -
    P(negative), in [-1, 1]) and ``sentiment_confidence`` (probability of the label).

    Every message is scored, agent turns included; use ``author_role`` to keep customer
    sentiment apart (journey analysis reads customer turns only). Empty messages get
    ``neutral``, score 0 and confidence NaN.

    Parameters
    ----------
    model:
        A :class:`SentimentModel` (fitted or loaded); default the shipped model.
    """

    name = "sentiment"
    requires = ("text",)
    reads = ("body", "language")
    assigns = ("sentiment", "sentiment_score", "sentiment_confidence")

    def __init__(self, model: SentimentModel | None = None) -> None:
        self.model = model

    @property
    def version(self) -> str:
        return (self.model or SentimentModel()).version

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        model = self.model or SentimentModel()
        texts = analysis_text(frame).tolist()
        nonempty = [i for i, t in enumerate(texts) if t.strip()]
        labels = np.full(len(texts), "neutral", dtype=object)
        score = np.zeros(len(texts), dtype=np.float64)
        conf = np.full(len(texts), np.nan)
        notes = None
        if nonempty:
            idx = np.asarray(nonempty)
            # the language step's answers, where it ran, spare detecting them again
            languages = (frame["language"].astype("string").fillna("und").to_numpy(dtype=object)[idx].tolist()
                         if "language" in frame.columns else None)
            proba, truncated = model.proba_and_truncated([texts[i] for i in nonempty], languages=languages)
            if truncated is not None and truncated.any():
                notes = np.full(len(texts), "", dtype=object)
                notes[idx[truncated]] = "sentiment: read the first 512 tokens only (the message is longer)"
            labels[idx] = np.asarray(CLASSES, dtype=object)[proba.argmax(axis=1)]
            score[idx] = proba[:, CLASSES.index("positive")] - proba[:, CLASSES.index("negative")]
            conf[idx] = proba.max(axis=1)
        out = pd.DataFrame({"sentiment": labels, "sentiment_score": score, "sentiment_confidence": conf},
                           index=frame.index)
        if notes is not None:
            out[NOTES_COLUMN] = notes  # the pipeline adds these to annotation_errors
        return out

    def defaults(self) -> dict[str, object]:
        return {"sentiment": None, "sentiment_score": float("nan"), "sentiment_confidence": float("nan")}

    def __repr__(self) -> str:
        return f"SentimentStep(model={self.model!r})"

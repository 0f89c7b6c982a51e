"""The sentiment feature map: embedding, emoji/emoticon and lexicon features, and their column names."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..text.repair import repair_texts
from .emoji import EMOJI_FEATURE_NAMES, emoji_features
from .lexicon import LEXICON_FEATURE_NAMES, lexicon_features

__all__ = ["sentiment_features", "feature_names"]

_EXTRA_NAMES = ("sarcasm_contrast", "anger_contrast")


def _extra_features(emo: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """Interactions a linear head cannot form alone: positive words next to a sarcasm or
    anger emoji ("Super Service 🙄", "Great service 😡") read as negative."""
    pos_words = np.maximum(lex[:, LEXICON_FEATURE_NAMES.index("lex_positive")],
                           np.maximum(lex[:, LEXICON_FEATURE_NAMES.index("vader_compound")], 0))
    sarcasm = emo[:, EMOJI_FEATURE_NAMES.index("cue_sarcasm")]
    negative_emoji = np.maximum(emo[:, EMOJI_FEATURE_NAMES.index("emoji_negative")],
                                emo[:, EMOJI_FEATURE_NAMES.index("cue_anger")])
    return np.stack([pos_words * sarcasm, pos_words * negative_emoji], axis=1).astype(np.float32)


def feature_names(embedding_dim: int = 512) -> list[str]:
    """Names of the columns of :func:`sentiment_features`."""
    return ([f"emb_{i}" for i in range(embedding_dim)] + list(EMOJI_FEATURE_NAMES) + list(LEXICON_FEATURE_NAMES)
            + list(_EXTRA_NAMES))


def sentiment_features(texts: Sequence[str], embedder=None, *, languages: Sequence[str] | None = None) -> np.ndarray:
    """The sentiment feature map: embedding, emoji/emoticon, lexicon/negation features.

    Parameters
    ----------
    texts:
        Messages (``None`` counts as empty); read repaired (:func:`~supportinsight.text.repair.repair_text`).
    embedder:
        An :class:`~supportinsight.enrich.embeddings.Embedder`; default the shared USE v3.
    languages:
        Optional ISO code per text (the ``language`` column): VADER reads no German words.
        Detected when not given.

    Returns
    -------
    numpy.ndarray
        ``(n, 512 + 29)`` float32.
    """
    from .embeddings import default_embedder

    texts = repair_texts(texts)
    emb = (embedder or default_embedder()).encode(texts)
    emo = emoji_features(texts)
    lex = lexicon_features(texts, languages)
    return np.hstack([emb, emo, lex, _extra_features(emo, lex)]).astype(np.float32)


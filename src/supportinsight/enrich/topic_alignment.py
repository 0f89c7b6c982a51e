"""German/English alignment of the topic space: the parallel-sentence offset and the per-language shift."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .embeddings import Embedder
from .topic_vectorizer import language_hint

__all__ = ["ALIGN_MODES", "parallel_sentences", "language_offset", "language_means", "shift_languages"]

#: Values of ``TopicModel(align_languages=...)``.
ALIGN_MODES: tuple[Any, ...] = ("parallel", "means", True, False, None)
#: Offsets per embedder object (not per name: two custom embedders may share a name).
_OFFSETS: "weakref.WeakKeyDictionary[Any, np.ndarray]" = weakref.WeakKeyDictionary()


def parallel_sentences() -> pd.DataFrame:
    """The package's German/English parallel sentences (columns ``de``, ``en``)."""
    from importlib import resources

    with resources.as_file(resources.files("supportinsight").joinpath("data/topics/parallel_de_en.tsv")) as path:
        return pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)


def language_offset(embedder: Embedder) -> np.ndarray:
    """Mean German-minus-English embedding of the parallel sentences (cached per embedder)."""
    offset = _OFFSETS.get(embedder)
    if offset is None:
        pairs = parallel_sentences()
        de = np.asarray(embedder.encode(pairs["de"].tolist()), dtype=np.float64)
        en = np.asarray(embedder.encode(pairs["en"].tolist()), dtype=np.float64)
        offset = _OFFSETS[embedder] = (de.mean(axis=0) - en.mean(axis=0)).astype(np.float32)
    return offset


def language_means(mode: Any, embedder: Embedder, embeddings: np.ndarray, doc_langs: Sequence[str]
                   ) -> dict[str, np.ndarray]:
    """The per-language shift a fit subtracts, for ``align_languages=mode`` (see ``TopicModel``)."""
    n = len(doc_langs)
    langs = np.asarray(doc_langs)
    if mode == "parallel":
        # half the German-minus-English offset of parallel sentences, towards the other language
        offset = language_offset(embedder)
        return {"de": offset / 2, "en": -offset / 2}
    if mode in (True, "means") and min((langs == "de").sum(), (langs == "en").sum()) >= max(5, 0.1 * n):
        # each language's own mean: only right when both languages talk about the same things
        return {lang: embeddings[langs == lang].mean(axis=0) for lang in ("de", "en")}
    return {}


def shift_languages(emb: np.ndarray, texts: Sequence[str], means: dict[str, np.ndarray] | None,
                    langs: Sequence[str] | None = None) -> np.ndarray:
    """Subtract the fitted per-language mean (language from ``langs`` or guessed) and re-normalise."""
    if not means or len(emb) == 0:
        return emb
    langs = list(langs) if langs is not None else [language_hint(t) for t in texts]
    shift = np.stack([means.get(lang if lang in means else language_hint(t)) for lang, t in zip(langs, texts)])
    out = emb - shift
    return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)).astype(np.float32)

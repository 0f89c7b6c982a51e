"""What the intent classifier reads: the taxonomy and emoji cue data, cue features, the model text and n-gram blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import TaxonomyError
from ..text.repair import drop_links_and_handles, repair_text
from .base import unique_inverse
from .ngram_tfidf import NgramTfidf

__all__ = ["default_taxonomy", "cue_features", "model_text", "cue_names", "intent_data_dir", "DenseAndSparse",
           "ngram_settings", "ngram_transforms", "model_features"]


def intent_data_dir():
    """The package data folder ``supportinsight/data/intents`` (taxonomy, shipped models)."""
    # data/ is not a Python package: address it from the supportinsight package itself
    return resources.files("supportinsight").joinpath("data", "intents")


# ---------------------------------------------------------------------------
# package data

@lru_cache(maxsize=1)
def default_taxonomy() -> dict[str, Any]:
    """The built-in intent taxonomy (ids, German and English descriptions, emoji cue groups).

    Read from ``supportinsight/data/intents/taxonomy.yaml`` once and cached.
    """
    import yaml

    text = intent_data_dir().joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if (not isinstance(data, dict) or not isinstance(data.get("intents"), list)
            or not isinstance(data.get("cues"), dict)):
        raise TaxonomyError("intents/taxonomy.yaml needs the keys 'intents' (a list) and 'cues' (a mapping); "
                            "reinstall supportinsight")
    return data


@lru_cache(maxsize=1)
def _cue_table() -> tuple[tuple[str, ...], dict[str, int]]:
    groups = default_taxonomy()["cues"]
    names = tuple(sorted(groups))
    table: dict[str, int] = {}
    for i, name in enumerate(names):
        for symbol in groups[name]:
            # texts often drop the emoji-presentation selector U+FE0F; match both forms
            table[str(symbol)] = i
            table[str(symbol).replace("\ufe0f", "")] = i
    return names, table


# An emoji cluster: a pictograph plus skin tones, selectors and ZWJ-joined parts. Counted
# with one regex because ``emoji.emoji_list`` costs ~0.4 ms a message, too slow for batches.
_PICTO = "\u203c\u2049\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d" \
         "\u3297\u3299\U0001f000-\U0001f3fa\U0001f400-\U0001faff"
_EMOJI = re.compile(f"[{_PICTO}](?:[\U0001f3fb-\U0001f3ff\ufe0f]|\u200d[{_PICTO}])*")


_EXTRA_CUES = ("question_marks", "exclamation_marks", "interrobang", "ellipsis", "caps_words", "emoji_total")

_CAPS = re.compile(r"\b[A-ZÄÖÜ]{3,}\b")


def cue_names() -> tuple[str, ...]:
    """The column names of :func:`cue_features` (``CUE_NAMES``): the emoji cue groups, then the punctuation cues."""
    return tuple(f"emoji_{n}" for n in _cue_table()[0]) + _EXTRA_CUES


def __getattr__(name: str) -> Any:  # CUE_NAMES is read from package data, lazily
    if name == "CUE_NAMES":
        return cue_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """Emoji and punctuation evidence per text, as ``log1p`` counts, shape ``(n, len(CUE_NAMES))``.

    Emojis are counted per cue group of the taxonomy file (``plea`` 🙏, ``anger`` 😡,
    ``sarcasm`` 🙄 ...) and in total; punctuation cues are question and exclamation
    marks, ``?!``, ellipses and shouted words.
    """
    names, table = _cue_table()
    k = len(names)
    out = np.zeros((len(texts), k + len(_EXTRA_CUES)), dtype=np.float32)
    for row, text in enumerate(texts):
        text = "" if text is None else str(text)
        if not text.isascii():
            clusters = _EMOJI.findall(text)
            for cluster in clusters:
                group = table.get(cluster)
                if group is None:
                    # skin tones, selectors, gender signs: fall back to the base pictograph
                    group = table.get(cluster[0])
                if group is not None:
                    out[row, group] += 1
            out[row, k + 5] = len(clusters)
        out[row, k + 0] = text.count("?") + text.count("？")
        out[row, k + 1] = text.count("!")
        out[row, k + 2] = text.count("?!") + text.count("!?")
        out[row, k + 3] = text.count("...") + text.count("…")
        out[row, k + 4] = len(_CAPS.findall(text))
    return np.log1p(out)


def model_text(text: str) -> str:
    """The text the classifier reads: repaired (mojibake, HTML entities, curly quotes:
    :func:`~supportinsight.text.repair.repair_text`), links and @handles dropped.

    Social posts start with handles (``@AmazonHelp``, ``@115911``) and end with
    links; they say nothing about intent but move the sentence embedding. The
    message itself is never changed; this is only the classifier's view of it.
    """
    return drop_links_and_handles(repair_text(text))


class DenseAndSparse:
    """Dense (embedding, cues) and sparse (n-gram) feature columns side by side, multiplied
    by a weight matrix block by block: joining them would first copy every dense value into
    a sparse matrix, which costs more than the product."""

    def __init__(self, dense: np.ndarray, sparse_part) -> None:
        self.dense, self.sparse = dense, sparse_part

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        d = self.dense.shape[1]
        return self.dense @ weights[:d] + np.asarray(self.sparse @ weights[d:])

    def __getitem__(self, rows) -> "DenseAndSparse":
        return DenseAndSparse(self.dense[rows], self.sparse[rows])


# ---------------------------------------------------------------------------
# the feature matrix of a classifier

def ngram_settings() -> tuple[dict[str, Any], dict[str, Any]]:
    """TfidfVectorizer settings of the word (1-2) and character (2-5) n-gram blocks."""
    word = dict(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                token_pattern=r"(?u)\b\w+\b", dtype=np.float32)
    char = dict(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True, min_df=2,
                dtype=np.float32)
    return word, char


def ngram_transforms(model: Any) -> list[NgramTfidf]:
    """The fitted word and character TF-IDF maps of ``model``, built once per fitted vocabulary."""
    made = getattr(model, "_ngram_made", None)
    if made is None or made[0] is not model.ngram_vocabulary_:
        word_kw, char_kw = model._ngram_vectorizers()
        made = (model.ngram_vocabulary_, [
            NgramTfidf(kw["analyzer"], terms, idf, kw["ngram_range"])
            for kw, terms, idf in zip((word_kw, char_kw), model.ngram_vocabulary_, model.ngram_idf_)])
        model._ngram_made = made
    return made[1]


def model_features(model: Any, texts: list[str], *, fitting: bool = False):
    """The feature matrix of ``model`` over ``texts``: embedding, scaled cues, n-grams (learnt when ``fitting``)."""
    texts = [model_text(t) for t in texts]
    if not fitting:
        unique, inverse = unique_inverse(texts)
        if len(unique) < len(texts):  # each distinct text is featurised once
            return _text_features(model, unique, fitting=False)[inverse]
    return _text_features(model, texts, fitting=fitting)


def _text_features(model: Any, texts: list[str], *, fitting: bool):
    """:func:`model_features` of texts already in the classifier's view (:func:`model_text`)."""
    from scipy import sparse

    blocks: list[Any] = [model._embedder().encode(texts)]
    if model.uses_cues_:
        blocks.append(cue_features(texts) * np.float32(model.cue_weight))
    dense = np.hstack(blocks).astype(np.float32, copy=False)
    if not model.uses_ngrams_:
        return dense
    from sklearn.feature_extraction.text import TfidfVectorizer

    word_kw, char_kw = model._ngram_vectorizers()
    mats = []
    if fitting:
        vocab, idfs = [], []
        for kw in (word_kw, char_kw):
            vec = TfidfVectorizer(**kw)
            mats.append(vec.fit_transform(texts))
            vocab.append(vec.get_feature_names_out().tolist())
            idfs.append(vec.idf_.astype(np.float32))
        model.ngram_vocabulary_ = vocab
        model.ngram_idf_ = idfs
        return sparse.hstack([sparse.csr_matrix(dense)] + mats, format="csr", dtype=np.float32)
    return DenseAndSparse(dense, sparse.hstack([t.transform(texts) for t in model._ngram_transforms()],
                                               format="csr", dtype=np.float32))

"""TF-IDF of word and character n-grams over a fixed vocabulary, fast on repeated words.

The fitted intent classifier reads word 1-2 grams and character 2-5 grams inside word
boundaries with sublinear tf, the fitted idf weights and L2-normalised rows: what
scikit-learn's ``TfidfVectorizer(vocabulary=..., sublinear_tf=True, lowercase=True)`` with
``analyzer="word", token_pattern=r"(?u)\\b\\w+\\b"`` or ``analyzer="char_wb"`` gives.
scikit-learn builds every n-gram of every word of every text in Python; here a word's
character n-grams are looked up in the vocabulary once and kept, so a run pays for each
distinct word once (support text repeats its words: 10,000 messages hold about 30,000
distinct words in 170,000). The result equals scikit-learn's to float32 rounding
(``tests/test_enrich_intent_ngrams.py``); fitting still uses scikit-learn.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence

import numpy as np

__all__ = ["NgramTfidf"]

_WORD = re.compile(r"(?u)\b\w+\b")
#: Words whose n-gram columns are kept (as compact int arrays, about 200 bytes a word); the
#: cache is emptied when it grows past this, so a long stream keeps flat memory.
_CACHE_WORDS = 100_000


class NgramTfidf:
    """Transform texts to TF-IDF rows over ``vocabulary`` (a list of terms) with ``idf`` weights.

    ``analyzer`` is ``"word"`` (1-2 grams) or ``"char_wb"`` (character n-grams of
    ``ngram_range`` inside word boundaries).
    """

    def __init__(self, analyzer: str, vocabulary: Sequence[str], idf: np.ndarray,
                 ngram_range: tuple[int, int]) -> None:
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"analyzer must be 'word' or 'char_wb', got {analyzer!r}")
        if analyzer == "word" and tuple(ngram_range) != (1, 2):
            raise ValueError("the word analyzer reads 1-2 grams")
        self.analyzer = analyzer
        self.ngram_range = tuple(ngram_range)
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        if len(self.idf) != len(self.index):
            raise ValueError(f"{len(self.idf)} idf weights for {len(self.index)} terms")
        self._words: dict[str, array] = {}

    def _char_columns(self, word: str) -> array:
        cols = self._words.get(word)
        if cols is None:
            lo, hi = self.ngram_range
            w = " " + word + " "
            size = len(w)
            get = self.index.get
            cols = []
            for n in range(lo, hi + 1):
                for start in range(max(1, size - n + 1)):
                    j = get(w[start:start + n])
                    if j is not None:
                        cols.append(j)
                if size <= n:  # a short word counts once, not once per n (as scikit-learn)
                    break
            if len(self._words) >= _CACHE_WORDS:
                self._words.clear()
            cols = self._words[word] = array("i", cols)
        return cols

    def _columns(self, text: str) -> list[int]:
        low = text.lower()
        if self.analyzer == "char_wb":
            out: list[int] = []
            for word in low.split():
                out.extend(self._char_columns(word))
            return out
        get = self.index.get
        tokens = _WORD.findall(low)
        grams = tokens + [a + " " + b for a, b in zip(tokens, tokens[1:])]
        return [j for j in map(get, grams) if j is not None]

    def transform(self, texts: Sequence[str]):
        """A ``(len(texts), len(vocabulary))`` float32 CSR matrix."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        cols: list[int] = []
        for i, text in enumerate(texts):
            cols.extend(self._columns(text))
            indptr[i + 1] = len(cols)
        counts = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64), indptr),
                                   shape=(len(texts), len(self.index)), dtype=np.float32)
        counts.sum_duplicates()
        # sublinear tf, idf, L2 rows: scikit-learn's TfidfTransformer, on the data array
        np.log(counts.data, out=counts.data)
        counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        return normalize(counts, norm="l2", copy=False)

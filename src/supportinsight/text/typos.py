"""Typo tolerance against a closed vocabulary: "Rechung" -> "rechnung", "packge" -> "package".

Customers type fast: a cue word with one letter missing, doubled, swapped or wrong
("Lieferng", "arived", "custmer servce") should still count as that word. The
corrector maps an unknown word to a vocabulary word (the mapper's cue words) when
exactly one of them is within one edit (insertion, deletion, substitution or a swap
of neighbours; optimal string alignment distance 1). It is deliberately narrow:

* only words of at least ``min_len`` letters, against vocabulary words of that length,
  because short words have too many neighbours ("Kasse" / "Klasse");
* the first letter must agree (typos rarely hit it, and "Garten" is not "warten");
* the caller passes only words it does not know: a correctly spelt word that happens
  to be one edit from a cue word must not be bent into it.

Candidates come from a deletion index (the SymSpell idea): every vocabulary word and
its one-letter deletions are keys, so a lookup costs ``len(word)`` dictionary probes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from collections.abc import Set as AbstractSet

__all__ = ["TypoCorrector", "osa_distance"]


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein without repeated edits),
    returning ``limit`` as soon as the distance is known to reach it."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class TypoCorrector:
    """Correct a word to the one vocabulary word within one edit, if there is exactly one.

    Parameters
    ----------
    vocabulary:
        The words to correct towards (lower case); shorter ones than ``min_len`` are ignored.
    min_len:
        Shortest word (and vocabulary word) that is corrected.
    groups:
        Optional ``word -> set`` map: several words within one edit are not ambiguous
        when their sets share a member (for the mapper: the touchpoints and phases whose
        cues hold the word); the word with the smallest set, then the alphabetically
        first, is returned ("lieferng": "lieferung" rather than "liefern").

    >>> TypoCorrector(["rechnung", "lieferung"]).correct("rechung")
    'rechnung'
    >>> TypoCorrector(["rechnung"]).correct("rechner") is None
    True
    """

    def __init__(self, vocabulary: Iterable[str], *, min_len: int = 6,
                 groups: Mapping[str, AbstractSet[Hashable]] | None = None) -> None:
        self.min_len = min_len
        self.groups = dict(groups or {})
        self.vocabulary = frozenset(w for w in vocabulary if len(w) >= min_len and w.isalpha())
        self._index: dict[str, set[str]] = {}
        for w in self.vocabulary:
            for key in _deletions(w) | {w}:
                self._index.setdefault(key, set()).add(w)

    def correct(self, word: str) -> str | None:
        """The vocabulary word ``word`` is a one-edit typo of, or ``None`` (none, or ambiguous)."""
        if len(word) < self.min_len or not word.isalpha() or word in self.vocabulary:
            return None
        found: set[str] = set()
        for key in _deletions(word) | {word}:
            found |= self._index.get(key, set())
        hits = sorted(w for w in found if w[0] == word[0] and osa_distance(word, w) == 1)
        if len(hits) > 1 and self.groups:
            sets = [frozenset(self.groups.get(w, {w})) for w in hits]
            if frozenset.intersection(*sets):
                return min(zip(hits, sets), key=lambda p: (len(p[1]), p[0]))[0]
        return hits[0] if len(hits) == 1 else None

    def __len__(self) -> int:
        return len(self.vocabulary)

    def __repr__(self) -> str:
        return f"TypoCorrector({len(self.vocabulary)} words, min_len={self.min_len})"

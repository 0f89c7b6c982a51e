"""Cue phrases of a journey taxonomy, found in messages: lemma-based, offline.

Messages and cue phrases go through the same spaCy blank tokenizer and lookup
lemmas (:mod:`supportinsight.text.lemmas`), with a case fallback because customers
write nouns in lower case ("pakete" finds the lemma of "Pakete"); a
:class:`spacy.matcher.PhraseMatcher` (``attr="LOWER"``) then runs over the lemma
sequence. Cue weights: 1 per matched cue phrase plus 0.5 for every further word of
a multi-word cue; times 0.6 for the generic words a taxonomy lists as
``weak_cues_de``/``weak_cues_en``; 0.7 for a German compound that contains a stem
from ``stems_de``. Cue phrases may contain a gap, ``"open ... account"``, matched by
a spaCy ``Matcher`` with up to three words in its place. A word that is neither a
form nor a lemma of the lookup table and is one edit away from exactly one cue word
of six or more letters counts as that word (:class:`~supportinsight.text.typos.TypoCorrector`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..enrich.base import unique_inverse
from .taxonomy import UNKNOWN, JourneyTaxonomy

__all__ = ["CueIndex", "Hit", "cue_matrix", "LANGS", "cue_index"]

#: Languages with cue phrases in a taxonomy.
LANGS = ("de", "en")


def _stem_extra(stem: str) -> int:
    """Letters a word needs beyond a stem before the stem counts as part of a compound.

    Short stems ("liefer") must sit in a clearly longer word; long stems that are
    words of their own ("kundenfreundlich") may take just an inflection ("-er").
    """
    return 1 if len(stem) >= 8 else 3
#: Weight of a cue listed under ``weak_cues_de``/``weak_cues_en`` (generic words
#: such as "cancel" or "order" that point to a touchpoint only when nothing more
#: specific is said: "cancel the newsletter" is about the newsletter).
WEAK_CUE_FACTOR = 0.6
STEM_WEIGHT = 0.7
#: Cue phrases may leave a gap: "open ... account" also finds "open a free account"
#: (up to MAX_GAP words in place of the "...").
GAP = "..."
MAX_GAP = 3


@dataclass
class Hit:
    """One cue found in a message (for the score and the evidence)."""

    target: int        # touchpoint or phase index
    cue: str           # the cue phrase as written in the taxonomy
    surface: str       # the words in the message
    weight: float
    compound: bool = False


#: Words the cue index's own spaCy vocabulary may collect before it is renewed, so that a
#: long stream (order numbers, names, typos: about 6 new words a message) keeps flat memory.
VOCAB_LIMIT = 300_000


def _tokenizer_only(lang: str):
    """A blank spaCy pipeline of its own (its vocabulary grows with the texts it reads), whose
    new words get only the attributes the matchers read: LOWER and IS_SPACE (spaCy computes
    about twenty per new word, shape and URL tests among them, a third of the cue search)."""
    import spacy
    from spacy.attrs import IS_SPACE, LOWER

    nlp = spacy.blank(lang if lang in ("de", "en") else "en")
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {k: getters[k] for k in (LOWER, IS_SPACE) if k in getters}
    return nlp


class CueIndex:
    """Lemmatised cue phrases of one language in a PhraseMatcher, plus German compound stems."""

    def __init__(self, taxonomy: JourneyTaxonomy, tps: Sequence[Any], lang: str) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        from ..text.lemmas import nlp_for

        self._args = (taxonomy, tps, lang)
        self.lang = lang
        self.nlp = _tokenizer_only(lang)
        self.vocab = self.nlp.vocab
        self._doc = Doc
        table = nlp_for(lang).get_pipe("lemmatizer").lookups.get_table("lemma_lookup", {})
        self._table = table
        from ..enrich.topic_vectorizer import stop_words

        # a content word whose lookup lemma is a function word keeps its own form: "UPS" (the
        # carrier) would otherwise read as "up", and the cue "ups" find every "up"
        self._stops = stop_words(lang) if lang in ("de", "en") else frozenset()
        self._lemma_cache: dict[str, str] = {}
        self._typos = None  # set below, once the cue words are known
        self.matcher = PhraseMatcher(self.vocab, attr="LOWER")
        # match key -> ("tp"|"ph", index, cue, n_words)
        self.keys: dict[int, tuple[str, int, str, int]] = {}
        self.weak: set[int] = set()
        self.gap_matcher = None
        self.gap_sets: list[frozenset[str]] = []
        phase_list = [p for p in taxonomy.phases if p.id != UNKNOWN]
        groups = [("tp", i, t.cues(lang)) for i, t in enumerate(tps)]
        groups += [("ph", j, p.cues_de if lang == "de" else p.cues_en) for j, p in enumerate(phase_list)]
        weak = {i: set(t.weak_cues(lang)) for i, t in enumerate(tps)}
        seen: set[tuple[str, int, tuple[str, ...]]] = set()
        for kind, idx, cues in groups:
            if kind == "tp":
                cues = tuple(cues) + tuple(c for c in tps[idx].weak_cues(lang) if c not in cues)
            for cue in cues:
                if GAP in cue:
                    self._add_gap_cue(kind, idx, cue, seen, weak)
                    continue
                words = self.lemmas(cue)
                # "payment method" and "payment methods" are one cue once lemmatised
                if not words or (kind, idx, tuple(words)) in seen:
                    continue
                seen.add((kind, idx, tuple(words)))
                if kind == "tp" and cue in weak[idx]:
                    self.weak.add(self.vocab.strings[f"{kind}\x1f{idx}\x1f{cue}"])
                key = f"{kind}\x1f{idx}\x1f{cue}"
                self.matcher.add(key, [Doc(self.vocab, words=words)])
                self.keys[self.vocab.strings[key]] = (kind, idx, cue, len(words))
        self.stem_targets: dict[str, list[int]] = {}
        if lang == "de":
            for i, t in enumerate(tps):
                for s in t.stems_de:
                    self.stem_targets.setdefault(s, []).append(i)
        if self.stem_targets:
            alt = "|".join(re.escape(s) for s in sorted(self.stem_targets, key=len, reverse=True))
            self.stem_start = re.compile(f"^(?:{alt})")
            self.stem_end = re.compile(f"(?:{alt})(?:s|n|en|e|er|es)?$")
        else:
            self.stem_start = self.stem_end = None
        self._init_typos(groups, tps, lang)

    def _init_typos(self, groups, tps, lang: str) -> None:
        """One-edit typos of cue words count as the cue word ("Rechung", "packge"), for
        words that are neither a known form nor a known lemma of the lookup table."""
        from ..text.typos import TypoCorrector

        owners: dict[str, set[tuple[str, int]]] = {}  # lemma of a cue word -> the cues' owners
        surface: dict[str, str] = {}  # cue word as written or lemmatised -> its lemma
        for kind, idx, cues in groups:
            extra = tps[idx].weak_cues(lang) if kind == "tp" else ()
            for cue in (*cues, *extra):
                for tok in self.nlp.tokenizer(cue.replace(GAP, " ")):
                    low, lem = tok.text.lower(), self.lemma(tok.text)
                    if low.isalpha():
                        surface[low] = surface[lem] = lem
                        owners.setdefault(lem, set()).add((kind, idx))
        self._known = {str(v).lower() for v in self._table.values()}
        self._typo_lemma = surface
        self._typos = TypoCorrector(surface, groups={w: frozenset(owners[lem]) for w, lem in surface.items()})
        self._lemma_cache.clear()

    def _add_gap_cue(self, kind, idx, cue, seen, weak) -> None:
        """``"open ... account"``: the parts in order with up to ``MAX_GAP`` words between them."""
        from spacy.matcher import Matcher

        parts = [self.lemmas(p) for p in cue.split(GAP)]
        parts = [p for p in parts if p]
        words = tuple(w for p in parts for w in p)
        # keyed apart from plain cues: "open ... account" is wider than "open account"
        if not words or (kind, idx, (GAP,) + words) in seen:
            return
        seen.add((kind, idx, (GAP,) + words))
        pattern: list[dict[str, Any]] = []
        for j, part in enumerate(parts):
            if j:
                pattern.extend({"OP": "?"} for _ in range(MAX_GAP))
            pattern.extend({"LOWER": w} for w in part)
        if self.gap_matcher is None:
            self.gap_matcher = Matcher(self.vocab)
        self.gap_sets.append(frozenset(words))
        key = f"{kind}\x1f{idx}\x1f{cue}"
        self.gap_matcher.add(key, [pattern])
        self.keys[self.vocab.strings[key]] = (kind, idx, cue, len(words))
        if kind == "tp" and cue in weak[idx]:
            self.weak.add(self.vocab.strings[key])

    def lemma(self, word: str) -> str:
        out = self._lemma_cache.get(word)
        if out is None:
            t = self._table
            found = t.get(word) or t.get(word.lower())
            if found is None and self.lang == "de":
                # lookup tables are case-sensitive and customers write nouns in lower case
                found = t.get(word[:1].upper() + word[1:].lower())
            if found is not None and found.lower() in self._stops and word.lower() not in self._stops:
                found = None
            out = (found or word).lower()
            if found is None and self._typos is not None and out not in self._known:
                fixed = self._typos.correct(out)
                out = self._typo_lemma[fixed] if fixed else out
            if len(self._lemma_cache) < 500_000:
                self._lemma_cache[word] = out
        return out

    def lemmas(self, text: str) -> list[str]:
        return [self.lemma(t.text) for t in self.nlp.tokenizer(text) if not t.is_space]

    def find(self, texts: Sequence[str], batch_size: int) -> list[tuple[list[Hit], list[Hit]]]:
        """Touchpoint hits and phase hits for each text."""
        if len(self.vocab) > VOCAB_LIMIT:
            # every new word of a long stream stays in the vocabulary: start a fresh one
            self.__init__(*self._args)
        out = []
        Doc = self._doc
        strings = self.vocab.strings
        gap_sets = self.gap_sets
        for tok_doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            # hashes -> strings is much cheaper than creating Token objects
            toks = [w for w in (strings[h] for h in tok_doc.to_array("ORTH").tolist()) if not w.isspace()]
            if not toks:
                out.append(([], []))
                continue
            lemmas = [self.lemma(w) for w in toks]
            doc = Doc(self.vocab, words=lemmas)
            matches = self.matcher(doc)
            if self.gap_matcher is not None:
                # the wildcard Matcher is slow; run it only where all words of some gap cue occur
                present = set(lemmas)
                if any(ws <= present for ws in gap_sets):
                    matches = list(matches) + list(self.gap_matcher(doc))
            tp_spans: list[tuple[int, int, int]] = []
            ph_hits: list[Hit] = []
            seen_ph: set[tuple[int, str]] = set()
            ph_spans: list[tuple[int, int, int]] = []
            for key, start, end in matches:
                (tp_spans if self.keys[key][0] == "tp" else ph_spans).append((key, start, end))
            # "can I place an order" (consideration) hides "place an order" (purchase)
            for key, start, end in _longest(ph_spans):
                kind, idx, cue, _n = self.keys[key]
                if (idx, cue) not in seen_ph:
                    seen_ph.add((idx, cue))
                    ph_hits.append(Hit(idx, cue, " ".join(toks[start:end]), 1.0))
            # a longer cue hides the shorter cues inside it ("delivery address" over "delivery")
            kept = _longest(tp_spans)
            hits: list[Hit] = []
            seen: set[tuple[int, str]] = set()
            covered: set[int] = set()
            seen_spans: set[tuple[int, int, int]] = set()
            for key, start, end in kept:
                kind, idx, cue, n = self.keys[key]
                covered.update(range(start, end))
                # a cue counts once, and one stretch of text counts once per touchpoint
                # (a plain cue and a gap cue can cover the same words)
                if (idx, cue) in seen or (idx, start, end) in seen_spans:
                    continue
                seen.add((idx, cue))
                seen_spans.add((idx, start, end))
                w = (1.0 + 0.5 * (n - 1)) * (WEAK_CUE_FACTOR if key in self.weak else 1.0)
                hits.append(Hit(idx, cue, " ".join(toks[start:end]), w))
            if self.stem_start is not None:
                for pos, w in enumerate(toks):
                    if pos in covered or len(w) < 5:
                        continue
                    low = w.lower()
                    for rx in (self.stem_start, self.stem_end):
                        m = rx.search(low)
                        if m is None:
                            continue
                        stem = m.group(0)
                        stem = next((s for s in self.stem_targets if stem.startswith(s) and
                                     (rx is self.stem_start or len(stem) - len(s) <= 2)), stem)
                        if stem not in self.stem_targets or len(low) < len(stem) + _stem_extra(stem):
                            continue
                        for idx in self.stem_targets[stem]:
                            if (idx, stem) not in seen:
                                seen.add((idx, stem))
                                hits.append(Hit(idx, stem, w, STEM_WEIGHT, compound=True))
                        break
            out.append((hits, ph_hits))
        return out


def _longest(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop matches that lie inside a longer match ("delivery" inside "delivery address")."""
    return [m for m in spans if not any(
        o[1] <= m[1] and m[2] <= o[2] and (o[2] - o[1]) > (m[2] - m[1]) for o in spans)]




#: Compiled indexes by (taxonomy fingerprint, touchpoint ids, language): building one takes
#: about a quarter of a second (tokenizer, lemmas, typo table), which every new mapper (each
#: ``si.annotate`` call builds one) would otherwise pay again for the same taxonomy.
_INDEXES: "OrderedDict[tuple, CueIndex]" = OrderedDict()
_INDEXES_MAX = 8
_INDEXES_LOCK = threading.Lock()


def cue_index(taxonomy: JourneyTaxonomy, tps: Sequence[Any], lang: str) -> CueIndex:
    """The cue index of ``taxonomy`` for ``lang``, built once per process and shared."""
    key = (taxonomy.fingerprint, tuple(t.id for t in tps), lang)
    with _INDEXES_LOCK:
        index = _INDEXES.get(key)
        if index is not None:
            _INDEXES.move_to_end(key)
            return index
    index = CueIndex(taxonomy, tps, lang)
    with _INDEXES_LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > _INDEXES_MAX:
            _INDEXES.popitem(last=False)
    return index


def find_hits(indexes: dict[str, CueIndex], texts: Sequence[str], langs: Sequence[tuple[str, ...]],
              batch_size: int = 512) -> tuple[list[list[Hit]], list[list[Hit]]]:
    """Touchpoint and phase cue hits per text, each text searched in its languages."""
    n = len(texts)
    tp_hits: list[list[Hit]] = [[] for _ in range(n)]
    ph_hits: list[list[Hit]] = [[] for _ in range(n)]
    for lang in LANGS:
        idx = [i for i in range(n) if lang in langs[i] and texts[i].strip()]
        if not idx:
            continue
        # each distinct text is searched once (exports repeat auto-replies and templates)
        unique, inverse = unique_inverse([texts[i] for i in idx])
        found = indexes[lang].find(unique, batch_size)
        for i, j in zip(idx, inverse):
            h, p = found[j]
            have = {(x.target, x.cue) for x in tp_hits[i]}
            tp_hits[i].extend(x for x in h if (x.target, x.cue) not in have)
            haveph = {(x.target, x.cue) for x in ph_hits[i]}
            ph_hits[i].extend(x for x in p if (x.target, x.cue) not in haveph)
    return tp_hits, ph_hits


def cue_matrix(hits: Sequence[Sequence[Hit]], width: int) -> np.ndarray:
    """``1 - exp(-sum of cue weights)`` per text and target: 0 without a cue, towards 1 with several."""
    out = np.zeros((len(hits), width), dtype=np.float32)
    for i, row in enumerate(hits):
        for h in row:
            out[i, h.target] += h.weight
    return 1.0 - np.exp(-out)

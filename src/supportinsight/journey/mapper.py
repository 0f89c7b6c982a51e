"""Map every message to a journey touchpoint and phase, with the evidence for it.

How a message is scored (for every touchpoint ``t`` of the taxonomy)::

    cue_part(t)   = 1 - exp(-sum of cue weights of t found in the message)
    sim_part(t)   = clip((cos(message, centroid(t)) - similarity_floor)
                         / (similarity_ceiling - similarity_floor), 0, 1)
    score(t)      = cue_weight * cue_part(t) + similarity_weight * sim_part(t)
                    + intent_weight * boost(intent, t)            # from the taxonomy file
                    + context_weight * [t is the touchpoint of the previous message
                                        in the same conversation]
    touchpoint    = argmax_t score(t) if max score >= threshold else "unknown"
    confidence    = min(1, max score)

Cue weights: 1 per matched cue phrase plus 0.5 for every further word of a
multi-word cue (``"delivery address"`` is more specific than ``"delivery"``, and a
longer cue hides the shorter cues inside it); times 0.6 for the generic words a
taxonomy lists as ``weak_cues_de``/``weak_cues_en`` ("cancel", "order": "cancel the
newsletter" is about the newsletter); 0.7 for a German compound that contains a
stem from ``stems_de`` (``"Lieferverzögerung"`` contains ``"liefer"``). Cue phrases
may contain a gap, ``"open ... account"``, matched by a spaCy ``Matcher`` with up
to three words in its place. A cue counts once per message however often it occurs.

Cue matching is lemma-based and offline: messages and cue phrases go through the
same spaCy blank tokenizer and lookup lemmas (:mod:`supportinsight.text.lemmas`),
with a case fallback because customers write nouns in lower case ("pakete" finds
the lemma of "Pakete"); a :class:`spacy.matcher.PhraseMatcher` (``attr="LOWER"``)
then runs over the lemma sequence. A word that is neither a form nor a lemma of the
lookup table and is one edit away from exactly one cue word of six or more letters
counts as that word (``"Rechung"``, ``"packge"``, ``"custmer servce"``; see
:class:`~supportinsight.text.typos.TypoCorrector`). German compounds: a stem matches at the start
of a word (``"liefer"`` in ``"Lieferverzögerung"``) or at its end, before an
optional inflection (``"zahlung"`` in ``"Ratenzahlungen"``), and only in words at
least three letters longer than the stem (one letter for stems of eight letters
or more, which are words of their own: ``"kundenfreundlicher"``). Stems inside a word are not matched,
which keeps ``"app"``-like fragments from firing in ``"knapp"``.

The centroid of a touchpoint is the normalised mean of its German and English
descriptions and its cue phrases, embedded with the multilingual encoder
(:func:`~supportinsight.enrich.embeddings.default_embedder`), so a message with
no cue at all can still land on a touchpoint when it is close enough in meaning.

Phase: the touchpoint's primary (first) phase, unless the message carries a cue
of another phase the touchpoint belongs to ("before I buy" -> consideration).
Messages whose touchpoint is ``unknown`` get the phase ``unknown`` too: phase cues
are generic ("still not", "gibt es") and are no evidence on their own.

>>> import pandas as pd, supportinsight as si
>>> mapper = si.JourneyMapper()                                   # doctest: +SKIP
>>> mapper.map(pd.DataFrame({"text": ["Paket immer noch nicht da 😡"]}))[
...     ["touchpoint", "journey_phase", "mapping_evidence"]]       # doctest: +SKIP
  touchpoint journey_phase                              mapping_evidence
0   delivery     retention  cue "Paket" (paket); similarity 0.41 ...
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..enrich.base import Step, analysis_text
from ..errors import ConfigError
from .taxonomy import UNKNOWN, JourneyTaxonomy, load_taxonomy

__all__ = ["JourneyMapper", "JourneyStep", "conversation_paths", "MAPPING_COLUMNS"]

#: Columns the mapper assigns, in order.
MAPPING_COLUMNS: tuple[str, ...] = ("journey_phase", "touchpoint", "touchpoint_kind", "mapping_confidence",
                                    "mapping_evidence")
_LANGS = ("de", "en")


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
class _Hit:
    """One cue found in a message (for the score and the evidence)."""

    target: int        # touchpoint or phase index
    cue: str           # the cue phrase as written in the taxonomy
    surface: str       # the words in the message
    weight: float
    compound: bool = False


class _CueIndex:
    """Lemmatised cue phrases of one language in a PhraseMatcher, plus German compound stems."""

    def __init__(self, taxonomy: JourneyTaxonomy, tps: Sequence[Any], lang: str) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        from ..text.lemmas import nlp_for

        self.lang = lang
        self.nlp = nlp_for(lang)
        self.vocab = self.nlp.vocab
        self._doc = Doc
        table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup", {})
        self._table = table
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
            out = (found or word).lower()
            if found is None and self._typos is not None and out not in self._known:
                fixed = self._typos.correct(out)
                out = self._typo_lemma[fixed] if fixed else out
            if len(self._lemma_cache) < 500_000:
                self._lemma_cache[word] = out
        return out

    def lemmas(self, text: str) -> list[str]:
        return [self.lemma(t.text) for t in self.nlp.tokenizer(text) if not t.is_space]

    def find(self, texts: Sequence[str], batch_size: int) -> list[tuple[list[_Hit], list[_Hit]]]:
        """Touchpoint hits and phase hits for each text."""
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
            ph_hits: list[_Hit] = []
            seen_ph: set[tuple[int, str]] = set()
            ph_spans: list[tuple[int, int, int]] = []
            for key, start, end in matches:
                (tp_spans if self.keys[key][0] == "tp" else ph_spans).append((key, start, end))
            # "can I place an order" (consideration) hides "place an order" (purchase)
            for key, start, end in _longest(ph_spans):
                kind, idx, cue, _n = self.keys[key]
                if (idx, cue) not in seen_ph:
                    seen_ph.add((idx, cue))
                    ph_hits.append(_Hit(idx, cue, " ".join(toks[start:end]), 1.0))
            # a longer cue hides the shorter cues inside it ("delivery address" over "delivery")
            kept = _longest(tp_spans)
            hits: list[_Hit] = []
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
                hits.append(_Hit(idx, cue, " ".join(toks[start:end]), w))
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
                                hits.append(_Hit(idx, stem, w, STEM_WEIGHT, compound=True))
                        break
            out.append((hits, ph_hits))
        return out


def _longest(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop matches that lie inside a longer match ("delivery" inside "delivery address")."""
    return [m for m in spans if not any(
        o[1] <= m[1] and m[2] <= o[2] and (o[2] - o[1]) > (m[2] - m[1]) for o in spans)]


def touchpoint_centroids(tps: Sequence[Any], emb: Any) -> np.ndarray:
    """One normalised embedding centre per touchpoint: its descriptions plus its cue phrases."""
    cents = []
    for t in tps:
        desc = emb.encode([t.description_en, t.description_de])
        cues = emb.encode([f"{t.label_en}: {c}" for c in t.cues_en] + [f"{t.label_de}: {c}" for c in t.cues_de])
        v = desc.mean(axis=0) + cues.mean(axis=0)
        cents.append(v / max(float(np.linalg.norm(v)), 1e-12))
    return np.stack(cents).astype(np.float32)


def _shipped_centroids(tax: JourneyTaxonomy, emb: Any) -> np.ndarray | None:
    """Precomputed centres of a shipped taxonomy (``data/journey/<name>.centroids.npz``).

    Embedding a few thousand cue phrases costs seconds in every new process; the
    shipped taxonomies carry their centres, built by
    ``python -m supportinsight.train.journey_centroids``. They are used only when
    the taxonomy's content fingerprint and the embedder match, so an edited or
    user-supplied taxonomy is always embedded afresh.
    """
    from importlib.resources import files

    from ..enrich.embeddings import E5Embedder, USEEmbedder

    suffix = {USEEmbedder: "centroids.npz", E5Embedder: "e5.centroids.npz"}.get(type(emb))
    if suffix is None:
        return None
    try:
        data = files("supportinsight").joinpath(f"data/journey/{tax.name}.{suffix}").read_bytes()
    except (FileNotFoundError, OSError):
        return None
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        if str(npz["fingerprint"]) != tax.fingerprint or str(npz["embedder"]) != emb.name:
            return None
        return npz["centroids"].astype(np.float32)


class JourneyMapper:
    """Zero-shot, explainable mapping of messages to journey touchpoints and phases.

    Nothing is learned from data: :meth:`fit` compiles the taxonomy (lemmatised cue
    matchers, embedded touchpoint centroids) and :meth:`map` calls it on first use,
    so a mapper works out of the box. See the module docstring for the scoring formula.

    Parameters
    ----------
    taxonomy:
        A shipped name (``"default"``, ``"six_phase"``), a path to a YAML file, a
        mapping, or a :class:`~supportinsight.journey.taxonomy.JourneyTaxonomy`.
    threshold:
        Minimum score for a touchpoint; below it the answer is ``"unknown"``.
    cue_weight, similarity_weight, intent_weight, context_weight:
        Weights of the score terms (see the module docstring).
    similarity_floor, similarity_ceiling:
        Cosine similarities mapped to 0 and 1 for the similarity term (the
        multilingual encoder gives unrelated sentences about 0.15).
    use_embeddings:
        ``False`` scores cues, intents and context only (no encoder needed).
    embedder:
        An :class:`~supportinsight.enrich.embeddings.Embedder`; default: the shared default embedder.
    batch_size:
        Texts per tokenizer batch.

    Attributes
    ----------
    taxonomy_ : JourneyTaxonomy
    touchpoint_ids_ : list of str
        Scored touchpoints (all but ``unknown``), the columns of :meth:`scores`.
    centroids_ : ndarray of shape (n_touchpoints, dim) or None
    """

    def __init__(self, taxonomy: Any = "default", *, threshold: float = 0.3, cue_weight: float = 0.6,
                 similarity_weight: float = 0.4, intent_weight: float = 0.5, context_weight: float = 0.3,
                 similarity_floor: float = 0.15, similarity_ceiling: float = 0.55, use_embeddings: bool = True,
                 embedder: Any = None, batch_size: int = 512) -> None:
        self.taxonomy = taxonomy
        self.threshold = threshold
        self.cue_weight = cue_weight
        self.similarity_weight = similarity_weight
        self.intent_weight = intent_weight
        self.context_weight = context_weight
        self.similarity_floor = similarity_floor
        self.similarity_ceiling = similarity_ceiling
        self.use_embeddings = use_embeddings
        self.embedder = embedder
        self.batch_size = batch_size

    # ------------------------------------------------------------------ setup
    def _check_params(self) -> None:
        for name in ("threshold", "cue_weight", "similarity_weight", "intent_weight", "context_weight"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1 or math.isnan(v):
                raise ConfigError(f"{name} must be a number between 0 and 1, got {v!r}")
        if not -1 <= self.similarity_floor < self.similarity_ceiling <= 1:
            raise ConfigError("similarity_floor must be below similarity_ceiling, both between -1 and 1; got "
                              f"similarity_floor={self.similarity_floor!r}, similarity_ceiling={self.similarity_ceiling!r}")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ConfigError(f"batch_size must be an integer >= 1, got {self.batch_size!r}")

    def fit(self, X: Any = None, y: Any = None) -> "JourneyMapper":
        """Compile the taxonomy; ``X`` and ``y`` are ignored (nothing is learned)."""
        self._check_params()
        tax = load_taxonomy(self.taxonomy)
        tps = [t for t in tax.touchpoints if t.id != UNKNOWN]
        self.taxonomy_ = tax
        self.touchpoint_ids_ = [t.id for t in tps]
        self._tps = tps
        self._phases = [p for p in tax.phases if p.id != UNKNOWN]
        self._index = {lang: _CueIndex(tax, tps, lang) for lang in _LANGS}
        self._intent_boost: dict[str, np.ndarray] = {}
        for i, t in enumerate(tps):
            for intent, boost in t.intents:
                self._intent_boost.setdefault(intent, np.zeros(len(tps), dtype=np.float32))[i] = boost
        self.centroids_ = None
        if self.use_embeddings:
            emb = self._embedder()
            self.centroids_ = _shipped_centroids(tax, emb)
            if self.centroids_ is None:
                self.centroids_ = touchpoint_centroids(tps, emb)
        return self

    def _embedder(self):
        if self.embedder is not None:
            return self.embedder
        from ..enrich.embeddings import default_embedder

        return default_embedder()

    def _ensure_fitted(self) -> None:
        if not hasattr(self, "taxonomy_"):
            self.fit()

    @property
    def version(self) -> str:
        self._ensure_fitted()
        return f"JourneyMapper(taxonomy={self.taxonomy_.name}@{self.taxonomy_.fingerprint})"

    # ------------------------------------------------------------------ scoring
    def _langs(self, frame: pd.DataFrame) -> list[tuple[str, ...]]:
        if "language" not in frame.columns:
            return [_LANGS] * len(frame)
        out = []
        for v in frame["language"].astype(object).tolist():
            out.append((v,) if v in _LANGS else _LANGS)
        return out

    def _cue_hits(self, texts: list[str], langs: list[tuple[str, ...]]):
        n = len(texts)
        tp_hits: list[list[_Hit]] = [[] for _ in range(n)]
        ph_hits: list[list[_Hit]] = [[] for _ in range(n)]
        for lang in _LANGS:
            idx = [i for i in range(n) if lang in langs[i] and texts[i].strip()]
            if not idx:
                continue
            found = self._index[lang].find([texts[i] for i in idx], self.batch_size)
            for i, (h, p) in zip(idx, found):
                have = {(x.target, x.cue) for x in tp_hits[i]}
                tp_hits[i].extend(x for x in h if (x.target, x.cue) not in have)
                haveph = {(x.target, x.cue) for x in ph_hits[i]}
                ph_hits[i].extend(x for x in p if (x.target, x.cue) not in haveph)
        return tp_hits, ph_hits

    def scores(self, texts: Sequence[str], *, languages: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-touchpoint scores without intent and context terms (rows: texts, columns: touchpoints)."""
        self._ensure_fitted()
        frame = pd.DataFrame({"text": list(texts)})
        if languages is not None:
            frame["language"] = list(languages)
        base, _, _, _ = self._base_scores(frame)
        return pd.DataFrame(base, columns=self.touchpoint_ids_)

    def _base_scores(self, frame: pd.DataFrame):
        texts = analysis_text(frame).tolist()
        n, k = len(texts), len(self._tps)
        tp_hits, ph_hits = self._cue_hits(texts, self._langs(frame))
        cue_sum = np.zeros((n, k), dtype=np.float32)
        for i, hits in enumerate(tp_hits):
            for h in hits:
                cue_sum[i, h.target] += h.weight
        score = self.cue_weight * (1.0 - np.exp(-cue_sum))
        sims = None
        if self.centroids_ is not None and n:
            vecs = self._embedder().encode(texts)
            sims = vecs @ self.centroids_.T
            part = np.clip((sims - self.similarity_floor) / (self.similarity_ceiling - self.similarity_floor), 0, 1)
            score = score + self.similarity_weight * part
            empty = np.array([not t.strip() for t in texts])
            score[empty] = 0.0
        return score.astype(np.float32), sims, tp_hits, ph_hits

    def _intent_scores(self, frame: pd.DataFrame, n: int) -> np.ndarray:
        out = np.zeros((n, len(self._tps)), dtype=np.float32)
        if not self._intent_boost:
            return out
        col = "intents" if "intents" in frame.columns else ("intent" if "intent" in frame.columns else None)
        if col is None:
            return out
        for i, v in enumerate(frame[col].tolist()):
            labels = [v] if isinstance(v, str) else (list(v) if isinstance(v, (list, tuple, np.ndarray)) else [])
            for lab in labels:
                b = self._intent_boost.get(lab)
                if b is not None:
                    out[i] = np.maximum(out[i], b)
        return self.intent_weight * out

    def _order(self, frame: pd.DataFrame) -> list[np.ndarray]:
        """Positions grouped by conversation, each group in time order (frame order without timestamps)."""
        n = len(frame)
        if "conversation_id" not in frame.columns or n == 0:
            return []
        conv = frame["conversation_id"].astype("string")
        # messages without a conversation id have no thread to take context from
        keys = pd.DataFrame({"c": conv.to_numpy(), "p": np.arange(n)})[conv.notna().to_numpy()]
        if "timestamp" in frame.columns:
            ts = pd.to_datetime(frame["timestamp"], errors="coerce", utc=True)
            keys["t"] = ts.to_numpy()
            keys = keys.sort_values(["c", "t", "p"], kind="stable", na_position="last")
        else:
            keys = keys.sort_values(["c", "p"], kind="stable")
        return [g.to_numpy() for _, g in keys.groupby("c", sort=False)["p"]]

    # ------------------------------------------------------------------ public
    def map(self, frame: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
        """Map each message; returns the :data:`MAPPING_COLUMNS` with the input's index.

        Parameters
        ----------
        frame:
            A frame with ``text`` (and ``body``), or a list of strings. Used when
            present: ``language``, ``intent``/``intents``, ``conversation_id``,
            ``timestamp`` (conversation context).
        """
        self._ensure_fitted()
        if not isinstance(frame, pd.DataFrame):
            if isinstance(frame, str):
                frame = [frame]
            frame = pd.DataFrame({"text": list(frame)})
        if "text" not in frame.columns and "body" not in frame.columns:
            raise ConfigError("JourneyMapper.map needs a 'text' column (or a list of strings); "
                              f"columns found: {list(frame.columns)[:10]}")
        n = len(frame)
        base, sims, tp_hits, ph_hits = self._base_scores(frame)
        score = base + self._intent_scores(frame, n)
        ctx_from: list[int] = [-1] * n
        groups = self._order(frame)
        if groups and self.context_weight > 0:
            for pos in groups:
                last = -1
                for p in pos:
                    row = score[p]
                    if last >= 0:
                        ctx = row.copy()
                        ctx[last] += self.context_weight
                        best0, best1 = int(row.argmax()), int(ctx.argmax())
                        # record context only where it decided the answer
                        if best1 == last and (best0 != last or row[best0] < self.threshold <= ctx[best1]):
                            ctx_from[p] = last
                        score[p] = ctx
                    best = int(score[p].argmax())
                    if score[p, best] >= self.threshold:
                        last = best
        return self._assemble(frame, score, sims, tp_hits, ph_hits, ctx_from)

    def _assemble(self, frame, score, sims, tp_hits, ph_hits, ctx_from) -> pd.DataFrame:
        n = len(frame)
        phases_out, tps_out, kinds, confs, evid = [], [], [], [], []
        phase_ids = [p.id for p in self._phases]
        empty = analysis_text(frame).str.strip().eq("").to_numpy()
        for i in range(n):
            row = score[i] if n else None
            best = int(row.argmax()) if row is not None and row.size else -1
            conf = float(min(1.0, row[best])) if best >= 0 else 0.0
            phase_counts: dict[int, int] = {}
            for h in ph_hits[i]:
                phase_counts[h.target] = phase_counts.get(h.target, 0) + 1
            parts: list[str] = []
            if best >= 0 and conf >= self.threshold:
                tp = self._tps[best]
                own = [h for h in tp_hits[i] if h.target == best]
                for h in own[:3]:
                    parts.append(f'cue "{h.surface}"' + (f" ({h.cue})" if h.cue.lower() != h.surface.lower() else "")
                                 + (" [compound]" if h.compound else ""))
                if sims is not None:
                    parts.append(f"similarity {float(sims[i, best]):.2f} to {tp.id}")
                if ctx_from[i] >= 0:
                    parts.append(f"context: previous message in the conversation was {self._tps[ctx_from[i]].id}")
                candidates = [(phase_counts.get(phase_ids.index(p), 0), -k, p) for k, p in enumerate(tp.phases)
                              if p in phase_ids]
                phase = tp.primary_phase
                if candidates:
                    top = max(candidates)
                    if top[0] > 0:
                        phase = top[2]
                        cues = [h.surface for h in ph_hits[i] if phase_ids[h.target] == phase][:3]
                        parts.append("phase cue " + ", ".join(f'"{c}"' for c in cues))
                tps_out.append(tp.id)
                kinds.append(tp.kind)
                phases_out.append(phase)
            else:
                if empty[i]:
                    parts.append("no touchpoint: empty text")
                elif best >= 0 and conf > 0:
                    parts.append(f"no touchpoint: best {self._tps[best].id} scored {conf:.2f} "
                                 f"(below threshold {self.threshold:.2f})")
                else:
                    parts.append(f"no touchpoint: no cue and no similarity (threshold {self.threshold:.2f})")
                # phase cues are generic ("still not", "gibt es"); alone they are no evidence
                phase = UNKNOWN
                tps_out.append(UNKNOWN)
                kinds.append(None)
                phases_out.append(phase)
            confs.append(round(conf, 3))
            evid.append("; ".join(parts))
        return pd.DataFrame({"journey_phase": phases_out, "touchpoint": tps_out, "touchpoint_kind": kinds,
                             "mapping_confidence": np.asarray(confs, dtype=np.float64),
                             "mapping_evidence": evid}, index=frame.index)

    def explain(self, text: str, *, language: str | None = None, top: int = 5) -> pd.DataFrame:
        """The top touchpoints for one text with their cue hits and similarity (for auditing)."""
        self._ensure_fitted()
        frame = pd.DataFrame({"text": [text]})
        if language is not None:
            frame["language"] = [language]
        base, sims, tp_hits, _ = self._base_scores(frame)
        order = np.argsort(-base[0])[:top]
        return pd.DataFrame({
            "touchpoint": [self._tps[j].id for j in order],
            "score": [round(float(base[0, j]), 3) for j in order],
            "cues": [", ".join(h.surface for h in tp_hits[0] if h.target == j) for j in order],
            "similarity": [round(float(sims[0, j]), 3) if sims is not None else None for j in order],
        })

    def __repr__(self) -> str:
        tax = self.taxonomy if isinstance(self.taxonomy, str) else getattr(self.taxonomy, "name", "custom")
        return f"JourneyMapper(taxonomy={tax!r}, threshold={self.threshold})"


class JourneyStep(Step):
    """Pipeline step: journey phase and touchpoint per message (see :class:`JourneyMapper`).

    Uses ``language``, ``intent``/``intents``, ``conversation_id`` and ``timestamp``
    when an earlier step or the input provides them.
    """

    name = "journey"
    requires = ("text",)
    assigns = MAPPING_COLUMNS

    def __init__(self, taxonomy: Any = None, *, mapper: JourneyMapper | None = None) -> None:
        if mapper is not None and taxonomy is not None:
            raise ConfigError("pass either taxonomy or mapper to JourneyStep, not both")
        self.mapper = mapper if mapper is not None else JourneyMapper(taxonomy if taxonomy is not None else "default")

    @property
    def version(self) -> str:
        return self.mapper.version

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self.mapper.map(frame)

    def defaults(self) -> dict[str, object]:
        return {"journey_phase": UNKNOWN, "touchpoint": UNKNOWN, "touchpoint_kind": None,
                "mapping_confidence": 0.0, "mapping_evidence": "mapping failed"}

    def __repr__(self) -> str:
        return f"JourneyStep(mapper={self.mapper!r})"


def conversation_paths(frame: pd.DataFrame, *, roles: Sequence[str] = ("customer",)) -> pd.DataFrame:
    """The touchpoints each conversation passes through, in order, and where it first failed.

    Parameters
    ----------
    frame:
        An annotated frame with ``conversation_id``, ``touchpoint`` and
        ``journey_phase``; ``timestamp`` orders the messages (else frame order),
        ``author_role`` selects whose messages count (``roles``; messages without a
        role count), ``sentiment`` marks failures.
    roles:
        Author roles whose messages make up the path.

    Returns
    -------
    pandas.DataFrame
        One row per conversation: ``conversation_id``, ``path`` (touchpoints in order,
        repeats in a row merged, ``unknown`` left out), ``phases`` (the same for
        phases), ``first_failing_touchpoint`` (touchpoint of the first message in
        ``roles`` with negative sentiment and a known touchpoint, else ``None``;
        ``None`` everywhere when there is no ``sentiment`` column), ``n_messages``.
    """
    from ..errors import SchemaError

    for col in ("conversation_id", "touchpoint", "journey_phase"):
        if col not in frame.columns:
            raise SchemaError("missing; run si.annotate (with the journey step) on the frame first", column=col)
    work = pd.DataFrame({
        "conversation_id": frame["conversation_id"].astype(object).to_numpy(),
        "touchpoint": frame["touchpoint"].astype(object).to_numpy(),
        "phase": frame["journey_phase"].astype(object).to_numpy(),
        "pos": np.arange(len(frame)),
    })
    if "author_role" in frame.columns:
        role = frame["author_role"].astype(object).to_numpy()
        work["keep"] = [r is None or (isinstance(r, float) and math.isnan(r)) or r in roles for r in role]
    else:
        work["keep"] = True
    work["negative"] = (frame["sentiment"].astype(object).to_numpy() == "negative") if "sentiment" in frame.columns \
        else False
    if "timestamp" in frame.columns:
        work["t"] = pd.to_datetime(frame["timestamp"], errors="coerce", utc=True).to_numpy()
        work = work.sort_values(["t", "pos"], kind="stable", na_position="last")
    has_sentiment = "sentiment" in frame.columns
    rows = []
    for conv, g in work.groupby("conversation_id", sort=False, dropna=False):
        g = g[g["keep"]]
        path: list[str] = []
        phases: list[str] = []
        failing = None
        for tp, ph, neg in zip(g["touchpoint"], g["phase"], g["negative"]):
            known = isinstance(tp, str) and tp != UNKNOWN
            if known and (not path or path[-1] != tp):
                path.append(tp)
            if isinstance(ph, str) and ph != UNKNOWN and (not phases or phases[-1] != ph):
                phases.append(ph)
            if failing is None and has_sentiment and known and neg:
                failing = tp
        rows.append({"conversation_id": conv, "path": path, "phases": phases,
                     "first_failing_touchpoint": failing, "n_messages": int(len(g))})
    out = pd.DataFrame(rows, columns=["conversation_id", "path", "phases", "first_failing_touchpoint", "n_messages"])
    # keep None (not NaN) for "no failure" so that `is None` checks and JSON export stay plain
    out["first_failing_touchpoint"] = pd.Series([r["first_failing_touchpoint"] for r in rows], dtype=object,
                                                index=out.index)
    return out

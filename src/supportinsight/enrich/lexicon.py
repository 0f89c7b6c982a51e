"""The team's German/English sentiment lexicon with negation, intensifiers and
"but"-shifts, turned into numeric features for the learned sentiment head.

The lexicon (``data/sentiment/lexicon.tsv``) and modifiers
(``data/sentiment/modifiers.tsv``) are written by the supportinsight team; English
is complemented by VADER's lexicon (MIT), whose scores are features too (in German
text VADER reads only the emoticons, emojis and punctuation). Nothing
here decides a label on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .base import unique_inverse

__all__ = ["SentimentLexicon", "sentiment_lexicon", "lexicon_features", "LEXICON_FEATURE_NAMES"]

_TOKEN = re.compile(r"[^\W\d_]+(?:'[a-z]+)?|[.!?;,:]+")
_CLAUSE_END = re.compile(r"^[.!?;,:]+$")
#: How many words after a negator are negated.
NEGATION_SCOPE = 3
#: Words after which a negator does not negate: "nicht nur", "not only", "not just".
_NOT_ONLY = frozenset({"nur", "bloß", "bloss", "allein", "only", "just", "merely"})


def _rows(name: str) -> list[list[str]]:
    text = resources.files("supportinsight").joinpath("data/sentiment/" + name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class SentimentLexicon:
    """Word polarities (exact and prefix entries) and modifier words."""

    exact: dict[str, float]
    prefixes: dict[str, float]
    prefix_lengths: tuple[int, ...]
    negators: frozenset[str]
    intensifiers: dict[str, float]
    shifters: frozenset[str]

    def polarity(self, token: str) -> float:
        """Polarity of one lower-cased token (0.0 when unknown)."""
        p = self.exact.get(token)
        if p is not None:
            return p
        for n in self.prefix_lengths:
            if len(token) >= n:
                p = self.prefixes.get(token[:n])
                if p is not None:
                    return p
        return 0.0


@lru_cache(maxsize=1)
def sentiment_lexicon() -> SentimentLexicon:
    """The packaged lexicon (loaded once)."""
    exact: dict[str, float] = {}
    prefixes: dict[str, float] = {}
    for term, pol, *_ in _rows("lexicon.tsv"):
        if term.endswith("*"):
            prefixes[term[:-1]] = float(pol)
        else:
            exact[term] = float(pol)
    negators, shifters, intens = set(), set(), {}
    for term, kind, weight in (r[:3] for r in _rows("modifiers.tsv")):
        if kind == "negator":
            negators.add(term)
        elif kind == "intensifier":
            intens[term] = float(weight)
        elif kind == "shifter":
            shifters.add(term)
    lengths = tuple(sorted({len(p) for p in prefixes}, reverse=True))
    return SentimentLexicon(exact, prefixes, lengths, frozenset(negators), intens, frozenset(shifters))


#: Names of the columns of :func:`lexicon_features`, in order.
LEXICON_FEATURE_NAMES: tuple[str, ...] = (
    "lex_sum", "lex_positive", "lex_negative", "lex_negated", "lex_intensified", "lex_last_clause",
    "lex_coverage", "vader_compound", "vader_positive", "vader_negative", "log_length",
    "lex_negated_negative", "lex_negated_positive",
)
# The last two keep apart what negation flipped: a negated negative word ("nicht schlecht",
# "kein Problem", "can't complain", "nothing to complain about") is mild praise or relief,
# while a sentence embedding reads it close to the negative word itself; a negated positive
# word ("nicht zufrieden", "not helpful") is a complaint.


def _is_german(code: object) -> bool:
    """``de``, ``de-AT``, ``deu``, ``ger``, ``German``: a helpdesk's own language column may
    spell it any of these ways."""
    code = str(code).strip().lower()
    return code[:2] == "de" or code.startswith("ger")


#: Words of two or more letters (what VADER must not read in German text).
_WORD = re.compile(r"\b[^\W\d_]{2,}\b")


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _score_tokens(tokens: list[str], lex: SentimentLexicon
                  ) -> tuple[float, float, float, int, int, float, int, float, float]:
    pos = neg = 0.0
    flipped_neg = flipped_pos = 0.0  # polarity of negated negative / positive words, before the flip
    negated = intensified = hits = 0
    clause_scores: list[float] = [0.0]
    neg_left = 0
    boost = 1.0
    prev_score_idx = -1
    prev_score = 0.0
    for i, tok in enumerate(tokens):
        if _CLAUSE_END.match(tok):
            neg_left = 0
            boost = 1.0
            clause_scores.append(0.0)
            continue
        if tok in lex.shifters:
            clause_scores.append(0.0)
            continue
        if tok in lex.negators or tok.endswith("n't"):  # every English contraction: wouldn't, aren't ...
            if i + 1 < len(tokens) and tokens[i + 1] in _NOT_ONLY:
                continue  # "nicht nur gut", "not only fast": an addition, not a negation
            # German post-position: "gefällt mir nicht", "gut ist das nicht" - the negator closes
            # the clause and flips the polar word just before it
            nxt = tokens[i + 1] if i + 1 < len(tokens) else "."
            if prev_score_idx >= i - 3 and prev_score_idx >= 0 and _CLAUSE_END.match(nxt) and neg_left == 0:
                s = prev_score
                if s > 0:
                    pos -= s
                else:
                    neg -= -s
                flipped = -0.8 * s
                if flipped > 0:
                    pos += flipped
                    flipped_neg += -s
                else:
                    neg += -flipped
                    flipped_pos += s
                clause_scores[-1] += flipped - s
                negated += 1
                prev_score_idx = -1
            else:
                neg_left = NEGATION_SCOPE
            continue
        if tok in lex.intensifiers and lex.polarity(tok) == 0.0:
            boost *= lex.intensifiers[tok]
            continue
        s = lex.polarity(tok)
        if s == 0.0 and tok in lex.intensifiers:
            boost *= lex.intensifiers[tok]
        if s != 0.0:
            hits += 1
            # an intensifier that is itself polar ("super freundlich") boosts the next word
            if tok in lex.intensifiers and i + 1 < len(tokens) and lex.polarity(tokens[i + 1]) != 0.0:
                boost *= lex.intensifiers[tok]
                continue
            s *= boost
            if boost != 1.0:
                intensified += 1
            boost = 1.0
            if neg_left > 0:
                if s < 0:
                    flipped_neg += -s
                else:
                    flipped_pos += s
                s *= -0.8
                negated += 1
                neg_left = 0
            if s > 0:
                pos += s
            else:
                neg += -s
            clause_scores[-1] += s
            prev_score_idx, prev_score = i, s
        elif neg_left > 0:
            neg_left -= 1
    last = next((c for c in reversed(clause_scores) if c != 0.0), 0.0)
    return pos - neg, pos, neg, negated, intensified, last, hits, flipped_neg, flipped_pos


def lexicon_features(texts: list[str], languages: Sequence[str] | None = None) -> np.ndarray:
    """Per text: lexicon score (with negation, intensifiers, last-clause weight), VADER scores, length,
    and how much negative and positive polarity negation flipped.

    In German text VADER reads only emoticons, emojis and punctuation: its English lexicon
    misreads German words ("die", "war", "Gift", "Bad", "fast"); on the whole text "Vielen
    Dank für die schnelle Hilfe!" would score -0.64.

    ``languages`` (one ISO code per text, e.g. the ``language`` column) saves detecting
    them again; by default :func:`~supportinsight.enrich.language.detect_language` decides.
    Returns an array of shape ``(len(texts), len(LEXICON_FEATURE_NAMES))``.
    """
    lex = sentiment_lexicon()
    vader = _vader()
    if languages is None:
        from .language import detect_language

        languages = [code for code, _ in detect_language(texts, ("de", "en"))]
    elif len(languages) != len(texts):
        raise ValueError(f"got {len(languages)} languages for {len(texts)} texts")
    unique, inverse = unique_inverse(list(zip(texts, languages)))
    if len(unique) < len(texts):
        return lexicon_features([t for t, _ in unique], [lang for _, lang in unique])[inverse]
    out = np.zeros((len(texts), len(LEXICON_FEATURE_NAMES)), dtype=np.float32)
    for i, t in enumerate(texts):
        tokens = _TOKEN.findall(t.lower())
        total, pos, neg, negated, intensified, last, hits, flipped_neg, flipped_pos = _score_tokens(tokens, lex)
        n_words = max(1, sum(1 for tok in tokens if not _CLAUSE_END.match(tok)))
        # German: VADER reads only emoticons, emojis and punctuation, not the words
        v = vader.polarity_scores(_WORD.sub(" ", t) if _is_german(languages[i]) else t)
        out[i] = (np.tanh(total), np.tanh(pos), np.tanh(neg), min(negated, 3) / 3, min(intensified, 3) / 3,
                  np.tanh(last), hits / n_words, v["compound"], v["pos"], v["neg"], np.log1p(len(t)) / 7,
                  np.tanh(2 * flipped_neg), np.tanh(2 * flipped_pos))
    return out

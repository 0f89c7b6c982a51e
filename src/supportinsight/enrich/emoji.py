"""Emojis, emoticons, elongations and shouting: extraction, polarity and intent cues.

Polarities come from package data, not from code: the Emoji Sentiment Ranking v1.0
(Kralj Novak et al. 2015, CC BY-SA 4.0; ``data/emoji/emoji_sentiment_ranking.tsv``)
plus the team's own entries for emojis newer than 2015 and for cues such as
sarcasm or gratitude (``data/emoji/emoji_team.tsv``), and a team-written emoticon
table (``data/emoji/emoticons.tsv``).

>>> extract_emojis("Paket immer noch nicht da 😡😡")
['😡', '😡']
>>> extract_emoticons("danke :) bis morgen ;-)")
[':)', ';-)']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import emoji as _emoji
import numpy as np
import pandas as pd

from .base import Step, analysis_text, unique_inverse

__all__ = [
    "EmojiStep",
    "EmojiLexicon",
    "emoji_lexicon",
    "extract_emojis",
    "extract_emoticons",
    "has_elongation",
    "is_shouting",
    "emoji_features",
    "EMOJI_FEATURE_NAMES",
]

_SKIN_TONES = re.compile("[\U0001F3FB-\U0001F3FF]")
_VARIATION = re.compile("[\uFE0E\uFE0F]")
_URL = re.compile(r"https?://\S+|www\.\S+")
_VOWEL_RUN = re.compile(r"([aeiouyäöüAEIOUYÄÖÜ])\1{2,}")
_CONSONANT_RUN = re.compile(r"([b-df-hj-np-tv-zß])\1{3,}", re.IGNORECASE)
_PUNCT_RUN = re.compile(r"[!?]{3,}|!{2,}")
_WORD = re.compile(r"[^\W\d_]+")


def _read_tsv(name: str) -> list[list[str]]:
    text = resources.files("supportinsight").joinpath("data/emoji/" + name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _base(e: str) -> str:
    """Lookup key: no skin tone, no variation selector."""
    return _VARIATION.sub("", _SKIN_TONES.sub("", e))


@dataclass(frozen=True)
class EmojiLexicon:
    """Polarity in [-1, 1] and intent cues for emojis and emoticons, with their source.

    ``polarity`` maps a base emoji (no skin tone or variation selector) or an emoticon
    to a float; ``cues`` maps it to a tuple of cue names (``"sarcasm"``,
    ``"gratitude"``, ``"anger"`` ...); ``source`` says where each polarity came from.
    """

    polarity: dict[str, float]
    cues: dict[str, tuple[str, ...]]
    source: dict[str, str]

    def lookup(self, token: str) -> tuple[float | None, tuple[str, ...]]:
        """Polarity (None if unknown) and cues of one emoji, ZWJ sequence or emoticon."""
        if token in self.polarity or token in self.cues:
            return self.polarity.get(token), self.cues.get(token, ())
        key = _base(token)
        if key not in self.polarity and key not in self.cues and "\u200d" in key:
            # ZWJ sequence (🤦‍♂️, 👨‍👩‍👧): the first component carries the feeling
            key = key.split("\u200d")[0]
        return self.polarity.get(key), self.cues.get(key, ())


@lru_cache(maxsize=1)
def emoji_lexicon() -> EmojiLexicon:
    """The packaged lexicon (loaded once)."""
    polarity: dict[str, float] = {}
    cues: dict[str, tuple[str, ...]] = {}
    source: dict[str, str] = {}
    for row in _read_tsv("emoji_sentiment_ranking.tsv")[1:]:
        key = _base(row[0])
        polarity[key] = float(row[5])
        source[key] = "Emoji Sentiment Ranking v1.0 (CC BY-SA 4.0)"
    for row in _read_tsv("emoji_team.tsv"):
        key = _base(row[0])
        if len(row) > 1 and row[1].strip():
            polarity[key] = float(row[1])
            source[key] = "supportinsight team"
        if len(row) > 2 and row[2].strip():
            cues[key] = tuple(c.strip() for c in row[2].split(",") if c.strip())
    for row in _read_tsv("emoticons.tsv"):
        polarity[row[0]] = float(row[1])
        cues[row[0]] = (row[2],) if len(row) > 2 and row[2] else ()
        source[row[0]] = "supportinsight team"
    return EmojiLexicon(polarity, cues, source)


@lru_cache(maxsize=1)
def _emoticon_pattern() -> re.Pattern[str]:
    faces = sorted((k for k in emoji_lexicon().polarity if k.isascii()), key=len, reverse=True)
    alts = []
    for f in faces:
        esc = re.escape(f)
        # a face made of letters (xD) must stand alone; symbol faces may follow a word ("super:)")
        before = r"(?<![\w:/<>])" if f[0].isalpha() else r"(?<![:/<>=;^-])"
        alts.append(before + esc)
    # never inside a URL ("https://") or a word (":Daten"), never before a digit ("<30")
    # the leading look-ahead lets the engine skip, in one test, every position where no face starts
    first = "".join(sorted({re.escape(f[0]) for f in faces}))
    return re.compile("(?=[" + first + "])(?:" + "|".join(alts) + r")(?![\w/\\)(|*])")


@lru_cache(maxsize=1)
def _emoji_chars() -> frozenset[str]:
    """The characters that occur in an emoji of the ``emoji`` package (none is ASCII): text
    without one holds no emoji, and most messages are answered by one set test instead
    of the package's character-by-character scan."""
    return frozenset(c for e in _emoji.EMOJI_DATA for c in e if ord(c) > 127)


#: Every emoticon of the table holds one of these (a face of letters, "xD", "o.O", "-_-", too).
_EMOTICON_HINT = re.compile(r"[:;=^<]|[xX][dD]|-[._]-|[oO]\.[oO]")


def extract_emojis(text: str) -> list[str]:
    """Emojis in order of appearance; ZWJ sequences, skin tones and flags stay whole.

    >>> extract_emojis("top 👍🏽 🤦‍♀️ 🇩🇪")
    ['👍🏽', '🤦\u200d♀️', '🇩🇪']
    """
    if not text or text.isascii() or _emoji_chars().isdisjoint(text):
        return []
    return [m["emoji"] for m in _emoji.emoji_list(text)]


def extract_emoticons(text: str) -> list[str]:
    """ASCII emoticons (``:)``, ``:-(``, ``;)``, ``xD``, ``<3``, ``:/`` ...) in order; URLs are ignored."""
    if not text or not _EMOTICON_HINT.search(text):
        return []
    if "/" in text:
        text = _URL.sub(" ", text)
        if not _EMOTICON_HINT.search(text):
            return []
    return _emoticon_pattern().findall(text)


def has_elongation(text: str) -> bool:
    """True for stretched words ("soooo", "neeein") or punctuation runs ("!!!", "?!?")."""
    return bool(_VOWEL_RUN.search(text) or _CONSONANT_RUN.search(text) or _PUNCT_RUN.search(text))


def is_shouting(text: str) -> bool:
    """True when the writer shouts: several all-caps words making up much of the text,
    or one long all-caps word (short acronyms such as DHL or IBAN do not count)."""
    words = _WORD.findall(_URL.sub(" ", text))
    if not words:
        return False
    caps = [w for w in words if len(w) >= 2 and w.isupper()]
    if any(len(w) >= 7 for w in caps) and len(words) > 1:
        return True
    return len(caps) >= 3 and len(caps) >= 0.6 * len(words)


#: Names of the columns of :func:`emoji_features`, in order.
EMOJI_FEATURE_NAMES: tuple[str, ...] = (
    "emoji_count", "emoji_polarity", "emoji_positive", "emoji_negative", "cue_sarcasm", "cue_anger",
    "cue_gratitude", "cue_frustration", "cue_confusion", "cue_laughing", "elongation", "shouting",
    "exclamations", "questions",
)


def _polarities(tokens: list[str]) -> tuple[list[float], set[str]]:
    lex = emoji_lexicon()
    pols: list[float] = []
    cues: set[str] = set()
    for t in tokens:
        p, c = lex.lookup(t)
        if p is not None:
            pols.append(p)
        cues.update(c)
    return pols, cues


def emoji_features(texts: list[str]) -> np.ndarray:
    """Per text: emoji/emoticon counts, mean polarity, cue flags, elongation, shouting.

    Returns an array of shape ``(len(texts), len(EMOJI_FEATURE_NAMES))``.
    """
    unique, inverse = unique_inverse(texts)
    if len(unique) < len(texts):
        return emoji_features(unique)[inverse]
    out = np.zeros((len(texts), len(EMOJI_FEATURE_NAMES)), dtype=np.float32)
    for i, t in enumerate(texts):
        tokens = extract_emojis(t) + extract_emoticons(t)
        pols, cues = _polarities(tokens)
        out[i, 0] = np.log1p(len(tokens))
        if pols:
            out[i, 1] = float(np.mean(pols))
            out[i, 2] = sum(p > 0.2 for p in pols) / len(pols)
            out[i, 3] = sum(p < -0.2 for p in pols) / len(pols)
        out[i, 4] = "sarcasm" in cues
        out[i, 5] = "anger" in cues
        out[i, 6] = "gratitude" in cues
        out[i, 7] = "frustration" in cues
        out[i, 8] = "confusion" in cues or "skepticism" in cues
        out[i, 9] = "laughing" in cues
        out[i, 10] = has_elongation(t)
        out[i, 11] = is_shouting(t)
        out[i, 12] = min(t.count("!"), 5) / 5
        out[i, 13] = min(t.count("?"), 5) / 5
    return out


class EmojiStep(Step):
    """Adds ``emojis``, ``emoticons``, ``emoji_polarity`` (mean polarity of both, NaN
    when none), ``emoji_cues`` (e.g. ``["sarcasm"]``), ``elongation`` and ``shouting``."""

    name = "emoji"
    requires = ("text",)
    assigns = ("emojis", "emoticons", "emoji_polarity", "emoji_cues", "elongation", "shouting")

    @property
    def version(self) -> str:
        return "EmojiStep(emoji-sentiment-ranking-v1.0+team-2026-11)"

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        unique, inverse = unique_inverse(analysis_text(frame).tolist())
        emojis, emoticons, polarity, cues, elong, shout = [], [], [], [], [], []
        for t in unique:
            e, o = extract_emojis(t), extract_emoticons(t)
            pols, c = _polarities(e + o)
            emojis.append(e)
            emoticons.append(o)
            polarity.append(float(np.mean(pols)) if pols else float("nan"))
            cues.append(sorted(c))
            elong.append(has_elongation(t))
            shout.append(is_shouting(t))
        # each row gets its own lists, so editing one row's list never changes another's
        return pd.DataFrame({"emojis": [list(emojis[j]) for j in inverse],
                             "emoticons": [list(emoticons[j]) for j in inverse],
                             "emoji_polarity": [polarity[j] for j in inverse],
                             "emoji_cues": [list(cues[j]) for j in inverse],
                             "elongation": [elong[j] for j in inverse],
                             "shouting": [shout[j] for j in inverse]}, index=frame.index)

    def defaults(self) -> dict[str, object]:
        return {"emojis": [], "emoticons": [], "emoji_polarity": float("nan"), "emoji_cues": [],
                "elongation": False, "shouting": False}

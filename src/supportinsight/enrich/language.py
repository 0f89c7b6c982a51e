"""Per-message language: German, English (the configured languages), another clear
language, or ``und`` when the text is too short or too unclear to say.

py3langid restricted to the configured languages was the most accurate offline
option on short informal texts; restriction alone would call French "en", so the
unrestricted ranking is consulted too: a text is given another language only when
that language clearly dominates it.

>>> detect_language(["Wo ist mein Paket?", "where is my refund??", "😡😡"])  # doctest: +SKIP
[('de', 0.99...), ('en', 0.99...), ('und', 0.0)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import islice

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .base import Step, analysis_text, unique_inverse
from .emoji import extract_emoticons

__all__ = ["LanguageStep", "detect_language"]

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\S+@\S+\.\w+|\d+")
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _clean(text: str) -> str:
    text = _NOISE.sub(" ", text)
    for face in extract_emoticons(text):
        text = text.replace(face, " ")
    return " ".join(text.split())


def detect_language(texts: str | Sequence[str], languages: Sequence[str] = ("de", "en"), *,
                    threshold: float = 0.6, other_threshold: float = 0.5,
                    min_letters: int = 3) -> list[tuple[str, float]]:
    """Language code and confidence for each text.

    Parameters
    ----------
    texts:
        One text or many.
    languages:
        ISO 639-1 codes the data is expected to be in; the choice among them uses the
        classifier restricted to them.
    threshold:
        Below this confidence among ``languages`` the answer is ``"und"``.
    other_threshold:
        A language outside ``languages`` is returned only when the unrestricted
        classifier gives it at least this probability (e.g. a French message).
    min_letters:
        Texts with fewer letters (after URLs, mentions, emojis and emoticons are
        removed) are ``"und"``.

    Returns
    -------
    list of (str, float)
        ``(code, confidence)``; ``("und", confidence)`` when unsure.
    """
    if isinstance(texts, str):
        texts = [texts]
    unique, inverse = unique_inverse(["" if t is None else str(t) for t in texts])
    if len(unique) < len(texts):
        found = detect_language(unique, languages, threshold=threshold, other_threshold=other_threshold,
                                min_letters=min_letters)
        return [found[j] for j in inverse]
    ident = _identifier()
    classes = list(ident.nb_classes)
    unknown = [lang for lang in languages if lang not in classes]
    if unknown or not languages:
        raise ConfigError(f"languages must be non-empty ISO 639-1 codes known to py3langid; unknown: {unknown}")
    idx = np.array([classes.index(lang) for lang in languages])
    out: list[tuple[str, float]] = []
    for raw in texts:
        text = _clean("" if raw is None else str(raw))
        if sum(1 for _ in islice(_LETTERS.finditer(text), min_letters)) < min_letters:
            out.append(("und", 0.0))
            continue
        probs = ident._decide(text)  # noqa: SLF001 - one pass gives both the full and the restricted view
        top = int(probs.argmax())
        configured = probs[idx]
        mass = float(configured.sum())
        if classes[top] not in languages and probs[top] >= other_threshold and mass < 0.1:
            out.append((classes[top], float(probs[top])))
            continue
        if mass <= 0:
            out.append(("und", 0.0))
            continue
        # restricting a softmax to a subset is renormalising it
        restricted = configured / mass
        best = int(restricted.argmax())
        conf = float(restricted[best])
        out.append((languages[best] if conf >= threshold else "und", conf))
    return out


class LanguageStep(Step):
    """Adds ``language`` (ISO 639-1 code, ``und`` when unsure) and ``language_confidence``.

    Parameters
    ----------
    languages:
        The languages expected in the data (default German and English).
    threshold:
        Minimum confidence among ``languages``; below it the language is ``und``.
    """

    name = "language"
    requires = ("text",)
    assigns = ("language", "language_confidence")

    def __init__(self, languages: Sequence[str] = ("de", "en"), threshold: float = 0.6) -> None:
        self.languages = tuple(languages)
        self.threshold = threshold

    @property
    def version(self) -> str:
        return f"LanguageStep(py3langid, languages={','.join(self.languages)}, threshold={self.threshold})"

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not 0.5 <= self.threshold <= 1:
            raise ConfigError(f"threshold must be in [0.5, 1], got {self.threshold!r}")
        result = detect_language(analysis_text(frame).tolist(), self.languages, threshold=self.threshold)
        return pd.DataFrame({"language": [r[0] for r in result],
                             "language_confidence": [r[1] for r in result]}, index=frame.index)

    def defaults(self) -> dict[str, object]:
        return {"language": "und", "language_confidence": 0.0}

    def __repr__(self) -> str:
        return f"LanguageStep(languages={self.languages!r}, threshold={self.threshold!r})"

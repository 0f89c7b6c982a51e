"""Offline lemmatisation for German and English: spaCy blank pipelines + lookup lemmas.

No statistical model is needed (nothing to download): the lookup tables come from
``spacy-lookups-data``. "Pakete" -> "Paket", "geliefert" -> "liefern",
"parcels" -> "parcel".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

__all__ = ["SUPPORTED", "nlp_for", "lemmatize", "lemma_tokens"]

SUPPORTED: tuple[str, ...] = ("de", "en")


@lru_cache(maxsize=4)
def nlp_for(lang: str):
    """A cached blank spaCy pipeline for ``lang`` with a lookup lemmatizer."""
    import spacy

    if lang not in SUPPORTED:
        lang = "en"
    nlp = spacy.blank(lang)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def lemma_tokens(text: str, lang: str = "en") -> list[str]:
    """Lower-cased lemmas of the word tokens of ``text`` (punctuation, spaces, numbers dropped)."""
    doc = nlp_for(lang)(text)
    return [(t.lemma_ or t.text).lower() for t in doc if t.is_alpha]


def lemmatize(texts: Iterable[str], lang: str | Iterable[str] = "en", *, batch_size: int = 256) -> list[str]:
    """Lemmatised, lower-cased versions of ``texts`` (one language for all, or one per text)."""
    texts = list(texts)
    langs = [lang] * len(texts) if isinstance(lang, str) else list(lang)
    out: list[str] = [""] * len(texts)
    for code in set(langs):
        idx = [i for i, l in enumerate(langs) if l == code]
        nlp = nlp_for(code if code in SUPPORTED else "en")
        for i, doc in zip(idx, nlp.pipe((texts[i] for i in idx), batch_size=batch_size)):
            out[i] = " ".join((t.lemma_ or t.text).lower() for t in doc if not t.is_space)
    return out

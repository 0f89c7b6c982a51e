"""Topic words for German and English support text: a CountVectorizer that keeps
umlauts, ß and compounds and collapses inflected forms to lemmas, offline.

BERTopic's defaults hurt German text twice: ``language="english"`` runs a regex that
keeps only ``A-Za-z0-9`` (so "Verspätung" becomes "Versptung", BERTopic issue 2468),
and scikit-learn's token pattern cuts "DB-App" into "db" and "app".
:class:`TopicVectorizer` tokenises on Unicode letters with hyphen compounds kept
whole, drops German and English stop words (spaCy's lists, shipped as package data)
and maps every word to its lemma with spaCy's lookup tables (``spacy-lookups-data``,
no model download), so "Pakete"/"Paket" and "geliefert"/"liefern" count as one word.

>>> from supportinsight.enrich.topic_vectorizer import TopicVectorizer
>>> TopicVectorizer().build_analyzer()("Die Pakete wurden nicht geliefert, DB-App stürzt ab")  # doctest: +SKIP
['paket', 'liefern', 'db-app', 'stürzen', 'paket liefern', 'db-app stürzen']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

from sklearn.feature_extraction.text import CountVectorizer

__all__ = ["TopicVectorizer", "stop_words", "lemma_of", "language_hint", "analyze", "surface_lemmas",
           "clause_tokens", "FILLERS", "NEGATIONS"]

# Words are runs of letters (any script, so ä ö ü ß é survive), joined by hyphens
# into one compound token ("DB-App", "E-Mail", "Amazon-Paket").
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
# English clitics: "don't" -> "do not", "it's" -> "it" (spaCy's stop lists hold the full forms).
_NOT = re.compile(r"n['’]t\b", re.IGNORECASE)
_CLITIC = re.compile(r"['’](?:s|re|ve|ll|d|m)\b", re.IGNORECASE)
# Bigrams never span a sentence or clause boundary.
_CLAUSE = re.compile(r"[.,!?;:()\[\]\n\r\t|…\"“”„]+|\s[-–—]\s")


#: Words that carry no topic in support chat: greetings, thanks, fillers, interjections and
#: vague nouns. spaCy's stop lists leave them in, and they then name topics ("hallo", "ah",
#: "thank okay"). Compared in lower case with the word and with its lemma.
FILLERS: frozenset[str] = frozenset("""
hallo hello hi hey heya hiya moin servus tschüss tschüs ciao bye goodbye grüß gruß grüße gruss
lg vg mfg bg regards cheers dear liebe lieber sehr geehrte geehrter
danke dank bedanken thank thanks thx ty tks merci vielen
bitte please pls plz
ok okay okey okidoki alright sure yes yeah yep yup nope ja jo jup jep nein ne nö
super toll top prima klasse cool nice great awesome perfect perfekt wunderbar
ah aha ahh oh ohh uh uhm ähm äh hm hmm mhm naja na och ach tja wow huch lol haha hahaha xd omg
mal halt eben echt eigentlich wirklich irgendwie gerade grad einfach schon nochmal really actually just
basically literally anyway guys leute team folks
ding dinge sache sachen zeug kram thing things stuff
sorry entschuldigung sry
""".split())


@lru_cache(maxsize=4)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop word list for ``"de"`` or ``"en"`` (lower case), read once from package data."""
    if lang not in ("de", "en"):
        raise ValueError(f"stop word lists exist for 'de' and 'en', got {lang!r}")
    text = resources.files("supportinsight").joinpath("data", f"stopwords_{lang}.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=2)
def _table(lang: str):
    from ..text.lemmas import nlp_for

    return nlp_for(lang).get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def _lookup(word: str, lang: str) -> str | None:
    table = _table(lang)
    # The German table is keyed by the written form ("Pakete"); chat text often
    # writes nouns in lower case, so try the capitalised form too.
    for form in (word, word.lower(), word[:1].upper() + word[1:].lower()):
        lemma = table.get(form, None)
        if lemma is not None:
            return lemma
    return None


@lru_cache(maxsize=500_000)
def lemma_of(word: str, hint: str = "en") -> str:
    """Lower-cased lemma of one word; ``hint`` ("de"/"en") decides words both tables know.

    Hyphen compounds keep their first parts and lemmatise the last ("Amazon-Paketen"
    -> "amazon-paket").
    """
    if "-" in word:
        head, _, last = word.rpartition("-")
        return f"{head.lower()}-{lemma_of(last, hint)}"
    de = _lookup(word, "de")
    en = _lookup(word, "en")
    if hint == "en" and en is None:
        # The English table lists inflected forms only: an English base form ("milk", "order")
        # is missing from it, and the German table would turn it into "melken", "ordern".
        de = None
    if de is not None and en is not None:
        lemma = de if hint == "de" else en
    else:
        lemma = de if de is not None else en
    return (lemma or word).lower()


def language_hint(text: str) -> str:
    """"de" or "en": which stop word list the text's words hit more often (ties: umlauts decide)."""
    words = [w.lower() for w in _WORD.findall(text)]
    de_sw, en_sw = stop_words("de"), stop_words("en")
    de = sum(w in de_sw for w in words)
    en = sum(w in en_sw for w in words)
    if de == en:
        return "de" if re.search(r"[äöüßÄÖÜ]", text) else "en"
    return "de" if de > en else "en"


def _clean(text: str) -> str:
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _NOT.sub(" not", text)
    return _CLITIC.sub("", text)


def _is_fragment(word: str) -> bool:
    """One or two letters that are no acronym ("ah", "dm", a cut "pl"): not a topic word.

    Two or three capitals ("TV", "DHL", "VX") are kept: customers name products and
    carriers that way.
    """
    return len(word) < 2 or (len(word) == 2 and not word.isupper())


def _content_word(word: str, hint: str) -> str | None:
    """The lemma of ``word`` when it is a content word; None for stop words, fillers and fragments."""
    low = word.lower()
    stop = _stop_union()
    if _is_fragment(word) or low in stop or low in FILLERS:
        return None
    lemma = lemma_of(word, hint)
    if len(lemma) < 2 or lemma in stop or lemma in FILLERS:
        return None
    return lemma


def _content_words(text: str, hint: str):
    """``(surface form, lemma)`` of each content word: stop words, fillers and fragments dropped."""
    for word in _WORD.findall(text):
        lemma = _content_word(word, hint)
        if lemma is not None:
            yield word, lemma


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
#: Negations a label may start with ("keine Antwort", "not shipped"): spaCy lists them as stop words.
NEGATIONS: frozenset[str] = frozenset("nicht nichts kein keine keinen keinem keiner keines nie niemand "
                                      "not no never nothing nobody".split())


def clause_tokens(text: str, hint: str | None = None) -> list[list[tuple[str, str, str, bool]]]:
    """The words of ``text`` by clause, each as ``(surface, key, kind, opens)``, for label phrases.

    ``kind`` is ``"content"`` (``key`` is its lemma), ``"negation"``, ``"stop"``, ``"filler"``
    (greetings, thanks, fillers: :data:`FILLERS`) or ``"break"`` (numbers, emojis,
    fragments, anything that is not one word); ``key`` is the lower-cased word for the
    others. ``opens`` is True for the first word of a sentence (its capital letter may be
    the sentence's, not the word's).
    """
    hint = hint or language_hint(text)
    stop = _stop_union()
    out: list[list[tuple[str, str, str, bool]]] = []
    for sentence in _SENTENCE.split(_clean(text)):
        opens = True
        for clause in _CLAUSE.split(sentence):
            tokens: list[tuple[str, str, str, bool]] = []
            for token in clause.split():
                match = _WORD.fullmatch(token.strip("'’*_~#"))
                word = match.group(0) if match else token
                low = word.lower()
                if match is None or _is_fragment(word):
                    kind, key = "break", low
                elif low in NEGATIONS:
                    kind, key = "negation", low
                elif low in FILLERS:
                    kind, key = "filler", low
                elif low in stop:
                    kind, key = "stop", low
                else:
                    lemma = _content_word(word, hint)
                    kind, key = ("content", lemma) if lemma is not None else ("stop", low)
                tokens.append((word, key, kind, opens))
                opens = False
            if tokens:
                out.append(tokens)
            opens = False
    return out


def surface_lemmas(text: str) -> list[tuple[str, str]]:
    """``(surface form, lemma)`` for each content word of ``text`` (stop words dropped), in order."""
    return list(_content_words(_clean(text), language_hint(text)))


def analyze(text: str, bigrams: bool = True) -> list[str]:
    """Lemma unigrams, plus bigrams of neighbouring content words inside one clause."""
    hint = language_hint(text)
    tokens: list[str] = []
    for clause in _CLAUSE.split(_clean(text)):
        prev = None
        for _word, lemma in _content_words(clause, hint):
            tokens.append(lemma)
            if bigrams and prev is not None and prev != lemma:
                tokens.append(f"{prev} {lemma}")
            prev = lemma
    return tokens


@lru_cache(maxsize=1)
def _stop_union() -> frozenset[str]:
    return stop_words("de") | stop_words("en")


class TopicVectorizer(CountVectorizer):
    """CountVectorizer for German/English topic words (umlauts, compounds, lemmas, stop words).

    Takes every :class:`~sklearn.feature_extraction.text.CountVectorizer` parameter;
    ``analyzer`` is fixed to the lemma analyzer and ``ngram_range`` chooses whether
    bigrams of neighbouring content words are added (``(1, 2)``, default) or not
    (``(1, 1)``). Only CountVectorizer's own parameters exist, so BERTopic can save
    its configuration.

    Parameters
    ----------
    min_df, max_df, max_features, vocabulary, binary:
        As in CountVectorizer.
    ngram_range:
        ``(1, 1)`` for lemmas only, ``(1, 2)`` to add bigrams.
    """

    def __init__(self, *, ngram_range: tuple[int, int] = (1, 2), min_df: float | int = 1,
                 max_df: float | int = 1.0, max_features: int | None = None, vocabulary=None,
                 binary: bool = False) -> None:
        super().__init__(ngram_range=ngram_range, min_df=min_df, max_df=max_df, max_features=max_features,
                         vocabulary=vocabulary, binary=binary, lowercase=False)

    def build_analyzer(self) -> Callable[[str], list[str]]:
        bigrams = tuple(self.ngram_range)[1] >= 2

        def _analyze(doc: str) -> list[str]:
            return analyze(doc, bigrams=bigrams)

        return _analyze

    def _validate_ngram_range(self) -> None:
        low, high = tuple(self.ngram_range)
        if low != 1 or high not in (1, 2):
            raise ValueError(f"ngram_range must be (1, 1) or (1, 2), got {self.ngram_range!r}")


def tokenize_many(texts: Iterable[str]) -> list[list[str]]:
    """Analyse many texts (unigrams and bigrams) - convenience for evaluation."""
    return [analyze(t) for t in texts]

"""Readable topic labels: a representative phrase per language, as the customers wrote it.

Topic keywords (c-TF-IDF lemmas) make poor labels: "klappen ah / thank okay", "Akku vx".
:func:`topic_labels` labels each topic with the phrase its messages share most and other
topics share least, taken from the messages in their own language:

* **Candidates** are runs of one to four words inside one clause that start and end on a
  content word (a negation may start one: "keine Antwort", "not shipped") and hold at most
  two stop words between ("Paket nicht angekommen", "Rückerstattung fehlt"). Greetings,
  thanks, fillers, numbers, emojis and one- or two-letter fragments end a run, so a label
  never holds "hallo", "ah" or "dm".
* **Score**: the sum, over the phrase's content words, of how many of the topic's messages
  use the word times how rare it is in the other topics (``df_topic / n * log(N / df)``),
  counted only for phrases at least two messages share (one in a topic of fewer than
  four). Longer phrases win when their messages share them; a German phrase with a noun
  gets a small bonus.
* **Surface**: the form most messages wrote, with a capital only where customers write one
  inside a sentence (German nouns, product names, acronyms), first letter capitalised.
* **Languages**: when German and English messages both make up at least 15 % (and two
  messages) of the topic, the label is ``"German phrase / English phrase"``.
* **Short replies**: a topic made mostly of thanks, greetings and fillers ("super danke",
  "ok cool") is labelled as such, with the words its messages use
  (``Kurze Antworten („danke“, „super“)``), instead of a phrase picked from leftovers.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .topic_vectorizer import clause_tokens

__all__ = ["topic_labels", "topic_phrases", "MAX_PHRASE_WORDS", "UNLABELLED"]

#: Longest label phrase, in words.
MAX_PHRASE_WORDS = 4
#: Label of a topic whose messages give no phrase at all.
UNLABELLED = "(unlabelled topic)"
_MAX_INNER_STOP = 2
_CONJUNCTIONS = frozenset("und oder aber sondern denn and or but".split())
#: Lemmas that name no topic on their own ("Day", "Woche", "new"): a phrase needs another content word.
_VAGUE = frozenset("""
day week month year hour minute min mins time today yesterday tomorrow morning evening night
tag woche monat jahr stunde minute zeit heute gestern morgen abend nacht uhr
new old good bad big small long short little neu alt gut schlecht groß klein lang kurz
""".split())
_NOUN_BONUS = 1.15
#: Share of filler words (of filler and content words) above which a topic is "short replies".
_SHORT_REPLIES = 0.4
_SHORT = {"de": ("Kurze Antworten", "\u201e", "\u201c"), "en": ("Short replies", "\u201c", "\u201d")}


@dataclass
class _Doc:
    """One message as label material: its phrases and word counts."""

    lang: str
    #: phrase key -> (surface, content lemmas, opens per word, key per word)
    phrases: dict[tuple[str, ...], tuple[str, tuple[str, ...], tuple[bool, ...], tuple[str, ...]]] = field(
        default_factory=dict)
    content: set[str] = field(default_factory=set)
    fillers: list[str] = field(default_factory=list)
    n_content: int = 0
    capitals: Counter = field(default_factory=Counter)   # lemma -> times written with a capital mid-sentence
    inner: Counter = field(default_factory=Counter)      # lemma -> times seen mid-sentence


def _read(text: str, lang: str) -> _Doc:
    doc = _Doc(lang=lang)
    for clause in clause_tokens(text, lang if lang in ("de", "en") else None):
        for word, key, kind, opens in clause:
            if kind == "content":
                doc.content.add(key)
                doc.n_content += 1
                if not opens:
                    doc.inner[key] += 1
                    doc.capitals[key] += word[:1].isupper() and not word.isupper()
            elif kind == "filler":
                doc.fillers.append(word.lower())
        for i, (_, key, kind, _) in enumerate(clause):
            if kind not in ("content", "negation"):
                continue
            inner_stop = 0
            for j in range(i, min(len(clause), i + MAX_PHRASE_WORDS)):
                kind_j = clause[j][2]
                if kind_j in ("break", "filler"):
                    break
                if kind_j in ("stop", "negation") and j > i:
                    if clause[j][1] in _CONJUNCTIONS:
                        break
                    inner_stop += 1
                    if inner_stop > _MAX_INNER_STOP:
                        break
                    continue
                if kind_j != "content":
                    continue
                span = clause[i:j + 1]
                # the key keeps content words and negations: "Paket ist nicht angekommen" and
                # "Paket nicht angekommen" are one phrase, "Paket angekommen" another
                key_j = tuple(t[1] for t in span if t[2] in ("content", "negation"))
                content = [t[1] for t in span if t[2] == "content"]
                if len(set(content)) < len(content):
                    continue
                surface = " ".join(t[0] for t in span)
                known = doc.phrases.get(key_j)
                if known is None or len(surface) < len(known[0]):
                    doc.phrases[key_j] = (surface, tuple(content), tuple(t[3] for t in span),
                                          tuple(t[1] for t in span))
    return doc


def _display(words: str, opens: tuple[bool, ...], keys: tuple[str, ...], capitals: Counter, inner: Counter,
             lang: str) -> str:
    """The phrase as customers write it: capitals kept where they write them mid-sentence."""
    out = []
    for word, first, key in zip(words.split(), opens, keys):
        if word.isupper() and len(word) > 4:
            word = word.capitalize() if lang == "de" else word.lower()  # SHOUTING
        if word.isupper() and len(word) <= 4:
            out.append(word)  # acronyms and model names: DHL, TV, VX
        elif word[:1].isupper() and not first:
            out.append(word)
        elif word[:1].isupper() and inner[key] and capitals[key] >= 0.5 * inner[key]:
            out.append(word)  # opens the sentence, and customers capitalise it elsewhere too
        elif word[:1].isupper() and not inner[key] and lang == "de" and first:
            out.append(word)  # German, seen only at a sentence start: keep the customer's capital
        else:
            out.append(word[:1].lower() + word[1:] if not word[1:2].isupper() else word)
    return " ".join(out)


def _capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def topic_phrases(docs: Sequence[str], topics: np.ndarray, langs: Sequence[str], *, top: int = 3
                  ) -> dict[int, dict[str, list[tuple[str, float, int]]]]:
    """Per topic and language, the best label phrases as ``(phrase, score, messages)``.

    ``docs`` are the topic model's documents, ``topics`` their topic ids (``-1``: none),
    ``langs`` their languages (``"de"``/``"en"``; anything else counts as English).
    """
    return {t: {lang: found for lang, found in by_lang.items()}
            for t, by_lang in _rank(docs, topics, langs, top)[0].items()}


def _rank(docs: Sequence[str], topics: np.ndarray, langs: Sequence[str], top: int):
    langs = ["de" if lang == "de" else "en" for lang in langs]
    read = [_read(d, lang) for d, lang in zip(docs, langs)]
    topics = np.asarray(topics)
    ids = sorted(int(t) for t in np.unique(topics) if t >= 0)
    n_total = max(len(read), 1)
    df_all: Counter = Counter()
    for doc in read:
        df_all.update(doc.content)
    capitals: Counter = Counter()
    inner: Counter = Counter()
    for doc in read:
        capitals.update(doc.capitals)
        inner.update(doc.inner)
    ranked: dict[int, dict[str, list[tuple[str, float, int]]]] = {}
    fillers: dict[int, tuple[float, Counter, Counter]] = {}
    for t in ids:
        members = [read[i] for i in np.flatnonzero(topics == t)]
        filler_words = Counter(w for d in members for w in d.fillers)
        n_fill = sum(filler_words.values())
        n_content = sum(d.n_content for d in members)
        fillers[t] = (n_fill / max(n_fill + n_content, 1), filler_words, Counter(d.lang for d in members))
        ranked[t] = {}
        for lang in ("de", "en"):
            group = [d for d in members if d.lang == lang]
            if not group:
                continue
            n = len(group)
            df_topic: Counter = Counter()
            for d in group:
                df_topic.update(d.content)
            weight = {w: (c / n) * math.log(n_total / df_all[w]) for w, c in df_topic.items()}
            support: dict[tuple[str, ...], int] = defaultdict(int)
            forms: dict[tuple[str, ...], Counter] = defaultdict(Counter)
            for d in group:
                for key, (surface, _, opens, words) in d.phrases.items():
                    support[key] += 1
                    forms[key][(surface, opens, words)] += 1
            need = 2 if n >= 4 else 1
            top_support = max(support.values(), default=1)
            scored = []
            for key, count in support.items():
                if count < need:
                    continue
                # the form most messages wrote; the shorter one on a tie
                surface, opens, words_key = min(forms[key].items(), key=lambda kv: (-kv[1], len(kv[0][0])))[0]
                content = tuple(k for k in key if k in weight)
                if all(k in _VAGUE for k in content):
                    continue
                score = sum(weight[k] for k in content)
                words = surface.split()
                if lang == "de" and any(w[:1].isupper() and not o for w, o in zip(words, opens)):
                    score *= _NOUN_BONUS
                # a phrase few messages share loses up to half its score to the topic's most shared one
                score *= 0.5 + 0.5 * count / top_support
                scored.append((score, count, -len(surface), surface, key, opens, words_key))
            scored.sort(key=lambda x: (-x[0], -x[1], -x[2], x[3]))
            chosen: list[tuple[str, float, int]] = []
            used: set[str] = set()
            for score, count, _, surface, key, opens, words_key in scored:
                content = {k for k in key if k in weight}
                if content & used:
                    continue
                used |= content
                shown = _display(surface, opens, words_key, capitals, inner, lang)
                if lang == "en" and len(key) == 1 and shown[:1].islower():
                    shown = key[0]  # a lone English word reads best as its lemma: "wait", not "waited"
                chosen.append((shown, float(score), count))
                if len(chosen) >= top:
                    break
            ranked[t][lang] = chosen
    return ranked, fillers


def topic_labels(docs: Sequence[str], topics: np.ndarray, langs: Sequence[str]) -> dict[int, str]:
    """A readable label per topic id (see the module docstring).

    Parameters
    ----------
    docs:
        The documents the topics were fitted on.
    topics:
        Topic id of each document (``-1`` for none; those documents still count as
        "other topics" when judging how rare a word is).
    langs:
        Language of each document (``"de"`` or ``"en"``).
    """
    ranked, fillers = _rank(docs, topics, langs, top=5)
    labels: dict[int, str] = {}
    for t, by_lang in ranked.items():
        share, words, lang_counts = fillers[t]
        n = sum(lang_counts.values())
        main = "de" if lang_counts["de"] >= lang_counts["en"] else "en"
        if share >= _SHORT_REPLIES and words:
            name, q_open, q_close = _SHORT[main]
            examples = ", ".join(f"{q_open}{w}{q_close}" for w, _ in words.most_common(3))
            labels[t] = f"{name} ({examples})"
            continue
        both = all(lang_counts[lang] >= max(2, 0.15 * n) for lang in ("de", "en"))
        parts: list[str] = []
        for lang in (("de", "en") if both else (main,)):
            # the second language names what the first has not named yet ("App, Update / App" says less)
            said = {w.casefold().strip(",") for p in parts for w in p.split()}
            found = [f for f in by_lang.get(lang, []) if not {w.casefold() for w in f[0].split()} <= said]
            parts.append(_part(found, lang))
        parts = [p for p in parts if p]
        if not parts:
            other = "en" if main == "de" else "de"
            parts = [p for p in (_part(by_lang.get(other, []), other),) if p]
        labels[t] = " / ".join(parts) if parts else UNLABELLED
    return labels


def _part(found: list[tuple[str, float, int]], lang: str) -> str:
    """One language's label: the best phrase; a single word gets the runner-up beside it
    (in German only a noun: "Rechnung, Gutschein", never "Wasserkocher, schreibt")."""
    if not found:
        return ""
    best = _capitalised(found[0][0])
    if len(best.split()) > 1:
        return best
    for second, score, _ in found[1:]:
        if score < 0.5 * found[0][1]:
            break
        if len(second.split()) == 1 and (lang != "de" or second[:1].isupper()):
            return f"{best}, {second}"
    return best

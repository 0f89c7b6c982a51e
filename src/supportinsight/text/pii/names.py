"""Recogniser of the names a text introduces: intros, honorifics, greetings and signatures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .patterns import _Rules

# "Müller", "O'Brien", "MacLeod"/"McDonald" (one inner capital), "Müller-Lüdenscheidt"
_NAME_WORD = r"[A-ZÄÖÜÉÈÁÀÇŞ](?:['’][A-Z])?[a-zäöüßéèëêáàâíìîóòôúùûçñşğı]++(?:[A-Z][a-zäöüß]++)?(?:-[A-ZÄÖÜ][a-zäöüßéèëêáàâíìîóòôúùûçñşğı]++)?"
_NAME_WORD_ANYCASE = r"[A-Za-zÄÖÜäöüß](?:['’][A-Z])?[a-zäöüßéèëêáàâíìîóòôúùûçñşğı]++(?:-[A-Za-zÄÖÜäöü][a-zäöüßéèëêáàâíìîóòôúùûçñşğı]++)?"
_PARTICLE = r"(?:von|van|de|zu|di|da|del|du|ter|van[ \t]der|von[ \t]der|von[ \t]und[ \t]zu)"
_FULL_NAME = rf"(?:[A-Z]\.[ \t]*+)?{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,2}}"
_ACADEMIC = r"(?:(?:Dr|Prof|Dipl\.-Ing|Dipl\.-Kfm|Mag|Ing)\.[ \t]*+)*+"
_SPLIT_NAME = re.compile(r"[ \t]+")
_WORD = re.compile(r"[^\W\d_]+")
_NAME_TOKEN = re.compile(r"[^\s]+")
# First names that are also common lower-case words: only a capitalised spelling counts.
_LOWER_CASE_WORDS = frozenset({"can", "bill", "mark", "rob", "will", "may", "grace", "ruby", "rosa", "pat", "art",
                               "sue", "ken", "gene", "ray", "bob", "jack", "kai", "lotte", "ole", "ida", "emre"})
_PARTICLES = frozenset({"von", "van", "de", "zu", "di", "da", "del", "du", "ter", "der", "und"})


def _clean_name(rules: _Rules, text: str, start: int, end: int, *, need_known: bool,
                allow_lower_first: bool = False) -> tuple[int, int] | None:
    """Cut a candidate name at the first word that is not a name; None when nothing is left."""
    kept_end = start
    first_word = None
    for m in _NAME_TOKEN.finditer(text, start, end):
        w = m.group()
        low = w.lower().rstrip("'’")
        if low in rules.not_names and low not in _PARTICLES:
            break
        if first_word is None:
            if low in _PARTICLES:
                if not text[m.end():end].strip():
                    return None  # a particle alone is no name
            elif w[:1].islower() and not (allow_lower_first and low in rules.first_names
                                          and low not in _LOWER_CASE_WORDS):
                return None
            else:
                first_word = low.rstrip(".")
        elif low in _PARTICLES:
            continue
        kept_end = m.end()
    if first_word is None or kept_end == start:
        return None
    if need_known and first_word not in rules.first_names:
        return None
    return start, kept_end


def _at_line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\n.!?"


def _after_lower_word(text: str, pos: int, rules: _Rules) -> bool:
    """True when the word before ``pos`` (same line) is a lower-case word that is no greeting."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    j = i
    while j >= 0 and text[j].isalpha():
        j -= 1
    word = text[j + 1:i + 1]
    return bool(word) and word.islower() and word not in rules.not_names


def _find_names(text: str, low: str, rules: _Rules) -> Iterator[tuple[str, int, int]]:
    index = rules.trigger_index
    # lower() keeps offsets for the letters triggers are made of (ẞ/İ aside, which no trigger uses)
    source = low if len(low) == len(text) else text
    for w in _WORD.finditer(source):
        todo = index.get(w.group().lower())
        if not todo:
            continue
        pos = w.start()
        for i in todo:
            kind, rx = rules.name_rules[i]
            m = rx.match(text, pos)
            if m is None:
                continue
            if kind == "closing" and not _at_line_start(text, pos):
                continue
            if kind == "greeting" and text[pos].islower() and _after_lower_word(text, pos, rules):
                continue  # "ich trink eh lieber Capri-Sonne": an adverb, not "Lieber Max"
            if kind == "greeting":
                # "Hallo Anna," is a name; "Hallo Anna ich ..." only when Anna is a known first name
                need = not ((m.group("after") or "").strip() or m.end() == len(text))
            else:
                need = kind == "weak"
            span = _clean_name(rules, text, m.start("id"), m.end("id"), need_known=need,
                               allow_lower_first=kind in ("strong", "weak"))
            if span:
                yield "NAME", *span

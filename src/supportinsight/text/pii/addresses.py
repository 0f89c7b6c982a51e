"""Recognisers of street addresses: German street and house number, English house number and street."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Street words that make "<Name><word> <number>" an address on their own ...
_DE_STRONG_SUFFIX = (r"straße|strasse|str\.|str|weg|allee|gasse|damm|ufer|chaussee|pfad|stieg|twiete|deich|"
                     r"promenade|zeile|landstraße|steinweg")
# ... and words that also name places that are no address ("Parkplatz 3", "Bahnsteig 5"):
# these need a postcode and city after the house number.
_DE_WEAK_SUFFIX = r"platz|ring|markt|graben|kamp|wall|steig|hof|berg|garten|park|feld|höhe|tor|brücke|anger|hain"
# run on the lower-cased text: a case-insensitive scan of every position is several times slower
_DE_SUFFIX_HIT = re.compile(
    rf"(?:(?P<strong>{_DE_STRONG_SUFFIX})|(?P<weak>{_DE_WEAK_SUFFIX}))(?![\w])(?=[ \t]*+\d)")
_HOUSE_NO = (r"\d{1,4}+(?!\d)(?![,.:]\d)(?:[ \t]?[a-zA-Z](?![\w]))?(?:[ \t]*[\-/][ \t]*\d{1,4}[a-zA-Z]?)?"
             r"(?![\d,.:]\d)(?![ \t]*(?:km|kg|m|g|l|€|eur|euro|%|stück|stk|min|minuten|std|stunden|h|tage|jahre"
             r"|mal|x|uhr|pcs|items|personen|leute)(?![\w]))")
_DE_CITY = (r"(?:D-|A-|CH-)?\d{4,5}[ \t]++[A-ZÄÖÜ][\wäöüß.\-]*+"
            r"(?:[ \t]+(?:am|an[ \t]+der|im|in|ob[ \t]+der|bei)[ \t]+[A-ZÄÖÜ][\wäöüß.\-]*+)?")
_DE_TAIL = re.compile(rf"[ \t]*+{_HOUSE_NO}(?P<city>,?[ \t]*+(?:\r?\n[ \t]*+)?{_DE_CITY})?")
_DE_PREFIX_WORD = re.compile(r"([A-ZÄÖÜ][a-zäöüß]++(?:-[A-ZÄÖÜ][a-zäöüß]*+)*+)[ \t]+$")
# "Am Stadtpark 7, 20095 Hamburg": street names without a street word need postcode and city
_DE_PREP_ADDRESS = re.compile(
    r"(?<![\w])(?:Am|Im|An[ \t]der|An[ \t]den|Auf[ \t]dem|Auf[ \t]der|Unter[ \t]den|Zum|Zur|In[ \t]der|"
    r"In[ \t]den|Hinter[ \t]der|Vor[ \t]dem|Alte|Neue|Alter|Neuer|Lange|Kurze|Hohe|Große|Kleine)"
    rf"[ \t]+[A-ZÄÖÜ][a-zäöüß\-]++[ \t]*+{_HOUSE_NO},?[ \t]*+(?:\r?\n[ \t]*+)?{_DE_CITY}"
)
# Substrings of which one must occur (in the lower-cased text) before the address regexes run.
_ADDRESS_HINTS = ("str", "weg", "allee", "gasse", "damm", "ufer", "chaussee", "pfad", "stieg", "twiete", "deich",
                  "promenade", "zeile", "platz", "ring", "markt", "graben", "kamp", "wall", "steig", "hof", "berg",
                  "garten", "park", "feld", "höhe", "tor", "brücke", "anger", "hain", "am ", "im ", "an d", "auf d",
                  "unter d", "zum ", "zur ", "in d", "hinter d", "vor d", "alte", "neue", "lange", "kurze", "hohe",
                  "große", "kleine")
_EN_STREET_SUFFIX = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
                     r"Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Row|Mews|Gardens|Grove|Hill)")
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]*+\d[A-Z]{2}"
_EN_ADDRESS = re.compile(
    r"(?<![\w\-])\d{1,5}[A-Za-z]?[ \t]++(?:[A-Z][a-z'’]++\.?[ \t]++){1,3}"
    rf"{_EN_STREET_SUFFIX}\.?(?![\w])(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\.?(?![\w]))?"
    r"(?:,?[ \t]*+(?:Apt\.?|Apartment|Suite|Unit|Flat|\#)[ \t]*+\w+)?"
    r"(?:,[ \t]*+[A-Z][a-z]++(?:[ \t][A-Z][a-z]++)?)?"
    rf"(?:,?[ \t]*+(?:[A-Z]{{2}}[ \t]++\d{{5}}(?:-\d{{4}})?|{_UK_POSTCODE})(?![\w]))?"
)


def _find_de_streets(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    if len(low) != len(text):  # lower() changed the length (rare letters): fall back to a folded copy
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for hit in _DE_SUFFIX_HIT.finditer(low):
        start = hit.start()
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "-"):
            start -= 1
        attached = start < hit.start()
        if attached and not text[start].isupper():
            continue
        if not attached:
            # "Berliner Straße 5": the street word stands alone, its name is the word before
            word = _DE_PREFIX_WORD.search(text, max(0, start - 60), start)
            if word is not None:
                start = word.start(1)
                attached = True
        tail = _DE_TAIL.match(text, hit.end())
        if tail is None:
            continue
        if (hit.group("weak") or not attached) and not tail.group("city"):
            continue
        yield "ADDRESS", start, tail.end()


def _find_addresses(text: str, low: str) -> Iterator[tuple[str, int, int]]:
    if any(h in low for h in _ADDRESS_HINTS):
        yield from _find_de_streets(text, low)
        for m in _DE_PREP_ADDRESS.finditer(text):
            yield "ADDRESS", m.start(), m.end()
    for m in _EN_ADDRESS.finditer(text):
        yield "ADDRESS", m.start(), m.end()

"""Find and redact personal data in German and English support text.

Detected types (:data:`PII_TYPES`) and how:

``EMAIL``
    RFC-ish local part ``@`` domain with a letter TLD; also ``name (at) domain.de``.
``PHONE``
    International (``+49 ...``, ``0049 ...``, ``+44 20 ...``, ``+1 (555) ...``),
    German national numbers with the trunk ``0`` (``030 1234567``, ``(030) 123 456``,
    ``0151-12345678``), North-American ``555-123-4567``, and any digit group after a
    keyword (``Tel.``, ``Handy``, ``call me at``). Dates, times, prices and
    numbers without a leading ``0``/``+`` are not phones unless a keyword says so.
``IBAN``
    Country code, check digits, BBAN of the country's length (all registry
    countries), spaced or not, mod-97 checksum verified.
``CARD``
    13-19 digits, plain, spaced or dashed, issuer prefix 2-6 and Luhn checksum.
``ADDRESS``
    German street + house number (``Musterstraße 12``, ``Hauptstr. 5a``,
    ``Karl-Marx-Allee 3``) with an optional postcode and city; English house
    number + street (``221B Baker Street``, ``123 Main St``) with an optional
    city, US state + ZIP or UK postcode.
``ORDER_ID``
    Order, customer, ticket, invoice ... numbers after a keyword, from the
    configurable regexes in ``data/pii_patterns.yaml``; the keyword stays.
``URL``
    Links that can carry a secret or identify a person: ``mailto:``, user info
    (``user:pw@host``), a query/fragment parameter named like a secret or an id
    (``token``, ``key``, ``code``, ``email``, ``u``, ``order_id`` ...) or whose value
    holds an ``@``, 8+ digits or a token (16+ characters alternating letters and
    digits), and paths with such a token or a personal resource word (``reset``,
    ``unsubscribe``, ``order``, ``kunde``, ``track`` ...). **Plain links are kept**
    (``https://shop.example.de/hilfe/versand``, a news article with ``utm_*``
    parameters): they say what a customer read and identify nobody.
``NAME``
    A person's name where the text introduces it: ``mein Name ist ...``,
    ``Hi, I'm ...``, honorifics (``Frau Müller``, ``Dear Mr. Smith``,
    ``Sehr geehrte Frau Dr. Schulz``), greetings (``Hallo Anna,``) and
    signatures after a closing (``Viele Grüße\\nMax Mustermann``,
    ``Best regards, John``). Names elsewhere in running text are not found.
``DATE_OF_BIRTH``
    A date after ``geboren am``, ``Geburtsdatum``, ``date of birth``, ``DOB`` ...

Each match is replaced by a typed placeholder (``<EMAIL>``, ``<PHONE>`` ...).
Redaction is idempotent and every regex is written to run in linear time
(starts anchored by lookbehinds, possessive quantifiers), so long adversarial
input cannot hang a batch job.

Examples
--------
>>> from supportinsight.text.pii import redact
>>> redact("Hallo, mein Name ist Max Mustermann, Tel. 0151 12345678")
'Hallo, mein Name ist <NAME>, Tel. <PHONE>'
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from ..errors import ConfigError

__all__ = [
    "PII_TYPES",
    "STRUCTURED_TYPES",
    "PLACEHOLDERS",
    "PiiMatch",
    "PiiLogFilter",
    "find_pii",
    "redact",
    "redact_series",
    "load_patterns",
]

#: Every type :func:`find_pii` can report, in placeholder order.
PII_TYPES: tuple[str, ...] = ("EMAIL", "PHONE", "IBAN", "CARD", "ADDRESS", "ORDER_ID", "URL", "NAME",
                              "DATE_OF_BIRTH")
#: Types found by format (and checksum) rather than by context words.
STRUCTURED_TYPES: tuple[str, ...] = ("EMAIL", "PHONE", "IBAN", "CARD", "ORDER_ID", "URL")
#: Placeholder text of each type.
PLACEHOLDERS: dict[str, str] = {t: f"<{t}>" for t in PII_TYPES}

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

PatternsArg = Union[None, Mapping[str, Any], str, os.PathLike]

# Which match wins when two overlap and have the same length: the one whose
# format is checked (checksums, @) before the ones inferred from context.
_PRIORITY = {"EMAIL": 0, "URL": 1, "IBAN": 2, "ORDER_ID": 3, "CARD": 4, "DATE_OF_BIRTH": 5, "PHONE": 6,
             "ADDRESS": 7, "NAME": 8}


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One piece of personal data found in a text.

    Attributes
    ----------
    type:
        One of :data:`PII_TYPES`.
    start, end:
        Character offsets in the text (``text[start:end]``).
    text:
        The matched characters.
    """

    type: str
    start: int
    end: int
    text: str

    @property
    def placeholder(self) -> str:
        """The typed placeholder that replaces this match, e.g. ``<EMAIL>``."""
        return PLACEHOLDERS[self.type]


# --------------------------------------------------------------------------- patterns (data)

@lru_cache(maxsize=1)
def _package_patterns() -> dict[str, Any]:
    import yaml

    text = resources.files("supportinsight").joinpath("data/pii_patterns.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_patterns(patterns: PatternsArg = None) -> dict[str, Any]:
    """The pattern configuration: the package YAML, with the keys of ``patterns`` replacing its keys.

    Parameters
    ----------
    patterns:
        ``None`` (package defaults), a mapping with any of the package keys
        (``order_id``, ``phone_keywords``, ``name_intro_strong``, ``name_intro_weak``,
        ``titles``, ``greetings``, ``closings``, ``not_names``, ``first_names``),
        or the path of a YAML file holding such a mapping.

    Returns
    -------
    dict
        The merged configuration.

    Raises
    ------
    ConfigError
        If the file is missing or unreadable, a key is unknown, or a regex does not compile.
    """
    base = dict(_package_patterns())
    if patterns is None:
        return base
    if isinstance(patterns, (str, os.PathLike)):
        import yaml

        path = Path(patterns)
        if not path.is_file():
            raise ConfigError(f"PII patterns file {str(path)!r} not found; pass an existing YAML file "
                              "or a mapping")
        try:
            patterns = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"PII patterns file {str(path)!r} is not valid YAML: {exc}") from None
    if not isinstance(patterns, Mapping):
        raise ConfigError(f"patterns must be None, a mapping or a YAML path; got {type(patterns).__name__}")
    unknown = sorted(set(patterns) - set(base))
    if unknown:
        raise ConfigError(f"unknown PII pattern key(s) {unknown}; allowed: {sorted(base)}")
    base.update(patterns)
    return base


def _alternation(words: str | Iterable[str]) -> str:
    """A regex alternation of ``a|b|c`` (already regex text), longest first so prefixes do not win."""
    items = words.split("|") if isinstance(words, str) else list(words)
    items = sorted({w.strip() for w in items if w and w.strip()}, key=len, reverse=True)
    return "|".join(w.replace(" ", r"[ \t]+") for w in items)


def _word_set(words: str | Iterable[str]) -> frozenset[str]:
    items = words.split("|") if isinstance(words, str) else list(words)
    return frozenset(w.strip().lower().replace("\\.", ".") for w in items if w and w.strip())


# --------------------------------------------------------------------------- fixed regexes

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w%+\-]++(?:\.[\w%+\-]++)*+"
    r"(?:@|[ \t]?[(\[]at[)\]][ \t]?)"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*+)(?:\.[A-Za-z0-9\-]++)++"
)
_TLD = re.compile(r"\.([A-Za-z]{2,24})$")

_URL = re.compile(
    r"(?i)(?<![\w@/.\-])(?:(?:https?|ftp)://|www\.|mailto:)[^\s<>\"'{}|\\^`\[\]]++"
    r"|(?<![\w@/.\-])[a-z0-9][a-z0-9\-]*+(?:\.[a-z0-9\-]++)*?\.(?:de|com|net|org|io|eu|at|ch|uk|info|shop|app|me|ly)"
    r"/[^\s<>\"'{}|\\^`\[\]]++"
)
_URL_HINTS = ("://", "www.", "mailto:", ".de/", ".com/", ".net/", ".org/", ".io/", ".eu/", ".at/", ".ch/", ".uk/",
              ".info/", ".shop/", ".app/", ".me/", ".ly/")
_URL_TRAIL = ".,;:!?)]}>'\"*"
# Path words that name a personal resource or carry a secret (matched at a segment start).
_URL_SECRET_WORDS = re.compile(
    r"(?i)(?:^|[/_\-.=])(?:token|reset|passw|confirm|verif|unsubscribe|abmelden|session|auth|login|signin|apikey|"
    r"api_key|invite|magic|secret|order|bestellung|account|konto|kunde|customer|user|profil|ticket|invoice|"
    r"rechnung|tracking|sendung|track|share|download|receipt|quittung|checkout|payment|zahlung)"
)
_URL_TOKEN_RUN = re.compile(r"[A-Za-z0-9_\-]{16,}")
_LETTER_DIGIT_SWITCH = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def _is_token(s: str) -> bool:
    """A run of 16+ characters where letters and digits alternate (hashes, JWTs, ids), not a slug."""
    return any(len(_LETTER_DIGIT_SWITCH.findall(run)) >= 3 for run in _URL_TOKEN_RUN.findall(s))

# Query/fragment parameters that identify a person or carry a secret; tracking
# parameters (utm_*, ref, page ...) on a public link do not.
_URL_PERSONAL_PARAM = frozenset(
    "token access_token id_token refresh_token auth key apikey api_key sig signature session sid sessionid "
    "code otp pass password pw pwd secret email e mail u uid user userid user_id username login customer "
    "customer_id customerid kunde kd kdnr order order_id orderid bestellung bestellnr id idc tracking "
    "trackingnumber piececode t ticket invoice phone tel name reset verify confirm hash h".split())
_URL_DIGITS = re.compile(r"\d{8,}")

# IBAN lengths per country (SWIFT IBAN registry, plus the partner countries in use).
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \t\-]?[A-Za-z0-9]){10,31}")

_CARD = re.compile(r"(?<![\w+.,/\-])[2-6](?:[ \-]?\d){12,18}(?![\w])")

_SEP = r"[ \t.\-/]"
_GAP = r"(?:[ \t]{0,2}[.\-/]?[ \t]{0,2})"
_PHONE = re.compile(
    r"(?<![\w+/.,:\-])(?:"
    # international: +49 / 0049, optional (0), digit groups (possibly bracketed)
    rf"(?:\+|00)[1-9]\d{{0,2}}(?:{_SEP}?\(0\))?(?:{_GAP}\(?\d++\)?){{1,7}}"
    # national with trunk 0: 030 1234567, (030) 123 456, 0151-12345678, 030/123456-78
    rf"|\(?0[1-9]\d{{1,4}}\)?(?:{_GAP}\d++){{1,5}}"
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567
    r"|\(\d{3}\)[ \t]?\d{3}[ \t.\-]\d{4}"
    r"|[2-9]\d{2}[.\-]\d{3}[.\-]\d{4}"
    r")(?![\w])"
)
_DATE_SHAPE = re.compile(r"^(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}"
                         r"|\d{1,2}[./]\d{1,2}[./]?)$")

_MONTHS = (r"(?:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|"
           r"Dezember|January|February|March|May|June|July|October|December|Jan|Feb|Mär|Mar|Apr|Jun|Jul|Aug|"
           r"Sep|Sept|Okt|Oct|Nov|Dez|Dec)\.?")
_DATE = (rf"(?:\d{{1,2}}\.[ \t]?\d{{1,2}}\.[ \t]?(?:19|20)?\d{{2}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
         rf"|\d{{1,2}}(?:\.|st|nd|rd|th)?[ \t]+{_MONTHS}[ \t]+\d{{4}}|{_MONTHS}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})")
_DIGIT = re.compile(r"\d")
_DOB_HINTS = ("geb", "birth", "dob", "born", "d.o.b")
_DOB = re.compile(
    r"(?i:\b(?:geboren|geb\.|geburtsdatum|geburtstag|date[ \t]+of[ \t]+birth|d\.o\.b\.|dob|born|birthday|"
    r"birth[ \t]+date)(?![\w]))"
    r"[ \t:,\-(]*+(?i:(?:ist|is|am|on|was|war|der|the|:)[ \t]+){0,2}"
    rf"(?P<id>{_DATE})(?![\w])"
)

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


class _Rules:
    """Compiled regexes of one pattern configuration."""

    def __init__(self, cfg: Mapping[str, Any]) -> None:
        name_tail = rf"(?P<id>{_NAME_WORD_ANYCASE}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,2}})"
        try:
            self.order_id = [(re.compile(pat, re.IGNORECASE), hints) for pat, hints in _order_entries(cfg["order_id"])]
            self.phone_kw = re.compile(
                rf"(?i:(?<![\w])(?:{_alternation(cfg['phone_keywords'])}))(?![\w])[ \t.:]*+"
                r"(?i:(?:ist|is|lautet|unter|at|on|nummer|number|nr\.?|no\.?)[ \t:]*+)?"
                r"(?P<id>[+(]?\d[\d \t()/.\-]{4,20}\d)(?![\w])"
            )
            # Name rules: (kind, regex). Each regex starts at its trigger word, so find_pii
            # only tries it where that word occurs (see trigger_index).
            rules: list[tuple[str, str, str]] = [
                ("strong", cfg["name_intro_strong"],
                 rf"[ \t]*+,?[ \t]*+{name_tail}"),
                ("weak", cfg["name_intro_weak"], rf"[ \t]*+,?[ \t]*+{name_tail}"),
                ("relation", cfg["name_relations"], rf"[ \t]*+,?[ \t]*+(?P<id>{_FULL_NAME})"),
                ("title", cfg["titles"], rf"(?![\w])[ \t]*+{_ACADEMIC}(?P<id>(?:{_PARTICLE}[ \t]+)?{_FULL_NAME})"),
                ("greeting", cfg["greetings"],
                 rf"(?![\w])[ \t]*+,?[ \t]*+(?P<id>{_FULL_NAME})(?P<after>[ \t]*+(?:[,!.:;)\n]|$)?)"),
                ("closing", cfg["closings"],
                 r"(?![\w])(?:[ \t]*+[,!.:]?[ \t]*+(?:\r?\n[ \t\r\n]*+)?(?<=[,!.:\s])"
                 r"|[^\n]{1,40}?(?:,[ \t]*+|[ \t]*+\r?\n[ \t\r\n]*+))"
                 rf"(?P<id>{_FULL_NAME})(?=[ \t]*+[^\w\n]*+(?:\n|$))"),
            ]
            self.name_rules = [
                (kind, re.compile(rf"(?<![\w])(?i:{_alternation(words)}){tail}"))
                for kind, words, tail in rules
            ]
        except re.error as exc:
            raise ConfigError(f"a PII pattern does not compile ({exc}); fix the regex in the patterns "
                              "you passed") from None
        # first word of each trigger phrase -> rules to try there
        self.trigger_index: dict[str, list[int]] = {}
        for i, (_kind, words, _tail) in enumerate(rules):
            for phrase in (words.split("|") if isinstance(words, str) else words):
                first = _WORD.search(phrase.replace("\\.", "."))
                if first:
                    self.trigger_index.setdefault(first.group().lower(), [])
                    if i not in self.trigger_index[first.group().lower()]:
                        self.trigger_index[first.group().lower()].append(i)
        self.not_names = _word_set(cfg["not_names"]) | _word_set(cfg["titles"]) | _word_set(cfg["greetings"])
        self.first_names = _word_set(cfg["first_names"])


def _order_entries(value: Any) -> list[tuple[str, tuple[str, ...] | None]]:
    """``order_id`` entries as (regex, hints or None)."""
    if isinstance(value, (str, Mapping)):
        value = [value]
    out = []
    for item in value:
        if isinstance(item, Mapping):
            if "pattern" not in item:
                raise ConfigError(f"order_id entry {dict(item)!r} has no 'pattern'; give {{pattern: REGEX, "
                                  "hints: [...]}} or a plain regex string")
            hints = item.get("hints")
            out.append((str(item["pattern"]), tuple(str(h).lower() for h in hints) if hints else None))
        else:
            out.append((str(item), None))
    return out


@lru_cache(maxsize=16)
def _rules_for(key: str) -> _Rules:
    cfg = _package_patterns() if key == "" else load_patterns(json.loads(key))
    return _Rules(cfg)


@lru_cache(maxsize=16)
def _rules_for_file(path: str, stamp: int | None) -> _Rules:
    del stamp  # part of the cache key only: an edited file is read again
    return _Rules(load_patterns(path))


def _rules(patterns: PatternsArg) -> _Rules:
    if patterns is None:
        return _rules_for("")
    if isinstance(patterns, (str, os.PathLike)):
        try:
            stamp = Path(patterns).stat().st_mtime_ns
        except OSError:
            stamp = None
        return _rules_for_file(str(patterns), stamp)
    cfg = load_patterns(patterns)
    user = {k: v for k, v in cfg.items() if v != _package_patterns().get(k)}
    return _rules_for(json.dumps(user, sort_keys=True, default=str))


# --------------------------------------------------------------------------- validators

def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


def _card_prefix_ok(d: str) -> bool:
    """Issuer prefix and length fit a real scheme (ISO/IEC 7812 ranges of the big networks)."""
    n = len(d)
    two, four = int(d[:2]), int(d[:4])
    if d[0] == "4":  # Visa
        return n in (13, 16, 19)
    if two in (34, 37):  # American Express
        return n == 15
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # Mastercard
        return n == 16
    if two in (36, 38, 39) or 300 <= int(d[:3]) <= 305:  # Diners
        return 14 <= n <= 19
    if 3528 <= four <= 3589:  # JCB
        return 16 <= n <= 19
    if d[0] == "6":  # Discover, UnionPay, Maestro
        return 16 <= n <= 19 or (d[:2] in ("50", "56", "57", "58", "63", "67") and n >= 12)
    if two in (50, 56, 57, 58):  # Maestro
        return 12 <= n <= 19
    return False


_BLOCK = "_BLOCK"
_IBAN_HEAD = re.compile(r"[A-Za-z]{2}\d{2}[ \t\-]?$")


def _find_emails(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _EMAIL.finditer(text):
        s = m.group()
        end = m.end()
        while s and s[-1] in "-.":
            s, end = s[:-1], end - 1
        if _TLD.search(s):
            yield "EMAIL", m.start(), end


def _url_is_personal(url: str) -> bool:
    """Whether a URL may identify a person or carry a secret (see the module docstring)."""
    low = url.lower()
    if low.startswith("mailto:"):
        return True
    rest = url.split("://", 1)[-1]
    authority, _, tail = rest.partition("/")
    if "@" in authority:  # user:password@host
        return True
    cut = min((i for i in (tail.find("?"), tail.find("#")) if i >= 0), default=len(tail))
    path, params = "/" + tail[:cut], tail[cut:]
    for pair in re.split(r"[&;#?]", params):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = name.lower()
        if name in _URL_PERSONAL_PARAM and (value or name in ("token", "key", "code")):
            return True
        if "@" in value or "%40" in value.lower() or _is_token(value) or _URL_DIGITS.search(value):
            return True
        if not value and (_is_token(name) or _URL_DIGITS.fullmatch(name)):
            return True  # fragment or bare parameter that is itself a token
    if _URL_SECRET_WORDS.search(path):
        return True
    return any(_is_token(seg) for seg in re.split(r"[/=&;,.]", path) if seg)


def _find_urls(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _URL_TRAIL:
            # a closing bracket that opens inside the URL belongs to it (wiki-style links)
            if text[end - 1] == ")" and text.count("(", m.start(), end) >= text.count(")", m.start(), end):
                break
            end -= 1
        url = text[m.start():end]
        if url.lower() in {"www.", "mailto:"}:
            continue
        if _url_is_personal(url):
            yield "URL", m.start(), end


def _find_ibans(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _IBAN.finditer(text):
        cand = m.group()
        cc = cand[:2].upper()
        length = _IBAN_LENGTHS.get(cc)
        if length is None:
            continue
        kept = 0
        end = m.start()
        for i, ch in enumerate(cand):
            if ch.isalnum():
                kept += 1
                if kept == length:
                    end = m.start() + i + 1
                    break
        if kept < length:
            continue
        compact = re.sub(r"[^A-Za-z0-9]", "", text[m.start():end]).upper()
        # a glued next character ("...3000x") means this is some other code
        if end < len(text) and text[end].isalnum():
            continue
        if compact[2:4].isdigit() and _iban_ok(compact):
            yield "IBAN", m.start(), end
        elif compact[2:4].isdigit() and sum(c.isdigit() for c in compact) >= length - 4:
            # IBAN-shaped but the checksum fails (a typo, a documentation example):
            # not an IBAN, and its digit groups are no phone or card either
            yield _BLOCK, m.start(), end


def _find_cards(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _CARD.finditer(text):
        cand = m.group()
        if _IBAN_HEAD.search(text, max(0, m.start() - 6), m.start()):
            continue  # the digits of an IBAN (with a wrong checksum), not a card
        seps = {c for c in cand if not c.isdigit()}
        if len(seps) > 1:
            continue
        groups = re.split(r"[ \-]", cand) if seps else [cand]
        # try the longest prefix of digit groups that is a valid card number
        for k in range(len(groups), 0, -1):
            digits = "".join(groups[:k])
            if 13 <= len(digits) <= 19 and _card_prefix_ok(digits) and _luhn(digits):
                span = len(" ".join(groups[:k]))
                yield "CARD", m.start(), m.start() + span
                break


def _trim_phone(s: str) -> str:
    s = s.rstrip(" \t.-/")
    # drop trailing groups glued on by a space while the number is too long to be a phone
    while sum(c.isdigit() for c in s) > 15 and re.search(r"[ \t]", s):
        s = re.sub(r"[ \t]+[^ \t]*$", "", s)
    return s


def _phone_ok(s: str, *, keyword: bool) -> bool:
    digits = sum(c.isdigit() for c in s)
    if _DATE_SHAPE.match(s.strip()):
        return False
    if s.count("(") != s.count(")"):
        return False
    if keyword:
        return 6 <= digits <= 15
    if s.startswith(("+", "00")):
        return 8 <= digits <= 15
    if s.startswith(("0", "(0")):
        # "0,99" or "01.02.2024" never get here; two dots and 2-digit groups are dates/versions
        return 8 <= digits <= 14 and not re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", s)
    return 10 <= digits <= 11


def _find_phones(text: str, rules: _Rules) -> Iterator[tuple[str, int, int]]:
    for m in _PHONE.finditer(text):
        s = _trim_phone(m.group())
        if _phone_ok(s, keyword=False):
            yield "PHONE", m.start(), m.start() + len(s)
    for m in rules.phone_kw.finditer(text):
        s = _trim_phone(m.group("id"))
        if _phone_ok(s, keyword=True):
            yield "PHONE", m.start("id"), m.start("id") + len(s)


def _find_order_ids(text: str, low: str, rules: _Rules) -> Iterator[tuple[str, int, int]]:
    for rx, hints in rules.order_id:
        if hints is not None and not any(h in low for h in hints):
            continue
        for m in rx.finditer(text):
            if "id" in rx.groupindex and m.group("id") is not None:
                yield "ORDER_ID", m.start("id"), m.end("id")
            else:
                yield "ORDER_ID", m.start(), m.end()


def _find_dob(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _DOB.finditer(text):
        yield "DATE_OF_BIRTH", m.start("id"), m.end("id")


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


# --------------------------------------------------------------------------- public API

def _check_types(types: Iterable[str] | None) -> frozenset[str]:
    if types is None:
        return frozenset(PII_TYPES)
    if isinstance(types, str):
        types = [types]
    chosen = frozenset(str(t).upper() for t in types)
    unknown = sorted(chosen - set(PII_TYPES))
    if unknown:
        raise ConfigError(f"types: unknown PII type(s) {unknown}; allowed: {list(PII_TYPES)}")
    return chosen


def _is_missing(text: object) -> bool:
    if text is None:
        return True
    if isinstance(text, str):
        return False
    if isinstance(text, float):  # also numpy floats
        return math.isnan(text)
    # pandas' NA and NaT without importing pandas for plain-string callers
    return type(text).__name__ in {"NAType", "NaTType"}


def find_pii(text: str | None, *, types: Iterable[str] | None = None,
             patterns: PatternsArg = None) -> list[PiiMatch]:
    """Find personal data in ``text``.

    Parameters
    ----------
    text:
        The text; ``None``/NaN give ``[]``, other non-strings are converted with ``str``.
    types:
        Which of :data:`PII_TYPES` to look for (default: all).
    patterns:
        Pattern overrides, see :func:`load_patterns`.

    Returns
    -------
    list of PiiMatch
        Non-overlapping matches in text order. Where candidates overlap the longest
        wins; at equal length the one whose format is checked (e-mail, URL, IBAN,
        order number, card) beats phone, address and name.

    Examples
    --------
    >>> [(m.type, m.text) for m in find_pii("IBAN DE89 3704 0044 0532 0130 00 bitte")]
    [('IBAN', 'DE89 3704 0044 0532 0130 00')]
    """
    if _is_missing(text):
        return []
    if not isinstance(text, str):
        text = str(text)
    wanted = _check_types(types)
    rules = _rules(patterns)
    cands: list[tuple[str, int, int]] = []
    has_digit = _DIGIT.search(text) is not None
    low = text.lower()
    if "EMAIL" in wanted and ("@" in text or "(at)" in text or "[at]" in text):
        cands.extend(_find_emails(text))
    if "URL" in wanted and any(h in low for h in _URL_HINTS):
        cands.extend(_find_urls(text))
    if has_digit:
        if "IBAN" in wanted:
            cands.extend(_find_ibans(text))
        if "CARD" in wanted:
            cands.extend(_find_cards(text))
        if "PHONE" in wanted:
            cands.extend(_find_phones(text, rules))
        if "ORDER_ID" in wanted:
            cands.extend(_find_order_ids(text, low, rules))
        if "DATE_OF_BIRTH" in wanted and any(h in low for h in _DOB_HINTS):
            cands.extend(_find_dob(text))
        if "ADDRESS" in wanted:
            cands.extend(_find_addresses(text, low))
    if "NAME" in wanted:
        cands.extend(_find_names(text, low, rules))
    blocks = [(c[1], c[2]) for c in cands if c[0] == _BLOCK]
    cands = [c for c in cands if c[2] > c[1] and c[0] != _BLOCK]
    if blocks:
        cands = [c for c in cands if c[0] not in ("PHONE", "CARD")
                 or not any(c[1] < e and b < c[2] for b, e in blocks)]
    cands.sort(key=lambda c: (c[1] - c[2], _PRIORITY[c[0]], c[1]))
    taken: list[tuple[int, int]] = []
    out: list[PiiMatch] = []
    for typ, start, end in cands:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        out.append(PiiMatch(typ, start, end, text[start:end]))
    out.sort(key=lambda m: m.start)
    return out


def redact(text: str | None, *, types: Iterable[str] | None = None, patterns: PatternsArg = None) -> str:
    """Replace personal data in ``text`` with typed placeholders.

    Parameters
    ----------
    text:
        The text; ``None`` and NaN give ``""``.
    types:
        Which of :data:`PII_TYPES` to redact (default: all).
    patterns:
        Pattern overrides, see :func:`load_patterns`.

    Returns
    -------
    str
        The text with each match replaced by ``<TYPE>``. ``redact(redact(x)) == redact(x)``.

    Examples
    --------
    >>> redact("Schreib mir an anna.schmidt@example.de oder ruf an: +49 30 1234567")
    'Schreib mir an <EMAIL> oder ruf an: <PHONE>'
    >>> redact(None)
    ''
    """
    if _is_missing(text):
        return ""
    if not isinstance(text, str):
        text = str(text)
    # A second pass catches what the first uncovered (a name after a redacted title
    # line, a phone glued to a removed id); it keeps redact idempotent in practice.
    for _ in range(3):
        matches = find_pii(text, types=types, patterns=patterns)
        if not matches:
            return text
        parts: list[str] = []
        pos = 0
        for m in matches:
            parts.append(text[pos:m.start])
            parts.append(m.placeholder)
            pos = m.end
        parts.append(text[pos:])
        text = "".join(parts)
    return text


def redact_series(series: "pd.Series", *, types: Iterable[str] | None = None,
                  patterns: PatternsArg = None) -> "pd.Series":
    """:func:`redact` over a Series; missing values stay missing, index and name are kept."""
    if patterns is not None:
        _rules(patterns)  # fail once, early, on bad patterns
    _check_types(types)
    import pandas as pd

    values = [None if _is_missing(v) else redact(v, types=types, patterns=patterns) for v in series]
    dtype = series.dtype if pd.api.types.is_string_dtype(series.dtype) else object
    return pd.Series(values, index=series.index, name=series.name, dtype=dtype)


class PiiLogFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record.

    Attach it to a handler (or logger) so logs never carry raw customer text::

        handler.addFilter(PiiLogFilter())

    The record's ``msg`` becomes the redacted, fully formatted message and its
    ``args`` are cleared, so later formatting cannot re-insert raw values.
    """

    def __init__(self, name: str = "", *, types: Iterable[str] | None = None) -> None:
        super().__init__(name)
        self.types = types

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message, types=self.types)
        record.args = None
        return True

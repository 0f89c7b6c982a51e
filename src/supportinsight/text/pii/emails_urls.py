"""Recognisers of e-mail addresses and of links that can identify a person or carry a secret."""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def _find_emails(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _EMAIL.finditer(text):
        s = m.group()
        end = m.end()
        while s and s[-1] in "-.":
            s, end = s[:-1], end - 1
        if _TLD.search(s):
            yield "EMAIL", m.start(), end


def _url_is_personal(url: str) -> bool:
    """Whether a URL may identify a person or carry a secret (see the package docstring)."""
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

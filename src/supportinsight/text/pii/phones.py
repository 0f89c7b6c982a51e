"""Recogniser of phone numbers: international, German national, North-American, and after a keyword."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .patterns import _Rules

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

"""Recognisers of IBANs and payment-card numbers, with their checksums (mod-97, Luhn, issuer prefix)."""

from __future__ import annotations

import re
from collections.abc import Iterator

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

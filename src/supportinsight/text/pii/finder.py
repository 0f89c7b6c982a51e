"""find_pii: runs the recogniser of each wanted type and keeps the non-overlapping winners."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from ...errors import ConfigError
from .addresses import _find_addresses
from .emails_urls import _URL_HINTS, _find_emails, _find_urls
from .keyword_values import _DOB_HINTS, _find_dob, _find_order_ids
from .match import _PRIORITY, PII_TYPES, PiiMatch
from .names import _find_names
from .patterns import PatternsArg, _rules
from .payment_numbers import _BLOCK, _find_cards, _find_ibans
from .phones import _find_phones

_DIGIT = re.compile(r"\d")


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

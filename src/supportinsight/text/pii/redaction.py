"""Redaction with typed placeholders: redact, redact_series and a logging filter that redacts records."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .finder import _check_types, _is_missing, find_pii
from .patterns import PatternsArg, _rules

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


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

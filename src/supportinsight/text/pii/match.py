"""The PII types, their placeholders, and the PiiMatch record of one piece of personal data found."""

from __future__ import annotations

from dataclasses import dataclass

#: Every type :func:`find_pii` can report, in placeholder order.
PII_TYPES: tuple[str, ...] = ("EMAIL", "PHONE", "IBAN", "CARD", "ADDRESS", "ORDER_ID", "URL", "NAME",
                              "DATE_OF_BIRTH")
#: Types found by format (and checksum) rather than by context words.
STRUCTURED_TYPES: tuple[str, ...] = ("EMAIL", "PHONE", "IBAN", "CARD", "ORDER_ID", "URL")
#: Placeholder text of each type.
PLACEHOLDERS: dict[str, str] = {t: f"<{t}>" for t in PII_TYPES}

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

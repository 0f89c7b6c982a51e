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

from .finder import find_pii
from .match import PII_TYPES, PLACEHOLDERS, STRUCTURED_TYPES, PiiMatch
from .patterns import PatternsArg as PatternsArg  # re-exported: evaluate.pii annotates with it
from .patterns import load_patterns
from .redaction import PiiLogFilter, redact, redact_series

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

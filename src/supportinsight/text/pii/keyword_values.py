"""Recognisers of values that a keyword announces: order and customer numbers, dates of birth."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .patterns import _Rules

_MONTHS = (r"(?:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|"
           r"Dezember|January|February|March|May|June|July|October|December|Jan|Feb|Mär|Mar|Apr|Jun|Jul|Aug|"
           r"Sep|Sept|Okt|Oct|Nov|Dez|Dec)\.?")
_DATE = (rf"(?:\d{{1,2}}\.[ \t]?\d{{1,2}}\.[ \t]?(?:19|20)?\d{{2}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
         rf"|\d{{1,2}}(?:\.|st|nd|rd|th)?[ \t]+{_MONTHS}[ \t]+\d{{4}}|{_MONTHS}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})")
_DOB_HINTS = ("geb", "birth", "dob", "born", "d.o.b")
_DOB = re.compile(
    r"(?i:\b(?:geboren|geb\.|geburtsdatum|geburtstag|date[ \t]+of[ \t]+birth|d\.o\.b\.|dob|born|birthday|"
    r"birth[ \t]+date)(?![\w]))"
    r"[ \t:,\-(]*+(?i:(?:ist|is|am|on|was|war|der|the|:)[ \t]+){0,2}"
    rf"(?P<id>{_DATE})(?![\w])"
)


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

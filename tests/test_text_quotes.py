"""split_reply: golden German/English cases kept as data (tests/data/load/quotes_golden.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supportinsight.text.quotes import split_reply

GOLDEN = [json.loads(line) for line in
          (Path(__file__).parent / "data" / "load" / "quotes_golden.jsonl").read_text(encoding="utf-8").splitlines()
          if line.strip()]


@pytest.mark.parametrize("case", GOLDEN, ids=[c["name"] for c in GOLDEN])
def test_text_quotes_golden_cases(case):
    body, quoted, signature = split_reply(case["text"])
    assert (body, quoted, signature) == (case["body"], case["quoted"], case["signature"])


def test_text_quotes_non_text_input_gives_empty_parts():
    assert split_reply(None) == ("", "", "")  # type: ignore[arg-type]


def test_text_quotes_never_invents_text():
    text = "Hallo\r\nAm 1.3.2024 schrieb Max:\r\n> alt\r\n"
    body, quoted, signature = split_reply(text)
    for part in (body, quoted, signature):
        for line in part.splitlines():
            assert line in text

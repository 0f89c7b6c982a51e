"""repair_text: the models' view of broken exports (golden cases in tests/data/repair_golden.jsonl,
written by the team), idempotence on hostile text, and what it changes downstream."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from test_text_properties import FUZZ, HOSTILE

from supportinsight.text.repair import repair_text, repair_texts

GOLDEN = [json.loads(line) for line in
          (Path(__file__).parent / "data" / "repair_golden.jsonl").read_text(encoding="utf-8").splitlines()
          if line.strip()]


@pytest.mark.parametrize("case", GOLDEN, ids=[c["name"] for c in GOLDEN])
def test_repair_golden_cases(case):
    assert repair_text(case["text"]) == case["expected"]


def test_repair_none_and_lists():
    assert repair_text(None) == ""  # type: ignore[arg-type]
    assert repair_texts(["FÃ¼r", None, "ok"]) == ["Für", "", "ok"]


@FUZZ
@given(HOSTILE)
def test_repair_is_total_and_idempotent(text):
    once = repair_text(text)
    assert isinstance(once, str)
    assert repair_text(once) == once


def test_annotate_keeps_the_sent_text_and_reads_the_repaired_one():
    import supportinsight as si

    sent = ["Danke für die schnelle Hilfe &lt;3", "FÃ¼r die Bahn ist das schÃ¶n"]
    out = si.annotate(pd.DataFrame({"text": sent}), disable=["intent", "journey"])
    assert out["text"].tolist() == sent  # what the customer sent stays as it was
    assert "<3" in out["emoticons"].iloc[0]  # the entity is read as the heart emoticon
    assert out["language"].tolist() == ["de", "de"]


def test_intent_model_text_repairs_before_dropping_handles():
    from supportinsight.enrich.intent import model_text

    assert model_text("@AmazonHelp I don\\u2019t have my refund &amp; no answer https://t.co/x") == \
        "I don't have my refund & no answer"

"""repair_text: the models' view of broken exports (golden cases in tests/data/repair_golden.jsonl,
written by the team), idempotence on hostile text, and what it changes downstream."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
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


def test_sentiment_reads_curly_apostrophe_negation_like_the_straight_one():
    """Phones type "don’t"; lexicon, VADER and the embedding must see the negator "don't"."""
    import supportinsight as si

    model = si.SentimentModel()
    curly = ["I don’t like the new app at all", "It doesn’t work and nobody answers"]
    straight = [t.replace("’", "'") for t in curly]
    np.testing.assert_allclose(model.predict_proba(curly), model.predict_proba(straight), atol=1e-6)
    assert model.predict(curly).tolist() == ["negative", "negative"]


def test_intent_model_text_repairs_before_dropping_handles():
    from supportinsight.enrich.intent import model_text

    assert model_text("@AmazonHelp I don\\u2019t have my refund &amp; no answer https://t.co/x") == \
        "I don't have my refund & no answer"


def test_annotate_sentiment_equals_the_model_on_the_same_texts():
    """The sentiment step passes the language column on (VADER reads no German words); the
    model alone detects the languages itself and must come to the same probabilities."""
    import supportinsight as si

    texts = ["Vielen Dank für die schnelle Hilfe!", "the app is fast but the bill was wrong", "Danke :)",
             "Das war fast gut, aber die Rechnung war falsch 😡"]
    out = si.annotate(pd.DataFrame({"text": texts}), disable=["intent", "journey"])
    proba = si.SentimentModel().predict_proba(texts)
    np.testing.assert_allclose(out["sentiment_score"].to_numpy(), proba[:, 2] - proba[:, 0], atol=1e-5)
    assert out["sentiment"].iloc[0] == "positive"

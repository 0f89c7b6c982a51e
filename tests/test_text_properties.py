"""Property tests: the text functions and the whole pipeline never raise or hang on hostile text.

Budget: ``SI_FUZZ_EXAMPLES`` examples per property (default 60; CI uses the default).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportinsight.enrich.emoji import emoji_features, extract_emojis, extract_emoticons, has_elongation, is_shouting
from supportinsight.enrich.language import detect_language
from supportinsight.text.lemmas import lemmatize
from supportinsight.text.pii import redact
from supportinsight.text.quotes import split_reply

EXAMPLES = int(os.environ.get("SI_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces real support text is made of, plus the characters that break naive code
PIECES = st.sampled_from([
    "", " ", "\n", "\r\n", "\r", "\t", "\u200b", "\u200d", "\u200f", "\u202e", "\ufeff", "\x00",
    "😡", "👍🏽", "🇩🇪", "👨‍👩‍👧", "❤️", ":-(", ";)", "xD", "<3", ":/", "!!!", "???", "soooo",
    "DAS IST FRECH", "Paket", "nicht gut", "not bad", "Am 01.03.2024 schrieb Max:", "> zitiert",
    "-- ", "Mit freundlichen Grüßen", "Best regards", "@DB_Bahn", "https://x.de/?token=abc",
    "max@example.de", "+49 151 12345678", "DE89 3704 0044 0532 0130 00", "<script>alert(1)</script>",
    "ß", "ÄÖÜ", "مرحبا", "שלום", "日本語",
])
HOSTILE = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=40).map("".join),
    st.builds(lambda p, n: p * n, PIECES, st.integers(0, 2000)),
)


@FUZZ
@given(HOSTILE)
def test_text_functions_total_on_hostile_text(text):
    body, quoted, signature = split_reply(text)
    assert isinstance(body, str) and isinstance(quoted, str) and isinstance(signature, str)
    assert all(isinstance(e, str) and e for e in extract_emojis(text))
    assert all(isinstance(e, str) for e in extract_emoticons(text))
    assert isinstance(has_elongation(text), bool) and isinstance(is_shouting(text), bool)
    assert emoji_features([text]).shape[0] == 1
    assert isinstance(redact(text), str)
    assert len(lemmatize([text], "de")) == 1


@FUZZ
@given(st.lists(HOSTILE, min_size=1, max_size=5))
def test_detect_language_returns_a_code_per_text(texts):
    out = detect_language(texts)
    assert len(out) == len(texts)


@pytest.mark.parametrize("text", [
    "", " ", "\u200b\u200f", "😡😡😡", "a" * 200_000, ("Paket " * 20_000).strip(), "\r\n" * 5000, "\x00" * 100,
])
def test_pipeline_annotates_edge_texts_without_losing_rows(text):
    import supportinsight as si

    start = time.perf_counter()
    out = si.annotate(pd.DataFrame({"text": [text, "Paket immer noch nicht da 😡"]}))
    assert len(out) == 2
    assert out["sentiment"].iloc[1] == "negative"
    assert time.perf_counter() - start < 120  # bounded work, not a benchmark


def test_no_pickle_or_torch_load_in_the_package():
    """Models and taxonomies load from JSON/YAML/NPZ/safetensors only."""
    src = Path(__file__).resolve().parents[1] / "src" / "supportinsight"
    offenders = []
    for path in src.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        for needle in ("import pickle", "pickle.load", "torch.load(", "allow_pickle=True", "yaml.load(",
                       "joblib.load", "cloudpickle.load"):
            if needle in code:
                offenders.append(f"{path.relative_to(src)}: {needle}")
    assert offenders == []

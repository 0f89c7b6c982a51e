"""Per-message language with `und` for unclear text; other languages only when clear."""

from __future__ import annotations

import pandas as pd
import pytest

from supportinsight.enrich.language import LanguageStep, detect_language
from supportinsight.errors import ConfigError

# Short informal support texts written by the team for this test.
CASES = [
    ("Paket immer noch nicht da 😡", "de"),
    ("Wo ist mein Paket?", "de"),
    ("login geht nicht", "de"),
    ("Rechnung falsch", "de"),
    ("Vielen Dank für die schnelle Hilfe", "de"),
    ("bin voll genervt", "de"),
    ("Hallo, meine Bestellung 12345 ist kaputt angekommen", "de"),
    ("Danke!! 🙏😊", "de"),
    ("Great service 😡", "en"),
    ("where is my refund??", "en"),
    ("still waiting for my order", "en"),
    ("app crashes all the time", "en"),
    ("thanks, that fixed it 👍", "en"),
    ("can't log in since yesterday", "en"),
    ("😡😡", "und"),
    ("ok", "und"),
]


def test_language_detect_short_informal_texts_mostly_right():
    got = detect_language([t for t, _ in CASES])
    right = sum(g[0] == want for g, (_, want) in zip(got, CASES))
    assert right >= 15, list(zip([t for t, _ in CASES], got))


@pytest.mark.parametrize("text", ["😡😡😡", "", "   ", ":) :)", "https://example.com @dhl 123"])
def test_language_und_for_text_without_words(text):
    assert detect_language([text])[0] == ("und", 0.0)


def test_language_other_language_when_clearly_dominant():
    (code, conf), = detect_language(["Merci beaucoup pour votre aide, le colis est arrivé"])
    assert code == "fr" and conf > 0.5


def test_language_single_string_and_unknown_language_error():
    assert detect_language("Wo bleibt meine Erstattung?")[0][0] == "de"
    with pytest.raises(ConfigError, match="unknown"):
        detect_language(["hallo"], languages=("de", "xx"))


def test_language_step_keeps_per_message_languages_in_mixed_conversation():
    frame = pd.DataFrame({"conversation_id": ["c1"] * 3,
                          "text": ["Hallo, mein Paket ist nicht angekommen", "Sorry, I only speak English",
                                   "Okay, my parcel has not arrived yet"]})
    out = LanguageStep().apply(frame)
    assert list(out.columns) == ["language", "language_confidence"]
    assert out["language"].tolist() == ["de", "en", "en"]
    assert (out["language_confidence"] > 0.6).all()

"""Emoji and emoticon extraction, polarity from the packaged lexicon, elongation, shouting."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from supportinsight.enrich.emoji import (
    EMOJI_FEATURE_NAMES,
    EmojiStep,
    emoji_features,
    emoji_lexicon,
    extract_emojis,
    extract_emoticons,
    has_elongation,
    is_shouting,
)


@pytest.mark.parametrize("text, expected", [
    ("Paket immer noch nicht da 😡😡", ["😡", "😡"]),
    ("top 👍🏽", ["👍🏽"]),                       # skin tone stays attached
    ("facepalm 🤦‍♀️", ["🤦\u200d♀️"]),            # ZWJ sequence stays whole
    ("Grüße aus 🇩🇪", ["🇩🇪"]),                    # flag = two regional indicators
    ("love it ❤️", ["❤️"]),                        # variation selector kept
    ("no emoji here :)", []),
    ("", []),
])
def test_emoji_extract_emojis_keeps_sequences_whole(text, expected):
    assert extract_emojis(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("danke :) bis morgen ;-)", [":)", ";-)"]),
    ("super:) xD", [":)", "xD"]),
    ("na toll -.-", ["-.-"]),
    ("I <3 you", ["<3"]),
    ("hmm :/ mal sehen", [":/"]),
    ("siehe https://example.com/x", []),          # no ":/" inside a URL
    ("Termin um 12:30", []),
    ("FlexDesk <30 Euro", []),                    # no xD inside a word, no <3 before a digit
    (":Daten aus dem Export", []),
])
def test_emoji_extract_emoticons_respects_word_and_url_boundaries(text, expected):
    assert extract_emoticons(text) == expected


def test_emoji_lexicon_has_ranking_and_team_entries_with_sources():
    lex = emoji_lexicon()
    pol, cues = lex.lookup("😊")
    assert pol is not None and pol > 0.3
    assert "Emoji Sentiment Ranking" in lex.source["😊"]
    # newer than the 2015 ranking: team entries
    for e in ("🤔", "🤦", "🙄", "🥲", "🫠", "🤬"):
        assert e in lex.cues, e
    assert lex.lookup("🤬")[0] < -0.5
    assert "sarcasm" in lex.lookup("🙄")[1]
    assert "gratitude" in lex.lookup("🙏")[1]
    assert lex.lookup("🤦🏻\u200d♂️")[0] == lex.lookup("🤦")[0]   # skin tone + ZWJ fall back to the base


@pytest.mark.parametrize("text, expected", [
    ("soooo langsam", True), ("neeeein", True), ("Warum!!!", True), ("Danke!!", True),
    ("Schifffahrt", False), ("Kaffee", False), ("ok.", False),
])
def test_emoji_has_elongation(text, expected):
    assert has_elongation(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("WO IST MEIN PAKET", True), ("Das ist UNGLAUBLICH schlecht", True),
    ("DHL und IBAN ok", False), ("ich habe DHL angerufen", False), ("", False),
])
def test_emoji_is_shouting_ignores_acronyms(text, expected):
    assert is_shouting(text) is expected


def test_emoji_features_encode_cues_and_polarity():
    f = emoji_features(["Super Service 🙄", "Danke!! 🙏😊", "Paket nicht da 😡", "plain text"])
    names = list(EMOJI_FEATURE_NAMES)
    assert f.shape == (4, len(names))
    assert f[0, names.index("cue_sarcasm")] == 1
    assert f[1, names.index("cue_gratitude")] == 1 and f[1, names.index("emoji_polarity")] > 0.3
    assert f[2, names.index("cue_anger")] == 1 and f[2, names.index("emoji_polarity")] < -0.5
    assert not f[3].any()


def test_emoji_step_assigns_declared_columns_on_same_index():
    frame = pd.DataFrame({"text": ["Danke!! 🙏😊", "WO BLEIBT DAS PAKET 😡", "", "ok :("]}, index=[10, 11, 12, 13])
    out = EmojiStep().apply(frame)
    assert list(out.columns) == list(EmojiStep.assigns)
    assert list(out.index) == [10, 11, 12, 13]
    assert out.loc[10, "emojis"] == ["🙏", "😊"] and "gratitude" in out.loc[10, "emoji_cues"]
    assert out.loc[11, "shouting"] and out.loc[11, "emoji_polarity"] < 0
    assert out.loc[12, "emojis"] == [] and math.isnan(out.loc[12, "emoji_polarity"])
    assert out.loc[13, "emoticons"] == [":("]

"""The sentiment model: golden cases (both languages, emojis, sarcasm, negation), the
scikit-learn contract, adaptation that builds on the shipped head, save/load without pickle."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from supportinsight.enrich.sentiment import CLASSES, SentimentModel, SentimentStep, sentiment_features
from supportinsight.errors import ConfigError, LabelError, ModelError, NotFittedError

GOLDEN = [json.loads(line) for line in
          (Path(__file__).parent / "data" / "sentiment_golden.jsonl").read_text(encoding="utf-8").splitlines()
          if line.strip()]
#: Cases the issue names: emojis must change the outcome the way a person reads them.
MUST_PASS_KINDS = {"sarcasm", "gratitude", "emoji"}


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel()


@pytest.fixture(scope="module")
def golden_predictions(model) -> list[str]:
    return list(model.predict([c["text"] for c in GOLDEN]))


def test_sentiment_golden_pass_rate_is_high(golden_predictions):
    right = [p == c["sentiment"] for p, c in zip(golden_predictions, GOLDEN)]
    misses = [(c["text"], p) for p, c, r in zip(golden_predictions, GOLDEN, right) if not r]
    assert sum(right) / len(right) >= 0.85, misses


@pytest.mark.parametrize("case", [c for c in GOLDEN if c["kind"] in MUST_PASS_KINDS], ids=lambda c: c["text"][:40])
def test_sentiment_golden_emoji_cases_each_right(case, model):
    assert model.predict([case["text"]])[0] == case["sentiment"]


@pytest.mark.parametrize("plain, with_emoji, direction", [
    ("Super Service", "Super Service 🙄", -1),
    ("Great service", "Great service 😡", -1),
    ("Paket immer noch nicht da", "Paket immer noch nicht da 😡", -1),
    ("Danke", "Danke!! 🙏😊", +1),
])
def test_sentiment_emoji_moves_the_score(plain, with_emoji, direction, model):
    """Measured on the log-odds of positive vs negative: a probability difference saturates
    when the plain text is already clear ("Danke" at P(positive) 0.9 can gain at most 0.1+)."""
    proba = model.predict_proba([plain, with_emoji])
    log_odds = np.log(proba[:, 2]) - np.log(proba[:, 0])
    assert direction * (log_odds[1] - log_odds[0]) > 1.0
    assert direction * ((proba[1, 2] - proba[1, 0]) - (proba[0, 2] - proba[0, 0])) > 0


@pytest.mark.parametrize("text, expected", [
    ("Das war nicht gut", "negative"), ("not bad at all", "positive"),
    ("Das ist gut", "positive"), ("this is bad", "negative"),
])
def test_sentiment_negation_flips(text, expected, model):
    assert model.predict([text])[0] == expected


def test_sentiment_model_estimator_contract(model):
    assert list(model.classes_) == list(CLASSES)
    proba = model.predict_proba(["Danke!", "Wo ist mein Paket?", "Katastrophe"])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert model.get_params()["C"] == model.C
    assert SentimentModel(C=0.5).get_params()["C"] == 0.5


def test_sentiment_from_scratch_needs_fit():
    with pytest.raises(NotFittedError, match="fit"):
        SentimentModel(from_default=False).predict(["hallo"])


@pytest.mark.parametrize("labels, match", [
    (["negative", "mixed"], "mixed"),
    (["negative"], "length"),
])
def test_sentiment_fit_rejects_bad_labels(labels, match):
    with pytest.raises(LabelError, match=match):
        SentimentModel().fit(["schlecht", "gut"], labels)


def test_sentiment_fit_accepts_aliases_and_builds_on_default(model):
    texts = ["Lieferung verspätet", "Rechnung angekommen", "Top, danke", "Paket weg", "Adresse geändert",
             "Super Hilfe"]
    adapted = SentimentModel().fit(texts, ["neg", "neu", "pos", -1, 0, 1])
    assert adapted.n_train_ == 6
    # six labels must not throw away what the shipped head knows
    probe = ["Great service 😡", "Vielen Dank für die schnelle Hilfe!", "Wie ändere ich mein Passwort?"]
    assert list(adapted.predict(probe)) == list(model.predict(probe))
    rel = np.linalg.norm(adapted.coef_ - model.coef_) / np.linalg.norm(model.coef_)
    assert rel < 0.5


def test_sentiment_fit_adapts_to_domain_labels(model):
    # a domain where "Lieferung" messages are complaints even without polar words
    texts = [f"Lieferung {i} ist heute gekommen" for i in range(30)] + [f"Frage zu Rechnung {i}" for i in range(30)]
    labels = ["negative"] * 30 + ["neutral"] * 30
    adapted = SentimentModel(C=1.0).fit(texts, labels)
    assert adapted.score(texts, labels) > model.score(texts, labels)


def test_sentiment_save_load_roundtrip_without_pickle(tmp_path, model):
    adapted = SentimentModel().fit(["gut", "schlecht", "okay", "toll", "mies", "Frage"],
                                   ["positive", "negative", "neutral", "positive", "negative", "neutral"])
    adapted.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["sentiment_model.json", "sentiment_model.npz"]
    with np.load(tmp_path / "m" / "sentiment_model.npz", allow_pickle=False) as npz:
        assert set(npz.files) == {"coef", "intercept", "mean", "scale"}
    loaded = SentimentModel.load(tmp_path / "m")
    texts = ["Danke 🙏", "Nie wieder 😡"]
    np.testing.assert_allclose(loaded.predict_proba(texts), adapted.predict_proba(texts), atol=1e-6)
    assert loaded.n_train_ == 6
    with pytest.raises(ModelError, match="SentimentModel"):
        SentimentModel.load(tmp_path)


def test_sentiment_load_names_a_model_saved_with_another_feature_map(tmp_path):
    """A model adapted by an older version (fewer handcrafted features) is refused with the
    command that refits it, not with a shape error at predict time."""
    adapted = SentimentModel().fit(["gut", "schlecht", "okay", "toll"], ["positive", "negative", "neutral", "positive"])
    adapted.save(tmp_path / "old")
    path = tmp_path / "old" / "sentiment_model.npz"
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["coef"], arrays["mean"], arrays["scale"] = arrays["coef"][:, :-2], arrays["mean"][:-2], arrays["scale"][:-2]
    np.savez(path, **arrays)
    with pytest.raises(ModelError, match="another version.*fit-sentiment"):
        SentimentModel.load(tmp_path / "old")


def _rail_domain(n: int = 60) -> tuple[list[str], list[str]]:
    # a domain word the embedding cannot know: "Stellwerksstörung" (signal box failure) is bad news
    texts = [f"Stellwerksstörung auf Linie S{i}" for i in range(n)] + [f"Fahrplan für Linie S{i} online" for i in range(n)]
    return texts, ["negative"] * n + ["neutral"] * n


def test_sentiment_fit_adds_char_ngram_head_with_enough_labels():
    texts, labels = _rail_domain()
    adapted = SentimentModel().fit(texts, labels)
    assert adapted.lexical_head_ is not None and "SentimentModel" in repr(adapted) and "n-grams" in repr(adapted)
    assert list(adapted.predict(["Stellwerksstörung auf Linie S99", "Fahrplan für Linie S99 online"])) == [
        "negative", "neutral"]
    assert SentimentModel(lexical=False).fit(texts, labels).lexical_head_ is None
    few = SentimentModel().fit(texts[:5] + texts[-5:], labels[:5] + labels[-5:])
    assert few.lexical_head_ is None  # "auto": fewer than lexical_min_labels
    assert SentimentModel(lexical=True).fit(texts[:5] + texts[-5:], labels[:5] + labels[-5:]).lexical_head_


def test_sentiment_char_ngram_head_needs_texts_and_survives_save_load(tmp_path):
    texts, labels = _rail_domain(30)
    adapted = SentimentModel(lexical=True).fit(texts, labels)
    X = sentiment_features(texts[:3])
    with pytest.raises(ModelError, match="pass the texts"):
        adapted.predict(None, features=X)
    np.testing.assert_allclose(adapted.predict_proba(texts[:3], features=X), adapted.predict_proba(texts[:3]),
                               atol=1e-5)
    adapted.save(tmp_path / "m")
    with np.load(tmp_path / "m" / "sentiment_model.npz", allow_pickle=False) as npz:
        assert {"lex_vocabulary", "lex_idf", "lex_coef"} <= set(npz.files)
    loaded = SentimentModel.load(tmp_path / "m")
    probe = ["Stellwerksstörung in Köln 😡", "Fahrplan ist online"]
    np.testing.assert_allclose(loaded.predict_proba(probe), adapted.predict_proba(probe), atol=1e-6)
    assert loaded.lexical_head_ is not None and loaded.lexical_weight == 0.5


@pytest.mark.parametrize("params", [{"lexical": "maybe"}, {"lexical_weight": 1.5}, {"lexical_min_labels": 1}])
def test_sentiment_rejects_bad_lexical_params(params):
    texts, labels = _rail_domain(3)
    with pytest.raises(ConfigError):
        SentimentModel(**params).fit(texts, labels)


def test_sentiment_features_shape():
    X = sentiment_features(["Danke 🙏", ""])
    assert X.shape[0] == 2 and X.shape[1] > 512 and np.isfinite(X).all()


def test_sentiment_step_columns_and_empty_text():
    frame = pd.DataFrame({"text": ["Paket immer noch nicht da 😡", "", "Danke!! 🙏😊"],
                          "author_role": ["customer", "customer", "customer"]}, index=[5, 6, 7])
    out = SentimentStep().apply(frame)
    assert list(out.columns) == ["sentiment", "sentiment_score", "sentiment_confidence"]
    assert list(out.index) == [5, 6, 7]
    assert out["sentiment"].tolist() == ["negative", "neutral", "positive"]
    assert out["sentiment_score"].between(-1, 1).all()
    assert math.isnan(out.loc[6, "sentiment_confidence"]) and out.loc[6, "sentiment_score"] == 0
    assert (out.loc[[5, 7], "sentiment_confidence"] > 0.4).all()


def test_sentiment_runs_in_pipeline_after_language_and_emoji():
    from supportinsight.pipeline import Pipeline

    frame = pd.DataFrame({"conversation_id": ["c1", "c1", "c1"],
                          "author_role": ["customer", "agent", "customer"],
                          "text": ["Paket immer noch nicht da 😡", "Sorry for the delay, I will check it now.",
                                   "Danke!! 🙏😊"]})
    out = Pipeline(["language", "emoji", "sentiment"])(frame)
    assert out["language"].tolist() == ["de", "en", "de"]
    assert out["sentiment"].tolist()[0] == "negative" and out["sentiment"].tolist()[2] == "positive"
    assert out["annotation_errors"].tolist() == ["", "", ""]
    # customer sentiment is kept apart by author_role, as the journey analysis reads it
    customer = out[out["author_role"] == "customer"]["sentiment"].tolist()
    assert customer == ["negative", "positive"]


def test_sentiment_beats_vader_on_real_english_emoji_tweets():
    """107 hand-labelled TWCS tweets with emojis (tests/data/README_sentiment.md): the issue
    asks for a wide margin over VADER where emojis carry the sentiment. Measured 2026-11-23:
    ours 0.748 micro-F1, VADER 0.589; the guard leaves room for small model changes."""
    from supportinsight.evaluate.sentiment import evaluate_file

    result = evaluate_file(Path(__file__).parent / "data" / "sentiment_twcs_emoji.jsonl", label_col="sentiment")
    ours, vader = result["ours"], result["vader"]
    assert result["n"] == 107
    assert ours["micro_f1"] >= vader["micro_f1"] + 0.10
    assert ours["macro_recall"] >= vader["macro_recall"] + 0.05


def test_sentiment_reads_curly_apostrophe_negation_like_the_straight_one():
    """Phones type "don’t"; lexicon, VADER and the embedding must see the negator "don't"."""
    import supportinsight as si

    model = si.SentimentModel()
    curly = ["I don’t like the new app at all", "It doesn’t work and nobody answers"]
    straight = [t.replace("’", "'") for t in curly]
    np.testing.assert_allclose(model.predict_proba(curly), model.predict_proba(straight), atol=1e-6)
    assert model.predict(curly).tolist() == ["negative", "negative"]


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


@pytest.mark.parametrize("code", ["de", "de-AT", "deu", "German", "ger"])
def test_vader_reads_no_german_words_whatever_the_language_column_says(code):
    from supportinsight.enrich.lexicon import LEXICON_FEATURE_NAMES, lexicon_features

    vader = LEXICON_FEATURE_NAMES.index("vader_compound")
    text = "Vielen Dank für die schnelle Hilfe!"  # VADER alone reads "die" as negative
    assert lexicon_features([text], [code])[0, vader] == 0.0
    assert lexicon_features([text], ["en"])[0, vader] < 0
    assert lexicon_features(["Danke :)"], [code])[0, vader] > 0  # emoticons still count


def test_sentiment_languages_of_the_wrong_length_are_refused(model):
    from supportinsight.enrich.lexicon import lexicon_features

    with pytest.raises(ConfigError, match="2 languages for 3 texts"):
        model.predict_proba(["gut", "schlecht", "ok"], languages=["de", "de"])
    with pytest.raises(ValueError, match="1 languages for 2 texts"):
        lexicon_features(["gut", "bad"], ["de"])


def test_sentiment_step_reads_a_language_column_with_gaps_without_losing_rows():
    """A helpdesk's own language column may hold gaps and odd values: every row is still scored."""
    import supportinsight as si

    frame = pd.DataFrame({"text": ["Vielen Dank für die schnelle Hilfe!", "Still waiting, no reply 😡", "", "ok"],
                          "language": ["German", None, "de", float("nan")]})
    out = si.annotate(frame, disable=["language", "emoji", "intent", "journey"])
    assert len(out) == 4 and out["annotation_errors"].eq("").all()
    assert out["sentiment"].tolist()[:3] == ["positive", "negative", "neutral"]

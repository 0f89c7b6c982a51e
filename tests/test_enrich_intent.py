"""Intent classifier: shipped taxonomy, emoji evidence, estimator contract, save/load, pipeline step."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.validation import check_is_fitted

from supportinsight.enrich.embeddings import default_embedder
from supportinsight.enrich.intent import (
    IntentClassifier,
    IntentStep,
    cue_features,
    default_taxonomy,
    model_text,
)
from supportinsight.errors import ConfigError, LabelError, ModelError, NotFittedError
from supportinsight.pipeline import Pipeline

DATA = Path(__file__).parent / "data"


def _jsonl(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = _jsonl("intent_cases.jsonl")
PAIRS = _jsonl("intent_emoji_pairs.jsonl")
GOLDEN = _jsonl("intent_golden.jsonl")
TAXONOMY_IDS = sorted(i["id"] for i in default_taxonomy()["intents"])

# A small user taxonomy, written by hand: 6 examples per intent (few-shot).
FEW_SHOT = {
    "card_lost": ["I lost my card", "my card was stolen yesterday", "can't find my debit card anywhere",
                  "Karte verloren, was tun?", "someone stole my wallet with the card", "Meine Karte ist weg"],
    "top_up": ["how do I top up my account?", "add money to my balance", "top up with apple pay",
               "Wie lade ich Guthaben auf?", "can I top up by bank transfer", "Konto aufladen geht nicht"],
    "exchange_rate": ["what exchange rate do you use?", "euro to dollar rate today", "why was the rate so bad",
                      "Welcher Wechselkurs gilt?", "currency conversion fee and rate", "Umrechnungskurs zu schlecht"],
}
FEW_SHOT_TEXTS = [t for texts in FEW_SHOT.values() for t in texts]
FEW_SHOT_LABELS = [k for k, texts in FEW_SHOT.items() for _ in texts]


@pytest.fixture(scope="module")
def shipped() -> IntentClassifier:
    return IntentClassifier()


@pytest.fixture(scope="module")
def few_shot() -> IntentClassifier:
    return IntentClassifier(pretrained=None).fit(FEW_SHOT_TEXTS, FEW_SHOT_LABELS)


# -- the shipped default ------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['primary']}-{i}" for i, c in enumerate(CASES)])
def test_intent_shipped_model_cases(shipped, case):
    primary = shipped.predict([case["text"]])[0]
    assert primary == case["primary"], case["text"]


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['lang']}-{p['intent']}-{i}" for i, p in enumerate(PAIRS)])
def test_intent_emoji_moves_probability(shipped, pair):
    col = list(shipped.classes_).index(pair["intent"])
    with_emoji, without = shipped.predict_proba([pair["with"], pair["without"]])[:, col]
    assert with_emoji > without + 0.1, pair["why"]


def test_intent_golden_set_quality(shipped):
    """The hand-labelled real messages (twcs + GermEval): floors well below the measured values."""
    texts = [g["text"] for g in GOLDEN]
    primary, intents, conf = shipped.predict_all(texts)
    gold = [g["primary"] for g in GOLDEN]
    accuracy = float(np.mean(primary == np.array(gold, dtype=object)))
    assert len(GOLDEN) >= 150
    assert accuracy >= 0.62  # measured 0.686 (0.54 before 2026-12-06); majority class (complaint) gives 0.40
    assert {g["lang"] for g in GOLDEN} >= {"de", "en"}
    # every predicted list starts with the primary and only names known intents
    assert all(i[0] == p and set(i) <= set(TAXONOMY_IDS) for i, p in zip(intents, primary))
    assert np.all((conf > 0) & (conf <= 1))


@pytest.mark.parametrize("record", GOLDEN[:3] + GOLDEN[-3:], ids=lambda r: f"{r['source']}-{r['source_id'][-8:]}")
def test_intent_golden_records_are_well_formed(record):
    assert record["primary"] == record["intents"][0]
    assert set(record["intents"]) <= set(TAXONOMY_IDS)
    assert record["text"] and record["source"] in {"twcs", "germeval2017-dev"}


def test_intent_golden_set_never_in_training_examples():
    from supportinsight.train.intent import load_examples

    texts, _ = load_examples()
    seen = {model_text(t).lower() for t in texts}
    assert not [g["text"] for g in GOLDEN if model_text(g["text"]).lower() in seen]


def test_intent_default_construction_is_the_shipped_taxonomy(shipped):
    assert list(shipped.classes_) == TAXONOMY_IDS
    check_is_fitted(shipped)  # usable without fit
    assert IntentClassifier.default().classes_.tolist() == TAXONOMY_IDS
    proba = shipped.predict_proba(["Wo bleibt mein Paket?", "thanks!"])
    assert proba.shape == (2, len(TAXONOMY_IDS)) and np.allclose(proba.sum(axis=1), 1.0)


def test_intent_multi_label_lists_secondary_intents(shipped):
    intents = shipped.predict_intents(["Internet seit 4 Tagen weg 😡 ich kündige jetzt und wechsle zur Telekom!"],
                                      threshold=0.3)[0]
    assert {"churn_threat", "complaint"} <= set(intents)
    assert shipped.predict_intents(["Schönes Wetter heute ☀️"]) == [["other"]]


def test_intent_threshold_none_uses_the_models_own(shipped, few_shot):
    texts = ["Internet seit 4 Tagen weg 😡 ich kündige jetzt!", "charged twice, refund asap please 🙏",
             "my card was stolen, top up blocked"]
    assert shipped.threshold is None and IntentClassifier.default().threshold is not None
    own = IntentClassifier.default().threshold
    assert shipped.predict_intents(texts) == shipped.predict_intents(texts, threshold=own)
    assert IntentClassifier(threshold=0.9).predict_intents(texts) == shipped.predict_intents(texts, threshold=0.9)
    # a model fitted with threshold=None lists further intents from 0.5
    assert few_shot.predict_intents(texts) == few_shot.predict_intents(texts, threshold=0.5)


# -- emoji and punctuation cues -------------------------------------------------

def test_intent_cue_features_count_emoji_groups():
    from supportinsight.enrich.intent import CUE_NAMES

    names = list(CUE_NAMES)
    x = cue_features(["Danke 🙏🙏", "Wo ist mein Paket??", "Toll 🙄", "WTF 😡!!", "🙏🏽 bitte", ""])
    col = {n: names.index(n) for n in ("emoji_plea", "question_marks", "emoji_sarcasm", "emoji_anger",
                                        "exclamation_marks", "caps_words")}
    assert x[0, col["emoji_plea"]] == pytest.approx(np.log1p(2))
    assert x[1, col["question_marks"]] == pytest.approx(np.log1p(2))
    assert x[2, col["emoji_sarcasm"]] > 0 and x[2, col["emoji_anger"]] == 0
    assert x[3, col["emoji_anger"]] > 0 and x[3, col["exclamation_marks"]] > 0 and x[3, col["caps_words"]] > 0
    assert x[4, col["emoji_plea"]] > 0  # skin-tone variant falls back to the base emoji
    assert not x[5].any()


def test_intent_model_text_drops_handles_and_links():
    assert model_text(".@DB_Bahn @115911 Zug weg &amp; kein Bus https://t.co/x #fail") == "Zug weg & kein Bus #fail"


# -- estimator contract -----------------------------------------------------------

def test_intent_strict_estimator_raises_not_fitted():
    clf = IntentClassifier(pretrained=None)
    with pytest.raises(NotFittedError, match="fit"):
        clf.predict(["hallo"])
    with pytest.raises(AttributeError):
        clf.classes_  # noqa: B018


def test_intent_few_shot_fit_learns_user_taxonomy(few_shot):
    assert few_shot.classes_.tolist() == ["card_lost", "exchange_rate", "top_up"]
    assert not few_shot.multi_label_ and not few_shot.uses_ngrams_
    pred = few_shot.predict(["my card got stolen on the train", "Wie kann ich Geld aufladen?",
                             "what rate do you charge for dollars"])
    assert pred.tolist() == ["card_lost", "top_up", "exchange_rate"]


def test_intent_fit_replaces_shipped_model():
    clf = IntentClassifier()
    assert clf.fit(FEW_SHOT_TEXTS, FEW_SHOT_LABELS) is clf
    assert clf.classes_.tolist() == ["card_lost", "exchange_rate", "top_up"]


def test_intent_fit_multi_label_lists():
    texts = ["refund please, item broken 😡", "item broken again", "please refund me", "where is my refund?",
             "thanks a lot 🙏", "danke euch", "Erstattung bitte, Artikel kaputt", "Artikel kaputt 😡"]
    labels = [["refund", "broken"], ["broken"], ["refund"], ["refund"], ["thanks"], ["thanks"],
              ["refund", "broken"], ["broken"]]
    clf = IntentClassifier(pretrained=None, C=30.0, threshold=0.3).fit(texts, labels)
    assert clf.multi_label_ and clf.ovr_coef_.shape == clf.coef_.shape
    primary, intents, conf = clf.predict_all(["Rückerstattung bitte, Ding ist kaputt"])
    assert primary[0] in {"refund", "broken"} and len(intents[0]) >= 1 and 0 < conf[0] <= 1


@pytest.mark.parametrize("params, match", [
    ({"C": 0}, "C must be"),
    ({"cue_weight": -1}, "cue_weight"),
    ({"threshold": 1.5}, "threshold"),
    ({"ngrams": "sometimes"}, "ngrams"),
    ({"class_weight": "auto"}, "class_weight"),
    ({"pretrained": "large"}, "pretrained"),
])
def test_intent_bad_parameters_named(params, match):
    with pytest.raises(ConfigError, match=match):
        IntentClassifier(**{"pretrained": None, **params}).fit(FEW_SHOT_TEXTS, FEW_SHOT_LABELS)


@pytest.mark.parametrize("texts, labels, match", [
    (["a", "b"], ["x"], "2 texts but 1 labels"),
    (["a", "b"], ["x", "x"], "at least two"),
    (["a", "b"], ["x", ""], "row 1"),
    (["a", "  "], ["x", "y"], "empty"),
    (["a", "b", "c"], [["x", "z"], ["x"], ["y"]], "never occur as a primary"),
])
def test_intent_bad_labels_raise_label_error(texts, labels, match):
    with pytest.raises(LabelError, match=match):
        IntentClassifier(pretrained=None).fit(texts, labels)


def test_intent_params_roundtrip():
    clf = IntentClassifier(C=3.0)
    assert clf.get_params()["C"] == 3.0
    assert clf.set_params(threshold=0.4).threshold == 0.4
    with pytest.raises(ConfigError, match="no parameter"):
        clf.set_params(alpha=1)


def test_intent_rejects_single_string(shipped):
    with pytest.raises(ConfigError, match="list of strings"):
        shipped.predict("hallo")


# -- save / load ---------------------------------------------------------------------

def test_intent_save_load_roundtrip(tmp_path, few_shot):
    few_shot.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["intent_model.json", "intent_model.npz"]
    again = IntentClassifier.load(tmp_path / "m")
    texts = ["card stolen", "top up"]
    assert np.allclose(again.predict_proba(texts), few_shot.predict_proba(texts), atol=1e-5)


def test_intent_save_load_with_ngrams(tmp_path):
    clf = IntentClassifier(pretrained=None, ngrams=True).fit(FEW_SHOT_TEXTS, FEW_SHOT_LABELS)
    assert clf.uses_ngrams_
    again = IntentClassifier.load(clf.save(tmp_path))
    assert np.allclose(again.predict_proba(FEW_SHOT_TEXTS[:4]), clf.predict_proba(FEW_SHOT_TEXTS[:4]), atol=1e-5)


def test_intent_load_rejects_malformed_files(tmp_path, few_shot):
    with pytest.raises(ModelError, match="no intent model"):
        IntentClassifier.load(tmp_path)
    few_shot.save(tmp_path)
    meta_file = tmp_path / "intent_model.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))

    meta_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        IntentClassifier.load(tmp_path)

    meta_file.write_text(json.dumps({**meta, "format": "something-else"}), encoding="utf-8")
    with pytest.raises(ModelError, match="not an intent model"):
        IntentClassifier.load(tmp_path)

    meta_file.write_text(json.dumps({**meta, "classes": meta["classes"] + ["extra"]}), encoding="utf-8")
    with pytest.raises(ModelError, match="shape"):
        IntentClassifier.load(tmp_path)

    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "intent_model.npz").write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="unreadable"):
        IntentClassifier.load(tmp_path)


# -- pipeline step and speed ------------------------------------------------------------

def test_intent_step_assigns_columns():
    texts = ["Paket immer noch nicht da 😡", "Danke für die Hilfe 🙏", "Do you ship to Austria?"]
    frame = pd.DataFrame({"text": texts}, index=[10, 11, 12])
    out = Pipeline([IntentStep()])(frame)
    assert out.index.tolist() == [10, 11, 12]
    assert out["intent"].tolist() == ["complaint", "gratitude", "question"]
    assert all(isinstance(v, list) and v[0] == p for v, p in zip(out["intents"], out["intent"]))
    assert out["intent_confidence"].between(0, 1).all()
    assert "shipped" in IntentStep().version


def test_intent_step_with_user_classifier(few_shot):
    out = IntentStep(classifier=few_shot).apply(pd.DataFrame({"text": ["lost my card"], "body": [""]}))
    assert out["intent"].tolist() == ["card_lost"]
    with pytest.raises(ConfigError, match="IntentClassifier"):
        IntentStep(classifier="default")


def test_intent_predict_is_fast_after_embedding(shipped):
    # 200 distinct messages, 2,000 rows: the embedder cache answers repeats like another step's work would
    texts = [f"Bestellung {i % 200} ist nicht angekommen 😡 wo bleibt sie?" for i in range(2000)]
    default_embedder().encode([model_text(t) for t in texts])  # another step would have paid for these
    start = time.perf_counter()
    shipped.predict_all(texts)
    rate = len(texts) / (time.perf_counter() - start)
    assert rate >= 1000, f"{rate:.0f} messages/s"


# -- evaluation module ---------------------------------------------------------------------

def test_intent_evaluate_file_with_training_file(tmp_path):
    from supportinsight.evaluate.intent import evaluate_file

    pd.DataFrame({"msg": FEW_SHOT_TEXTS, "y": FEW_SHOT_LABELS}).to_csv(tmp_path / "train.csv", index=False)
    pd.DataFrame({"msg": ["my card is gone", "aufladen per Überweisung?", "dollar rate please"],
                  "y": ["card_lost", "top_up", "exchange_rate"]}).to_csv(tmp_path / "test.csv", index=False)
    result = evaluate_file(tmp_path / "test.csv", text_col="msg", label_col="y", train=tmp_path / "train.csv",
                           output=tmp_path / "m.json")
    assert result["n"] == 3 and 0.0 <= result["accuracy"] <= 1.0
    assert "precision" in result["report_text"]
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["n"] == 3


def test_intent_evaluate_file_multi_label_golden():
    from supportinsight.evaluate.intent import evaluate_file

    result = evaluate_file(DATA / "intent_golden.jsonl", text_col="text", label_col="intents")
    assert result["n"] == len(GOLDEN)
    per = result["all_intents"]["per_intent"]
    assert set(per) <= set(TAXONOMY_IDS) and per["complaint"]["support"] > 50
    assert 0.0 < result["all_intents"]["micro_f1"] <= 1.0


def test_intent_evaluate_file_names_missing_column(tmp_path):
    from supportinsight.errors import LoadError
    from supportinsight.evaluate.intent import evaluate_file

    pd.DataFrame({"text": ["a"], "label": ["x"]}).to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(LoadError, match="intent_label"):
        evaluate_file(tmp_path / "t.csv", text_col="text", label_col="intent_label")


def test_scoring_in_blocks_gives_the_same_probabilities(monkeypatch):
    # features are built block by block to bound memory; rows are scored independently
    from supportinsight.enrich import intent_heads

    texts = ["Paket immer noch nicht da 😡", "Danke, super Service!", "Wie kann ich kündigen?",
             "Where is my refund??", "I want to speak to a manager", "Paket immer noch nicht da 😡", ""]
    model = IntentClassifier()
    whole, whole_intents = model.predict_proba(texts), model.predict_intents(texts)
    monkeypatch.setattr(intent_heads, "SCORE_BLOCK", 2)
    assert np.allclose(model.predict_proba(texts), whole, atol=1e-6)
    assert model.predict_intents(texts) == whole_intents

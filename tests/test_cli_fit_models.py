"""`fit-sentiment` / `fit-intents`: --pipeline reaches the model, a worse adapted model is not saved
unless --force (tiny stand-in models and a stand-in cross-validation: no fitting, no fine-tuning)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import supportinsight.adapt.curve as curve
import supportinsight.enrich.intent as intent_module
import supportinsight.enrich.sentiment as sentiment_module
from supportinsight.cli import app

runner = CliRunner()


class TinyModel:
    """Records its constructor arguments and what it was fitted on; saves a marker file."""

    made: list[dict] = []

    def __init__(self, **params) -> None:
        self.params = params
        TinyModel.made.append(params)

    def fit(self, texts, labels):
        self.n_train_ = len(texts)
        return self

    def save(self, path):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "model.json").write_text(f'{{"pipeline": "{self.params.get("pipeline")}"}}', encoding="utf-8")
        return path


def _scores(before: float | None, after: float):
    rows = ([{"setting": "default", "size": 0, "micro_f1_mean": before, "micro_f1_std": 0.0,
              "macro_f1_mean": before, "macro_f1_std": 0.0, "folds": 3}] if before is not None else [])
    rows.append({"setting": "all", "size": 8, "micro_f1_mean": after, "micro_f1_std": 0.19,
                 "macro_f1_mean": after, "macro_f1_std": 0.1, "folds": 3})
    return pd.DataFrame(rows)


@pytest.fixture
def stand_ins(monkeypatch):
    calls: list[dict] = []
    scores = {"before": 0.80, "after": 0.90}

    def fake_cross_validate(texts, labels, *, task, folds, model_params=None, **_):
        calls.append({"task": task, "model_params": dict(model_params or {}), "n": len(texts)})
        return _scores(scores["before"], scores["after"])

    TinyModel.made = []
    monkeypatch.setattr(curve, "cross_validate", fake_cross_validate)
    monkeypatch.setattr(sentiment_module, "SentimentModel", TinyModel)
    monkeypatch.setattr(intent_module, "IntentClassifier", TinyModel)
    return calls, scores


def _sheet(tmp_path: Path, task: str = "sentiment") -> Path:
    if task == "sentiment":
        labels = ["negative", "positive", "neutral"] * 4
    else:
        labels = ["complaint", "question", "praise"] * 4
    texts = [f"Nachricht Nummer {i} über das Paket" for i in range(12)]
    path = tmp_path / f"{task}.csv"
    pd.DataFrame({"message_id": [f"m{i}" for i in range(12)], "text": texts, "label": labels}).to_csv(
        path, index=False)
    return path


@pytest.mark.parametrize("command,task", [("fit-sentiment", "sentiment"), ("fit-intents", "intent")])
@pytest.mark.parametrize("pipeline", ["fast", "accurate"])
def test_cli_fit_pipeline_reaches_the_model_and_the_cross_validation(stand_ins, tmp_path, command, task,
                                                                     pipeline):
    calls, _ = stand_ins
    out = tmp_path / "model"
    result = runner.invoke(app, [command, str(_sheet(tmp_path, task)), "-o", str(out), "--pipeline", pipeline])
    assert result.exit_code == 0, result.output
    assert TinyModel.made == [{"pipeline": pipeline}]
    assert calls[0]["model_params"] == {"pipeline": pipeline} and calls[0]["task"] == task
    assert pipeline in (out / "model.json").read_text(encoding="utf-8")
    assert f"-> {out}" in result.output


def test_cli_fit_pipeline_default_is_fast(stand_ins, tmp_path):
    result = runner.invoke(app, ["fit-sentiment", str(_sheet(tmp_path)), "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert TinyModel.made == [{"pipeline": "fast"}]


def test_cli_fit_rejects_an_unknown_pipeline(stand_ins, tmp_path):
    result = runner.invoke(app, ["fit-sentiment", str(_sheet(tmp_path)), "-o", str(tmp_path / "m"),
                                 "--pipeline", "turbo"])
    assert result.exit_code == 2 and "--pipeline must be fast or accurate" in result.output
    assert TinyModel.made == []


@pytest.mark.parametrize("command,task", [("fit-sentiment", "sentiment"), ("fit-intents", "intent")])
def test_cli_fit_keeps_the_shipped_model_when_adaptation_scores_below_it(stand_ins, tmp_path, command, task):
    _, scores = stand_ins
    scores.update(before=0.920, after=0.700)
    out = tmp_path / "model"
    result = runner.invoke(app, [command, str(_sheet(tmp_path, task)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: the adapted model scores below the shipped one (micro-F1 0.700 vs 0.920)" in result.output
    assert f"kept the shipped model: nothing was saved to {out}" in result.output and "--force" in result.output
    assert not out.exists() and TinyModel.made == []


def test_cli_fit_keeps_an_earlier_model_untouched_when_the_new_one_is_worse(stand_ins, tmp_path):
    _, scores = stand_ins
    scores.update(before=0.9, after=0.6)
    out = tmp_path / "model"
    out.mkdir()
    (out / "model.json").write_text("earlier round", encoding="utf-8")
    result = runner.invoke(app, ["fit-sentiment", str(_sheet(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "model.json").read_text(encoding="utf-8") == "earlier round"


def test_cli_fit_force_saves_the_worse_model_with_a_warning(stand_ins, tmp_path):
    _, scores = stand_ins
    scores.update(before=0.920, after=0.700)
    out = tmp_path / "model"
    result = runner.invoke(app, ["fit-sentiment", str(_sheet(tmp_path)), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert "warning: the adapted model scores below the shipped one" in result.output
    assert (out / "model.json").exists() and f"-> {out}" in result.output


def test_cli_fit_intents_without_a_before_row_saves(stand_ins, tmp_path, monkeypatch):
    monkeypatch.setattr(curve, "cross_validate", lambda *a, **k: _scores(None, 0.5))
    out = tmp_path / "model"
    result = runner.invoke(app, ["fit-intents", str(_sheet(tmp_path, "intent")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "no 'before' row" in result.output and (out / "model.json").exists()
    assert "warning" not in result.output


def test_adapt_cross_validate_accurate_compares_with_the_shipped_accurate_model(monkeypatch):
    made, predicted = [], []

    class Stub:
        def __init__(self, **params):
            made.append(params)

        def fit(self, texts, labels, features=None):
            assert features is None, "the accurate model reads texts, not fast-pipeline features"
            return self

        def predict(self, texts, features=None):
            predicted.append(features)
            return ["negative"] * len(texts)

    monkeypatch.setattr(sentiment_module, "SentimentModel", Stub)
    monkeypatch.setattr(sentiment_module, "sentiment_features",
                        lambda *a, **k: pytest.fail("no fast features for the accurate pipeline"))
    texts = [f"Text {i}" for i in range(8)]
    labels = ["negative", "positive"] * 4
    table = curve.cross_validate(texts, labels, task="sentiment", folds=2, model_params={"pipeline": "accurate"})
    assert list(table["setting"]) == ["default", "all"]
    assert made[0] == {"pipeline": "accurate"} and all(m == {"pipeline": "accurate"} for m in made)
    assert predicted and all(f is None for f in predicted)

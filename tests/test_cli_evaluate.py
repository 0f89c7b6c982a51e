"""`supportinsight evaluate`: user gold labels -> report + JSON; clear errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from supportinsight.cli import app
import supportinsight.cli.evaluate as evaluate_cli

runner = CliRunner()


@pytest.fixture(scope="module")
def gold_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "gold.csv"
    pd.DataFrame({
        "message": ["Paket immer noch nicht da 😡", "Danke!! 🙏😊", "Wo finde ich meine Rechnung?",
                    "Great service 🙄", "Thanks for the quick help", "When will my order ship?"],
        "gold": ["negative", "positive", "neutral", "negative", "positive", "neutral"],
    }).to_csv(path, index=False)
    return path


def test_cli_evaluate_sentiment_on_user_file_prints_report_and_writes_json(gold_csv, tmp_path):
    out = tmp_path / "metrics.json"
    result = runner.invoke(app, ["evaluate", "--task", "sentiment", "--data", str(gold_csv), "--text-col", "message",
                                 "--label-col", "gold", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "micro_f1=" in result.output and "precision" in result.output and "vader" in result.output
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert metrics["n"] == 6 and metrics["ours"]["n"] == 6
    assert metrics["ours"]["micro_f1"] >= 0.8
    assert "vader" in metrics and "with_emoji_or_emoticon" in metrics


def test_cli_evaluate_sentiment_train_split_then_saved_model(gold_csv, tmp_path):
    # a domain where shipping questions count as complaints: the adapted model must say so
    train = tmp_path / "train.csv"
    pd.DataFrame({"message": [f"Wann wird Bestellung {i} versendet?" for i in range(8)]
                  + [f"Danke für Auftrag {i} 🙏" for i in range(8)],
                  "gold": ["negative"] * 8 + ["positive"] * 8}).to_csv(train, index=False)
    dev = tmp_path / "dev.csv"
    pd.DataFrame({"message": ["Wann wird Bestellung 99 versendet?", "Danke für Auftrag 99 🙏"],
                  "gold": ["negative", "positive"]}).to_csv(dev, index=False)
    out = tmp_path / "m.json"
    args = ["evaluate", "--task", "sentiment", "--data", str(dev), "--text-col", "message", "--label-col", "gold"]
    result = runner.invoke(app, [*args, "--train", str(train), "-o", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert metrics["trained_on"] == str(train) and metrics["ours"]["micro_f1"] == 1.0
    from supportinsight.enrich.sentiment import SentimentModel

    SentimentModel().fit(["Wann wird Bestellung 1 versendet?", "Danke 🙏"], ["negative", "positive"]).save(
        tmp_path / "saved")
    result = runner.invoke(app, [*args, "--model", str(tmp_path / "saved")])
    assert result.exit_code == 0, result.output
    assert "adapted" in result.output
    result = runner.invoke(app, [*args, "--model", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "SentimentModel" in result.output


def test_cli_evaluate_missing_column_names_it(gold_csv):
    result = runner.invoke(app, ["evaluate", "--task", "sentiment", "--data", str(gold_csv), "--label-col", "nope",
                                 "--text-col", "message"])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_cli_evaluate_bad_label_names_row(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"text": ["gut", "schlecht"], "label": ["positive", "mixed"]}).to_csv(path, index=False)
    result = runner.invoke(app, ["evaluate", "--task", "sentiment", "--data", str(path)])
    assert result.exit_code == 2
    assert "row 3" in result.output and "mixed" in result.output


@pytest.mark.parametrize("args, message", [
    (["--task", "sentiment"], "either --data"),
    (["--task", "nonsense", "--data", "x.csv"], "--task must be one of"),
    (["--task", "journey", "--data", "x.csv", "--model", "m"], "--model and --train need"),
    (["--task", "sentiment", "--data", "x.csv", "--model", "m", "--train", "t.csv"], "either --model or --train"),
])
def test_cli_evaluate_argument_errors(args, message):
    result = runner.invoke(app, ["evaluate", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_evaluate_task_without_module_gives_clear_error(monkeypatch, gold_csv):
    monkeypatch.setattr(evaluate_cli, "TASKS", evaluate_cli.TASKS + ("nosuchtask",))
    result = runner.invoke(app, ["evaluate", "--task", "nosuchtask", "--data", str(gold_csv)])
    assert result.exit_code == 2
    assert "no evaluation is available for task 'nosuchtask'" in result.output


def test_cli_evaluate_render_formats_nested_metrics():
    lines = evaluate_cli.render({"n": 3, "ours": {"n": 3, "accuracy": 0.5, "micro_f1": 0.5, "report_text": "R"},
                                 "note": "x"})
    assert lines[0] == "n: 3" or "ours:" in lines
    assert any("micro_f1=0.500" in ln for ln in lines)

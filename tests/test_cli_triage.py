"""`supportinsight triage annotated.parquet -o tags.csv`: exit codes, output, formula-safe CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from supportinsight.cli import app

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def annotated_parquet(tmp_path_factory) -> Path:
    frame = pd.read_json(DATA / "escalation_conversations.jsonl", lines=True, dtype={"extra_ticket_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    path = tmp_path_factory.mktemp("triage") / "annotated.parquet"
    frame.to_parquet(path, index=False)
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["triage", *args])


def test_cli_triage_writes_csv_and_prints_priority_counts(annotated_parquet, tmp_path):
    out = tmp_path / "tags.csv"
    result = run(str(annotated_parquet), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "triaged 7 conversations" in result.output
    assert "P1: 2  P2: 3  P3: 0  P4: 2" in result.output
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["conversation_id"] for r in rows][:2] == ["c2", "c3"]
    by_id = {r["conversation_id"]: r for r in rows}
    assert by_id["c5"]["ticket_id"] == "'+1", "formula-like ticket ids are neutralised"
    assert by_id["c5"]["summary"].startswith("'-2")
    assert "1234567" not in by_id["c1"]["summary"], "summaries are PII-redacted"
    assert "si:signal:channel_switch" in by_id["c2"]["tags"].split(";")


def test_cli_triage_queue_file(annotated_parquet, tmp_path):
    queues = tmp_path / "queues.yaml"
    queues.write_text("delivery: parcel_team\n", "utf-8")
    out = tmp_path / "tags.csv"
    result = run(str(annotated_parquet), "-o", str(out), "--queues", str(queues), "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    frame = pd.read_csv(out).set_index("conversation_id")
    assert frame.loc["c2", "queue"] == "parcel_team"
    assert frame.loc["c4", "queue"] == "it_app", "other touchpoints keep the taxonomy's owner queue"


@pytest.mark.parametrize("make_args, code, message", [
    (lambda d, p: [str(d / "missing.parquet"), "-o", str(d / "t.csv")], 2, "does not exist"),
    (lambda d, p: [str(p)], 1, "no output given"),
    (lambda d, p: [str(p), "-o", str(d / "t.csv"), "--queues", str(d / "nope.yaml")], 2, "nope.yaml"),
    (lambda d, p: [str(d / "not_parquet.parquet"), "-o", str(d / "t.csv")], 2, "not a readable Parquet"),
])
def test_cli_triage_failures_exit_nonzero_with_one_line(annotated_parquet, tmp_path, make_args, code, message):
    (tmp_path / "not_parquet.parquet").write_text("hello", "utf-8")
    result = run(*make_args(tmp_path, annotated_parquet))
    assert result.exit_code == code
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], result.output

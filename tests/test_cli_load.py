"""`supportinsight load` / `convert`: Parquet out, quarantine CSV beside it, exit codes."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from supportinsight.cli import app

runner = CliRunner()


def test_cli_load_writes_parquet_and_quarantine(tmp_path, samples_dir):
    out = tmp_path / "msgs.parquet"
    result = runner.invoke(app, ["load", str(samples_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert len(frame) == 355
    assert "chat" in result.output and "quarantined 12 rows" in result.output
    quarantine = pd.read_csv(tmp_path / "msgs.quarantine.csv", encoding="utf-8-sig")
    assert len(quarantine) == 12 and set(quarantine.columns) >= {"source", "reason", "raw"}


def test_cli_load_strict_exits_3_and_convert_alias(tmp_path):
    src = tmp_path / "chat.txt"
    src.write_text('=HYPERLINK("http://x")\n[2024-03-01 10:02] Kunde: hallo\n', encoding="utf-8")
    out = tmp_path / "o.parquet"
    result = runner.invoke(app, ["convert", str(src), "-o", str(out), "--strict"])
    assert result.exit_code == 3
    assert len(pd.read_parquet(out)) == 1
    raw = (tmp_path / "o.quarantine.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw  # formula injection neutralised


def test_cli_load_failures_are_one_line(tmp_path):
    result = runner.invoke(app, ["load", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    src = tmp_path / "t.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(src), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 2 and "mapping" in result.output
    mapping = tmp_path / "m.json"
    mapping.write_text('{"text": "b"}', encoding="utf-8")
    result = runner.invoke(app, ["load", str(src), "-o", str(tmp_path / "o.parquet"), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["load", str(src), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and ".parquet" in result.output

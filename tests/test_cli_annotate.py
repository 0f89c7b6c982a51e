"""`supportinsight annotate` and `demo`: outputs, counts, exit codes (real models, so marked slow)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from supportinsight.cli import app
from supportinsight.store import read_annotated

pytestmark = pytest.mark.slow
runner = CliRunner()


def _export(tmp_path: Path) -> Path:
    rows = []
    for conv in range(20):
        rows.append({"Ticket": conv, "Nachricht": f"Mein Paket {conv} ist immer noch nicht da 😡 Bestellung 4711{conv}",
                     "Rolle": "Kunde", "Datum": f"0{1 + conv % 8}.03.2024 10:0{conv % 10}"})
        rows.append({"Ticket": conv, "Nachricht": "Das tut uns leid, wir prüfen das.", "Rolle": "Agent",
                     "Datum": f"0{1 + conv % 8}.03.2024 11:00"})
    path = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(path, sep=";", index=False, encoding="cp1252", errors="replace")
    with open(path, "a", encoding="cp1252") as fh:
        fh.write("99;;Kunde;01.03.2024\n")  # empty message text: quarantined, not lost
    return path


@pytest.mark.parametrize("stream", [False, True])
def test_cli_annotate_writes_parquet_and_quarantine(tmp_path: Path, stream: bool):
    src = _export(tmp_path)
    out = tmp_path / "annotated.parquet"
    args = ["annotate", str(src), "-o", str(out), "--no-topics"] + (["--stream", "--chunk-size", "7"] if stream else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "annotated 40 messages, quarantined 1 rows" in result.output
    frame = read_annotated(out)
    assert len(frame) == 40
    assert {"sentiment", "intent", "touchpoint", "journey_phase", "language"} <= set(frame.columns)
    # PII (the order number) is redacted in the shared Parquet unless --keep-raw-text
    assert not frame["text"].str.contains("4711").any()
    assert (tmp_path / "annotated.quarantine.csv").read_text(encoding="utf-8-sig").count("export.csv:") == 1


def test_cli_annotate_strict_exits_3_when_rows_quarantined(tmp_path: Path):
    result = runner.invoke(app, ["annotate", str(_export(tmp_path)), "-o", str(tmp_path / "a.parquet"),
                                 "--no-topics", "--strict", "-q"])
    assert result.exit_code == 3


def test_cli_annotate_missing_input_is_one_line_error(tmp_path: Path):
    result = runner.invoke(app, ["annotate", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "a.parquet")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_cli_annotate_needs_output(tmp_path: Path):
    result = runner.invoke(app, ["annotate", str(_export(tmp_path))])
    assert result.exit_code == 1 and "no output given" in result.output


def test_cli_demo_writes_report(tmp_path: Path, samples_dir: Path):
    result = runner.invoke(app, ["demo", "--samples", str(samples_dir), "--out", str(tmp_path / "demo"),
                                 "--no-topics"])
    assert result.exit_code == 0, result.output
    assert "top pain points:" in result.output
    assert "(12 rows quarantined; 4 rows loaded with a note (column load_warnings))" in result.output
    html = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    assert "<html" in html and "plotly" in html
    assert (tmp_path / "demo" / "triage.csv").exists() and (tmp_path / "demo" / "summary.md").exists()


def test_cli_version():
    from supportinsight import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output

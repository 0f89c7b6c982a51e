"""`supportinsight report`: Parquet in, HTML (and Markdown) out, errors as exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from report_sample import build_annotated
from supportinsight.cli import app
from supportinsight.store import write_annotated

runner = CliRunner()


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "annotated.parquet"
    write_annotated(build_annotated(), path)
    return path


def test_cli_report_writes_html_and_markdown(parquet, tmp_path):
    html, md = tmp_path / "out" / "report.html", tmp_path / "summary.md"
    result = runner.invoke(app, ["report", str(parquet), "-o", str(html), "--md", str(md), "--lang", "de",
                                 "--period", "M"])
    assert result.exit_code == 0, result.output
    assert "pain points" in result.output
    text = html.read_text(encoding="utf-8")
    assert '<html lang="de">' in text and "Vormonat" in text
    # Provenance and quarantine count survive the Parquet round trip.
    assert "support-intents-v1" in text
    assert '<dd id="si-quarantine">3</dd>' in text
    assert md.read_text(encoding="utf-8").startswith("# Customer-Journey-Bericht")


def test_cli_report_counts_quarantine_csv(parquet, tmp_path):
    q = tmp_path / "q.csv"
    q.write_text("source,reason\na.csv:2,bad date\na.csv:3,empty text\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(parquet), "-o", str(out), "--quarantine", str(q), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert '<dd id="si-quarantine">2</dd>' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args,message", [
    (["--lang", "fr"], "--lang must be de or en"),
    (["--period", "Y"], "--period must be W or M"),
])
def test_cli_report_rejects_bad_options(parquet, tmp_path, args, message):
    result = runner.invoke(app, ["report", str(parquet), "-o", str(tmp_path / "r.html"), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_report_missing_input(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path / "nope.parquet"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not (tmp_path / "r.html").exists()


def test_cli_report_needs_output(parquet):
    result = runner.invoke(app, ["report", str(parquet)])
    assert result.exit_code == 1
    assert "-o report.html" in result.output

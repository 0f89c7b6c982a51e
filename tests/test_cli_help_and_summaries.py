"""The command line as a new user reads it: --help without Python types, summaries that name
rows loaded with a note."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from supportinsight.cli import COMMAND_MODULES, app

runner = CliRunner()
COMMANDS = ["load", "convert", "annotate", "evaluate", "report", "triage", "label", "fit-sentiment",
            "fit-intents", "learning-curve", "demo"]


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "160", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_cli_help_shows_no_python_types_and_no_values_for_flags(command):
    text = _help(*([command] if command else []))
    assert "<bool>" not in text
    assert "list[" not in text and "Path]" not in text


def test_cli_help_shows_item_types_for_lists():
    load = _help("load")
    assert "<path>..." in load  # several inputs
    label = _help("label")
    exclude = next(line for line in label.splitlines() if "--exclude" in line)
    assert "<path>" in exclude and "<path>..." not in exclude  # a repeatable option takes one path each time
    annotate = _help("annotate")
    assert "<int>" in next(line for line in annotate.splitlines() if "--chunk-size" in line)
    assert "--quiet" in annotate and "<bool>" not in annotate


def test_cli_every_command_module_registers_readable_commands():
    from supportinsight.cli import ReadableCommand

    assert set(COMMAND_MODULES) <= {"load", "annotate", "evaluate", "report", "triage", "label", "journey", "demo"}
    assert all(info.cls is ReadableCommand for info in app.registered_commands)


def test_cli_load_summary_names_rows_loaded_with_a_note(tmp_path, samples_dir):
    out = tmp_path / "m.parquet"
    result = runner.invoke(app, ["load", str(samples_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "quarantined 12 rows" in result.output
    assert "; 4 rows loaded with a note (column load_warnings)" in result.output


def test_cli_load_summary_without_notes_says_nothing_about_them(tmp_path):
    src = tmp_path / "chat.txt"
    src.write_text("[2024-03-01 10:02] Kunde: Hallo, wo ist mein Paket?\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(src), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 0, result.output
    assert "quarantined 0 rows" in result.output and "load_warnings" not in result.output


def test_cli_load_summary_counts_a_single_note(tmp_path):
    src = tmp_path / "chat.txt"
    src.write_text("[2024-03-01 10:02] Kunde: Hallo\n[2024-03-32 10:05] Kunde: Paket fehlt\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(src), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 0, result.output
    assert "; 1 row loaded with a note (column load_warnings)" in result.output

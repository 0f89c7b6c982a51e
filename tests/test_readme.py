"""The README's snippets run as pasted: its Python blocks are executed (slow: real models), the
files its commands read exist, and every command and option it shows is one the CLI has."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from supportinsight.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)
PYTHON = [code for lang, code in BLOCKS if lang == "python"]
BASH = [code for lang, code in BLOCKS if lang == "bash"]
runner = CliRunner()


def _commands() -> list[list[str]]:
    """Every `supportinsight ...` line of the bash blocks, split like a shell (comments dropped)."""
    variables: dict[str, str] = {}
    out = []
    for block in BASH:
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            assignment = re.match(r'^(\w+)="([^"]*)"$', line)
            if assignment:
                variables[assignment.group(1)] = assignment.group(2)
                continue
            if line.startswith("supportinsight"):
                for name, value in variables.items():
                    line = line.replace(f"${name}", value)
                out.append(shlex.split(line)[1:])
    return out


def _input_paths() -> set[str]:
    """Paths the snippets read from the repository (outputs go to out/)."""
    text = "\n".join(code for _, code in BLOCKS)
    found = set(re.findall(r"(?<![\w/.])((?:data|tests|src|docs|notebooks)/[\w./-]*)", text))
    return {p.rstrip(".,") for p in found}


def test_readme_has_python_and_bash_snippets():
    assert len(PYTHON) >= 3 and len(BASH) >= 3


def test_readme_snippets_read_only_files_that_exist():
    paths = _input_paths()
    assert "data/samples/" in paths
    missing = sorted(p for p in paths if not (REPO / p).exists())
    assert missing == []


def test_readme_snippets_write_only_under_out():
    text = "\n".join(code for _, code in BLOCKS)
    written = re.findall(r"(?:-o|--md|--output)\s+(\S+)", text) + re.findall(r'(?:report|save)\("([^"]+)"', text)
    written += re.findall(r'md="([^"]+)"', text)
    assert written and all(w.startswith("out/") or w.startswith("$") for w in written), written


def test_readme_python_snippets_compile():
    for code in PYTHON:
        compile(code, "README.md", "exec")


@pytest.mark.parametrize("args", _commands(), ids=lambda a: " ".join(a[:2]))
def test_readme_commands_and_options_exist(args):
    if args == ["--help"]:
        return
    command = args[0]
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, f"`supportinsight {command}` is no command: {result.output}"
    for option in (a for a in args[1:] if a.startswith("--")):
        assert option in result.output, f"`supportinsight {command}` has no option {option}"


def test_readme_config_job_is_valid():
    from supportinsight.config import load_config

    cfg = load_config(REPO / "docs" / "job.toml")
    assert cfg.output.report and cfg.output.markdown and cfg.output.triage
    assert Path(cfg.input.paths[0]).resolve() == (REPO / "data" / "samples").resolve()


@pytest.mark.slow
def test_readme_python_snippets_run_as_pasted(tmp_path, monkeypatch):
    # the snippets use paths relative to the repository root; run them in a copy of its layout
    for name in ("data", "src", "tests", "docs"):
        os.symlink(REPO / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for code in PYTHON:
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README is ours
    assert (tmp_path / "out" / "report.html").exists() and (tmp_path / "out" / "summary.md").exists()
    assert (tmp_path / "out" / "models" / "intent").is_dir()
    assert "intent" in namespace["annotated"].columns and len(namespace["annotated"]) == 355

"""One TOML file drives the whole batch job: annotate writes the Parquet, the report, the Markdown
summary and the triage CSV; `report` and `triage` read the same file; no key does nothing."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import supportinsight.config as config_module
import supportinsight.jobs as jobs_module
import supportinsight.pipeline as pipeline_module
from report_sample import build_annotated
from supportinsight.cli import app
from supportinsight.store import read_annotated, write_annotated

runner = CliRunner()
CLI = Path(config_module.__file__).parent / "cli"

JOB = """
[input]
paths = ["export.csv"]

[models]
taxonomy = "default"

[annotate]
topics = false

[output]
annotated = "out/annotated.parquet"
report = "out/report.html"
markdown = "out/summary.md"
triage = "out/triage.csv"

[report]
lang = "de"
period = "M"
"""


def _export(folder: Path) -> Path:
    rows = [{"Ticket": i, "Nachricht": f"Mein Paket {i} ist immer noch nicht da", "Rolle": "Kunde",
             "Datum": f"0{1 + i % 8}.03.2024 10:00"} for i in range(6)]
    path = folder / "export.csv"
    pd.DataFrame(rows).to_csv(path, sep=";", index=False)
    return path


@pytest.fixture
def job(tmp_path, monkeypatch) -> Path:
    """A job file next to a small export; the models are replaced by a hand-annotated frame."""
    _export(tmp_path)
    (tmp_path / "job.toml").write_text(JOB, encoding="utf-8")
    monkeypatch.setattr(jobs_module, "build_pipeline", lambda cfg, **kw: None)
    monkeypatch.setattr(pipeline_module, "annotate", lambda frame, **kw: build_annotated())
    return tmp_path / "job.toml"


def test_cli_config_annotate_runs_the_whole_batch_job(job):
    result = runner.invoke(app, ["annotate", "--config", str(job)])
    assert result.exit_code == 0, result.output
    out = job.parent / "out"
    assert len(read_annotated(out / "annotated.parquet")) == len(build_annotated())
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in html and "Vormonat" in html  # [report] lang = "de", period = "M"
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# Customer-Journey-Bericht")
    triage = pd.read_csv(out / "triage.csv")
    assert {"conversation_id", "priority", "queue", "tags"} <= set(triage.columns)
    assert f"-> {out / 'report.html'}" in result.output and f"summary -> {out / 'summary.md'}" in result.output
    assert f"triaged {len(triage)} conversations" in result.output


def test_cli_config_annotate_writes_only_the_outputs_that_are_set(job):
    job.write_text(JOB.replace('report = "out/report.html"\n', "").replace('triage = "out/triage.csv"\n', ""),
                   encoding="utf-8")
    result = runner.invoke(app, ["annotate", "--config", str(job), "-q"])
    assert result.exit_code == 0, result.output
    out = job.parent / "out"
    assert (out / "summary.md").exists() and (out / "annotated.parquet").exists()
    assert not (out / "report.html").exists() and not (out / "triage.csv").exists()
    assert result.output == ""


def test_cli_config_report_and_triage_read_the_same_file(job):
    out = job.parent / "out"
    write_annotated(build_annotated(), out / "annotated.parquet")
    result = runner.invoke(app, ["report", "--config", str(job)])
    assert result.exit_code == 0, result.output
    assert '<html lang="de">' in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "summary.md").exists()
    # the command line overrides the file
    result = runner.invoke(app, ["report", "--config", str(job), "--lang", "en", "-o", str(out / "en.html")])
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' in (out / "en.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["triage", "--config", str(job)])
    assert result.exit_code == 0, result.output
    assert (out / "triage.csv").exists() and "triaged" in result.output


def test_cli_config_report_without_outputs_names_the_keys(tmp_path):
    (tmp_path / "job.toml").write_text('[report]\nlang = "de"\n', encoding="utf-8")
    result = runner.invoke(app, ["report", "--config", str(tmp_path / "job.toml")])
    assert result.exit_code == 1 and "[output] annotated" in result.output
    result = runner.invoke(app, ["triage", str(tmp_path / "a.parquet"), "--config", str(tmp_path / "job.toml")])
    assert result.exit_code == 1 and "[output] triage" in result.output


def test_cli_config_unknown_key_is_an_error_in_report_and_triage(tmp_path):
    (tmp_path / "job.toml").write_text('[report]\nlanguage = "de"\n', encoding="utf-8")
    for command in ("report", "triage", "annotate"):
        result = runner.invoke(app, [command, "--config", str(tmp_path / "job.toml")])
        assert result.exit_code == 2, (command, result.output)
        assert "unknown key report.language" in result.output


def test_cli_config_topics_key_with_stream_is_an_error(job):
    job.write_text(JOB.replace("topics = false", "topics = true"), encoding="utf-8")
    result = runner.invoke(app, ["annotate", "--config", str(job), "--stream"])
    assert result.exit_code == 2
    assert "annotate.topics = true cannot be used with --stream" in result.output


def test_config_every_key_is_read_by_a_command():
    """A documented key that no command reads would do nothing: every field must be used."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CLI.glob("*.py")))
    sources += Path(jobs_module.__file__).read_text(encoding="utf-8").split("def build_pipeline", 1)[1]
    unused = []
    for section, cls in config_module._SECTIONS.items():
        for f in fields(cls):
            if not re.search(rf"\b(cfg|out)\.{section}\.{f.name}\b|\bout\.{f.name}\b"
                             if section == "output" else rf"\bcfg\.{section}\.{f.name}\b|\bth\.{f.name}\b",
                             sources):
                unused.append(f"{section}.{f.name}")
    assert unused == []


def test_config_docstring_example_is_a_valid_job(tmp_path):
    doc = config_module.__doc__
    example = doc.split("Example ``supportinsight.toml``::", 1)[1].split("Relative paths", 1)[0]
    text = "\n".join(line[4:] for line in example.splitlines())
    (tmp_path / "job.toml").write_text(text, encoding="utf-8")
    cfg = config_module.load_config(tmp_path / "job.toml")
    documented = {(section, key) for section, cls in config_module._SECTIONS.items() for key in
                  (f.name for f in fields(cls))}
    written = set(re.findall(r"^\[(\w+)\]", text, re.M))
    assert written == set(config_module._SECTIONS)
    keys = {(section, key) for section in written for key in
            re.findall(r"^(\w+) =", text.split(f"[{section}]", 1)[1].split("\n[", 1)[0], re.M)}
    assert keys == documented, "the example documents every key"
    assert cfg.output.report.endswith("out/report.html") and cfg.report.lang == "de"


@pytest.mark.slow
def test_cli_config_whole_batch_job_with_the_real_models(tmp_path, samples_dir):
    job = tmp_path / "job.toml"
    job.write_text(JOB.replace('paths = ["export.csv"]',
                               f'paths = ["{(samples_dir / "social_posts.jsonl").as_posix()}"]'), encoding="utf-8")
    result = runner.invoke(app, ["annotate", "--config", str(job)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert len(read_annotated(out / "annotated.parquet")) == 19
    assert "Noch hat kein Journey-Bereich 5 oder mehr Kundennachrichten" in (out / "summary.md").read_text(
        encoding="utf-8")
    assert (out / "report.html").exists() and len(pd.read_csv(out / "triage.csv")) == 14


def test_cli_config_stream_writes_the_job_outputs_from_the_parquet(job, monkeypatch):
    import supportinsight.scale.stream as stream_module

    def fake_stream(frames, **kw):
        for _ in frames:
            pass
        yield build_annotated()

    monkeypatch.setattr(stream_module, "annotate_stream", fake_stream)
    result = runner.invoke(app, ["annotate", "--config", str(job), "--stream"])
    assert result.exit_code == 0, result.output
    out = job.parent / "out"
    assert "streamed" in result.output
    assert (out / "report.html").exists() and (out / "summary.md").exists() and (out / "triage.csv").exists()

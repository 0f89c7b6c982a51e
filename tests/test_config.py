"""Batch settings from TOML: defaults, relative paths, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportinsight.config import Config, load_config
from supportinsight.errors import ConfigError


def test_config_reads_sections_and_resolves_paths(tmp_path: Path):
    cfg_file = tmp_path / "job.toml"
    cfg_file.write_text(
        '[input]\npaths = ["exports"]\n[models]\nsentiment = "m/sent"\ntaxonomy = "six_phase"\n'
        '[annotate]\ntopics = true\nchunk_size = 500\n[output]\nannotated = "out/a.parquet"\n'
        '[report]\nlang = "de"\nperiod = "M"\n', encoding="utf-8")
    cfg = load_config(cfg_file)
    assert cfg.input.paths == (str(tmp_path / "exports"),)
    assert cfg.models.sentiment == str(tmp_path / "m/sent")
    assert cfg.models.taxonomy == "six_phase"
    assert cfg.annotate.topics is True and cfg.annotate.chunk_size == 500
    assert cfg.output.annotated == str(tmp_path / "out/a.parquet")
    assert cfg.report.lang == "de" and cfg.report.period == "M"


def test_config_defaults_when_empty(tmp_path: Path):
    (tmp_path / "c.toml").write_text("", encoding="utf-8")
    assert load_config(tmp_path / "c.toml") == Config()


@pytest.mark.parametrize("text, message", [
    ("[inputs]\n", "unknown section"),
    ("[input]\npath = 'x'\n", "unknown key input.path"),
    ("[report]\nlang = 'fr'\n", "report.lang"),
    ("[annotate]\nchunk_size = 0\n", "chunk_size"),
    ("[input\n", "not valid TOML"),
])
def test_config_errors_name_the_key(tmp_path: Path, text: str, message: str):
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "c.toml")


def test_config_missing_file():
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("/nonexistent/job.toml")


def test_config_thresholds_and_languages_reach_the_pipeline(tmp_path: Path):
    from supportinsight.config import build_pipeline

    (tmp_path / "c.toml").write_text('[annotate]\nlanguages = ["de"]\ndisable = ["emoji"]\n'
                                     '[thresholds]\nlanguage = 0.8\nintent = 0.4\nmapping = 0.5\n', encoding="utf-8")
    cfg = load_config(tmp_path / "c.toml")
    pipe = build_pipeline(cfg)
    steps = {s.name: s for s in pipe.steps}
    assert "emoji" not in steps
    assert steps["language"].languages == ("de",) and steps["language"].threshold == 0.8
    assert steps["intent"].classifier.threshold == 0.4
    assert steps["journey"].mapper.threshold == 0.5


def test_config_threshold_out_of_range(tmp_path: Path):
    (tmp_path / "c.toml").write_text("[thresholds]\nmapping = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="thresholds.mapping"):
        load_config(tmp_path / "c.toml")

"""Settings for batch jobs, read from a TOML file.

One file describes the whole job: ``supportinsight annotate --config job.toml``
loads ``[input]``, annotates, writes ``[output] annotated`` and then, when they are
set, the report, the Markdown summary and the triage CSV (``[output] report``,
``markdown``, ``triage`` with ``[report] lang``/``period``), all in one run.
``supportinsight report --config job.toml`` and ``supportinsight triage --config job.toml``
read the same file to redo one step from the Parquet. Command-line options override
the file. Every key below is read by one of these commands; a key the file does not
know, or one a run would ignore (``annotate.topics = true`` with ``--stream``), is an
error naming the key.

Example ``supportinsight.toml``::

    [input]
    paths = ["exports/"]          # files or folders
    format = "auto"
    mapping = "mapping.yaml"      # optional column mapping for generic exports

    [models]
    sentiment = "models/sentiment"   # folder written by SentimentModel.save / fit-sentiment
    intent = "models/intent"         # folder written by IntentClassifier.save / fit-intents
    journey = "models/journey"       # folder written by JourneyMapper.save / fit-journey (replaces taxonomy)
    taxonomy = "default"             # "default", "six_phase" or a YAML file

    [annotate]
    pipeline = "fast"                # "fast" (USE v3) or "accurate" (fine-tuned multilingual-e5-small)
    device = "auto"                  # where the accurate encoder runs: "auto" (a GPU when present), "cpu", "cuda"
    topics = true
    chunk_size = 2000
    keep_raw_text = false            # Parquet keeps PII-redacted text unless true
    languages = ["de", "en"]         # languages told apart; others come out as "und" unless clear
    disable = []                     # step names to skip, e.g. ["journey"]

    [thresholds]
    language = 0.6                   # below this confidence the language is "und"
    intent = 0.3                     # further intents above this probability go into `intents` (default: the model's own)
    mapping = 0.45                   # below this confidence the touchpoint is "unknown" (default: the mapper's own)

    [output]
    annotated = "out/annotated.parquet"
    report = "out/report.html"       # written by annotate (and report) from the Parquet
    markdown = "out/summary.md"
    triage = "out/triage.csv"        # written by annotate (and triage) from the Parquet

    [report]
    lang = "de"                      # "de" or "en"
    period = "W"                     # "W" (weeks) or "M" (months)

Relative paths are taken relative to the TOML file's folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Config", "InputConfig", "ModelConfig", "AnnotateConfig", "ThresholdConfig", "OutputConfig",
           "ReportConfig", "load_config", "build_pipeline"]


@dataclass(frozen=True)
class InputConfig:
    paths: tuple[str, ...] = ()
    format: str = "auto"
    mapping: str | dict[str, Any] | None = None


@dataclass(frozen=True)
class ModelConfig:
    sentiment: str | None = None
    intent: str | None = None
    journey: str | None = None
    taxonomy: str = "default"


@dataclass(frozen=True)
class AnnotateConfig:
    pipeline: str = "fast"
    device: str = "auto"
    topics: bool = False
    chunk_size: int = 2000
    keep_raw_text: bool = False
    disable: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("de", "en")


@dataclass(frozen=True)
class ThresholdConfig:
    language: float = 0.6
    intent: float | None = None      # None: the intent model's own (0.3 for the shipped ones)
    mapping: float | None = None     # None: the journey mapper's own (chosen on labelled data)


@dataclass(frozen=True)
class OutputConfig:
    annotated: str | None = None
    report: str | None = None
    markdown: str | None = None
    triage: str | None = None


@dataclass(frozen=True)
class ReportConfig:
    lang: str = "en"
    period: str = "W"


@dataclass(frozen=True)
class Config:
    input: InputConfig = field(default_factory=InputConfig)
    models: ModelConfig = field(default_factory=ModelConfig)
    annotate: AnnotateConfig = field(default_factory=AnnotateConfig)
    thresholds: ThresholdConfig = field(default_factory=ThresholdConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    report: ReportConfig = field(default_factory=ReportConfig)


_SECTIONS = {"input": InputConfig, "models": ModelConfig, "annotate": AnnotateConfig,
             "thresholds": ThresholdConfig, "output": OutputConfig, "report": ReportConfig}
_PATH_KEYS = {("input", "paths"), ("input", "mapping"), ("models", "sentiment"), ("models", "intent"),
              ("models", "journey"),
              ("models", "taxonomy"), ("output", "annotated"), ("output", "report"), ("output", "markdown"),
              ("output", "triage")}


def _resolve(base: Path, value: str) -> str:
    if value in {"default", "six_phase"}:
        return value
    p = Path(value).expanduser()
    # normpath: "../out/report.html" next to docs/job.toml reads out/report.html, not docs/../out/...
    return os.path.normpath(p if p.is_absolute() else (base / p))


def load_config(path: str | Path) -> Config:
    """Read and check a TOML settings file; raise :class:`ConfigError` naming the key and the fix."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    base = path.resolve().parent
    sections: dict[str, Any] = {}
    for name, value in raw.items():
        cls = _SECTIONS.get(name)
        if cls is None:
            raise ConfigError(f"{path}: unknown section [{name}]; allowed sections are {sorted(_SECTIONS)}")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        allowed = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            if key not in allowed:
                raise ConfigError(f"{path}: unknown key {name}.{key}; allowed keys are {sorted(allowed)}")
            if (name, key) in _PATH_KEYS and isinstance(item, str):
                item = _resolve(base, item)
            if (name, key) == ("input", "paths"):
                if isinstance(item, str):
                    item = [_resolve(base, item)]
                if not isinstance(item, list) or not all(isinstance(p, str) for p in item):
                    raise ConfigError(f"{path}: input.paths must be a list of file or folder paths")
                item = tuple(_resolve(base, p) for p in item)
            if (name, key) in {("annotate", "disable"), ("annotate", "languages")}:
                if not isinstance(item, list) or not all(isinstance(v, str) for v in item):
                    raise ConfigError(f"{path}: {name}.{key} must be a list of strings")
                item = tuple(item)
            if name == "thresholds" and (isinstance(item, bool) or not isinstance(item, (int, float))
                                         or not 0 < item <= 1):
                raise ConfigError(f"{path}: thresholds.{key} must be a number in (0, 1], got {item!r}")
            kwargs[key] = item
        if name == "annotate" and "chunk_size" in kwargs and (
                not isinstance(kwargs["chunk_size"], int) or kwargs["chunk_size"] < 1):
            raise ConfigError(f"{path}: annotate.chunk_size must be a positive integer, got {kwargs['chunk_size']!r}")
        if name == "annotate" and kwargs.get("pipeline", "fast") not in ("fast", "accurate"):
            raise ConfigError(f"{path}: annotate.pipeline must be 'fast' or 'accurate', got {kwargs['pipeline']!r}")
        if name == "report":
            if kwargs.get("lang", "en") not in ("de", "en"):
                raise ConfigError(f"{path}: report.lang must be 'de' or 'en', got {kwargs['lang']!r}")
            if kwargs.get("period", "W") not in ("W", "M"):
                raise ConfigError(f"{path}: report.period must be 'W' or 'M', got {kwargs['period']!r}")
        sections[name] = cls(**kwargs)
    return Config(**sections)


def __getattr__(name: str) -> Any:
    # build_pipeline needs the pipeline, a layer above this one: it lives in
    # supportinsight.jobs and stays importable from here.
    if name == "build_pipeline":
        from .jobs import build_pipeline

        return build_pipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "build_pipeline"])

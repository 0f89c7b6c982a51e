"""supportinsight: customer-support text -> customer-journey insight (German and English).

>>> import supportinsight as si
>>> frame = si.load("data/samples/")                         # doctest: +SKIP
>>> annotated = si.annotate(frame)                           # doctest: +SKIP
>>> si.pain_points(annotated).head()                         # doctest: +SKIP

Public names are imported lazily, so ``import supportinsight`` is cheap and the
models load only when first used.

Layout
------
The subpackages form layers, from ``cli`` at the top down to ``schema``, ``errors`` and
``config`` at the ground; a module imports only from its own layer or those below.
This package module and the ``df.si`` accessor (``accessor.py``) are facades above all
layers. The table of layers, and the test that holds every import to it, is ``LAYERS``
in ``tests/test_layers.py``; ``docs/LAYOUT.md`` lists every module, layer by layer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ConfigError,
    LabelError,
    LoadError,
    ModelError,
    NotFittedError,
    PipelineError,
    QuarantineWarning,
    SchemaError,
    SupportInsightError,
    TaxonomyError,
    UnknownFormatError,
)
from .schema import CHANNELS, COLUMNS, ROLES, validate_frame
from . import accessor as _accessor  # noqa: F401  registers df.si (pandas' documented extension point)

from ._version import __version__

_LAZY: dict[str, str] = {
    "load": "supportinsight.loaders",
    "annotate": "supportinsight.pipeline",
    "Pipeline": "supportinsight.pipeline",
    "IntentClassifier": "supportinsight.enrich.intent",
    "SentimentModel": "supportinsight.enrich.sentiment",
    "TopicModel": "supportinsight.enrich.topics",
    "JourneyTaxonomy": "supportinsight.journey.taxonomy",
    "load_taxonomy": "supportinsight.journey.taxonomy",
    "JourneyMapper": "supportinsight.journey.mapper",
    "pain_points": "supportinsight.aggregate.pain_points",
    "triage": "supportinsight.aggregate.triage",
    "escalation_signals": "supportinsight.journey.signals",
    "customer_signals": "supportinsight.journey.signals",
    "channel_switches": "supportinsight.journey.signals",
    "sentiment_over_time": "supportinsight.aggregate.trends",
    "channel_mix": "supportinsight.aggregate.trends",
    "intents_by_touchpoint": "supportinsight.aggregate.trends",
    "write_triage_csv": "supportinsight.aggregate.triage",
    "topic_table": "supportinsight.aggregate.topics",
    "topics_over_time": "supportinsight.aggregate.topics",
    "conversation_paths": "supportinsight.journey.mapper",
    "read_annotated": "supportinsight.store",
    "write_annotated": "supportinsight.store",
    "load_config": "supportinsight.config",
    "select_for_labelling": "supportinsight.adapt",
    "read_label_file": "supportinsight.adapt",
    "read_label_files": "supportinsight.adapt",
    "learning_curve": "supportinsight.adapt",
    "detect_language": "supportinsight.enrich.language",
    "extract_emojis": "supportinsight.enrich.emoji",
    "extract_emoticons": "supportinsight.enrich.emoji",
    "redact": "supportinsight.text.pii",
    "report": "supportinsight.reporting",
    "annotate_stream": "supportinsight.scale.stream",
    "USEEmbedder": "supportinsight.enrich.embeddings",
    "SentenceTransformerEmbedder": "supportinsight.enrich.embeddings",
}

__all__ = [
    "__version__",
    "CHANNELS",
    "COLUMNS",
    "ROLES",
    "validate_frame",
    "SupportInsightError",
    "LoadError",
    "UnknownFormatError",
    "SchemaError",
    "ConfigError",
    "TaxonomyError",
    "NotFittedError",
    "ModelError",
    "PipelineError",
    "LabelError",
    "QuarantineWarning",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'supportinsight' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover
    from .aggregate.pain_points import pain_points
    from .aggregate.topics import topic_table, topics_over_time
    from .aggregate.trends import channel_mix, intents_by_touchpoint, sentiment_over_time
    from .aggregate.triage import triage, write_triage_csv
    from .adapt import learning_curve, read_label_file, read_label_files, select_for_labelling
    from .config import load_config
    from .enrich.emoji import extract_emojis, extract_emoticons
    from .enrich.language import detect_language
    from .journey.mapper import conversation_paths
    from .journey.signals import channel_switches, customer_signals
    from .store import read_annotated, write_annotated
    from .enrich.embeddings import SentenceTransformerEmbedder, USEEmbedder
    from .enrich.intent import IntentClassifier
    from .enrich.sentiment import SentimentModel
    from .enrich.topics import TopicModel
    from .journey.mapper import JourneyMapper
    from .journey.signals import escalation_signals
    from .journey.taxonomy import JourneyTaxonomy, load_taxonomy
    from .loaders import load
    from .pipeline import Pipeline, annotate
    from .scale.stream import annotate_stream
    from .reporting import report
    from .text.pii import redact

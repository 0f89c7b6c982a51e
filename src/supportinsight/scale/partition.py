"""What Spark, Dask and streaming share: annotate batches without splitting a conversation.

Engines hand us a partition as a sequence of pandas batches. Rows of one
conversation are made contiguous first (Spark: repartition + sort within
partitions; Dask: shuffle + sort), then :func:`annotate_batches` holds back the
last, possibly unfinished conversation of each batch and prepends it to the next,
so every conversation is annotated in one piece. The per-process pipeline is
built once and cached, so models load once per executor / worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pandas as pd

from ..pipeline import Pipeline

__all__ = ["PipelineSpec", "pipeline_for", "annotate_batches", "to_plain_types", "ORDER_COLUMN"]

#: Temporary column carrying the input order through engines that reorder rows.
ORDER_COLUMN = "__si_order"

_PIPELINES: dict[Any, Pipeline] = {}
_LOCK = threading.Lock()


class PipelineSpec:
    """A small, picklable recipe for a pipeline, rebuilt once per worker process.

    Parameters
    ----------
    disable:
        Step names to skip.
    sentiment_model, intent_model:
        Folders of saved models (loaded on the worker, never pickled).
    taxonomy:
        Journey taxonomy name or YAML path.
    factory:
        Instead of the above, a zero-argument callable returning a :class:`Pipeline`
        (it must be importable on the workers).
    pipeline:
        ``"fast"`` or ``"accurate"`` (see :func:`supportinsight.annotate`).
    device:
        Where the accurate encoder runs on each worker (``"auto"``: a GPU when present).
    """

    def __init__(self, *, disable: Iterable[str] = (), sentiment_model: str | None = None,
                 intent_model: str | None = None, taxonomy: str | None = None,
                 factory: Callable[[], Pipeline] | None = None, pipeline: str = "fast",
                 device: str = "auto") -> None:
        from ..pipeline import check_pipeline

        self.pipeline = check_pipeline(pipeline)
        self.device = device
        self.disable = tuple(sorted(disable))
        self.sentiment_model = sentiment_model
        self.intent_model = intent_model
        self.taxonomy = taxonomy
        self.factory = factory

    @property
    def key(self) -> tuple:
        return (self.disable, self.sentiment_model, self.intent_model, self.taxonomy, self.pipeline, self.device,
                getattr(self.factory, "__qualname__", None), getattr(self.factory, "__module__", None))

    def build(self) -> Pipeline:
        if self.factory is not None:
            return self.factory()
        from ..pipeline import default_steps

        sentiment = intents = None
        if self.sentiment_model:
            from ..enrich.sentiment import SentimentModel

            sentiment = SentimentModel.load(self.sentiment_model)
        if self.intent_model:
            from ..enrich.intent import IntentClassifier

            intents = IntentClassifier.load(self.intent_model)
        return Pipeline(default_steps(sentiment=sentiment, intents=intents, taxonomy=self.taxonomy,
                                      pipeline=self.pipeline, device=self.device), disable=self.disable)


def pipeline_for(spec: PipelineSpec) -> Pipeline:
    """The pipeline for ``spec`` in this process, built on first use (models load once)."""
    with _LOCK:
        p = _PIPELINES.get(spec.key)
        if p is None:
            p = _PIPELINES[spec.key] = spec.build()
        return p


def to_plain_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals -> strings, so engines with no categorical type accept the frame."""
    cats = {c: frame[c].astype("string") for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.assign(**cats) if cats else frame


def annotate_batches(batches: Iterable[pd.DataFrame], pipeline: Pipeline, *,
                     key: str = "conversation_id") -> Iterator[pd.DataFrame]:
    """Annotate batches whose rows are grouped by ``key``, never splitting a group.

    The input batches must hold each conversation's rows contiguously (a group may
    span batch borders); the output batches hold the same rows in the same order.
    """
    carry: pd.DataFrame | None = None
    for batch in batches:
        if carry is not None and len(carry):
            batch = pd.concat([carry, batch], ignore_index=True)
        carry = None
        if not len(batch):
            continue
        if key not in batch.columns:
            yield pipeline(batch)
            continue
        last = batch[key].iloc[-1]
        tail = (batch[key] == last).to_numpy()
        # rows of the last conversation may continue in the next batch
        ready, carry = batch[~tail], batch[tail]
        if len(ready):
            yield pipeline(ready)
    if carry is not None and len(carry):
        yield pipeline(carry)

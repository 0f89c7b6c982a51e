"""Annotate a Dask DataFrame with ``map_partitions``: ``supportinsight.dask.annotate(dask_df)``.

>>> import dask.dataframe as dd, supportinsight as si, supportinsight.dask as sid  # doctest: +SKIP
>>> ddf = dd.from_pandas(si.load("data/samples"), npartitions=4)                   # doctest: +SKIP
>>> annotated = sid.annotate(ddf).compute()                                         # doctest: +SKIP

Conversations are shuffled so each lives in one partition, ``meta`` is declared
from a small sample annotated locally, and each worker process builds the
pipeline (loads the models) once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .errors import PipelineError
from .scale.partition import ORDER_COLUMN, PipelineSpec, annotate_batches, pipeline_for, to_plain_types

__all__ = ["annotate"]


def _annotate_partition(part: pd.DataFrame, spec: PipelineSpec, columns: list[str]) -> pd.DataFrame:
    if not len(part):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    part = part.sort_values(["conversation_id", ORDER_COLUMN], kind="stable") if "conversation_id" in part \
        else part.sort_values(ORDER_COLUMN, kind="stable")
    order = part[ORDER_COLUMN].to_numpy()
    outs = list(annotate_batches([part.drop(columns=[ORDER_COLUMN])], pipeline_for(spec)))
    out = to_plain_types(pd.concat(outs, ignore_index=True))[columns]
    out.index = pd.Index(order, name=ORDER_COLUMN)
    return out


def annotate(dask_df, *, disable: Iterable[str] = (), sentiment_model: str | None = None,
             intent_model: str | None = None, taxonomy: str | None = None, factory=None,
             sample_rows: int = 200, pipeline: str = "fast", device: str = "auto"):
    """Annotate ``dask_df`` (a message frame with at least ``text``) partition by partition.

    Returns a Dask DataFrame indexed by the input's row position (``__si_order``),
    so ``.compute().sort_index()`` gives the single-process order.
    """
    if "text" not in dask_df.columns:
        raise PipelineError(f"the Dask DataFrame has no 'text' column (columns: {list(dask_df.columns)[:10]})")
    spec = PipelineSpec(disable=disable, sentiment_model=sentiment_model, intent_model=intent_model,
                        taxonomy=taxonomy, factory=factory, pipeline=pipeline, device=device)
    sample = dask_df.head(sample_rows, npartitions=-1)
    if not len(sample):
        raise PipelineError("the Dask DataFrame is empty; nothing to annotate")
    meta_frame = to_plain_types(pipeline_for(spec)(to_plain_types(sample)))
    columns = list(meta_frame.columns)
    meta = meta_frame.iloc[:0].copy()
    meta.index = pd.Index([], dtype="int64", name=ORDER_COLUMN)
    df = dask_df.map_partitions(to_plain_types)
    # a global position that survives the shuffle
    sizes = df.map_partitions(len).compute().tolist()
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]

    def add_order(part: pd.DataFrame, partition_info=None) -> pd.DataFrame:
        start = offsets[partition_info["number"]] if partition_info else 0
        return part.assign(**{ORDER_COLUMN: range(start, start + len(part))})

    df = df.map_partitions(add_order, meta=df._meta.assign(**{ORDER_COLUMN: pd.Series(dtype="int64")}))
    if "conversation_id" in df.columns:
        df = df.shuffle(on="conversation_id")
    return df.map_partitions(_annotate_partition, spec, columns, meta=meta)

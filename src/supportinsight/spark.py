"""Annotate a Spark DataFrame with ``mapInPandas``: ``supportinsight.spark.annotate(spark_df)``.

>>> from pyspark.sql import SparkSession                         # doctest: +SKIP
>>> import supportinsight as si, supportinsight.spark as sis     # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> sdf = sis.to_spark(spark, si.load("data/samples"))           # doctest: +SKIP
>>> annotated = sis.annotate(sdf).toPandas()                     # doctest: +SKIP

Rows of a conversation are brought to one partition and kept together, models
load once per executor process, and the output schema is declared from a small
sample annotated on the driver. Topic fitting is global, so it is not done here:
fit a :class:`~supportinsight.TopicModel` on a sample and apply it afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from .errors import ConfigError, PipelineError
from .scale.partition import ORDER_COLUMN, PipelineSpec, annotate_batches, pipeline_for, to_plain_types

__all__ = ["annotate", "to_spark", "output_schema"]


def to_spark(spark, frame: pd.DataFrame):
    """A Spark DataFrame from a pandas message frame (categoricals become strings)."""
    return spark.createDataFrame(to_plain_types(frame))


def output_schema(sample: pd.DataFrame, spec: PipelineSpec):
    """The Spark schema of the annotated frame, from annotating ``sample`` on the driver."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    out = to_plain_types(pipeline_for(spec)(sample))
    return from_arrow_schema(pa.Schema.from_pandas(out, preserve_index=False)), list(out.columns)


def annotate(spark_df, *, disable: Iterable[str] = (), sentiment_model: str | None = None,
             intent_model: str | None = None, taxonomy: str | None = None, factory=None,
             sample_rows: int = 200, pipeline: str = "fast", device: str = "auto"):
    """Annotate ``spark_df`` (a message frame with at least ``text``) on the cluster.

    Parameters mirror :func:`supportinsight.annotate`, except that models are given
    as saved-model folders (``sentiment_model``, ``intent_model``) that every executor
    loads once. Returns a Spark DataFrame with the input columns plus the annotations;
    row order follows ``conversation_id`` partitions, join back on ``message_id``.
    """
    from pyspark.sql import functions as F

    if "text" not in spark_df.columns:
        raise PipelineError(f"the Spark DataFrame has no 'text' column (columns: {spark_df.columns[:10]})")
    if ORDER_COLUMN in spark_df.columns:
        raise ConfigError(f"column {ORDER_COLUMN!r} is reserved for supportinsight")
    spec = PipelineSpec(disable=disable, sentiment_model=sentiment_model, intent_model=intent_model,
                        taxonomy=taxonomy, factory=factory, pipeline=pipeline, device=device)
    sample = spark_df.limit(sample_rows).toPandas()
    if not len(sample):
        raise PipelineError("the Spark DataFrame is empty; nothing to annotate")
    schema, columns = output_schema(sample, spec)
    key = "conversation_id" if "conversation_id" in spark_df.columns else None
    df = spark_df.withColumn(ORDER_COLUMN, F.monotonically_increasing_id())
    if key:
        df = df.repartition(key).sortWithinPartitions(key, ORDER_COLUMN)

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        pipeline = pipeline_for(spec)
        for out in annotate_batches((b.drop(columns=[ORDER_COLUMN]) for b in batches), pipeline,
                                    key=key or "conversation_id"):
            yield to_plain_types(out)[columns]

    return df.mapInPandas(run, schema=schema)

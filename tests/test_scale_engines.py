"""Spark and Dask give exactly the annotations of the single-process path (real engines)."""

from __future__ import annotations

import os
import sys

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.scale.partition import to_plain_types

pytestmark = pytest.mark.slow

COMPARE = ["language", "emojis", "sentiment", "sentiment_score", "intent", "intents", "intent_confidence",
           "journey_phase", "touchpoint", "mapping_confidence", "annotation_errors"]


@pytest.fixture(scope="module")
def messages(samples_dir):
    frame = si.load(samples_dir)
    # a few hundred messages from several conversations, in input order
    keep = frame["conversation_id"].drop_duplicates().head(60)
    return frame[frame["conversation_id"].isin(keep)].reset_index(drop=True)


@pytest.fixture(scope="module")
def expected(messages):
    return to_plain_types(si.annotate(messages)).set_index("message_id")


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = got.set_index("message_id").loc[expected.index]
    assert len(got) == len(expected)
    for col in COMPARE:
        if col not in expected.columns:
            continue
        a = got[col].map(lambda v: list(v) if hasattr(v, "__len__") and not isinstance(v, str) else v)
        b = expected[col].map(lambda v: list(v) if hasattr(v, "__len__") and not isinstance(v, str) else v)
        if pd.api.types.is_float_dtype(expected[col]):
            assert (a.astype(float) - b.astype(float)).abs().max() < 1e-5, col
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), col


def _spark(session_class, *, cores: int, partitions: int):
    """A local Spark session on loopback, with workers running this interpreter."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    return (session_class.builder.master(f"local[{cores}]").appName("supportinsight-test")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
            .getOrCreate())


def test_spark_annotate_matches_single_process(messages, expected):
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    import supportinsight.spark as sis

    spark = _spark(SparkSession, cores=2, partitions=3)
    try:
        sdf = sis.to_spark(spark, messages)
        got = sis.annotate(sdf).toPandas()
    finally:
        spark.stop()
    assert sorted(got["message_id"]) == sorted(messages["message_id"])
    _same(got, expected)


def test_dask_annotate_matches_single_process(messages, expected):
    dd = pytest.importorskip("dask.dataframe")
    from distributed import Client, LocalCluster

    import supportinsight.dask as sid

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster):
        ddf = dd.from_pandas(to_plain_types(messages), npartitions=3)
        got = sid.annotate(ddf).compute().sort_index()
    assert got["message_id"].tolist() == messages["message_id"].tolist()
    _same(got, expected)


@pytest.fixture(scope="module")
def few_messages(messages):
    return messages.head(40).reset_index(drop=True)


def test_dask_and_spark_accurate_match_single_process(few_messages):
    """The accurate pipeline through the same switch on both engines (40 messages)."""
    dd = pytest.importorskip("dask.dataframe")
    from distributed import Client, LocalCluster

    import supportinsight.dask as sid

    expected = to_plain_types(si.annotate(few_messages, pipeline="accurate", device="cpu")).set_index("message_id")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster):
        ddf = dd.from_pandas(to_plain_types(few_messages), npartitions=2)
        got = sid.annotate(ddf, pipeline="accurate", device="cpu").compute().sort_index()
    _same(got, expected)
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    import supportinsight.spark as sis

    spark = _spark(SparkSession, cores=1, partitions=2)
    try:
        got = sis.annotate(sis.to_spark(spark, few_messages), pipeline="accurate", device="cpu").toPandas()
    finally:
        spark.stop()
    _same(got, expected)

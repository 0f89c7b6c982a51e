"""Sentiment over time, channel mix and intents per touchpoint, on hand-built annotated frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from supportinsight.aggregate.trends import channel_mix, intents_by_touchpoint, sentiment_over_time
from supportinsight.errors import ConfigError, SchemaError

DATA = Path(__file__).parent / "data"


def annotated_frame() -> pd.DataFrame:
    frame = pd.read_json(DATA / "escalation_conversations.jsonl", lines=True, dtype={"extra_ticket_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


def test_aggregate_trends_sentiment_over_time_by_phase():
    out = sentiment_over_time(annotated_frame(), period="W", by="journey_phase")
    assert list(out.columns) == ["period", "journey_phase", "messages", "negative", "negative_share",
                                 "mean_sentiment"]
    first = out[(out["period"] == pd.Timestamp("2026-01-05", tz="UTC")) & (out["journey_phase"] == "retention")]
    assert first["messages"].item() == 4 and first["negative"].item() == 3
    assert first["negative_share"].item() == pytest.approx(3 / 4)
    assert first["mean_sentiment"].item() == pytest.approx((-0.05 - 0.8 - 0.9 - 0.6) / 4)
    second = out[out["period"] == pd.Timestamp("2026-01-12", tz="UTC")].set_index("journey_phase")
    assert second.loc["purchase", "messages"] == 2 and second.loc["retention", "messages"] == 2
    assert out["period"].is_monotonic_increasing
    assert out.attrs["undated_messages"] == 1, "the web form message has no timestamp"
    assert out["messages"].sum() == 8, "9 customer messages, one undated; agents never count"


def test_aggregate_trends_sentiment_over_time_single_series_and_months():
    out = sentiment_over_time(annotated_frame(), period="M", by=None)
    assert out[["messages", "negative"]].values.tolist() == [[8, 4]]
    assert out.loc[0, "period"] == pd.Timestamp("2026-01-01", tz="UTC")


def test_aggregate_trends_sentiment_without_scores_gives_nan_mean():
    out = sentiment_over_time(annotated_frame().drop(columns=["sentiment_score"]), by=None)
    assert out["mean_sentiment"].isna().all()
    assert out["negative"].sum() == 4


def test_aggregate_trends_channel_mix():
    out = channel_mix(annotated_frame())
    assert list(out.columns) == ["channel", "messages", "conversations", "customers", "negative_share"]
    rows = out.set_index("channel")
    assert rows.loc["email", "messages"] == 4 and rows.loc["email", "customers"] == 2
    assert rows.loc["social", "negative_share"] == 1.0
    assert pd.isna(rows.loc["web_form", "customers"]), "anonymous messages count, their number of authors is unknown"
    assert rows.loc["web_form", "conversations"] >= 1
    assert out["messages"].is_monotonic_decreasing


def test_aggregate_trends_channel_mix_per_period():
    out = channel_mix(annotated_frame(), period="W")
    assert list(out.columns) == ["period", "channel", "messages", "conversations", "customers", "negative_share"]
    week2 = out[out["period"] == pd.Timestamp("2026-01-12", tz="UTC")].set_index("channel")
    assert week2.loc["email", "messages"] == 3
    assert out.attrs["undated_messages"] == 1


def test_aggregate_trends_intents_by_touchpoint_counts_each_label():
    out = intents_by_touchpoint(annotated_frame())
    assert list(out.columns) == ["touchpoint", "intent", "messages", "share"]
    delivery = out[out["touchpoint"] == "delivery"].set_index("intent")
    assert delivery.loc["complaint", "messages"] == 2
    assert delivery.loc["complaint", "share"] == pytest.approx(2 / 3)
    assert delivery.loc["churn_threat", "messages"] == 1
    assert "other" not in set(out["intent"])
    assert out.loc[0, "touchpoint"] == "delivery", "largest touchpoint first"


def test_aggregate_trends_intents_from_primary_intent_only():
    frame = annotated_frame().drop(columns=["intents"])
    out = intents_by_touchpoint(frame)
    cancel = out[out["touchpoint"] == "cancellation"]
    assert cancel["intent"].tolist() == ["escalation"]
    assert np.allclose(out.groupby("touchpoint")["share"].sum().loc[["cancellation", "app"]], 1.0)


def test_aggregate_trends_errors_name_the_problem():
    frame = annotated_frame()
    with pytest.raises(SchemaError, match="journey_phase"):
        sentiment_over_time(frame.drop(columns=["journey_phase"]))
    with pytest.raises(ConfigError, match="period"):
        sentiment_over_time(frame, period="weekly")
    with pytest.raises(SchemaError, match="touchpoint"):
        intents_by_touchpoint(frame.drop(columns=["touchpoint"]))
    with pytest.raises(SchemaError, match="intent"):
        intents_by_touchpoint(frame.drop(columns=["intent", "intents"]))
    with pytest.raises(SchemaError, match="channel"):
        channel_mix(frame.drop(columns=["channel"]))

"""The ranked pain-point table, on hand-built annotated frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supportinsight.aggregate.pain_points import pain_points, wilson_interval
from supportinsight.errors import ConfigError, SchemaError

DATA = Path(__file__).parent / "data"


def annotated_frame() -> pd.DataFrame:
    frame = pd.read_json(DATA / "escalation_conversations.jsonl", lines=True, dtype={"extra_ticket_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


def cell_frame(cells: list[tuple[str, str, int, int]], *, week: str = "2026-01-05") -> pd.DataFrame:
    """One customer message per conversation: ``(phase, touchpoint, messages, negative)`` per cell."""
    rows = []
    for phase, touchpoint, n, k in cells:
        for i in range(n):
            neg = i < k
            rows.append({
                "conversation_id": f"{touchpoint}-{week}-{i}", "message_id": f"{touchpoint}-{week}-m{i}",
                "timestamp": f"{week}T{10 + i % 8:02d}:00:00Z", "channel": "email", "author_role": "customer",
                "author_id": None, "text": f"{touchpoint} message {i} {'awful' if neg else 'fine'}",
                "sentiment": "negative" if neg else "neutral", "sentiment_score": -0.5 if neg else 0.0,
                "sentiment_confidence": 0.8, "intent": "complaint" if neg else "question",
                "intents": ["complaint"] if neg else ["question"], "journey_phase": phase,
                "touchpoint": touchpoint,
            })
    out = pd.DataFrame(rows)
    out["timestamp"] = pd.to_datetime(out["timestamp"], utc=True)
    return out


def test_aggregate_pain_points_wilson_interval_known_values():
    low, high = wilson_interval([2, 60, 0, 0], [2, 100, 0, 6])
    assert low[0] == pytest.approx(0.342, abs=1e-3) and high[0] == 1.0
    assert low[1] == pytest.approx(0.502, abs=1e-3) and high[1] == pytest.approx(0.691, abs=1e-3)
    assert np.isnan(low[2]) and np.isnan(high[2])
    assert low[3] == 0.0 and high[3] == pytest.approx(0.390, abs=1e-3)


def test_aggregate_pain_points_columns_and_counts():
    table = pain_points(annotated_frame(), min_messages=1, redact=False)
    for col in ("rank", "journey_phase", "touchpoint", "messages", "conversations", "negative", "negative_share",
                "negative_share_low", "negative_share_high", "escalation_rate", "previous_negative_share",
                "change", "messages_change", "score", "top_intents", "top_topics", "quotes"):
        assert col in table.columns
    assert "mean_score" not in table.columns, "no CSAT/NPS column in the input"
    delivery = table.set_index("touchpoint").loc["delivery"]
    # Agent messages do not count: 3 customer messages in c1 and c2.
    assert delivery["messages"] == 3 and delivery["conversations"] == 2 and delivery["negative"] == 2
    assert delivery["escalation_rate"] == 1.0
    assert delivery["negative_share_low"] < delivery["negative_share"] < delivery["negative_share_high"]
    assert delivery["top_intents"][:2] == ["complaint", "churn_threat"]
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["score"].is_monotonic_decreasing
    assert table.loc[0, "touchpoint"] == "delivery"
    assert table.attrs["period"] == "W"


def test_aggregate_pain_points_unknown_rows_are_kept_and_flagged():
    frame = annotated_frame()
    frame.loc[frame["message_id"] == "m7", "touchpoint"] = None
    table = pain_points(frame, min_messages=1, redact=False)
    unknown = table[table["touchpoint"] == "unknown"]
    assert unknown["unmapped"].all()
    assert unknown["messages"].sum() == 2, "the unmapped web form message and the one with a missing touchpoint"
    assert table["messages"].sum() == 9, "every customer message lands in exactly one row"


@pytest.mark.parametrize("small_n", [1, 2, 3, 5])
def test_aggregate_pain_points_small_all_negative_cell_does_not_outrank_large(small_n):
    frame = cell_frame([("delivery", "shipping", 100, 40), ("billing", "invoice", small_n, small_n)])
    table = pain_points(frame, min_messages=1, redact=False)
    assert table.loc[0, "touchpoint"] == "shipping"
    small = table.set_index("touchpoint").loc["invoice"]
    assert small["negative_share"] == 1.0 > table.loc[0, "negative_share"]


@settings(max_examples=25, deadline=None)
@given(small_n=st.integers(1, 5), large_n=st.integers(60, 300), large_share=st.floats(0.4, 1.0))
def test_aggregate_pain_points_small_cells_never_outrank_large_by_noise(small_n, large_n, large_share):
    large_k = int(round(large_n * large_share))
    frame = cell_frame([("delivery", "shipping", large_n, large_k), ("billing", "invoice", small_n, small_n)])
    table = pain_points(frame, period=None, min_messages=1, quotes=0, redact=False).set_index("touchpoint")
    assert table.loc["shipping", "score"] > table.loc["invoice", "score"]


def test_aggregate_pain_points_low_volume_cells_rank_last():
    frame = cell_frame([("delivery", "shipping", 30, 3), ("billing", "invoice", 4, 4)])
    table = pain_points(frame, min_messages=5, redact=False)
    assert table["touchpoint"].tolist() == ["shipping", "invoice"]
    assert table["low_volume"].tolist() == [False, True]


def test_aggregate_pain_points_change_against_previous_period():
    frame = pd.concat([cell_frame([("delivery", "shipping", 10, 2)], week="2026-01-05"),
                       cell_frame([("delivery", "shipping", 10, 8)], week="2026-01-12")], ignore_index=True)
    row = pain_points(frame, redact=False).iloc[0]
    assert row["previous_negative_share"] == pytest.approx(0.2)
    assert row["change"] == pytest.approx(0.6)
    assert row["messages_change"] == pytest.approx(0.0)
    flat = pain_points(frame, period=None, redact=False).iloc[0]
    assert np.isnan(flat["change"])
    assert row["score"] > flat["score"], "a rising negative share adds the trend term"
    monthly = pain_points(frame, period="M", redact=False)
    assert monthly.attrs["last_period"] == pd.Timestamp("2026-01-01", tz="UTC")
    assert np.isnan(monthly.loc[0, "change"]), "both weeks fall in one month: no previous period"


def test_aggregate_pain_points_uses_a_csat_column_when_present():
    frame = cell_frame([("delivery", "shipping", 20, 6), ("billing", "invoice", 20, 6)])
    frame["extra_csat"] = np.where(frame["touchpoint"] == "shipping", 1.0, 5.0)
    table = pain_points(frame, redact=False).set_index("touchpoint")
    assert table.loc["shipping", "mean_score"] == 1.0 and table.loc["invoice", "mean_score"] == 5.0
    assert table.loc["shipping", "score"] > table.loc["invoice", "score"]
    assert table.attrs["score_col"] == "extra_csat"
    ignored = pain_points(frame, score_col=False, redact=False).set_index("touchpoint")
    assert "mean_score" not in ignored.columns
    assert ignored.loc["shipping", "score"] == pytest.approx(ignored.loc["invoice", "score"])


def test_aggregate_pain_points_top_topics_skip_outliers():
    frame = cell_frame([("delivery", "shipping", 6, 3)])
    frame["topic_id"] = [-1, -1, -1, 4, 4, 7]
    frame["topic_label"] = ["outlier", "outlier", "outlier", "late parcel", "late parcel", "damaged box"]
    table = pain_points(frame, redact=False)
    assert table.loc[0, "top_topics"] == ["late parcel", "damaged box"]


def test_aggregate_pain_points_quotes_most_negative_first_and_deduplicated():
    frame = cell_frame([("delivery", "shipping", 6, 3)])
    frame["text"] = ["Where is it?", "Worst service ever!!", "worst   service ever!!", "Still waiting.",
                     "ok", "Where is it?"]
    frame["sentiment"] = ["neutral", "negative", "negative", "negative", "neutral", "neutral"]
    frame["sentiment_score"] = [0.0, -0.9, -0.9, -0.4, 0.0, 0.0]
    table = pain_points(frame, redact=False)
    assert table.loc[0, "quotes"] == ["Worst service ever!!", "Still waiting.", "Where is it?"]
    assert pain_points(frame, quotes=1, redact=False).loc[0, "quotes"] == ["Worst service ever!!"]


def test_aggregate_pain_points_by_other_columns():
    table = pain_points(annotated_frame(), by="channel", period=None, min_messages=1, redact=False)
    assert set(table["channel"]) == {"chat", "social", "email", "web_form"}
    assert table.attrs["by"] == ("channel",)


def test_aggregate_pain_points_errors_name_the_problem():
    frame = annotated_frame()
    with pytest.raises(SchemaError, match="touchpoint"):
        pain_points(frame.drop(columns=["touchpoint"]), redact=False)
    with pytest.raises(ConfigError, match="period"):
        pain_points(frame, period="fortnight", redact=False)
    with pytest.raises(ConfigError, match="min_messages"):
        pain_points(frame, min_messages=0, redact=False)
    with pytest.raises(SchemaError, match="nps"):
        pain_points(frame, score_col="nps", redact=False)


def test_aggregate_pain_points_quotes_are_pii_redacted():
    table = pain_points(annotated_frame(), min_messages=1).set_index("touchpoint")
    quotes = " ".join(table.loc["delivery", "quotes"])
    assert "anna@example.com" not in quotes
    assert "1234567" not in quotes
    assert "parcel is lost" in quotes, "redaction keeps the rest of the text"


def test_aggregate_pain_points_without_customer_messages_is_empty():
    frame = annotated_frame()
    agents_only = frame[frame["author_role"] == "agent"]
    table = pain_points(agents_only, redact=False)
    assert len(table) == 0 and "score" in table.columns
    assert len(pain_points(frame.iloc[:0], redact=False)) == 0

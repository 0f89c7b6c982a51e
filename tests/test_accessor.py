"""df.si: the same results as the library functions, and no state on the accessor."""

from __future__ import annotations

import pandas as pd
import pytest

import supportinsight as si


def _annotated():
    rows = []
    for i in range(12):
        rows.append({"conversation_id": f"c{i}", "message_id": f"m{i}", "author_role": "customer",
                     "author_id": f"u{i}", "channel": "chat", "text": "Paket fehlt", "body": "Paket fehlt",
                     "timestamp": pd.Timestamp("2026-03-02", tz="UTC") + pd.Timedelta(days=i),
                     "sentiment": "negative" if i % 3 else "neutral", "sentiment_score": -0.5,
                     "intent": "complaint", "intents": ["complaint"], "journey_phase": "retention",
                     "touchpoint": "delivery", "mapping_confidence": 0.8})
    return pd.DataFrame(rows)


def test_accessor_pain_points_equals_function():
    frame = _annotated()
    pd.testing.assert_frame_equal(frame.si.pain_points(), si.pain_points(frame))


def test_accessor_validate_raises_schema_error_on_plain_frame():
    with pytest.raises(si.SchemaError):
        pd.DataFrame({"text": ["x"]}).si.validate()


def test_accessor_keeps_no_state():
    frame = _annotated()
    assert frame.si is not frame.si
    assert not [k for k in vars(frame.si) if k != "_frame"]

"""The canonical frame: coerce_frame and validate_frame."""

from __future__ import annotations

import pandas as pd
import pytest

from supportinsight.errors import SchemaError
from supportinsight.schema import COLUMNS, coerce_frame, empty_frame, validate_frame


def _minimal(**over):
    data = {"conversation_id": ["c1", "c1"], "message_id": ["m1", "m2"], "channel": ["chat", "chat"],
            "author_role": ["customer", "agent"], "text": ["Paket fehlt 😡", "Kommt morgen"],
            "source": ["f.txt:1", "f.txt:2"]}
    data.update(over)
    return pd.DataFrame(data)


def test_schema_coerce_adds_optional_columns_and_orders():
    frame = coerce_frame(_minimal(extra_x=[1, 2]))
    assert tuple(frame.columns[:len(COLUMNS)]) == COLUMNS
    assert frame.columns[-1] == "extra_x"
    assert frame["body"].tolist() == frame["text"].tolist()
    assert str(frame["timestamp"].dtype) == "datetime64[ns, UTC]"
    validate_frame(frame)


def test_schema_coerce_converts_timestamps_to_utc():
    frame = coerce_frame(_minimal(timestamp=["2024-03-01T10:00:00+01:00", None]))
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 09:00", tz="UTC")
    assert pd.isna(frame["timestamp"].iloc[1])


@pytest.mark.parametrize("over, column", [
    ({"channel": ["chat", "fax"]}, "channel"),
    ({"author_role": ["customer", "boss"]}, "author_role"),
])
def test_schema_coerce_rejects_values_outside_the_sets(over, column):
    with pytest.raises(SchemaError) as err:
        coerce_frame(_minimal(**over))
    assert err.value.column == column


def test_schema_coerce_names_a_missing_required_column():
    with pytest.raises(SchemaError, match="'source'"):
        coerce_frame(_minimal().drop(columns="source"))


@pytest.mark.parametrize("change, match", [
    (lambda f: f.drop(columns="text"), "'text'.*missing"),
    (lambda f: f.assign(message_id=["m1", "m1"]), "more than once"),
    (lambda f: f.assign(text=["a", None]), "is empty in row"),
    (lambda f: f.assign(timestamp=pd.to_datetime(["2024-01-01", "2024-01-02"])), "tz-aware UTC"),
    (lambda f: f.assign(author_id=[1.5, 2.5]), "must hold strings"),
])
def test_schema_validate_names_the_problem(change, match):
    frame = change(coerce_frame(_minimal()))
    with pytest.raises(SchemaError, match=match):
        validate_frame(frame)


def test_schema_validate_rejects_non_frames_and_accepts_empty():
    with pytest.raises(SchemaError, match="DataFrame"):
        validate_frame([1, 2])  # type: ignore[arg-type]
    assert len(validate_frame(empty_frame())) == 0

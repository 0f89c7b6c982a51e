"""Escalation signals per conversation and per customer, on hand-built annotated frames."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from supportinsight.errors import ConfigError, SchemaError
from supportinsight.journey.signals import (
    SIGNALS,
    channel_switches,
    conversation_journey,
    customer_signals,
    escalation_signals,
)

DATA = Path(__file__).parent / "data"
EXPECTED = [json.loads(line) for line in (DATA / "escalation_expected.jsonl").read_text("utf-8").splitlines()
            if line.strip()]


def annotated_frame() -> pd.DataFrame:
    """The hand-written annotated conversations of tests/data/escalation_conversations.jsonl."""
    frame = pd.read_json(DATA / "escalation_conversations.jsonl", lines=True, dtype={"extra_ticket_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


def message(conv, mid, ts, channel, role="customer", author="x", sentiment="neutral", intents=(),
            touchpoint="shipping", phase="delivery") -> dict:
    return {"conversation_id": conv, "message_id": mid, "timestamp": ts, "channel": channel,
            "author_role": role, "author_id": author, "text": f"message {mid}", "sentiment": sentiment,
            "intent": intents[0] if intents else "other", "intents": list(intents),
            "journey_phase": phase, "touchpoint": touchpoint}


def frame_of(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    out["timestamp"] = pd.to_datetime(out["timestamp"], utc=True)
    return out


@pytest.fixture(scope="module")
def signals() -> pd.DataFrame:
    return escalation_signals(annotated_frame()).set_index("conversation_id")


@pytest.mark.parametrize("case", EXPECTED, ids=[c["conversation_id"] for c in EXPECTED])
def test_journey_signals_golden_conversations(signals, case):
    row = signals.loc[case["conversation_id"]]
    for col in ("channel_switch", "switch_path", "repeat_contact", "churn_threat", "escalation_request",
                "urgency", "slow_first_response", "negative_trajectory"):
        assert row[col] == case[col], (col, case["why"])
    assert list(row["channels"]) == case["channels"], case["why"]
    assert list(row["signals"]) == case["signals"], case["why"]
    assert bool(row["escalated"]) == bool(case["signals"])
    if case["customer_id"] is None:
        assert pd.isna(row["customer_id"])
    else:
        assert row["customer_id"] == case["customer_id"]
    if case["first_response_minutes"] is None:
        assert math.isnan(row["first_response_minutes"])
    else:
        assert row["first_response_minutes"] == pytest.approx(case["first_response_minutes"])


def test_journey_signals_contract_columns_and_order(signals):
    out = escalation_signals(annotated_frame())
    for col in ("conversation_id", "customer_id", "channels", "channel_switch", "switch_path", "repeat_contact",
                "churn_threat", "escalation_request", "urgency", "first_response_minutes", "slow_first_response",
                "negative_trajectory", "escalated", "signals"):
        assert col in out.columns
    assert out["conversation_id"].tolist() == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]
    assert out["first_response_minutes"].dtype == float
    assert set(s for lst in out["signals"] for s in lst) <= set(SIGNALS)


def test_journey_signals_repeat_window_is_respected():
    # c1 starts 5 Jan 09:00, c2 on 8 Jan 10:00: about 3 days apart.
    frame = annotated_frame()
    assert escalation_signals(frame, repeat_days=7).set_index("conversation_id").loc["c2", "repeat_contact"]
    assert not escalation_signals(frame, repeat_days=2).set_index("conversation_id").loc["c2", "repeat_contact"]


def test_journey_signals_repeat_needs_same_known_touchpoint():
    frame = frame_of(
        message("a", "1", "2026-02-01T10:00:00Z", "email", author="u", touchpoint="billing"),
        message("b", "2", "2026-02-02T10:00:00Z", "email", author="u", touchpoint="shipping"),
        message("c", "3", "2026-02-03T10:00:00Z", "email", author="u", touchpoint="unknown"),
        message("d", "4", "2026-02-04T10:00:00Z", "email", author="u", touchpoint="unknown"),
        message("e", "5", "2026-02-05T10:00:00Z", "email", author="u", touchpoint="billing"),
    )
    out = escalation_signals(frame).set_index("conversation_id")["repeat_contact"]
    assert out.to_dict() == {"a": False, "b": False, "c": False, "d": False, "e": True}


def test_journey_signals_slow_threshold_is_configurable(signals):
    loose = escalation_signals(annotated_frame(), slow_first_response="48h").set_index("conversation_id")
    assert signals.loc["c1", "slow_first_response"]
    assert not loose.loc["c1", "slow_first_response"]
    assert "slow_first_response" not in loose.loc["c1", "signals"]


def test_journey_signals_first_response_ignores_agent_notes_before_customer():
    frame = frame_of(
        message("a", "0", "2026-02-01T08:00:00Z", "email", role="agent", author="ag"),
        message("a", "1", "2026-02-01T10:00:00Z", "email", author="u"),
        message("a", "2", "2026-02-01T10:45:00Z", "email", role="bot", author="bot"),
        message("a", "3", "2026-02-01T11:30:00Z", "email", role="agent", author="ag"),
    )
    out = escalation_signals(frame)
    assert out.loc[0, "first_response_minutes"] == pytest.approx(90.0)


def test_journey_signals_switch_inside_one_conversation_and_window():
    frame = frame_of(
        message("a", "1", "2026-03-01T10:00:00Z", "chat", author="u1"),
        message("a", "2", "2026-03-01T12:00:00Z", "social", author="u1", sentiment="negative"),
        message("b", "3", "2026-01-01T10:00:00Z", "email", author="u2"),
        message("c", "4", "2026-03-01T10:00:00Z", "social", author="u2"),
        message("d", "5", "2026-03-01T10:00:00Z", "email", author="u3"),
        message("e", "6", "2026-03-02T10:00:00Z", "social", author="u3"),
    )
    out = escalation_signals(frame, switch_days=30).set_index("conversation_id")
    assert out.loc["a", "switch_path"] == "chat -> social"
    assert not out.loc["c", "channel_switch"], "the e-mail was 59 days earlier: outside switch_days"
    assert out.loc["e", "switch_path"] == "email -> social"
    assert not out.loc["d", "channel_switch"], "the switch counts on the public conversation only"
    assert escalation_signals(frame, switch_days=90).set_index("conversation_id").loc["c", "channel_switch"]


def test_journey_signals_social_then_chat_is_not_an_escalation():
    frame = frame_of(
        message("a", "1", "2026-03-01T10:00:00Z", "social", author="u"),
        message("b", "2", "2026-03-02T10:00:00Z", "chat", author="u"),
    )
    out = escalation_signals(frame)
    assert not out["channel_switch"].any()
    moves = channel_switches(frame)
    assert moves.to_dict("records") == [{"from_channel": "social", "to_channel": "chat", "customers": 1,
                                         "conversations": 1}]


@pytest.mark.parametrize("sentiments, expected", [
    (["neutral", "negative"], True),
    (["positive", "neutral", "negative"], True),
    (["negative", "negative"], False),
    (["neutral", "negative", "positive"], False),
    (["negative"], False),
    (["neutral", None, "negative"], True),
])
def test_journey_signals_negative_trajectory(sentiments, expected):
    rows = [message("a", str(i), f"2026-03-01T1{i}:00:00Z", "chat", author="u", sentiment=s)
            for i, s in enumerate(sentiments)]
    rows.insert(1, message("a", "agent", "2026-03-01T10:30:00Z", "chat", role="agent", author="ag",
                           sentiment="negative"))
    assert bool(escalation_signals(frame_of(*rows)).loc[0, "negative_trajectory"]) is expected


def test_journey_signals_without_timestamps_or_roles():
    frame = annotated_frame().drop(columns=["timestamp", "author_role"])
    out = escalation_signals(frame).set_index("conversation_id")
    assert out["first_response_minutes"].isna().all()
    assert not out["repeat_contact"].any()
    assert not out["slow_first_response"].any()
    # Without roles every message is the customer's: c3 keeps its escalation request.
    assert out.loc["c3", "escalation_request"]


def test_journey_signals_role_labels_are_not_customer_ids():
    # Chat transcripts that name the speaker "Kunde" must not merge all their customers.
    frame = frame_of(
        message("a", "1", "2026-03-01T10:00:00Z", "chat", author="Kunde"),
        message("b", "2", "2026-03-02T10:00:00Z", "social", author=" kunde "),
        message("c", "3", "2026-03-02T11:00:00Z", "chat", author="customer"),
    )
    out = escalation_signals(frame)
    assert out["customer_id"].isna().all()
    assert not out["repeat_contact"].any() and not out["channel_switch"].any()


def test_journey_signals_customer_rollup():
    per_customer = customer_signals(annotated_frame()).set_index("customer_id")
    anna = per_customer.loc["anna@example.com"]
    assert anna["conversations"] == 2
    assert anna["escalated_conversations"] == 2
    assert list(anna["channels"]) == ["chat", "social"]
    assert anna["switch_path"] == "chat -> social"
    assert anna["repeat_contacts"] == 1
    assert anna["churn_threat"] and anna["escalated"]
    assert not per_customer.loc["cara", "escalated"]
    assert per_customer.index[0] == "anna@example.com"
    assert per_customer.attrs["anonymous_conversations"] == 1


def test_journey_signals_customer_trajectory_across_conversations():
    frame = frame_of(
        message("a", "1", "2026-03-01T10:00:00Z", "chat", author="u", sentiment="positive"),
        message("b", "2", "2026-03-09T10:00:00Z", "email", author="u", sentiment="negative"),
    )
    assert not escalation_signals(frame)["negative_trajectory"].any()
    assert customer_signals(frame).loc[0, "negative_trajectory"]


def test_journey_signals_channel_switch_table():
    moves = channel_switches(annotated_frame())
    assert list(moves.columns) == ["from_channel", "to_channel", "customers", "conversations"]
    assert moves.to_dict("records") == [{"from_channel": "chat", "to_channel": "social", "customers": 1,
                                         "conversations": 1}]


def test_journey_signals_conversation_journey_prefers_known_and_confident():
    frame = frame_of(
        message("a", "1", "2026-03-01T10:00:00Z", "chat", touchpoint="unknown", phase="unknown"),
        message("a", "2", "2026-03-01T11:00:00Z", "chat", touchpoint="billing", phase="payment"),
        message("a", "3", "2026-03-01T12:00:00Z", "chat", touchpoint="shipping", phase="delivery"),
        message("a", "4", "2026-03-01T12:05:00Z", "chat", role="agent", touchpoint="app", phase="usage"),
        message("b", "5", "2026-03-01T10:00:00Z", "chat", touchpoint="unknown", phase="unknown"),
    )
    frame["mapping_confidence"] = [0.9, 0.4, 0.8, 1.0, 0.0]
    out = conversation_journey(frame)
    assert out.loc["a"].to_dict() == {"journey_phase": "delivery", "touchpoint": "shipping"}
    assert out.loc["b"].to_dict() == {"journey_phase": "unknown", "touchpoint": "unknown"}


def test_journey_signals_errors_name_the_problem():
    frame = annotated_frame()
    with pytest.raises(SchemaError, match="conversation_id"):
        escalation_signals(frame.drop(columns=["conversation_id"]))
    with pytest.raises(ConfigError, match="slow_first_response"):
        escalation_signals(frame, slow_first_response="soon")
    with pytest.raises(ConfigError, match="repeat_days"):
        escalation_signals(frame, repeat_days=-1)
    broken = frame.copy()
    broken.loc[3, "conversation_id"] = None
    with pytest.raises(SchemaError, match="row 3"):
        escalation_signals(broken)


def test_journey_signals_empty_frame_keeps_the_columns():
    empty = annotated_frame().iloc[:0]
    out = escalation_signals(empty)
    assert len(out) == 0 and "signals" in out.columns and "first_response_minutes" in out.columns
    assert len(customer_signals(empty)) == 0
    assert list(channel_switches(empty).columns) == ["from_channel", "to_channel", "customers", "conversations"]

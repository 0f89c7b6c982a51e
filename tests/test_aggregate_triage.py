"""Triage: priorities, queues, helpdesk tags and a formula-safe CSV, on hand-built frames."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from supportinsight.aggregate.triage import COLUMNS, load_triage_config, triage, write_triage_csv
from supportinsight.errors import ConfigError, SchemaError

DATA = Path(__file__).parent / "data"
EXPECTED = [json.loads(line) for line in (DATA / "escalation_expected.jsonl").read_text("utf-8").splitlines()
            if line.strip()]


def annotated_frame() -> pd.DataFrame:
    frame = pd.read_json(DATA / "escalation_conversations.jsonl", lines=True, dtype={"extra_ticket_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return triage(annotated_frame(), redact=False).set_index("conversation_id")


@pytest.mark.parametrize("case", EXPECTED, ids=[c["conversation_id"] for c in EXPECTED])
def test_aggregate_triage_golden_priorities_and_ticket_ids(table, case):
    row = table.loc[case["conversation_id"]]
    assert row["priority"] == case["priority"], case["why"]
    assert row["ticket_id"] == case["ticket_id"]


def test_aggregate_triage_columns_sorted_by_priority():
    out = triage(annotated_frame(), redact=False)
    assert tuple(out.columns) == COLUMNS
    assert out["priority"].tolist() == sorted(out["priority"])
    assert out.attrs["priority_counts"] == {"P1": 2, "P2": 3, "P3": 0, "P4": 2}


def test_aggregate_triage_tags_and_reasons(table):
    tags = table.loc["c2", "tags"].split(";")
    assert tags[:3] == ["si:priority:p1", "si:phase:retention", "si:touchpoint:delivery"]
    for tag in ("si:intent:complaint", "si:intent:churn_threat", "si:signal:channel_switch",
                "si:signal:repeat_contact", "si:sentiment:negative"):
        assert tag in tags
    assert "churn threat + negative sentiment" in table.loc["c2", "reasons"]
    assert "chat -> social" in table.loc["c2", "reasons"]
    assert "30.0 h" in table.loc["c1", "reasons"]
    assert "si:intent:other" not in table.loc["c6", "tags"]
    assert table.loc["c6", "reasons"].startswith("P4")


def test_aggregate_triage_negative_means_still_unhappy():
    frame = annotated_frame()
    # The delivery chat ends in thanks: no longer negative, so no P3/P1 from sentiment.
    extra = frame[frame["message_id"] == "m3"].assign(
        message_id="m3b", timestamp=pd.Timestamp("2026-01-06T17:00:00Z"), text="Arrived, thanks!",
        sentiment="positive", sentiment_score=0.8, intent="gratitude", intents=[["gratitude"]])
    out = triage(pd.concat([frame, extra], ignore_index=True), redact=False).set_index("conversation_id")
    assert "si:sentiment:negative" not in out.loc["c1", "tags"]
    assert out.loc["c1", "priority"] == "P3", "only the slow first answer is left"


def test_aggregate_triage_queues_from_taxonomy_mapping_phase_and_default(table):
    # The default journey taxonomy names an owner queue per touchpoint.
    assert table["queue"].to_dict() == {"c2": "logistics", "c3": "retention", "c1": "logistics",
                                        "c5": "payments", "c7": "returns", "c4": "it_app", "c6": "triage"}
    out = triage(annotated_frame(), queues={"delivery": "parcel_team", "purchase": "finance"},
                 redact=False).set_index("conversation_id")
    assert out.loc["c1", "queue"] == "parcel_team" and out.loc["c2", "queue"] == "parcel_team"
    assert out.loc["c5", "queue"] == "finance", "the phase entry is used when the touchpoint has none"
    assert out.loc["c4", "queue"] == "it_app"
    plain = triage(annotated_frame(), taxonomy=False, redact=False)
    assert (plain["queue"] == "customer_service").all(), "no mapping and no taxonomy: the default queue"


def test_aggregate_triage_queues_and_rules_from_yaml(tmp_path):
    queues = tmp_path / "queues.yaml"
    queues.write_text("default_queue: tier1\nqueues:\n  cancellation: retention_team\n", "utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text("priorities:\n  P1:\n    - [channel_switch]\n  P3:\n    - [urgency, '!negative']\n"
                     "default_priority: P4\n", "utf-8")
    out = triage(annotated_frame(), queues=queues, rules=rules, taxonomy=False,
                 redact=False).set_index("conversation_id")
    assert out.loc["c3", "queue"] == "retention_team"
    assert out.loc["c4", "queue"] == "tier1"
    assert out["priority"].to_dict() == {"c2": "P1", "c7": "P3", "c1": "P4", "c3": "P4", "c4": "P4",
                                         "c5": "P4", "c6": "P4"}
    assert "urgency + not negative sentiment" in out.loc["c7", "reasons"]


def test_aggregate_triage_signal_settings_come_from_rules():
    out = triage(annotated_frame(), rules={"signals": {"slow_first_response": "48h"}},
                 redact=False).set_index("conversation_id")
    assert "si:signal:slow_first_response" not in out.loc["c1", "tags"]


@pytest.mark.parametrize("rules, match", [
    ({"priorities": {"P1": [["on_fire"]]}}, "unknown fact 'on_fire'"),
    ({"priorities": {"P0": [["negative"]]}}, "priority 'P0'"),
    ({"priorities": {"P1": "negative"}}, "list of rules"),
    ({"default_priority": "P9"}, "default_priority"),
    ({"colour": "red"}, "unknown key"),
    ({"tag_prefix": "s i;"}, "tag_prefix"),
    ({"signals": {"repeat_weeks": 2}}, "repeat_weeks"),
])
def test_aggregate_triage_bad_rules_name_the_key(rules, match):
    with pytest.raises(ConfigError, match=match):
        load_triage_config(rules)


def test_aggregate_triage_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "queues.yaml"
    bad.write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(ConfigError, match="queues.yaml"):
        load_triage_config(queues=bad)
    with pytest.raises(ConfigError, match="missing.yaml"):
        load_triage_config(rules=tmp_path / "missing.yaml")
    with pytest.raises(SchemaError, match="conversation_id"):
        triage(annotated_frame().drop(columns=["conversation_id"]))


def test_aggregate_triage_csv_neutralises_formula_injection(tmp_path):
    out = triage(annotated_frame(), queues={"payment": "@SUM(A1:A2)"}, redact=False)
    hand = pd.DataFrame([{"conversation_id": "x", "ticket_id": "-2", "priority": "P3", "queue": "=1+1",
                          "touchpoint": "app", "journey_phase": "usage", "tags": "si:priority:p3",
                          "reasons": "+cmd|' /C calc'!A0", "summary": '=HYPERLINK("http://evil.example","x")'}])
    path = write_triage_csv(pd.concat([out, hand], ignore_index=True), tmp_path / "tags.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = {r["conversation_id"]: r for r in csv.DictReader(fh)}
    assert rows["c5"]["ticket_id"] == "'+1"
    assert rows["c5"]["queue"] == "'@SUM(A1:A2)"
    assert rows["c5"]["summary"].startswith("'-2 items")
    assert rows["c2"]["summary"].startswith("'@shop")
    assert rows["x"]["ticket_id"] == "'-2"
    assert rows["x"]["queue"] == "'=1+1"
    assert rows["x"]["summary"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert rows["x"]["reasons"].startswith("'+cmd")
    assert rows["c3"]["ticket_id"] == "T-101", "harmless cells are unchanged"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_aggregate_triage_empty_frame_gives_empty_table(tmp_path):
    out = triage(annotated_frame().iloc[:0])
    assert tuple(out.columns) == COLUMNS and len(out) == 0
    assert out.attrs["priority_counts"] == {"P1": 0, "P2": 0, "P3": 0, "P4": 0}
    path = write_triage_csv(out, tmp_path / "empty.csv")
    assert path.read_text("utf-8").strip() == ",".join(COLUMNS)


def test_aggregate_triage_csv_needs_a_triage_table(tmp_path):
    with pytest.raises(SchemaError, match="triage"):
        write_triage_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")


def test_aggregate_triage_summary_is_pii_redacted():
    out = triage(annotated_frame()).set_index("conversation_id")
    assert "1234567" not in out.loc["c1", "summary"]
    assert "anna@example.com" not in out.loc["c2", "summary"]
    assert "ridiculous" in out.loc["c1", "summary"]

"""Chunked readers for large exports: broken lines are quarantined, never lost, never fatal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from supportinsight.errors import LoadError
from supportinsight.scale.readers import iter_file_chunks
from supportinsight.store import read_annotated


def test_readers_csv_broken_lines_go_to_quarantine(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text("Ticket;Nachricht\n1;Paket fehlt\n2;\n3;zu;viele;felder\n4;Danke\n5;Wo bleibt mein Geld?\n",
                    encoding="cp1252")
    quarantine: list[dict] = []
    frames = list(iter_file_chunks(path, chunk_size=2, quarantine=quarantine))
    loaded = sum(len(f) for f in frames)
    assert loaded == 3
    assert loaded + len(quarantine) == 5  # rows in = loaded + quarantined
    reasons = " | ".join(q["reason"] for q in quarantine)
    assert "needs text" in reasons and "wrong number of fields" in reasons
    ids = pd.concat(frames)["message_id"]
    assert ids.is_unique


def test_readers_jsonl_bad_lines_are_named(tmp_path: Path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "Paket fehlt"}\n{broken\n[1, 2]\n\n{"text": "Danke 🙏"}\n', encoding="utf-8")
    quarantine: list[dict] = []
    frames = list(iter_file_chunks(path, chunk_size=10, quarantine=quarantine))
    assert sum(len(f) for f in frames) == 2
    assert sorted(q["record"] for q in quarantine) == ["2", "3"]
    assert all(q["source"].startswith("posts.jsonl:") for q in quarantine)


def test_readers_missing_file_is_a_load_error(tmp_path: Path):
    with pytest.raises(LoadError, match="does not exist"):
        list(iter_file_chunks(tmp_path / "nope.csv"))


def test_read_annotated_rejects_a_file_that_is_not_parquet(tmp_path: Path):
    bad = tmp_path / "annotated.parquet"
    bad.write_text("not parquet", encoding="utf-8")
    with pytest.raises(LoadError, match="not a readable Parquet file"):
        read_annotated(bad)
    with pytest.raises(LoadError, match="does not exist"):
        read_annotated(tmp_path / "missing.parquet")

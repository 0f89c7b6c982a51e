"""si.load entry point: sources, formats registry, DataFrames, warnings, id collisions, errors."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.errors import LoadError, UnknownFormatError
from supportinsight.loaders import Format, formats, register_format
from supportinsight.loaders.records import Context, Parsed
from supportinsight.loaders.registry import FORMATS


def test_load_api_formats_lists_every_source_kind():
    names = set(formats())
    assert {"csv", "tsv", "json", "jsonl", "xlsx", "zendesk", "freshdesk", "chat_json", "chat_text", "whatsapp",
            "twcs", "social_jsonl", "eml", "mbox", "dataframe"} <= names
    assert si.load.formats() == formats()


def test_load_api_dataframe_with_mapping_and_canonical_passthrough():
    df = pd.DataFrame({"Ticket": ["A", "A"], "Nachricht": ["Paket fehlt 😡", "Kommt morgen"],
                       "Rolle": ["Kunde", "Agent"], "Score": [1, 2]})
    frame = si.load(df, mapping={"text": "Nachricht", "conversation_id": "Ticket"}, channel="email")
    assert frame["author_role"].tolist() == ["customer", "agent"]
    assert frame["channel"].tolist() == ["email", "email"]
    assert frame["extra_score"].tolist() == [1, 2]
    assert frame["source"].tolist() == ["dataframe:1", "dataframe:2"]
    again = si.load(frame)
    pd.testing.assert_frame_equal(again, frame)


def test_load_api_quarantine_warning_or_tuple(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,date\nok,2024-01-01\n,2024-01-02\n", encoding="utf-8")
    with pytest.warns(si.QuarantineWarning, match=r"1 of 2 input rows.*return_quarantine=True"):
        frame = si.load(path)
    assert len(frame) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame, quarantine = si.load(path, return_quarantine=True)
    assert list(quarantine.columns) == ["source", "file", "record", "field", "reason", "raw"]
    assert quarantine["source"].iloc[0] == "t.csv:2"


def test_load_api_message_ids_unique_across_files(tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("id,text\n1,hallo\n2,hi\n", encoding="utf-8")
    frame = si.load(tmp_path)
    assert frame["message_id"].tolist() == ["a:1", "a:2", "b:1", "b:2"]
    assert frame["source"].tolist() == ["a.csv:1", "a.csv:2", "b.csv:1", "b.csv:2"]
    twice = si.load([tmp_path / "a.csv", tmp_path / "a.csv"])
    assert twice["message_id"].is_unique


def test_load_api_folder_skips_unsupported_files(tmp_path):
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "t.csv").write_text("text\nhallo\n", encoding="utf-8")
    assert len(si.load(tmp_path)) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LoadError, match="no supported files"):
        si.load(empty)


def test_load_api_clear_errors(tmp_path):
    with pytest.raises(LoadError, match="does not exist"):
        si.load(tmp_path / "missing.csv")
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02 binary")
    with pytest.raises(UnknownFormatError, match="format= one of"):
        si.load(tmp_path / "x.bin")
    with pytest.raises(si.ConfigError, match="unknown format 'excel'"):
        si.load(tmp_path / "x.bin", format="excel")
    with pytest.raises(si.ConfigError, match="channel"):
        si.load(tmp_path / "x.bin", channel="fax")
    with pytest.raises(si.ConfigError, match="source"):
        si.load(42)


def test_load_api_register_custom_format(tmp_path):
    def loader(ctx: Context) -> Parsed:
        parsed = Parsed(name=ctx.name)
        for i, line in enumerate(ctx.file.read_text(encoding="utf-8").splitlines(), start=1):
            parsed.add({"conversation_id": "x", "message_id": f"x{i}", "channel": "phone",
                        "author_role": "customer", "text": line, "source": f"{ctx.name}:{i}"})
        return parsed

    fmt = Format("callnotes", loader, lambda peek: 0.99 if peek.ext == ".notes" else 0.0, (".notes",), "notes")
    register_format(fmt)
    try:
        (tmp_path / "a.notes").write_text("Kunde ruft an\nwill stornieren\n", encoding="utf-8")
        frame = si.load(tmp_path / "a.notes")
        assert frame["channel"].tolist() == ["phone", "phone"]
        with pytest.raises(si.ConfigError, match="already registered"):
            register_format(fmt)
    finally:
        FORMATS.pop("callnotes", None)

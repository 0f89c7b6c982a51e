"""Property tests: any bytes, any format -> LoadError or a frame, and rows in = loaded + quarantined."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import supportinsight as si
from supportinsight.errors import LoadError

EXTENSIONS = [".csv", ".tsv", ".json", ".jsonl", ".txt", ".eml", ".mbox", ".xlsx"]
FORMATS = ["auto", "csv", "json", "jsonl", "zendesk", "freshdesk", "chat_json", "chat_text", "whatsapp", "twcs",
           "social_jsonl", "eml", "mbox"]
SETTINGS = settings(max_examples=int(__import__("os").environ.get("SI_FUZZ_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# text that looks like the real thing often enough to reach the parsers' inner branches
_pieces = st.sampled_from(["text", "id", ",", ";", "\t", "\n", '"', "{", "}", "[", "]", ":", "Kunde", "Agent",
                           "01.03.24, 10:02 - ", "[2024-03-01 10:02] ", '"messages": [', '"tickets": [',
                           "From x\n", "Subject: a\n", "tweet_id,author_id,inbound,text\n", "True", "ä😡",
                           "\x00", "\r", "\ufeff", "null", "1.234,56", "Message-ID: <a@b>\n"])
_texty = st.lists(st.one_of(_pieces, st.text(max_size=20)), max_size=40).map("".join)


def _check(path, fmt):
    try:
        frame, quarantine = si.load(path, format=fmt, return_quarantine=True)
    except LoadError:
        return
    assert frame.attrs["rows_in"] == len(frame) + len(quarantine)
    si.validate_frame(frame)


@SETTINGS
@given(data=st.binary(max_size=2000), ext=st.sampled_from(EXTENSIONS))
def test_load_properties_arbitrary_bytes_never_crash(tmp_path, data, ext):
    path = tmp_path / f"in{ext}"
    path.write_bytes(data)
    _check(path, "auto")


@SETTINGS
@given(text=_texty, ext=st.sampled_from(EXTENSIONS[:-1]), fmt=st.sampled_from(FORMATS))
def test_load_properties_structured_text_never_crash(tmp_path, text, ext, fmt):
    path = tmp_path / f"in{ext}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _check(path, fmt)


@SETTINGS
@given(rows=st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), max_size=20))
def test_load_properties_csv_rows_are_all_accounted_for(tmp_path, rows):
    import csv

    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "date"])
        w.writerows(rows)
    _check(path, "csv")


@pytest.mark.parametrize("fmt", ["zendesk", "chat_json", "json"])
def test_load_properties_deeply_nested_json_is_a_clear_record(tmp_path, fmt):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _check(path, fmt)

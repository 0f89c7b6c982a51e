"""Everyday and hostile files lose no message a user would want kept (fixtures in tests/data/load/).

Unreadable dates, roles and channels cost the field, not the message; an unbalanced
quote does not swallow the rows after it; UTF-16 without a byte-order mark is read
as text; oversized integers and lone surrogates become quarantined lines or clear
errors; attachment payloads are never decoded. Every load keeps
rows in = loaded + quarantined.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import warnings
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.errors import LoadError
from supportinsight.loaders.delimited import read_delimited
from supportinsight.loaders.mime import MAX_TEXT_PART_BYTES, iter_mbox, read_mail
from supportinsight.loaders.records import Context, Parsed
from supportinsight.loaders.sniff import decode, utf16_without_bom

DATA = Path(__file__).resolve().parent / "data" / "load"


def _load(path, **kw):
    frame, quarantine = si.load(path, return_quarantine=True, **kw)
    assert frame.attrs["rows_in"] == len(frame) + len(quarantine)
    return frame, quarantine


def test_loaders_hostile_unreadable_date_role_channel_keep_the_message():
    frame, quarantine = _load(DATA / "bad_fields.csv")
    assert frame["message_id"].tolist() == ["1", "2", "3", "4", "5"]
    assert frame.attrs["rows_in"] == 6 and frame.attrs["rows_with_warnings"] == 4
    notes = frame.set_index("message_id")["load_warnings"]
    assert notes["1"] == ""
    assert notes["2"].startswith("Datum: timestamp 'kein Datum'") and notes["2"].endswith("kept without a time")
    assert "'gestern'" in notes["3"] and "'31.02.2026 09:00' is not a valid date" in notes["4"]
    assert "Rolle: 'Praktikant' is no known role" in notes["5"]
    assert "Kanal: 'Brieftaube' is no known channel; kept as other" in notes["5"]
    by_id = frame.set_index("message_id")
    assert by_id["timestamp"].isna().tolist() == [False, True, True, True, False]
    assert by_id.loc["5", "author_role"] == "unknown" and by_id.loc["5", "channel"] == "other"
    assert by_id.loc["3", "author_role"] == "agent" and by_id.loc["2", "channel"] == "email"
    # only the row without text is quarantined
    assert quarantine["record"].tolist() == ["6"] and "needs text" in quarantine["reason"].iloc[0]


def test_loaders_hostile_notes_are_counted_in_the_warning():
    with pytest.warns(si.QuarantineWarning, match=r"1 of 6 input rows.*4 more were loaded with a note in "
                                                  r"'load_warnings'"):
        si.load(DATA / "bad_fields.csv")


def test_loaders_hostile_clean_loads_have_an_empty_warnings_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,date\nhallo,2024-01-01\n", encoding="utf-8")
    frame = si.load(path)
    assert frame["load_warnings"].tolist() == [""] and frame["load_warnings"].dtype == "string"
    assert frame.attrs["rows_with_warnings"] == 0
    again = si.load(frame)
    assert again["load_warnings"].tolist() == [""]


def test_loaders_hostile_broken_mail_date_headers_keep_the_mail():
    frame, quarantine = _load(DATA / "bad_dates.mbox")
    assert len(quarantine) == 0 and len(frame) == 4
    assert frame["timestamp"].isna().tolist() == [True, True, True, False]
    assert frame["text"].str.strip().tolist()[:3] == ["Wo bleibt mein Paket?", "Die Rechnung ist falsch.",
                                                      "Bitte um Rueckruf."]
    notes = frame["load_warnings"].tolist()
    assert notes[0].startswith("Date: timestamp 'kein Datum'")
    assert "31 Feb 2026" in notes[1] and "'gestern'" in notes[2] and notes[3] == ""


@pytest.mark.parametrize("text, field", [
    ('{"conversations": [{"id": "c1", "messages": [{"time": "gestern", "sender": "Kunde", "text": "Hallo"}]}]}',
     "time"),
    ('{"tickets": [{"id": 7, "requester_id": 1, "comments": [{"id": 1, "body": "Hallo", "author_id": 1, '
     '"created_at": "kein Datum"}]}]}', "created_at"),
])
def test_loaders_hostile_json_sources_keep_messages_with_bad_times(tmp_path, text, field):
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    frame, quarantine = _load(path)
    assert len(frame) == 1 and len(quarantine) == 0
    assert pd.isna(frame["timestamp"].iloc[0]) and frame["load_warnings"].iloc[0].startswith(f"{field}: ")


# --------------------------------------------------------------------------- unbalanced quotes

def test_loaders_hostile_unbalanced_quote_does_not_swallow_rows():
    frame, quarantine = _load(DATA / "unbalanced_quote.csv")
    assert frame["text"].tolist() == ["first", "third", "fourth"]
    assert frame["message_id"].tolist() == ["1", "3", "4"]
    assert frame.attrs["rows_in"] == 4  # as many records as the file has lines after the header
    assert quarantine["record"].tolist() == ["2"]
    assert "never closed" in quarantine["reason"].iloc[0]
    assert quarantine["raw"].iloc[0] == '2,"second starts quote'


def test_loaders_hostile_quote_open_to_the_end_of_the_file():
    frame, quarantine = _load(DATA / "unbalanced_quote_eof.csv")
    # a real multi-line message keeps its lines
    assert frame["text"].tolist() == ["Hallo,\nzweite Zeile einer echten Nachricht", "kein Problem"]
    assert quarantine["record"].tolist() == ["3", "4"]
    assert "still open at the end of the file" in quarantine["reason"].iloc[0]
    assert "has 1 fields" in quarantine["reason"].iloc[1]


@pytest.mark.parametrize("content, expected, quarantined", [
    # a closing quote further down ends the run-away field: the lines between are still records
    ('id,text\n1,"opens\n2,second\n3,"closes here, with a comma"\n', ["second", "closes here, with a comma"], 1),
    # a quoted field with a line break and an escaped quote is one record
    ('id,text\n1,"line one\nline ""two"""\n2,next\n', ['line one\nline "two"', "next"], 0),
    # a single-column file: every line looks like a record, so only an open quote at the end counts
    ('text\n"eins\nzwei"\ndrei\n', ["eins\nzwei", "drei"], 0),
    # a well-formed message whose lines hold commas is one record, although its lines look like records
    ('id,text\n1,"Hallo,\nich warte seit Tagen, wo bleibt das Paket?"\n2,next\n',
     ["Hallo,\nich warte seit Tagen, wo bleibt das Paket?", "next"], 0),
    # a swallowed line that opens a quote of its own is quarantined too
    ('id,text\n1,"opens\n2,"also opens\n3,third\n', ["third"], 2),
])
def test_loaders_hostile_quote_cases(tmp_path, content, expected, quarantined):
    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    parsed = Parsed(name=path.name)
    _, rows = read_delimited(Context(file=path), parsed)
    assert [r["text"] for _, r in rows] == expected
    assert len(parsed.quarantine) == quarantined


def test_loaders_hostile_every_line_opening_a_quote_is_read_once(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text\n" + "".join(f'{i},"offen {i}\n' for i in range(5_000)), encoding="utf-8")
    frame, quarantine = _load(path)
    assert len(frame) == 0 and len(quarantine) == 5_000  # each line once, not each line again per broken line


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("name, encoding", [("utf16le_no_bom.csv", "utf-16-le"), ("utf16be_no_bom.csv",
                                                                                    "utf-16-be")])
def test_loaders_hostile_utf16_without_bom_is_read_as_text(name, encoding):
    data = (DATA / name).read_bytes()
    assert utf16_without_bom(data) == encoding and decode(data)[1] == encoding
    frame, quarantine = _load(DATA / name)
    assert len(quarantine) == 0
    assert frame["text"].tolist() == ["Grüße aus Köln", "Der Föhn ist kaputt"]
    assert not frame["text"].str.contains("\x00").any()


def test_loaders_hostile_nul_heavy_text_is_refused_clearly():
    with pytest.raises(LoadError, match=r"utf32_no_bom.csv.*NUL characters.*save it as UTF-8"):
        si.load(DATA / "utf32_no_bom.csv")


def test_loaders_hostile_stray_nul_becomes_replacement_character(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,text\n1," + b"x" * 200 + b"\x00y\n")
    frame = si.load(path)
    assert frame["text"].iloc[0].endswith("\ufffdy") and "\x00" not in frame["text"].iloc[0]


def test_loaders_hostile_binary_heads_are_not_taken_for_utf16():
    zipped = (Path(si.__file__).parents[2] / "data" / "samples" / "tickets_webform.xlsx").read_bytes()
    assert utf16_without_bom(zipped) is None
    assert utf16_without_bom("plain ascii text, no NUL".encode()) is None


# --------------------------------------------------------------------------- JSON values

def test_loaders_hostile_jsonl_huge_integer_and_lone_surrogate_are_quarantined():
    frame, quarantine = _load(DATA / "hostile_values.jsonl")
    assert frame["message_id"].tolist() == ["a1", "a4"]
    assert frame["text"].iloc[1] == "alles gut 😀"  # an escaped surrogate pair is a real emoji
    by_record = quarantine.set_index("record")
    assert by_record.loc["2", "field"] == "order_no" and "5,000 digits" in by_record.loc["2", "reason"]
    assert by_record.loc["3", "field"] == "text" and "lone surrogate (\\udc00)" in by_record.loc["3", "reason"]
    frame.to_parquet(io.BytesIO())  # what is loaded can be written


@pytest.mark.parametrize("name, record, field, why", [
    ("huge_int.json", 2, "rating", "5,000 digits"),
    ("lone_surrogate.json", 3, "author.name", "lone surrogate"),
])
def test_loaders_hostile_json_document_names_file_record_and_field(name, record, field, why):
    with pytest.raises(LoadError) as info:
        si.load(DATA / name)
    err = info.value
    assert err.file.endswith(name) and err.row == record and err.field == field
    assert why in str(err) and f"row {record}" in str(err)


def test_loaders_hostile_zendesk_jsonl_surrogate_is_quarantined(tmp_path):
    path = tmp_path / "zd.jsonl"
    good = {"id": 1, "requester_id": 5, "comments": [{"id": 1, "body": "Hallo", "author_id": 5}]}
    bad = json.dumps(good).replace("Hallo", "\\udc00").replace('"id": 1,', '"id": 2,', 1)
    path.write_text(json.dumps(good) + "\n" + bad + "\n", encoding="utf-8")
    frame, quarantine = _load(path, format="zendesk")
    assert len(frame) == 1 and quarantine["field"].tolist() == ["comments[1].body"]


# --------------------------------------------------------------------------- attachments

def test_loaders_hostile_attachments_keep_name_type_and_size():
    frame, quarantine = _load(DATA / "attachment.eml")
    row = frame.iloc[0]
    assert row["text"].strip() == "Hallo, anbei ein Video und die Rechnung."
    assert row["extra_attachments"] == "defekt.mp4, Rechnung.pdf"
    assert json.loads(row["extra_attachment_details"]) == [
        {"name": "defekt.mp4", "type": "video/mp4", "size": 10240},
        {"name": "Rechnung.pdf", "type": "application/pdf", "size": 13}]
    with (DATA / "attachment.eml").open("rb") as fh:
        mail = read_mail(fh)
    assert len(mail.data) < 1500  # the payloads never reach the mail parser


def _big_mail(size: int) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Max <max@example.de>", "support@shop.example", "Video"
    m["Message-ID"] = "<big@example.de>"
    m.set_content("Hallo, anbei das Video vom kaputten Gerät.")
    m.add_attachment(bytes(range(256)) * (size // 256), maintype="video", subtype="mp4", filename="defekt.mp4")
    return m.as_bytes()


def test_loaders_hostile_large_attachment_costs_no_memory(tmp_path):
    size = 12 * 1024 * 1024
    path = tmp_path / "big.mbox"
    path.write_bytes(b"From max@example.de Mon Mar  2 09:00:00 2026\n" + _big_mail(size) + b"\n"
                     + b"From max@example.de Mon Mar  2 10:00:00 2026\n"
                     + _big_mail(1024).replace(b"<big@", b"<small@"))
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            frame = si.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(frame) == 2
    assert json.loads(frame["extra_attachment_details"].iloc[0])[0]["size"] == size
    assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a {size:,} byte attachment"


def test_loaders_hostile_oversized_text_part_is_quarantined_not_held():
    body = b"From: a@example.de\nSubject: x\nContent-Type: text/plain\n\n" + b"a" * 70 + b"\n"
    data = body + (b"b" * 70 + b"\n") * (MAX_TEXT_PART_BYTES // 70 + 10)
    mails = list(iter_mbox(io.BytesIO(b"From x\n" + data)))
    assert len(mails) == 1 and mails[0].oversize and len(mails[0].data) < 200


def test_loaders_hostile_nested_and_forwarded_parts_are_cut(tmp_path):
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "shop@example.de", "Rechnung"
    inner.set_content("Ihre Rechnung")
    inner.add_attachment(b"x" * 3000, maintype="application", subtype="pdf", filename="inner.pdf")
    outer = EmailMessage()
    outer["From"], outer["Subject"], outer["Message-ID"] = "max@example.de", "Fwd: Rechnung", "<fwd@x>"
    outer.set_content("Die Rechnung stimmt nicht.")
    outer.add_attachment(inner)
    mail = read_mail(io.BytesIO(outer.as_bytes()))
    assert [a.name for a in mail.attachments] == ["inner.pdf"] and mail.attachments[0].size == 3000
    path = tmp_path / "fwd.eml"
    path.write_bytes(outer.as_bytes())
    frame = si.load(path)
    assert frame["text"].iloc[0].startswith("Die Rechnung stimmt nicht.")

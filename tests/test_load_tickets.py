"""Ticket exports: delimiters, encodings, German numbers and dates, mappings, Excel, Zendesk, Freshdesk."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.errors import LoadError
from supportinsight.loaders.records import MAX_ROW_BYTES


def _load(path, **kw):
    return si.load(path, return_quarantine=True, **kw)


@pytest.mark.parametrize("encoding, bom", [("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_load_tickets_german_excel_csv_encodings(tmp_path, encoding, bom):
    text = ("Ticket-Nr.;Datum;Rolle;Nachricht;Betrag;Anzahl;PLZ\r\n"
            "T1;01.03.2024 10:02;Kunde;Größe passt nicht, Rücksendung?;1.234,56;2;01067\r\n"
            "T1;1.3.24 11:00;Agent;Gerne, Etikett anbei.;0,5;;80331\r\n")
    path = tmp_path / "export.csv"
    path.write_bytes(bom + text.encode(encoding))
    frame, quarantine = _load(path)
    assert len(quarantine) == 0
    assert frame["text"].iloc[0] == "Größe passt nicht, Rücksendung?"
    assert frame["author_role"].tolist() == ["customer", "agent"]
    assert frame["conversation_id"].tolist() == ["T1", "T1"]
    assert frame["timestamp"].tolist() == [pd.Timestamp("2024-03-01 10:02", tz="UTC"),
                                           pd.Timestamp("2024-03-01 11:00", tz="UTC")]
    assert frame["extra_betrag"].tolist() == [1234.56, 0.5]
    assert frame["extra_anzahl"].tolist()[0] == 2 and pd.isna(frame["extra_anzahl"].iloc[1])
    assert frame["extra_plz"].tolist() == ["01067", "80331"]  # a leading zero keeps the column text


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_load_tickets_delimiters_are_sniffed(tmp_path, delim):
    path = tmp_path / "t.csv"
    path.write_text(delim.join(["id", "text", "created_at"]) + "\n"
                    + delim.join(["1", "hello there", "2024-03-01T10:00:00Z"]) + "\n"
                    + delim.join(["2", "where is my parcel", "2024-03-02T10:00:00+01:00"]) + "\n", encoding="utf-8")
    frame = si.load(path)
    assert frame["text"].tolist() == ["hello there", "where is my parcel"]
    assert frame["timestamp"].iloc[1] == pd.Timestamp("2024-03-02 09:00", tz="UTC")
    assert frame["message_id"].tolist() == ["1", "2"]


def test_load_tickets_tz_parameter_converts_naive_times(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text;Datum\nHallo;15.01.2024 10:00\n", encoding="utf-8")
    assert si.load(path, tz="Europe/Berlin")["timestamp"].iloc[0] == pd.Timestamp("2024-01-15 09:00", tz="UTC")
    with pytest.raises(si.ConfigError, match="tz"):
        si.load(path, tz="Mars/Olympus")


def test_load_tickets_bad_rows_are_quarantined_not_lost(tmp_path):
    path = tmp_path / "t.csv"
    huge = "x" * (MAX_ROW_BYTES + 10)
    path.write_text("id,text,date\n1,ok,2024-01-01\n2,too,many,fields\n3,,2024-01-01\n4,bad date,32.01.2024\n"
                    f"5,{huge},2024-01-01\n1,duplicate id,2024-01-02\n6,fine,\n", encoding="utf-8")
    frame, quarantine = _load(path)
    assert frame["message_id"].tolist() == ["1", "4", "6"]
    assert sorted(quarantine["record"]) == ["2", "3", "5", "6"]
    reasons = " | ".join(quarantine["reason"])
    for part in ("has 4 fields, the header has 3", "empty 'text'", "over the limit", "repeats"):
        assert part in reasons
    assert quarantine["raw"].str.len().max() <= 2_010
    assert frame.attrs["rows_in"] == 7 == len(frame) + len(quarantine)
    # an unreadable date costs the date, not the message
    assert pd.isna(frame["timestamp"].iloc[1]) and "32.01.2024" in frame["load_warnings"].iloc[1]
    assert frame["load_warnings"].tolist()[::2] == ["", ""] and frame.attrs["rows_with_warnings"] == 1
    assert pd.isna(frame["timestamp"].iloc[2])


def test_load_tickets_huge_field_under_limit_is_kept_whole(tmp_path):
    path = tmp_path / "t.csv"
    big = "sehr lang " * 50_000
    path.write_text(f'text\n"{big}"\n', encoding="utf-8")
    frame = si.load(path)
    assert frame["text"].iloc[0] == big


def test_load_tickets_empty_files_load_nothing(tmp_path):
    for name in ("e.csv", "e.json", "e.jsonl", "e.txt", "e.eml", "e.mbox", "e.xlsx"):
        (tmp_path / name).write_bytes(b"")
    frame, quarantine = _load(sorted(tmp_path.iterdir()))
    assert len(frame) == 0 and len(quarantine) == 0
    si.validate_frame(frame)


def test_load_tickets_missing_text_column_says_what_to_do(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"no text column.*mapping=\{'text'"):
        si.load(path)
    with pytest.raises(LoadError, match="mapping names column 'Nachricht'"):
        si.load(path, mapping={"text": "Nachricht"})
    with pytest.raises(LoadError, match="not a canonical column"):
        si.load(path, mapping={"txt": "a"})


def test_load_tickets_mapping_constants_file_and_extras(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Fall,Inhalt,Von,Kundennummer\nA-1,Hallo,Kundin,K-1\nA-1,Hi,Support,\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("text: Inhalt\nconversation_id: Fall\nauthor_role: Von\nchannel: email\n", encoding="utf-8")
    frame = si.load(path, mapping=mapping)
    assert frame["channel"].tolist() == ["email", "email"]
    assert frame["author_role"].tolist() == ["customer", "agent"]
    assert frame["author_id"].tolist()[0] == "K-1"
    assert frame["conversation_id"].tolist() == ["A-1", "A-1"]


def test_load_tickets_one_row_per_ticket_makes_one_conversation_each(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("ticket_id\tsubject\tdescription\n7\tLieferung\tWo ist mein Paket?\n8\tRechnung\tRechnung fehlt\n",
                    encoding="utf-8")
    frame = si.load(path)
    assert frame["conversation_id"].tolist() == ["7", "8"]
    assert frame["subject"].tolist() == ["Lieferung", "Rechnung"]
    assert frame["author_role"].tolist() == ["customer", "customer"]


def test_load_tickets_comment_with_quoted_mail_gets_clean_body(tmp_path):
    path = tmp_path / "t.csv"
    text = "Passt, danke!\n\nViele Grüße\nJana\n\nAm 01.03.2024 um 10:02 schrieb Support:\n> Ihr Paket kommt."
    pd.DataFrame({"text": [text]}).to_csv(path, index=False)
    frame = si.load(path)
    assert frame["text"].iloc[0] == text
    assert frame["body"].iloc[0] == "Passt, danke!"


def test_load_tickets_json_and_jsonl(tmp_path):
    doc = {"data": [{"id": "a", "message": "Hallo", "customer": {"email": "x@y.de"}}, "not an object",
                    {"id": "b", "message": "Hi", "tags": ["x", "y"]}]}
    (tmp_path / "t.json").write_text(json.dumps(doc), encoding="utf-8")
    frame, quarantine = _load(tmp_path / "t.json")
    assert frame["text"].tolist() == ["Hallo", "Hi"]
    assert "extra_customer_email" in frame.columns and frame["extra_tags"].iloc[1] == '["x", "y"]'
    assert quarantine["record"].tolist() == ["2"]
    (tmp_path / "t.jsonl").write_text('{"text": "eins"}\n{"text": "zwei"\n\n{"text": "drei"}\n', encoding="utf-8")
    frame, quarantine = _load(tmp_path / "t.jsonl")
    assert frame["text"].tolist() == ["eins", "drei"]
    assert quarantine["record"].tolist() == ["2"] and "not valid JSON" in quarantine["reason"].iloc[0]


def test_load_tickets_broken_json_document_is_one_quarantined_record(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('[{"text": "a"}, {"text": "b"', encoding="utf-8")
    frame, quarantine = _load(path)
    assert len(frame) == 0 and quarantine["record"].tolist() == ["document"]
    assert "line 1" in quarantine["reason"].iloc[0]


def test_load_tickets_xlsx_roundtrip_and_corrupt_workbooks(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Ticket", "Erstellt", "Nachricht", "Wert"])
    ws.append(["X1", datetime(2024, 3, 1, 10, 2), "Gerät defekt 😡", 12.5])
    ws.append([None, None, None, None])
    ws.append(["X2", "02.03.2024 09:00", None, 3])
    wb.save(tmp_path / "t.xlsx")
    frame, quarantine = _load(tmp_path / "t.xlsx")
    assert frame["text"].tolist() == ["Gerät defekt 😡"]
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 10:02", tz="UTC")
    assert frame["extra_wert"].iloc[0] == 12.5
    assert quarantine["record"].tolist() == ["2"]
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError, match="not a readable .xlsx"):
        si.load(tmp_path / "bad.xlsx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(LoadError, match="save it as .xlsx"):
        si.load(tmp_path / "old.xls")


def test_load_tickets_zendesk_roles_private_notes_and_broken_tickets(tmp_path):
    doc = {"tickets": [
        {"id": 1, "subject": "Paket", "requester_id": 10, "via": {"channel": "web"}, "comments": [
            {"id": 100, "author_id": 10, "public": True, "body": "Wo ist mein Paket?", "created_at": "2024-03-01T10:00:00Z"},
            {"id": 101, "author_id": 20, "public": False, "body": "intern: Spedition fragen",
             "created_at": "2024-03-01T10:05:00Z", "via": {"channel": "api"}},
            {"id": 102, "author_id": 20, "public": True, "body": "Kommt morgen.", "created_at": "2024-03-01T10:06:00Z"},
            {"id": 103, "author_id": 10, "public": True, "body": None}]},
        {"id": 2, "subject": "kaputt"},
        "junk"],
        "users": [{"id": 10, "role": "end-user", "email": "kunde@example.de"},
                  {"id": 20, "role": "agent", "email": "agent@shop.example"}]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    frame, quarantine = _load(path)
    assert frame.attrs["formats"][str(path)] == "zendesk"
    assert frame["author_role"].tolist() == ["customer", "agent", "agent"]
    assert frame["extra_public"].tolist() == [True, False, True]
    assert frame["extra_comment_via"].tolist()[1] == '{"channel": "api"}'
    assert frame["channel"].unique().tolist() == ["web_form"]
    assert frame["author_id"].iloc[0] == "kunde@example.de"
    assert frame["conversation_id"].unique().tolist() == ["zendesk-1"]
    assert quarantine["record"].tolist() == ["1.4", "2", "3"]


def test_load_tickets_freshdesk_export(tmp_path):
    path = tmp_path / "fd.csv"
    pd.DataFrame({"Ticket ID": [5, 6], "Subject": ["a", "b"], "Description": ["Rechnung fehlt", "Great shop!"],
                  "Source": ["Portal", "Email"], "Status": ["Open", "Closed"],
                  "Created time": ["2024-03-01 10:00:00", "2024-03-02 11:00:00"],
                  "Email": ["a@x.de", "b@y.com"]}).to_csv(path, index=False)
    frame = si.load(path)
    assert frame.attrs["formats"][str(path)] == "freshdesk"
    assert frame["conversation_id"].tolist() == ["freshdesk-5", "freshdesk-6"]
    assert frame["channel"].tolist() == ["web_form", "email"]
    assert frame["author_id"].tolist() == ["a@x.de", "b@y.com"]
    assert frame["extra_status"].tolist() == ["Open", "Closed"]

"""Chat transcripts: JSON conversations, '[time] Name:' lines, WhatsApp exports, speaker roles."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import supportinsight as si


def test_load_chats_text_lines_multiline_and_separators(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "--- Chat 4711 ---\n"
        "[2024-03-01 10:02] Kunde: Hallo, mein Paket fehlt\n"
        "Bestellung 123\n"
        "Hinweis: Nachbar war nicht da\n"
        "[2024-03-01 10:05] Agent: Ich schaue nach.\n"
        "\n"
        "=== Chat 4712 ===\n"
        "[2024-03-02 09:00] Customer: hi :)\n"
        "Bot: Hello! How can I help?\n", encoding="utf-8")
    frame, quarantine = si.load(path, return_quarantine=True)
    assert len(quarantine) == 0
    assert frame["conversation_id"].tolist() == ["chat:4711", "chat:4711", "chat:4712", "chat:4712"]
    assert frame["text"].iloc[0] == "Hallo, mein Paket fehlt\nBestellung 123\nHinweis: Nachbar war nicht da"
    assert frame["author_role"].tolist() == ["customer", "agent", "customer", "bot"]
    assert pd.isna(frame["timestamp"].iloc[3])
    assert frame["source"].iloc[1] == "chat.txt:5"


def test_load_chats_text_bad_lines_are_quarantined_bad_times_kept(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("Export vom 01.03.2024\n[2024-03-01 10:02] Kunde: ok\n[2024-02-30 10:00] Kunde: kaputt\n",
                    encoding="utf-8")
    frame, quarantine = si.load(path, format="chat_text", return_quarantine=True)
    assert frame["text"].tolist() == ["ok", "kaputt"]
    assert pd.isna(frame["timestamp"].iloc[1]) and "2024-02-30" in frame["load_warnings"].iloc[1]
    assert quarantine["record"].tolist() == ["1"]


@pytest.mark.parametrize("content, first_ts", [
    ("01.03.24, 10:02 - Max Muster: Hallo\n01.03.24, 10:05 - Shop Support: Hi Max\n",
     "2024-03-01 10:02"),
    ("[3/1/24, 10:02:33 PM] Max Muster: Hallo\n[3/1/24, 10:05:00 PM] Shop Support: Hi Max\n",
     "2024-03-01 22:02:33"),
    ("13/03/2024, 09:00 - Max Muster: Hallo\n13/03/2024, 09:01 - Shop Support: Hi Max\n",
     "2024-03-13 09:00"),
    ("\u200e[01.03.24, 10:02:00] Max Muster: Hallo\n[01.03.24, 10:03:00] Shop Support: Hi Max\n",
     "2024-03-01 10:02"),
])
def test_load_chats_whatsapp_date_styles(tmp_path, content, first_ts):
    path = tmp_path / "WhatsApp Chat mit Shop.txt"
    path.write_text(content, encoding="utf-8")
    frame = si.load(path)
    assert frame.attrs["formats"][str(path)] == "whatsapp"
    assert frame["timestamp"].iloc[0] == pd.Timestamp(first_ts, tz="UTC")
    assert frame["author_role"].tolist() == ["customer", "agent"]
    assert frame["conversation_id"].nunique() == 1


def test_load_chats_whatsapp_multiline_and_system_notice(tmp_path):
    path = tmp_path / "wa.txt"
    path.write_text("01.03.24, 10:00 - Nachrichten sind Ende-zu-Ende-verschlüsselt.\n"
                    "01.03.24, 10:02 - Jana: Zeile eins\nZeile zwei 😅\n\n"
                    "01.03.24, 10:03 - Jana: <Medien ausgeschlossen>\n", encoding="utf-8")
    frame = si.load(path, roles={"Jana": "customer"})
    assert frame["text"].tolist()[1] == "Zeile eins\nZeile zwei 😅"
    # "<Medien ausgeschlossen>" is WhatsApp's placeholder, not something Jana wrote: a system row
    assert frame["extra_system"].tolist() == [True, False, True]
    assert frame["author_role"].tolist() == ["unknown", "customer", "unknown"]
    assert frame["author_id"].tolist()[2] == "Jana"


def test_load_chats_json_roles_customer_id_and_broken_messages(tmp_path):
    doc = {"conversations": [
        {"id": "c1", "customer": {"id": "K-1", "name": "Lea"}, "messages": [
            {"time": "2024-03-01T10:00:00Z", "sender": {"name": "Eli", "role": "bot"}, "text": "Hallo!"},
            {"time": "2024-03-01T10:01:00Z", "sender": "Lea", "text": "Paket fehlt", "attachments": ["a.jpg"]},
            {"time": "2024-03-01T10:03:00Z", "sender": "Tom (Kundenservice)", "text": "Ich prüfe das."},
            {"time": "2024-03-01T10:04:00Z", "sender": "Lea"},
            "oops"]},
        {"id": "c2", "messages": "not a list"},
        {"id": "c3", "messages": [{"from": "visitor", "body": "hi", "ts": "1709287320"},
                                  {"from": "Anna", "role": "agent", "message": "hello"}]}]}
    path = tmp_path / "chats.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    frame, quarantine = si.load(path, return_quarantine=True)
    assert frame["author_role"].tolist() == ["bot", "customer", "agent", "customer", "agent"]
    assert frame["author_id"].tolist()[1] == "K-1"
    assert frame["extra_message_attachments"].tolist()[1] == '["a.jpg"]'  # unmapped fields are kept
    assert frame["conversation_id"].tolist()[0] == "chats:c1"
    assert frame["timestamp"].iloc[3] == pd.Timestamp("2024-03-01 10:02:00", tz="UTC")
    assert quarantine["record"].tolist() == ["1.4", "1.5", "2"]
    assert frame.attrs["rows_in"] == 8


def test_load_chats_roles_table_defaults_and_overrides():
    from supportinsight.loaders.roles import resolve_speakers, role_of, role_table

    table = role_table({"Lisa": "agent"})
    assert role_of("Kundin", table) == "customer"
    assert role_of("ElektroHaus Service", table) == "agent"
    assert role_of("Support Bot", table) == "bot"
    assert role_of("Lisa", table) == "agent"
    assert role_of("Max Mustermann", table) is None
    assert resolve_speakers(["Max", "Kundenservice"], table) == {"Max": "customer", "Kundenservice": "agent"}
    assert resolve_speakers(["Max", "Moritz"], table) == {"Max": "unknown", "Moritz": "unknown"}
    with pytest.raises(si.ConfigError, match="allowed roles"):
        role_table({"Lisa": "boss"})

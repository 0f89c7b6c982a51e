"""Messenger artefacts (<Media omitted>, deleted messages, missed calls, the encryption notice) are
marked as system rows and kept out of customer quotes, topics and label sheets (no models run)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.aggregate.pain_points import pain_points
from supportinsight.enrich.topics import customer_documents
from supportinsight.loaders.chats import chat_artefact


@pytest.mark.parametrize("text,kind", [
    ("<Medien ausgeschlossen>", "media_omitted"),
    ("<Media omitted>", "media_omitted"),
    ("\u200eimage omitted", "media_omitted"),
    ("Bild weggelassen", "media_omitted"),
    ("IMG-20261013-WA0004.jpg (Datei angehängt)", "media_omitted"),
    ("<attached: 00000012-PHOTO-2026-10-13-09-12-00.jpg>", "media_omitted"),
    ("This message was deleted", "deleted"),
    ("Diese Nachricht wurde gelöscht.", "deleted"),
    ("You deleted this message", "deleted"),
    ("Missed voice call", "missed_call"),
    ("Missed video call, Tap to call back", "missed_call"),
    ("Verpasster Sprachanruf", "missed_call"),
    ("Waiting for this message. This may take a while.", "pending"),
    ("Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or "
     "listen to them.", "encryption_notice"),
])
def test_load_chat_artefact_kinds(text, kind):
    assert chat_artefact(text) == kind


@pytest.mark.parametrize("text", [
    "Foto anbei", "Hallo??", "Ich habe das Foto gelöscht, sorry", "The video omitted the part about the frother",
    "My call was missed twice, please call back", "Missed voice call from your hotline, again! 😡",
    "Medien ausgeschlossen?? Was soll das heißen",
])
def test_load_chat_artefact_leaves_real_messages_alone(text):
    assert chat_artefact(text) is None


WHATSAPP = ("13.10.26, 09:10 - Jonas Keller: Hi, die Ladestation ist kaputt, LED bleibt aus.\n"
            "13.10.26, 09:12 - Jonas Keller: <Medien ausgeschlossen>\n"
            "13.10.26, 09:13 - Jonas Keller: Diese Nachricht wurde gelöscht.\n"
            "13.10.26, 09:14 - Jonas Keller: Verpasster Sprachanruf\n"
            "13.10.26, 09:20 - ElektroHaus Service: Hallo Jonas, wir schicken eine neue <Diese Nachricht wurde "
            "bearbeitet>\n"
            "13.10.26, 09:30 - Jonas Keller: Danke, aber das dauert mir zu lange, echt ärgerlich\n")


@pytest.fixture
def whatsapp(tmp_path) -> pd.DataFrame:
    path = tmp_path / "WhatsApp Chat mit ElektroHaus.txt"
    path.write_text(WHATSAPP, encoding="utf-8")
    return si.load(path)


def test_load_whatsapp_marks_artefacts_as_system_rows(whatsapp):
    assert whatsapp["extra_system"].tolist() == [False, True, True, True, False, False]
    assert whatsapp["extra_artefact"].tolist()[1:4] == ["media_omitted", "deleted", "missed_call"]
    assert whatsapp["author_role"].tolist() == ["customer", "unknown", "unknown", "unknown", "agent", "customer"]
    assert whatsapp["author_id"].tolist()[1:4] == ["Jonas Keller"] * 3  # who sent it is kept
    # the edit marker is cut from the body the models read; text keeps the export as it was
    assert whatsapp["body"].iloc[4] == "Hallo Jonas, wir schicken eine neue"
    assert whatsapp["text"].iloc[4].endswith("<Diese Nachricht wurde bearbeitet>")


def test_load_samples_whatsapp_media_placeholder_and_ios_encryption_notice(samples_dir):
    de = si.load(samples_dir / "whatsapp_de.txt")
    media = de[de["text"] == "<Medien ausgeschlossen>"]
    assert len(media) == 1 and media["author_role"].iloc[0] == "unknown" and bool(media["extra_system"].iloc[0])
    en = si.load(samples_dir / "whatsapp_en.txt")
    notice = en[en["text"].str.startswith("Messages and calls are end-to-end encrypted")]
    assert notice["author_role"].tolist() == ["unknown"] and notice["extra_artefact"].tolist() == ["encryption_notice"]


def test_load_chat_json_and_text_mark_artefacts_too(tmp_path):
    doc = {"conversations": [{"id": "c1", "messages": [
        {"time": "2024-03-01T10:00:00Z", "sender": "Kunde", "text": "Paket fehlt"},
        {"time": "2024-03-01T10:01:00Z", "sender": "Kunde", "text": "This message was deleted"},
        {"time": "2024-03-01T10:02:00Z", "sender": "Agent", "text": "Wir prüfen das."}]}]}
    path = tmp_path / "chats.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    frame = si.load(path)
    assert frame["author_role"].tolist() == ["customer", "unknown", "agent"]
    assert frame["extra_system"].fillna(False).astype(bool).tolist() == [False, True, False]
    text = tmp_path / "chat.txt"
    text.write_text("[2024-03-01 10:02] Kunde: Hallo\n[2024-03-01 10:03] Kunde: <Media omitted>\n", encoding="utf-8")
    frame = si.load(text)
    assert frame["author_role"].tolist() == ["customer", "unknown"]


def _annotated(frame: pd.DataFrame) -> pd.DataFrame:
    """Hand-made annotations: every message negative at one touchpoint (no models)."""
    return frame.assign(sentiment="negative", sentiment_score=-0.9, sentiment_confidence=0.9,
                        journey_phase="service", touchpoint="customer_service", intent="complaint",
                        intents=[["complaint"]] * len(frame))


def test_artefacts_are_never_quoted_as_customer_evidence(whatsapp):
    table = pain_points(_annotated(whatsapp), period=None)
    quotes = [q for qs in table["quotes"] for q in qs]
    assert quotes and not any("ausgeschlossen" in q or "gelöscht" in q or "Sprachanruf" in q for q in quotes)
    assert int(table["messages"].sum()) == 2  # the two messages Jonas typed


def test_artefacts_stay_out_of_topic_documents(whatsapp):
    texts, rows, _ = customer_documents(whatsapp)
    assert rows.tolist() == [0, 5]
    # even where a frame lost its roles, the flag keeps them out (also as text after a streamed Parquet)
    no_roles = whatsapp.drop(columns=["author_role"]).assign(extra_system=whatsapp["extra_system"].astype(str))
    _, rows, _ = customer_documents(no_roles)
    assert 1 not in rows and 2 not in rows and 3 not in rows


def test_artefacts_are_never_put_on_a_label_sheet(whatsapp):
    from supportinsight.adapt.active import select_for_labelling

    class Fixed:
        classes_ = ["negative", "neutral", "positive"]

        def predict_proba(self, texts, **_):
            import numpy as np

            return np.full((len(texts), 3), 1 / 3)

    class NoEmbedder:
        def encode(self, texts, **_):
            import numpy as np

            return np.eye(len(texts), 8, dtype="float32")

    sheet = select_for_labelling(whatsapp, 10, model=Fixed(), roles=None, embedder=NoEmbedder())
    assert not sheet["text"].str.contains("ausgeschlossen|gelöscht|Sprachanruf").any()

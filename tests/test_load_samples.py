"""Every sample export loads with the documented counts (data/samples/README.md)."""

from __future__ import annotations

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.schema import validate_frame

# file, sniffed format, messages loaded, rows quarantined
# (rows with an unreadable date or role are loaded with a note: see NOTED)
SAMPLES = [
    ("tickets_generic_de.csv", "csv", 33, 1),
    ("tickets_zendesk.json", "zendesk", 35, 2),
    ("tickets_freshdesk.csv", "freshdesk", 18, 0),
    ("tickets_webform.xlsx", "xlsx", 12, 1),
    ("chats_widget.json", "chat_json", 86, 1),
    ("chat_transcripts_de.txt", "chat_text", 41, 1),
    ("whatsapp_de.txt", "whatsapp", 15, 0),
    ("whatsapp_en.txt", "whatsapp", 10, 0),
    ("social_twcs.csv", "twcs", 44, 1),
    ("social_posts.jsonl", "social_jsonl", 19, 1),
    ("emails_support.mbox", "mbox", 9, 1),
    ("email_lob_mitarbeiter.eml", "eml", 1, 0),
    ("email_order_never_arrived.eml", "eml", 1, 0),
    ("email_retoure_foen.eml", "eml", 1, 0),
    ("email_retoure_foen_antwort.eml", "eml", 1, 0),
    ("survey_nps.tsv", "tsv", 11, 1),
    ("reviews_shop.json", "json", 9, 1),
    ("app_feedback.jsonl", "jsonl", 9, 1),
]


# file -> the field each of its noted rows could not read
NOTED = {"tickets_generic_de.csv": ["Datum: timestamp '31.02.2026 09:00' is not a valid date"],
         "tickets_freshdesk.csv": ["Created time: timestamp 'gestern' is in no known format"],
         "chat_transcripts_de.txt": ["time: timestamp '2026-10-32 09:00' is in no known format"],
         "social_twcs.csv": ["inbound: 'maybe' is neither True nor False"]}


@pytest.fixture(scope="module")
def everything(samples_dir):
    return si.load(samples_dir, return_quarantine=True)


@pytest.mark.parametrize("name, fmt, loaded, quarantined", SAMPLES)
def test_load_samples_each_file_counts(samples_dir, name, fmt, loaded, quarantined):
    frame, quarantine = si.load(samples_dir / name, return_quarantine=True)
    assert frame.attrs["formats"] == {str(samples_dir / name): fmt}
    assert (len(frame), len(quarantine)) == (loaded, quarantined)
    assert frame.attrs["rows_in"] == len(frame) + len(quarantine)
    validate_frame(frame)
    assert frame["text"].str.len().gt(0).all()
    assert set(quarantine["file"]) <= {name}
    assert quarantine["reason"].str.len().gt(10).all()
    notes = frame.loc[frame["load_warnings"] != "", "load_warnings"].tolist()
    assert [n[:len(want)] for n, want in zip(notes, NOTED.get(name, []))] == NOTED.get(name, [])
    assert len(notes) == len(NOTED.get(name, [])) == frame.attrs["rows_with_warnings"]


def test_load_samples_folder_is_every_file(everything, samples_dir):
    frame, quarantine = everything
    assert len(frame) == sum(s[2] for s in SAMPLES)
    assert len(quarantine) == sum(s[3] for s in SAMPLES)
    assert set(frame.attrs["formats"].values()) == {s[1] for s in SAMPLES}
    assert frame["message_id"].is_unique
    assert 300 <= len(frame) <= 400


def test_load_samples_cover_channels_roles_and_eight_weeks(everything):
    frame, _ = everything
    counts = frame["channel"].value_counts()
    for channel in ("email", "chat", "social", "web_form", "review", "phone", "survey"):
        assert counts[channel] > 0, channel
    assert set(frame["author_role"].dropna()) >= {"customer", "agent", "bot"}
    # only the three messages with an unreadable date have none
    assert frame["timestamp"].isna().sum() == 3
    assert frame.loc[frame["timestamp"].isna(), "load_warnings"].str.contains("timestamp").all()
    weeks = frame["timestamp"].dt.tz_convert(None).dt.to_period("W").nunique()
    assert weeks == 8
    # the last two weeks carry the delivery/service crisis: more messages than any earlier week
    per_week = frame.groupby(frame["timestamp"].dt.tz_convert(None).dt.to_period("W")).size()
    assert per_week.iloc[-2:].min() > per_week.iloc[:-2].max()


def test_load_samples_customer_moves_from_chat_to_social(everything):
    frame, _ = everything
    jana = frame[frame["author_id"] == "K-104233"]
    assert set(jana["channel"]) == {"chat", "social"}
    first_chat = jana.loc[jana["channel"] == "chat", "timestamp"].min()
    assert jana.loc[jana["channel"] == "social", "timestamp"].min() > first_chat


def test_load_samples_email_bodies_drop_quotes_and_signatures(everything):
    frame, _ = everything
    mails = frame[frame["channel"] == "email"]
    reply = mails[mails["text"].str.contains("Am 08.09.2026 um 13:40 schrieb", regex=False)].iloc[0]
    assert "schrieb" not in reply["body"] and reply["body"].startswith("Ersatz ist angekommen")
    lange = mails[mails["text"].str.startswith("Sehr geehrte Damen und Herren")].iloc[0]
    assert "Mit freundlichen Grüßen" in lange["text"] and "Mit freundlichen" not in lange["body"]
    html_only = mails[mails["extra_html_only"] == True]  # noqa: E712
    assert len(html_only) >= 2 and not html_only["text"].str.contains("<").any()


def test_load_samples_german_excel_export_details(samples_dir):
    with pytest.warns(si.QuarantineWarning, match="1 of 34 input rows.*1 more were loaded with a note"):
        frame = si.load(samples_dir / "tickets_generic_de.csv", tz="Europe/Berlin")
    first = frame.iloc[0]
    # 01.09.2026 09:12 Berlin summer time = 07:12 UTC
    assert first["timestamp"] == pd.Timestamp("2026-09-01 07:12", tz="UTC")
    assert frame["extra_bestellwert"].dtype.kind == "f"
    assert frame["extra_bestellwert"].max() == 1299.0
    assert frame["author_id"].isna().sum() > 0  # agents have no e-mail in this export
    assert frame["conversation_id"].nunique() == 12  # T-20500 has only the message with the bad date
    assert not frame["text"].str.contains("Ã").any()
    assert (frame["extra_name"] == "Jürgen Becker").any()

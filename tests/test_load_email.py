"""E-mail: .eml and .mbox, multipart, HTML-only, no text part, threads, charsets."""

from __future__ import annotations

from email.message import EmailMessage

import pandas as pd

import supportinsight as si
from supportinsight.loaders.email import html_to_text, split_mbox


def _mail(frm="Max <max@example.de>", subject="Paket", text=None, html=None, msgid="<m1@example.de>",
          refs=None, date="Fri, 01 Mar 2024 10:02:00 +0100"):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Date"], m["Message-ID"] = frm, "support@shop.example", subject, date, msgid
    if refs:
        m["References"] = " ".join(refs)
        m["In-Reply-To"] = refs[-1]
    if text is not None:
        m.set_content(text)
        if html:
            m.add_alternative(html, subtype="html")
    elif html is not None:
        m.set_content(html, subtype="html")
    return m


def test_load_email_eml_plain_with_quote_and_signature(tmp_path):
    text = ("Hallo,\nwo bleibt mein Paket?\n\nMit freundlichen Grüßen\nMax Muster\n\n"
            "-----Ursprüngliche Nachricht-----\nVon: Shop\nGesendet: Montag\nAn: Max\nBetreff: Versand\n\nKommt bald.")
    (tmp_path / "a.eml").write_bytes(_mail(text=text).as_bytes())
    frame = si.load(tmp_path / "a.eml")
    row = frame.iloc[0]
    assert row["text"].strip() == text
    assert row["body"] == "Hallo,\nwo bleibt mein Paket?"
    assert row["timestamp"] == pd.Timestamp("2024-03-01 09:02", tz="UTC")
    assert row["author_role"] == "customer" and row["author_id"] == "max@example.de"
    assert row["channel"] == "email" and row["subject"] == "Paket"


def test_load_email_html_only_and_multipart_alternative(tmp_path):
    html = "<html><head><style>p{}</style></head><body><p>Hi,<br>the kettle leaks.</p>" \
           "<blockquote>old text</blockquote></body></html>"
    (tmp_path / "h.eml").write_bytes(_mail(html=html, msgid="<h@x>").as_bytes())
    (tmp_path / "m.eml").write_bytes(_mail(text="plain wins", html="<p>html loses</p>", msgid="<m@x>").as_bytes())
    frame = si.load(tmp_path)
    by_id = frame.set_index("message_id")
    assert by_id.loc["h@x", "text"] == "Hi,\nthe kettle leaks.\n\n> old text"
    assert by_id.loc["h@x", "body"] == "Hi,\nthe kettle leaks."
    assert bool(by_id.loc["h@x", "extra_html_only"]) is True
    assert by_id.loc["m@x", "text"].strip() == "plain wins"


def test_load_email_without_text_part_is_quarantined(tmp_path):
    m = EmailMessage()
    m["From"], m["Subject"], m["Message-ID"] = "a@b.de", "Rechnung", "<r@b.de>"
    m.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="rechnung.pdf")
    (tmp_path / "r.eml").write_bytes(m.as_bytes())
    frame, quarantine = si.load(tmp_path / "r.eml", return_quarantine=True)
    assert len(frame) == 0
    assert "only attachments: rechnung.pdf" in quarantine["reason"].iloc[0]


def test_load_email_mbox_threads_roles_and_from_escaping(tmp_path):
    first = _mail(text="Mein Toaster ist kaputt.\nFrom now on I buy elsewhere.", msgid="<a@x>")
    reply = _mail(frm="ElektroHaus Kundenservice <support@shop.example>", subject="AW: Paket",
                  text="Ersatz kommt.\n\nAm 01.03.2024 um 10:02 schrieb Max <max@example.de>:\n> Mein Toaster",
                  msgid="<b@x>", refs=["<a@x>"])
    noreply = _mail(frm="noreply@shop.example", subject="Ihre Bewertung", text="Wie war unser Service?",
                    msgid="<c@x>", refs=["<a@x>", "<b@x>"])
    raw = b""
    for m in (first, reply, noreply):
        raw += b"From x@y Fri Mar  1 10:02:00 2024\n" + m.as_bytes().replace(b"\nFrom ", b"\n>From ") + b"\n\n"
    assert len(split_mbox(raw)) == 3
    (tmp_path / "box.mbox").write_bytes(raw)
    frame = si.load(tmp_path / "box.mbox")
    assert frame["conversation_id"].unique().tolist() == ["mail-a@x"]
    assert frame["author_role"].tolist() == ["customer", "agent", "bot"]
    assert "From now on" in frame["text"].iloc[0]
    assert frame["body"].iloc[1] == "Ersatz kommt."


def test_load_email_unknown_charset_and_garbage_do_not_crash(tmp_path):
    raw = (b"From: a@b.de\nSubject: =?x-unknown?q?Hallo?=\nMessage-ID: <u@b>\n"
           b"Content-Type: text/plain; charset=x-unknown-charset\n\nGr\xfc\xdfe und Danke\n")
    (tmp_path / "u.eml").write_bytes(raw)
    frame = si.load(tmp_path / "u.eml")
    assert frame["text"].iloc[0].startswith("Gr")
    (tmp_path / "g.eml").write_bytes(b"\x00\xff" * 50)
    frame, quarantine = si.load(tmp_path / "g.eml", return_quarantine=True)
    assert len(frame) + len(quarantine) == 1


def test_load_email_html_to_text_keeps_structure():
    assert html_to_text("<p>A&amp;B</p><script>x()</script><ul><li>eins</li><li>zwei</li></ul>") == "A&B\n\neins\n\nzwei"

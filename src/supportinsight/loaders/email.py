"""E-mail: ``.eml`` files and ``.mbox`` mailboxes.

The text part is preferred; HTML-only mails are turned into text (block elements
become lines, ``<blockquote>`` becomes ``> `` lines so the quote splitter sees
it). ``text`` keeps the whole mail text, ``body`` only the new part
(:func:`supportinsight.text.quotes.split_reply`). Threads follow
``References``/``In-Reply-To``: the conversation is the first message id of the
thread. The sender's role comes from the role table applied to the address and
display name (``support@``, ``Kundenservice`` -> agent, ``noreply@`` -> bot);
anyone else is the customer. A mail with no text at all (only attachments) is
quarantined with the attachment names. Attachment payloads are never decoded
(:mod:`.mime`): ``extra_attachments`` names them, ``extra_attachment_details``
holds name, type and size as JSON. A ``Date:`` header that cannot be read costs
the date, not the mail (``NaT`` and a note in ``load_warnings``).
"""

from __future__ import annotations

import email
import io
import json
import re
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Any

from ..text.quotes import split_reply
from .mime import Mail, iter_mbox, read_mail
from .records import MAX_ROW_BYTES, Context, Parsed
from .roles import role_of, role_table
from .sniff import open_bytes
from .timestamps import datetime_or_note

__all__ = ["html_to_text", "load_eml", "load_mbox", "split_mbox"]

_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr", "pre"}
_SKIP = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.quote = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "blockquote":
            self.quote += 1
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.quote:
            data = "\n".join(("> " * self.quote) + x if x.strip() else x for x in data.split("\n"))
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail body (no network, no scripts; quotes as ``> `` lines)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def _decode_part(part: Any) -> str:
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AssertionError, ValueError, KeyError, AttributeError):
        pass
    payload = part.get_payload(decode=True) or b""
    if isinstance(payload, str):
        return payload
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _mail_text(msg: EmailMessage) -> tuple[str, bool]:
    """(text, html_only); attachments were cut out before parsing (:mod:`.mime`)."""
    plain, html = [], []
    for part in msg.walk():
        if part.is_multipart() or "attachment" in str(part.get("Content-Disposition", "")).lower():
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(_decode_part(part))
        elif ctype == "text/html":
            html.append(_decode_part(part))
    if any(p.strip() for p in plain):
        return "\n".join(p for p in plain if p.strip()).strip("\n"), False
    if html:
        return "\n\n".join(html_to_text(h) for h in html).strip(), True
    return "", False


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(value: Any) -> list[str]:
    return _ID.findall(str(value or ""))


def _raw_date(msg: EmailMessage) -> str | None:
    """The ``Date:`` header as written (the parsed header object may refuse a broken one)."""
    for name, value in msg.raw_items():
        if name.lower() == "date":
            return re.sub(r"\s+", " ", str(value)).strip() or None
    return None


def _one(ctx: Context, parsed: Parsed, rec: int | str, mail: Mail, table: dict[str, str],
         seen: set[str]) -> tuple[dict[str, Any], list[str]] | None:
    data = mail.data
    if mail.oversize:
        size = max(a.size for a in mail.oversize)
        parsed.reject(rec, f"mail text part holds {size:,} bytes, over the limit of {4 * MAX_ROW_BYTES:,}; "
                           f"split the mail or shorten it", data[:4000], field="body")
        return None
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        text, html_only = _mail_text(msg)  # type: ignore[arg-type]
        subject = str(msg.get("Subject", "") or "").strip() or None
        sender = str(msg.get("From", "") or "")
        date = _raw_date(msg)  # type: ignore[arg-type]
        mid_list = _ids(msg.get("Message-ID"))
        refs = _ids(msg.get("References"))
        reply_to = _ids(msg.get("In-Reply-To"))
        to = str(msg.get("To", "") or "")
    except Exception as exc:  # the stdlib mail parser raises many unrelated types on hostile headers
        parsed.reject(rec, f"unreadable mail ({type(exc).__name__}: {exc})", data[:4000])
        return None
    attachments = [a.label() for a in mail.attachments]
    if not text.strip():
        what = f"only attachments: {', '.join(attachments)}" if attachments else "no text or HTML part"
        parsed.reject(rec, f"mail has no text ({what})", data[:4000], field="body")
        return None
    notes: list[str] = []
    ts = datetime_or_note(date, ctx.tz, notes, "Date")
    mid = mid_list[0] if mid_list else f"{ctx.stem}:{rec}"
    if mid in seen:
        parsed.reject(rec, f"Message-ID <{mid}> repeats; the mail is in the input twice", data[:4000],
                      field="Message-ID")
        return None
    seen.add(mid)
    name, address = parseaddr(sender)
    role = (role_of(address, table) or role_of(name, table)
            or role_of(address.split("@")[0].replace(".", " ") if address else None, table) or "customer")
    if role == "unknown":
        role = "customer"
    thread = refs[0] if refs else (reply_to[0] if reply_to else mid)
    body = split_reply(text)[0]
    return ({
        "conversation_id": f"mail-{thread}",
        "message_id": mid,
        "timestamp": ts,
        "channel": ctx.channel or "email",
        "author_role": role,
        "author_id": address.lower() or name or None,
        "subject": subject,
        "text": text,
        "body": body,
        "source": f"{ctx.name}:{rec}",
        "extra_from": sender or None,
        "extra_to": ", ".join(a for _, a in getaddresses([to]) if a) or None,
        "extra_in_reply_to": reply_to[0] if reply_to else None,
        "extra_html_only": html_only,
        "extra_attachments": ", ".join(attachments) or None,
        "extra_attachment_details": json.dumps([vars(a) for a in mail.attachments], ensure_ascii=False)
        if mail.attachments else None,
    }, notes)


def load_eml(ctx: Context) -> Parsed:
    """One ``.eml`` file = one message (record 1)."""
    parsed = Parsed(name=ctx.name)
    with open_bytes(ctx.file) as fh:
        mail = read_mail(fh)
    if not mail.data.strip() and not mail.attachments:
        return parsed
    found = _one(ctx, parsed, 1, mail, role_table(ctx.roles), set())
    if found is not None:
        parsed.add(*found)
    return parsed


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox (attachment payloads left out): each starts at a ``From `` line at the
    file start or after a blank line."""
    return [m.data for m in iter_mbox(io.BytesIO(data))]


def load_mbox(ctx: Context) -> Parsed:
    """An ``.mbox`` mailbox; record = message number (1-based). Read message by message."""
    parsed = Parsed(name=ctx.name)
    table = role_table(ctx.roles)
    seen: set[str] = set()
    with open_bytes(ctx.file) as fh:
        for i, mail in enumerate(iter_mbox(fh), start=1):
            found = _one(ctx, parsed, i, mail, table, seen)
            if found is not None:
                parsed.add(*found)
    return parsed

"""E-mail: ``.eml`` files and ``.mbox`` mailboxes.

The text part is preferred; HTML-only mails are turned into text (block elements
become lines, ``<blockquote>`` becomes ``> `` lines so the quote splitter sees
it). ``text`` keeps the whole mail text, ``body`` only the new part
(:func:`supportinsight.text.quotes.split_reply`). Threads follow
``References``/``In-Reply-To``: the conversation is the first message id of the
thread. The sender's role comes from the role table applied to the address and
display name (``support@``, ``Kundenservice`` -> agent, ``noreply@`` -> bot);
anyone else is the customer. A mail with no text at all (only attachments) is
quarantined with the attachment names.
"""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Any

from ..text.quotes import split_reply
from .records import Context, Parsed
from .roles import role_of, role_table
from .sniff import read_bytes
from .timestamps import parse_datetime

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


def _mail_text(msg: EmailMessage) -> tuple[str, bool, list[str]]:
    """(text, html_only, attachment names)."""
    plain, html, attachments = [], [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = str(part.get("Content-Disposition", "")).lower()
        filename = part.get_filename()
        ctype = part.get_content_type()
        if "attachment" in disposition or (filename and not ctype.startswith("text/")):
            attachments.append(str(filename or ctype))
            continue
        if ctype == "text/plain":
            plain.append(_decode_part(part))
        elif ctype == "text/html":
            html.append(_decode_part(part))
    if any(p.strip() for p in plain):
        return "\n".join(p for p in plain if p.strip()).strip("\n"), False, attachments
    if html:
        return "\n\n".join(html_to_text(h) for h in html).strip(), True, attachments
    return "", False, attachments


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(value: Any) -> list[str]:
    return _ID.findall(str(value or ""))


def _one(ctx: Context, parsed: Parsed, rec: int | str, data: bytes, table: dict[str, str],
         seen: set[str]) -> dict[str, Any] | None:
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        text, html_only, attachments = _mail_text(msg)  # type: ignore[arg-type]
        subject = str(msg.get("Subject", "") or "").strip() or None
        sender = str(msg.get("From", "") or "")
        date = msg.get("Date")
        date = str(date) if date is not None else None
        mid_list = _ids(msg.get("Message-ID"))
        refs = _ids(msg.get("References"))
        reply_to = _ids(msg.get("In-Reply-To"))
        to = str(msg.get("To", "") or "")
    except Exception as exc:  # the stdlib mail parser raises many unrelated types on hostile headers
        parsed.reject(rec, f"unreadable mail ({type(exc).__name__}: {exc})", data[:4000])
        return None
    if not text.strip():
        what = f"only attachments: {', '.join(attachments)}" if attachments else "no text or HTML part"
        parsed.reject(rec, f"mail has no text ({what})", data[:4000], field="body")
        return None
    try:
        ts = parse_datetime(date, ctx.tz) if date else None
    except ValueError as exc:
        parsed.reject(rec, str(exc), data[:4000], field="Date")
        return None
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
    return {
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
    }


def load_eml(ctx: Context) -> Parsed:
    """One ``.eml`` file = one message (record 1)."""
    parsed = Parsed(name=ctx.name)
    data = read_bytes(ctx.file)
    if not data.strip():
        return parsed
    row = _one(ctx, parsed, 1, data, role_table(ctx.roles), set())
    if row is not None:
        parsed.add(row)
    return parsed


_FROM_LINE = re.compile(rb"^From [^\n]*\n", re.M)


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox: each starts at a ``From `` line at the file start or after a blank line."""
    data = data.replace(b"\r\n", b"\n")
    starts = [m.start() for m in _FROM_LINE.finditer(data)
              if m.start() == 0 or data[max(0, m.start() - 2):m.start()] == b"\n\n"]
    if not starts:
        return [data] if data.strip() else []
    out = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(data)
        chunk = data[s:end]
        chunk = chunk[chunk.index(b"\n") + 1:]
        # mboxrd/mboxo escaping of body lines that start with "From "
        chunk = re.sub(rb"(?m)^>(>*From )", rb"\1", chunk)
        out.append(chunk)
    return out


def load_mbox(ctx: Context) -> Parsed:
    """An ``.mbox`` mailbox; record = message number (1-based)."""
    parsed = Parsed(name=ctx.name)
    table = role_table(ctx.roles)
    seen: set[str] = set()
    for i, chunk in enumerate(split_mbox(read_bytes(ctx.file)), start=1):
        row = _one(ctx, parsed, i, chunk, table, seen)
        if row is not None:
            parsed.add(row)
    return parsed

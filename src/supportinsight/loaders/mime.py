"""Mail files read line by line, attachment payloads counted but never kept.

A 50 MB attachment must not cost hundreds of MB to load one message. The
standard library's parser holds every line of a message, so the bytes are cut
before it sees them: a small MIME walker follows the ``boundary`` of each
multipart, reads the headers of every part, and for a part that is no mail text
(an attachment, an image, any non-text part) keeps its headers, counts its payload
(name, type and decoded size are kept) and drops the bytes. A text part larger
than :data:`MAX_TEXT_PART_BYTES` is dropped too and reported, so that the mail
can be quarantined with the reason. Memory per message is bounded by its text
parts and headers, whatever it carries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import BinaryIO

from .records import MAX_ROW_BYTES

__all__ = ["Attachment", "Mail", "MAX_TEXT_PART_BYTES", "read_mail", "iter_mbox"]

#: Raw bytes of one text part kept at most (base64 or quoted-printable text is larger than its text).
MAX_TEXT_PART_BYTES = 4 * MAX_ROW_BYTES
_PIECE = 65_536
_NOT_B64 = b" \t\r\n="
_MBOX_ESCAPED_FROM = re.compile(rb"^>(>*From )")


@dataclass(frozen=True)
class Attachment:
    """A part left out of the mail text: file name (or None), MIME type and decoded size in bytes."""

    name: str | None
    type: str
    size: int

    def label(self) -> str:
        return self.name or self.type


@dataclass
class Mail:
    """One message: its bytes without attachment payloads, and what was left out."""

    data: bytes
    attachments: list[Attachment] = field(default_factory=list)
    oversize: list[Attachment] = field(default_factory=list)


class _Skipped:
    def __init__(self, name: str | None, ctype: str, base64: bool, *, oversize: bool = False) -> None:
        self.name, self.ctype, self.base64, self.oversize = name, ctype, base64, oversize
        self.chars = 0

    def count(self, piece: bytes) -> None:
        # base64 payload: 4 characters (line ends, blanks and padding not counted) hold 3 bytes
        self.chars += len(piece.translate(None, _NOT_B64) if self.base64 else piece.rstrip(b"\r\n"))

    def attachment(self) -> Attachment:
        return Attachment(self.name, self.ctype, self.chars * 3 // 4 if self.base64 else self.chars)


def _is_text(msg: Message) -> bool:
    """Whether a part is mail text (the parts the mail loader reads) rather than an attachment."""
    disposition = str(msg.get("Content-Disposition", "")).lower()
    ctype = msg.get_content_type()
    return ctype in ("text/plain", "text/html") and "attachment" not in disposition


class _Cutter:
    """Feeds the pieces of one message; keeps what the mail loader reads."""

    def __init__(self) -> None:
        self.out: list[bytes] = []
        self.boundaries: list[bytes] = []
        self.in_headers = True
        self.headers: list[bytes] = []
        self.skip: _Skipped | None = None
        self.part_start = 0
        self.part_bytes = 0
        self.ctype = "text/plain"
        self.mail = Mail(b"")

    def feed(self, piece: bytes, at_start: bool) -> None:
        if at_start and self.boundaries and piece.startswith(b"--") and self._boundary(piece):
            return
        if self.in_headers:
            self.headers.append(piece)
            if at_start and not piece.strip():
                self._headers_done()
            return
        if self.skip is not None:
            self.skip.count(piece)
            return
        self.out.append(piece)
        self.part_bytes += len(piece)
        if self.part_bytes > MAX_TEXT_PART_BYTES:
            self.skip = _Skipped(None, self.ctype, False, oversize=True)
            self.skip.chars = self.part_bytes
            del self.out[self.part_start:]

    def _boundary(self, piece: bytes) -> bool:
        line = piece.rstrip()
        for i in range(len(self.boundaries) - 1, -1, -1):
            b = self.boundaries[i]
            if line == b or line == b + b"--":
                self._end_part()
                closing = line.endswith(b"--") and line != b
                del self.boundaries[i + (0 if closing else 1):]
                self.out.append(piece)
                self.in_headers, self.headers = not closing, []
                return True
        return False

    def _end_part(self) -> None:
        if self.in_headers and self.headers:  # a part that ends inside its headers
            self.out.extend(self.headers)
            self.headers = []
        if self.skip is not None:
            (self.mail.oversize if self.skip.oversize else self.mail.attachments).append(self.skip.attachment())
            self.skip = None

    def _headers_done(self) -> None:
        block = b"".join(self.headers)
        self.out.append(block)
        self.headers = []
        self.in_headers = False
        self.part_start, self.part_bytes, self.ctype = len(self.out), 0, "text/plain"
        try:
            msg = BytesHeaderParser(policy=compat32).parsebytes(block)
            ctype = self.ctype = msg.get_content_type()
        except Exception:  # hostile headers: keep the bytes, the mail parser reports them
            return
        if msg.get_content_maintype() == "multipart":
            boundary = msg.get_param("boundary")
            if isinstance(boundary, str) and boundary:
                self.boundaries.append(b"--" + boundary.encode("utf-8", "replace"))
        elif ctype == "message/rfc822":
            self.in_headers = True  # the forwarded mail's own headers follow
        elif not _is_text(msg):
            name = msg.get_filename()
            encoding = str(msg.get("Content-Transfer-Encoding", "")).strip().lower()
            self.skip = _Skipped(str(name) if name else None, ctype, encoding == "base64")

    def finish(self) -> Mail:
        self._end_part()
        if self.in_headers and self.headers:
            self.out.extend(self.headers)
        self.mail.data = b"".join(self.out)
        return self.mail


def _pieces(fh: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """Lines of at most 64 KiB, with whether each piece starts a line (a long line comes in pieces)."""
    at_start = True
    while True:
        piece = fh.readline(_PIECE)
        if not piece:
            return
        yield piece, at_start
        at_start = piece.endswith(b"\n")


def read_mail(fh: BinaryIO) -> Mail:
    """One message (an ``.eml`` file) without its attachment payloads."""
    cutter = _Cutter()
    for piece, at_start in _pieces(fh):
        cutter.feed(piece, at_start)
    return cutter.finish()


def iter_mbox(fh: BinaryIO) -> Iterator[Mail]:
    """The messages of an mbox, each without its attachment payloads.

    A message starts at a ``From `` line at the start of the file or after a blank
    line; text before the first one is a message of its own when it is not blank.
    Line ends become ``\\n`` and mboxrd/mboxo escaping (``>From ``) is undone.
    """
    cutter: _Cutter | None = None
    blank_before, started = True, False
    for piece, at_start in _pieces(fh):
        if piece.endswith(b"\r\n"):
            piece = piece[:-2] + b"\n"
        if at_start and blank_before and piece.startswith(b"From "):
            if cutter is not None and (started or b"".join(cutter.out + cutter.headers).strip()):
                yield cutter.finish()
            cutter, started = _Cutter(), True
            blank_before = False
            continue
        if at_start:
            piece = _MBOX_ESCAPED_FROM.sub(rb"\1", piece)
            blank_before = piece == b"\n"
        if cutter is None:
            cutter = _Cutter()
        cutter.feed(piece, at_start)
    if cutter is not None and (started or b"".join(cutter.out + cutter.headers).strip()):
        yield cutter.finish()

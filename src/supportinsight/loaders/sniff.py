"""Reading bytes safely and guessing encodings, delimiters and formats.

Encodings: a byte-order mark wins (UTF-8, UTF-16); UTF-16 without one is told by
its NUL bytes (ASCII letters leave every second byte zero); otherwise strict
UTF-8, then cp1252 (German Excel on Windows), then Latin-1, which decodes any
byte, so decoding never fails. Text that still holds many NUL characters after
that (UTF-32, a binary file) is refused by :func:`read_text`: no model is ever
handed ``\\x00G\\x00r\\x00ü``. Delimiters: ``;``, ``,``, tab and ``|`` are tried on the
first lines; the one giving the most consistent column count wins.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import LoadError
from .records import MAX_FILE_BYTES

__all__ = ["Peek", "read_bytes", "open_bytes", "decode", "read_text", "utf16_without_bom", "sniff_delimiter", "peek",
           "MAX_NUL_SHARE"]

HEAD_BYTES = 65_536
DELIMITERS = (";", ",", "\t", "|")


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a clear LoadError when it is missing, a folder, unreadable or too large."""
    with open_bytes(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise LoadError(f"cannot be read ({exc.strerror or exc}); check the file", file=str(path)) from exc


def open_bytes(path: Path) -> BinaryIO:
    """The file opened for reading bytes, with the errors of :func:`read_bytes`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(f"is {size:,} bytes, over the {MAX_FILE_BYTES:,} byte limit; split the export "
                            f"or load it with si.annotate_stream", file=str(path))
        if path.is_dir():
            raise IsADirectoryError(path)
        return path.open("rb")
    except FileNotFoundError as exc:
        raise LoadError("does not exist; check the path", file=str(path)) from exc
    except IsADirectoryError as exc:
        raise LoadError("is a folder; pass the folder itself as source to load every file in it",
                        file=str(path)) from exc
    except PermissionError as exc:
        raise LoadError("cannot be read (permission denied); fix the file permissions", file=str(path)) from exc
    except OSError as exc:
        raise LoadError(f"cannot be read ({exc.strerror or exc}); check the file", file=str(path)) from exc


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``. Never raises for bad bytes."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise LoadError(f"unknown encoding {encoding!r}; use e.g. 'utf-8' or 'cp1252'") from exc
        except UnicodeDecodeError:
            return data.decode(encoding, errors="replace"), encoding + "+replace"
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    utf16 = utf16_without_bom(data)
    if utf16:
        return data[:len(data) - len(data) % 2].decode(utf16, errors="replace"), utf16
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def utf16_without_bom(data: bytes, sample: int = 4096) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when the NUL bytes of ``data`` follow UTF-16's pattern, else None.

    Latin text in UTF-16 has a NUL in (nearly) every second byte and (nearly) none in
    the others; binary files and UTF-32 do not look like that.
    """
    head = data[:sample]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    if odd_nul >= 0.3 and even_nul <= 0.02:
        return "utf-16-le"
    if even_nul >= 0.3 and odd_nul <= 0.02:
        return "utf-16-be"
    return None


#: Share of NUL characters in decoded text above which a file is refused as not text.
MAX_NUL_SHARE = 0.01


def read_text(path: Path, encoding: str | None = None) -> str:
    """The file decoded as text (see :func:`decode`), newlines normalised to ``\\n``.

    A few stray NUL characters become U+FFFD, like other bytes that are no text;
    more than :data:`MAX_NUL_SHARE` of them give a LoadError (binary or UTF-32).
    """
    text, used = decode(read_bytes(path), encoding)
    nul = text.count("\x00")
    if nul:
        if nul > MAX_NUL_SHARE * len(text):
            raise LoadError(f"holds {nul:,} NUL characters after decoding as {used}: it is not text in an "
                            f"encoding that could be told (UTF-32, or a binary file renamed?); save it as "
                            f"UTF-8, or pass encoding='utf-16' / 'utf-32' if that is what it is", file=str(path))
        text = text.replace("\x00", "\ufffd")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sniff_delimiter(text: str, prefer: str | None = None) -> str:
    """The delimiter of a CSV-like text: the candidate with the most consistent field count."""
    lines = [ln for ln in text[:HEAD_BYTES].split("\n")[:30] if ln.strip()]
    if not lines:
        return prefer or ","
    best, best_score = prefer or ",", -1.0
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        same = sum(c == counts[0] for c in counts) / len(counts)
        score = same * 10 + min(counts[0], 50) / 50 + (0.5 if delim == prefer else 0)
        if score > best_score:
            best, best_score = delim, score
    return best


@dataclass(frozen=True)
class Peek:
    """What format sniffers see of a file: extension, first bytes and their text."""

    path: Path
    ext: str
    head: bytes
    text: str

    @property
    def first_line(self) -> str:
        for line in self.text.split("\n"):
            if line.strip():
                return line.strip()
        return ""


def peek(path: Path, encoding: str | None = None) -> Peek:
    """A :class:`Peek` of ``path`` (reads at most the first 64 KiB)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except FileNotFoundError as exc:
        raise LoadError("does not exist; check the path", file=str(path)) from exc
    except IsADirectoryError as exc:
        raise LoadError("is a folder; pass the folder itself as source", file=str(path)) from exc
    except OSError as exc:
        raise LoadError(f"cannot be read ({exc.strerror or exc}); check the file", file=str(path)) from exc
    text, _ = decode(head, encoding)
    return Peek(path=path, ext=path.suffix.lower(), head=head, text=text.replace("\r\n", "\n"))

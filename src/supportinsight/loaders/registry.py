"""The named formats: loader + sniffer + file extensions, and how ``format="auto"`` picks one.

A sniffer looks at a :class:`~.sniff.Peek` (extension and first 64 KiB) and
returns a confidence in ``[0, 1]``; ``auto`` takes the highest (ties: the format
registered first). Register your own format with :func:`register_format`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigError, UnknownFormatError
from . import chats, email, social, tickets
from .chats import CHAT_LINE, WHATSAPP_LINE
from .records import Context, Parsed
from .sniff import Peek, sniff_delimiter

__all__ = ["Format", "FORMATS", "register_format", "formats", "get_format", "detect_format",
           "SUPPORTED_EXTENSIONS"]

Loader = Callable[[Context], Parsed]
Sniffer = Callable[[Peek], float]


@dataclass(frozen=True)
class Format:
    """A loadable format.

    Attributes
    ----------
    name: what ``si.load(..., format=name)`` calls it.
    loader: ``Context -> Parsed``.
    sniff: ``Peek -> confidence in [0, 1]`` (0: not this format).
    extensions: file endings a folder load picks up for it.
    description: one line for :func:`formats`.
    """

    name: str
    loader: Loader
    sniff: Sniffer
    extensions: tuple[str, ...]
    description: str


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format, *, replace: bool = False) -> Format:
    """Add ``fmt`` to the registry (``replace=True`` to override a built-in)."""
    if fmt.name in FORMATS and not replace:
        raise ConfigError(f"format {fmt.name!r} is already registered; pass replace=True to override it")
    FORMATS[fmt.name] = fmt
    return fmt


def formats() -> dict[str, str]:
    """Every registered format name with its description (``"dataframe"`` included)."""
    out = {name: f.description for name, f in FORMATS.items()}
    out["dataframe"] = "a pandas DataFrame passed as source, with a column mapping"
    return out


def get_format(name: str) -> Format:
    """The format called ``name`` (ConfigError listing the known ones)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ConfigError(f"format: unknown format {name!r}; use 'auto' or one of {sorted(FORMATS)}") from None


def _header(peek: Peek) -> list[str]:
    line = peek.first_line.lstrip("\ufeff")
    delim = sniff_delimiter(peek.text)
    return [h.strip().strip('"').strip().lower() for h in line.split(delim)]


def _delimited(peek: Peek) -> bool:
    return peek.ext in (".csv", ".tsv", ".tab", ".txt", "") and len(_header(peek)) >= 2


def _sniff_twcs(peek: Peek) -> float:
    if not _delimited(peek):
        return 0.0
    head = set(_header(peek))
    return 0.95 if {"tweet_id", "author_id", "inbound", "text"} <= head else 0.0


def _sniff_freshdesk(peek: Peek) -> float:
    if not _delimited(peek):
        return 0.0
    head = set(_header(peek))
    return 0.9 if "ticket id" in head and "description" in head and ({"created time", "source", "full name",
                                                                        "email", "status"} & head) else 0.0


def _sniff_csv(peek: Peek) -> float:
    if peek.ext == ".csv":
        return 0.5
    if peek.ext in (".tsv", ".tab"):
        return 0.3
    if peek.ext in (".txt", "") and "," in peek.first_line and sniff_delimiter(peek.text) != "\t" \
            and len(_header(peek)) >= 2:
        return 0.1
    return 0.0


def _sniff_tsv(peek: Peek) -> float:
    if peek.ext in (".tsv", ".tab"):
        return 0.6
    if peek.ext in (".csv", ".txt", "") and "\t" in peek.first_line and sniff_delimiter(peek.text) == "\t":
        return 0.55 if peek.ext == ".csv" else 0.2
    return 0.0


def _lines(peek: Peek, n: int = 40) -> list[str]:
    return [ln for ln in peek.text.split("\n") if ln.strip()][:n]


def _sniff_whatsapp(peek: Peek) -> float:
    if peek.ext not in (".txt", ""):
        return 0.0
    lines = _lines(peek)
    hits = sum(bool(WHATSAPP_LINE.match(ln.replace("\u202f", " "))) for ln in lines)
    return 0.9 if lines and hits >= max(1, len(lines) // 4) else 0.0


def _sniff_chat_text(peek: Peek) -> float:
    if peek.ext not in (".txt", ".log", ""):
        return 0.0
    lines = _lines(peek)
    hits = sum(bool((m := CHAT_LINE.match(ln)) and m.group("ts")) for ln in lines)
    return 0.8 if lines and hits >= max(1, len(lines) // 4) else 0.0


_JSON_EXT = (".json",)
_JSONL_EXT = (".jsonl", ".ndjson")


def _sniff_zendesk(peek: Peek) -> float:
    if peek.ext not in _JSON_EXT + _JSONL_EXT:
        return 0.0
    t = peek.text
    if re.search(r'"tickets"\s*:\s*\[', t) or (re.search(r'"comments"\s*:\s*\[', t)
                                               and re.search(r'"requester_id"\s*:', t)):
        return 0.9
    return 0.0


def _sniff_chat_json(peek: Peek) -> float:
    if peek.ext not in _JSON_EXT:
        return 0.0
    return 0.85 if re.search(r'"(messages)"\s*:\s*\[', peek.text) else 0.0


def _sniff_social_jsonl(peek: Peek) -> float:
    if peek.ext not in _JSONL_EXT:
        return 0.0
    first = peek.first_line
    return 0.85 if re.search(r'"(post_id|in_reply_to|platform|is_brand)"\s*:', first) else 0.0


def _sniff_json(peek: Peek) -> float:
    return 0.5 if peek.ext in _JSON_EXT else 0.0


def _sniff_jsonl(peek: Peek) -> float:
    return 0.5 if peek.ext in _JSONL_EXT else 0.0


def _sniff_xlsx(peek: Peek) -> float:
    if peek.ext in (".xlsx", ".xlsm"):
        return 0.9
    return 0.6 if peek.head[:4] == b"PK\x03\x04" and b"xl/" in peek.head[:2000] else 0.0


_MAIL_HEADERS = re.compile(r"^(From|To|Subject|Date|Message-ID|MIME-Version|Received|Return-Path):",
                           re.I | re.M)


def _sniff_eml(peek: Peek) -> float:
    if peek.ext == ".eml":
        return 0.95
    head = peek.text[:4000]
    return 0.6 if peek.ext in ("", ".txt", ".msg") and len(set(m.lower() for m in
                                                                 _MAIL_HEADERS.findall(head))) >= 3 else 0.0


def _sniff_mbox(peek: Peek) -> float:
    if peek.ext == ".mbox":
        return 0.95
    return 0.7 if peek.text.startswith("From ") and _MAIL_HEADERS.search(peek.text[:4000]) else 0.0


for _f in (
    Format("zendesk", tickets.load_zendesk, _sniff_zendesk, (".json", ".jsonl", ".ndjson"),
           "Zendesk tickets with comment arrays (JSON or JSON Lines), public and private comments"),
    Format("freshdesk", tickets.load_freshdesk, _sniff_freshdesk, (".csv",),
           "Freshdesk ticket CSV export (Ticket ID, Subject, Description, Source, Created time ...)"),
    Format("twcs", social.load_twcs, _sniff_twcs, (".csv",),
           "TWCS-style tweets CSV rebuilt into threads (inbound = customer, else brand)"),
    Format("whatsapp", chats.load_whatsapp, _sniff_whatsapp, (".txt",),
           "WhatsApp-style chat export, German or English dates, multi-line messages"),
    Format("chat_text", chats.load_chat_text, _sniff_chat_text, (".txt", ".log"),
           "chat transcript lines '[2024-03-01 10:02] Kunde: ...', '--- Chat <id> ---' between chats"),
    Format("chat_json", chats.load_chat_json, _sniff_chat_json, (".json",),
           "chat conversations as JSON, each with a 'messages' list"),
    Format("social_jsonl", social.load_social_jsonl, _sniff_social_jsonl, (".jsonl", ".ndjson"),
           "social posts and reviews as JSON Lines (post_id, in_reply_to, platform, is_brand ...)"),
    Format("eml", email.load_eml, _sniff_eml, (".eml",), "one e-mail (RFC 822 .eml), multipart and HTML-only"),
    Format("mbox", email.load_mbox, _sniff_mbox, (".mbox",), "an mbox mailbox of e-mails"),
    Format("xlsx", tickets.load_xlsx, _sniff_xlsx, (".xlsx", ".xlsm"),
           "Excel workbook, first sheet, one message per row, with a column mapping"),
    Format("csv", tickets.load_csv, _sniff_csv, (".csv",),
           "delimited text (; , tab | sniffed), one message per row, with a column mapping"),
    Format("tsv", tickets.load_tsv, _sniff_tsv, (".tsv", ".tab"), "tab-separated text, one message per row"),
    Format("json", tickets.load_json, _sniff_json, (".json",), "a JSON array of message objects"),
    Format("jsonl", tickets.load_jsonl, _sniff_jsonl, (".jsonl", ".ndjson"), "JSON Lines, one message per line"),
):
    register_format(_f)

#: File endings a folder load picks up.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".tab", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx",
                                         ".xlsm", ".eml", ".mbox")


def detect_format(peek: Peek) -> str:
    """The name of the most likely format of a file, or UnknownFormatError saying what to do."""
    if peek.ext == ".xls":
        raise UnknownFormatError("is an old binary .xls workbook; save it as .xlsx or CSV", file=str(peek.path))
    best, score = None, 0.0
    for name, fmt in FORMATS.items():
        try:
            s = float(fmt.sniff(peek))
        except Exception:  # a user-registered sniffer must not break detection of the others
            s = 0.0
        if s > score:
            best, score = name, s
    if best is None:
        raise UnknownFormatError(f"format not recognised (extension {peek.ext or 'none'!r}); pass "
                                 f"format= one of {sorted(FORMATS)} (see si.load.formats())",
                                 file=str(peek.path))
    return best

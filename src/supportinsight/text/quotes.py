"""Split an e-mail or ticket comment into new text, quoted reply and signature.

German and English mail clients mark a quoted reply with a header line
(``Am 01.03.2024 um 10:02 schrieb Max <max@example.de>:``, ``On Fri, Mar 1, 2024
at 10:02 AM Max wrote:``, ``-----Ursprüngliche Nachricht-----``, ``-----Original
Message-----``, an Outlook ``Von:``/``From:`` block) or with ``>`` line prefixes.
Signatures start at ``-- `` or at a closing line such as ``Mit freundlichen
Grüßen``, ``Viele Grüße``, ``Best regards`` or ``Sent from my iPhone`` near the end.

>>> split_reply("Paket ist da, danke!\\n\\nViele Grüße\\nJana\\n\\nAm 02.03.2024 um 09:00 schrieb Shop:\\n> Ihr Paket kommt morgen.")
('Paket ist da, danke!', 'Am 02.03.2024 um 09:00 schrieb Shop:\\n> Ihr Paket kommt morgen.', 'Viele Grüße\\nJana')
"""

from __future__ import annotations

import re

__all__ = ["split_reply"]

_QUOTE_HEADERS = [
    re.compile(r"^\s*-{2,}\s*(Ursprüngliche Nachricht|Original Message|Weitergeleitete Nachricht|"
               r"Forwarded message)\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*Am\s.{4,200}?schrieb\b.{0,200}:\s*$", re.I),
    re.compile(r"^\s*On\s.{4,200}?wrote:\s*$", re.I),
    re.compile(r"^\s*_{10,}\s*$"),
]
# a header that a client wrapped over two lines: "Am Fr., 1. März 2024 um 10:02 Uhr schrieb Max" / "<max@x.de>:"
_WRAPPED_START = [re.compile(r"^\s*Am\s.{4,200}?schrieb\b", re.I), re.compile(r"^\s*On\s.{4,200}\d.*$", re.I)]
_WRAPPED_END = [re.compile(r"^.{0,200}:\s*$"), re.compile(r"^.{0,200}wrote:\s*$", re.I)]
_OUTLOOK_FROM = re.compile(r"^\s*\*?(Von|From)\s*:\*?\s+\S", re.I)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Gesendet|Sent|Datum|Date|An|To|Betreff|Subject)\s*:", re.I)

_SIG_DELIM = re.compile(r"^--\s?$")
_CLOSINGS = re.compile(
    r"^\s*(mit freundlichen grü(ß|ss)en|freundliche grü(ß|ss)e|viele grü(ß|ss)e|beste grü(ß|ss)e|"
    r"liebe grü(ß|ss)e|herzliche grü(ß|ss)e|schöne grü(ß|ss)e|lg|vg|mfg|gruß|gruss|grüße|"
    r"best regards|kind regards|warm regards|regards|best wishes|many thanks|thanks and regards|"
    r"sent from my \w+|von meinem \w+ gesendet|gesendet von meinem \w+)\b[\s,.!]*(\S.{0,30})?$", re.I)
# weak closings count only alone on their line ("Thanks, that fixed it!" is a sentence)
_WEAK_CLOSINGS = re.compile(r"^\s*(cheers|best|thanks|thank you|danke|vielen dank|grüße)[\s,.!]*$", re.I)


# first characters (lower case, after indentation) a quote header can start with: lines
# starting otherwise skip the regexes, which keeps long mails fast
_HEADER_STARTS = ("--", "am", "on", "__", "vo", "fr", "*v", "*f")


def _quote_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if not line.lstrip()[:2].lower().startswith(_HEADER_STARTS):
            continue
        if any(p.match(line) for p in _QUOTE_HEADERS):
            return i
        if i + 1 < len(lines) and any(p.match(line) for p in _WRAPPED_START) \
                and any(p.match(lines[i + 1]) for p in _WRAPPED_END) and not line.rstrip().endswith(":"):
            return i
        if _OUTLOOK_FROM.match(line):
            following = lines[i + 1:i + 5]
            if sum(bool(_OUTLOOK_NEXT.match(x)) for x in following) >= 2:
                return i
    return None


def _signature_start(lines: list[str]) -> int | None:
    n = len(lines)
    for i, line in enumerate(lines):
        if i > 0 and line[:2] == "--" and _SIG_DELIM.match(line):
            return i
    # a closing line, only near the end and only when it is short (not a sentence that
    # happens to start with "Thanks")
    window = max(0, n - 8)
    for i in range(window, n):
        line = lines[i]
        if i > 0 and len(line.strip()) <= 45 and (_CLOSINGS.match(line) or _WEAK_CLOSINGS.match(line)):
            rest = [x for x in lines[i + 1:] if x.strip()]
            if len(rest) <= 6 and all(len(x) <= 80 for x in rest):
                return i
    return None


def split_reply(text: str) -> tuple[str, str, str]:
    """Split ``text`` into ``(body, quoted, signature)``.

    ``body`` is the new text, stripped; ``quoted`` holds the quoted reply (header and
    ``>`` lines), ``signature`` the closing and signature block. Empty strings where a
    part is absent. The input is never altered; the three parts need not add up to it
    exactly (blank lines between parts are dropped).

    Parameters
    ----------
    text:
        An e-mail body or ticket comment as plain text.
    """
    if not isinstance(text, str) or not text.strip():
        return ("", "", "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _quote_start(lines)
    head, quoted_lines = (lines, []) if start is None else (lines[:start], lines[start:])
    own, inline_quotes = [], []
    for line in head:
        (inline_quotes if line.lstrip().startswith(">") else own).append(line)
    # a trailing "On ... wrote:" with nothing after it (the quote was all "> " lines)
    sig_at = _signature_start(own)
    signature_lines = own[sig_at:] if sig_at is not None else []
    own = own[:sig_at] if sig_at is not None else own
    body = "\n".join(own).strip()
    if not body and signature_lines and not _SIG_DELIM.match(signature_lines[0]):
        # a message that is only "Danke!" would otherwise vanish into the signature
        body, signature_lines = "\n".join(signature_lines).strip(), []
    quoted = "\n".join(inline_quotes + quoted_lines).strip()
    return body, quoted, "\n".join(signature_lines).strip()

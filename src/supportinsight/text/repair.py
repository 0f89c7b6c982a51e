"""Repair the text that models read: broken Unicode, HTML entities, escapes, curly quotes.

Exports mangle text on the way out of a helpdesk or a social platform, and each
mangling hides words from the models:

* mojibake from a wrong round trip through Latin-1/cp1252: ``"FÃ¼r"`` for ``"Für"``;
* HTML entities left in tweets and web forms: ``"&lt;3"`` (a heart emoticon), ``"&amp;"``;
* JSON escapes kept as literal text: ``"don\\u2019t"`` (10 % of the TweetEval tweets);
* curly apostrophes and quotes, which phones type by default: ``"don’t"`` is not the
  negator ``"don't"`` for a lexicon, VADER or a tokenizer (a fifth of the customer
  tweets in the Twitter customer-support corpus have them);
* a byte-order mark, ``\\r\\n`` line ends, full-width letters and ligatures.

:func:`repair_text` undoes these with `ftfy <https://ftfy.readthedocs.io>`_ (Apache-2.0)
plus a decoder for literal ``\\uXXXX`` escapes. It is only the models' view of a
message: the ``text`` column keeps what the customer sent. Text that holds none of
the characters involved is returned as it is, without calling ftfy, so clean text
costs one regular-expression search.

>>> repair_text("I don\\u2019t like it &lt;3")
"I don't like it <3"
>>> repair_text("FÃ¼r die Bahn ist das schÃ¶n")
'Für die Bahn ist das schön'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache, partial

__all__ = ["repair_text", "repair_texts"]

#: Characters and sequences ftfy (or the escape decoder) may change; text without any
#: of them is already clean. Mojibake lead characters (Ã Â â ï Ð Ñ), C1 controls,
#: curly quotes and apostrophes, byte-order mark, full-width forms, ligatures, line
#: separators, carriage returns, HTML entities and literal ``\uXXXX`` escapes.
_SUSPICIOUS = re.compile(
    "[\u00c2\u00c3\u00e2\u00ef\u00d0\u00d1\u0080-\u009f\u2018-\u201f\u00b4\ufeff\uff01-\uff5e"
    "\ufb00-\ufb06\u2028\u2029\r]"
    r"|&#?\w+;|\\u[0-9a-fA-F]{4}"
)
_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")


def _decode_escape(match: re.Match) -> str:
    high, low, single = match.groups()
    if single is None:  # a surrogate pair: one character outside the BMP (most emojis)
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))
    code = int(single, 16)
    if 0xD800 <= code <= 0xDFFF or code < 0x20 and code not in (0x09, 0x0A):
        return match.group(0)  # a lone surrogate or a control character: leave the text as it is
    return chr(code)


@lru_cache(maxsize=1)
def _fix_text():
    """ftfy's ``fix_text`` with its defaults spelled out, so that an ftfy upgrade cannot change
    what models read; ``"auto"`` leaves entities alone in text that holds real HTML tags."""
    import ftfy  # imported on first use: clean text never needs it

    config = ftfy.TextFixerConfig(unescape_html="auto", fix_encoding=True, uncurl_quotes=True,
                                  fix_line_breaks=True, fix_latin_ligatures=True, fix_character_width=True,
                                  remove_control_chars=True, normalization="NFC", explain=False)
    return partial(ftfy.fix_text, config=config)


def repair_text(text: str) -> str:
    """The repaired text of one message (``None`` gives ``""``); idempotent."""
    if text is None:
        return ""
    text = str(text)
    if not _SUSPICIOUS.search(text):
        return text
    if "\\u" in text:
        text = _ESCAPE.sub(_decode_escape, text)
    return _fix_text()(text)


def repair_texts(texts: Iterable[str]) -> list[str]:
    """:func:`repair_text` of each message."""
    return [repair_text(t) for t in texts]


_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)[@.]?@\w+:?")
_SPACE = re.compile(r"\s+")


def drop_links_and_handles(text: str) -> str:
    """Links and @handles removed, whitespace collapsed: what a classifier should read of a
    social post (``"@AmazonHelp where is my parcel? https://t.co/x"`` -> ``"where is my parcel?"``)."""
    return _SPACE.sub(" ", _HANDLE.sub(" ", _URL.sub(" ", text))).strip()

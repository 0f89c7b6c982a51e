"""Tabular records (CSV, JSON rows, Excel, a DataFrame) -> canonical rows, through a column mapping.

A mapping names, for canonical columns, the input column that holds them:
``{"text": "Nachricht", "conversation_id": "Ticket-Nr", "timestamp": "Datum"}``.
Columns it leaves out are guessed from common German and English header names;
``text`` must be found one way or the other. ``channel`` and ``author_role`` may
also name a constant (``{"channel": "email"}``) when the file has no such column.

Without a conversation column every row is its own conversation (one row per
ticket); without a role column every row is taken as customer text. Every input
column not mapped is kept as ``extra_<name>``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..errors import LoadError
from ..schema import CHANNELS, COLUMNS, ROLES
from ..text.quotes import split_reply
from .records import Context, Parsed, extra_name
from .roles import role_of, role_table
from .timestamps import datetime_or_note

__all__ = ["GUESSES", "resolve_mapping", "map_records", "load_dataframe", "channel_of", "is_channel_word",
           "is_missing"]

MAPPABLE = tuple(c for c in COLUMNS if c != "source")

#: Header names (lower case, letters and digits only) tried for each canonical column, in order.
GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "messagetext", "body", "description", "content", "comment", "nachricht",
             "nachrichtentext", "beschreibung", "inhalt", "kommentar", "anliegen", "tweet", "post", "review",
             "reviewtext", "bewertung", "bewertungstext", "freitext", "anfrage"),
    "conversation_id": ("conversationid", "conversation", "ticketid", "ticket", "ticketnr", "ticketnummer",
                        "threadid", "thread", "caseid", "case", "vorgang", "vorgangsnummer", "vorgangsnr",
                        "chatid", "fallnummer", "gespraechsid", "gesprächsid"),
    "message_id": ("messageid", "commentid", "msgid", "nachrichtenid", "id", "postid", "tweetid", "reviewid", "responseid",
                   "feedbackid", "antwortid"),
    "timestamp": ("timestamp", "createdat", "createdtime", "created", "date", "datetime", "datum", "zeit",
                  "zeitpunkt", "time", "erstellt", "erstelltam", "erstelldatum", "eingang", "eingangsdatum",
                  "sentat", "gesendet", "postedat", "submitted", "submittedat", "eingereicht"),
    "author_role": ("authorrole", "role", "rolle", "sendertype", "authortype", "absendertyp", "fromtype",
                    "absenderrolle", "typ"),
    "author_id": ("authorid", "author", "userid", "user", "customerid", "kundennummer", "kundennr", "kundenid",
                  "email", "mail", "from", "sender", "absender", "requester", "autor", "verfasser", "name",
                  "handle", "username"),
    "subject": ("subject", "betreff", "title", "titel", "thema"),
    "channel": ("channel", "kanal", "source", "quelle", "medium", "eingangskanal"),
}

_CHANNEL_WORDS: dict[str, str] = {
    "email": "email", "e-mail": "email", "mail": "email", "outbound email": "email", "eingehende e-mail": "email",
    "chat": "chat", "live chat": "chat", "livechat": "chat", "messenger": "chat", "whatsapp": "chat",
    "sms": "chat", "phone": "phone", "telefon": "phone", "voice": "phone", "call": "phone", "anruf": "phone",
    "social": "social", "twitter": "social", "x": "social", "facebook": "social", "instagram": "social",
    "tiktok": "social", "mastodon": "social", "web": "web_form", "web_form": "web_form", "webform": "web_form",
    "portal": "web_form", "form": "web_form", "kontaktformular": "web_form", "feedback widget": "web_form",
    "web widget": "web_form", "app": "web_form", "review": "review", "bewertung": "review",
    "trustpilot": "review", "app store": "review", "play store": "review", "survey": "survey",
    "umfrage": "survey", "nps": "survey", "other": "other", "sonstige": "other", "api": "other",
}

_NORM = re.compile(r"[^0-9a-zäöüß]+")


def _norm(name: object) -> str:
    return _NORM.sub("", str(name).lower())


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA and blank strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_channel_word(value: Any) -> bool:
    """True when ``value`` names a channel :func:`channel_of` knows (``"E-Mail"``, ``"chat"`` ...)."""
    key = str(value).strip().lower()
    return key in CHANNELS or key in _CHANNEL_WORDS


def channel_of(value: Any, default: str = "other") -> str:
    """A canonical channel for an export's channel value (``"E-Mail"`` -> ``email``)."""
    if is_missing(value):
        return default
    key = str(value).strip().lower()
    if key in CHANNELS:
        return key
    return _CHANNEL_WORDS.get(key, "other")


def resolve_mapping(columns: list[str], mapping: Mapping[str, Any] | None, *, file: str) -> dict[str, Any]:
    """Canonical column -> input column (or ``("const", value)``); LoadError naming what to fix."""
    mapping = dict(mapping or {})
    out: dict[str, Any] = {}
    for key, col in mapping.items():
        if key not in MAPPABLE:
            raise LoadError(f"mapping key {key!r} is not a canonical column; use one of {list(MAPPABLE)}",
                            file=file, field=key)
        if col in columns:
            out[key] = col
        elif key == "channel" and str(col) in CHANNELS:
            out[key] = ("const", str(col))
        elif key == "author_role" and str(col) in ROLES:
            out[key] = ("const", str(col))
        else:
            raise LoadError(f"mapping names column {col!r} for {key!r}, but the file has the columns "
                            f"{columns[:30]}; fix the mapping", file=file, field=str(col))
    used = {c for c in out.values() if isinstance(c, str)}
    normed = {}
    for col in columns:
        normed.setdefault(_norm(col), col)
    for key, names in GUESSES.items():
        if key in out:
            continue
        for name in names:
            col = normed.get(name)
            if col is not None and col not in used:
                out[key] = col
                used.add(col)
                break
    if "text" not in out:
        raise LoadError(f"no text column found among {columns[:30]}; pass mapping={{'text': '<column>'}} "
                        f"(or --mapping on the command line)", file=file, field="text")
    return out


def _value(row: Mapping[str, Any], spec: Any) -> Any:
    if spec is None:
        return None
    if isinstance(spec, tuple):
        return spec[1]
    return row.get(spec)


def _str(value: Any) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, str) else value.strip()


def map_records(records: Iterable[tuple[int | str, Mapping[str, Any]]], columns: list[str], ctx: Context,
                parsed: Parsed, *, default_channel: str = "other", default_role: str = "customer",
                split_quotes: bool = True) -> None:
    """Map each ``(record number, row dict)`` to a canonical row in ``parsed`` (or quarantine it)."""
    spec = resolve_mapping(columns, ctx.mapping, file=ctx.name)
    table = role_table(ctx.roles)
    mapped = {c for c in spec.values() if isinstance(c, str)}
    extras = [(c, extra_name(c)) for c in columns if c not in mapped]
    seen: dict[str, int | str] = {}
    default_channel = ctx.channel or default_channel
    for rec, row in records:
        text = _value(row, spec["text"])
        if is_missing(text):
            parsed.reject(rec, f"empty {spec['text']!r}: a message needs text", _raw(row), field=str(spec["text"]))
            continue
        text = str(text)
        mid = _str(_value(row, spec.get("message_id")))
        mid = mid if mid else f"{ctx.stem}:{rec}"
        if mid in seen:
            parsed.reject(rec, f"message id {mid!r} repeats (first in record {seen[mid]}); remove the "
                               f"duplicate or map another id column", _raw(row), field="message_id")
            continue
        notes: list[str] = []
        ts = datetime_or_note(_value(row, spec.get("timestamp")), ctx.tz, notes, _field(spec.get("timestamp")))
        role = default_role
        if "author_role" in spec:
            role_raw = _value(row, spec["author_role"])
            role = role_of(role_raw, table) or "unknown"
            if role == "unknown" and not is_missing(role_raw) and str(role_raw).strip().lower() != "unknown":
                notes.append(f"{_field(spec['author_role'])}: {_short(role_raw)} is no known role "
                             f"(pass roles={{...}} to name it); kept as unknown")
        channel = default_channel
        if "channel" in spec and not ctx.channel:
            channel_raw = _value(row, spec["channel"])
            channel = channel_of(channel_raw, default_channel)
            if not is_missing(channel_raw) and not is_channel_word(channel_raw):
                notes.append(f"{_field(spec['channel'])}: {_short(channel_raw)} is no known channel; kept as other")
        conv = _str(_value(row, spec.get("conversation_id"))) or mid
        body_spec = spec.get("body")
        body = _str(_value(row, body_spec)) if body_spec else (split_reply(text)[0] if split_quotes else text)
        out = {
            "conversation_id": conv,
            "message_id": mid,
            "timestamp": ts,
            "channel": channel,
            "author_role": role,
            "author_id": _str(_value(row, spec.get("author_id"))),
            "subject": _str(_value(row, spec.get("subject"))),
            "text": text,
            "body": body,
            "source": f"{ctx.name}:{rec}",
        }
        for col, name in extras:
            value = row.get(col)
            out[name] = None if is_missing(value) else value
        seen[mid] = rec
        parsed.add(out, notes)


def _field(spec: Any) -> str:
    return "timestamp" if spec is None else (str(spec) if not isinstance(spec, tuple) else str(spec[1]))


def _short(value: Any) -> str:
    text = str(value).strip()
    return repr(text if len(text) <= 60 else text[:60] + "...")


def _raw(row: Mapping[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in row.items() if not is_missing(v))


def load_dataframe(frame: pd.DataFrame, ctx: Context) -> Parsed:
    """A pandas DataFrame (notebook data) -> parsed rows, via the mapping."""
    parsed = Parsed(name=ctx.name)
    columns = [str(c) for c in frame.columns]
    renamed = frame.set_axis(columns, axis=1)
    rows = renamed.to_dict("records")
    map_records(((i + 1, r) for i, r in enumerate(rows)), columns, ctx, parsed, split_quotes=True)
    return parsed

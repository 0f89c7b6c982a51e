"""Chat transcripts: JSON conversations, ``[time] Name: text`` lines, WhatsApp-style exports.

Speaker names become roles through the role table (:mod:`.roles`): ``Kunde``,
``Customer`` -> customer, ``Agent``, ``Support``, ``ElektroHaus Service`` -> agent,
``Bot``, ``Assistent`` -> bot; in a two-party chat the one unnamed party next to an
agent is the customer. Lines that continue a message (multi-line messages) are
joined to it. Record numbers are message positions (JSON: ``conversation.message``)
or line numbers (text formats).

Lines a messenger writes in a person's name but nobody typed (``<Medien
ausgeschlossen>``, ``<Media omitted>``, "This message was deleted", "Missed voice
call", the encryption notice ...) are kept as system rows: ``author_role`` unknown,
``extra_system`` True, ``extra_artefact`` naming the kind (:func:`chat_artefact`),
``author_id`` still the sender. Models, quotes, topics and label sheets read customer
messages only, so these rows stay out of them. WhatsApp's "<This message was
edited>" tail is cut from ``body`` (``text`` keeps it).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .frame import channel_of, is_missing
from .records import Context, Parsed
from .roles import resolve_speakers, role_of, role_table
from .sniff import read_text
from .jsonfiles import parse_json
from .timestamps import datetime_or_note

__all__ = ["load_chat_json", "load_chat_text", "load_whatsapp", "chat_artefact", "CHAT_LINE", "WHATSAPP_LINE"]

# What messengers write into an export in a sender's name when there is no text: media left
# out of the export, deleted messages, calls, pending messages, the encryption notice. German
# and English wording of WhatsApp (Android and iOS); matched against the whole message.
_ARTEFACT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("media_omitted", r"<?(?:medien ausgeschlossen|media omitted|medien weggelassen)>?"),
    ("media_omitted", r"(?:image|video|audio|sticker|gif|document|contact card|photo) omitted"),
    ("media_omitted", r"(?:bild|foto|video|audio|sticker|gif|dokument|kontaktkarte) (?:weggelassen|ausgeschlossen)"),
    ("media_omitted", r"<(?:attached|anhang|angehängt): [^<>\n]{1,200}>"),
    ("media_omitted", r"[^\s<>]{1,120}\.(?:jpe?g|png|webp|gif|heic|opus|ogg|m4a|mp3|mp4|mov|pdf|vcf|docx?)"
                      r" \((?:file attached|datei angehängt)\)"),
    ("media_omitted", r"null"),  # WhatsApp's placeholder for view-once media
    ("deleted", r"(?:this message was deleted|you deleted this message|diese nachricht wurde gelöscht"
                r"|du hast diese nachricht gelöscht)\.?"),
    ("missed_call", r"(?:missed (?:group )?(?:voice|video) call|verpasster (?:gruppen)?(?:sprach|video)anruf)"
                    r"(?:,[^\n]{0,40})?"),
    ("pending", r"(?:waiting for this message\. this may take a while|warten auf diese nachricht\. "
                r"dies kann etwas dauern)\.?"),
    ("encryption_notice", r"(?:messages and calls are end-to-end encrypted|nachrichten und anrufe sind "
                          r"ende-zu-ende-verschlüsselt)\b[^\n]{0,200}"),
)
_ARTEFACTS = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _ARTEFACT_PATTERNS)
_EDITED = re.compile(r"\s*<(?:this message was edited|diese nachricht wurde bearbeitet)>\s*$", re.IGNORECASE)
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u2068\u2069\ufeff"


def chat_artefact(text: str) -> str | None:
    """The kind of messenger artefact ``text`` is (``"media_omitted"``, ``"deleted"``,
    ``"missed_call"``, ``"pending"``, ``"encryption_notice"``), or None for a real message.

    >>> chat_artefact("<Medien ausgeschlossen>"), chat_artefact("Foto anbei")
    ('media_omitted', None)
    """
    line = " ".join(str(text).strip().strip(_MARKS).split())
    if len(line) > 300:
        return None
    for kind, pattern in _ARTEFACTS:
        if pattern.fullmatch(line):
            return kind
    return None


def _artefact_fields(text: str) -> dict[str, Any]:
    """The fields a system artefact overrides (empty for a real message)."""
    kind = chat_artefact(text)
    return {} if kind is None else {"author_role": "unknown", "extra_system": True, "extra_artefact": kind}

_TEXT_KEYS = ("text", "message", "body", "content", "msg", "nachricht")
_TIME_KEYS = ("timestamp", "time", "created_at", "sent_at", "date", "ts", "zeit")
_SENDER_KEYS = ("sender", "author", "from", "speaker", "name", "user", "absender")
_ROLE_KEYS = ("role", "sender_type", "author_role", "type", "author_type", "rolle")
_USED_MESSAGE_KEYS = frozenset(("id", "message_id") + _TEXT_KEYS + _TIME_KEYS + _SENDER_KEYS + _ROLE_KEYS)


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        if k in obj and not is_missing(obj[k]):
            return obj[k]
    return None


def _conversations(doc: Any) -> list[Any]:
    if isinstance(doc, dict):
        for key in ("conversations", "chats", "transcripts", "data", "items"):
            if isinstance(doc.get(key), list):
                return doc[key]
        return [doc]
    return doc if isinstance(doc, list) else [doc]


def load_chat_json(ctx: Context) -> Parsed:
    """Chat conversations as JSON: ``{"conversations": [{"id", "messages": [...]}]}``, a list or one conversation.

    Messages carry ``text``, a time (``timestamp``/``time``/``created_at``), a sender
    (name string or object with ``name``/``id``/``role``) and optionally ``role``.
    A conversation's ``customer`` object (``id``/``email``) gives the customer's
    ``author_id``, so the same person can be followed into other channels.
    """
    parsed = Parsed(name=ctx.name)
    doc = parse_json(ctx, parsed)
    if doc is None:
        return parsed
    table = role_table(ctx.roles)
    for ci, conv in enumerate(_conversations(doc), start=1):
        if not isinstance(conv, dict) or not isinstance(conv.get("messages"), list):
            parsed.reject(ci, "conversation has no 'messages' list",
                          json.dumps(conv, ensure_ascii=False, default=str)[:4000])
            continue
        cid = conv.get("id", conv.get("conversation_id", conv.get("chat_id")))
        cid = f"{ctx.stem}:{cid if not is_missing(cid) else ci}"
        customer = conv.get("customer") if isinstance(conv.get("customer"), dict) else {}
        customer_id = customer.get("id") or customer.get("email") or customer.get("name")
        channel = ctx.channel or channel_of(conv.get("channel"), "chat")
        extras = {f"extra_{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                  for k, v in conv.items() if k not in ("messages", "id", "conversation_id", "chat_id",
                                                        "channel", "customer")}
        names: dict[int, str | None] = {}
        explicit: dict[int, str | None] = {}
        for mi, m in enumerate(conv["messages"], start=1):
            if not isinstance(m, dict):
                continue
            sender = _first(m, _SENDER_KEYS)
            if isinstance(sender, dict):
                explicit[mi] = role_of(sender.get("role") or sender.get("type"), table)
                sender = sender.get("name") or sender.get("id")
            names[mi] = None if sender is None else str(sender)
            if mi not in explicit or explicit[mi] is None:
                explicit[mi] = role_of(_first(m, _ROLE_KEYS), table) if _first(m, _ROLE_KEYS) else None
        customer_name = str(customer.get("name")) if customer.get("name") else None
        for i, n in names.items():
            if n is not None and n == customer_name and not explicit.get(i):
                explicit[i] = "customer"
        speakers = resolve_speakers([n for i, n in names.items() if n and not explicit.get(i)], table,
                                    present=[r for r in explicit.values() if r])
        for mi, m in enumerate(conv["messages"], start=1):
            rec = f"{ci}.{mi}"
            if not isinstance(m, dict):
                parsed.reject(rec, f"message is a JSON {type(m).__name__}, not an object", json.dumps(m)[:4000])
                continue
            text = _first(m, _TEXT_KEYS)
            if is_missing(text) or not isinstance(text, (str, int, float)):
                parsed.reject(rec, "message has no text", json.dumps(m, ensure_ascii=False, default=str)[:4000],
                              field="text")
                continue
            notes: list[str] = []
            time_key = next((k for k in _TIME_KEYS if k in m and not is_missing(m[k])), "timestamp")
            ts = datetime_or_note(m.get(time_key), ctx.tz, notes, time_key)
            name = names.get(mi)
            role = explicit.get(mi) or (speakers.get(name, "unknown") if name else "unknown")
            author = customer_id if (role == "customer" and customer_id) else name
            mid = m.get("id", m.get("message_id"))
            parsed.add({
                "conversation_id": cid,
                "message_id": f"{cid}:{mid if not is_missing(mid) else mi}",
                "timestamp": ts,
                "channel": channel,
                "author_role": role,
                "author_id": None if author is None else str(author),
                "subject": conv.get("subject") or conv.get("topic"),
                "text": str(text),
                "body": str(text).strip(),
                "source": f"{ctx.name}:{rec}",
                "extra_speaker": name,
                **extras,
                **{f"extra_message_{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                   for k, v in m.items() if k not in _USED_MESSAGE_KEYS},
                **_artefact_fields(str(text)),
            }, notes)
    return parsed


# --------------------------------------------------------------------------- plain text transcripts

CHAT_LINE = re.compile(r"^\s*(?:\[(?P<ts>[^\]\n]{6,40})\]\s*)?(?P<name>[^:\[\]\n]{1,60}?)\s*:\s?(?P<text>.*)$")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|#{3,})\s*(?P<title>.*?)\s*(?:-{3,}|={3,}|#{3,})?\s*$")
_ID_IN_TITLE = re.compile(r"([A-Za-z]*[-#]?\d[\w-]*)\s*$")


def load_chat_text(ctx: Context) -> Parsed:
    """Transcripts written as ``[2024-03-01 10:02] Kunde: text`` lines.

    A line like ``--- Chat 4711 ---`` (or ``===``) starts a new conversation;
    otherwise the file is one conversation. Lines without a speaker continue the
    message before them. ``Name: text`` without a time is accepted only for known
    role names (Kunde, Agent ...) so that ``Hinweis: ...`` inside a message stays text.
    """
    parsed = Parsed(name=ctx.name)
    table = role_table(ctx.roles)
    lines = read_text(ctx.file, ctx.encoding).split("\n")
    convs: list[tuple[str, list[dict[str, Any]]]] = []
    current: list[dict[str, Any]] | None = None
    conv_n = 0

    def start(title: str) -> list[dict[str, Any]]:
        nonlocal conv_n
        conv_n += 1
        m = _ID_IN_TITLE.search(title[-80:])  # bounded: the id is at the end, and search is quadratic
        convs.append((m.group(1) if m else str(conv_n), []))
        return convs[-1][1]

    for ln, line in enumerate(lines, start=1):
        if not line.strip():
            if current:
                current[-1]["lines"].append("")
            continue
        sep = _SEPARATOR.match(line)
        if sep:
            current = start(sep.group("title"))
            continue
        m = CHAT_LINE.match(line)
        if m and (m.group("ts") or role_of(m.group("name"), table)):
            if current is None:
                current = start("")
            current.append({"line": ln, "ts": m.group("ts"), "name": m.group("name").strip(),
                            "lines": [m.group("text")]})
        elif current:
            current[-1]["lines"].append(line)
        else:
            parsed.reject(ln, "line before the first message (expected '[time] Name: text' or "
                              "'--- Chat <id> ---')", line)
    seen: set[str] = set()
    for conv_id, msgs in convs:
        cid = f"{ctx.stem}:{conv_id}"
        while cid in seen:
            cid += "+"
        seen.add(cid)
        speakers = resolve_speakers([m["name"] for m in msgs], table)
        for m in msgs:
            text = "\n".join(m["lines"]).strip()
            if not text:
                parsed.reject(m["line"], "message has no text", m["name"] + ":", field="text")
                continue
            notes: list[str] = []
            ts = datetime_or_note(m["ts"], ctx.tz, notes, "time")
            parsed.add({
                "conversation_id": cid,
                "message_id": f"{cid}:{m['line']}",
                "timestamp": ts,
                "channel": ctx.channel or "chat",
                "author_role": speakers.get(m["name"], "unknown"),
                "author_id": m["name"],
                "subject": None,
                "text": text,
                "body": _EDITED.sub("", text) or text,
                "source": f"{ctx.name}:{m['line']}",
                **_artefact_fields(text),
            }, notes)
    return parsed


# --------------------------------------------------------------------------- WhatsApp-style exports

_DATE = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
WHATSAPP_LINE = re.compile(
    rf"^[\u200e\u200f]?(?:\[(?P<d1>{_DATE}),?\s+(?P<t1>{_TIME})\]\s+|(?P<d2>{_DATE}),?\s+(?P<t2>{_TIME})\s+-\s+)"
    r"(?P<rest>.*)$")


def _dayfirst(dates: list[str]) -> bool:
    if any("." in d for d in dates):
        return True
    firsts = [int(re.split(r"[./]", d)[0]) for d in dates]
    seconds = [int(re.split(r"[./]", d)[1]) for d in dates]
    if any(f > 12 for f in firsts):
        return True
    return False if any(s > 12 for s in seconds) else False


def load_whatsapp(ctx: Context) -> Parsed:
    """A messenger export (WhatsApp Android ``01.03.24, 10:02 - Name: text`` or iOS
    ``[3/1/24, 10:02:33 AM] Name: text``), German or English dates, multi-line messages.

    The file is one conversation. Notices without a sender (encryption notice, "X
    hat die Gruppe erstellt") and artefacts in a sender's name (:func:`chat_artefact`)
    are kept with ``author_role`` unknown and ``extra_system = True``.
    """
    parsed = Parsed(name=ctx.name)
    table = role_table(ctx.roles)
    text = read_text(ctx.file, ctx.encoding).replace("\u202f", " ").replace("\u00a0", " ")
    msgs: list[dict[str, Any]] = []
    for ln, line in enumerate(text.split("\n"), start=1):
        m = WHATSAPP_LINE.match(line)
        if m:
            date, time_ = (m.group("d1"), m.group("t1")) if m.group("d1") else (m.group("d2"), m.group("t2"))
            rest = m.group("rest")
            name, sep, body = rest.partition(": ")
            system = not sep or len(name) > 80
            msgs.append({"line": ln, "date": date, "time": time_, "name": None if system else name.strip(),
                         "lines": [rest if system else body]})
        elif msgs:
            msgs[-1]["lines"].append(line)
        elif line.strip():
            parsed.reject(ln, "line before the first message (expected '01.03.24, 10:02 - Name: text')", line)
    dayfirst = _dayfirst([m["date"] for m in msgs]) if msgs else True
    speakers = resolve_speakers([m["name"] for m in msgs if m["name"]], table)
    cid = f"whatsapp-{ctx.stem}"
    for m in msgs:
        body = "\n".join(m["lines"]).strip()
        if not body:
            parsed.reject(m["line"], "message has no text", f"{m['date']} {m['time']} {m['name']}:", field="text")
            continue
        notes: list[str] = []
        ts = datetime_or_note(f"{m['date']} {m['time']}", ctx.tz, notes, "time", dayfirst=dayfirst)
        artefact = chat_artefact(body) if m["name"] else None
        system = m["name"] is None or artefact is not None
        parsed.add({
            "conversation_id": cid,
            "message_id": f"{cid}:{m['line']}",
            "timestamp": ts,
            "channel": ctx.channel or "chat",
            "author_role": speakers.get(m["name"], "unknown") if m["name"] and not system else "unknown",
            "author_id": m["name"],
            "subject": None,
            "text": body,
            "body": _EDITED.sub("", body) or body,
            "source": f"{ctx.name}:{m['line']}",
            "extra_system": system,
            "extra_artefact": artefact or ("notice" if m["name"] is None else None),
        }, notes)
    return parsed

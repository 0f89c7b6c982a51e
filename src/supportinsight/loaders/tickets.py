"""Ticket exports: generic CSV/TSV/JSON/JSONL/XLSX (through a mapping), Zendesk JSON, Freshdesk CSV.

Generic exports may hold one row per ticket or one row per comment (then map
``conversation_id`` to the ticket column). German Excel exports work as they
come: ``;`` delimiters, UTF-8 with or without BOM or cp1252, decimal commas
(``1.234,56`` in an extra column becomes a number), dates like ``01.03.2024 10:02``.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from ..errors import LoadError
from ..text.quotes import split_reply
from .delimited import german_numbers, read_delimited, unique_header
from .frame import channel_of, is_missing, map_records
from .jsonfiles import flatten, json_records, jsonl_objects, parse_json
from .records import Context, Parsed
from .roles import role_of, role_table
from .sniff import read_bytes
from .timestamps import datetime_or_note

__all__ = ["read_delimited", "load_csv", "load_tsv", "load_json", "load_jsonl", "load_xlsx",
           "load_zendesk", "load_freshdesk", "json_records", "flatten"]


def _load_delimited(ctx: Context, prefer: str | None) -> Parsed:
    parsed = Parsed(name=ctx.name)
    header, rows = read_delimited(ctx, parsed, prefer=prefer)
    if not header:
        return parsed
    map_records(rows, header, ctx, parsed)
    german_numbers(parsed)
    return parsed


def load_csv(ctx: Context) -> Parsed:
    """A delimited text file (delimiter sniffed: ``;``, ``,``, tab, ``|``), one message per row."""
    return _load_delimited(ctx, prefer=None)


def load_tsv(ctx: Context) -> Parsed:
    """A tab-separated file, one message per row."""
    return _load_delimited(ctx, prefer="\t")


def _map_objects(objs: list[tuple[int | str, Any]], ctx: Context, parsed: Parsed) -> None:
    good: list[tuple[int | str, dict[str, Any]]] = []
    columns: dict[str, None] = {}
    for rec, obj in objs:
        if not isinstance(obj, dict):
            parsed.reject(rec, f"record is a JSON {type(obj).__name__}, not an object", json.dumps(obj)[:4000])
            continue
        flat = flatten(obj)
        good.append((rec, flat))
        columns.update(dict.fromkeys(flat))
    if good:
        map_records(good, list(columns), ctx, parsed)


def load_json(ctx: Context) -> Parsed:
    """A JSON array of objects (or an object holding one), one message per object."""
    parsed = Parsed(name=ctx.name)
    doc = parse_json(ctx, parsed)
    if doc is None:
        return parsed
    _map_objects([(i + 1, o) for i, o in enumerate(json_records(doc))], ctx, parsed)
    return parsed


def load_jsonl(ctx: Context) -> Parsed:
    """JSON Lines, one message object per line (record = line number)."""
    parsed = Parsed(name=ctx.name)
    _map_objects(jsonl_objects(ctx, parsed), ctx, parsed)
    return parsed


def check_zip_limits(data: bytes, file: object) -> None:
    """Refuse archives that would unpack to too much or hold too many entries (zip bombs).

    The sizes declared in the zip directory bound what :mod:`zipfile` will inflate,
    so checking them before openpyxl reads anything is enough.
    """
    from . import records

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoadError(f"is not a readable .xlsx workbook ({type(exc).__name__}); open and save it again "
                        f"in Excel, or export CSV", file=str(file)) from exc
    if len(infos) > records.MAX_XLSX_ENTRIES:
        raise LoadError(f"holds {len(infos):,} archive entries, over the limit of {records.MAX_XLSX_ENTRIES:,} "
                        f"(MAX_XLSX_ENTRIES); export CSV instead", file=str(file))
    total = sum(i.file_size for i in infos)
    if total > records.MAX_XLSX_UNPACKED_BYTES:
        raise LoadError(f"would unpack to {total:,} bytes, over the limit of {records.MAX_XLSX_UNPACKED_BYTES:,} "
                        f"(MAX_XLSX_UNPACKED_BYTES); export CSV or split the workbook", file=str(file))
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > records.MAX_XLSX_RATIO * max(i.compress_size, 1):
            raise LoadError(f"entry {i.filename!r} unpacks {i.file_size // max(i.compress_size, 1):,}x its "
                            f"packed size (limit {records.MAX_XLSX_RATIO:,}x, MAX_XLSX_RATIO): refusing a "
                            f"possible zip bomb", file=str(file))


def load_xlsx(ctx: Context) -> Parsed:
    """The first non-empty sheet of an Excel workbook; the first row is the header."""
    import openpyxl  # XML parsed through defusedxml when installed (it is a dependency)
    from openpyxl.utils.exceptions import InvalidFileException

    parsed = Parsed(name=ctx.name)
    data = read_bytes(ctx.file)
    if not data.strip():
        return parsed
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise LoadError("is an old binary .xls workbook; save it as .xlsx or CSV", file=str(ctx.file))
    check_zip_limits(data, ctx.file)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError,
            AttributeError, IndexError, EOFError) as exc:
        raise LoadError(f"is not a readable .xlsx workbook ({type(exc).__name__}); open and save it again "
                        f"in Excel, or export CSV", file=str(ctx.file)) from exc
    except Exception as exc:  # defusedxml and lxml raise their own families on hostile or broken XML
        raise LoadError(f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc}); export CSV instead",
                        file=str(ctx.file)) from exc
    try:
        rows_iter = _sheet_rows(wb)
        header: list[str] | None = None
        records = []
        n = 0
        for values in rows_iter:
            if all(is_missing(v) for v in values):
                continue
            if header is None:
                header = unique_header(["" if v is None else str(v) for v in values])
                continue
            n += 1
            values = list(values) + [None] * (len(header) - len(values))
            if len(values) > len(header):
                if any(not is_missing(v) for v in values[len(header):]):
                    parsed.reject(n, f"has cells beyond the {len(header)} header columns; add a header",
                                  values)
                    continue
                values = values[:len(header)]
            records.append((n, dict(zip(header, values))))
    except LoadError:
        raise
    except Exception as exc:  # a broken sheet inside a valid zip
        raise LoadError(f"has an unreadable sheet ({type(exc).__name__}); export CSV instead",
                        file=str(ctx.file)) from exc
    finally:
        wb.close()
    if header:
        map_records(records, header, ctx, parsed)
        german_numbers(parsed)
    return parsed


def _sheet_rows(wb: Any) -> Iterator[tuple[Any, ...]]:
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            continue
        yield first
        yield from rows
        return


# --------------------------------------------------------------------------- Zendesk

_ZD_CHANNELS = {"email": "email", "web": "web_form", "chat": "chat", "native_messaging": "chat",
                "voice": "phone", "twitter": "social", "facebook": "social", "instagram_dm": "social",
                "whatsapp": "chat", "api": "other", "mobile_sdk": "web_form", "sample_ticket": "other"}


def _zd_tickets(doc: Any) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    users: dict[str, dict[str, Any]] = {}
    if isinstance(doc, dict):
        for u in doc.get("users") or []:
            if isinstance(u, dict) and "id" in u:
                users[str(u["id"])] = u
        if isinstance(doc.get("tickets"), list):
            return doc["tickets"], users
        if isinstance(doc.get("ticket"), dict):
            return [doc["ticket"]], users
        return [doc], users
    if isinstance(doc, list):
        return doc, users
    return [doc], users


def _zd_ticket(rec: int | str, ticket: Any, users: dict[str, dict[str, Any]], ctx: Context, parsed: Parsed,
               table: dict[str, str]) -> None:
    if not isinstance(ticket, dict):
        parsed.reject(rec, f"ticket is a JSON {type(ticket).__name__}, not an object", json.dumps(ticket)[:4000])
        return
    comments = ticket.get("comments")
    if comments is None and ticket.get("description"):
        comments = [{"id": f"{ticket.get('id')}-d", "body": ticket["description"],
                     "author_id": ticket.get("requester_id"), "created_at": ticket.get("created_at"),
                     "public": True}]
    if not isinstance(comments, list):
        parsed.reject(rec, "ticket has no 'comments' list; export tickets with comments (sideload comments)",
                      json.dumps(ticket, ensure_ascii=False)[:4000])
        return
    tid = ticket.get("id")
    ticket_notes = []
    if is_missing(tid):
        tid = f"{ctx.stem}-{rec}"
        ticket_notes.append(f"id: the ticket has no 'id'; numbered {tid} by its position")
    requester = str(ticket.get("requester_id")) if ticket.get("requester_id") is not None else None
    via = ticket.get("via") if isinstance(ticket.get("via"), dict) else {}
    channel = ctx.channel or _ZD_CHANNELS.get(str(via.get("channel", "")).lower(), "other")
    extras = {f"extra_{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
              for k, v in ticket.items() if k not in ("comments", "id", "subject", "raw_subject", "description",
                                                      "requester_id", "via", "created_at")}
    for j, c in enumerate(comments, start=1):
        where = f"{rec}.{j}"
        if not isinstance(c, dict):
            parsed.reject(where, "comment is not an object", json.dumps(c)[:4000])
            continue
        text = c.get("body") if not is_missing(c.get("body")) else c.get("plain_body")
        if is_missing(text) or not isinstance(text, str):
            parsed.reject(where, "comment has no 'body' text", json.dumps(c, ensure_ascii=False)[:4000],
                          field="body")
            continue
        notes = list(ticket_notes)
        ts = datetime_or_note(c.get("created_at"), ctx.tz, notes, "created_at")
        author = str(c.get("author_id")) if c.get("author_id") is not None else None
        user = users.get(author or "", {})
        if author is not None and author == requester:
            role = "customer"
        elif user.get("role"):
            role = role_of(user["role"], table) or ("agent" if user["role"] in ("admin",) else "unknown")
        else:
            role = "unknown"
        public = c.get("public", True)
        if public is False and role == "unknown":
            role = "agent"  # only staff can write internal notes
        row = {
            "conversation_id": f"zendesk-{tid}",
            "message_id": f"zendesk-{tid}-{c.get('id', j)}",
            "timestamp": ts,
            "channel": channel,
            "author_role": role,
            "author_id": user.get("email") or user.get("name") or author,
            "subject": ticket.get("subject") or ticket.get("raw_subject"),
            "text": text,
            "body": split_reply(text)[0],
            "source": f"{ctx.name}:{where}",
            "extra_public": bool(public),
            **extras,
            **{f"extra_comment_{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
               for k, v in c.items() if k not in ("id", "body", "plain_body", "html_body", "author_id", "public",
                                                  "created_at")},
        }
        parsed.add(row, notes)


def load_zendesk(ctx: Context) -> Parsed:
    """Zendesk JSON (``{"tickets": [...], "users": [...]}``, a list of tickets, or JSON Lines of tickets).

    Each ticket's ``comments`` become messages; the requester is the customer, users
    with role ``agent``/``admin`` are agents, private comments (``public: false``) are
    kept with ``extra_public = False``. Record = ticket index (1-based), ``.comment``.
    """
    parsed = Parsed(name=ctx.name)
    table = role_table(ctx.roles)
    if ctx.file.suffix.lower() in (".jsonl", ".ndjson"):
        objs = jsonl_objects(ctx, parsed)
        users: dict[str, dict[str, Any]] = {}
        for rec, obj in objs:
            _zd_ticket(rec, obj, users, ctx, parsed, table)
        return parsed
    doc = parse_json(ctx, parsed)
    if doc is None:
        return parsed
    tickets, users = _zd_tickets(doc)
    for i, ticket in enumerate(tickets, start=1):
        _zd_ticket(i, ticket, users, ctx, parsed, table)
    return parsed


# --------------------------------------------------------------------------- Freshdesk

FRESHDESK_MAPPING = {"conversation_id": "Ticket ID", "text": "Description", "subject": "Subject",
                     "timestamp": "Created time"}
_FD_CHANNELS = {"email": "email", "portal": "web_form", "phone": "phone", "chat": "chat",
                "feedback widget": "web_form", "outbound email": "email", "twitter": "social",
                "facebook": "social", "mobihelp": "web_form", "whatsapp": "chat", "forum": "web_form"}


def load_freshdesk(ctx: Context) -> Parsed:
    """Freshdesk ticket CSV export (``Ticket ID``, ``Subject``, ``Description``, ``Source``, ``Created time``,
    ``Full name``/``Email`` ...): one customer message per ticket.
    """
    parsed = Parsed(name=ctx.name)
    header, rows = read_delimited(ctx, parsed, prefer=",")
    if not header:
        return parsed
    norm = {h.strip().lower(): h for h in header}
    mapping: dict[str, Any] = {}
    for key, name in FRESHDESK_MAPPING.items():
        if name.lower() in norm:
            mapping[key] = norm[name.lower()]
    if "ticket id" in norm:
        mapping["message_id"] = norm["ticket id"]
    for name in ("email", "contact id", "full name", "requester email", "requester name"):
        if name in norm:
            mapping["author_id"] = norm[name]
            break
    mapping.update(ctx.mapping or {})
    source_col = norm.get("source")
    fixed = []
    for rec, row in rows:
        row = dict(row)
        if source_col:
            row["__channel"] = _FD_CHANNELS.get(str(row.get(source_col, "")).strip().lower(),
                                                channel_of(row.get(source_col)))
        fixed.append((rec, row))
    if source_col and "channel" not in mapping:
        mapping["channel"] = "__channel"
    mapping.setdefault("author_role", ("const", "customer"))
    const_role = mapping.pop("author_role") if isinstance(mapping.get("author_role"), tuple) else None
    columns = header + (["__channel"] if source_col else [])
    sub = Context(file=ctx.file, mapping=mapping, roles=ctx.roles, channel=ctx.channel, encoding=ctx.encoding,
                  tz=ctx.tz)
    map_records(fixed, columns, sub, parsed, default_channel="email",
                default_role=const_role[1] if const_role else "customer")
    for r in parsed.rows:
        r.pop("extra___channel", None)
        r["conversation_id"] = f"freshdesk-{r['conversation_id']}"
        if not r["message_id"].startswith(ctx.stem + ":"):
            r["message_id"] = f"freshdesk-{r['message_id']}"
    german_numbers(parsed)
    return parsed

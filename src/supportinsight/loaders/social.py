"""Social posts: TWCS-style CSV and generic JSON Lines posts, rebuilt into threads.

Each post points at the post it answers (``in_response_to_tweet_id`` /
``in_reply_to``); a thread is every post reachable from one root, and becomes one
conversation (``conversation_id = "<platform>-<root id>"``). Inbound posts are the
customer's, outbound ones the brand's (``agent``). A reply whose parent is not in
the file starts its own thread at the earliest post that is.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import LoadError
from .frame import is_missing
from .records import Context, Parsed
from .roles import role_of, role_table
from .delimited import read_delimited
from .jsonfiles import jsonl_objects
from .timestamps import datetime_or_note

__all__ = ["TWCS_COLUMNS", "load_twcs", "load_social_jsonl", "thread_roots"]

TWCS_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
                "in_response_to_tweet_id")
_TRUE = {"true", "1", "yes", "ja", "t", "y", "inbound", "wahr"}
_FALSE = {"false", "0", "no", "nein", "f", "n", "outbound", "falsch"}


def _id(value: Any) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text



def _own_id(pid: str | None, field: str, absent: str, unit: str, ctx: Any, rec: int, raw: str,
            parents: dict[str, str | None], parsed: Any, notes: list[str]) -> str | None:
    """A post's id; numbered by its row when ``absent`` (noted), None when it repeats (row rejected)."""
    if not pid:
        pid = f"{ctx.stem}-{rec}"
        notes.append(f"{field}: {absent}; numbered {pid} by its {unit}, so no reply can point at it")
    if pid in parents:
        parsed.reject(rec, f"{field} {pid} repeats", raw, field=field)
        return None
    return pid

def thread_roots(parents: dict[str, str | None]) -> dict[str, str]:
    """Root post of each post, following parent links inside ``parents`` (cycles are cut)."""
    roots: dict[str, str] = {}
    for pid in parents:
        chain, node = [], pid
        seen: set[str] = set()
        while node is not None and node in parents and node not in roots and node not in seen:
            seen.add(node)
            chain.append(node)
            node = parents[node]
        root = roots[node] if node in roots else (chain[-1] if chain else pid)
        for c in chain:
            roots[c] = root
    return roots


def _finish(parsed: Parsed, items: list[tuple[dict[str, Any], list[str]]], parents: dict[str, str | None],
            prefix: str) -> None:
    roots = thread_roots(parents)
    for row, notes in items:
        row["conversation_id"] = f"{prefix}-{roots.get(row['_pid'], row['_pid'])}"
        row.pop("_pid")
        parsed.add(row, notes)


def load_twcs(ctx: Context) -> Parsed:
    """TWCS-style CSV (``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
    in_response_to_tweet_id``): tweets rebuilt into threads, inbound = customer, else brand."""
    parsed = Parsed(name=ctx.name)
    header, rows = read_delimited(ctx, parsed, prefer=",")
    if not header:
        return parsed
    lower = {h.strip().lower(): h for h in header}
    missing = [c for c in ("tweet_id", "author_id", "inbound", "text") if c not in lower]
    if missing:
        raise LoadError(f"is not a TWCS file: columns {missing} are missing; use format='csv' with a mapping",
                        file=str(ctx.file), field=missing[0])
    col = {c: lower.get(c) for c in TWCS_COLUMNS}
    known = {v for v in col.values() if v}
    items: list[tuple[dict[str, Any], list[str]]] = []
    parents: dict[str, str | None] = {}
    for rec, row in rows:
        raw = ",".join(f"{k}={v}" for k, v in row.items())
        tid = _id(row.get(col["tweet_id"]))
        text = row.get(col["text"])
        inbound = str(row.get(col["inbound"], "")).strip().lower()
        if is_missing(text):
            parsed.reject(rec, "text is empty", raw, field="text")
            continue
        notes: list[str] = []
        tid = _own_id(tid, "tweet_id", "empty", "row", ctx, rec, raw, parents, parsed, notes)
        if tid is None:
            continue
        if inbound in _TRUE:
            role = "customer"
        elif inbound in _FALSE:
            role = "agent"
        else:
            role = "unknown"
            notes.append(f"inbound: {inbound!r} is neither True nor False; author_role kept as unknown")
        ts = datetime_or_note(row.get(col["created_at"]) if col["created_at"] else None, ctx.tz, notes,
                              col["created_at"])
        parent_raw = row.get(col["in_response_to_tweet_id"]) if col["in_response_to_tweet_id"] else None
        # TWCS ids are written as floats by pandas exports ("119237.0")
        parents[tid] = _id(parent_raw)
        out = {
            "_pid": tid,
            "message_id": f"tweet-{tid}",
            "timestamp": ts,
            "channel": ctx.channel or "social",
            "author_role": role,
            "author_id": _id(row.get(col["author_id"])),
            "subject": None,
            "text": text,
            "body": text.strip(),
            "source": f"{ctx.name}:{rec}",
        }
        if col["response_tweet_id"]:
            out["extra_response_tweet_id"] = row.get(col["response_tweet_id"]) or None
        out["extra_in_response_to_tweet_id"] = parents[tid]
        for h in header:
            if h not in known:
                out[f"extra_{h.strip().lower()}"] = row.get(h)
        items.append((out, notes))
    _finish(parsed, items, parents, "tweet")
    return parsed


_REVIEW_PLATFORMS = {"trustpilot", "google", "google reviews", "app store", "appstore", "play store",
                     "google play", "playstore", "idealo", "review", "bewertung"}


def load_social_jsonl(ctx: Context) -> Parsed:
    """Social posts as JSON Lines: ``post_id``/``id``, ``text``, ``created_at``, ``author_id``/``handle``,
    ``in_reply_to``/``parent_id``, ``platform``, ``is_brand``/``role``.

    Posts on review platforms (Trustpilot, app stores ...) or with ``type: review``
    get channel ``review``; the rest ``social``. ``author_id`` is kept as written so a
    customer seen in chat (same id) can be followed here.
    """
    parsed = Parsed(name=ctx.name)
    table = role_table(ctx.roles)
    items: list[tuple[dict[str, Any], list[str]]] = []
    parents: dict[str, str | None] = {}
    platforms: set[str] = set()
    for rec, obj in jsonl_objects(ctx, parsed):
        raw = json.dumps(obj, ensure_ascii=False, default=str)[:4000]
        if not isinstance(obj, dict):
            parsed.reject(rec, f"line is a JSON {type(obj).__name__}, not an object", raw)
            continue
        pid = _id(obj.get("post_id", obj.get("id")))
        text = obj.get("text", obj.get("content", obj.get("message")))
        if is_missing(text) or not isinstance(text, str):
            parsed.reject(rec, "post has no text", raw, field="text")
            continue
        notes: list[str] = []
        pid = _own_id(pid, "post_id", "missing", "line", ctx, rec, raw, parents, parsed, notes)
        if pid is None:
            continue
        time_key = "created_at" if "created_at" in obj else "timestamp"
        ts = datetime_or_note(obj.get(time_key), ctx.tz, notes, time_key)
        platform = str(obj.get("platform") or "").strip()
        kind = str(obj.get("type") or "").strip().lower()
        brand = obj.get("is_brand")
        if isinstance(brand, bool):
            role = "agent" if brand else "customer"
        else:
            role = role_of(obj.get("role") or obj.get("author_role"), table) or "customer"
        parents[pid] = _id(obj.get("in_reply_to", obj.get("parent_id", obj.get("reply_to"))))
        platforms.add(platform.lower() or "social")
        channel = ctx.channel or ("review" if (kind == "review" or platform.lower() in _REVIEW_PLATFORMS)
                                  else "social")
        extras = {f"extra_{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                  for k, v in obj.items() if k not in ("post_id", "id", "text", "content", "message", "created_at",
                                                       "timestamp", "author_id", "is_brand", "role",
                                                       "author_role", "subject", "title")}
        items.append(({
            "_pid": pid,
            "message_id": f"post-{pid}",
            "timestamp": ts,
            "channel": channel,
            "author_role": role,
            "author_id": _id(obj.get("author_id", obj.get("handle", obj.get("author")))),
            "subject": obj.get("title") or obj.get("subject"),
            "text": text,
            "body": text.strip(),
            "source": f"{ctx.name}:{rec}",
            **extras,
        }, notes))
    _finish(parsed, items, parents, "post")
    return parsed

"""JSON documents and JSON Lines, read so that hostile values become clear errors.

Two values parse as JSON but break later stages: an integer with more digits than
Python converts (``ValueError`` from the int conversion limit) and a lone UTF-16
surrogate (``"\\udc00"``, which no UTF-8 file, Parquet column or model can hold).
In JSON Lines such a line is quarantined with the field named; in a JSON document
the load stops with a :class:`~supportinsight.errors.LoadError` naming the file,
the record and the field.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from ..errors import LoadError
from .records import MAX_ROW_BYTES, Context, Parsed
from .sniff import read_text

__all__ = ["parse_json", "loads", "jsonl_objects", "json_records", "flatten", "hostile_value"]

_LIST_KEYS = ("records", "data", "items", "rows", "results", "messages", "tickets", "posts", "entries")
_SURROGATE = re.compile("[\ud800-\udfff]")
# only an escape can bring a surrogate into decoded text; pairs (escaped emoji) match too and pass the scan
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class HugeNumber(str):
    """An integer literal too long for Python's int conversion, kept as its digits."""


def _parse_int(digits: str) -> int | HugeNumber:
    limit = sys.get_int_max_str_digits()
    if limit and len(digits.lstrip("-")) > limit:
        return HugeNumber(digits)
    return int(digits)


def loads(text: str) -> tuple[Any, bool]:
    """``(value, suspicious)``: the parsed JSON and whether :func:`hostile_value` must look at it.

    Raises ``json.JSONDecodeError`` or ``RecursionError`` like :func:`json.loads`.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer over the conversion limit: parse again, keeping it as digits
        return json.loads(text, parse_int=_parse_int), True
    return value, bool(_ESCAPED_SURROGATE.search(text))


def _path(parts: list[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "value"


def hostile_value(value: Any) -> tuple[list[Any], str] | None:
    """The path (keys and 0-based indexes) and the reason of the first value no later stage can hold."""
    stack: list[tuple[list[Any], Any]] = [([], value)]
    while stack:
        path, v = stack.pop()
        if isinstance(v, HugeNumber):
            return path, (f"holds an integer of {len(v.lstrip('-')):,} digits, over Python's limit of "
                          f"{sys.get_int_max_str_digits():,}; export it as text or drop the field")
        if isinstance(v, str):
            m = _SURROGATE.search(v)
            if m:
                return path, (f"holds a lone surrogate (\\u{ord(m.group()):04x}), a broken character no UTF-8 "
                              f"text can hold; fix the exporting tool's encoding")
        elif isinstance(v, dict):
            for k, item in reversed(list(v.items())):
                if _SURROGATE.search(k):
                    return path + [k.encode("utf-8", "backslashreplace").decode()], \
                        "has a key with a lone surrogate, a broken character no UTF-8 text can hold"
                stack.append((path + [k], item))
        elif isinstance(v, list):
            stack.extend((path + [i], item) for i, item in reversed(list(enumerate(v))))
    return None


def _where(path: list[Any]) -> tuple[int | None, str]:
    """Record (1-based position in the first list on the path) and field (the rest of the path)."""
    for i, p in enumerate(path):
        if isinstance(p, int):
            return p + 1, _path(path[i + 1:])
    return None, _path(path)


def parse_json(ctx: Context, parsed: Parsed) -> Any:
    """The JSON document of ``ctx.file`` (None when empty or not valid JSON, then quarantined whole).

    Raises
    ------
    LoadError
        A value no later stage can hold (see :func:`hostile_value`), naming file, record and field.
    """
    text = read_text(ctx.file, ctx.encoding)
    if not text.strip():
        return None
    try:
        doc, suspicious = loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) \
            else "nested too deeply"
        parsed.reject("document", f"not valid JSON ({where}); fix the file or export JSON Lines so one "
                                  f"bad record does not spoil the rest", text)
        return None
    bad = hostile_value(doc) if suspicious else None
    if bad is not None:
        record, field = _where(bad[0])
        raise LoadError(f"{bad[1]} (export JSON Lines to quarantine such a record and load the rest)",
                        file=str(ctx.file), row=record if record is not None else 1, field=field)
    return doc


def json_records(doc: Any) -> list[Any]:
    """The list of records in a JSON document (a list, or the first list under a usual key)."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in _LIST_KEYS:
            if isinstance(doc.get(key), list):
                return doc[key]
        for value in doc.values():  # {"reviews": [...]} and other export-specific names
            if isinstance(value, list) and value and isinstance(value[0], dict):
                return value
        return [doc]
    return [doc]


def jsonl_objects(ctx: Context, parsed: Parsed) -> list[tuple[int, Any]]:
    """``(line number, object)`` for each JSON line; bad lines go to quarantine."""
    out = []
    for i, line in enumerate(read_text(ctx.file, ctx.encoding).split("\n"), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_ROW_BYTES:
            parsed.reject(i, f"line holds {len(line):,} characters, over the limit of {MAX_ROW_BYTES:,}", line)
            continue
        try:
            obj, suspicious = loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            parsed.reject(i, f"not valid JSON ({getattr(exc, 'msg', 'nested too deeply')}); fix or remove "
                             f"the line", line)
            continue
        bad = hostile_value(obj) if suspicious else None
        if bad is not None:
            field = _path(bad[0])
            parsed.reject(i, f"field {field!r} {bad[1]}", line, field=field)
            continue
        out.append((i, obj))
    return out


def flatten(obj: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Nested objects as dotted keys (``customer.email``); lists as JSON text."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 3:
            out.update(flatten(value, name + ".", depth + 1))
        elif isinstance(value, (list, dict)):
            out[name] = json.dumps(value, ensure_ascii=False)[:MAX_ROW_BYTES + 1]
        else:
            out[name] = value
    return out

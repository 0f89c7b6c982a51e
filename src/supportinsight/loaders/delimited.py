"""Delimited text (CSV, TSV, ``;``-separated Excel exports) -> header and row dicts.

One unbalanced quote must not swallow the rows after it. A field that opens a
quote and never closes it runs on over the following lines, so the reader returns
one record for several lines. A record that spans lines and whose quotes are not
well formed (never closed, or closed in the middle of a field) is taken apart when
each line after the first looks like a record of the file on its own (as many
fields as the header), or when it runs to the end of the file: the first line goes
to quarantine with the reason, and the lines after it are read as records. A
quoted field that spans lines for a reason (a message with line breaks, even one
whose lines hold commas) is well formed and keeps its lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from .records import MAX_ROW_BYTES, Context, Parsed
from .sniff import read_text, sniff_delimiter

__all__ = ["read_delimited", "unique_header", "german_numbers"]


def unique_header(header: list[str]) -> list[str]:
    """Header names made unique (``name``, ``name.1`` ...); blank names become ``column_<n>``."""
    out, seen = [], {}
    for i, name in enumerate(header):
        name = name.strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _width(values: list[str]) -> int:
    """Field count, not counting the empty cells Excel writes after the last column."""
    n = len(values)
    while n > 1 and not values[n - 1].strip():
        n -= 1
    return n


def _fields(line: str, delim: str) -> list[str]:
    return next(csv.reader([line], delimiter=delim, strict=False), [])


def _opens_quote(values: list[str]) -> bool:
    """Whether a line read alone ends inside a quoted field (its line end became part of a field)."""
    return any("\n" in v for v in values)


def _record_shaped(values: list[str], width: int) -> bool:
    """As many fields as the header (trailing empty cells aside), and no quote left open."""
    return len(values) >= width > 1 and _width(values) <= width and not _opens_quote(values)


def _well_formed(lines: list[str], delim: str) -> bool:
    """Whether every quote in ``lines`` is closed, and closed before a delimiter or a line end."""
    try:
        for _ in csv.reader(lines, delimiter=delim, strict=True):
            pass
    except csv.Error:
        return False
    return True


_NEVER_CLOSED = ("a quote opened in this line is never closed, so the {n} line(s) after it were read as part of "
                 "it; those lines are read as records of their own, close the quote to keep this one")
_OPENS_QUOTE = "a quote opened in this line is never closed; close it to keep this record"
_STILL_OPEN = ("a quote opened in this line is still open at the end of the file; the lines after it are read "
               "as records of their own, close the quote to keep this one")


class _Lines:
    """The lines of a text as an iterator whose position can be set back (to read lines again)."""

    def __init__(self, text: str) -> None:
        self.lines = list(io.StringIO(text))
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _records(text: str, delim: str) -> Iterator[tuple[list[str] | None, str | None, str | None]]:
    """``(values, raw, problem)`` per record; ``values`` is None (and ``raw`` the lines) when it cannot be read."""
    src = _Lines(text)
    lines, width = src.lines, 0
    reader = csv.reader(src, delimiter=delim, strict=False)
    while True:
        start = src.pos
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield None, "".join(lines[start:start + 3]), (f"unreadable CSV from here on ({exc}); the rest of "
                                                          f"the file is skipped")
            return
        end = src.pos
        if width and end - start > 1 and any("\n" in v for v in values) \
                and not _well_formed(lines[start:end], delim):
            rest = [(ln, _fields(ln, delim)) for ln in lines[start + 1:end] if ln.strip()]
            if rest and all(_record_shaped(v, width) or _opens_quote(v) and len(v) >= width for _, v in rest):
                # each swallowed line is a record of its own (or opens a quote itself)
                yield None, lines[start], _NEVER_CLOSED.format(n=len(rest))
                for ln, v in rest:
                    yield (None, ln, _OPENS_QUOTE) if _opens_quote(v) else (v, None, None)
                continue
            if end >= len(lines):
                yield None, lines[start], _STILL_OPEN
                src.pos = start + 1  # read the lines after it again, with a fresh reader
                reader = csv.reader(src, delimiter=delim, strict=False)
                continue
        if not width and values and any(v.strip() for v in values):
            width = _width(values)
        yield values, None, None


def read_delimited(ctx: Context, parsed: Parsed, delimiter: str | None = None, prefer: str | None = None
                   ) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and ``(data row number, row dict)`` pairs; malformed rows go to ``parsed``'s quarantine."""
    text = read_text(ctx.file, ctx.encoding)
    if not text.strip():
        return [], []
    delim = delimiter or sniff_delimiter(text, prefer)
    # fields up to the file size are read whole; records over MAX_ROW_BYTES are quarantined later
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    n = 0
    for values, raw, problem in _records(text, delim):
        if values is None:
            n += 1
            parsed.reject(n, problem or "unreadable record", (raw or "").rstrip("\n"))
            continue
        if not values or all(not v.strip() for v in values):
            continue
        if header is None:
            header = unique_header([v.lstrip("\ufeff") for v in values])
            continue
        n += 1
        if len(values) > len(header) and not any(v.strip() for v in values[len(header):]):
            values = values[:len(header)]  # Excel writes trailing empty cells
        if len(values) != len(header):
            parsed.reject(n, f"has {len(values)} fields, the header has {len(header)}; a {delim!r} or "
                             f"quote inside a field is probably not quoted", delim.join(values))
            continue
        size = sum(len(v) for v in values)
        if size > MAX_ROW_BYTES:
            parsed.reject(n, f"record holds {size:,} characters, over the limit of {MAX_ROW_BYTES:,} "
                             f"(MAX_ROW_BYTES); split it or shorten the field", delim.join(values)[:4000])
            continue
        rows.append((n, dict(zip(header, values))))
    return header or [], rows


_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_INTEGER = re.compile(r"^-?(0|[1-9]\d{0,17})$")


def german_numbers(parsed: Parsed) -> None:
    """Extra text columns that hold only numbers become numbers.

    Decimal commas (``1.234,56``) become floats; whole numbers without leading zeros
    become ints. A column with any other value, or with a leading zero anywhere
    (postcodes, phone numbers), stays text.
    """
    if not parsed.rows:
        return
    keys = [k for k in parsed.rows[0] if k.startswith("extra_")]
    for key in keys:
        values = [r.get(key) for r in parsed.rows]
        present = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        if not present or len(present) != sum(v is not None for v in values):
            continue
        if all(_INTEGER.match(v) for v in present):
            convert = int
        elif all(_DECIMAL.match(v) for v in present) and any("," in v for v in present):
            def convert(v: str) -> float:
                return float(v.replace(".", "").replace(",", "."))
        else:
            continue
        for r in parsed.rows:
            v = r.get(key)
            r[key] = convert(v.strip()) if isinstance(v, str) and v.strip() else None

"""Delimited text (CSV, TSV, ``;``-separated Excel exports) -> header and row dicts.

One unbalanced quote must not swallow the rows after it. A field that opens a
quote and never closes it runs on over the following lines, so the reader returns
one record for several lines. Such a record is taken apart when each line after
the first looks like a record of the file on its own (as many fields as the
header), or when the quote is still open at the end of the file: the first line
goes to quarantine with the reason, and the lines after it are read again as
records. A quoted field that spans lines for a reason (a message with line
breaks) keeps its lines, because those do not look like records.
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


def _looks_like_record(line: str, delim: str, width: int) -> bool:
    values = next(csv.reader([line], delimiter=delim, strict=False), [])
    return len(values) >= width and _width(values) <= width and len(values) > 1


def _runaway(lines: list[str], delim: str, width: int, at_end: bool) -> str | None:
    """Why the record read from ``lines`` is a quote left open, or None when it is a real record."""
    rest = [ln for ln in lines[1:] if ln.strip()]
    if not rest:
        return None
    if all(_looks_like_record(ln, delim, width) for ln in rest):
        return (f"a quote opened in this line is never closed, so the {len(rest)} line(s) after it were read "
                f"as part of it; those lines are read as records of their own, close the quote to keep this one")
    if at_end and sum(ln.count('"') for ln in lines) % 2:
        return ("a quote opened in this line is still open at the end of the file; the lines after it are read "
                "as records of their own, close the quote to keep this one")
    return None


def _records(text: str, delim: str) -> Iterator[tuple[list[str] | None, str, str | None]]:
    """``(values, raw, problem)`` per record; ``values`` is None when the record cannot be read."""
    lines = list(io.StringIO(text))
    pos, width = 0, 0
    while pos < len(lines):
        reader = csv.reader(iter(lines[pos:]), delimiter=delim, strict=False)
        start = pos
        restart = False
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield None, "".join(lines[start:start + 3]), (f"unreadable CSV from here on ({exc}); the rest of "
                                                              f"the file is skipped")
                return
            end = pos + reader.line_num
            if width and end - start > 1 and any("\n" in v for v in values):
                problem = _runaway(lines[start:end], delim, width, end >= len(lines))
                if problem:
                    yield None, lines[start], problem
                    pos, restart = start + 1, True
                    break
            if values and any(v.strip() for v in values) and not width:
                width = _width(values)
            yield values, "".join(lines[start:end]), None
            start = end
        if not restart:
            return


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
        if values is not None and (not values or all(not v.strip() for v in values)):
            continue
        if header is None and values is not None:
            header = unique_header([v.lstrip("\ufeff") for v in values])
            continue
        n += 1
        if values is None:
            parsed.reject(n, problem or "unreadable record", raw.rstrip("\n"))
            continue
        assert header is not None
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

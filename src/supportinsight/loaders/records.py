"""What every loader shares: the load context, parsed rows, quarantine entries, limits.

A loader turns one file into a :class:`Parsed`: canonical rows (plain dicts), the
quarantined records with reasons, and ``rows_in``, the number of input records it
saw. The invariant ``rows_in == len(rows) + len(quarantine)`` holds for every
loader and is checked before the frame is built.

A record whose optional fields cannot be read (a date like ``gestern``, an
unknown role or channel value) is kept: the field becomes empty or ``unknown``
and the row carries a note in :data:`WARNINGS_COLUMN`. Only records without
text, or that cannot be split into fields, are quarantined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

__all__ = [
    "MAX_ROW_BYTES",
    "MAX_RAW_CHARS",
    "MAX_FILE_BYTES",
    "MAX_XLSX_UNPACKED_BYTES",
    "MAX_XLSX_ENTRIES",
    "MAX_XLSX_RATIO",
    "QUARANTINE_COLUMNS",
    "WARNINGS_COLUMN",
    "Context",
    "Parsed",
    "extra_name",
]

#: A record (row, JSON object, message) larger than this goes to quarantine.
MAX_ROW_BYTES = 1_000_000
#: Raw content kept in a quarantine entry.
MAX_RAW_CHARS = 2_000
#: Files larger than this are refused with a LoadError (split the export first).
MAX_FILE_BYTES = 2_000_000_000
#: An .xlsx (a zip archive) whose entries would unpack to more than this is refused (zip bomb).
MAX_XLSX_UNPACKED_BYTES = 1_000_000_000
#: An .xlsx with more archive entries than this is refused.
MAX_XLSX_ENTRIES = 10_000
#: An .xlsx entry that unpacks to more than this many times its packed size is refused.
MAX_XLSX_RATIO = 1_000

QUARANTINE_COLUMNS: tuple[str, ...] = ("source", "file", "record", "field", "reason", "raw")
#: Per row: what could not be read in its optional fields, ``"; "``-separated ("" when nothing).
WARNINGS_COLUMN = "load_warnings"

_EXTRA_CLEAN = re.compile(r"[^0-9a-zA-Z_äöüÄÖÜß]+")


def extra_name(column: Any) -> str:
    """``extra_<name>`` for an unmapped input column: lower case, non-word characters as ``_``."""
    name = _EXTRA_CLEAN.sub("_", str(column).strip()).strip("_").lower() or "column"
    return "extra_" + name


@dataclass
class Context:
    """Options of one load, shared by every file of it."""

    file: Path
    mapping: Mapping[str, Any] | None = None
    roles: Mapping[str, str] | None = None
    channel: str | None = None
    encoding: str | None = None
    tz: str = "UTC"

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def stem(self) -> str:
        return self.file.stem


@dataclass
class Parsed:
    """Rows and quarantine of one file."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    rows_in: int = 0

    def add(self, row: dict[str, Any], notes: list[str] | None = None) -> None:
        """Count one input record and keep it as a row (too large rows go to quarantine).

        ``notes`` say which optional fields could not be read; they go to the row's
        :data:`WARNINGS_COLUMN`.
        """
        self.rows_in += 1
        if notes:
            row[WARNINGS_COLUMN] = "; ".join(n for n in [row.get(WARNINGS_COLUMN)] + notes if n)
        else:
            row.setdefault(WARNINGS_COLUMN, "")
        # the input's size: body is derived from text and does not count twice
        size = sum(len(v) for k, v in row.items() if isinstance(v, str) and k not in ("body", WARNINGS_COLUMN))
        if size > MAX_ROW_BYTES:
            rec = str(row.get("source", "")).rsplit(":", 1)[-1]
            self.quarantine.append(self._entry(rec, None, f"record holds {size:,} characters, over the "
                                               f"limit of {MAX_ROW_BYTES:,} (MAX_ROW_BYTES); split it "
                                               f"or shorten the field", row.get("text")))
            return
        self.rows.append(row)

    def reject(self, record: int | str, reason: str, raw: Any = None, *, field: str | None = None) -> None:
        """Count one input record and quarantine it with a reason."""
        self.rows_in += 1
        self.quarantine.append(self._entry(record, field, reason, raw))

    def _entry(self, record: int | str, field: str | None, reason: str, raw: Any) -> dict[str, Any]:
        if raw is None:
            raw_text = ""
        elif isinstance(raw, bytes):
            raw_text = raw[: MAX_RAW_CHARS * 4].decode("utf-8", "replace")
        else:
            raw_text = str(raw) if not isinstance(raw, str) else raw
        if len(raw_text) > MAX_RAW_CHARS:
            raw_text = raw_text[:MAX_RAW_CHARS] + " [...]"
        return {"source": f"{self.name}:{record}", "file": self.name, "record": str(record),
                "field": field, "reason": reason, "raw": raw_text}

    def check(self) -> None:
        """The invariant every loader keeps (a bug in a loader if it fails)."""
        if self.rows_in != len(self.rows) + len(self.quarantine):  # pragma: no cover - loader bug guard
            raise AssertionError(f"{self.name}: {self.rows_in} records in, {len(self.rows)} loaded, "
                                 f"{len(self.quarantine)} quarantined")

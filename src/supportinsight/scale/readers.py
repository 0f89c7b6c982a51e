"""Read large CSV/TSV/JSONL/Parquet exports in chunks as canonical frames.

The whole-file loaders in :mod:`supportinsight.loaders` read a file at once; for
exports of millions of rows these readers hand out canonical frames of
``chunk_size`` rows, mapped with the same column mapping and role table, with
``source`` naming the real file row. Rows that cannot be read go to the
``quarantine`` list the caller passes in, so rows in = rows yielded + quarantined
holds for streams too. Formats that cannot be streamed (XLSX, JSON documents,
e-mail, chats) are loaded whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import LoadError
from ..loaders import load
from ..loaders.frame import map_records
from ..loaders.records import MAX_ROW_BYTES, Context, Parsed
from ..loaders.sniff import decode, sniff_delimiter
from ..schema import coerce_frame, empty_frame

__all__ = ["iter_file_chunks", "STREAMED_SUFFIXES"]

STREAMED_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")


def _canonical(parsed: Parsed, quarantine: list[dict[str, Any]] | None) -> pd.DataFrame:
    if quarantine is not None:
        quarantine.extend(parsed.quarantine)
    if not parsed.rows:
        return empty_frame()
    return coerce_frame(pd.DataFrame.from_records(parsed.rows))


def _csv_chunks(path: Path, chunk_size: int, encoding: str | None, bad: list[dict[str, Any]]
                ) -> Iterator[tuple[int, pd.DataFrame]]:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    text, used = decode(head, encoding)
    enc = used.replace("+replace", "")
    sep = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text)

    def on_bad(fields: list[str]) -> None:
        bad.append({"fields": fields})
        return None

    reader = pd.read_csv(path, sep=sep, encoding=enc, encoding_errors="replace", dtype=str,
                         keep_default_na=False, chunksize=chunk_size, engine="python", on_bad_lines=on_bad)
    offset = 0
    for chunk in reader:
        yield offset, chunk
        offset += len(chunk)


def _jsonl_chunks(path: Path, chunk_size: int, bad: list[dict[str, Any]]) -> Iterator[tuple[int, pd.DataFrame]]:
    rows: list[dict[str, Any]] = []
    start = 0
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            if len(raw) > MAX_ROW_BYTES:
                bad.append({"record": lineno, "reason": f"line longer than {MAX_ROW_BYTES} bytes",
                            "raw": raw[:2000].decode("utf-8", "replace")})
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig", errors="replace"))
            except ValueError as exc:
                bad.append({"record": lineno, "reason": f"not valid JSON: {exc}",
                            "raw": raw[:2000].decode("utf-8", "replace")})
                continue
            if not isinstance(obj, dict):
                bad.append({"record": lineno, "reason": "a JSON line must be an object",
                            "raw": raw[:2000].decode("utf-8", "replace")})
                continue
            if not rows:
                start = lineno
            rows.append(obj)
            if len(rows) >= chunk_size:
                yield start - 1, pd.DataFrame.from_records(rows)
                rows = []
    if rows:
        yield start - 1, pd.DataFrame.from_records(rows)


def _parquet_chunks(path: Path, chunk_size: int) -> Iterator[tuple[int, pd.DataFrame]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types
        raise LoadError(f"is not a readable Parquet file ({exc})", file=str(path)) from exc
    offset = 0
    for batch in pf.iter_batches(batch_size=chunk_size):
        frame = batch.to_pandas()
        yield offset, frame
        offset += len(frame)


def iter_file_chunks(path: str | Path, *, chunk_size: int = 50_000, mapping: Mapping[str, Any] | None = None,
                     roles: Mapping[str, str] | None = None, channel: str | None = None, tz: str = "UTC",
                     encoding: str | None = None, quarantine: list[dict[str, Any]] | None = None
                     ) -> Iterator[pd.DataFrame]:
    """Yield canonical frames of about ``chunk_size`` messages from one export file.

    ``message_id`` defaults to ``<file stem>:<row>``, so ids stay unique across
    chunks (rows are counted as parsed: a malformed CSV line is quarantined and not
    counted); an id column mapped by the user is taken as it is (duplicates across
    chunks are not detected in streaming mode).
    """
    path = Path(path)
    if not path.exists():
        raise LoadError("does not exist; check the path", file=str(path))
    suffix = path.suffix.lower()
    if suffix not in STREAMED_SUFFIXES:
        frame, q = load(path, mapping=mapping, roles=roles, channel=channel, tz=tz, encoding=encoding,
                        return_quarantine=True)
        if quarantine is not None:
            quarantine.extend(q.to_dict("records"))
        yield frame
        return
    ctx = Context(file=path, mapping=mapping, roles=roles, channel=channel, encoding=encoding, tz=tz)
    bad: list[dict[str, Any]] = []
    if suffix in (".csv", ".tsv"):
        chunks = _csv_chunks(path, chunk_size, encoding, bad)
    elif suffix == ".parquet":
        chunks = _parquet_chunks(path, chunk_size)
    else:
        chunks = _jsonl_chunks(path, chunk_size, bad)
    for offset, chunk in chunks:
        parsed = Parsed(name=path.name)
        columns = [str(c) for c in chunk.columns]
        rows = chunk.set_axis(columns, axis=1).to_dict("records")
        map_records(((offset + i + 1, r) for i, r in enumerate(rows)), columns, ctx, parsed)
        for b in bad:
            record = b.get("record", "?")
            raw = b.get("raw") or ";".join(map(str, b.get("fields", [])))[:2000]
            parsed.quarantine.append({"source": f"{path.name}:{record}", "file": path.name, "record": str(record),
                                      "field": None, "reason": b.get("reason", "malformed line (wrong number of "
                                                                              "fields)"), "raw": raw})
        bad.clear()
        frame = _canonical(parsed, quarantine)
        if len(frame):
            yield frame

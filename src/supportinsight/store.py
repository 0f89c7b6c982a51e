"""Reading and writing annotated frames and quarantines.

The annotated Parquet keeps PII-redacted text unless raw text is asked for
(``keep_raw_text=True``): the file is meant to be shared with analysts and
dashboards, the raw export stays where it came from. Provenance (which step and
model made each column) travels in the Parquet metadata.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import LoadError, SchemaError
from .text.spreadsheet import neutralize_frame

__all__ = ["TEXT_COLUMNS", "write_annotated", "write_annotated_stream", "read_annotated", "write_quarantine",
           "quarantine_path"]

#: Columns holding free text that may contain personal data.
TEXT_COLUMNS: tuple[str, ...] = ("text", "body", "subject")


def quarantine_path(output: str | Path) -> Path:
    """Where the quarantine of ``output`` goes: ``annotated.parquet`` -> ``annotated.quarantine.csv``."""
    output = Path(output)
    return output.with_name(output.stem + ".quarantine.csv")


def write_annotated(frame: pd.DataFrame, path: str | Path, *, keep_raw_text: bool = False) -> Path:
    """Write ``frame`` to Parquet; free-text columns are PII-redacted unless ``keep_raw_text``."""
    path = Path(path)
    out = frame
    if not keep_raw_text:
        from .text.pii import redact_series

        out = frame.assign(**{c: redact_series(frame[c]) for c in TEXT_COLUMNS if c in frame.columns})
        out.attrs = dict(frame.attrs, raw_text=False)
    else:
        out = frame.copy()
        out.attrs = dict(frame.attrs, raw_text=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(path, index=False)
    return path


def write_annotated_stream(frames, path: str | Path, *, keep_raw_text: bool = False) -> int:
    """Write annotated frames one Parquet row group at a time (flat memory); returns the row count.

    Columns are fixed by the first frame; ``extra_*`` columns are written as text so a
    column that is empty in one chunk and filled in the next keeps one type.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .scale.partition import to_plain_types

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    schema = None
    columns: list[str] = []
    rows = 0
    try:
        for frame in frames:
            if not keep_raw_text:
                from .text.pii import redact_series

                frame = frame.assign(**{c: redact_series(frame[c]) for c in TEXT_COLUMNS if c in frame.columns})
            frame = to_plain_types(frame)
            extras = {c: frame[c].map(lambda v: None if v is None or (isinstance(v, float) and v != v) else str(v))
                      .astype("string") for c in frame.columns if c.startswith("extra_")}
            frame = frame.assign(**extras)
            if writer is None:
                columns = list(frame.columns)
                schema = pa.Schema.from_pandas(frame[columns], preserve_index=False)
                schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in schema])
                writer = pq.ParquetWriter(path, schema)
            for c in columns:
                if c not in frame.columns:
                    frame[c] = None
            writer.write_table(pa.Table.from_pandas(frame[columns], schema=schema, preserve_index=False))
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return rows


def read_annotated(path: str | Path) -> pd.DataFrame:
    """Read an annotated Parquet file; list columns come back as Python lists."""
    path = Path(path)
    if not path.exists():
        raise LoadError("does not exist; run `supportinsight annotate` first to create it", file=str(path))
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise LoadError(f"is not a readable Parquet file ({type(exc).__name__}: {exc})", file=str(path)) from exc
    if "text" not in frame.columns:
        raise SchemaError(f"{path} has no 'text' column; is it an annotated supportinsight file?", column="text")
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object and len(s) and isinstance(s.dropna().iloc[0] if s.notna().any() else None, np.ndarray):
            frame[col] = s.map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
    return frame


def write_quarantine(quarantine: pd.DataFrame, path: str | Path) -> Path:
    """Write quarantined rows as CSV (UTF-8 with BOM for Excel), neutralising formula injection."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralize_frame(quarantine).to_csv(path, index=False, encoding="utf-8-sig")
    return path

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

__all__ = ["TEXT_COLUMNS", "write_annotated", "read_annotated", "write_quarantine", "quarantine_path"]

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

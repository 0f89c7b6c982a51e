"""Shared scoring helpers for the evaluation tasks.

``classification_metrics`` lives in :mod:`supportinsight.metrics` (the labelling loop
scores with it too) and is importable from here as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LoadError
from ..metrics import classification_metrics

__all__ = ["classification_metrics", "write_json", "read_table"]


def _default(o: Any) -> Any:
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def write_json(metrics: dict[str, Any], path: str | Path) -> Path:
    """Write ``metrics`` as indented, key-sorted JSON (creating the folder) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True, ensure_ascii=False, default=_default) + "\n",
                    encoding="utf-8")
    return path


def read_table(path: str | Path, *, what: str = "a CSV, TSV, JSONL, Parquet or Excel file") -> pd.DataFrame:
    """A gold-label file as a frame of strings (JSONL keeps its JSON types).

    Parser errors become :class:`~supportinsight.errors.LoadError` naming the file
    (and the line, for JSONL).
    """
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"file not found; pass {what}", file=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson"}:
            rows = []
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        try:
                            rows.append(json.loads(line))
                        except json.JSONDecodeError as exc:
                            raise LoadError(f"not valid JSON ({exc.msg})", file=str(path), row=n) from None
            return pd.DataFrame(rows)
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in {".xlsx", ".xlsm"}:
            return pd.read_excel(path, dtype=str)
        sep = "\t" if suffix in {".tsv", ".tab"} else ","
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    except LoadError:
        raise
    except Exception as exc:  # translate parser errors at the boundary
        raise LoadError(f"cannot read the file ({type(exc).__name__}: {exc})", file=str(path)) from None

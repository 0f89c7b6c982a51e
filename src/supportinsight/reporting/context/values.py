"""Small helpers of the report context: missing values, list cells, required columns, shortened quotes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ...errors import SchemaError

_QUOTE_SUMMARY = 160
_UNKNOWN = "unknown"


def _isnan(value: Any) -> bool:
    try:
        return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _as_list(value: Any) -> list:
    if value is None or _isnan(value):
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in list(value) if v is not None and not _isnan(v)]


def _require(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise SchemaError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    for col in columns:
        if col not in table.columns:
            raise SchemaError(f"is missing from the {name} table; build it with the matching "
                              "supportinsight.aggregate function", column=col)


def shorten(quote: Any, limit: int = _QUOTE_SUMMARY) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    line = " ".join(str(quote).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "\u2026"

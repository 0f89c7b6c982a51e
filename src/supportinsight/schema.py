"""The canonical message frame: one row per message, whatever the source.

Every loader returns this frame and every later stage reads it. The columns:

================  ======================  =====================================================
column            dtype                   meaning
================  ======================  =====================================================
conversation_id   string                  thread / ticket / e-mail thread the message belongs to
message_id        string                  unique id of the message (unique within the frame)
timestamp         datetime64[ns, UTC]     when it was written, tz-aware UTC; NaT when unknown
channel           category (CHANNELS)     email, chat, phone, social, web_form, review, survey, other
author_role       category (ROLES)        customer, agent, bot, unknown
author_id         string                  who wrote it (name, handle, e-mail, id); may be missing
subject           string                  ticket or e-mail subject; may be missing
text              string                  the original text, never altered
body              string                  the new text only: quoted replies and signatures removed
source            string                  where it came from: ``file:row`` or ``file#record``
extra_*           any                     every further input column, kept under this prefix
================  ======================  =====================================================

Later stages add their own columns (``language``, ``sentiment``, ``intent``,
``journey_phase`` ...); :func:`validate_frame` checks only the canonical ones
and leaves others alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .errors import SchemaError

__all__ = [
    "CHANNELS",
    "ROLES",
    "COLUMNS",
    "REQUIRED",
    "EXTRA_PREFIX",
    "DTYPES",
    "empty_frame",
    "coerce_frame",
    "validate_frame",
]

CHANNELS: tuple[str, ...] = ("email", "chat", "phone", "social", "web_form", "review", "survey", "other")
ROLES: tuple[str, ...] = ("customer", "agent", "bot", "unknown")
EXTRA_PREFIX = "extra_"

COLUMNS: tuple[str, ...] = (
    "conversation_id",
    "message_id",
    "timestamp",
    "channel",
    "author_role",
    "author_id",
    "subject",
    "text",
    "body",
    "source",
)
#: Columns that must hold a value in every row.
REQUIRED: tuple[str, ...] = ("conversation_id", "message_id", "channel", "author_role", "text", "source")

DTYPES: dict[str, Any] = {
    "conversation_id": "string",
    "message_id": "string",
    "timestamp": "datetime64[ns, UTC]",
    "channel": pd.CategoricalDtype(CHANNELS),
    "author_role": pd.CategoricalDtype(ROLES),
    "author_id": "string",
    "subject": "string",
    "text": "string",
    "body": "string",
    "source": "string",
}


def empty_frame() -> pd.DataFrame:
    """An empty canonical frame with the right dtypes."""
    return pd.DataFrame({c: pd.Series([], dtype=DTYPES[c]) for c in COLUMNS})


def coerce_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the canonical columns their dtypes and order; other columns follow unchanged.

    Missing optional columns (``timestamp``, ``author_id``, ``subject``, ``body``) are
    added empty; ``body`` defaults to ``text``. Raises :class:`SchemaError` when a value
    cannot be converted (an unknown channel, say).
    """
    out = frame.copy()
    n = len(out)
    for col in ("timestamp", "author_id", "subject"):
        if col not in out.columns:
            out[col] = pd.Series([None] * n, index=out.index, dtype=object)
    if "body" not in out.columns and "text" in out.columns:
        out["body"] = out["text"]
    for col in COLUMNS:
        if col not in out.columns:
            raise SchemaError("is missing; every canonical frame needs it (see supportinsight.schema)",
                              column=col)
        dtype = DTYPES[col]
        try:
            if col == "timestamp":
                out[col] = pd.to_datetime(out[col], utc=True, errors="raise").astype(dtype)
            elif isinstance(dtype, pd.CategoricalDtype):
                bad = set(out[col].dropna().astype(str)) - set(dtype.categories)
                if bad:
                    raise SchemaError(f"has values {sorted(bad)[:5]} outside the allowed {list(dtype.categories)}",
                                      column=col)
                out[col] = out[col].astype(dtype)
            else:
                out[col] = out[col].astype(dtype)
        except SchemaError:
            raise
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"cannot be converted to {dtype}: {exc}", column=col) from exc
    rest = [c for c in out.columns if c not in COLUMNS]
    return out[list(COLUMNS) + rest]


def validate_frame(frame: pd.DataFrame, *, columns: Iterable[str] = COLUMNS) -> pd.DataFrame:
    """Check that ``frame`` is a canonical message frame; return it unchanged.

    Raises
    ------
    SchemaError
        Naming the first column that is missing, has the wrong dtype, holds a value
        outside its allowed set, lacks a required value, or (``message_id``) repeats.

    Examples
    --------
    >>> import supportinsight as si
    >>> si.validate_frame(si.load("data/samples/tickets_freshdesk.csv"))  # doctest: +SKIP
    """
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    for col in columns:
        if col not in frame.columns:
            raise SchemaError("is missing; load the data with si.load() or add the column", column=col)
        s = frame[col]
        want = DTYPES[col]
        if col == "timestamp":
            if not isinstance(s.dtype, pd.DatetimeTZDtype) or str(s.dtype.tz) != "UTC":
                raise SchemaError(f"must be tz-aware UTC datetimes, found dtype {s.dtype}", column=col)
        elif isinstance(want, pd.CategoricalDtype):
            bad = set(s.dropna().astype(str)) - set(want.categories)
            if bad:
                raise SchemaError(f"has values {sorted(bad)[:5]} outside the allowed {list(want.categories)}",
                                  column=col)
        else:
            if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
                raise SchemaError(f"must hold strings, found dtype {s.dtype}", column=col)
        if col in REQUIRED and s.isna().any():
            first = s.index[s.isna()][0]
            raise SchemaError(f"is empty in row {first!r}; every message needs a {col}", column=col)
    if "message_id" in columns and frame["message_id"].duplicated().any():
        dup = frame.loc[frame["message_id"].duplicated(), "message_id"].iloc[0]
        raise SchemaError(f"value {dup!r} occurs more than once; message ids must be unique",
                          column="message_id")
    return frame

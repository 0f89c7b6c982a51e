"""The touchpoints each conversation passes through, and where it first failed."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .taxonomy import UNKNOWN

__all__ = ["conversation_paths"]


def conversation_paths(frame: pd.DataFrame, *, roles: Sequence[str] = ("customer",)) -> pd.DataFrame:
    """The touchpoints each conversation passes through, in order, and where it first failed.

    Parameters
    ----------
    frame:
        An annotated frame with ``conversation_id``, ``touchpoint`` and
        ``journey_phase``; ``timestamp`` orders the messages (else frame order),
        ``author_role`` selects whose messages count (``roles``; messages without a
        role count), ``sentiment`` marks failures.
    roles:
        Author roles whose messages make up the path.

    Returns
    -------
    pandas.DataFrame
        One row per conversation: ``conversation_id``, ``path`` (touchpoints in order,
        repeats in a row merged, ``unknown`` left out), ``phases`` (the same for
        phases), ``first_failing_touchpoint`` (touchpoint of the first message in
        ``roles`` with negative sentiment and a known touchpoint, else ``None``;
        ``None`` everywhere when there is no ``sentiment`` column), ``n_messages``.
    """
    from ..errors import SchemaError

    for col in ("conversation_id", "touchpoint", "journey_phase"):
        if col not in frame.columns:
            raise SchemaError("missing; run si.annotate (with the journey step) on the frame first", column=col)
    work = pd.DataFrame({
        "conversation_id": frame["conversation_id"].astype(object).to_numpy(),
        "touchpoint": frame["touchpoint"].astype(object).to_numpy(),
        "phase": frame["journey_phase"].astype(object).to_numpy(),
        "pos": np.arange(len(frame)),
    })
    if "author_role" in frame.columns:
        role = frame["author_role"].astype(object).to_numpy()
        work["keep"] = [r is None or (isinstance(r, float) and math.isnan(r)) or r in roles for r in role]
    else:
        work["keep"] = True
    work["negative"] = (frame["sentiment"].astype(object).to_numpy() == "negative") if "sentiment" in frame.columns \
        else False
    if "timestamp" in frame.columns:
        work["t"] = pd.to_datetime(frame["timestamp"], errors="coerce", utc=True).to_numpy()
        work = work.sort_values(["t", "pos"], kind="stable", na_position="last")
    has_sentiment = "sentiment" in frame.columns
    rows = []
    for conv, g in work.groupby("conversation_id", sort=False, dropna=False):
        g = g[g["keep"]]
        path: list[str] = []
        phases: list[str] = []
        failing = None
        for tp, ph, neg in zip(g["touchpoint"], g["phase"], g["negative"]):
            known = isinstance(tp, str) and tp != UNKNOWN
            if known and (not path or path[-1] != tp):
                path.append(tp)
            if isinstance(ph, str) and ph != UNKNOWN and (not phases or phases[-1] != ph):
                phases.append(ph)
            if failing is None and has_sentiment and known and neg:
                failing = tp
        rows.append({"conversation_id": conv, "path": path, "phases": phases,
                     "first_failing_touchpoint": failing, "n_messages": int(len(g))})
    out = pd.DataFrame(rows, columns=["conversation_id", "path", "phases", "first_failing_touchpoint", "n_messages"])
    # keep None (not NaN) for "no failure" so that `is None` checks and JSON export stay plain
    out["first_failing_touchpoint"] = pd.Series([r["first_failing_touchpoint"] for r in rows], dtype=object,
                                                index=out.index)
    return out

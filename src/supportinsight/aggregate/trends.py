"""Sentiment over time, channel mix and intents per touchpoint: plain group-bys for reports.

Every table counts customer messages only (``author_role == "customer"``; all
messages when the frame has no ``author_role``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ConfigError, SchemaError
from ..journey.signals import customer_messages, message_intents

__all__ = ["sentiment_over_time", "channel_mix", "intents_by_touchpoint", "period_start", "check_period"]

_UNKNOWN = "unknown"


def period_start(ts: pd.Series, period: str) -> pd.Series:
    """Start of the calendar period of each (UTC) timestamp, as a UTC Timestamp."""
    naive = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    return naive.dt.to_period(period).dt.start_time.dt.tz_localize("UTC")


def check_period(period: str | None) -> None:
    """Raise ConfigError unless ``period`` is a pandas period alias (or None)."""
    if period is None:
        return
    try:
        pd.Series(pd.to_datetime(["2026-01-01"])).dt.to_period(period)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"period must be a pandas period alias such as 'D', 'W', 'M' or 'Q' (or None), "
                          f"got {period!r}") from exc


def _require(frame: pd.DataFrame, columns: Sequence[str], hint: str = "run si.annotate() first") -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected an annotated pandas DataFrame, got {type(frame).__name__}")
    for col in columns:
        if col not in frame.columns:
            raise SchemaError(f"is missing; {hint}", column=col)


def _customer_frame(annotated: pd.DataFrame) -> pd.DataFrame:
    return annotated.loc[customer_messages(annotated).to_numpy()]


def _negative(frame: pd.DataFrame) -> pd.Series:
    if "sentiment" not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    s = frame["sentiment"].astype("string")
    return (s == "negative").astype("float").where(s.notna())


def sentiment_over_time(annotated: pd.DataFrame, period: str = "W",
                        by: str | Sequence[str] | None = "journey_phase") -> pd.DataFrame:
    """Customer-message sentiment per period (and per ``by`` group).

    Parameters
    ----------
    annotated:
        An annotated frame with ``timestamp`` and ``sentiment``.
    period:
        Pandas period alias: ``"D"``, ``"W"``, ``"M"``, ``"Q"`` ...
    by:
        Column(s) to split by, or None for one series. Missing values become ``unknown``.

    Returns
    -------
    pandas.DataFrame
        ``period`` (UTC Timestamp of the period's start), the ``by`` columns, ``messages``,
        ``negative``, ``negative_share`` (of messages with a sentiment) and
        ``mean_sentiment`` (mean ``sentiment_score``, NaN without it), sorted by period.
        Messages without a timestamp cannot be placed: ``attrs["undated_messages"]``
        says how many were left out.
    """
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    _require(annotated, ["sentiment", *by_cols])
    check_period(period)
    frame = _customer_frame(annotated)
    ts = (pd.to_datetime(frame["timestamp"], utc=True) if "timestamp" in frame.columns
          else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]"))
    dated = ts.notna()
    frame, ts = frame[dated.to_numpy()], ts[dated]
    work = pd.DataFrame({"period": period_start(ts, period) if len(ts) else ts}, index=frame.index)
    for col in by_cols:
        work[col] = frame[col].astype("string").fillna(_UNKNOWN).astype(str)
    neg = _negative(frame)
    work["_neg"] = neg.fillna(0.0)
    work["_rated"] = neg.notna().astype(float)
    work["_score"] = (pd.to_numeric(frame["sentiment_score"], errors="coerce")
                      if "sentiment_score" in frame.columns else np.nan)
    keys = ["period", *by_cols]
    g = work.groupby(keys, sort=True, dropna=False)
    out = pd.DataFrame({
        "messages": g.size(),
        "negative": g["_neg"].sum().astype(int),
        "_rated": g["_rated"].sum(),
        "mean_sentiment": g["_score"].mean(),
    })
    out["negative_share"] = (out["negative"] / out["_rated"]).where(out["_rated"] > 0)
    out = out.reset_index()[[*keys, "messages", "negative", "negative_share", "mean_sentiment"]]
    out.attrs = {"period": period, "undated_messages": int((~dated).sum())}
    return out


def channel_mix(annotated: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """Customer messages, conversations, customers and negative share per channel (and period).

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``messages``, ``conversations`` (distinct ``conversation_id``),
        ``customers`` (distinct ``author_id``; missing, not 0, where no message of the
        channel names its author: many exports carry no customer id), ``negative_share``;
        with ``period`` a leading ``period`` column (undated messages are left out and
        counted in ``attrs["undated_messages"]``). Largest channel first.
    """
    _require(annotated, ["channel"])
    frame = _customer_frame(annotated)
    work = pd.DataFrame({"channel": frame["channel"].astype("string").fillna("other").astype(str)},
                        index=frame.index)
    work["_author"] = frame["author_id"].astype("string") if "author_id" in frame.columns else pd.NA
    work["_conv"] = (frame["conversation_id"].astype("string") if "conversation_id" in frame.columns
                     else pd.Series(pd.NA, index=frame.index, dtype="string"))
    neg = _negative(frame)
    work["_neg"] = neg.fillna(0.0)
    work["_rated"] = neg.notna().astype(float)
    keys = ["channel"]
    undated = 0
    if period is not None:
        check_period(period)
        ts = (pd.to_datetime(frame["timestamp"], utc=True) if "timestamp" in frame.columns
              else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]"))
        undated = int(ts.isna().sum())
        work = work[ts.notna().to_numpy()]
        ts = ts[ts.notna()]
        work.insert(0, "period", period_start(ts, period) if len(ts) else ts)
        keys = ["period", "channel"]
    g = work.groupby(keys, sort=False)
    authors = g["_author"].nunique()
    out = pd.DataFrame({"messages": g.size(), "conversations": g["_conv"].nunique(),
                        "customers": authors.astype("Int64").where(g["_author"].count() > 0),
                        "_neg": g["_neg"].sum(), "_rated": g["_rated"].sum()})
    out["negative_share"] = (out["_neg"] / out["_rated"]).where(out["_rated"] > 0)
    out = out.reset_index()
    sort = ["period", "messages", "channel"] if period is not None else ["messages", "channel"]
    asc = [True, False, True] if period is not None else [False, True]
    out = out.sort_values(sort, ascending=asc, kind="stable").reset_index(drop=True)
    out = out[[*keys, "messages", "conversations", "customers", "negative_share"]]
    out.attrs = {"period": period, "undated_messages": undated}
    return out


def intents_by_touchpoint(annotated: pd.DataFrame) -> pd.DataFrame:
    """How often each intent occurs at each touchpoint.

    A message with several intents (the ``intents`` list) counts once for each.
    ``share`` is the share of the touchpoint's customer messages that carry the
    intent, so shares of one touchpoint can add up to more than 1. The catch-all
    ``other`` intent is left out.

    Returns
    -------
    pandas.DataFrame
        ``touchpoint``, ``intent``, ``messages``, ``share``; per touchpoint (largest
        first) the most frequent intent first.
    """
    _require(annotated, ["touchpoint"], "run the journey step (si.annotate) first")
    if "intent" not in annotated.columns and "intents" not in annotated.columns:
        raise SchemaError("is missing; run the intent step (si.annotate) first", column="intent")
    frame = _customer_frame(annotated)
    touch = frame["touchpoint"].astype("string").fillna(_UNKNOWN).astype(str)
    pairs = pd.DataFrame({"touchpoint": touch.to_numpy(), "intent": message_intents(frame).map(sorted).to_numpy()})
    totals = pairs.groupby("touchpoint").size()
    pairs = pairs.explode("intent").dropna(subset=["intent"])
    pairs = pairs[pairs["intent"] != "other"]
    out = pairs.groupby(["touchpoint", "intent"]).size().rename("messages").reset_index()
    out["share"] = out["messages"] / out["touchpoint"].map(totals)
    out["_total"] = out["touchpoint"].map(totals)
    out = out.sort_values(["_total", "touchpoint", "messages", "intent"], ascending=[False, True, False, True],
                          kind="stable").drop(columns="_total").reset_index(drop=True)
    out["messages"] = out["messages"].astype(int)
    return out

"""What escalation signals read from an annotated frame: customer messages, intents, journeys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import numpy as np
import pandas as pd

from ..errors import ConfigError, SchemaError

__all__ = ["customer_messages", "message_intents", "conversation_journey"]

UNKNOWN = "unknown"


def customer_messages(frame: pd.DataFrame) -> pd.Series:
    """Boolean mask of the customer's messages (``author_role == "customer"``).

    A frame without an ``author_role`` column is taken to hold customer messages only.
    """
    if "author_role" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return (frame["author_role"].astype("string") == "customer").fillna(False).astype(bool)


def message_intents(frame: pd.DataFrame) -> pd.Series:
    """Per message, the set of intent ids it carries.

    Reads the multi-label ``intents`` column (lists) and adds the primary ``intent``;
    messages without either get an empty set.
    """
    sets = [set() for _ in range(len(frame))]
    if "intents" in frame.columns:
        for i, value in enumerate(frame["intents"].tolist()):
            if isinstance(value, str):
                sets[i].add(value)
            elif value is not None and not (isinstance(value, float) and np.isnan(value)):
                sets[i].update(str(v) for v in value if v is not None)
    if "intent" in frame.columns:
        for i, value in enumerate(frame["intent"].astype("string").tolist()):
            if value is not pd.NA and value is not None:
                sets[i].add(str(value))
    return pd.Series([frozenset(s) for s in sets], index=frame.index, dtype=object)


def duration_option(value: str | timedelta | pd.Timedelta, name: str) -> pd.Timedelta:
    try:
        out = pd.Timedelta(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a duration such as '24h', '90min' or '2 days', got {value!r}") from exc
    if pd.isna(out) or out < pd.Timedelta(0):
        raise ConfigError(f"{name} must be a positive duration such as '24h', got {value!r}")
    return out


def days_option(value: float, name: str) -> pd.Timedelta:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ConfigError(f"{name} must be a number of days >= 0, got {value!r}")
    return pd.Timedelta(days=float(value))


def require_columns(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected an annotated pandas DataFrame, got {type(frame).__name__}")
    for col in columns:
        if col not in frame.columns:
            raise SchemaError("is missing; escalation signals need an annotated frame from si.annotate()",
                              column=col)


def customer_identity(author: pd.Series) -> pd.Series:
    """``author_id`` as a customer identity: role labels ("Kunde", "customer", "guest") are not one.

    Chat transcripts often name the speaker by role only; linking every "Kunde" into
    one customer would invent repeat contacts and channel switches.
    """
    from ..loaders.roles import default_roles  # the loader's table of role words

    labels = set(default_roles()) | {"unknown", "anonymous", "anonym", "n/a", "none", "null", ""}
    cleaned = author.str.strip()
    return cleaned.mask(cleaned.str.lower().isin(labels))


def work_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns every signal reads, in conversation and time order."""
    n = len(frame)
    ts = (pd.to_datetime(frame["timestamp"], utc=True) if "timestamp" in frame.columns
          else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]"))
    role = (frame["author_role"].astype("string").fillna(UNKNOWN) if "author_role" in frame.columns
            else pd.Series("customer", index=frame.index, dtype="string"))
    sentiment = (frame["sentiment"].astype("string") if "sentiment" in frame.columns
                 else pd.Series(pd.NA, index=frame.index, dtype="string"))
    author = (frame["author_id"].astype("string") if "author_id" in frame.columns
              else pd.Series(pd.NA, index=frame.index, dtype="string"))
    w = pd.DataFrame({
        "conv": frame["conversation_id"].astype("string").to_numpy(),
        "pos": np.arange(n),
        # Naive UTC nanoseconds: fast to compare, whatever the input resolution.
        "ts": ts.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]"),
        "customer": customer_messages(frame).to_numpy(),
        "agent": (role == "agent").to_numpy(),
        "author": customer_identity(author).to_numpy(),
        "channel": (frame["channel"].astype("string").fillna("other").to_numpy() if "channel" in frame.columns
                    else np.array(["other"] * n, dtype=object)),
        "sentiment": sentiment.to_numpy(),
        "intents": message_intents(frame).to_numpy(),
    })
    if w["conv"].isna().any():
        first = int(w.loc[w["conv"].isna(), "pos"].iloc[0])
        raise SchemaError(f"is empty in row {frame.index[first]!r}; every message needs a conversation_id",
                          column="conversation_id")
    # NaT sorts last, ties keep the input order: messages without a time keep their place.
    return w.sort_values(["conv", "ts", "pos"], na_position="last", kind="stable").reset_index(drop=True)


def conversation_journey(annotated: pd.DataFrame) -> pd.DataFrame:
    """The journey phase and touchpoint of each conversation.

    A conversation's touchpoint is the one its customer messages point at most
    strongly (summed ``mapping_confidence``, or message counts without it),
    ignoring ``unknown``; its phase is the phase those messages were mapped to.
    Conversations with no mapped customer message get ``unknown``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``conversation_id`` with columns ``journey_phase`` and ``touchpoint``.
    """
    require_columns(annotated, ["conversation_id"])
    conv = annotated["conversation_id"].astype("string")
    index = pd.Index(conv.dropna().unique(), name="conversation_id")
    out = pd.DataFrame({"journey_phase": UNKNOWN, "touchpoint": UNKNOWN}, index=index)
    if "touchpoint" not in annotated.columns and "journey_phase" not in annotated.columns:
        return out
    cust = customer_messages(annotated)
    tp = (annotated["touchpoint"].astype("string") if "touchpoint" in annotated.columns
          else pd.Series(pd.NA, index=annotated.index, dtype="string"))
    ph = (annotated["journey_phase"].astype("string") if "journey_phase" in annotated.columns
          else pd.Series(pd.NA, index=annotated.index, dtype="string"))
    weight = (pd.to_numeric(annotated["mapping_confidence"], errors="coerce").fillna(0.0).clip(lower=0) + 1e-6
              if "mapping_confidence" in annotated.columns else pd.Series(1.0, index=annotated.index))
    m = pd.DataFrame({"conv": conv, "tp": tp.fillna(UNKNOWN), "ph": ph.fillna(UNKNOWN), "w": weight})
    # Customer messages decide; a conversation with none falls back to all its messages.
    has_customer = cust.groupby(conv).transform("any")
    m = m[(cust | ~has_customer).to_numpy()]
    known_tp = m[m["tp"] != UNKNOWN]
    if len(known_tp):
        best = known_tp.groupby(["conv", "tp", "ph"], sort=False)["w"].sum().reset_index()
        best = best.sort_values(["conv", "w"], ascending=[True, False], kind="stable").drop_duplicates("conv")
        out.loc[best["conv"].to_numpy(), "touchpoint"] = best["tp"].to_numpy()
        out.loc[best["conv"].to_numpy(), "journey_phase"] = best["ph"].to_numpy()
    # Phase without touchpoint (a phase-only taxonomy, or touchpoint unknown): most weighted phase.
    rest = m[(m["ph"] != UNKNOWN) & m["conv"].isin(out.index[out["journey_phase"] == UNKNOWN])]
    if len(rest):
        best = rest.groupby(["conv", "ph"], sort=False)["w"].sum().reset_index()
        best = best.sort_values(["conv", "w"], ascending=[True, False], kind="stable").drop_duplicates("conv")
        out.loc[best["conv"].to_numpy(), "journey_phase"] = best["ph"].to_numpy()
    return out


def collapse(seq: Iterable[str]) -> list[str]:
    """Drop consecutive repeats: chat, chat, social -> chat, social."""
    out: list[str] = []
    for item in seq:
        if not out or out[-1] != item:
            out.append(item)
    return out


def channel_lists(convs: np.ndarray, channels: np.ndarray, order: pd.Index) -> dict[str, list[str]]:
    """Per conversation, its channels in row order with consecutive repeats dropped.

    ``convs`` must be grouped (all rows of a conversation next to each other).
    """
    out: dict[str, list[str]] = {cid: [] for cid in order.to_numpy(dtype=object)}
    if not len(convs):
        return out
    keep = np.ones(len(convs), dtype=bool)
    keep[1:] = (convs[1:] != convs[:-1]) | (channels[1:] != channels[:-1])
    convs, channels = convs[keep], channels[keep]
    starts = np.flatnonzero(np.r_[True, convs[1:] != convs[:-1]])
    for lo, hi in zip(starts, np.r_[starts[1:], len(convs)]):
        out[convs[lo]] = channels[lo:hi].tolist()
    return out


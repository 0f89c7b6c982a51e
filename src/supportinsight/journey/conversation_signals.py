"""Escalation signals per conversation (the table of signals is in :mod:`~supportinsight.journey.signals`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import numpy as np
import pandas as pd

from .signal_inputs import (UNKNOWN, channel_lists, collapse, conversation_journey, days_option, duration_option,
                            require_columns, work_frame)

__all__ = ["SIGNALS", "PUBLIC_CHANNELS", "escalation_signals"]

#: Escalation signal names, in the order they are listed in ``signals``.
SIGNALS: tuple[str, ...] = (
    "channel_switch",
    "repeat_contact",
    "churn_threat",
    "escalation_request",
    "slow_first_response",
    "negative_trajectory",
)

#: Channels where a complaint is visible to everyone: reaching one of them after a
#: private channel is the classic "earlier touchpoint failed" pattern.
PUBLIC_CHANNELS: tuple[str, ...] = ("social", "review")


_SIGNAL_COLUMNS: dict[str, str] = {
    "conversation_id": "string", "customer_id": "string", "channels": "object", "channel_switch": "bool",
    "switch_path": "object", "repeat_contact": "bool", "churn_threat": "bool", "escalation_request": "bool",
    "urgency": "bool", "first_response_minutes": "float64", "slow_first_response": "bool",
    "negative_trajectory": "bool", "escalated": "bool", "signals": "object", "journey_phase": "object",
    "touchpoint": "object", "started": "datetime64[ns, UTC]", "customer_messages": "int64",
    "conversation_channels": "object", "previous_channel": "object",
}


def _empty_signals() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=d) for c, d in _SIGNAL_COLUMNS.items()})


def escalation_signals(annotated: pd.DataFrame, *, repeat_days: float = 7,
                       slow_first_response: str | timedelta | pd.Timedelta = "24h",
                       switch_days: float = 30,
                       public_channels: Iterable[str] = PUBLIC_CHANNELS) -> pd.DataFrame:
    """Escalation signals, one row per conversation.

    Parameters
    ----------
    annotated:
        An annotated frame (:func:`supportinsight.annotate`). Needs ``conversation_id``;
        uses ``timestamp``, ``channel``, ``author_role``, ``author_id``, ``sentiment``,
        ``intent``/``intents`` and ``touchpoint``/``journey_phase`` where present.
    repeat_days:
        A conversation is a repeat contact when the same customer opened another one
        about the same touchpoint at most this many days before.
    slow_first_response:
        A first agent answer later than this after the customer's first message is slow.
    switch_days:
        How far back an earlier private-channel conversation still makes a public
        post a channel switch.
    public_channels:
        Channels that count as "going public" (default ``social`` and ``review``).

    Returns
    -------
    pandas.DataFrame
        One row per conversation (in order of first appearance) with ``conversation_id``,
        ``customer_id``, ``channels`` (the customer's channel path up to this conversation),
        ``channel_switch``, ``switch_path`` (``"chat -> social"`` or ``""``),
        ``repeat_contact``, ``churn_threat``, ``escalation_request``, ``urgency``,
        ``first_response_minutes`` (NaN when unknown), ``slow_first_response``,
        ``negative_trajectory``, ``escalated``, ``signals`` (list of signal names),
        plus ``journey_phase``, ``touchpoint`` (see :func:`conversation_journey`), ``started``
        (first customer message), ``customer_messages``, ``conversation_channels`` (this
        conversation's own channels) and ``previous_channel`` (last channel of the customer's
        conversations within ``switch_days`` before, or None).

    Examples
    --------
    >>> sig = si.escalation_signals(annotated)                     # doctest: +SKIP
    >>> sig.loc[sig["escalated"], ["conversation_id", "signals"]]  # doctest: +SKIP
    """
    require_columns(annotated, ["conversation_id"])
    repeat_window = days_option(repeat_days, "repeat_days")
    switch_window = days_option(switch_days, "switch_days")
    slow = duration_option(slow_first_response, "slow_first_response")
    public = {str(c) for c in public_channels}
    w = work_frame(annotated)
    order = pd.Index(annotated["conversation_id"].astype("string").unique(), name="conversation_id")
    if not len(order):
        return _empty_signals()
    g = w.groupby("conv", sort=False)
    cust = w[w["customer"]]
    gc = cust.groupby("conv", sort=False)

    conv = pd.DataFrame(index=order)
    conv["customer_id"] = gc["author"].first().reindex(order).astype("string")
    conv["customer_messages"] = gc.size().reindex(order).fillna(0).astype(int)
    first_customer = gc["ts"].min().reindex(order)
    conv["started"] = first_customer.fillna(g["ts"].min().reindex(order))

    # The customer's channels inside the conversation, in time order (all messages if the
    # customer never wrote, e.g. an agent-only export).
    chan_rows = pd.concat([cust, w[~w["conv"].isin(cust["conv"])]])
    chan_rows = chan_rows.sort_values(["conv", "ts", "pos"], na_position="last", kind="stable")
    own_channels = channel_lists(chan_rows["conv"].to_numpy(dtype=object),
                                  chan_rows["channel"].to_numpy(dtype=object), order)

    flags = pd.DataFrame({
        "churn_threat": cust["intents"].map(lambda s: "churn_threat" in s),
        "escalation_request": cust["intents"].map(lambda s: "escalation" in s),
        "urgency": cust["intents"].map(lambda s: "urgency" in s),
        "conv": cust["conv"],
    })
    for col in ("churn_threat", "escalation_request", "urgency"):
        conv[col] = flags.groupby("conv", sort=False)[col].any().reindex(order).fillna(False).astype(bool)

    # First agent answer after the customer's first message.
    agents = w[w["agent"] & w["ts"].notna()].copy()
    agents["first_customer"] = agents["conv"].map(first_customer)
    answered = agents[agents["ts"] >= agents["first_customer"]].groupby("conv", sort=False)["ts"].min()
    delay = answered.reindex(order) - first_customer
    conv["first_response_minutes"] = (delay.dt.total_seconds() / 60.0).astype(float)
    conv["slow_first_response"] = (delay > slow).fillna(False).astype(bool)

    # Sentiment trajectory of the customer's messages.
    rated = cust[cust["sentiment"].notna()]
    gr = rated.groupby("conv", sort=False)["sentiment"]
    traj = pd.DataFrame({"first": gr.first(), "last": gr.last(), "n": gr.size()}).reindex(order)
    conv["negative_trajectory"] = ((traj["n"] >= 2) & traj["first"].isin(["neutral", "positive"])
                                   & (traj["last"] == "negative")).fillna(False).astype(bool)

    journey = conversation_journey(annotated).reindex(order).fillna(UNKNOWN)
    conv["journey_phase"] = journey["journey_phase"].astype(str)
    conv["touchpoint"] = journey["touchpoint"].astype(str)

    # Across conversations of the same customer: channel path, switches, repeats.
    ids_all = order.to_numpy(dtype=object)
    channels = {cid: list(own_channels[cid]) for cid in ids_all}
    previous: dict[str, object] = dict.fromkeys(ids_all)
    repeat = dict.fromkeys(ids_all, False)
    linked = conv[conv["customer_id"].notna() & conv["started"].notna()]
    linked = linked.assign(_pos=np.arange(len(linked))).sort_values(["customer_id", "started", "_pos"])
    l_ids = linked.index.to_numpy(dtype=object)
    l_cust = linked["customer_id"].to_numpy(dtype=object)
    l_start = linked["started"].to_numpy(dtype="datetime64[ns]")
    l_touch = linked["touchpoint"].to_numpy(dtype=object)
    bounds = np.flatnonzero(l_cust[1:] != l_cust[:-1]) + 1 if len(l_cust) else np.array([], dtype=int)
    repeat_ns, switch_ns = repeat_window.to_timedelta64(), switch_window.to_timedelta64()
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(l_ids)]):
        ids, starts, touch = l_ids[lo:hi], l_start[lo:hi], l_touch[lo:hi]
        # First conversation inside the switch window of each conversation (starts are sorted),
        # so a customer with thousands of conversations costs n log n, not n squared.
        window_start = np.searchsorted(starts, starts - switch_ns, side="left")
        last_seen: dict[str, np.datetime64] = {}
        for j, cid in enumerate(ids):
            if j:
                history = collapse(ch for i in range(int(window_start[j]), j) for ch in own_channels[ids[i]])
                if history:
                    channels[cid] = collapse(history + own_channels[cid])
                    previous[cid] = history[-1]
            if touch[j] != UNKNOWN:
                seen = last_seen.get(touch[j])
                repeat[cid] = seen is not None and starts[j] - seen <= repeat_ns
                last_seen[touch[j]] = starts[j]
    switch = dict.fromkeys(ids_all, False)
    path = dict.fromkeys(ids_all, "")
    for cid in ids_all:
        seq = channels[cid]
        if len(seq) < 2:
            continue
        own = own_channels[cid]
        # A switch counts on the conversation in which the customer goes public.
        for k, ch in enumerate(seq):
            if ch in public and ch in own and any(p not in public for p in seq[:k]):
                switch[cid] = True
                prior = [p for p in seq[:k] if p not in public]
                path[cid] = " -> ".join(collapse(prior + [ch]))
                break
    conv["channels"] = [channels[cid] for cid in ids_all]
    conv["channel_switch"] = [switch[cid] for cid in ids_all]
    conv["switch_path"] = [path[cid] for cid in ids_all]
    conv["repeat_contact"] = [bool(repeat[cid]) for cid in ids_all]
    conv["conversation_channels"] = [own_channels[cid] for cid in ids_all]
    conv["previous_channel"] = pd.Series([previous[cid] for cid in ids_all], index=order, dtype=object)

    flags_only = conv[list(SIGNALS)]
    conv["signals"] = [[name for name, on in zip(SIGNALS, row) if on] for row in flags_only.itertuples(index=False)]
    conv["escalated"] = flags_only.any(axis=1)
    columns = ["customer_id", "channels", "channel_switch", "switch_path", "repeat_contact", "churn_threat",
               "escalation_request", "urgency", "first_response_minutes", "slow_first_response",
               "negative_trajectory", "escalated", "signals", "journey_phase", "touchpoint", "started",
               "customer_messages", "conversation_channels", "previous_channel"]
    out = conv[columns].reset_index()
    out["started"] = pd.to_datetime(out["started"]).dt.tz_localize("UTC")
    out.attrs["signal_settings"] = {"repeat_days": float(repeat_days), "slow_first_response": str(slow),
                                    "switch_days": float(switch_days), "public_channels": sorted(public)}
    return out


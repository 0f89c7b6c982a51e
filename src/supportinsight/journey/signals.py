"""Escalation signals per conversation and per customer.

A complaint on social media usually means an earlier touchpoint failed: the
customer chatted or wrote an e-mail, got no (good) answer and went public. This
module turns an annotated message frame into one row per conversation with the
signals that such a failure leaves behind:

====================  =====================================================================
signal                when it is set
====================  =====================================================================
channel_switch        the customer reaches a public channel (social, review) after a private
                      one (chat, e-mail, phone, web form ...) -- earlier in the same
                      conversation or in one of their conversations that started at most
                      ``switch_days`` before
repeat_contact        the same customer opened another conversation about the same
                      (known) touchpoint at most ``repeat_days`` before this one
churn_threat          a customer message carries the ``churn_threat`` intent
escalation_request    a customer message carries the ``escalation`` intent
slow_first_response   the first agent answer came later than ``slow_first_response`` after
                      the customer's first message (only where both timestamps exist)
negative_trajectory   the customer's first message (with a sentiment) is neutral or positive
                      and their last one is negative (at least two messages)
====================  =====================================================================

``escalated`` is true when any of these is set; ``signals`` lists their names.
``urgency`` (the ``urgency`` intent) is reported too but is not an escalation
signal: it says "fast, please", not "you failed me".

Customer identity across conversations is the ``author_id`` of customer messages
(role labels such as "Kunde", "customer" or "guest", the loader's role words, are
not identities); conversations whose customer has no ``author_id`` get only the
signals that can be read from the conversation itself. Conversations without timestamps cannot be
placed in time, so they never count as repeat contacts or channel switches across
conversations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import numpy as np
import pandas as pd

from ..errors import ConfigError, SchemaError

__all__ = [
    "SIGNALS",
    "PUBLIC_CHANNELS",
    "escalation_signals",
    "customer_signals",
    "channel_switches",
    "customer_messages",
    "message_intents",
    "conversation_journey",
]

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

_UNKNOWN = "unknown"


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


def _timedelta(value: str | timedelta | pd.Timedelta, name: str) -> pd.Timedelta:
    try:
        out = pd.Timedelta(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a duration such as '24h', '90min' or '2 days', got {value!r}") from exc
    if pd.isna(out) or out < pd.Timedelta(0):
        raise ConfigError(f"{name} must be a positive duration such as '24h', got {value!r}")
    return out


def _days(value: float, name: str) -> pd.Timedelta:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ConfigError(f"{name} must be a number of days >= 0, got {value!r}")
    return pd.Timedelta(days=float(value))


def _require(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected an annotated pandas DataFrame, got {type(frame).__name__}")
    for col in columns:
        if col not in frame.columns:
            raise SchemaError("is missing; escalation signals need an annotated frame from si.annotate()",
                              column=col)


def _identity(author: pd.Series) -> pd.Series:
    """``author_id`` as a customer identity: role labels ("Kunde", "customer", "guest") are not one.

    Chat transcripts often name the speaker by role only; linking every "Kunde" into
    one customer would invent repeat contacts and channel switches.
    """
    from ..loaders.roles import default_roles  # the loader's table of role words

    labels = set(default_roles()) | {"unknown", "anonymous", "anonym", "n/a", "none", "null", ""}
    cleaned = author.str.strip()
    return cleaned.mask(cleaned.str.lower().isin(labels))


def _work_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns every signal reads, in conversation and time order."""
    n = len(frame)
    ts = (pd.to_datetime(frame["timestamp"], utc=True) if "timestamp" in frame.columns
          else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]"))
    role = (frame["author_role"].astype("string").fillna(_UNKNOWN) if "author_role" in frame.columns
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
        "author": _identity(author).to_numpy(),
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
    _require(annotated, ["conversation_id"])
    conv = annotated["conversation_id"].astype("string")
    index = pd.Index(conv.dropna().unique(), name="conversation_id")
    out = pd.DataFrame({"journey_phase": _UNKNOWN, "touchpoint": _UNKNOWN}, index=index)
    if "touchpoint" not in annotated.columns and "journey_phase" not in annotated.columns:
        return out
    cust = customer_messages(annotated)
    tp = (annotated["touchpoint"].astype("string") if "touchpoint" in annotated.columns
          else pd.Series(pd.NA, index=annotated.index, dtype="string"))
    ph = (annotated["journey_phase"].astype("string") if "journey_phase" in annotated.columns
          else pd.Series(pd.NA, index=annotated.index, dtype="string"))
    weight = (pd.to_numeric(annotated["mapping_confidence"], errors="coerce").fillna(0.0).clip(lower=0) + 1e-6
              if "mapping_confidence" in annotated.columns else pd.Series(1.0, index=annotated.index))
    m = pd.DataFrame({"conv": conv, "tp": tp.fillna(_UNKNOWN), "ph": ph.fillna(_UNKNOWN), "w": weight})
    # Customer messages decide; a conversation with none falls back to all its messages.
    has_customer = cust.groupby(conv).transform("any")
    m = m[(cust | ~has_customer).to_numpy()]
    known_tp = m[m["tp"] != _UNKNOWN]
    if len(known_tp):
        best = known_tp.groupby(["conv", "tp", "ph"], sort=False)["w"].sum().reset_index()
        best = best.sort_values(["conv", "w"], ascending=[True, False], kind="stable").drop_duplicates("conv")
        out.loc[best["conv"].to_numpy(), "touchpoint"] = best["tp"].to_numpy()
        out.loc[best["conv"].to_numpy(), "journey_phase"] = best["ph"].to_numpy()
    # Phase without touchpoint (a phase-only taxonomy, or touchpoint unknown): most weighted phase.
    rest = m[(m["ph"] != _UNKNOWN) & m["conv"].isin(out.index[out["journey_phase"] == _UNKNOWN])]
    if len(rest):
        best = rest.groupby(["conv", "ph"], sort=False)["w"].sum().reset_index()
        best = best.sort_values(["conv", "w"], ascending=[True, False], kind="stable").drop_duplicates("conv")
        out.loc[best["conv"].to_numpy(), "journey_phase"] = best["ph"].to_numpy()
    return out


def _collapse(seq: Iterable[str]) -> list[str]:
    """Drop consecutive repeats: chat, chat, social -> chat, social."""
    out: list[str] = []
    for item in seq:
        if not out or out[-1] != item:
            out.append(item)
    return out


def _channel_lists(convs: np.ndarray, channels: np.ndarray, order: pd.Index) -> dict[str, list[str]]:
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
    _require(annotated, ["conversation_id"])
    repeat_window = _days(repeat_days, "repeat_days")
    switch_window = _days(switch_days, "switch_days")
    slow = _timedelta(slow_first_response, "slow_first_response")
    public = {str(c) for c in public_channels}
    w = _work_frame(annotated)
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
    own_channels = _channel_lists(chan_rows["conv"].to_numpy(dtype=object),
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

    journey = conversation_journey(annotated).reindex(order).fillna(_UNKNOWN)
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
                history = _collapse(ch for i in range(int(window_start[j]), j) for ch in own_channels[ids[i]])
                if history:
                    channels[cid] = _collapse(history + own_channels[cid])
                    previous[cid] = history[-1]
            if touch[j] != _UNKNOWN:
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
                path[cid] = " -> ".join(_collapse(prior + [ch]))
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


def customer_signals(annotated: pd.DataFrame, *, signals: pd.DataFrame | None = None,
                     **options) -> pd.DataFrame:
    """Escalation signals rolled up per customer (``author_id`` of customer messages).

    Parameters
    ----------
    annotated:
        An annotated frame.
    signals:
        The result of :func:`escalation_signals` if already computed (saves a pass).
    **options:
        Passed to :func:`escalation_signals` (``repeat_days``, ``slow_first_response`` ...).

    Returns
    -------
    pandas.DataFrame
        One row per known customer, most escalated first: ``customer_id``,
        ``conversations``, ``escalated_conversations``, ``first_contact``, ``last_contact``,
        ``channels`` (their channel path over all conversations), ``channel_switch``,
        ``switch_path``, ``repeat_contacts`` (count), ``churn_threat``, ``escalation_request``,
        ``urgency``, ``slow_first_responses`` (count), ``negative_trajectory`` (across all
        their messages: first neutral/positive, last negative, or within a conversation),
        ``escalated`` and ``signals``. Conversations without a customer id are left out;
        ``attrs["anonymous_conversations"]`` says how many.
    """
    sig = escalation_signals(annotated, **options) if signals is None else signals
    known = sig[sig["customer_id"].notna()].copy()
    known["_order"] = known["started"].fillna(pd.Timestamp.max.tz_localize("UTC"))
    known = known.sort_values(["customer_id", "_order"], kind="stable")
    g = known.groupby("customer_id", sort=False)
    out = pd.DataFrame({
        "conversations": g.size(),
        "escalated_conversations": g["escalated"].sum().astype(int),
        "first_contact": g["started"].min(),
        "last_contact": g["started"].max(),
        "channel_switch": g["channel_switch"].any(),
        "repeat_contacts": g["repeat_contact"].sum().astype(int),
        "churn_threat": g["churn_threat"].any(),
        "escalation_request": g["escalation_request"].any(),
        "urgency": g["urgency"].any(),
        "slow_first_responses": g["slow_first_response"].sum().astype(int),
        "negative_trajectory": g["negative_trajectory"].any(),
    })
    # Channel path over all conversations (own channels, in time order) and the first switch.
    paths: dict[str, list[str]] = {}
    first_switch: dict[str, str] = {}
    for who, own, sw in zip(known["customer_id"].to_numpy(dtype=object),
                            known["conversation_channels"].to_numpy(dtype=object),
                            known["switch_path"].to_numpy(dtype=object)):
        paths[who] = _collapse(paths.get(who, []) + list(own))
        if sw and who not in first_switch:
            first_switch[who] = sw
    out.insert(4, "channels", [paths[who] for who in out.index])
    out.insert(6, "switch_path", [first_switch.get(who, "") for who in out.index])
    # Across conversations: the customer's first rated message vs their last one.
    if len(out) and "sentiment" in annotated.columns:
        w = _work_frame(annotated)
        cust = w[w["customer"] & w["author"].notna() & w["sentiment"].notna()]
        cust = cust.sort_values(["author", "ts", "pos"], na_position="last", kind="stable")
        gs = cust.groupby("author", sort=False)["sentiment"]
        traj = pd.DataFrame({"first": gs.first(), "last": gs.last(), "n": gs.size()}).reindex(out.index)
        across = ((traj["n"] >= 2) & traj["first"].isin(["neutral", "positive"])
                  & (traj["last"] == "negative")).fillna(False)
        out["negative_trajectory"] = out["negative_trajectory"] | across.astype(bool)
    flags = pd.DataFrame({
        "channel_switch": out["channel_switch"],
        "repeat_contact": out["repeat_contacts"] > 0,
        "churn_threat": out["churn_threat"],
        "escalation_request": out["escalation_request"],
        "slow_first_response": out["slow_first_responses"] > 0,
        "negative_trajectory": out["negative_trajectory"],
    }, index=out.index)
    out["escalated"] = flags.any(axis=1)
    out["signals"] = [[name for name, on in zip(SIGNALS, row) if on] for row in flags.itertuples(index=False)]
    out = out.rename_axis("customer_id").reset_index()
    out = out.sort_values(["escalated_conversations", "conversations"], ascending=False, kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["anonymous_conversations"] = int(sig["customer_id"].isna().sum())
    return out


def channel_switches(annotated: pd.DataFrame, *, signals: pd.DataFrame | None = None,
                     **options) -> pd.DataFrame:
    """Counts of channel moves between a customer's consecutive conversations.

    Every move from one channel to a different one in a customer's path (within
    ``switch_days``, see :func:`escalation_signals`) counts once per conversation that
    arrives on the new channel, whether or not it goes public.

    Returns
    -------
    pandas.DataFrame
        ``from_channel``, ``to_channel``, ``customers`` (distinct), ``conversations``;
        most frequent first.
    """
    sig = escalation_signals(annotated, **options) if signals is None else signals
    rows = []
    for cid, customer, prev, own in zip(sig["conversation_id"], sig["customer_id"], sig["previous_channel"],
                                        sig["conversation_channels"]):
        path = _collapse(([prev] if isinstance(prev, str) else []) + list(own))
        who = customer if pd.notna(customer) else f"\x00{cid}"
        rows.extend((a, b, who, cid) for a, b in zip(path, path[1:]))
    if not rows:
        return pd.DataFrame({"from_channel": pd.Series([], dtype=str), "to_channel": pd.Series([], dtype=str),
                             "customers": pd.Series([], dtype=int), "conversations": pd.Series([], dtype=int)})
    moves = pd.DataFrame(rows, columns=["from_channel", "to_channel", "customer", "conversation_id"])
    out = moves.groupby(["from_channel", "to_channel"], sort=False).agg(
        customers=("customer", "nunique"), conversations=("conversation_id", "nunique")).reset_index()
    return out.sort_values(["conversations", "customers", "from_channel", "to_channel"],
                           ascending=[False, False, True, True], kind="stable").reset_index(drop=True)

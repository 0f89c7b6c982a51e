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

The per-conversation signals are computed in
:mod:`~supportinsight.journey.conversation_signals`, from the columns
:mod:`~supportinsight.journey.signal_inputs` reads; this module rolls them up per
customer and counts channel moves, and exports all of them.
"""

from __future__ import annotations

import pandas as pd

from .conversation_signals import PUBLIC_CHANNELS, SIGNALS, escalation_signals
from .signal_inputs import collapse, conversation_journey, customer_messages, message_intents, work_frame

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
        paths[who] = collapse(paths.get(who, []) + list(own))
        if sw and who not in first_switch:
            first_switch[who] = sw
    out.insert(4, "channels", [paths[who] for who in out.index])
    out.insert(6, "switch_path", [first_switch.get(who, "") for who in out.index])
    # Across conversations: the customer's first rated message vs their last one.
    if len(out) and "sentiment" in annotated.columns:
        w = work_frame(annotated)
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
        path = collapse(([prev] if isinstance(prev, str) else []) + list(own))
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

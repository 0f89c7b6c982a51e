"""The ranked pain-point table: where in the journey customers suffer most.

>>> table = si.pain_points(annotated)                      # doctest: +SKIP
>>> table[["rank", "journey_phase", "touchpoint", "negative_share", "score"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..enrich.base import analysis_text
from ..errors import ConfigError, SchemaError
from ..journey.signals import customer_messages, escalation_signals, message_intents
from .trends import check_period, period_start

__all__ = ["pain_points", "wilson_interval", "SCORE_WEIGHTS", "SCORE_COLUMNS"]

#: Weights of the score terms (see :func:`pain_points`).
SCORE_WEIGHTS: dict[str, float] = {"negative": 1.0, "escalation": 0.5, "trend": 0.5, "satisfaction": 0.5}

#: Column names taken as a CSAT/NPS-like score when ``score_col`` is not given.
SCORE_COLUMNS: tuple[str, ...] = (
    "csat", "nps", "extra_csat", "extra_nps", "extra_csat_score", "extra_nps_score",
    "extra_satisfaction", "extra_satisfaction_score", "extra_rating",
)

#: Pseudo-count pulling a cell's mean satisfaction score towards the overall mean.
_SCORE_PRIOR = 5.0
_Z95 = 1.959963984540054
_QUOTE_CHARS = 300
_UNKNOWN = "unknown"


def wilson_interval(successes, totals, z: float = _Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (95 % by default), element-wise.

    Unlike the normal approximation it stays inside [0, 1] and is wide for small
    counts: 2 of 2 gives [0.34, 1.0], 60 of 100 gives [0.50, 0.69]. Totals of 0 give NaN.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        # Exact ends at k = 0 and k = n (the formula leaves rounding noise like 3e-17).
        low = np.where(n > 0, np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
        high = np.where(n > 0, np.where(k >= n, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    return low, high


def _normalise_by(by: str | Sequence[str]) -> list[str]:
    cols = [by] if isinstance(by, str) else list(by)
    if not cols:
        raise ConfigError("by must name at least one column, e.g. ('journey_phase', 'touchpoint')")
    return cols


def _find_score_col(frame: pd.DataFrame, score_col: str | bool | None) -> str | None:
    if score_col is False:
        return None
    if isinstance(score_col, str):
        if score_col not in frame.columns:
            raise SchemaError("was given as score_col but the frame has no such column", column=score_col)
        return score_col
    lower = {c.lower(): c for c in frame.columns}
    return next((lower[c] for c in SCORE_COLUMNS if c in lower), None)


def _score_scale(name: str, values: pd.Series) -> tuple[float, float]:
    """The range of a satisfaction scale: NPS 0-10, else guessed from the largest value."""
    top = float(values.max())
    if "nps" in name.lower() or 5 < top <= 10:
        return 0.0, 10.0
    if top <= 5:
        return (0.0 if float(values.min()) < 1 else 1.0), 5.0
    return 0.0, 100.0


def _clean_quote(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 1].rstrip() + "…"
    return text


def _top(counter: Counter, k: int = 3) -> list[str]:
    return [name for name, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def pain_points(annotated: pd.DataFrame, by: str | Sequence[str] = ("journey_phase", "touchpoint"),
                period: str | None = "W", *, min_messages: int = 5, score_col: str | bool | None = None,
                quotes: int = 3, redact: bool = True, signals: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""Rank journey cells (phase x touchpoint by default) by how much customers suffer there.

    Only customer messages count (``author_role == "customer"``; all messages when the
    frame has no ``author_role``). Messages whose ``by`` value is missing are grouped
    under ``unknown`` and kept: such rows are flagged ``unmapped`` and scored by the
    same formula as every other row.

    **Score.** For a cell with :math:`n` customer messages, :math:`k` of them negative,
    and :math:`c` conversations of which :math:`e` are escalated
    (:func:`~supportinsight.journey.signals.escalation_signals`):

    .. math::

        \text{score} = \ln(1 + n)\,\bigl(L(k, n) + 0.5\,L(e, c) + 0.5\,T + 0.5\,D\bigr)

    * :math:`L(k, n)`: lower bound of the 95 % Wilson interval of the negative share.
      A cell of 2 messages, both negative, has :math:`L = 0.34`; 60 of 100 has
      :math:`L = 0.50`. Together with the :math:`\ln(1+n)` volume weight this keeps
      small cells from outranking large ones by noise (3 of 3 negative scores 0.61,
      30 of 100 scores 1.01).
    * :math:`L(e, c)`: the same lower bound for the escalation rate.
    * :math:`T = \max(0,\ L(k_{last}, n_{last}) - p_{prev})`: how far the negative share
      of the last period is, at its lower bound, above the previous period's share
      (0 without ``period``, timestamps or a previous period).
    * :math:`D = \max(0,\ d - \bar d)`: only with a CSAT/NPS-like column. :math:`d` is
      the cell's dissatisfaction, 1 minus its mean score (one value per conversation,
      pulled towards the overall mean by 5 pseudo-conversations) rescaled to [0, 1];
      :math:`\bar d` the overall dissatisfaction. Cells no worse than average add 0.

    The weights are :data:`SCORE_WEIGHTS`. Cells with fewer than ``min_messages``
    customer messages are flagged ``low_volume`` and ranked after all others.

    Parameters
    ----------
    annotated:
        An annotated frame (:func:`supportinsight.annotate`).
    by:
        Column(s) defining a cell.
    period:
        Pandas period alias for the trend columns (``"D"``, ``"W"``, ``"M"`` ...) or None.
        The last period is the one holding the latest customer message.
    min_messages:
        Cells below this many customer messages are ranked last (never dropped).
    score_col:
        CSAT/NPS-like column; None looks for one of :data:`SCORE_COLUMNS`, False ignores them.
    quotes:
        Evidence quotes per row.
    redact:
        PII-redact the quotes with :func:`supportinsight.text.pii.redact` (default).
    signals:
        Result of :func:`~supportinsight.journey.signals.escalation_signals`, if already computed.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank``, the ``by`` columns, ``messages``, ``conversations``, ``negative``,
        ``negative_share``, ``negative_share_low``, ``negative_share_high`` (Wilson 95 %),
        ``escalation_rate``, ``previous_negative_share``, ``change`` (last minus previous
        period's negative share, in share units: 0.05 is 5 percentage points; NaN without
        both periods), ``messages_change`` (relative change of volume, 0.5 = +50 %),
        ``score``, ``top_intents``, ``top_topics``, ``quotes``, ``unmapped``,
        ``low_volume`` and, with a score column, ``mean_score``. ``attrs`` holds
        ``period``, ``last_period``, ``previous_period``, ``score_col``, ``by`` and
        ``coverage`` (share of customer messages with a known touchpoint: what the
        ranking rests on).
    """
    cols = _normalise_by(by)
    if not isinstance(annotated, pd.DataFrame):
        raise SchemaError(f"expected an annotated pandas DataFrame, got {type(annotated).__name__}")
    for col in ["conversation_id", "sentiment", *cols]:
        if col not in annotated.columns:
            hint = ("run the journey step (si.annotate) or pass by=... with existing columns"
                    if col in cols else "run si.annotate() first")
            raise SchemaError(f"is missing; {hint}", column=col)
    if isinstance(min_messages, bool) or not isinstance(min_messages, int) or min_messages < 1:
        raise ConfigError(f"min_messages must be an integer >= 1, got {min_messages!r}")
    if isinstance(quotes, bool) or not isinstance(quotes, int) or quotes < 0:
        raise ConfigError(f"quotes must be an integer >= 0, got {quotes!r}")
    check_period(period)
    score_name = _find_score_col(annotated, score_col)

    if signals is None:
        signals = escalation_signals(annotated)
    escalated = signals.set_index("conversation_id")["escalated"]

    mask = customer_messages(annotated)
    frame = annotated.loc[mask.to_numpy()]
    keys = {c: frame[c].astype("string").fillna(_UNKNOWN).astype(str) for c in cols}
    m = pd.DataFrame(keys, index=frame.index)
    m["_conv"] = frame["conversation_id"].astype("string").to_numpy()
    m["_neg"] = (frame["sentiment"].astype("string") == "negative").fillna(False).to_numpy(dtype=bool)
    m["_esc"] = m["_conv"].map(escalated).fillna(False).astype(bool)
    ts = (pd.to_datetime(frame["timestamp"], utc=True) if "timestamp" in frame.columns
          else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]"))

    g = m.groupby(cols, sort=False, dropna=False)
    table = pd.DataFrame({"messages": g.size(), "conversations": g["_conv"].nunique(),
                          "negative": g["_neg"].sum().astype(int)})
    conv_cells = m.drop_duplicates(cols + ["_conv"])
    table["escalated"] = conv_cells.groupby(cols, sort=False)["_esc"].sum().reindex(table.index).astype(int)
    table["negative_share"] = table["negative"] / table["messages"]
    low, high = wilson_interval(table["negative"], table["messages"])
    table["negative_share_low"] = low
    table["negative_share_high"] = high
    table["escalation_rate"] = table["escalated"] / table["conversations"]

    # Trend: last period (the one holding the latest customer message) vs the one before.
    last_period = previous_period = None
    table["previous_negative_share"] = np.nan
    table["change"] = np.nan
    table["messages_change"] = np.nan
    trend = pd.Series(0.0, index=table.index)
    if period is not None and ts.notna().any():
        starts = period_start(ts, period)
        last_period = starts.max()
        previous_period = (last_period.tz_localize(None).to_period(period) - 1).start_time.tz_localize("UTC")
        m["_period"] = starts.to_numpy()
        per = m[m["_period"].isin([last_period, previous_period])]
        counts = per.groupby(cols + ["_period"], sort=False, dropna=False)["_neg"].agg(["size", "sum"])
        counts = counts.unstack("_period") if len(counts) else None
        if counts is not None:
            def pick(stat: str, when: pd.Timestamp) -> pd.Series:
                if (stat, when) in counts.columns:
                    return counts[(stat, when)].reindex(table.index).fillna(0).astype(float)
                return pd.Series(0.0, index=table.index)

            n_last, k_last = pick("size", last_period), pick("sum", last_period)
            n_prev, k_prev = pick("size", previous_period), pick("sum", previous_period)
            p_prev = (k_prev / n_prev).where(n_prev > 0)
            p_last = (k_last / n_last).where(n_last > 0)
            table["previous_negative_share"] = p_prev
            table["change"] = p_last - p_prev
            table["messages_change"] = ((n_last - n_prev) / n_prev).where(n_prev > 0)
            low_last, _ = wilson_interval(k_last, n_last)
            trend = (pd.Series(low_last, index=table.index) - p_prev).clip(lower=0).fillna(0.0)

    satisfaction = pd.Series(0.0, index=table.index)
    if score_name is not None:
        values = pd.to_numeric(frame[score_name], errors="coerce")
        if values.notna().any():
            # One score per conversation: a ticket-level CSAT repeated on every message
            # must not weigh more for chatty conversations.
            per_conv = pd.DataFrame({"_conv": frame["conversation_id"].astype("string").to_numpy(),
                                     "_v": values.to_numpy()}).dropna().drop_duplicates("_conv")
            lo, hi = _score_scale(score_name, per_conv["_v"])
            overall = float(per_conv["_v"].mean())
            scored = conv_cells.merge(per_conv, on="_conv", how="inner")
            gs = scored.groupby(cols, sort=False)["_v"]
            total = gs.sum().reindex(table.index).fillna(0.0)
            count = gs.size().reindex(table.index).fillna(0.0)
            table["mean_score"] = (total / count).where(count > 0)
            shrunk = (total + _SCORE_PRIOR * overall) / (count + _SCORE_PRIOR)
            dis = (1 - (shrunk - lo) / (hi - lo)).clip(0, 1)
            overall_dis = min(max(1 - (overall - lo) / (hi - lo), 0.0), 1.0)
            satisfaction = (dis - overall_dis).clip(lower=0)
        else:
            table["mean_score"] = np.nan

    esc_low, _ = wilson_interval(table["escalated"], table["conversations"])
    w = SCORE_WEIGHTS
    table["score"] = np.log1p(table["messages"]) * (
        w["negative"] * table["negative_share_low"] + w["escalation"] * esc_low
        + w["trend"] * trend + w["satisfaction"] * satisfaction)

    table["top_intents"], table["top_topics"], table["quotes"] = _cell_lists(frame, m, cols, table.index,
                                                                             quotes, redact)
    table = table.reset_index()
    table["unmapped"] = (table[cols] == _UNKNOWN).any(axis=1)
    table["low_volume"] = table["messages"] < min_messages
    table = table.sort_values(["low_volume", "score", "messages"], ascending=[True, False, False],
                              kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    order = ["rank", *cols, "messages", "conversations", "negative", "negative_share", "negative_share_low",
             "negative_share_high", "escalation_rate", "previous_negative_share", "change", "messages_change",
             "score", "top_intents", "top_topics", "quotes", "unmapped", "low_volume"]
    if "mean_score" in table.columns:
        order.append("mean_score")
    out = table[order]
    out.attrs = {"period": period, "last_period": last_period, "previous_period": previous_period,
                 "score_col": score_name, "by": tuple(cols), "min_messages": min_messages,
                 "coverage": touchpoint_coverage(frame)}
    return out


def touchpoint_coverage(frame: pd.DataFrame) -> float | None:
    """Share of the (customer) messages of ``frame`` with a known touchpoint: what a
    touchpoint ranking rests on. ``None`` without a ``touchpoint`` column or messages."""
    if "touchpoint" not in frame.columns or not len(frame):
        return None
    tp = frame["touchpoint"].astype("string")
    return round(float((tp.notna() & (tp != _UNKNOWN)).mean()), 4)


def _cell_lists(frame: pd.DataFrame, m: pd.DataFrame, cols: list[str], index: pd.Index, quotes: int,
                redact: bool) -> tuple[list, list, list]:
    """Top intents, top topics and evidence quotes per cell, aligned with ``index``."""
    redact_fn = None
    if redact and quotes:
        from ..text.pii import redact as redact_fn  # lazy: PII patterns load on first use

    intents = message_intents(frame)
    has_topics = "topic_label" in frame.columns
    topic_ok = (pd.to_numeric(frame["topic_id"], errors="coerce") != -1).to_numpy() if "topic_id" in frame.columns \
        else np.ones(len(frame), dtype=bool)
    topic_labels = frame["topic_label"].astype("string").to_numpy() if has_topics else None
    text = analysis_text(frame).to_numpy()
    neg = m["_neg"].to_numpy()
    score = (pd.to_numeric(frame["sentiment_score"], errors="coerce").fillna(0.0).to_numpy()
             if "sentiment_score" in frame.columns else np.zeros(len(frame)))
    conf = (pd.to_numeric(frame["sentiment_confidence"], errors="coerce").fillna(0.0).to_numpy()
            if "sentiment_confidence" in frame.columns else np.zeros(len(frame)))
    positions = pd.Series(np.arange(len(frame)), index=pd.MultiIndex.from_frame(m[cols]) if len(cols) > 1
                          else pd.Index(m[cols[0]]))
    groups = positions.groupby(level=list(range(len(cols))), sort=False)
    by_key = {key: pos.to_numpy() for key, pos in groups}

    top_intents, top_topics, evidence = [], [], []
    for key in index:
        pos = by_key.get(key, np.array([], dtype=int))
        counter: Counter = Counter()
        for i in pos:
            counter.update(x for x in intents.iat[i] if x != "other")
        top_intents.append(_top(counter))
        if has_topics:
            tc = Counter(str(topic_labels[i]) for i in pos if topic_ok[i] and topic_labels[i] is not pd.NA)
            top_topics.append(_top(tc))
        else:
            top_topics.append([])
        # Most negative and most confident first; the input order breaks ties.
        ranked = sorted(pos, key=lambda i: (not neg[i], score[i], -conf[i], i))
        picked: list[str] = []
        seen: set[str] = set()
        for i in ranked:
            if len(picked) >= quotes:
                break
            quote = _clean_quote(str(text[i]))
            if redact_fn is not None:
                # Redact before comparing: two messages that differ only in a phone
                # number are the same quote once redacted.
                quote = redact_fn(quote)
            norm = quote.casefold()
            if not quote or norm in seen:
                continue
            seen.add(norm)
            picked.append(quote)
        evidence.append(picked)
    return top_intents, top_topics, evidence

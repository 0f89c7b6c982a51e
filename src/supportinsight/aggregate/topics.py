"""Topic tables for the report: what customers write about, how it moves week to week, per channel.

Pure group-bys over the ``topic_id`` / ``topic_label`` columns that
``si.annotate(..., topics=True)`` or :class:`~supportinsight.TopicModel` adds. Only
customer messages count (``author_role == "customer"`` where the column exists).

>>> table = topic_table(annotated, period="W")                    # doctest: +SKIP
>>> table[["topic_label", "messages", "share", "change", "emerging"]]  # doctest: +SKIP
>>> topics_over_time(annotated, period="M", by="channel")         # doctest: +SKIP
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ..errors import ConfigError, SchemaError

__all__ = ["topic_table", "topics_over_time"]

#: A topic is "emerging" when it is new in the last period (no messages before, at
#: least this many now) or its share rose by at least EMERGING_POINTS percentage
#: points and at least doubled.
EMERGING_MIN_MESSAGES = 3
EMERGING_POINTS = 5.0


def _customer_rows(annotated: pd.DataFrame) -> pd.DataFrame:
    for col in ("topic_id", "topic_label"):
        if col not in annotated.columns:
            raise SchemaError("missing: run si.annotate(frame, topics=True) or add topics with a TopicModel first",
                              column=col)
    frame = annotated
    if "author_role" in frame.columns:
        frame = frame[frame["author_role"].astype("string").fillna("") == "customer"]
    return frame


def _periods(frame: pd.DataFrame, period: str) -> pd.Series:
    if "timestamp" not in frame.columns:
        raise SchemaError("needed for topics per period; load files with si.load() or add a timestamp column",
                          column="timestamp")
    ts = pd.to_datetime(frame["timestamp"], utc=True, errors="coerce")
    try:
        return ts.dt.tz_convert(None).dt.to_period(period).dt.start_time
    except ValueError as exc:
        raise ConfigError(f"period must be a pandas period alias such as 'D', 'W' or 'M', got {period!r}") from exc


def _redactor():
    """``supportinsight.text.pii.redact`` when that module exists (quotes go into reports)."""
    try:
        from ..text.pii import redact
    except ImportError:
        return None
    return redact


def _keywords_and_quotes(frame: pd.DataFrame, n_keywords: int, n_quotes: int
                         ) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """c-TF-IDF keywords per topic and the messages that use the most of them."""
    from ..enrich.base import analysis_text
    from ..enrich.topic_vectorizer import TopicVectorizer

    texts = analysis_text(frame).tolist()
    topics = frame["topic_id"].astype("int64").to_numpy()
    keywords: dict[int, list[str]] = {}
    quotes: dict[int, list[str]] = {}
    ids = sorted(int(t) for t in np.unique(topics) if t >= 0)
    if not ids:
        return keywords, quotes
    vec = TopicVectorizer(ngram_range=(1, 1))
    try:
        X = vec.fit_transform(texts)
    except ValueError:  # every message is stop words only
        return {t: [] for t in ids}, {t: [] for t in ids}
    vocab = vec.get_feature_names_out()
    # class-based TF-IDF (BERTopic's formula): term frequency per topic x log(1 + A / f_t)
    per_topic = np.vstack([np.asarray(X[topics == t].sum(axis=0)).ravel() for t in ids])
    avg = per_topic.sum() / max(len(ids), 1)
    idf = np.log(1 + avg / np.maximum(per_topic.sum(axis=0), 1))
    tf = per_topic / np.maximum(per_topic.sum(axis=1, keepdims=True), 1)
    scores = tf * idf
    redact = _redactor()
    for row, t in enumerate(ids):
        top = np.argsort(-scores[row], kind="stable")[:n_keywords]
        keywords[t] = [str(vocab[i]) for i in top if scores[row, i] > 0]
        members = np.flatnonzero(topics == t)
        weight = np.asarray(X[members][:, top].sum(axis=1)).ravel()
        picked: list[str] = []
        seen: set[str] = set()
        for i in members[np.argsort(-weight, kind="stable")]:
            q = texts[i].strip()
            if not 20 <= len(q) <= 280 or q.lower()[:80] in seen:
                continue
            seen.add(q.lower()[:80])
            picked.append(redact(q) if redact is not None else q)
            if len(picked) >= n_quotes:
                break
        quotes[t] = picked
    return keywords, quotes


def topic_table(annotated: pd.DataFrame, period: str = "W", *, model=None, n_quotes: int = 3,
                n_keywords: int = 8) -> pd.DataFrame:
    """One row per topic: size, share, movement between the last two periods, keywords and quotes.

    Parameters
    ----------
    annotated:
        Output of ``si.annotate(frame, topics=True)`` (needs ``topic_id``, ``topic_label``;
        ``timestamp`` for ``change``/``emerging``).
    period:
        pandas period alias for the comparison (``"W"`` weeks, ``"M"`` months, ``"D"`` days).
    model:
        The fitted :class:`~supportinsight.TopicModel`; its keywords and quotes are used
        when given, else they are computed from the frame (c-TF-IDF over the topics).
    n_quotes, n_keywords:
        Quotes (redacted with ``si.redact`` when available) and keywords per topic.

    Returns
    -------
    pandas.DataFrame
        ``topic_id``, ``topic_label``, ``messages``, ``share`` (of customer messages,
        0-1), ``change`` (share in the last period minus the previous one, percentage
        points; NaN without two periods), ``emerging`` (new in the last period or
        share up >= 5 points and at least doubled), ``quotes``, ``keywords``; sorted
        by ``messages``. Messages in no topic are one row with ``topic_id`` -1.
    """
    frame = _customer_rows(annotated)
    columns = ["topic_id", "topic_label", "messages", "share", "change", "emerging", "quotes", "keywords"]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    ids = frame["topic_id"].astype("int64")
    labels = frame["topic_label"].astype("string").fillna("(no topic)")
    counts = ids.value_counts()
    label_of = labels.groupby(ids.to_numpy()).agg(lambda s: s.mode().iloc[0] if len(s) else "")
    table = pd.DataFrame({"topic_id": counts.index.astype("int64"), "messages": counts.to_numpy()})
    table["topic_label"] = table["topic_id"].map(label_of).astype("string")
    table["share"] = table["messages"] / len(frame)

    change = pd.Series(np.nan, index=table["topic_id"])
    emerging = pd.Series(False, index=table["topic_id"])
    if "timestamp" in frame.columns:
        periods = _periods(frame, period)
        valid = periods.notna()
        order = sorted(periods[valid].unique())
        if len(order) >= 2:
            last, prev = order[-1], order[-2]
            in_last = ids[valid & (periods == last)].value_counts()
            in_prev = ids[valid & (periods == prev)].value_counts()
            n_last, n_prev = max(in_last.sum(), 1), max(in_prev.sum(), 1)
            share_last = (in_last / n_last).reindex(change.index, fill_value=0.0)
            share_prev = (in_prev / n_prev).reindex(change.index, fill_value=0.0)
            change = (share_last - share_prev) * 100
            new = (in_prev.reindex(change.index, fill_value=0) == 0) & \
                (in_last.reindex(change.index, fill_value=0) >= EMERGING_MIN_MESSAGES)
            rising = (change >= EMERGING_POINTS) & (share_last >= 2 * share_prev)
            emerging = (new | rising) & (change.index >= 0)
    table["change"] = change.to_numpy(dtype=float)
    table["emerging"] = emerging.to_numpy(dtype=bool)

    if model is not None:
        redact = _redactor()
        keywords = {t: list(model.topic_keywords_.get(t, []))[:n_keywords] for t in table["topic_id"]}
        quotes = {t: [redact(q) if redact else q for q in model.topic_quotes_.get(t, [])][:n_quotes]
                  for t in table["topic_id"]}
    else:
        keywords, quotes = _keywords_and_quotes(frame, n_keywords, n_quotes)
    table["quotes"] = [list(quotes.get(int(t), [])) for t in table["topic_id"]]
    table["keywords"] = [list(keywords.get(int(t), [])) for t in table["topic_id"]]
    # topics first by size, the no-topic row last
    table = table.assign(_outlier=table["topic_id"] < 0).sort_values(
        ["_outlier", "messages", "topic_id"], ascending=[True, False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def topics_over_time(annotated: pd.DataFrame, period: str = "W",
                     by: Literal["channel"] | None = None) -> pd.DataFrame:
    """Messages per topic and period (optionally per channel), with the share within the period.

    Returns
    -------
    pandas.DataFrame
        ``period`` (start of the period, naive UTC), [``channel``], ``topic_id``,
        ``topic_label``, ``messages``, ``share`` (of the customer messages in that
        period [and channel]); long format, ready to pivot or plot.
    """
    if by not in (None, "channel"):
        raise ConfigError(f"by must be None or 'channel', got {by!r}")
    frame = _customer_rows(annotated)
    if by == "channel" and "channel" not in frame.columns:
        raise SchemaError("needed for by='channel'; load files with si.load()", column="channel")
    keys = ["period"] + ([by] if by else [])
    work = pd.DataFrame({
        "period": _periods(frame, period) if len(frame) else pd.Series(dtype="datetime64[ns]"),
        "topic_id": frame["topic_id"].astype("int64"),
        "topic_label": frame["topic_label"].astype("string").fillna("(no topic)"),
    }, index=frame.index)
    if by:
        work[by] = frame[by].astype("string").fillna("other")
    work = work.dropna(subset=["period"])
    if work.empty:
        return pd.DataFrame(columns=keys + ["topic_id", "topic_label", "messages", "share"])
    counts = work.groupby(keys + ["topic_id"], sort=True).agg(
        topic_label=("topic_label", lambda s: s.mode().iloc[0]), messages=("topic_id", "size")).reset_index()
    totals = counts.groupby(keys)["messages"].transform("sum")
    counts["share"] = counts["messages"] / totals
    return counts[keys + ["topic_id", "topic_label", "messages", "share"]]

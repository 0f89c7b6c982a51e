"""Closed loop: a priority, a queue and tags per conversation, ready for the helpdesk.

>>> table = si.triage(annotated)                                  # doctest: +SKIP
>>> write_triage_csv(table, "tags.csv")                           # doctest: +SKIP

The rules live in package data (``supportinsight/data/triage.yaml``) and can be
replaced by a mapping or a YAML file of the same shape.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ..enrich.base import analysis_text
from ..errors import ConfigError, SchemaError
from ..journey.signals import SIGNALS, customer_messages, escalation_signals, message_intents
from ..text.spreadsheet import neutralize_frame

__all__ = ["triage", "write_triage_csv", "load_triage_config", "PRIORITIES", "FACTS", "COLUMNS"]

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
#: Facts a rule can name (see the docstring of :func:`triage`).
FACTS: tuple[str, ...] = (*SIGNALS, "urgency", "escalated", "negative")
#: Columns of the triage table, in order.
COLUMNS: tuple[str, ...] = ("conversation_id", "ticket_id", "priority", "queue", "touchpoint", "journey_phase",
                            "tags", "reasons", "summary")

_SUMMARY_CHARS = 200
_SIGNAL_OPTIONS = ("repeat_days", "slow_first_response", "switch_days", "public_channels")
_LABELS = {
    "escalation_request": "escalation request",
    "churn_threat": "churn threat",
    "urgency": "urgency",
    "channel_switch": "channel switch",
    "repeat_contact": "repeat contact",
    "slow_first_response": "slow first response",
    "negative_trajectory": "sentiment turned negative",
    "escalated": "escalation signal",
    "negative": "negative sentiment",
}


@functools.lru_cache(maxsize=1)
def _packaged_config() -> dict[str, Any]:
    text = resources.files("supportinsight").joinpath("data/triage.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _read_yaml(path: str | Path, what: str) -> dict[str, Any]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{what} file {path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what} file {path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{what} file {path}: expected a mapping at the top, got {type(data).__name__}")
    return data


def load_triage_config(rules: Mapping[str, Any] | str | Path | None = None,
                       queues: Mapping[str, Any] | str | Path | None = None) -> dict[str, Any]:
    """The effective triage settings: package defaults, overridden by ``rules`` and ``queues``.

    Parameters
    ----------
    rules:
        A mapping or YAML file with any of the keys of ``data/triage.yaml``
        (``priorities``, ``default_priority``, ``signals``, ``tag_prefix``,
        ``default_queue``, ``queues``). Keys given replace the packaged ones;
        ``queues`` entries are merged.
    queues:
        A mapping ``touchpoint (or phase) -> team``, or a YAML file holding such a
        mapping (optionally under a ``queues`` key next to a ``default_queue``).

    Raises
    ------
    ConfigError
        Naming the file and key that is wrong.
    """
    base = _packaged_config()
    cfg: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    source = "package data/triage.yaml"
    if rules is not None:
        source = str(rules) if isinstance(rules, (str, Path)) else "rules"
        data = _read_yaml(rules, "rules") if isinstance(rules, (str, Path)) else dict(rules)
        unknown = set(data) - set(base)
        if unknown:
            raise ConfigError(f"{source}: unknown key(s) {sorted(unknown)}; allowed keys are {sorted(base)}")
        for key, value in data.items():
            if key == "queues":
                cfg["queues"] = {**cfg["queues"], **(value or {})}
            else:
                cfg[key] = value
    if queues is not None:
        qsource = str(queues) if isinstance(queues, (str, Path)) else "queues"
        data = _read_yaml(queues, "queues") if isinstance(queues, (str, Path)) else dict(queues)
        if "queues" in data:
            if "default_queue" in data:
                cfg["default_queue"] = data["default_queue"]
            data = data["queues"] or {}
        if not isinstance(data, dict) or not all(isinstance(v, str) and v for v in data.values()):
            raise ConfigError(f"{qsource}: queues must map touchpoint or phase names to team names (strings)")
        cfg["queues"] = {**cfg["queues"], **{str(k): v for k, v in data.items()}}
    _validate(cfg, source)
    return cfg


def _validate(cfg: dict[str, Any], source: str) -> None:
    prios = cfg.get("priorities")
    if not isinstance(prios, dict):
        raise ConfigError(f"{source}: 'priorities' must map P1/P2/P3 to lists of rules")
    for prio, rule_list in prios.items():
        if prio not in PRIORITIES:
            raise ConfigError(f"{source}: priority {prio!r} is not one of {list(PRIORITIES)}")
        if not isinstance(rule_list, list):
            raise ConfigError(f"{source}: priorities.{prio} must be a list of rules (lists of facts)")
        for rule in rule_list:
            if not isinstance(rule, list) or not rule:
                raise ConfigError(f"{source}: priorities.{prio}: each rule is a non-empty list of facts, "
                                  f"got {rule!r}")
            for fact in rule:
                name = str(fact).lstrip("!")
                if name not in FACTS:
                    raise ConfigError(f"{source}: priorities.{prio}: unknown fact {fact!r}; "
                                      f"known facts are {list(FACTS)} (prefix '!' to negate)")
    if cfg.get("default_priority") not in PRIORITIES:
        raise ConfigError(f"{source}: default_priority must be one of {list(PRIORITIES)}, "
                          f"got {cfg.get('default_priority')!r}")
    if not isinstance(cfg.get("default_queue"), str) or not cfg["default_queue"]:
        raise ConfigError(f"{source}: default_queue must be a team name")
    if not isinstance(cfg.get("queues"), dict):
        raise ConfigError(f"{source}: queues must map touchpoint or phase names to team names")
    if not isinstance(cfg.get("signals"), dict):
        raise ConfigError(f"{source}: signals must be a mapping of escalation_signals() settings")
    unknown = set(cfg["signals"]) - set(_SIGNAL_OPTIONS)
    if unknown:
        raise ConfigError(f"{source}: signals: unknown setting(s) {sorted(unknown)}; "
                          f"allowed are {list(_SIGNAL_OPTIONS)}")
    if not isinstance(cfg.get("tag_prefix"), str) or not re.fullmatch(r"[A-Za-z0-9_-]+", cfg["tag_prefix"]):
        raise ConfigError(f"{source}: tag_prefix must be letters, digits, '_' or '-', got {cfg.get('tag_prefix')!r}")


def _taxonomy_owner_queues(taxonomy: Any) -> dict[str, str]:
    """``touchpoint -> owner_queue`` of the journey taxonomy (``False``: none)."""
    if taxonomy is False:
        return {}
    from ..journey.taxonomy import load_taxonomy

    loaded = load_taxonomy("default" if taxonomy is None else taxonomy)
    return {tp.id: tp.owner_queue for tp in loaded.touchpoints if tp.owner_queue}


@functools.lru_cache(maxsize=4096)
def _slug(value: object) -> str:
    """A tag-safe value: lower case, runs of anything but letters, digits, ``.``/``-`` become ``_``."""
    return re.sub(r"[^\w.-]+", "_", str(value).casefold()).strip("_") or "unknown"


def _negative_conversations(annotated: pd.DataFrame, customer: pd.Series) -> pd.Series:
    """Per conversation: is the customer (still) unhappy? See the rules file for the definition."""
    conv = annotated["conversation_id"].astype("string")
    if "sentiment" not in annotated.columns:
        return pd.Series(False, index=pd.Index(conv.unique()))
    rated = pd.DataFrame({
        "conv": conv, "sent": annotated["sentiment"].astype("string"),
        "ts": (pd.to_datetime(annotated["timestamp"], utc=True) if "timestamp" in annotated.columns
               else pd.Series(pd.NaT, index=annotated.index, dtype="datetime64[ns, UTC]")),
        "pos": np.arange(len(annotated)),
    })[customer.to_numpy() & annotated["sentiment"].notna().to_numpy()]
    rated = rated.sort_values(["conv", "ts", "pos"], na_position="last", kind="stable")
    rated["neg"] = (rated["sent"] == "negative").astype(float)
    g = rated.groupby("conv", sort=False)
    last = g["sent"].last()
    share = g["neg"].mean()
    negative = (last == "negative") | ((share >= 0.5) & (last != "positive"))
    return negative.reindex(pd.Index(conv.unique())).fillna(False).astype(bool)


def triage(annotated: pd.DataFrame, *, queues: Mapping[str, Any] | str | Path | None = None,
           rules: Mapping[str, Any] | str | Path | None = None,
           taxonomy: Any = None, signals: pd.DataFrame | None = None, redact: bool = True) -> pd.DataFrame:
    """One row per conversation: priority, suggested queue, helpdesk tags and the reasons.

    **Priority rules** (package data ``data/triage.yaml``; the first that matches wins):

    * **P1**: escalation request and negative; or churn threat and negative; or a
      channel switch to a public channel (chat/e-mail, then social) and negative.
    * **P2**: urgency; or repeat contact and negative; or an escalation request or a
      churn threat (without negative sentiment); or a negative sentiment trajectory.
    * **P3**: negative; or a slow first response.
    * **P4**: everything else.

    "Negative" means the customer's last rated message is negative, or at least half
    of their rated messages are and the last is not positive (a complaint that ended
    in thanks is not negative). The signals are those of
    :func:`~supportinsight.journey.signals.escalation_signals`.

    **Queue**: the conversation's touchpoint (then journey phase) looked up in
    ``queues``, then the touchpoint's ``owner_queue`` in the journey taxonomy
    (``delivery`` -> ``logistics``, ``unknown`` -> ``triage`` in the default one), else
    ``default_queue`` (``customer_service``).

    Parameters
    ----------
    annotated:
        An annotated frame (:func:`supportinsight.annotate`).
    queues:
        ``touchpoint (or phase) -> team`` mapping or YAML file; overrides the defaults.
    rules:
        A mapping or YAML file overriding keys of ``data/triage.yaml``
        (see :func:`load_triage_config`).
    taxonomy:
        The journey taxonomy the frame was mapped with (name, YAML path or loaded
        taxonomy; default ``"default"``), for its touchpoints' ``owner_queue``;
        ``False`` to route by ``queues`` and ``default_queue`` only.
    signals:
        Result of :func:`escalation_signals`, if already computed (its settings then win
        over the ``signals`` key of the rules).
    redact:
        PII-redact the summary quote (default; keep it on for anything that leaves the team).

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`: ``conversation_id``, ``ticket_id`` (``extra_ticket_id`` or the
        conversation id), ``priority`` (P1-P4), ``queue``, ``touchpoint``, ``journey_phase``,
        ``tags`` (``;``-joined, e.g. ``si:priority:p1;si:phase:retention;
        si:touchpoint:delivery;si:intent:complaint;si:signal:channel_switch``), ``reasons``
        and ``summary`` (the most negative customer message). Sorted by priority, then by
        first appearance. ``attrs["priority_counts"]`` counts each priority.
    """
    if not isinstance(annotated, pd.DataFrame):
        raise SchemaError(f"expected an annotated pandas DataFrame, got {type(annotated).__name__}")
    if "conversation_id" not in annotated.columns:
        raise SchemaError("is missing; triage needs an annotated frame from si.annotate()", column="conversation_id")
    if "text" not in annotated.columns and "body" not in annotated.columns:
        raise SchemaError("is missing; triage quotes the customer's text", column="text")
    cfg = load_triage_config(rules, queues)
    if signals is None:
        signals = escalation_signals(annotated, **cfg["signals"])
    sig = signals.set_index("conversation_id")
    order = sig.index

    customer = customer_messages(annotated)
    negative = _negative_conversations(annotated, customer).reindex(order).fillna(False).astype(bool)
    facts = pd.DataFrame({name: sig[name].astype(bool) for name in (*SIGNALS, "urgency", "escalated")}, index=order)
    facts["negative"] = negative

    priority = pd.Series(cfg["default_priority"], index=order, dtype=object)
    matched = pd.Series("", index=order, dtype=object)
    undecided = pd.Series(True, index=order)
    for prio in PRIORITIES:
        for rule in cfg["priorities"].get(prio, []) or []:
            hit = undecided.copy()
            for fact in rule:
                name = str(fact)
                hit &= ~facts[name[1:]] if name.startswith("!") else facts[name]
            priority[hit] = prio
            matched[hit] = " + ".join(("not " + _LABELS[str(f)[1:]]) if str(f).startswith("!")
                                      else _LABELS[str(f)] for f in rule)
            undecided &= ~hit

    owners = None
    table_queues = cfg["queues"]

    def queue_for(tp: str, phase: str) -> str:
        nonlocal owners
        if tp in table_queues:
            return str(table_queues[tp])
        if phase in table_queues:
            return str(table_queues[phase])
        if owners is None:
            owners = _taxonomy_owner_queues(taxonomy)
        return owners.get(tp, cfg["default_queue"])

    # Customer intents per conversation, most frequent first.
    conv = annotated["conversation_id"].astype("string")
    cust_conv = conv[customer.to_numpy()]
    intents = message_intents(annotated.loc[customer.to_numpy()])
    intent_counts: dict[str, Counter] = {}
    for cid, found in zip(cust_conv.tolist(), intents.tolist()):
        intent_counts.setdefault(cid, Counter()).update(x for x in found if x != "other")

    ticket = pd.Series(order.to_numpy(), index=order, dtype=object)
    if "extra_ticket_id" in annotated.columns:
        ids = pd.DataFrame({"conv": conv, "tid": annotated["extra_ticket_id"].astype("string")}).dropna()
        ids = ids[ids["tid"].str.strip() != ""].drop_duplicates("conv").set_index("conv")["tid"]
        ticket.update(ids.reindex(order).dropna().astype(object))

    summaries = _summaries(annotated, customer, redact)
    prefix = cfg["tag_prefix"]
    rows = []
    records = sig[["touchpoint", "journey_phase", "signals", "switch_path", "first_response_minutes"]]
    # Plain dicts: per-row Series lookups would dominate the run time on large exports.
    priority, matched = priority.to_dict(), matched.to_dict()
    negative, ticket = negative.to_dict(), ticket.to_dict()
    for cid, s in zip(order, records.to_dict("records")):
        tp, phase = str(s["touchpoint"]), str(s["journey_phase"])
        prio = priority[cid]
        tags = [f"{prefix}:priority:{prio.lower()}", f"{prefix}:phase:{_slug(phase)}",
                f"{prefix}:touchpoint:{_slug(tp)}"]
        ranked_intents = [name for name, _ in sorted(intent_counts.get(cid, Counter()).items(),
                                                      key=lambda kv: (-kv[1], kv[0]))]
        tags += [f"{prefix}:intent:{_slug(i)}" for i in ranked_intents]
        tags += [f"{prefix}:signal:{name}" for name in s["signals"]]
        if negative[cid]:
            tags.append(f"{prefix}:sentiment:negative")
        reasons = [f"{prio}: {matched[cid]}" if matched[cid] else f"{prio}: default (no rule matched)"]
        detail = []
        for name in s["signals"]:
            label = _LABELS[name]
            if name == "channel_switch" and s["switch_path"]:
                label += f" ({s['switch_path']})"
            elif name == "slow_first_response" and pd.notna(s["first_response_minutes"]):
                label += f" ({s['first_response_minutes'] / 60:.1f} h)"
            detail.append(label)
        if detail:
            reasons.append("signals: " + ", ".join(detail))
        rows.append({
            "conversation_id": str(cid), "ticket_id": str(ticket[cid]), "priority": prio,
            "queue": queue_for(tp, phase), "touchpoint": tp, "journey_phase": phase,
            "tags": ";".join(dict.fromkeys(tags)), "reasons": "; ".join(reasons),
            "summary": summaries.get(cid, ""),
        })
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["_rank"] = out["priority"].map({p: i for i, p in enumerate(PRIORITIES)})
    out = out.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)
    out.attrs = {"priority_counts": {p: int((out["priority"] == p).sum()) for p in PRIORITIES},
                 "rules": "data/triage.yaml" if rules is None else str(rules) if isinstance(rules, (str, Path))
                 else "mapping"}
    return out


def _summaries(annotated: pd.DataFrame, customer: pd.Series, redact: bool) -> dict[str, str]:
    """The most negative customer message of each conversation (its first one when none is rated)."""
    frame = annotated.loc[customer.to_numpy()]
    text = analysis_text(frame).str.replace(r"\s+", " ", regex=True).str.strip()
    neg = (frame["sentiment"].astype("string") == "negative").fillna(False) if "sentiment" in frame.columns \
        else pd.Series(False, index=frame.index)
    score = (pd.to_numeric(frame["sentiment_score"], errors="coerce").fillna(0.0)
             if "sentiment_score" in frame.columns else pd.Series(0.0, index=frame.index))
    work = pd.DataFrame({"conv": frame["conversation_id"].astype("string").to_numpy(), "text": text.to_numpy(),
                         "notneg": (~neg).to_numpy(), "score": score.to_numpy(), "pos": np.arange(len(frame))})
    work = work[work["text"].str.len() > 0]
    best = work.sort_values(["conv", "notneg", "score", "pos"], kind="stable").drop_duplicates("conv")
    redact_fn = None
    if redact:
        from ..text.pii import redact as redact_fn  # lazy: PII patterns load on first use
    out = {}
    for cid, quote in zip(best["conv"], best["text"]):
        if redact_fn is not None:
            quote = redact_fn(quote)
        if len(quote) > _SUMMARY_CHARS:
            quote = quote[: _SUMMARY_CHARS - 1].rstrip() + "…"
        out[str(cid)] = quote
    return out


def write_triage_csv(table: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """Write a triage table as CSV for helpdesk import, safe to open in a spreadsheet.

    Every text cell that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'``
    (:func:`supportinsight.text.spreadsheet.neutralize_frame`).

    Plain UTF-8 by default, which helpdesk importers expect; pass
    ``encoding="utf-8-sig"`` for a file that Excel opens with umlauts intact.
    """
    missing = [c for c in ("conversation_id", "ticket_id", "priority", "tags") if c not in table.columns]
    if missing:
        raise SchemaError(f"is missing; pass the table returned by triage() (missing: {missing})",
                          column=missing[0])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    for col in out.columns:
        # Lists (from a hand-made table) become ';'-joined text before neutralising.
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        elif not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    neutralize_frame(out).to_csv(path, index=False, encoding=encoding)
    return path

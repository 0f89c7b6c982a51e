"""How well the journey mapper places messages: user gold files and the shared sets.

``evaluate_shared`` measures the *zero-shot* default mapper (nothing is fitted on
these sets):

* Bitext (English customer-service intents): each of the 27 intents is assigned a
  journey phase by hand (:data:`BITEXT_PHASES`, written before looking at the
  mapper's output and kept fixed); the score is phase accuracy on dev and test.
* GermEval 2017 (German posts about Deutsche Bahn): for the documents tagged with
  the aspect categories that are touchpoints (:data:`GERMEVAL_TOUCHPOINTS`), the
  share mapped to the matching touchpoints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LabelError, LoadError
from .metrics import classification_metrics, write_json, read_table

__all__ = ["evaluate_file", "evaluate_shared", "evaluate_golden", "BITEXT_PHASES", "GERMEVAL_TOUCHPOINTS",
           "GOLDEN_FILE"]

#: The golden set of real messages (source tree only, not in the wheel).
GOLDEN_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "journey_golden_real.jsonl"

#: Bitext intent -> five-phase id. Pre-purchase information and choice is
#: consideration; placing, changing and paying for an order and opening an
#: account is purchase; everything about an existing order, account or contract
#: (tracking, invoices, refunds, service, cancellation) is retention.
BITEXT_PHASES: dict[str, str] = {
    "newsletter_subscription": "awareness",
    "delivery_options": "consideration",
    "check_payment_methods": "consideration",
    "check_refund_policy": "consideration",
    "place_order": "purchase",
    "change_order": "purchase",
    "payment_issue": "purchase",
    "create_account": "purchase",
    "registration_problems": "purchase",
    "set_up_shipping_address": "purchase",
    "change_shipping_address": "purchase",
    "delivery_period": "retention",
    "track_order": "retention",
    "cancel_order": "retention",
    "check_invoice": "retention",
    "get_invoice": "retention",
    "get_refund": "retention",
    "track_refund": "retention",
    "check_cancellation_fee": "retention",
    "delete_account": "retention",
    "edit_account": "retention",
    "recover_password": "retention",
    "switch_account": "retention",
    "contact_customer_service": "retention",
    "contact_human_agent": "retention",
    "complaint": "retention",
    "review": "advocacy",
}

#: GermEval 2017 aspect category -> touchpoints that count as a correct mapping.
GERMEVAL_TOUCHPOINTS: dict[str, tuple[str, ...]] = {
    "Ticketkauf": ("checkout", "payment", "pricing"),
    "DB_App_und_Website": ("app", "website"),
    "Service_und_Kundenbetreuung": ("customer_service",),
}

#: GermEval 2017 aspect category of the train ride itself (scored as ``product_quality``).
RIDE_CATEGORY = "Zugfahrt"


def _mapper(taxonomy: Any = "default", **opts: Any):
    from ..journey.mapper import JourneyMapper

    return JourneyMapper(taxonomy, **opts).fit()


def _read_table(path: Path) -> pd.DataFrame:
    return read_table(path, what='a CSV, TSV, JSONL, Parquet or Excel file')


def evaluate_file(path: str | Path, *, text_col: str = "text", label_col: str = "label", output: str | Path | None = None,
                  taxonomy: Any = "default", language_col: str | None = None, **opts: Any) -> dict[str, Any]:
    """Score the mapper on a user's labelled file (CSV or JSONL).

    ``label_col`` holds touchpoint ids or phase ids of the taxonomy (told apart
    automatically; a file must use one kind). Extra ``opts`` go to
    :class:`~supportinsight.journey.mapper.JourneyMapper`.
    """
    path = Path(path)
    frame = _read_table(path)
    for col in (text_col, label_col):
        if col not in frame.columns:
            raise LoadError(f"column missing; columns are {list(frame.columns)}", file=str(path), field=col)
    mapper = _mapper(taxonomy, **opts)
    tax = mapper.taxonomy_
    labels = frame[label_col].fillna("").astype(str).str.strip().tolist()
    empty = [i for i, l in enumerate(labels) if not l]
    if empty:
        raise LabelError(f"{path}: row {empty[0] + 1}, field {label_col!r}: empty label; every row needs a "
                         "touchpoint or phase id")
    if all(l in tax.touchpoint_ids for l in labels):
        kind = "touchpoint"
    elif all(l in tax.phase_ids for l in labels):
        kind = "phase"
    else:
        bad = next((i, l) for i, l in enumerate(labels) if l not in tax.touchpoint_ids)
        raise LabelError(f"{path}: row {bad[0] + 1}, field {label_col!r}: {bad[1]!r} is neither a touchpoint nor a "
                         f"phase of taxonomy {tax.name!r} (touchpoints: {list(tax.touchpoint_ids)}; "
                         f"phases: {list(tax.phase_ids)}); a file uses one kind of label")
    work = pd.DataFrame({"text": frame[text_col].fillna("").astype(str)})
    if language_col:
        work["language"] = frame[language_col].astype(str)
    for col in ("conversation_id", "timestamp", "intent", "intents"):
        if col in frame.columns:
            work[col] = frame[col]
    mapped = mapper.map(work)
    pred = mapped["touchpoint" if kind == "touchpoint" else "journey_phase"].tolist()
    metrics = classification_metrics(labels, pred)
    metrics.update({"label_kind": kind, "file": str(path), "taxonomy": tax.name,
                    "unknown_rate": float((mapped["touchpoint"] == "unknown").mean())})
    if output is not None:
        write_json(metrics, output)
    return metrics


def _frame(texts: list[str], intents: Any = None, **columns: Any) -> pd.DataFrame:
    """The frame the mapper reads: texts, fixed columns and, with an intent classifier, the
    ``intent``/``intents`` the pipeline's intent step would have added before the journey step."""
    frame = pd.DataFrame({"text": texts, **columns})
    if intents is not None and len(texts):
        from ..enrich.intent import IntentStep

        frame = frame.join(IntentStep(intents).apply(frame)[["intent", "intents"]])
    return frame


def _bitext(data_dir: Path, split: str, mapper, intents: Any = None) -> dict[str, Any]:
    frame = pd.read_csv(data_dir / "bitext" / f"{split}.csv")
    gold = frame["intent"].map(BITEXT_PHASES)
    if gold.isna().any():
        missing = sorted(frame.loc[gold.isna(), "intent"].unique())
        raise LabelError(f"bitext/{split}.csv has intents without a phase in BITEXT_PHASES: {missing}")
    mapped = mapper.map(_frame(frame["utterance"].astype(str).tolist(), intents, language="en"))
    out = classification_metrics(gold.tolist(), mapped["journey_phase"].tolist())
    per_intent = (pd.DataFrame({"intent": frame["intent"], "ok": gold.to_numpy() == mapped["journey_phase"].to_numpy()})
                  .groupby("intent")["ok"].mean().round(3))
    out["per_intent_accuracy"] = {k: float(v) for k, v in per_intent.items()}
    out["touchpoints_per_intent"] = {
        intent: {k: int(v) for k, v in g.value_counts().head(3).items()}
        for intent, g in mapped["touchpoint"].groupby(frame["intent"])}
    out["unknown_rate"] = float((mapped["touchpoint"] == "unknown").mean())
    return out


def _germeval_rows(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _germeval(data_dir: Path, mapper, intents: Any = None) -> dict[str, Any]:
    rows = [r for r in _germeval_rows(data_dir / "germeval2017" / "dev.jsonl") if r.get("relevance")]
    texts = [r["text"] for r in rows]
    mapped = mapper.map(_frame(texts, intents, language="de"))
    tps = mapped["touchpoint"].tolist()
    out: dict[str, Any] = {}
    cats = [{a.split("#")[0] for a in r.get("aspects", [])} for r in rows]  # aspect categories per document
    total_hit = total_n = 0
    for cat, allowed in GERMEVAL_TOUCHPOINTS.items():
        idx = [i for i, c in enumerate(cats) if cat in c]
        hits = sum(tps[i] in allowed for i in idx)
        total_hit += hits
        total_n += len(idx)
        out[cat] = {"n": len(idx), "rate": hits / len(idx) if idx else None, "target_touchpoints": list(allowed),
                    "mapped_to": {k: int(v) for k, v in pd.Series([tps[i] for i in idx]).value_counts().head(5).items()}}
    out["overall"] = {"n": total_n, "rate": total_hit / total_n if total_n else None}
    # the ride itself: by the labelling guide (tests/data/README_journey.md) a train trip, its
    # delays and cancellations are the service itself, ``product_quality``. Documents whose only
    # aspect category is Zugfahrt; reported beside the target's three categories, not in them.
    ride = [i for i, c in enumerate(cats) if c == {RIDE_CATEGORY}]
    out["ride_to_product_quality"] = {
        "n": len(ride), "rate": sum(tps[i] == "product_quality" for i in ride) / len(ride) if ride else None,
        "unknown_rate": sum(tps[i] == "unknown" for i in ride) / len(ride) if ride else None}
    out["unknown_rate_relevant_docs"] = float((mapped["touchpoint"] == "unknown").mean())
    return out


#: Precision the shipped threshold of a learned mapper keeps on the golden set.
TARGET_PRECISION = 0.80


def choose_threshold(conf: np.ndarray, correct: np.ndarray, target: float = TARGET_PRECISION,
                     gold_unknown: np.ndarray | None = None) -> float:
    """Lowest threshold whose covered messages (at least a quarter of them) have precision >= ``target``.

    Where no such threshold exists, the one with the best accuracy (an abstention is
    right where the message has no touchpoint, ``gold_unknown``); the closing figures
    then say that the precision target was missed.
    """
    grid = np.round(np.arange(0.20, 0.96, 0.01), 2)
    for t in grid:
        cov = (conf >= t) & (conf > 0)
        if cov.mean() >= 0.25 and correct[cov].mean() >= target:
            return float(t)
    unk = np.zeros(len(conf), dtype=bool) if gold_unknown is None else gold_unknown
    return float(max(grid, key=lambda t: (np.where((conf >= t) & (conf > 0), correct, unk).mean(), -t)))


def golden_confidences(mapper, golden: Path = GOLDEN_FILE, intents: Any = None, *,
                       frame: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per golden message: the mapper's confidence in its best touchpoint (0 where it prefers
    "no touchpoint") and whether that touchpoint is the labelled one. ``frame``: the golden
    messages as :func:`_frame` prepared them (intents included), so they are not read twice."""
    rows = [json.loads(line) for line in golden.read_text("utf-8").splitlines() if line.strip()]
    frame = _frame([r["text"] for r in rows], intents) if frame is None else frame
    keep = mapper.threshold_
    mapper.threshold_ = 0.0
    try:
        mapped = mapper.map(frame)
    finally:
        mapper.threshold_ = keep
    known = (mapped["touchpoint"] != "unknown").to_numpy()
    conf = np.where(known, mapped["mapping_confidence"].to_numpy(), 0.0)
    correct = mapped["touchpoint"].to_numpy() == np.array([r["touchpoint"] for r in rows], dtype=object)
    gold_unknown = np.array([r["touchpoint"] == "unknown" for r in rows])
    return conf, correct & known, gold_unknown


def _coverage_curve(conf: np.ndarray, correct: np.ndarray) -> list[dict[str, float]]:
    out = []
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        cov = (conf >= t) & (conf > 0)
        out.append({"threshold": t, "coverage": round(float(cov.mean()), 3),
                    "precision": round(float(correct[cov].mean()), 3) if cov.any() else None})
    return out


def evaluate_golden(mapper, path: str | Path = GOLDEN_FILE, intents: Any = None) -> dict[str, Any]:
    """Touchpoint and phase on the hand-labelled real messages (see ``tests/data/README_journey.md``).

    Touchpoint accuracy counts ``unknown`` as a label (right where the message has no
    touchpoint); coverage is the share of messages given a touchpoint, precision the
    share of those that are right. ``threshold_cv`` chooses the threshold on one half
    of the set (precision >= 0.80) and scores the other half, both ways, as the shipped
    threshold is chosen on the whole set.

    ``intents``: an intent classifier whose intents the mapper reads, as in ``si.annotate``
    (the intent step runs before the journey step); ``None`` maps the texts alone.
    """

    path = Path(path)
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    frame = _frame([r["text"] for r in rows], intents)
    gold_tp = np.array([r["touchpoint"] for r in rows], dtype=object)
    gold_ph = [r["phase"] for r in rows]
    mapped = mapper.map(frame)
    pred_tp = mapped["touchpoint"].to_numpy(dtype=object)
    covered = pred_tp != "unknown"
    out: dict[str, Any] = {"n": len(rows), "threshold": mapper.threshold_, "method": mapper.method_}
    tp = classification_metrics(gold_tp.tolist(), pred_tp.tolist())
    out["touchpoint"] = {"accuracy": tp["accuracy"], "macro_f1": tp["macro_f1"],
                         "coverage": round(float(covered.mean()), 3),
                         "precision_covered": round(float((pred_tp == gold_tp)[covered].mean()), 3) if covered.any()
                         else None,
                         "coverage_of_labelled": round(float(covered[gold_tp != "unknown"].mean()), 3),
                         "always_product_quality": round(float((gold_tp == "product_quality").mean()), 3)}
    ph = classification_metrics(gold_ph, mapped["journey_phase"].tolist())
    out["phase"] = {"accuracy": ph["accuracy"], "macro_f1": ph["macro_f1"],
                    "always_retention": round(sum(g == "retention" for g in gold_ph) / len(gold_ph), 3),
                    "per_class": ph.get("per_class")}
    # precision against coverage, and the threshold cross-validated over two halves
    conf, correct, _ = golden_confidences(mapper, path, frame=frame)
    out["touchpoint"]["precision_vs_coverage"] = _coverage_curve(conf, correct)
    if mapper.method_ == "learned":
        half = np.arange(len(rows)) % 2 == 0
        cv_right = np.zeros(len(rows), dtype=bool)
        cv_cov = np.zeros(len(rows), dtype=bool)
        for a, b in ((half, ~half), (~half, half)):
            t = choose_threshold(conf[a], correct[a], gold_unknown=gold_tp[a] == "unknown")
            cv_cov[b] = (conf[b] >= t) & (conf[b] > 0)
            cv_right[b] = np.where(cv_cov[b], correct[b], gold_tp[b] == "unknown")
        out["touchpoint"]["threshold_cv"] = {"accuracy": round(float(cv_right.mean()), 3),
                                             "coverage": round(float(cv_cov.mean()), 3),
                                             "precision_covered": round(float(correct[cv_cov].mean()), 3)
                                             if cv_cov.any() else None}
    by_source = {}
    for src in sorted({r["source"] for r in rows}):
        m = np.array([r["source"] == src for r in rows])
        by_source[src] = {"n": int(m.sum()), "touchpoint_accuracy": round(float((pred_tp == gold_tp)[m].mean()), 3),
                          "phase_accuracy": round(float((mapped["journey_phase"].to_numpy()[m]
                                                         == np.array(gold_ph, dtype=object)[m]).mean()), 3)}
    out["by_source"] = by_source
    return out


def evaluate_shared(data_dir: str | Path = "../shared/data", output: str | Path | None = None, *,
                    taxonomy: Any = "default", mapper_options: dict[str, Any] | None = None,
                    pipeline: str = "fast", model: str | Path | None = None, with_intents: bool = True,
                    **_other_task_options: Any) -> dict[str, Any]:
    """Zero-shot phase accuracy on Bitext dev/test and touchpoint rates on GermEval 2017 dev.

    Sets missing from ``data_dir`` are skipped and listed under ``"skipped"``.
    ``mapper_options`` go to :class:`~supportinsight.journey.mapper.JourneyMapper`
    (e.g. ``{"threshold": 0.4}``); options meant for other tasks (the CLI's
    ``curve=False``) are accepted and ignored, as nothing is fitted here.

    ``model``: a folder written by ``JourneyMapper.save`` / ``fit-journey`` to score instead.

    ``with_intents``: the mapper reads the intents of the pipeline's shipped intent model,
    as it does inside ``si.annotate`` (phase from intent, intent boosts); ``False`` scores
    the mapper on the texts alone.

    Reproduce: ``supportinsight evaluate --task journey --data-dir ../shared/data [--model DIR]``.
    """
    data_dir = Path(data_dir)
    options = dict(mapper_options or {})
    if pipeline == "accurate" and "embedder" not in options:
        from ..enrich.embeddings import accurate_embedder

        options["embedder"] = accurate_embedder()
    if model is not None:  # a saved mapper (fit-journey, train.journey) carries its taxonomy and encoder
        from ..journey.mapper import JourneyMapper

        mapper = JourneyMapper.load(model, **options)
    else:
        mapper = _mapper(taxonomy, **options)
    intents = None
    if with_intents:
        from ..enrich.intent import IntentClassifier

        intents = IntentClassifier(pipeline=pipeline)
    result: dict[str, Any] = {"taxonomy": mapper.taxonomy_.name, "mapper": repr(mapper), "skipped": [],
                              "intents": f"shipped {pipeline} intent model" if with_intents else "none"}
    for split in ("dev", "test"):
        if (data_dir / "bitext" / f"{split}.csv").is_file():
            result[f"bitext_{split}"] = _bitext(data_dir, split, mapper, intents)
        else:
            result["skipped"].append(f"bitext/{split}.csv")
    if (data_dir / "germeval2017" / "dev.jsonl").is_file():
        result["germeval2017_dev"] = _germeval(data_dir, mapper, intents)
    else:
        result["skipped"].append("germeval2017/dev.jsonl")
    if GOLDEN_FILE.is_file():
        result["golden_real"] = evaluate_golden(mapper, intents=intents)
    else:
        result["skipped"].append("tests/data/journey_golden_real.jsonl (source tree only)")
    if output is not None:
        write_json(result, output)
    return result

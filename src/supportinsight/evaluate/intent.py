"""Score the intent classifier: on a user's labelled file, and on the shared reference sets.

``evaluate_shared`` measures

* BANKING77 (stratified 80/20 split, seed 0): ``IntentClassifier().fit`` on all
  training rows, and on 10 examples per class (mean over 3 seeds);
* Bitext customer-service intents: train -> test, all rows and 10 per class;
* the default support taxonomy on the hand-labelled golden set
  (``tests/data/intent_golden.jsonl``: twcs and GermEval messages), with
  per-intent precision/recall/F1 for the primary intent and for all intents.

Nothing here prints; the CLI prints ``report_text``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..enrich.intent import IntentClassifier
from ..errors import ConfigError, LoadError
from .metrics import classification_metrics, write_json, read_table

__all__ = ["evaluate_file", "evaluate_shared", "multilabel_metrics", "GOLDEN_FILE"]

#: The golden set shipped with the source tree (not with the wheel).
GOLDEN_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "intent_golden.jsonl"


def _read_table(path: Path) -> pd.DataFrame:
    return read_table(path, what='a CSV, TSV, JSONL or Parquet file')


def _label_lists(values: Sequence[Any], *, path: Path, column: str, sep: str = "|") -> list[list[str]]:
    """Labels as lists, primary first: JSON lists stay lists, strings split on ``sep``."""
    out = []
    for row, v in enumerate(values):
        if isinstance(v, (list, tuple, np.ndarray)):
            items = [str(x).strip() for x in v]
        elif v is None or (isinstance(v, float) and np.isnan(v)):
            items = []
        else:
            items = [x.strip() for x in str(v).split(sep)]
        items = [x for x in items if x]
        if not items:
            raise LoadError("empty label; every evaluated row needs an intent", file=str(path), row=row + 1,
                            field=column)
        out.append(items)
    return out


def multilabel_metrics(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Per-intent precision/recall/F1 over *all* intents of each message (multi-label), plus micro/macro F1."""
    labels = sorted({x for g in gold for x in g} | {x for p in pred for x in p})
    per: dict[str, dict[str, float]] = {}
    tp_all = fp_all = fn_all = 0
    for lab in labels:
        tp = sum(lab in g and lab in p for g, p in zip(gold, pred))
        fp = sum(lab not in g and lab in p for g, p in zip(gold, pred))
        fn = sum(lab in g and lab not in p for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": prec, "recall": rec, "f1-score": f1, "support": float(tp + fn)}
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    micro_p = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
    micro_r = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
    lines = [f"{'intent':>14} {'precision':>9} {'recall':>6} {'f1':>6} {'support':>7}"]
    for lab, d in per.items():
        lines.append(f"{lab:>14} {d['precision']:9.3f} {d['recall']:6.3f} {d['f1-score']:6.3f} {int(d['support']):7d}")
    supported = [d for d in per.values() if d["support"] > 0]
    return {
        "n": len(gold),
        "micro_precision": micro_p,
        "micro_recall": micro_r,
        "micro_f1": 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0,
        "macro_f1": float(np.mean([d["f1-score"] for d in supported])) if supported else 0.0,
        "exact_match": float(np.mean([set(g) == set(p) for g, p in zip(gold, pred)])) if gold else 0.0,
        "per_intent": per,
        "report_text": "\n".join(lines),
    }


def _score(clf: IntentClassifier, texts: list[str], gold: list[list[str]]) -> dict[str, Any]:
    t0 = time.perf_counter()
    primary, intents, _conf = clf.predict_all(texts)
    seconds = time.perf_counter() - t0
    result = classification_metrics([g[0] for g in gold], list(primary))
    if any(len(g) > 1 for g in gold):
        # printed by the CLI under all_intents, so not repeated in the primary report
        result["all_intents"] = multilabel_metrics(gold, intents)
    result["predict_seconds"] = seconds
    return result


def evaluate_file(path: str | Path, *, text_col: str = "text", label_col: str = "intent",
                  output: str | Path | None = None, model: str | Path | IntentClassifier | None = None,
                  train: str | Path | None = None, label_sep: str = "|", **opts: Any) -> dict[str, Any]:
    """Score intents on a labelled file (CSV, TSV, JSONL or Parquet).

    Parameters
    ----------
    path:
        The labelled file.
    text_col, label_col:
        Column names. A label cell is one intent id, several ids separated by
        ``label_sep`` (primary first), or (JSONL) a list of ids.
    output:
        Write the metrics as JSON here.
    model:
        A fitted :class:`IntentClassifier` or a folder saved with
        :meth:`IntentClassifier.save`; default: the shipped support taxonomy.
    train:
        Instead of ``model``: fit a new classifier on this file (same columns)
        first; ``opts`` go to the :class:`IntentClassifier` constructor.

    Returns
    -------
    dict
        ``accuracy``, ``macro_f1``, ``per_class`` ... for the primary intent,
        ``all_intents`` (multi-label precision/recall) when labels carry
        several intents, and ``report_text``.
    """
    path = Path(path)
    frame = _read_table(path)
    for col in (text_col, label_col):
        if col not in frame.columns:
            raise LoadError(f"column {col!r} not found (columns: {list(frame.columns)[:15]}); "
                            "pass --text-col/--label-col", file=str(path), field=col)
    texts = frame[text_col].fillna("").astype(str).tolist()
    gold = _label_lists(frame[label_col].tolist(), path=path, column=label_col, sep=label_sep)
    if train is not None and model is not None:
        raise ConfigError("pass either model= or train=, not both")
    if train is not None:
        tframe = _read_table(Path(train))
        for col in (text_col, label_col):
            if col not in tframe.columns:
                raise LoadError(f"column {col!r} not found in the training file", file=str(train), field=col)
        tlabels = _label_lists(tframe[label_col].tolist(), path=Path(train), column=label_col, sep=label_sep)
        multi = any(len(t) > 1 for t in tlabels)
        clf = IntentClassifier(**opts).fit(tframe[text_col].fillna("").astype(str).tolist(),
                                           tlabels if multi else [t[0] for t in tlabels])
    elif isinstance(model, IntentClassifier):
        clf = model
    elif model is not None:
        clf = IntentClassifier.load(model)
    else:
        clf = IntentClassifier(**opts)
    result = _score(clf, texts, gold)
    result.update(task="intent", data=str(path), text_col=text_col, label_col=label_col,
                  model="trained on " + str(train) if train is not None else str(model or "shipped default"))
    if output is not None:
        write_json(result, output)
    return result


# ---------------------------------------------------------------------------
# shared reference sets

def _per_class_sample(frame: pd.DataFrame, label: str, k: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for _, group in frame.groupby(label, sort=True):
        take = rng.choice(len(group), size=min(k, len(group)), replace=False)
        parts.append(group.iloc[np.sort(take)])
    return pd.concat(parts)


def _fit_score(train: pd.DataFrame, test: pd.DataFrame, text: str, label: str, **params: Any) -> dict[str, Any]:
    t0 = time.perf_counter()
    clf = IntentClassifier(pretrained=None, **params).fit(train[text].tolist(), train[label].tolist())
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = clf.predict(test[text].tolist())
    pred_s = time.perf_counter() - t0
    m = classification_metrics(test[label].tolist(), list(pred))
    return {"n_train": len(train), "n_test": len(test), "accuracy": m["accuracy"], "macro_f1": m["macro_f1"],
            "uses_ngrams": bool(clf.uses_ngrams_), "fit_seconds": fit_s, "predict_seconds": pred_s}


def _few_and_full(train: pd.DataFrame, test: pd.DataFrame, text: str, label: str, *, k: int = 10,
                  seeds: Sequence[int] = (0, 1, 2), curve: bool = True, **params: Any) -> dict[str, Any]:
    full = _fit_score(train, test, text, label, **params)
    if not curve:
        return {"all_data": full}
    runs = [_fit_score(_per_class_sample(train, label, k, s), test, text, label, **params) for s in seeds]
    accs = [r["accuracy"] for r in runs]
    return {"all_data": full,
            f"{k}_per_class": {"seeds": list(seeds), "accuracy_mean": float(np.mean(accs)),
                               "accuracy_std": float(np.std(accs)), "runs": runs}}


def evaluate_banking77(data_dir: Path, *, seed: int = 0, curve: bool = True, **params: Any) -> dict[str, Any]:
    """BANKING77 ``train.csv`` split 80/20 (stratified, ``seed``): all data and 10 per class."""
    from sklearn.model_selection import train_test_split

    frame = pd.read_csv(data_dir / "banking77" / "train.csv", dtype=str, keep_default_na=False)
    train, test = train_test_split(frame, test_size=0.2, stratify=frame["category"], random_state=seed)
    out = _few_and_full(train, test, "text", "category", curve=curve, **params)
    out["split"] = f"stratified 80/20 of banking77/train.csv, random_state={seed}"
    return out


def evaluate_bitext(data_dir: Path, *, curve: bool = True, **params: Any) -> dict[str, Any]:
    """Bitext customer-service intents: fit on ``train.csv``, score ``test.csv``."""
    train = pd.read_csv(data_dir / "bitext" / "train.csv", dtype=str, keep_default_na=False)
    test = pd.read_csv(data_dir / "bitext" / "test.csv", dtype=str, keep_default_na=False)
    out = _few_and_full(train, test, "utterance", "intent", curve=curve, **params)
    out["split"] = "bitext train.csv -> test.csv"
    return out


def evaluate_golden(path: Path = GOLDEN_FILE, *, model: IntentClassifier | None = None) -> dict[str, Any]:
    """The shipped default taxonomy on the hand-labelled golden set, overall and per source."""
    frame = _read_table(path)
    clf = model if model is not None else IntentClassifier()
    gold = [list(x) for x in frame["intents"]]
    out = _score(clf, frame["text"].tolist(), gold)
    out["by_source"] = {}
    for source, part in frame.groupby("source", sort=True):
        idx = part.index.to_numpy()
        res = _score(clf, part["text"].tolist(), [gold[i] for i in idx])
        out["by_source"][str(source)] = {"n": len(part), "accuracy": res["accuracy"], "macro_f1": res["macro_f1"],
                                         "all_intents_micro_f1": res.get("all_intents", {}).get("micro_f1")}
    out["data"] = str(path)
    return out


def evaluate_shared(data_dir: str | Path, output: str | Path | None = None, *,
                    golden: str | Path | None = None, curve: bool = True, pipeline: str = "fast",
                    sets: Sequence[str] = ("banking77", "bitext")) -> dict[str, Any]:
    """Measure the intent classifier on BANKING77, Bitext and the golden support set.

    Parameters
    ----------
    data_dir:
        The shared data folder (with ``banking77/``, ``bitext/``).
    output:
        Write the metrics as JSON here.
    golden:
        The golden JSONL (default: ``tests/data/intent_golden.jsonl`` of the source tree;
        skipped with a note when absent).
    curve:
        Also fit on 10 examples per class (3 seeds); ``False`` (the CLI's ``--quick``)
        measures only the all-data fits and the golden set.
    pipeline:
        ``"accurate"``: fit ``IntentClassifier(pipeline="accurate")`` (fine-tuned
        multilingual-e5-small) and score the accurate pipeline's shipped model on the golden set.
    sets:
        Which public sets to fit on.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise LoadError("shared data folder not found", file=str(data_dir))
    result: dict[str, Any] = {"task": "intent", "data_dir": str(data_dir), "pipeline": pipeline}
    params = {"pipeline": "accurate"} if pipeline == "accurate" else {}
    for name, fn in (("banking77", evaluate_banking77), ("bitext", evaluate_bitext)):
        if name not in sets:
            result[name] = {"skipped": "not asked for"}
        elif (data_dir / name).is_dir():
            result[name] = fn(data_dir, curve=curve, **params)
        else:
            result[name] = {"skipped": f"{data_dir / name} not found"}
    golden_path = Path(golden) if golden is not None else GOLDEN_FILE
    if golden_path.is_file():
        result["golden"] = evaluate_golden(golden_path, model=IntentClassifier(**params) if params else None)
    else:
        result["golden"] = {"skipped": f"{golden_path} not found (it lives in the source tree's tests/data)"}
    lines = []
    for name in ("banking77", "bitext"):
        r = result[name]
        if "all_data" in r:
            line = f"{name}: accuracy all data {r['all_data']['accuracy']:.3f}"
            if "10_per_class" in r:
                line += (f", 10 per class {r['10_per_class']['accuracy_mean']:.3f} "
                         f"(+/- {r['10_per_class']['accuracy_std']:.3f}, 3 seeds)")
            lines.append(line)
    if "report_text" in result["golden"]:
        g = result["golden"]
        lines.append(f"golden support set (n={g['n']}): primary accuracy {g['accuracy']:.3f}, macro F1 "
                     f"{g['macro_f1']:.3f}\n{g['report_text']}\nall intents (multi-label), micro F1 "
                     f"{g['all_intents']['micro_f1']:.3f}:\n{g['all_intents']['report_text']}")
    result["report_text"] = "\n".join(lines)
    if output is not None:
        write_json(result, output)
    return result

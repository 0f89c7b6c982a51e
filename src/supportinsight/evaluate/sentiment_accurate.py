"""Score the accurate pipeline's sentiment (fine-tuned multilingual-e5-small).

``evaluate_shared_accurate`` measures the shipped accurate model on the reference
sets it never saw in training (GermEval 2017 dev, all and relevant-only; SB10k
dev; PotTS dev without ``mixed``; the hand-labelled TWCS emoji tweets), and, unless
``curve=False``, fine-tuning on GermEval dev itself by 5-fold cross-validation:
with all training labels of each fold and with 200 of them, each continued from
the shipped accurate model. TweetEval validation is part of the shipped model's
training data and is not scored here (refitting the shipped model five times
costs hours on a CPU).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..enrich.sentiment import CLASSES, SentimentModel
from .metrics import classification_metrics, write_json

__all__ = ["evaluate_shared_accurate", "finetune_curve", "TWCS_EMOJI_FILE"]

TWCS_EMOJI_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "sentiment_twcs_emoji.jsonl"


def _scores(gold: list[str], pred: list[str]) -> dict[str, Any]:
    m = classification_metrics(gold, pred)
    return {"n": len(gold), "micro_f1": m["micro_f1"], "macro_f1": m["macro_f1"], "macro_recall": m["macro_recall"],
            "majority_baseline_micro_f1": float(pd.Series(gold).value_counts(normalize=True).iloc[0])}


def finetune_curve(texts: list[str], gold: list[str], *, sizes: tuple[int | None, ...] = (200, None), k: int = 5,
                   seed: int = 0, progress: bool = False) -> dict[str, Any]:
    """k-fold CV of ``SentimentModel(pipeline="accurate").fit`` on n labels per fold (None: all)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(gold)
    rng = np.random.default_rng(seed)
    rows: dict[str, list[dict[str, float]]] = {"shipped": []}
    seconds: dict[str, list[float]] = {}
    shipped = SentimentModel(pipeline="accurate")
    for train, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        test_texts = [texts[i] for i in test]
        rows["shipped"].append(_scores(y[test].tolist(), list(shipped.predict(test_texts))))
        for size in sizes:
            name = f"fit_{size if size is not None else 'all'}"
            pick = train if size is None or size >= len(train) else rng.choice(train, size, replace=False)
            started = time.perf_counter()
            model = SentimentModel(pipeline="accurate", progress=progress).fit([texts[i] for i in pick],
                                                                               y[pick].tolist())
            seconds.setdefault(name, []).append(time.perf_counter() - started)
            rows.setdefault(name, []).append(_scores(y[test].tolist(), list(model.predict(test_texts))))
    mean = {name: {key: float(np.mean([r[key] for r in fold])) for key in ("micro_f1", "macro_f1", "macro_recall")}
            for name, fold in rows.items()}
    for name, secs in seconds.items():
        mean[name]["fit_seconds"] = float(np.mean(secs))
    return {"folds": k, "sizes": [s if s is not None else "all" for s in sizes], "mean": mean, "per_fold": rows}


def evaluate_shared_accurate(data_dir: str | Path, output: str | Path | None = None, *, curve: bool = True,
                             progress: bool = False, **_: Any) -> dict[str, Any]:
    """Score the shipped accurate sentiment model on every reference set it was not trained on."""
    from .sentiment import _load_shared

    data_dir = Path(data_dir)
    started = time.perf_counter()
    sets = _load_shared(data_dir)
    sets.pop("tweeteval_val", None)
    if TWCS_EMOJI_FILE.is_file():
        tw = pd.read_json(TWCS_EMOJI_FILE, lines=True).rename(columns={"sentiment": "label"})
        sets["twcs_emoji_hand_labelled"] = tw[tw["label"].isin(CLASSES)][["text", "label"]].reset_index(drop=True)
    model = SentimentModel(pipeline="accurate")
    result: dict[str, Any] = {"task": "sentiment", "pipeline": "accurate", "data_dir": str(data_dir),
                              "model": model.version, "sets": {}}
    for name, frame in sets.items():
        texts, gold = frame["text"].tolist(), frame["label"].tolist()
        t0 = time.perf_counter()
        ours = list(model.predict(texts))
        entry = {"note": "shipped accurate model, never trained or tuned on this set", **_scores(gold, ours),
                 "messages_per_second": round(len(texts) / max(time.perf_counter() - t0, 1e-9), 1)}
        if name == "germeval2017_dev":
            rel = frame["relevance"].astype(bool).to_numpy()
            entry["relevant_only"] = _scores([g for g, r in zip(gold, rel) if r], [o for o, r in zip(ours, rel) if r])
        result["sets"][name] = entry
    if curve and "germeval2017_dev" in sets:
        frame = sets["germeval2017_dev"]
        result["finetune_curve"] = {"germeval2017_dev": finetune_curve(frame["text"].tolist(), frame["label"].tolist(),
                                                                       progress=progress)}
    result["seconds"] = round(time.perf_counter() - started, 1)
    if output is not None:
        write_json(result, output)
    return result

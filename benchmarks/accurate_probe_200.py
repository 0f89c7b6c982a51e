"""Accurate sentiment with 200 labels: a logistic probe on the shipped fine-tuned model's
pooled features against fine-tuning (``SentimentModel(pipeline="accurate").fit``).

    python benchmarks/accurate_probe_200.py germeval   # about 10 minutes on 2 cores
    python benchmarks/accurate_probe_200.py sb10k

5-fold ``StratifiedKFold(shuffle=True, random_state=0)``, 200 labels drawn per fold with
``default_rng(0)`` (the draws of ``finetune_curve``), scored on the fold's test part. The
measurement behind "a probe instead of a fine-tune" in ``docs/ACCURATE.md``; nothing here
is shipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"


def main(name: str) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from supportinsight.encoders.accurate import _embedder
    from supportinsight.encoders.finetune import pooled_features, predict_logits
    from supportinsight.enrich.sentiment import CLASSES, SentimentModel
    from supportinsight.evaluate.sentiment import _load_shared  # the evaluation's own reading of the sets
    from supportinsight.text.repair import repair_texts

    frame = _load_shared(SHARED)["germeval2017_dev" if name == "germeval" else "sb10k_dev"]
    texts = repair_texts(frame["text"].tolist())
    y = frame["label"].to_numpy()
    tuned = SentimentModel(pipeline="accurate")._tuned()
    states, _ = _embedder(tuned.embedder).states(texts)
    X = pooled_features(tuned.module_, states, 256)
    logits = predict_logits(tuned.module_, states, 256)
    rng = np.random.default_rng(0)
    scores: dict[str, list[float]] = {}
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        pick = rng.choice(train, 200, replace=False)
        scores.setdefault("shipped", []).append(float((np.array(CLASSES)[logits[test].argmax(1)] == y[test]).mean()))
        for C in (0.1, 1.0):
            probe = LogisticRegression(C=C, max_iter=3000).fit(X[pick], y[pick])
            scores.setdefault(f"probe C={C}", []).append(float((probe.predict(X[test]) == y[test]).mean()))
        fitted = SentimentModel(pipeline="accurate").fit([texts[i] for i in pick], y[pick].tolist())
        pred = np.asarray(fitted.predict([texts[i] for i in test]))
        scores.setdefault("fine-tuned", []).append(float((pred == y[test]).mean()))
        probe_all = LogisticRegression(C=0.1, max_iter=3000).fit(X[train], y[train])
        scores.setdefault("probe C=0.1, all labels", []).append(float((probe_all.predict(X[test]) == y[test]).mean()))
    for key, values in scores.items():
        print(f"{name} {key:24s} mean {np.mean(values):.4f}  folds {[round(v, 3) for v in values]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "germeval")

"""Measure what labels buy: learning curve and active vs random selection (sentiment).

On GermEval 2017 dev and SB10k dev (German; both NOT shippable: CC BY-NC / "check first" -
this script measures only and writes no weights), 5-fold stratified CV:

1. learning curve: the shipped model, and ``SentimentModel().fit`` on 100, 200, 500 and
   all training labels of each fold (``supportinsight.adapt.learning_curve``);
2. one-shot selection vs random: within each fold, pick 50/100/150/200 messages of the
   training part at once with the ranking behind ``select_for_labelling``
   (``rank_for_labelling`` on the shipped model's probabilities and the USE embeddings,
   near-duplicates removed; diversity weight 0, 0.5 and 1), or at random (3 seeds), fit,
   score on the test fold;
3. the labelling loop the product recommends (the headline "active" row): 50 picks per
   round, each round ranked by the model adapted on the labels so far (``supportinsight
   label --model DIR --exclude earlier.csv`` between rounds), with the default diversity
   0 and, for comparison, 0.5.

Features are computed once per data set (embeddings are the first 512 feature columns), so
the run stays in a few minutes on two cores::

    python scripts/active_vs_random.py --data-dir ../shared/data -o benchmarks/results/adapt_active_vs_random
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from supportinsight.adapt import learning_curve, rank_for_labelling
from supportinsight.enrich.sentiment import SentimentModel, sentiment_features
from supportinsight.evaluate.metrics import classification_metrics

SIZES = (50, 100, 150, 200)
RANDOM_SEEDS = (0, 1, 2)
STRATEGIES = {"one-shot, uncertainty (diversity 0)": 0.0, "one-shot, diversity 0.5": 0.5, "diversity only": 1.0}
#: The loop a team runs with the CLI (``label`` -> ``fit-sentiment`` -> ``label --model
#: --exclude``): 50 picks per round, each round ranked by the model adapted so far.
ROUNDS = {"active, rounds of 50 (default)": 0.0, "active, rounds of 50, diversity 0.5": 0.5}


def load_sets(data_dir: Path) -> dict[str, pd.DataFrame]:
    ge = pd.read_json(data_dir / "germeval2017" / "dev.jsonl", lines=True)
    sb = pd.read_csv(data_dir / "german_sentiment" / "sb10k_dev.csv")
    return {
        "germeval2017_dev": pd.DataFrame({"text": ge["text"].fillna("").astype(str), "label": ge["sentiment"]}),
        "sb10k_dev": pd.DataFrame({"text": sb["text"].fillna("").astype(str), "label": sb["sentiment"]}),
    }


def active_vs_random(texts: list[str], y: np.ndarray, X: np.ndarray, folds: int = 5) -> pd.DataFrame:
    rows = []
    default = SentimentModel()
    for fold, (train, test) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=0).split(X, y)):
        proba = default.predict_proba(None, features=X[train])
        emb = X[train, :512]
        pool_texts = [texts[i] for i in train]
        test_texts = [texts[i] for i in test]

        def fit(idx: np.ndarray) -> SentimentModel:
            return SentimentModel().fit([texts[i] for i in idx], y[idx].tolist(), features=X[idx])

        def score(model: SentimentModel) -> tuple[float, float]:
            m = classification_metrics(y[test].tolist(), model.predict(test_texts, features=X[test]).tolist())
            return m["micro_f1"], m["macro_f1"]

        mi, ma = score(default)
        rows.append({"fold": fold, "strategy": "shipped model", "size": 0, "micro_f1": mi, "macro_f1": ma})
        for size in SIZES:
            for name, div in STRATEGIES.items():
                picks = rank_for_labelling(proba, emb, size, texts=pool_texts, diversity=div)
                mi, ma = score(fit(train[picks]))
                rows.append({"fold": fold, "strategy": name, "size": size, "micro_f1": mi, "macro_f1": ma})
            for seed in RANDOM_SEEDS:
                picks = np.random.default_rng(1000 * fold + seed).choice(len(train), size, replace=False)
                mi, ma = score(fit(train[picks]))
                rows.append({"fold": fold, "strategy": "random", "size": size, "micro_f1": mi, "macro_f1": ma,
                             "seed": seed})
        for name, div in ROUNDS.items():
            picked = np.zeros(0, dtype=np.int64)
            model = default
            for size in SIZES:
                rest = np.setdiff1d(np.arange(len(train)), picked)
                rest_texts = [pool_texts[i] for i in rest]
                p = model.predict_proba(rest_texts, features=X[train[rest]])
                new = rank_for_labelling(p, emb[rest], size - len(picked), texts=rest_texts, diversity=div)
                picked = np.concatenate([picked, rest[new]])
                model = fit(train[picked])
                mi, ma = score(model)
                rows.append({"fold": fold, "strategy": name, "size": size, "micro_f1": mi, "macro_f1": ma})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("-o", "--output", type=Path, default=None, help="Write <output>.json and <output>.md")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    started = time.perf_counter()
    out: dict[str, dict] = {}
    md: list[str] = []
    for name, frame in load_sets(args.data_dir).items():
        t0 = time.perf_counter()
        texts, y = frame["text"].tolist(), frame["label"].to_numpy(dtype=object)
        X = sentiment_features(texts)
        t_feat = time.perf_counter() - t0
        curve = learning_curve(texts, y.tolist(), task="sentiment", sizes=(100, 200, 500, None), folds=args.folds,
                               features=X)
        avr = active_vs_random(texts, y, X, folds=args.folds)
        summary = (avr.groupby(["strategy", "size"])[["micro_f1", "macro_f1"]].agg(["mean", "std"]).round(4))
        summary.columns = [f"{a}_{b}" for a, b in summary.columns]
        summary = summary.reset_index()
        random200 = summary.query("strategy == 'random' and size == 200")["micro_f1_mean"].iloc[0]
        active = summary[summary["strategy"] == "active, rounds of 50 (default)"].sort_values("size")
        reach = active[active["micro_f1_mean"] >= random200]["size"]
        reach_size = int(reach.iloc[0]) if len(reach) else None
        out[name] = {"n": len(texts), "labels": frame["label"].value_counts().to_dict(),
                     "feature_seconds": round(t_feat, 1), "learning_curve": curve.to_dict("records"),
                     "active_vs_random": summary.to_dict("records"),
                     "random_200_micro_f1": float(random200), "active_labels_to_reach_random_200": reach_size}
        md += [f"## {name} (n={len(texts)}, {args.folds}-fold CV)", "", "Learning curve:", "",
               curve.to_string(index=False, float_format=lambda v: f"{v:.3f}"),
               "", "Active vs random (random: mean of 3 seeds per fold):", "",
               summary.to_string(index=False), "",
               f"random 200 micro-F1 {random200:.3f}; active reaches it with "
               f"{reach_size if reach_size else 'none of 50-200'} labels", ""]
        print("\n".join(md[-9:]), flush=True)
    out["seconds"] = round(time.perf_counter() - started, 1)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.with_suffix(".json").write_text(json.dumps(out, indent=2, default=float), encoding="utf-8")
        args.output.with_suffix(".md").write_text("\n".join(md) + f"\n\n{out['seconds']} s\n", encoding="utf-8")
    print(f"done in {out['seconds']} s")


if __name__ == "__main__":
    main()

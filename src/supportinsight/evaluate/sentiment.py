"""Score sentiment on gold labels: the shipped model side by side with VADER.

``evaluate_file`` scores a user's own labelled file; ``evaluate_shared`` scores the
reference sets in ``../shared/data``:

* GermEval 2017 dev (German, Deutsche Bahn): all documents and relevant-only;
* SB10k dev (German tweets); PotTS dev (German tweets, ``mixed`` rows left out);
* TweetEval val (English tweets). The shipped head is trained on this split, so its
  figure there is cross-validated: 5 folds, each predicted by a head rebuilt with the
  shipped recipe without that fold;
* VADER on the same sets (standard thresholds +-0.05), and both on the messages that
  contain emojis or emoticons;
* the adaptation curve: 5-fold CV on GermEval dev and SB10k dev, the shipped model and
  ``SentimentModel().fit`` with 100, 200, 500 and all training labels of each fold.

Nothing here prints; the CLI does.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..enrich.emoji import extract_emojis, extract_emoticons
from ..enrich.sentiment import CLASSES, LABEL_ALIASES, SentimentModel, sentiment_features
from ..errors import ConfigError, LabelError, LoadError, SchemaError
from .metrics import classification_metrics, write_json

__all__ = ["evaluate_file", "evaluate_shared", "vader_predict", "adaptation_curve"]

#: Training sizes of the adaptation curve (``None`` = all training labels of the fold).
CURVE_SIZES: tuple[int | None, ...] = (100, 200, 500, None)


def vader_predict(texts: list[str]) -> list[str]:
    """VADER's label with its authors' thresholds (compound >= 0.05 positive, <= -0.05 negative)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    out = []
    for t in texts:
        c = sia.polarity_scores(t)["compound"]
        out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
    return out


def _has_emoji(text: str) -> bool:
    return bool(extract_emojis(text) or extract_emoticons(text))


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True)
        if suffix == ".json":
            return pd.read_json(path)
        if suffix in (".tsv", ".tab"):
            return pd.read_csv(path, sep="\t")
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(path)
        return pd.read_csv(path)
    except FileNotFoundError:
        raise LoadError("file not found", file=str(path)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError(f"cannot read it as a table: {exc}", file=str(path)) from exc


def _labelled(frame: pd.DataFrame, text_col: str, label_col: str, path: Path) -> tuple[list[str], list[str]]:
    for col in (text_col, label_col):
        if col not in frame.columns:
            raise SchemaError(f"not found in {path} (columns: {list(frame.columns)[:12]})", column=col)
    texts, labels = [], []
    for i, (t, lab) in enumerate(zip(frame[text_col], frame[label_col])):
        key = str(lab).strip().lower()
        if pd.isna(lab) or key not in LABEL_ALIASES:
            raise LoadError(f"label {lab!r} is not negative/neutral/positive (or neg/neu/pos, -1/0/1); "
                            "map or drop such rows first", file=str(path), row=i + 2, field=label_col)
        texts.append("" if pd.isna(t) else str(t))
        labels.append(LABEL_ALIASES[key])
    return texts, labels


def _side_by_side(texts: list[str], gold: list[str], ours: list[str], vader: list[str] | None) -> dict[str, Any]:
    result: dict[str, Any] = {"n": len(gold), "ours": classification_metrics(gold, ours)}
    if vader is not None:
        result["vader"] = classification_metrics(gold, vader)
    emoji_rows = [i for i, t in enumerate(texts) if _has_emoji(t)]
    if emoji_rows:
        sub = {"n": len(emoji_rows), "ours": classification_metrics([gold[i] for i in emoji_rows],
                                                                    [ours[i] for i in emoji_rows])}
        if vader is not None:
            sub["vader"] = classification_metrics([gold[i] for i in emoji_rows], [vader[i] for i in emoji_rows])
        result["with_emoji_or_emoticon"] = sub
    result["majority_baseline_micro_f1"] = float(pd.Series(gold).value_counts(normalize=True).iloc[0]) if gold else 0.0
    return result


def evaluate_file(path: str | Path, *, text_col: str = "text", label_col: str = "label",
                  output: str | Path | None = None, model: str | Path | SentimentModel | None = None,
                  train: str | Path | None = None, vader: bool = True, **_: Any) -> dict[str, Any]:
    """Score the shipped (or given, or freshly adapted) sentiment model on a labelled file, VADER alongside.

    Parameters
    ----------
    path:
        CSV, TSV, JSON(L), Parquet or Excel file with a text and a label column; labels
        negative/neutral/positive (or neg/neu/pos, -1/0/1).
    text_col, label_col:
        Column names.
    output:
        Optional JSON file for the metrics.
    model:
        A :class:`SentimentModel`, or a folder written by :meth:`SentimentModel.save`
        (default: the shipped model).
    train:
        Instead of ``model``: adapt ``SentimentModel()`` to this labelled file (same
        columns) first, e.g. a train split scored on its dev split.
    vader:
        Also score VADER.

    Returns
    -------
    dict
        ``{"task", "data", "n", "ours": {...}, "vader": {...}, "with_emoji_or_emoticon": {...}}``.
    """
    path = Path(path)
    texts, gold = _labelled(_read_table(path), text_col, label_col, path)
    if not texts:
        raise LoadError("no labelled rows", file=str(path))
    if train is not None and model is not None:
        raise ConfigError("pass either model= or train=, not both")
    if train is not None:
        train = Path(train)
        ttexts, tgold = _labelled(_read_table(train), text_col, label_col, train)
        if not ttexts:
            raise LoadError("no labelled rows", file=str(train))
        model = SentimentModel().fit(ttexts, tgold)
    elif model is not None and not isinstance(model, SentimentModel):
        model = SentimentModel.load(model)
    started = time.perf_counter()
    ours = list((model or SentimentModel()).predict(texts))
    result = {"task": "sentiment", "data": str(path), "model": (model or SentimentModel()).version,
              "trained_on": None if train is None else str(train),
              **_side_by_side(texts, gold, ours, vader_predict(texts) if vader else None),
              "seconds": round(time.perf_counter() - started, 2)}
    if output is not None:
        write_json(result, output)
    return result


# -- shared reference sets -------------------------------------------------------------

def _load_shared(data_dir: Path) -> dict[str, pd.DataFrame]:
    sets: dict[str, pd.DataFrame] = {}
    ge = data_dir / "germeval2017" / "dev.jsonl"
    if ge.is_file():
        frame = pd.read_json(ge, lines=True)
        sets["germeval2017_dev"] = frame.assign(label=frame["sentiment"])[["text", "label", "relevance"]]
    sb = data_dir / "german_sentiment" / "sb10k_dev.csv"
    if sb.is_file():
        sets["sb10k_dev"] = pd.read_csv(sb).rename(columns={"sentiment": "label"})[["text", "label"]]
    po = data_dir / "german_sentiment" / "potts_dev.csv"
    if po.is_file():
        frame = pd.read_csv(po).rename(columns={"sentiment": "label"})
        sets["potts_dev_without_mixed"] = frame[frame["label"].isin(CLASSES)][["text", "label"]]
    tw = data_dir / "tweeteval" / "val.csv"
    if tw.is_file():
        sets["tweeteval_val"] = pd.read_csv(tw).rename(columns={"sentiment": "label"})[["text", "label"]]
    if not sets:
        raise LoadError("none of the reference sets (germeval2017/dev.jsonl, german_sentiment/sb10k_dev.csv, "
                        "tweeteval/val.csv) was found; pass --data-dir pointing at the shared data", file=str(data_dir))
    for name, frame in sets.items():
        bad = ~frame["label"].isin(CLASSES)
        if bad.any():
            raise LabelError(f"{name}: unexpected labels {sorted(frame.loc[bad, 'label'].unique())[:5]}")
        sets[name] = frame.assign(text=frame["text"].fillna("").astype(str)).reset_index(drop=True)
    return sets


def _tweeteval_cross_validated(data_dir: Path, tweets: pd.DataFrame) -> list[str]:
    """Out-of-fold predictions of the shipped recipe on TweetEval val (the head trains on it)."""
    from ..enrich.sentiment import _normalise_labels, _shipped
    from ..train.sentiment import cross_validated_proba, training_data

    meta = _shipped()["meta"]
    data = training_data(data_dir)
    y = _normalise_labels(data["label"])
    X = sentiment_features(data["text"].tolist())
    held = np.where((data["source"] == "tweeteval").to_numpy())[0]
    proba = cross_validated_proba(X, y, data["weight"].to_numpy(float), C=meta["C"],
                                  class_weight=meta["class_weight"], held_out=held)
    pred_rows = dict(zip(held.tolist(), np.asarray(CLASSES)[proba.argmax(axis=1)]))
    # training_data keeps the file's row order, so row i of the file is row i of `data`
    return [pred_rows[i] for i in range(len(tweets))]


def adaptation_curve(texts: list[str], gold: list[str], *, sizes: tuple[int | None, ...] = CURVE_SIZES,
                     k: int = 5, seed: int = 0, features: np.ndarray | None = None,
                     relevant: np.ndarray | None = None) -> dict[str, Any]:
    """k-fold CV: the shipped model vs ``SentimentModel().fit`` on n training labels per fold.

    Returns micro/macro F1 per setting (mean over folds, and per fold). With
    ``relevant`` (a boolean mask) the micro-F1 on those rows is reported too.
    """
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(gold)
    X = sentiment_features(texts) if features is None else features
    rng = np.random.default_rng(seed)
    settings = ["default"] + [f"fit_{s if s is not None else 'all'}" for s in sizes]
    per_fold: dict[str, list[dict[str, float]]] = {s: [] for s in settings}
    for train, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        models = {"default": SentimentModel()}
        for size in sizes:
            pick = train if size is None or size >= len(train) else rng.choice(train, size, replace=False)
            models[f"fit_{size if size is not None else 'all'}"] = SentimentModel().fit(
                [texts[i] for i in pick], y[pick].tolist(), features=X[pick])
        for name, model in models.items():
            pred = model.predict([texts[i] for i in test], features=X[test])
            m = classification_metrics(y[test].tolist(), pred.tolist())
            row = {"micro_f1": m["micro_f1"], "macro_f1": m["macro_f1"], "macro_recall": m["macro_recall"]}
            if relevant is not None:
                rel = relevant[test]
                row["micro_f1_relevant"] = classification_metrics(y[test][rel].tolist(),
                                                                  pred[rel].tolist())["micro_f1"]
            per_fold[name].append(row)
    summary = {name: {key: float(np.mean([r[key] for r in rows])) for key in rows[0]}
               for name, rows in per_fold.items()}
    return {"folds": k, "sizes": [s if s is not None else "all" for s in sizes], "mean": summary,
            "per_fold": per_fold}


def evaluate_shared(data_dir: str | Path, output: str | Path | None = None, *, curve: bool = True,
                    pipeline: str = "fast", **kwargs: Any) -> dict[str, Any]:
    """Score the shipped model and VADER on every reference set found in ``data_dir``.

    Parameters
    ----------
    data_dir:
        The shared data folder (``../shared/data``).
    output:
        Optional JSON file for the metrics.
    curve:
        Also run the 5-fold adaptation curve on GermEval dev and SB10k dev (a few minutes).
    pipeline:
        ``"accurate"`` scores the fine-tuned e5 model instead
        (:func:`~supportinsight.evaluate.sentiment_accurate.evaluate_shared_accurate`).
    """
    if pipeline == "accurate":
        from .sentiment_accurate import evaluate_shared_accurate

        return evaluate_shared_accurate(data_dir, output, curve=curve, **kwargs)
    data_dir = Path(data_dir)
    started = time.perf_counter()
    sets = _load_shared(data_dir)
    model = SentimentModel()
    result: dict[str, Any] = {"task": "sentiment", "data_dir": str(data_dir), "model": model.version, "sets": {}}
    feats: dict[str, np.ndarray] = {}
    for name, frame in sets.items():
        texts, gold = frame["text"].tolist(), frame["label"].tolist()
        feats[name] = sentiment_features(texts)
        if name == "tweeteval_val":
            ours = _tweeteval_cross_validated(data_dir, frame)
            note = "ours: 5-fold cross-validated (the shipped head trains on this split)"
        else:
            ours = list(model.predict(texts, features=feats[name]))
            note = "ours: shipped model, never trained or tuned on this set"
        entry = {"note": note, **_side_by_side(texts, gold, ours, vader_predict(texts))}
        if name == "germeval2017_dev":
            rel = frame["relevance"].astype(bool).to_numpy()
            rtexts = [t for t, r in zip(texts, rel) if r]
            rgold = [g for g, r in zip(gold, rel) if r]
            rours = [o for o, r in zip(ours, rel) if r]
            entry["relevant_only"] = _side_by_side(rtexts, rgold, rours, vader_predict(rtexts))
        result["sets"][name] = entry
    if curve:
        result["adaptation_curve"] = {}
        for name in ("germeval2017_dev", "sb10k_dev"):
            if name in sets:
                frame = sets[name]
                rel = frame["relevance"].astype(bool).to_numpy() if "relevance" in frame else None
                result["adaptation_curve"][name] = adaptation_curve(
                    frame["text"].tolist(), frame["label"].tolist(), features=feats[name], relevant=rel)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if output is not None:
        write_json(result, output)
    return result

"""The shipped fast sentiment head with a neutral zone: a polar call whose probability is
below ``t`` reads neutral (and, last row, "positive" never answered).

    python benchmarks/sentiment_neutral_zone.py

Scores GermEval 2017 dev, SB10k dev, PotTS dev (without ``mixed``) and the hand-labelled
TWCS emoji tweets, micro-F1, from one ``SentimentModel().predict_proba`` per set. This is
the measurement behind "no threshold brings GermEval to always-neutral" in
``docs/QUALITY.md``; nothing here is shipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
THRESHOLDS = (0.0, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def sets() -> dict[str, tuple[list[str], np.ndarray]]:
    from supportinsight.enrich.sentiment import CLASSES
    from supportinsight.evaluate.sentiment import _load_shared  # the evaluation's own reading of the sets

    shared = _load_shared(SHARED)
    out = {name: (shared[key]["text"].tolist(), shared[key]["label"].to_numpy())
           for name, key in (("germeval", "germeval2017_dev"), ("sb10k_dev", "sb10k_dev"),
                             ("potts_dev", "potts_dev_without_mixed"))}
    tw = pd.read_json(HERE.parent / "tests" / "data" / "sentiment_twcs_emoji.jsonl", lines=True)
    tw = tw[tw["sentiment"].isin(CLASSES)]
    out["twcs_emoji"] = (tw["text"].tolist(), tw["sentiment"].to_numpy())
    return out


def main() -> None:
    import supportinsight as si
    from supportinsight.enrich.sentiment import CLASSES

    model = si.SentimentModel()
    data = sets()
    proba = {k: model.predict_proba(texts) for k, (texts, _) in data.items()}
    neutral, positive = CLASSES.index("neutral"), CLASSES.index("positive")
    labels = np.array(CLASSES)

    def row(name: str, pred_of) -> None:
        cells = [f"{k} {np.mean(labels[pred_of(proba[k])] == y):.3f}" for k, (_, y) in data.items()]
        print(f"{name:>16}  " + " | ".join(cells))

    for t in THRESHOLDS:
        def zone(p, t=t):
            pred = p.argmax(1)
            pred[(pred != neutral) & (p.max(1) < t)] = neutral
            return pred
        row(f"t={t}", zone)

    def never_positive(p):
        pred = p.argmax(1)
        pred[pred == positive] = neutral
        return pred
    row("never positive", never_positive)


if __name__ == "__main__":
    main()

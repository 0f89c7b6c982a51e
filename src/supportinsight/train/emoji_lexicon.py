"""Rebuild ``data/emoji/emoji_sentiment_ranking.tsv`` from the Emoji Sentiment Ranking v1.0.

Source: Kralj Novak, Smailović, Sluban, Mozetič (2015), "Sentiment of Emojis",
PLoS ONE 10(12): e0144296, CC BY-SA 4.0. The derived lexicon stays CC BY-SA 4.0.

    python -m supportinsight.train.emoji_lexicon --source ../shared/data/emoji_sentiment/Emoji_Sentiment_Data_v1.0.csv
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from ..errors import LoadError

#: Emojis seen fewer times than this are too noisy to keep.
MIN_OCCURRENCES = 5
#: Additive smoothing (one pseudo-count per class) so rare emojis lean neutral.
SMOOTHING = 1.0

OUT = Path(__file__).resolve().parents[1] / "data" / "emoji" / "emoji_sentiment_ranking.tsv"


def build(source: Path, out: Path = OUT) -> int:
    """Write the lexicon; returns the number of emojis kept."""
    rows = []
    with open(source, encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=2):
            try:
                neg, neu, pos = int(r["Negative"]), int(r["Neutral"]), int(r["Positive"])
            except (KeyError, ValueError) as exc:
                raise LoadError(f"bad count: {exc}", file=str(source), row=i) from exc
            n = neg + neu + pos
            if n < MIN_OCCURRENCES:
                continue
            total = n + 3 * SMOOTHING
            p_neg, p_neu, p_pos = ((neg + SMOOTHING) / total, (neu + SMOOTHING) / total, (pos + SMOOTHING) / total)
            rows.append((r["Emoji"], n, p_neg, p_neu, p_pos, p_pos - p_neg, r["Unicode name"].lower()))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write("# Derived from the Emoji Sentiment Ranking v1.0 (Kralj Novak et al. 2015), CC BY-SA 4.0.\n")
        fh.write("# Rebuild: python -m supportinsight.train.emoji_lexicon --source Emoji_Sentiment_Data_v1.0.csv\n")
        fh.write("emoji\toccurrences\tp_negative\tp_neutral\tp_positive\tpolarity\tname\n")
        for e, n, a, b, c, s, name in sorted(rows, key=lambda x: -x[1]):
            fh.write(f"{e}\t{n}\t{a:.4f}\t{b:.4f}\t{c:.4f}\t{s:.4f}\t{name}\n")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path,
                        default=Path("../shared/data/emoji_sentiment/Emoji_Sentiment_Data_v1.0.csv"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    print(f"wrote {build(args.source, args.out)} emojis to {args.out}")


if __name__ == "__main__":
    main()

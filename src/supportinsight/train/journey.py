"""Build the shipped learned journey mappers.

    python -m supportinsight.train.journey --data-dir ../shared/data [--pipeline fast|accurate|both]

For every shipped taxonomy and pipeline it trains the touchpoint and phase heads on

* the team-written examples the taxonomy carries (``data/journey/examples/``), and
* the Bitext (CDLA-Sharing-1.0) and BANKING77 (CC BY 4.0) training utterances whose
  intents map to a touchpoint (``data/journey/mappings/``),

and writes ``data/journey/heads/<taxonomy>.<pipeline>.{json,npz}``. The abstention
threshold is the lowest one that keeps touchpoint precision >= 0.80 on the golden set
of real messages (``tests/data/journey_golden_real.jsonl``); the threshold is the only
number taken from it, and ``supportinsight evaluate --task journey`` reports it
cross-validated (chosen on one half, scored on the other). A mapper is used only while
its taxonomy's fingerprint still matches, so rerun this after editing a shipped
taxonomy or its examples (a test checks that the files are current).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..journey.mapper import JourneyMapper
from ..journey.saved import write_parts
from ..journey.taxonomy import available_taxonomies, load_taxonomy
from ..journey.training import mapped_examples

OUT = Path(__file__).resolve().parents[1] / "data" / "journey" / "heads"
GOLDEN = Path(__file__).resolve().parents[3] / "tests" / "data" / "journey_golden_real.jsonl"
#: Precision the shipped threshold keeps on the golden set.
TARGET_PRECISION = 0.80


def _embedder(pipeline: str):
    from ..enrich.embeddings import accurate_embedder, default_embedder

    return default_embedder() if pipeline == "fast" else accurate_embedder()


def _phase_map(name: str) -> dict[str, str]:
    import yaml
    from importlib import resources

    data = yaml.safe_load(resources.files("supportinsight.data.journey").joinpath(f"{name}.yaml").read_text("utf-8"))
    return dict(data.get("phase_map") or {})


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


def golden_confidences(mapper: JourneyMapper, golden: Path = GOLDEN) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per golden message: the mapper's confidence in its best touchpoint (0 where it prefers
    "no touchpoint") and whether that touchpoint is the labelled one."""
    rows = [json.loads(line) for line in golden.read_text("utf-8").splitlines() if line.strip()]
    frame = pd.DataFrame({"text": [r["text"] for r in rows]})
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


def build(data_dir: Path, pipelines: tuple[str, ...] = ("fast", "accurate"), out: Path = OUT) -> list[Path]:
    written = []
    for pipeline in pipelines:
        emb = _embedder(pipeline)
        for name in available_taxonomies():
            tax = load_taxonomy(name)
            extra = mapped_examples(tax, data_dir, phase_map=_phase_map(name))
            mapper = JourneyMapper(name, embedder=emb, method="learned")
            mapper._compile()
            mapper._fit_learned([], [], [], extra=extra)
            if GOLDEN.is_file():
                conf, correct, gold_unknown = golden_confidences(mapper)
                mapper.parts_.threshold = choose_threshold(conf, correct, gold_unknown=gold_unknown)
            mapper.parts_.summary["threshold_chosen_on"] = "tests/data/journey_golden_real.jsonl" \
                if GOLDEN.is_file() else "default"
            written.append(write_parts(out, f"{name}.{pipeline}", mapper.parts_, None) / f"{name}.{pipeline}.json")
            print(f"{name}.{pipeline}: {mapper.parts_.summary} threshold {mapper.parts_.threshold}")
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    ap.add_argument("--pipeline", choices=("fast", "accurate", "both"), default="both")
    args = ap.parse_args(argv)
    pipelines = ("fast", "accurate") if args.pipeline == "both" else (args.pipeline,)
    build(args.data_dir, pipelines)


if __name__ == "__main__":
    main()

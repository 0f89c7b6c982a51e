"""Build a learned journey mapper from the team's examples and public data, and save it.

    python -m supportinsight.train.journey --data-dir ../shared/data -o models/journey-learned [--pipeline accurate]
    supportinsight evaluate --task journey --data-dir ../shared/data --model models/journey-learned

It trains the touchpoint and phase heads of ``JourneyMapper(method="learned")`` on

* the team-written examples of the default taxonomy (``data/journey/examples/``), and
* the Bitext (CDLA-Sharing-1.0) and BANKING77 (CC BY 4.0) training utterances whose
  intents map to a touchpoint (``data/journey/mappings/``),

and saves it like ``fit-journey`` does. The abstention threshold is the lowest one that
keeps touchpoint precision >= 0.80 on the golden set of real messages
(``tests/data/journey_golden_real.jsonl``), or, where none does, the most accurate one;
the threshold is the only number taken from that set, and the evaluation reports it
cross-validated (chosen on one half, scored on the other). The package ships no learned
mapper: on the golden set it measured no better than the zero-shot default
(``docs/QUALITY.md``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..evaluate.journey import GOLDEN_FILE, choose_threshold, golden_confidences
from ..journey.mapper import JourneyMapper
from ..journey.training import mapped_examples


def build(data_dir: Path, output: Path, pipeline: str = "fast", taxonomy: str = "default") -> JourneyMapper:
    from ..enrich.embeddings import accurate_embedder

    mapper = JourneyMapper(taxonomy, embedder=accurate_embedder() if pipeline == "accurate" else None,
                           method="learned")
    mapper._compile()
    mapper._fit_learned([], [], [], extra=mapped_examples(mapper.taxonomy_, data_dir))
    if GOLDEN_FILE.is_file():
        conf, correct, gold_unknown = golden_confidences(mapper)
        mapper.threshold_ = choose_threshold(conf, correct, gold_unknown=gold_unknown)
    mapper.save(output)
    print(f"{output}: {mapper.parts_.summary} threshold {mapper.threshold_}")
    return mapper


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    ap.add_argument("-o", "--output", type=Path, required=True, help="folder to save the mapper in")
    ap.add_argument("--pipeline", choices=("fast", "accurate"), default="fast")
    args = ap.parse_args(argv)
    build(args.data_dir, args.output, args.pipeline)


if __name__ == "__main__":
    main()

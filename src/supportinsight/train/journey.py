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
from pathlib import Path


from ..evaluate.journey import GOLDEN_FILE as GOLDEN, choose_threshold, golden_confidences
from ..journey.mapper import JourneyMapper
from ..journey.saved import write_parts
from ..journey.taxonomy import available_taxonomies, load_taxonomy
from ..journey.training import mapped_examples

OUT = Path(__file__).resolve().parents[1] / "data" / "journey" / "heads"


def _embedder(pipeline: str):
    from ..enrich.embeddings import accurate_embedder, default_embedder

    return default_embedder() if pipeline == "fast" else accurate_embedder()


def _phase_map(name: str) -> dict[str, str]:
    import yaml
    from importlib import resources

    data = yaml.safe_load(resources.files("supportinsight.data.journey").joinpath(f"{name}.yaml").read_text("utf-8"))
    return dict(data.get("phase_map") or {})


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

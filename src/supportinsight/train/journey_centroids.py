"""Build the precomputed touchpoint centres of the shipped taxonomies.

    python -m supportinsight.train.journey_centroids

Writes ``src/supportinsight/data/journey/<name>.centroids.npz`` (centres, the
taxonomy fingerprint and the embedder name) for every shipped taxonomy, and
``<name>.e5.centroids.npz`` with the accurate pipeline's encoder (multilingual-e5-small). The
mapper uses a file only when both still match, so rerun this after editing a
shipped taxonomy YAML (a test checks that the files are current).

    python -m supportinsight.train.journey_centroids --scale

prints the accurate encoder's ``similarity_scale`` (:func:`similarity_scale`): the cosines
at which the zero-shot mapper starts and stops counting a message as like a touchpoint,
matched by quantile to the fast encoder's 0.15 and 0.55 over the customer messages of
``data/samples`` (texts only, no labels).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ..enrich.embeddings import accurate_embedder, default_embedder
from ..journey.taxonomy import UNKNOWN
from ..journey.zero_shot import touchpoint_centroids
from ..journey.taxonomy import available_taxonomies, load_taxonomy

OUT = Path(__file__).resolve().parents[1] / "data" / "journey"
#: Customer messages to match cosine quantiles on (the repository's sample exports).
SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


def build(out: Path = OUT) -> list[Path]:
    written = []
    for name in available_taxonomies():
        for emb, suffix in ((default_embedder(), "centroids.npz"), (accurate_embedder(), "e5.centroids.npz")):
            written.append(_write(name, emb, out / f"{name}.{suffix}"))
    return written


def _write(name: str, emb, path: Path) -> Path:
    tax = load_taxonomy(name)
    tps = [t for t in tax.touchpoints if t.id != UNKNOWN]
    np.savez_compressed(path, centroids=touchpoint_centroids(tps, emb), fingerprint=np.array(tax.fingerprint),
                        embedder=np.array(emb.name), touchpoints=np.array([t.id for t in tps]))
    return path


def sample_texts(folder: Path = SAMPLES) -> list[str]:
    """The distinct customer messages of the sample exports, as the encoders read them."""
    import warnings

    import pandas as pd

    from ..enrich.base import analysis_text
    from ..loaders import load

    frames = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".md", ".py"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the samples' quarantined rows are deliberate
            frames.append(load(path))
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["author_role"] == "customer"]
    return [t for t in dict.fromkeys(analysis_text(frame).tolist()) if t.strip()]


def similarity_scale(embedder, reference=None, texts: list[str] | None = None,
                     taxonomy: str = "default") -> tuple[float, float]:
    """``embedder``'s cosines at the quantiles where ``reference`` (default: the fast
    encoder) has its own ``similarity_scale``, over all message-to-centre cosines of
    ``texts`` (default: :func:`sample_texts`), rounded to three decimals."""
    from ..journey.mapper import JourneyMapper

    reference = reference if reference is not None else default_embedder()
    texts = sample_texts() if texts is None else texts
    sims = []
    for emb in (reference, embedder):
        mapper = JourneyMapper(taxonomy, embedder=emb).fit()
        sims.append((np.asarray(emb.encode(texts), dtype=np.float64) @ mapper.centroids_.T).ravel())
    ref, own = sims
    out = []
    for v in reference.similarity_scale:
        q = float((ref < v).mean())
        out.append(round(float(np.quantile(own, q)), 3))
    return out[0], out[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the shipped touchpoint centres (and derive an encoder's "
                                                 "similarity scale).")
    parser.add_argument("--scale", action="store_true",
                        help="print the accurate encoder's similarity_scale instead of writing centres")
    args = parser.parse_args(argv)
    if args.scale:
        print(similarity_scale(accurate_embedder()))
        return
    for p in build():
        print(p)


if __name__ == "__main__":
    main()

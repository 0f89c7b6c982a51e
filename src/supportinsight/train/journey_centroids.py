"""Build the precomputed touchpoint centres of the shipped taxonomies.

    python -m supportinsight.train.journey_centroids

Writes ``src/supportinsight/data/journey/<name>.centroids.npz`` (centres, the
taxonomy fingerprint and the embedder name) for every shipped taxonomy, and
``<name>.e5.centroids.npz`` with the accurate pipeline's encoder (multilingual-e5-small). The
mapper uses a file only when both still match, so rerun this after editing a
shipped taxonomy YAML (a test checks that the files are current).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..enrich.embeddings import accurate_embedder, default_embedder
from ..journey.taxonomy import UNKNOWN
from ..journey.zero_shot import touchpoint_centroids
from ..journey.taxonomy import available_taxonomies, load_taxonomy

OUT = Path(__file__).resolve().parents[1] / "data" / "journey"


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


if __name__ == "__main__":
    for p in build():
        print(p)

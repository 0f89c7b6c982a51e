"""Build the precomputed touchpoint centres of the shipped taxonomies.

    python -m supportinsight.train.journey_centroids

Writes ``src/supportinsight/data/journey/<name>.centroids.npz`` (centres, the
taxonomy fingerprint and the embedder name) for every shipped taxonomy. The
mapper uses a file only when both still match, so rerun this after editing a
shipped taxonomy YAML (a test checks that the files are current).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..enrich.embeddings import default_embedder
from ..journey.mapper import UNKNOWN, touchpoint_centroids
from ..journey.taxonomy import available_taxonomies, load_taxonomy

OUT = Path(__file__).resolve().parents[1] / "data" / "journey"


def build(out: Path = OUT) -> list[Path]:
    emb = default_embedder()
    written = []
    for name in available_taxonomies():
        tax = load_taxonomy(name)
        tps = [t for t in tax.touchpoints if t.id != UNKNOWN]
        path = out / f"{tax.name}.centroids.npz"
        np.savez_compressed(path, centroids=touchpoint_centroids(tps, emb), fingerprint=np.array(tax.fingerprint),
                            embedder=np.array(emb.name), touchpoints=np.array([t.id for t in tps]))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)

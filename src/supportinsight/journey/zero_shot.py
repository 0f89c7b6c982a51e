"""Zero-shot journey scores: cue phrases plus similarity to touchpoint centroids.

Used for a taxonomy that carries no examples (nothing to learn from), and as the
explanation of which cues a message holds. For every touchpoint ``t``::

    cue_part(t)   = 1 - exp(-sum of cue weights of t found in the message)
    sim_part(t)   = clip((cos(message, centroid(t)) - similarity_floor)
                         / (similarity_ceiling - similarity_floor), 0, 1)
    score(t)      = cue_weight * cue_part(t) + similarity_weight * sim_part(t)

The centroid of a touchpoint is the normalised mean of its German and English
descriptions and its cue phrases, embedded with the pipeline's encoder, so a message
with no cue at all can still land on a touchpoint when it is close enough in meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .taxonomy import JourneyTaxonomy

__all__ = ["touchpoint_centroids", "shipped_centroids", "zero_shot_scores"]


def touchpoint_centroids(tps: Sequence[Any], emb: Any) -> np.ndarray:
    """One normalised embedding centre per touchpoint: its descriptions plus its cue phrases."""
    cents = []
    for t in tps:
        desc = emb.encode([t.description_en, t.description_de])
        cues = emb.encode([f"{t.label_en}: {c}" for c in t.cues_en] + [f"{t.label_de}: {c}" for c in t.cues_de])
        v = desc.mean(axis=0) + cues.mean(axis=0)
        cents.append(v / max(float(np.linalg.norm(v)), 1e-12))
    return np.stack(cents).astype(np.float32)


def shipped_centroids(tax: JourneyTaxonomy, emb: Any) -> np.ndarray | None:
    """Precomputed centres of a shipped taxonomy (``data/journey/<name>.centroids.npz``).

    Embedding a few thousand cue phrases costs seconds in every new process; the
    shipped taxonomies carry their centres, built by
    ``python -m supportinsight.train.journey_centroids``. They are used only when
    the taxonomy's content fingerprint and the embedder match, so an edited or
    user-supplied taxonomy is always embedded afresh.
    """
    from importlib.resources import files

    from ..enrich.embeddings import E5Embedder, USEEmbedder

    suffix = {USEEmbedder: "centroids.npz", E5Embedder: "e5.centroids.npz"}.get(type(emb))
    if suffix is None:
        return None
    try:
        data = files("supportinsight").joinpath(f"data/journey/{tax.name}.{suffix}").read_bytes()
    except (FileNotFoundError, OSError):
        return None
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        if str(npz["fingerprint"]) != tax.fingerprint or str(npz["embedder"]) != emb.name:
            return None
        return npz["centroids"].astype(np.float32)



def zero_shot_scores(cues: np.ndarray, sims: np.ndarray | None, *, cue_weight: float, similarity_weight: float,
                     similarity_floor: float, similarity_ceiling: float) -> np.ndarray:
    """The score formula of the module docstring; ``cues`` from :func:`~supportinsight.journey.cues.cue_matrix`."""
    score = cue_weight * cues
    if sims is not None:
        part = np.clip((sims - similarity_floor) / (similarity_ceiling - similarity_floor), 0, 1)
        score = score + similarity_weight * part
    return score.astype(np.float32)

"""The shipped touchpoint centres match the shipped taxonomies (rebuild: python -m supportinsight.train.journey_centroids)."""

from __future__ import annotations

import numpy as np
import pytest

from supportinsight.enrich.embeddings import default_embedder
from supportinsight.journey.mapper import UNKNOWN, JourneyMapper
from supportinsight.journey.zero_shot import shipped_centroids as _shipped_centroids, touchpoint_centroids
from supportinsight.journey.taxonomy import available_taxonomies, load_taxonomy


@pytest.mark.parametrize("name", available_taxonomies())
def test_journey_centroids_shipped_are_current(name):
    tax = load_taxonomy(name)
    shipped = _shipped_centroids(tax, default_embedder())
    assert shipped is not None, "stale or missing centroids: run python -m supportinsight.train.journey_centroids"
    fresh = touchpoint_centroids([t for t in tax.touchpoints if t.id != UNKNOWN], default_embedder())
    assert np.allclose(shipped, fresh, atol=1e-4)


def test_journey_centroids_not_used_for_an_edited_taxonomy():
    tax = load_taxonomy("default").to_dict()
    tax["touchpoints"][0]["description_en"] = "Something else entirely."
    edited = load_taxonomy(tax)
    assert _shipped_centroids(edited, default_embedder()) is None
    assert JourneyMapper(taxonomy=edited).fit().centroids_.shape[0] == len(edited.touchpoints) - 1


@pytest.mark.slow
@pytest.mark.parametrize("name", available_taxonomies())
def test_journey_centroids_shipped_for_the_accurate_encoder_are_current(name):
    from supportinsight.enrich.embeddings import accurate_embedder

    tax = load_taxonomy(name)
    emb = accurate_embedder("cpu")
    shipped = _shipped_centroids(tax, emb)
    assert shipped is not None, "stale or missing e5 centroids: run python -m supportinsight.train.journey_centroids"
    fresh = touchpoint_centroids([t for t in tax.touchpoints if t.id != UNKNOWN], emb)
    assert np.allclose(shipped, fresh, atol=1e-3)

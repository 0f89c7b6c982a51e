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


@pytest.mark.slow
def test_journey_accurate_encoder_similarity_scale_is_current_and_used():
    # e5's cosines all lie near 0.82-0.92: with the fast encoder's floor and ceiling every
    # message was like every touchpoint (golden coverage 1.0, accuracy 0.229 on 2026-12-07)
    from supportinsight.encoders.e5_embedder import E5Embedder
    from supportinsight.enrich.embeddings import accurate_embedder
    from supportinsight.train.journey_centroids import sample_texts, similarity_scale

    emb = accurate_embedder("cpu")
    texts = sample_texts()
    assert len(texts) > 150
    assert similarity_scale(emb, texts=texts) == pytest.approx(E5Embedder.similarity_scale, abs=0.002), \
        "stale scale: run python -m supportinsight.train.journey_centroids --scale and update E5Embedder"
    mapper = JourneyMapper(embedder=emb).fit()
    assert mapper._similarity_scale() == E5Embedder.similarity_scale
    out = mapper.map(["hä?", "Guten Morgen zusammen", "Paket ist nicht angekommen", "the app crashes at login"])
    assert out["touchpoint"].tolist()[2:] == ["delivery", "app"]
    assert (out["touchpoint"] == "unknown").sum() >= 1


def test_journey_similarity_scale_given_or_from_the_encoder():
    class Wide:
        similarity_scale = (0.5, 0.9)

    assert JourneyMapper(embedder=Wide())._similarity_scale() == (0.5, 0.9)
    assert JourneyMapper(embedder=Wide(), similarity_floor=0.6)._similarity_scale() == (0.6, 0.9)
    assert JourneyMapper(similarity_floor=0.1, similarity_ceiling=0.2)._similarity_scale() == (0.1, 0.2)
    assert JourneyMapper()._similarity_scale() == (0.15, 0.55)

"""The packaged multilingual embedder: shape, normalisation, cache, cross-lingual space."""

from __future__ import annotations

import numpy as np
import pytest

from supportinsight.enrich.embeddings import USEEmbedder, default_embedder
from supportinsight.errors import ConfigError


def test_embeddings_shape_and_norm():
    vecs = default_embedder().encode(["Paket ist nicht da 😡", "", "Where is my parcel?"])
    assert vecs.shape == (3, 512) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_embeddings_single_string_gives_vector():
    assert default_embedder().encode("hallo").shape == (512,)


def test_embeddings_cache_reuses_vectors(monkeypatch):
    emb = USEEmbedder(cache_size=10)
    first = emb.encode(["eins", "zwei"])
    calls = []
    monkeypatch.setattr(emb, "_encode", lambda texts: calls.append(texts) or np.ones((len(texts), 512)))
    again = emb.encode(["zwei", "eins"])
    assert calls == []
    assert np.allclose(again, first[::-1])


def test_embeddings_cache_owns_its_vectors_and_stays_bounded(monkeypatch):
    # cached rows must not be views of the batch array: a view keeps the whole batch alive
    # after the other rows are evicted, and a long stream would grow without bound
    emb = USEEmbedder(cache_size=3, batch_size=4)
    monkeypatch.setattr(emb, "_encode", lambda texts: np.random.default_rng(0).random((len(texts), 512)))
    emb.encode([f"text {i}" for i in range(8)])
    assert len(emb._cache) == 3
    assert all(v.base is None and v.flags.owndata for v in emb._cache.values())
    assert emb.cache_size == 3 and USEEmbedder().cache_size == 50_000


def test_embeddings_german_english_translation_closer_than_unrelated():
    de, en, other = default_embedder().encode([
        "Meine Bestellung ist immer noch nicht angekommen",
        "My order still hasn't arrived",
        "Die App stürzt beim Login ab",
    ])
    assert de @ en > 0.6
    assert de @ en > de @ other + 0.2


def test_embedder_rejects_bad_parameters():
    with pytest.raises(ConfigError, match="batch_size"):
        USEEmbedder(batch_size=0)

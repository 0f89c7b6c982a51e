"""Saved models name their encoder; the registry gives it back, and a third encoder is one registration."""

import numpy as np
import pytest

from supportinsight.encoders import registry
from supportinsight.encoders.base import Embedder
from supportinsight.encoders.e5_embedder import E5Embedder
from supportinsight.encoders.use import USEEmbedder
from supportinsight.errors import ConfigError, ModelError


def test_the_pipelines_encoders_come_back_shared():
    assert registry.embedder_named(USEEmbedder.name) is registry.default_embedder()
    assert registry.embedder_named(E5Embedder.name) is registry.accurate_embedder()


def test_an_unknown_encoder_is_refused_naming_the_known_ones():
    with pytest.raises(ModelError, match="usem3-multilingual-v3"):
        registry.embedder_named("no-such-encoder")


class _Letters(Embedder):
    """A third encoder in a few lines: counts of a, e, i, o (enough to test the plumbing)."""

    name, dim = "letters-4", 4

    def _encode(self, texts):
        return np.array([[t.count(c) + 1e-3 for c in "aeio"] for t in texts], dtype=np.float32)


def test_a_third_encoder_is_one_class_and_one_registration(monkeypatch):
    monkeypatch.setattr(registry, "ENCODERS", dict(registry.ENCODERS))
    registry.register(_Letters.name, lambda name: _Letters())
    emb = registry.embedder_named("letters-4")
    vecs = emb.encode(["aaa", "eee", "aaa"])
    assert vecs.shape == (3, 4) and np.allclose(np.linalg.norm(vecs, axis=1), 1)
    assert np.allclose(vecs[0], vecs[2])
    with pytest.raises(ConfigError, match="already registered"):
        registry.register(_Letters.name, lambda name: _Letters())


def test_a_saved_intent_model_with_a_registered_encoder_loads_with_it(monkeypatch, tmp_path):
    import supportinsight as si

    monkeypatch.setattr(registry, "ENCODERS", dict(registry.ENCODERS))
    registry.register(_Letters.name, lambda name: _Letters())
    texts = ["wo ist mein paket", "paket fehlt", "rechnung falsch", "rechnung doppelt"] * 3
    labels = ["delivery", "delivery", "billing", "billing"] * 3
    clf = si.IntentClassifier(embedder=_Letters(), pretrained=None, cues=False, ngrams=False).fit(texts, labels)
    clf.save(tmp_path / "m")
    back = si.IntentClassifier.load(tmp_path / "m")
    assert isinstance(back._embedder(), _Letters)
    assert list(back.predict(texts)) == list(clf.predict(texts))

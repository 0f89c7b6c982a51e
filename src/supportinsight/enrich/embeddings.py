"""Sentence embedders under their old import path; they live in :mod:`supportinsight.encoders`.

One file per encoder there, behind :class:`~supportinsight.encoders.base.Embedder`: the
packaged multilingual USE v3 (:mod:`~supportinsight.encoders.use`) is the default, e5
(:mod:`~supportinsight.encoders.e5_embedder`) the accurate pipeline's, and any local
sentence-transformers model (:mod:`~supportinsight.encoders.sentence_transformer`) is there
on request. Every embedder returns L2-normalised ``float32`` arrays of shape ``(n, dim)``
and caches vectors by a hash of the text, so the steps that ask for the same message pay
for it once.
"""

from __future__ import annotations

# CACHE_SIZE, _key, model_view, _SentencePiece and _reference_tokenizer: importable from here as before
from ..encoders.base import CACHE_SIZE, Embedder, _key  # noqa: F401
from ..encoders.e5_embedder import E5Embedder, model_view  # noqa: F401
from ..encoders.registry import accurate_embedder, default_embedder
from ..encoders.sentence_transformer import SentenceTransformerEmbedder
from ..encoders.use import USEEmbedder, _reference_tokenizer, _SentencePiece  # noqa: F401

__all__ = ["Embedder", "USEEmbedder", "SentenceTransformerEmbedder", "E5Embedder", "default_embedder",
           "accurate_embedder"]

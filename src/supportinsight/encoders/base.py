"""The sentence-embedder interface every encoder implements, and the vector cache they share.

An embedder returns L2-normalised ``float32`` arrays of shape ``(n, dim)`` and caches
vectors by a hash of the text it reads, so the sentiment head, the intent classifier,
the journey mapper and the topic model can all ask for the same message and pay for it
once. A subclass sets ``name`` and ``dim`` and implements :meth:`Embedder._encode`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from ..errors import ConfigError

__all__ = ["Embedder", "CACHE_SIZE"]


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: Default vectors an embedder caches: about 100 MB at 512 dimensions, more than one
#: annotation chunk (see :class:`Embedder`).
CACHE_SIZE = 50_000


class Embedder:
    """Base class: subclasses implement :meth:`_encode` for a list of unique strings.

    Parameters
    ----------
    cache_size:
        How many vectors to keep (least recently used are dropped); 0 disables the cache.
        The default 50,000 (about 100 MB at 512 dimensions) holds more than one annotation
        chunk, so every step of a chunk shares its vectors, and it is reached early in a long
        stream, so it stops adding to peak memory early (the former 200,000 held about
        440 MB once full, which a 100k run never reached but a 1M stream did).
    batch_size:
        Texts per call to the underlying model.
    """

    name: str = "embedder"
    dim: int = 0
    #: Cosines to a touchpoint's centre at which a message starts, and stops, counting as
    #: like it: the zero-shot journey mapper's default ``similarity_floor`` and
    #: ``similarity_ceiling``. Each encoder has its own spread of cosines; these are the
    #: fast encoder's (USE), and an encoder whose cosines sit elsewhere sets its own
    #: (``python -m supportinsight.train.journey_centroids --scale`` derives one).
    similarity_scale: tuple[float, float] = (0.15, 0.55)

    def __init__(self, *, cache_size: int = CACHE_SIZE, batch_size: int = 256) -> None:
        if cache_size < 0:
            raise ConfigError(f"cache_size must be >= 0, got {cache_size!r}")
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size!r}")
        self.cache_size = cache_size
        self.batch_size = batch_size
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    # subclasses -----------------------------------------------------------
    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # public ---------------------------------------------------------------
    @staticmethod
    def view(text: str) -> str:
        """What the encoder reads of ``text``: all of it here; :class:`~.e5_embedder.E5Embedder`
        drops links and @handles (:func:`~.e5_embedder.model_view`). Identical views share one
        cache entry."""
        return text

    def encode(self, texts: str | Iterable[str], *, show_progress_bar: bool = False) -> np.ndarray:
        """Embed one text (returns ``(dim,)``) or many (returns ``(n, dim)``), normalised.

        Each text is read through :meth:`view`; identical views are encoded once.
        """
        single = isinstance(texts, str)
        view = self.view
        items: list[str] = [view(texts)] if single else [view("" if t is None else str(t)) for t in texts]
        keys = [_key(t) for t in items]
        missing: dict[bytes, str] = {}
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for k, t in zip(keys, items):
                v = self._cache.get(k)
                if v is not None:
                    self._cache.move_to_end(k)
                    found[k] = v
                elif k not in missing:
                    missing[k] = t
        if missing:
            todo = list(missing.items())
            # sort by length so batches are even; results go back by key
            todo.sort(key=lambda kv: len(kv[1]))
            bar = None
            if show_progress_bar and len(todo) > self.batch_size:
                from tqdm.auto import tqdm

                bar = tqdm(total=len(todo), desc=f"embedding ({self.name})", unit="msg")
            for start in range(0, len(todo), self.batch_size):
                chunk = todo[start:start + self.batch_size]
                vecs = np.asarray(self._encode([t for _, t in chunk]), dtype=np.float32)
                norms = np.linalg.norm(vecs, axis=1, keepdims=True)
                vecs = vecs / np.maximum(norms, 1e-12)
                for (k, _), v in zip(chunk, vecs):
                    found[k] = v
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
            if self.cache_size:
                with self._lock:
                    for k in missing:
                        # a copy, not a row view: a view would keep its whole batch array alive
                        # after the other rows are evicted, and memory would creep up in a stream
                        self._cache[k] = found[k].copy()
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [found[k] for k in keys]
        # one array for the result: stacking into a float32 ``out`` skips the copy a cast would make
        out = np.stack(rows, out=np.empty((len(rows), rows[0].shape[-1]), dtype=np.float32))
        return out[0] if single else out

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"


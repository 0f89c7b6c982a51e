"""Fine-tune the top layers of multilingual-e5-small with a classification head.

Why the top layers and not LoRA on every layer: on a CPU, back-propagating through
all twelve layers costs three forward passes per example and epoch. Freezing the
lower ``12 - k`` layers lets their token states be computed *once* per text (the
same pass that gives the frozen embedding), and only the top ``k`` layers and the
head are trained over those cached states, for every epoch and every
cross-validation fold. ``docs/ACCURATE.md`` records how ``k`` was chosen and what
training all twelve layers or LoRA adapters gave instead (no more accuracy, two to three
times the time; ``benchmarks/bench_finetune_depth.py``).

The trainable part, :class:`TopLayersClassifier`, is a copy of the encoder's top
``k`` layers, mean pooling over the message's tokens, dropout and a linear layer.
Training is seeded (same input, same model), uses AdamW with a linear warm-up and
decay, and stops early on a held-out slice of the training labels.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..errors import ConfigError
from .bert import BertEncoder, mean_pool

__all__ = ["TopLayersClassifier", "TrainConfig", "train_classifier", "predict_logits", "pad_states"]


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one fine-tuning run (all have measured defaults)."""

    epochs: int = 4
    batch_size: int = 32
    lr: float = 1e-4
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    dropout: float = 0.1
    patience: int = 2
    val_fraction: float = 0.1
    max_tokens: int = 256
    seed: int = 0
    label_smoothing: float = 0.0
    #: Train at least this many optimiser steps (more epochs on small sets): a new head over many
    #: classes needs them; early stopping still keeps the best epoch.
    min_steps: int = 0
    #: How a new head starts: ``"random"`` (small random weights), or ``"probe"``, from a logistic
    #: regression on the pooled features of the training rows (linear probing before fine-tuning,
    #: LP-FT: Kumar et al. 2022, "Fine-Tuning can Distort Pretrained Features"). Intent fine-tuning
    #: (many classes, few examples each) probes: BANKING77 10 per class 0.783 -> 0.804. The
    #: sentiment recipe (three classes, 7,600 examples) scored lower probed (GermEval dev 0.618 ->
    #: 0.590), so random stays the default. A head taken over from an earlier model keeps its
    #: weights either way.
    head_init: str = "random"

    def check(self) -> None:
        for name in ("epochs", "batch_size", "max_tokens", "patience"):
            v = getattr(self, name)
            if not (isinstance(v, int) and v >= 1):
                raise ConfigError(f"{name} must be an int >= 1, got {v!r}")
        for name in ("lr", "head_lr"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and v > 0):
                raise ConfigError(f"{name} must be a positive number, got {v!r}")
        if not 0 <= self.val_fraction < 0.5:
            raise ConfigError(f"val_fraction must be in [0, 0.5), got {self.val_fraction!r}")
        if self.head_init not in ("probe", "random"):
            raise ConfigError(f"head_init must be 'probe' or 'random', got {self.head_init!r}")


class TopLayersClassifier(nn.Module):
    """Top ``k`` encoder layers + mean pooling + a linear head.

    ``layers`` are copied from the frozen encoder, so training never changes it.
    """

    def __init__(self, layers, n_classes: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.layers = nn.ModuleList(copy.deepcopy(layer) for layer in layers)
        self.layers.requires_grad_(True)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.layers[0].q.in_features, n_classes)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def pool(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The top layers over the lower layers' states, mean-pooled: what the head reads."""
        bias = BertEncoder.attention_bias(mask, hidden.dtype)
        x = hidden
        for layer in self.layers:
            x = layer(x, bias)
        return mean_pool(x, mask)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.pool(hidden, mask)))


def pad_states(states: Sequence[np.ndarray], index: np.ndarray, max_tokens: int):
    """A padded ``(b, t, h)`` tensor and its mask for ``states[index]``, each cut to ``max_tokens``."""
    rows = [states[i][:max_tokens] for i in index]
    width = max(len(r) for r in rows)
    hidden = rows[0].shape[1]
    x = np.zeros((len(rows), width, hidden), dtype=np.float32)
    mask = np.zeros((len(rows), width), dtype=np.float32)
    for j, r in enumerate(rows):
        x[j, :len(r)] = r
        mask[j, :len(r)] = 1.0
    return torch.from_numpy(x), torch.from_numpy(mask)


def _batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length: random order, sorted inside pools of 16 batches."""
    order = rng.permutation(len(lengths))
    pool = batch_size * 16
    out = []
    for start in range(0, len(order), pool):
        part = order[start:start + pool]
        part = part[np.argsort(lengths[part], kind="stable")]
        out.extend(part[i:i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(out)
    return out


def _batched(fn, width: int, states: Sequence[np.ndarray], max_tokens: int, batch_tokens: int) -> np.ndarray:
    """``fn(x, mask)`` over ``states`` in length-sorted batches of about ``batch_tokens``, ``(n, width)``."""
    n = len(states)
    out = np.zeros((n, width), dtype=np.float32)
    if not n:
        return out
    lengths = np.array([min(len(s), max_tokens) for s in states])
    order = np.argsort(-lengths, kind="stable")
    start = 0
    with torch.inference_mode():
        while start < n:
            size = max(1, min(256, batch_tokens // max(int(lengths[order[start]]), 1)))
            index = order[start:start + size]
            out[index] = fn(*pad_states(states, index, max_tokens)).float().cpu().numpy()
            start += size
    return out


def predict_logits(module, states: Sequence[np.ndarray], max_tokens: int = 512, batch_tokens: int = 8192
                   ) -> np.ndarray:
    """Class scores ``(n, k)`` for cached lower-layer states."""
    module.eval()
    device = next(module.parameters()).device
    return _batched(lambda x, mask: module(x.to(device), mask.to(device)), module.head.out_features, states,
                    max_tokens, batch_tokens)


def pooled_features(module, states: Sequence[np.ndarray], max_tokens: int = 512, batch_tokens: int = 8192
                    ) -> np.ndarray:
    """The mean-pooled output of ``module``'s layers (what its head reads), ``(n, hidden)``."""
    module.eval()
    device = next(module.parameters()).device
    return _batched(lambda x, mask: module.pool(x.to(device), mask.to(device)), module.head.in_features, states,
                    max_tokens, batch_tokens)


def probe_head(module, states: Sequence[np.ndarray], y: np.ndarray, sample_weight: np.ndarray,
               max_tokens: int, seed: int) -> None:
    """Set ``module``'s head to a logistic regression fitted on the pooled features of
    ``states`` (classes absent from ``y`` keep a zero row and a low bias)."""
    from sklearn.linear_model import LogisticRegression

    X = pooled_features(module, states, max_tokens)
    present = np.unique(y)
    k = module.head.out_features
    weight = np.zeros((k, X.shape[1]), dtype=np.float32)
    bias = np.full(k, -10.0, dtype=np.float32)
    if len(present) == 1:
        bias[present[0]] = 0.0
    else:
        clf = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
        clf.fit(X, y, sample_weight=sample_weight)
        coef, intercept = clf.coef_, clf.intercept_
        if len(present) == 2:  # sklearn keeps one row for two classes: logit(b) - logit(a)
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        weight[present] = coef
        bias[present] = intercept
    with torch.no_grad():
        module.head.weight.copy_(torch.from_numpy(weight))
        module.head.bias.copy_(torch.from_numpy(bias))


def train_classifier(module, states: Sequence[np.ndarray], y: np.ndarray, config: TrainConfig, *,
                     sample_weight: np.ndarray | None = None, progress: bool = False,
                     desc: str = "fine-tuning", new_head: bool = True) -> dict:
    """Fine-tune ``module`` in place on cached states; returns a training log.

    A stratified ``val_fraction`` of the labels (when there are at least 50) is held out:
    after every epoch the model is scored on it, the best epoch's weights are kept, and
    training stops after ``patience`` epochs without improvement. ``new_head``: the head
    is untrained, so ``config.head_init == "probe"`` fits it first (:func:`probe_head`).
    """
    from torch.nn import functional as F

    config.check()
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    y = np.asarray(y, dtype=np.int64)
    n = len(y)
    w = np.ones(n, dtype=np.float32) if sample_weight is None else np.asarray(sample_weight, dtype=np.float32)
    val = np.zeros(n, dtype=bool)
    if n >= 50 and config.val_fraction > 0:
        for c in np.unique(y):
            idx = np.flatnonzero(y == c)
            take = int(round(len(idx) * config.val_fraction))
            if len(idx) - take >= 1 and take >= 1:
                val[rng.choice(idx, size=take, replace=False)] = True
    train_idx = np.flatnonzero(~val)
    if new_head and config.head_init == "probe" and len(train_idx):
        probe_head(module, [states[i] for i in train_idx], y[train_idx], w[train_idx], config.max_tokens,
                   config.seed)
    lengths = np.array([min(len(s), config.max_tokens) for s in states])
    steps_per_epoch = math.ceil(len(train_idx) / config.batch_size)
    epochs = max(config.epochs, math.ceil(config.min_steps / max(1, steps_per_epoch)))
    total = steps_per_epoch * epochs
    head_params = list(module.head.parameters())
    body_params = [p for name, p in module.named_parameters() if not name.startswith("head.")]
    decay = [p for p in body_params if p.ndim > 1]
    no_decay = [p for p in body_params if p.ndim <= 1]
    optim = torch.optim.AdamW([
        {"params": decay, "lr": config.lr, "weight_decay": config.weight_decay},
        {"params": no_decay, "lr": config.lr, "weight_decay": 0.0},
        {"params": head_params, "lr": config.head_lr, "weight_decay": 0.0},
    ])
    warm = max(1, int(config.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)) if s >= warm
        else (s + 1) / warm)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc=desc, unit="step")
    best = (-1.0, None, 0)
    log: dict = {"epochs": [], "n_train": int(len(train_idx)), "n_val": int(val.sum())}
    wt = torch.from_numpy(w)
    yt = torch.from_numpy(y)
    bad = 0
    for epoch in range(epochs):
        module.train()
        running = 0.0
        for batch in _batches(lengths[train_idx], config.batch_size, rng):
            index = train_idx[batch]
            x, mask = pad_states(states, index, config.max_tokens)
            logits = module(x, mask)
            loss = F.cross_entropy(logits, yt[index], reduction="none", label_smoothing=config.label_smoothing)
            loss = (loss * wt[index]).sum() / wt[index].sum()
            optim.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            optim.step()
            sched.step()
            running += float(loss.detach())
            if bar is not None:
                bar.update(1)
        entry = {"epoch": epoch + 1, "train_loss": running / max(1, steps_per_epoch)}
        if val.any():
            pred = predict_logits(module, [states[i] for i in np.flatnonzero(val)], config.max_tokens).argmax(1)
            acc = float((pred == y[val]).mean())
            entry["val_accuracy"] = acc
            if acc > best[0]:
                best = (acc, copy.deepcopy(module.state_dict()), epoch + 1)
                bad = 0
            else:
                bad += 1
        log["epochs"].append(entry)
        if val.any() and bad >= config.patience:
            break
    if bar is not None:
        bar.close()
    if best[1] is not None:
        module.load_state_dict(best[1])
        log["best_epoch"] = best[2]
    module.eval()
    return log

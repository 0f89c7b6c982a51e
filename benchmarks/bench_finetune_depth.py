"""Which part of multilingual-e5-small to fine-tune: the top four layers, all twelve, or
LoRA adapters on all twelve (the question issue #16 leaves to measurement).

    python benchmarks/bench_finetune_depth.py --task germeval --method top4
    python benchmarks/bench_finetune_depth.py --task germeval --method all
    python benchmarks/bench_finetune_depth.py --task germeval --method lora --rank 8
    python benchmarks/bench_finetune_depth.py --task banking10 --method lora

``germeval``: GermEval 2017 dev, fold 0 of ``StratifiedKFold(5, shuffle=True, random_state=0)``
(the folds of ``supportinsight evaluate --task sentiment --pipeline accurate``), fine-tuned
from the plain encoder on the fold's ~1,895 training documents, scored on its 474.
``banking10``: BANKING77, 10 per class (seed 0) of the stratified 80/20 split, scored on
its 2,001 test rows, head from a linear probe (as intent fine-tuning does).

LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models") is written
here for this package's plain BERT module, with the paper's update rule and
initialisation (as peft's ``LoraLayer`` has them): ``B @ A`` scaled by ``alpha / rank``
beside each frozen linear layer of every block, ``A`` small and random, ``B`` zero.

Every method trains the same head with the same ``TrainConfig`` recipe (seed 0, early
stopping on a tenth of the training rows); ``top4`` is what ships. Each run appends one
row to ``benchmarks/results/finetune_depth.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "finetune_depth.json"
SHARED = HERE.parent.parent / "shared" / "data"


def germeval() -> tuple[list[str], list[int], list[str], list[int], list[str]]:
    import pandas as pd
    from sklearn.model_selection import StratifiedKFold

    frame = pd.read_json(SHARED / "germeval2017" / "dev.jsonl", lines=True)
    classes = ["negative", "neutral", "positive"]
    texts, y = frame["text"].astype(str).tolist(), np.array([classes.index(s) for s in frame["sentiment"]])
    train, test = next(iter(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y)))
    return ([texts[i] for i in train], y[train].tolist(), [texts[i] for i in test], y[test].tolist(), classes)


def banking10() -> tuple[list[str], list[int], list[str], list[int], list[str]]:
    """The split and the 10-per-class sample of ``supportinsight evaluate --task intent`` (seed 0)."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    from supportinsight.enrich.intent_features import model_text
    from supportinsight.evaluate.intent import _per_class_sample

    frame = pd.read_csv(SHARED / "banking77" / "train.csv", dtype=str, keep_default_na=False)
    train, test = train_test_split(frame, test_size=0.2, stratify=frame["category"], random_state=0)
    train = _per_class_sample(train, "category", 10, 0)
    classes = sorted(set(frame["category"]))
    return ([model_text(t) for t in train["text"]], [classes.index(c) for c in train["category"]],
            [model_text(t) for t in test["text"]], [classes.index(c) for c in test["category"]], classes)


#: The linear layers of a BertLayer that get adapters: attention (q, k, v, output) and feed-forward.
TARGETS = ("q", "k", "v", "ao", "fi", "fo")


class LoRALinear(nn.Module):
    """``base(x) + (dropout(x) @ A.T @ B.T) * alpha / rank`` with ``base`` frozen."""

    def __init__(self, base: nn.Linear, rank: int = 8, alpha: float = 16.0, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        self.base.requires_grad_(False)
        self.rank = rank
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)

    @property
    def in_features(self) -> int:
        return self.base.in_features

    @property
    def out_features(self) -> int:
        return self.base.out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.dropout(x) @ self.lora_a.T @ self.lora_b.T) * self.scale


def add_lora(layers: Iterable[nn.Module], *, rank: int = 8, alpha: float = 16.0, dropout: float = 0.0,
             targets: tuple[str, ...] = TARGETS) -> list[nn.Parameter]:
    """Freeze ``layers`` and wrap their ``targets`` linears in :class:`LoRALinear`; returns the new parameters."""
    params: list[nn.Parameter] = []
    for layer in layers:
        layer.requires_grad_(False)
        for name in targets:
            wrapped = LoRALinear(getattr(layer, name), rank=rank, alpha=alpha, dropout=dropout)
            setattr(layer, name, wrapped)
            params.extend([wrapped.lora_a, wrapped.lora_b])
    return params


def module_for(method: str, n_classes: int, rank: int, dropout: float):
    """The trainable module over cached states: its cut layer and the module."""
    from supportinsight.encoders.e5 import _base
    from supportinsight.encoders.finetune import TopLayersClassifier

    layers = _base("cpu", False)[0].layers
    if method == "top4":
        return 8, TopLayersClassifier(layers[8:], n_classes, dropout=dropout)
    module = TopLayersClassifier(layers, n_classes, dropout=dropout)
    if method == "lora":
        add_lora(module.layers, rank=rank)
    return 0, module


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", choices=["germeval", "banking10"], required=True)
    parser.add_argument("--method", choices=["top4", "all", "lora"], required=True)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--lr", type=float, default=None, help="body learning rate (default: the recipe's)")
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args(argv)

    from supportinsight.encoders.e5_embedder import E5Embedder
    from supportinsight.encoders.finetune import TrainConfig, predict_logits, train_classifier

    torch.manual_seed(0)
    tr_x, tr_y, te_x, te_y, classes = germeval() if args.task == "germeval" else banking10()
    if args.task == "germeval":
        config = TrainConfig(epochs=args.epochs, seed=0)
    else:
        config = TrainConfig(epochs=args.epochs, seed=0, min_steps=400, head_init="probe")
    if args.lr is not None:
        config = TrainConfig(**{**config.__dict__, "lr": args.lr})
    elif args.method == "lora":
        config = TrainConfig(**{**config.__dict__, "lr": 1e-3})
    cut, module = module_for(args.method, len(classes), args.rank, config.dropout)
    trainable = sum(p.numel() for n, p in module.named_parameters() if p.requires_grad and not n.startswith("head."))
    embedder = E5Embedder(device="cpu", states_layer=cut, states_cache=0, cache_size=0)
    started = time.perf_counter()
    tr_states, _ = embedder.states(tr_x)
    te_states, _ = embedder.states(te_x)
    encode_s = time.perf_counter() - started
    started = time.perf_counter()
    log = train_classifier(module, tr_states, np.array(tr_y), config, progress=sys.stderr.isatty(),
                           desc=f"{args.task} {args.method}")
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    pred = predict_logits(module, te_states, config.max_tokens).argmax(1)
    predict_s = time.perf_counter() - started
    from sklearn.metrics import accuracy_score, f1_score

    row = {"task": args.task, "method": args.method, "rank": args.rank if args.method == "lora" else None,
           "cut_layer": cut, "lr": config.lr, "epochs": config.epochs, "trainable_body_params": int(trainable),
           "n_train": len(tr_y), "n_test": len(te_y),
           "accuracy": round(float(accuracy_score(te_y, pred)), 4),
           "macro_f1": round(float(f1_score(te_y, pred, average="macro")), 4),
           "encode_seconds": round(encode_s, 1), "fit_seconds": round(fit_s, 1),
           "predict_seconds": round(predict_s, 1), "best_epoch": log.get("best_epoch"),
           "val": [e.get("val_accuracy") for e in log["epochs"]],
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0),
           "torch_threads": torch.get_num_threads(), "date": time.strftime("%Y-%m-%d")}
    print(json.dumps(row))
    rows = json.loads(RESULTS.read_text()) if RESULTS.is_file() else []
    rows.append(row)
    RESULTS.write_text(json.dumps(rows, indent=1) + "\n")
    return row


if __name__ == "__main__":
    main()

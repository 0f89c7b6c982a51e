"""The accurate pipeline's sentiment: fine-tuned multilingual-e5-small (see
:mod:`supportinsight.encoders.accurate`).

The shipped model (``data/sentiment/accurate/``) was fine-tuned on shippable data
only: the TweetEval validation tweets, SB10k's training split (German tweets,
SpinningBytes, CC BY 4.0) and the team's own support messages; it is rebuilt by
``python -m supportinsight.train.sentiment_accurate --data-dir ../shared/data``.
:meth:`SentimentModel.fit <supportinsight.SentimentModel.fit>` with
``pipeline="accurate"`` continues fine-tuning from it on a user's labels.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import ModelError

__all__ = ["shipped_accurate", "SHIPPED_DIR"]

SHIPPED_DIR = "data/sentiment/accurate"


@lru_cache(maxsize=1)
def shipped_accurate():
    """The shipped fine-tuned sentiment model (loaded once per process)."""
    from ..encoders.accurate import FineTunedE5

    base = resources.files("supportinsight").joinpath(SHIPPED_DIR)
    with resources.as_file(base) as path:
        if not (path / "model.safetensors").is_file():
            raise ModelError("the shipped accurate sentiment weights are missing from the package; rebuild them with "
                             "`python -m supportinsight.train.sentiment_accurate --data-dir ../shared/data`")
        return FineTunedE5.load(path, what="SentimentModel")


def softmax(z: np.ndarray) -> np.ndarray:
    z = z.astype(np.float64) - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=1, keepdims=True)

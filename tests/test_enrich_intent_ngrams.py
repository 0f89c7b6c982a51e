"""The intent classifier's n-gram TF-IDF equals scikit-learn's TfidfVectorizer on the same vocabulary."""

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from supportinsight.enrich.ngram_tfidf import NgramTfidf

from conftest import REPO

TEXTS = [json.loads(line)["text"] for line in (REPO / "tests" / "data" / "journey_golden_real.jsonl").open(encoding="utf-8")]
TEXTS += ["", "a", "ab", "  viele   Leerzeichen\tund\nZeilen ", "ÄÖÜ ß straße STRASSE", "😡😡 !!!", "x y z"]


@pytest.mark.parametrize("kw", [
    dict(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b"),
    dict(analyzer="char_wb", ngram_range=(2, 5), min_df=2),
])
def test_ngram_tfidf_equals_scikit_learn(kw):
    fitted = TfidfVectorizer(sublinear_tf=True, lowercase=True, dtype=np.float32, **kw).fit(TEXTS[:300])
    terms = fitted.get_feature_names_out().tolist()
    idf = fitted.idf_.astype(np.float32)
    plain = {k: v for k, v in kw.items() if k != "min_df"}
    reference = TfidfVectorizer(vocabulary=terms, sublinear_tf=True, lowercase=True, dtype=np.float32, **plain)
    reference.idf_ = idf
    want = reference.transform(TEXTS).toarray()
    ours = NgramTfidf(kw["analyzer"], terms, idf, kw["ngram_range"])
    got = ours.transform(TEXTS).toarray()
    assert got.dtype == np.float32 and got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=1e-6)
    # the second pass reads from the per-word cache and gives the same
    np.testing.assert_allclose(ours.transform(TEXTS[::-1]).toarray(), want[::-1], atol=1e-6)


def test_ngram_tfidf_refuses_mismatched_idf():
    with pytest.raises(ValueError, match="idf weights"):
        NgramTfidf("char_wb", ["ab", "bc"], np.ones(3, np.float32), (2, 5))

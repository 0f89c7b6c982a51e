"""The cue index's spaCy vocabulary is renewed in a long stream, and the hits stay the same."""

from collections import OrderedDict

from supportinsight.journey import cues
from supportinsight.journey.cues import LANGS, find_hits
from supportinsight.journey.mapper import JourneyMapper

TEXTS = ["Mein Paket ist nicht angekommen, Sendungsnummer 4711", "The app keeps crashing at login",
         "Rechnung doppelt abgebucht!!", "Wo kann ich das Konto löschen?", "refund for order 99821 please"]


def test_cue_index_renews_its_vocabulary_and_finds_the_same(monkeypatch):
    # indexes are shared per process: start from freshly built ones, whatever ran before
    monkeypatch.setattr(cues, "_INDEXES", OrderedDict())
    mapper = JourneyMapper().fit()
    index = mapper._index
    fresh = {lang: len(ci.vocab) for lang, ci in index.items()}
    want = find_hits(index, TEXTS, [LANGS] * len(TEXTS))
    before = {lang: ci.matcher for lang, ci in index.items()}
    # a few hundred made-up words push the vocabulary over a small limit
    find_hits(index, [" ".join(f"wort{i}x{j}" for j in range(40)) for i in range(20)], [LANGS] * 20)
    assert all(len(ci.vocab) > fresh[lang] + 500 for lang, ci in index.items())
    monkeypatch.setattr(cues, "VOCAB_LIMIT", max(fresh.values()) + 500)
    got = find_hits(index, TEXTS, [LANGS] * len(TEXTS))
    assert all(index[lang].matcher is not before[lang] for lang in index)  # renewed
    assert all(len(ci.vocab) < fresh[lang] + 100 for lang, ci in index.items())
    for a, b in zip(want, got):
        assert [[(h.target, h.cue, h.weight) for h in row] for row in a] == \
               [[(h.target, h.cue, h.weight) for h in row] for row in b]


def test_cue_index_is_built_once_per_taxonomy_and_language():
    # every si.annotate call builds a new mapper; the compiled index (about 0.25 s per
    # language) is shared by all mappers of the same taxonomy
    a, b = JourneyMapper().fit(), JourneyMapper(threshold=0.5).fit()
    assert all(a._index[lang] is b._index[lang] for lang in LANGS)
    six = JourneyMapper("six_phase").fit()
    assert all(six._index[lang] is not a._index[lang] for lang in LANGS)
    assert a._index["de"] is not a._index["en"]

"""One-edit typo tolerance (text.typos) and its use by the journey mapper's cue matching."""

from __future__ import annotations

import pytest

from supportinsight.text.typos import TypoCorrector, osa_distance

VOCAB = ["rechnung", "lieferung", "liefern", "kundenservice", "package", "customer", "service", "warten"]


@pytest.mark.parametrize("a, b, d", [
    ("rechung", "rechnung", 1), ("custmer", "customer", 1), ("servcie", "service", 1),  # swap of neighbours
    ("servxce", "service", 1), ("rechnung", "rechnung", 0), ("zugbleiter", "zugbegleiter", 2),
    ("abc", "xyz", 2),
])
def test_osa_distance(a, b, d):
    assert osa_distance(a, b) == d


@pytest.mark.parametrize("typo, word", [
    ("rechung", "rechnung"),  # letter missing
    ("rechnnung", "rechnung"),  # letter doubled
    ("kundensevice", "kundenservice"),
    ("custmer", "customer"),
    ("servcie", "service"),  # neighbours swapped
    ("packge", "package"),
])
def test_typo_corrector_fixes_one_edit(typo, word):
    assert TypoCorrector(VOCAB).correct(typo) == word


@pytest.mark.parametrize("word", [
    "rechnung",  # already a vocabulary word
    "garten",  # one edit from "warten", but the first letter differs
    "rechner",  # two edits away
    "paket",  # shorter than min_len
    "lieferng",  # "lieferung" and "liefern" are both one edit away: ambiguous without groups
    "kunden123",
])
def test_typo_corrector_leaves_alone(word):
    assert TypoCorrector(VOCAB).correct(word) is None


def test_typo_corrector_groups_resolve_ambiguity_to_the_most_specific_word():
    groups = {"lieferung": {"delivery"}, "liefern": {"delivery", "phase:retention"}}
    assert TypoCorrector(VOCAB, groups=groups).correct("lieferng") == "lieferung"
    apart = {"lieferung": {"delivery"}, "liefern": {"checkout"}}
    assert TypoCorrector(VOCAB, groups=apart).correct("lieferng") is None
    assert "TypoCorrector(" in repr(TypoCorrector(VOCAB)) and len(TypoCorrector(VOCAB)) == len(VOCAB)


@pytest.mark.parametrize("text, lang, touchpoint", [
    ("Die Rechung ist falsch, bitte korrigieren", "de", "billing_invoice"),
    ("Lieferng kam nie an 😡", "de", "delivery"),
    ("cant reach custmer servce for days", "en", "customer_service"),
    ("my packge never arived", "en", "delivery"),
])
def test_mapper_reads_typos_of_cue_words(text, lang, touchpoint):
    from supportinsight.journey.mapper import JourneyMapper

    assert JourneyMapper().explain(text, language=lang).iloc[0]["touchpoint"] == touchpoint


def test_mapper_does_not_bend_known_words():
    from supportinsight.journey.mapper import JourneyMapper

    mapper = JourneyMapper().fit()
    # "waren" (were) is one edit from the cue "warten"; it is a known form, so it stays itself
    assert mapper._index["de"].lemma("waren") != "warten"
    assert mapper._index["de"].lemma("Klasse") == "klasse"

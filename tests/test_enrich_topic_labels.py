"""Topic labels a CX lead can read: representative phrases in the messages' language, no greetings,
fillers or fragments. Hand-made documents for the rules; the sample exports for the whole model."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from supportinsight.enrich.topic_labels import UNLABELLED, topic_labels, topic_phrases
from supportinsight.enrich.topic_vectorizer import FILLERS, analyze, lemma_of, stop_words

SHORT_REPLIES = re.compile(r"^(Kurze Antworten|Short replies) \((?:[„“][^„“”]+[“”](?:, )?){1,3}\)$")


def label_problems(label: str, words_written: set[str]) -> list[str]:
    """What makes a label unreadable; empty for a good one."""
    if SHORT_REPLIES.match(label):
        return []
    problems = []
    if not label or label == UNLABELLED or len(label) > 80:
        problems.append("empty or too long")
    stops = stop_words("de") | stop_words("en")
    for part in label.split(" / "):
        for phrase in part.split(", "):
            words = phrase.split()
            if not 1 <= len(words) <= 4:
                problems.append(f"{phrase!r}: not 1-4 words")
            if words and (words[0].lower() in stops - {"nicht", "kein", "keine", "not", "no", "never"}
                          or words[-1].lower() in stops):
                problems.append(f"{phrase!r}: starts or ends on a stop word")
            for w in words:
                low = w.lower()
                if low in FILLERS:
                    problems.append(f"{w!r}: greeting or filler")
                if len(w) <= 2 and not w.isupper():
                    problems.append(f"{w!r}: fragment")
                if w.isupper() and len(w) > 4:
                    problems.append(f"{w!r}: shouting")
                if low not in words_written and lemma_of(w, "en") not in words_written:
                    problems.append(f"{w!r}: no customer wrote it")
    return problems


def _written(texts) -> set[str]:
    return {w.lower() for t in texts for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", t)} | \
        {lemma_of(w, "en") for t in texts for w in re.findall(r"[^\W\d_]+", t)}


DELIVERY_DE = ["Mein Paket ist nicht angekommen, Bestellung 4711", "Hallo, Paket nicht angekommen 😡",
               "Paket ist immer noch nicht angekommen!!", "Wo ist mein Paket? Sendungsverfolgung zeigt nichts"]
DELIVERY_EN = ["My parcel never arrived, order 4711", "Hi, parcel never arrived :(", "Parcel never arrived. Thanks."]
THANKS = ["super danke", "ok danke 👍", "Danke!!", "thanks, ok", "ah ok super", "danke, hat geklappt"]
INVOICE_DE = ["Die Rechnung ist falsch, bitte korrigieren", "Rechnung falsch, Betrag stimmt nicht",
              "Warum ist meine Rechnung falsch?", "RECHNUNG FALSCH!!! Zum dritten Mal"]


def _fit(*groups):
    docs, topics, langs = [], [], []
    for t, (texts, lang) in enumerate(groups):
        docs += texts
        topics += [t] * len(texts)
        langs += [lang] * len(texts)
    return topic_labels(docs, np.array(topics), langs), docs


def test_topic_labels_are_phrases_customers_wrote():
    labels, docs = _fit((DELIVERY_DE, "de"), (INVOICE_DE, "de"))
    assert labels[0] == "Paket nicht angekommen"
    assert labels[1] == "Rechnung falsch"
    for label in labels.values():
        assert label_problems(label, _written(docs)) == []


def test_topic_labels_name_both_languages_of_a_bilingual_topic():
    labels, _ = _fit((DELIVERY_DE + DELIVERY_EN, "mixed"), (INVOICE_DE, "de"))
    # "mixed" is neither de nor en: the document language decides per message below
    docs = DELIVERY_DE + DELIVERY_EN + INVOICE_DE
    langs = ["de"] * 4 + ["en"] * 3 + ["de"] * 4
    labels = topic_labels(docs, np.array([0] * 7 + [1] * 4), langs)
    assert labels[0] == "Paket nicht angekommen / Parcel never arrived"


def test_topic_labels_call_thanks_and_greetings_short_replies():
    labels, _ = _fit((THANKS, "de"), (DELIVERY_DE, "de"))
    assert SHORT_REPLIES.match(labels[0]) and labels[0].startswith("Kurze Antworten (\u201edanke\u201c")
    labels, _ = _fit(([t.replace("danke", "thanks") for t in THANKS], "en"), (DELIVERY_EN, "en"))
    assert labels[0].startswith("Short replies (\u201cthanks\u201d")


def test_topic_labels_drop_greetings_fillers_fragments_and_shouting():
    docs = ["Hallo, ah, die DM ist raus", "hallo ah ok, DM geschickt", "ähm hallo, ding geht nicht, Akku leer",
            "AKKU LEER!!! Hallo??", "Akku leer nach 2 Stunden, hallo"]
    labels = topic_labels(docs, np.zeros(len(docs), dtype=int), ["de"] * len(docs))
    assert labels[0] == "Akku leer"
    phrases = [p for p, _, _ in topic_phrases(docs, np.zeros(len(docs), dtype=int), ["de"] * len(docs))[0]["de"]]
    assert not any(w.lower() in {"hallo", "ah", "ähm", "ding", "ok"} for p in phrases for w in p.split())


def test_topic_labels_skip_outliers_and_count_them_as_other_topics():
    docs = DELIVERY_DE + ["Paket Paket Paket"] * 3
    topics = np.array([0] * 4 + [-1] * 3)
    labels = topic_labels(docs, topics, ["de"] * 7)
    assert set(labels) == {0}


def test_topic_vectorizer_keeps_english_base_forms_english():
    # the English lookup table lists inflected forms only; "milk" must not become German "melken"
    assert lemma_of("milk", "en") == "milk" and lemma_of("order", "en") == "order"
    assert lemma_of("Pakete", "de") == "paket" and lemma_of("parcels", "en") == "parcel"
    assert "melken" not in analyze("the machine stopped heating the milk")


def test_topic_vectorizer_drops_greetings_fillers_and_fragments_from_keywords():
    tokens = analyze("Hallo, ah ok danke, das Ding mit dem Akku vom VX ist kaputt. Thanks, hello!")
    assert {"hallo", "ah", "ok", "danke", "ding", "thanks", "hello"}.isdisjoint(tokens)
    assert "akku" in tokens and "vx" in tokens  # an acronym written in capitals stays


@pytest.fixture(scope="module")
def sample_model(samples_dir):
    import supportinsight as si
    from supportinsight.enrich.topics import TopicModel

    frame, _ = si.load(samples_dir, return_quarantine=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TopicModel().fit(frame), frame


def test_topic_labels_on_the_samples_are_readable_phrases(sample_model):
    model, frame = sample_model
    written = _written(frame.loc[frame["author_role"] == "customer", "text"].astype(str))
    info = model.topic_info()
    assert len(info) >= 5
    problems = {label: label_problems(label, written) for label in info["label"]}
    assert {k: v for k, v in problems.items() if v} == {}
    assert len(set(info["label"])) == len(info), "two topics with one label"
    # the delivery crisis of the samples is named as customers name it
    assert any("Lieferung" in label or "Warteschleife" in label for label in info["label"])
    # chat artefacts are no topic material
    assert not any("Medien" in q or "omitted" in q for qs in info["quotes"] for q in qs)

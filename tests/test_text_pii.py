"""PII redaction: golden cases, formats, false-positive traps, configuration, robustness."""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportinsight.errors import ConfigError, LoadError
from supportinsight.evaluate.pii import evaluate_file, evaluate_shared, score_cases
from supportinsight.text.pii import (
    PII_TYPES,
    STRUCTURED_TYPES,
    PiiLogFilter,
    PiiMatch,
    find_pii,
    load_patterns,
    redact,
    redact_series,
)

CASES_FILE = Path(__file__).parent / "data" / "pii_cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
POSITIVE = [c for c in CASES if c["spans"]]
NEGATIVE = [c for c in CASES if not c["spans"]]
# Values whose format is checked (@, mod-97, Luhn): none of them may survive redaction.
CHECKED = {"EMAIL", "IBAN", "CARD"}
# Known misses of the held-out cases, kept visible instead of silently tuned away.
KNOWN_MISSES = {c["id"] for c in CASES if c.get("known_miss")}


# --------------------------------------------------------------------------- golden set

def test_pii_cases_file_is_current_and_large_enough():
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("build_pii_cases", Path(__file__).parents[1] / "scripts" / "build_pii_cases.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0
    assert len(POSITIVE) >= 220
    assert len(NEGATIVE) >= 40
    for case in CASES:
        for s in case["spans"]:
            assert case["text"][s["start"]:s["end"]] == s["text"]
            assert s["type"] in PII_TYPES


@pytest.mark.parametrize("case", POSITIVE, ids=[c["id"] for c in POSITIVE])
def test_text_pii_golden_case_checked_values_never_leak(case):
    out = redact(case["text"])
    for span in case["spans"]:
        if span["type"] in CHECKED:
            assert span["text"] not in out, f"{span['type']} {span['text']!r} leaked: {out!r}"
    assert out == redact(out)


@pytest.mark.parametrize("case", NEGATIVE, ids=[c["id"] for c in NEGATIVE])
def test_text_pii_hard_negative_is_left_alone(case):
    if case["id"] in KNOWN_MISSES:
        pytest.xfail(case.get("known_miss"))
    assert find_pii(case["text"]) == []
    assert redact(case["text"]) == case["text"]


@pytest.fixture(scope="module")
def golden_metrics():
    return score_cases([c["text"] for c in CASES], [c["spans"] for c in CASES], ids=[c["id"] for c in CASES])


@pytest.mark.parametrize("pii_type", STRUCTURED_TYPES)
def test_text_pii_structured_type_recall_at_least_095(golden_metrics, pii_type):
    row = golden_metrics["per_type"][pii_type]
    assert row["n_gold"] >= 10
    assert row["recall"] >= 0.95, row
    assert row["precision"] >= 0.95, row


@pytest.mark.parametrize("pii_type,floor", [("NAME", 0.85), ("ADDRESS", 0.85), ("DATE_OF_BIRTH", 0.8)])
def test_text_pii_contextual_type_recall_floor(golden_metrics, pii_type, floor):
    row = golden_metrics["per_type"][pii_type]
    assert row["recall"] >= floor, row
    assert row["precision"] >= 0.9, row


def test_text_pii_hard_negatives_mostly_untouched(golden_metrics):
    neg = golden_metrics["negatives"]
    assert neg["n"] >= 40
    assert neg["changed"] <= len(KNOWN_MISSES & {c["id"] for c in NEGATIVE})


# --------------------------------------------------------------------------- formats

@pytest.mark.parametrize("text,value", [
    ("ruf an: +49 30 12345678 bitte", "+49 30 12345678"),
    ("0049 151 23456789", "0049 151 23456789"),
    ("Festnetz 030 1234567.", "030 1234567"),
    ("unter (030) 123 456 erreichbar", "(030) 123 456"),
    ("Handy 0151-12345678", "0151-12345678"),
    ("mobil: 0176 - 123 456 78", "0176 - 123 456 78"),
    ("+49 (0)89 1234567", "+49 (0)89 1234567"),
    ("call +44 20 7946 0958", "+44 20 7946 0958"),
    ("call +1 (555) 123-4567 now", "+1 (555) 123-4567"),
    ("my number is (212) 555-0142", "(212) 555-0142"),
    ("Tel. 8912345", "8912345"),
])
def test_text_pii_phone_formats(text, value):
    found = [(m.type, m.text) for m in find_pii(text)]
    assert ("PHONE", value) in found


@pytest.mark.parametrize("text", [
    "Der Artikel kostet 129,99 € statt 1.299,00 €",
    "geliefert am 12.03.2024 um 14:30 Uhr",
    "Zeitraum 01.10.2024 - 15.10.2024",
    "Version 10.0.19045.3693 und App 5.12.0",
    "10.000 Stück, PLZ 10115, 3x bestellt",
    "Sendung 00340434161234567890 ohne Stichwort ist keine Telefonnummer",
    "ordered on 2024-11-02, expected 11/09/2024",
])
def test_text_pii_numbers_that_are_not_phones(text):
    assert [m for m in find_pii(text) if m.type == "PHONE"] == []


def test_text_pii_iban_checksum_and_spacing():
    valid = "DE89 3704 0044 0532 0130 00"
    assert redact(f"IBAN {valid} bitte") == "IBAN <IBAN> bitte"
    assert redact("IBAN DE89370400440532013000.") == "IBAN <IBAN>."
    assert redact("iban de89370400440532013000") == "iban <IBAN>"
    assert redact("GB82 WEST 1234 5698 7654 32") == "<IBAN>"
    # one digit changed: the checksum fails, so it is no IBAN
    assert "DE89 3704 0044 0532 0130 01" in redact("IBAN DE89 3704 0044 0532 0130 01")


def test_text_pii_card_luhn_and_issuer():
    assert redact("Karte 4111 1111 1111 1111 belastet") == "Karte <CARD> belastet"
    assert redact("card 5500-0000-0000-0004") == "card <CARD>"
    assert redact("amex 378282246310005") == "amex <CARD>"
    assert "4111 1111 1111 1112" in redact("Karte 4111 1111 1111 1112")  # Luhn fails
    assert "EAN 4006381333931" in redact("EAN 4006381333931")  # EAN check digit, not Luhn


def test_text_pii_email_variants():
    assert redact("an max.mustermann@example.de.") == "an <EMAIL>."
    assert redact("lisa (at) example.org") == "<EMAIL>"
    assert redact("@Support hilfe!") == "@Support hilfe!"


def test_text_pii_url_policy_keeps_plain_links():
    plain = "Infos: https://www.example.de/hilfe/versand"
    assert redact(plain) == plain
    assert redact("Reset: https://example.com/reset?token=abc123.") == "Reset: <URL>."
    assert redact("siehe https://example.com/share/Xk29fLq81ZpRt7Wm3Yc") == "siehe <URL>"
    assert redact("https://shop.example.de/kunde/profil/88112233") == "<URL>"
    news = "http://www.example-news.de/politik/artikel-12345678.html?utm_source=twitter&utm_medium=social"
    assert redact(news) == news  # tracking parameters on a public link identify nobody
    assert redact("https://app.example.com/cb#access_token=abc") == "<URL>"
    assert redact("https://user:secret@ftp.example.de/x") == "<URL>"


@pytest.mark.parametrize("text,expected", [
    ("Musterstraße 12, 12345 Berlin", "<ADDRESS>"),
    ("wohne Hauptstr. 5a seit Mai", "wohne <ADDRESS> seit Mai"),
    ("an Berliner Straße 45, 60311 Frankfurt am Main gehen", "an <ADDRESS> gehen"),
    ("221B Baker Street, London NW1 6XE", "<ADDRESS>"),
    ("123 Main St, Springfield, IL 62704", "<ADDRESS>"),
    ("Wir haben Platz 3 von 10 erreicht", "Wir haben Platz 3 von 10 erreicht"),
    ("Parkplatz 3 war belegt", "Parkplatz 3 war belegt"),
    ("Der Weg 5 km lang", "Der Weg 5 km lang"),
])
def test_text_pii_addresses(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("mein Name ist Max Mustermann und ich", "mein Name ist <NAME> und ich"),
    ("ich bin Anna, hallo", "ich bin <NAME>, hallo"),
    ("ich bin Kunde seit 2010", "ich bin Kunde seit 2010"),
    ("Ich bin sauer", "Ich bin sauer"),
    ("Hi, I'm John Smith", "Hi, I'm <NAME>"),
    ("Hallo Frau Müller,", "Hallo Frau <NAME>,"),
    ("Dear Mr. Smith,", "Dear Mr. <NAME>,"),
    ("Sehr geehrte Frau Dr. Schulz,", "Sehr geehrte Frau Dr. <NAME>,"),
    ("Viele Grüße\nMax Mustermann", "Viele Grüße\n<NAME>"),
    ("Best regards, John", "Best regards, <NAME>"),
    ("Hallo zusammen,", "Hallo zusammen,"),
    ("Viele Grüße\nIhr Support-Team", "Viele Grüße\nIhr Support-Team"),
    ("Sehr geehrte Damen und Herren,", "Sehr geehrte Damen und Herren,"),
    ("ich trink ja eh lieber Capri-Sonne.", "ich trink ja eh lieber Capri-Sonne."),
    ("Liebe Kolleginnen, liebe Kollegen,", "Liebe Kolleginnen, liebe Kollegen,"),
    ("Hi, Will you fix it?", "Hi, Will you fix it?"),
    ("Your agent can't even log in", "Your agent can't even log in"),
    ("Thanks @Airline. Morons.", "Thanks @Airline. Morons."),
    ("Viele Grüße aus Hamburg\nOle", "Viele Grüße aus Hamburg\n<NAME>"),
    ("Mein Mann Dieter hat angerufen", "Mein Mann <NAME> hat angerufen"),
    ("Kind regards,\nFiona MacLeod", "Kind regards,\n<NAME>"),
])
def test_text_pii_introduced_names(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Bestellnummer 12345678 fehlt", "Bestellnummer <ORDER_ID> fehlt"),
    ("order #A-123456", "order #<ORDER_ID>"),
    ("Kundennummer: K-998877", "Kundennummer: <ORDER_ID>"),
    ("Ticket #4711", "Ticket #<ORDER_ID>"),
    ("Bestellung 2024 aufgegeben", "Bestellung 2024 aufgegeben"),
    ("I ordered 2 items, order 100 pieces", "I ordered 2 items, order 100 pieces"),
])
def test_text_pii_order_ids(text, expected):
    assert redact(text) == expected


def test_text_pii_date_of_birth_only_after_keyword():
    assert redact("geboren am 12.03.1985") == "geboren am <DATE_OF_BIRTH>"
    assert redact("geliefert am 12.03.1985") == "geliefert am 12.03.1985"


# --------------------------------------------------------------------------- API contract

def test_text_pii_missing_values():
    assert redact(None) == ""
    assert redact(float("nan")) == ""
    assert redact(pd.NA) == ""
    assert find_pii(None) == []
    assert redact("") == ""


def test_text_pii_find_pii_returns_sorted_non_overlapping_matches():
    text = "Mail an https://x.example/reset?mail=max@example.de oder max@example.de, Tel 030 1234567"
    found = find_pii(text)
    assert all(isinstance(m, PiiMatch) for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert [m.type for m in found] == ["URL", "EMAIL", "PHONE"]  # the longer URL swallows its e-mail
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.placeholder == f"<{m.type}>"


def test_text_pii_types_filter_and_errors():
    text = "max@example.de, 030 1234567"
    assert redact(text, types=["EMAIL"]) == "<EMAIL>, 030 1234567"
    assert redact(text, types="phone") == "max@example.de, <PHONE>"
    with pytest.raises(ConfigError, match="SSN"):
        redact(text, types=["SSN"])


def test_text_pii_patterns_override_from_mapping_and_yaml(tmp_path):
    text = "Mitarbeiter-ID EMP-4471 und Bestellnummer 12345678"
    custom = {"order_id": [r"\bmitarbeiter-id\s+(?P<id>EMP-\d+)"]}
    assert redact(text, patterns=custom) == "Mitarbeiter-ID <ORDER_ID> und Bestellnummer 12345678"
    extended = {"order_id": load_patterns()["order_id"] + custom["order_id"]}
    assert redact(text, patterns=extended) == "Mitarbeiter-ID <ORDER_ID> und Bestellnummer <ORDER_ID>"
    path = tmp_path / "pii.yaml"
    path.write_text("order_id:\n  - '\\bmitarbeiter-id\\s+(?P<id>EMP-\\d+)'\n", encoding="utf-8")
    assert redact(text, patterns=path) == redact(text, patterns=custom)
    assert redact(text) == "Mitarbeiter-ID EMP-4471 und Bestellnummer <ORDER_ID>"  # defaults untouched


def test_text_pii_bad_patterns_raise_config_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown PII pattern key"):
        redact("x", patterns={"order_ids": ["x"]})
    with pytest.raises(ConfigError, match="does not compile"):
        redact("x", patterns={"order_id": ["(unclosed"]})
    with pytest.raises(ConfigError, match="not found"):
        redact("x", patterns=tmp_path / "missing.yaml")


def test_text_pii_redact_series_keeps_index_and_missing():
    s = pd.Series(["Tel 0151 12345678", None, "alles gut"], index=[10, 11, 12], name="text")
    out = redact_series(s)
    assert out.index.tolist() == [10, 11, 12]
    assert out.name == "text"
    assert out[10] == "Tel <PHONE>"
    assert pd.isna(out[11])
    assert out[12] == "alles gut"


def test_text_pii_log_filter_redacts_message_and_args(caplog):
    logger = logging.getLogger("supportinsight.test.pii")
    flt = PiiLogFilter()
    logger.addFilter(flt)
    try:
        with caplog.at_level(logging.INFO, logger=logger.name):
            logger.info("customer wrote %s", "bitte an max@example.de, IBAN DE89370400440532013000")
    finally:
        logger.removeFilter(flt)
    assert caplog.records[-1].getMessage() == "customer wrote bitte an <EMAIL>, IBAN <IBAN>"
    assert "max@example.de" not in caplog.text


# --------------------------------------------------------------------------- evaluation API

def test_evaluate_pii_file_csv_and_errors(tmp_path):
    path = tmp_path / "gold.csv"
    rows = [{"text": "Mail: max@example.de", "spans": json.dumps([{"type": "EMAIL", "start": 6, "end": 20}])},
            {"text": "Preis 129,99 €", "spans": "[]"}]
    pd.DataFrame(rows).to_csv(path, index=False)
    out = tmp_path / "m.json"
    m = evaluate_file(path, output=out)
    assert m["per_type"]["EMAIL"]["recall"] == 1.0
    assert m["negatives"] == {"n": 1, "changed": 0}
    assert json.loads(out.read_text())["per_type"]["EMAIL"]["leaks"] == 0
    bad = tmp_path / "bad.csv"
    pd.DataFrame([{"text": "kurz", "spans": json.dumps([{"type": "EMAIL", "start": 0, "end": 99}])}]).to_csv(
        bad, index=False)
    with pytest.raises(LoadError, match="row 1.*outside the text"):
        evaluate_file(bad)
    with pytest.raises(LoadError, match="column 'body'"):
        evaluate_file(path, text_col="body")


def test_evaluate_pii_shared_reports_every_type(tmp_path):
    m = evaluate_shared(output=tmp_path / "pii.json")
    assert set(m["per_type"]) == set(PII_TYPES)
    assert m["messages_per_second"] > 0
    assert "recall" in m["report_text"]
    with pytest.raises(LoadError, match="pii_cases.jsonl"):
        evaluate_shared(data_dir=tmp_path / "nowhere")


# --------------------------------------------------------------------------- robustness and speed

_PIECES = list("abcdeMNXäöüß0123456789 +-/.,:@#()\n") + [
    "Frau ", "Hallo ", "straße ", "Grüße\n", "ich bin ", "Tel. ", "DE89 ", "www.", "https://", "?token=",
    "Bestellung ", "Anna ", "Max ", "Mr. ", "<NAME>", "<PHONE>", "0151 ", "+49 "]
support_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(support_text)
def test_text_pii_redact_never_raises_and_is_idempotent(text):
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


_GOLD_VALUES = {
    "EMAIL": ["max.mustermann@example.de", "j.smith+support@gmail.com", "anna_s88@web.de"],
    "IBAN": ["DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
             "AT40 6281 9482 1993 5181"],
    "CARD": ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "4144024264628891"],
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(_GOLD_VALUES)), st.data(),
       st.text(alphabet=st.sampled_from(list("abc xyzäü,.!?😀\n")), max_size=40),
       st.text(alphabet=st.sampled_from(list("abc xyzäü,.!?😀\n")), max_size=40))
def test_text_pii_gold_value_in_any_context_is_removed(kind, data, before, after):
    value = data.draw(st.sampled_from(_GOLD_VALUES[kind]))
    text = f"{before} {value} {after}"
    out = redact(text)
    assert value not in out
    assert f"<{kind}>" in out


@pytest.mark.parametrize("attack", [
    "1" * 100_000, "1 " * 50_000, "@" * 100_000, "a" * 100_000, "a." * 50_000, "+49 " * 25_000,
    "Frau " * 20_000, "Viele Grüße\n" * 8_000, ("x" * 30 + "@") * 3_000, "(0" * 50_000, "Ab-" * 30_000,
    "x" * 50_000 + "straße 5", "Bestellung " * 10_000, "0 - " * 30_000, "https://" + "a/" * 50_000,
])
def test_text_pii_adversarial_input_runs_in_linear_time(attack):
    start = time.process_time()
    redact(attack)
    assert time.process_time() - start < 3.0


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .-/+()@aA#\n")), min_size=1, max_size=200))
def test_text_pii_random_long_input_is_bounded(chunk):
    text = (chunk * (50_000 // len(chunk) + 1))[:50_000]
    start = time.process_time()
    redact(text)
    assert time.process_time() - start < 2.0


def test_text_pii_throughput_on_short_messages():
    msgs = [c["text"] for c in CASES if len(c["text"]) <= 160]
    redact(msgs[0])
    start = time.process_time()
    for m in msgs * 3:
        redact(m)
    rate = 3 * len(msgs) / (time.process_time() - start)
    # generous floor for a loaded CI machine; the measured rate is in the evaluation report
    assert rate > 1_000, rate
    assert not math.isnan(rate)

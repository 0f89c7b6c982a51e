"""Journey taxonomies: the shipped files, replacement by a user's file, and clear errors for broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supportinsight.errors import TaxonomyError
from supportinsight.journey.taxonomy import KINDS, JourneyTaxonomy, available_taxonomies, load_taxonomy

DATA = Path(__file__).parent / "data"
BROKEN = [json.loads(line) for line in (DATA / "journey_taxonomy_broken.jsonl").read_text("utf-8").splitlines()
          if line.strip()]

DEFAULT_PHASES = ["awareness", "consideration", "purchase", "retention", "advocacy", "unknown"]
DEFAULT_TOUCHPOINTS = [
    "advertising", "social_media", "website", "product_information", "pricing", "account_registration", "checkout",
    "payment", "store", "order_confirmation", "delivery", "packaging", "onboarding_setup", "product_quality", "app",
    "account_login", "billing_invoice", "returns_refunds", "cancellation", "customer_service", "self_service_faq",
    "chatbot", "newsletter_email", "survey_feedback", "reviews_recommendation", "unknown"]

RAIL = """
version: 1
name: rail
phases:
  - {id: planning, label_de: Planung, label_en: Planning}
  - {id: travel, label_de: Reise, label_en: Travel, cues_en: [on the train], cues_de: [im zug]}
touchpoints:
  - id: ticket_machine
    label_de: Fahrkartenautomat
    label_en: Ticket machine
    phases: [planning, travel]
    kind: physical
    channel: other
    description_de: Der Fahrkartenautomat am Bahnhof.
    description_en: The ticket machine at the station.
    cues_de: [fahrkartenautomat, automat]
    cues_en: [ticket machine]
  - id: onboard_staff
    label_de: Zugpersonal
    label_en: On-board staff
    phases: [travel]
    kind: human
    channel: other
    description_de: Zugbegleiter und Schaffner.
    description_en: Conductors and on-board staff.
    cues_de: [zugbegleiter, schaffner]
    cues_en: [conductor]
"""


def test_journey_taxonomy_default_has_the_issue_ids() -> None:
    tax = load_taxonomy()
    assert list(tax.phase_ids) == DEFAULT_PHASES
    assert sorted(tax.touchpoint_ids) == sorted(DEFAULT_TOUCHPOINTS)
    assert tax.touchpoint_ids[-1] == "unknown"


def test_journey_taxonomy_default_touchpoints_are_complete_and_bilingual() -> None:
    tax = load_taxonomy("default")
    for tp in tax.touchpoints:
        if tp.id == "unknown":
            continue
        assert tp.kind in KINDS
        assert tp.cues_de and tp.cues_en, tp.id
        assert tp.description_de and tp.description_en and tp.label_de and tp.label_en, tp.id
        assert tp.channel and tp.owner_queue, tp.id
        assert all(p in tax.phase_ids for p in tp.phases), tp.id
    assert tax.touchpoint("customer_service").kind == "human"
    assert tax.touchpoint("delivery").primary_phase == "retention"
    assert "consideration" in tax.touchpoint("pricing").phases


def test_journey_taxonomy_six_phase_selectable_by_name() -> None:
    assert {"default", "six_phase"} <= set(available_taxonomies())
    six = load_taxonomy("six_phase")
    assert list(six.phase_ids) == ["awareness", "research", "purchase", "usage", "feedback", "loyalty", "unknown"]
    # same touchpoints and cues as the default, phases remapped
    default = load_taxonomy("default")
    assert six.touchpoint_ids == default.touchpoint_ids
    assert six.touchpoint("delivery").phases == ("usage", "research")
    assert six.touchpoint("cancellation").primary_phase == "loyalty"
    assert six.touchpoint("delivery").cues_de == default.touchpoint("delivery").cues_de


def test_journey_taxonomy_user_file_replaces_default(tmp_path: Path) -> None:
    path = tmp_path / "rail.yaml"
    path.write_text(RAIL, encoding="utf-8")
    tax = load_taxonomy(path)
    assert tax.name == "rail"
    assert tax.touchpoint_ids == ("ticket_machine", "onboard_staff", "unknown")  # unknown added
    assert tax.phase_ids == ("planning", "travel", "unknown")
    assert tax.source == str(path)
    assert load_taxonomy(str(path)).touchpoint("onboard_staff").kind == "human"


def test_journey_taxonomy_round_trips_through_a_mapping() -> None:
    tax = load_taxonomy("six_phase")
    again = load_taxonomy(tax.to_dict())
    assert again.touchpoints == tax.touchpoints
    assert again.phases == tax.phases
    assert again.fingerprint == tax.fingerprint
    assert load_taxonomy(tax) is tax
    assert isinstance(again, JourneyTaxonomy)


def test_journey_taxonomy_unknown_name_and_missing_file() -> None:
    with pytest.raises(TaxonomyError, match="no shipped journey taxonomy named 'bank'.*default"):
        load_taxonomy("bank")
    with pytest.raises(TaxonomyError, match="does not exist"):
        load_taxonomy("/nonexistent/dir/bank.yaml")
    with pytest.raises(TaxonomyError, match="got int"):
        load_taxonomy(42)  # type: ignore[arg-type]
    with pytest.raises(TaxonomyError, match="has no touchpoint 'teleport'"):
        load_taxonomy().touchpoint("teleport")


@pytest.mark.parametrize("case", BROKEN, ids=[c["id"] for c in BROKEN])
def test_journey_taxonomy_broken_file_names_file_place_and_fix(case: dict, tmp_path: Path) -> None:
    path = tmp_path / f"{case['id']}.yaml"
    path.write_text(case["yaml"], encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in case["expect"]:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_journey_taxonomy_misspelt_intent_id_warns_with_place(tmp_path: Path) -> None:
    # a misspelt intent id would never fire; it warns (a team's own intent model may have other labels)
    case = next(c for c in BROKEN if c["id"] == "phase_intent_twice")
    text = case["yaml"].replace("unplaced_intents: [complaint]\n  - id: advocacy", "unplaced_intents: [complain]\n"
                                "  - id: advocacy", 1).replace("unplaced_intents: [complaint]\ntouchpoints",
                                                               "intents: [praise]\ntouchpoints", 1)
    path = tmp_path / "misspelt.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning) as record:
        tax = load_taxonomy(path)
    message = " ".join(str(w.message) for w in record)
    for fragment in (str(path), "phase 'retention'", "unplaced_intents", "'complain'", "complaint", "spelling"):
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "'praise'" not in message.split("taxonomy (")[0]  # a known id is not named
    assert tax.phase("retention").unplaced_intents == ("complain",)  # still loaded as written


@pytest.mark.parametrize("name", ["default", "six_phase"])
def test_journey_taxonomy_shipped_files_name_only_known_intents(name: str) -> None:
    import warnings

    with warnings.catch_warnings():  # read from the mapping: the shipped files' cache is bypassed
        warnings.simplefilter("error")
        load_taxonomy(load_taxonomy(name).to_dict())

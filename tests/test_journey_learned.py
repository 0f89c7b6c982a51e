"""The learned journey mapper: taxonomy examples, fit on a team's labels, save/load, CLI, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import supportinsight as si
from supportinsight.errors import LabelError, ModelError, TaxonomyError
from supportinsight.journey.mapper import JourneyMapper
from supportinsight.journey.taxonomy import load_taxonomy

DATA = Path(__file__).parent / "data"

# A small bank taxonomy with its own examples, written for these tests.
BANK = {
    "version": 1, "name": "tiny_bank",
    "phases": [{"id": "onboarding", "label_de": "Eröffnung", "label_en": "Opening"},
               {"id": "service", "label_de": "Service", "label_en": "Service"}],
    "touchpoints": [
        {"id": "card", "label_de": "Karte", "label_en": "Card", "phases": ["service"], "kind": "physical",
         "channel": "other", "description_de": "Bankkarte", "description_en": "Bank card",
         "cues_de": ["karte"], "cues_en": ["card"],
         "examples_de": ["Meine Karte ist nicht angekommen", "Karte gesperrt, was nun 😩", "PIN vergessen",
                         "Die Karte wird am Automaten nicht erkannt"],
         "examples_en": ["my card still hasn't arrived", "card got declined at the shop 😡", "forgot my PIN",
                         "the ATM swallowed my card"]},
        {"id": "branch", "label_de": "Filiale", "label_en": "Branch", "phases": ["onboarding", "service"],
         "kind": "physical", "channel": "other", "description_de": "Filiale vor Ort",
         "description_en": "The branch on site", "cues_de": ["filiale"], "cues_en": ["branch"],
         "examples_de": ["In der Filiale wartet man ewig", "Wann hat die Geschäftsstelle offen?",
                         ["Kann ich in der Filiale ein Konto eröffnen?", "onboarding"], "Der Berater vor Ort war super"],
         "examples_en": ["waited an hour at the branch", "when does the branch open on saturday?",
                         ["can I open an account at the branch?", "onboarding"], "staff at the counter were rude"]},
    ],
}


@pytest.fixture(scope="module")
def fitted():
    return JourneyMapper(BANK, method="learned").fit()


def test_taxonomy_carries_examples_with_phases():
    tax = load_taxonomy(BANK)
    branch = tax.touchpoint("branch")
    assert ("Kann ich in der Filiale ein Konto eröffnen?", "onboarding") in branch.examples("de")
    assert len(branch.examples()) == 8
    # the round trip through to_dict keeps them
    again = load_taxonomy(tax.to_dict())
    assert again.touchpoint("branch").examples() == branch.examples()


def test_shipped_taxonomy_examples_cover_every_touchpoint_in_both_languages():
    tax = load_taxonomy("default")
    for t in tax.touchpoints:
        assert len(t.examples("de")) >= 20 and len(t.examples("en")) >= 20, t.id
    # six_phase inherits them, with phases renamed through its phase_map
    six = load_taxonomy("six_phase")
    phases = {ph for t in six.touchpoints for _, ph in t.examples() if ph}
    assert phases <= set(six.phase_ids)


@pytest.mark.parametrize("bad, field", [
    ({"examples_de": "just one string"}, "examples_de"),
    ({"examples_en": [{"text": "a dict"}]}, "examples_en"),
    ({"examples_en": [["text", "no_such_phase"]]}, "examples_en"),
])
def test_examples_in_the_wrong_shape_name_the_touchpoint_and_field(bad, field):
    data = json.loads(json.dumps(BANK))
    data["touchpoints"][0].update(bad)
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(data)
    assert "card" in str(err.value) and field in str(err.value)


def test_examples_file_next_to_the_taxonomy(tmp_path):
    import yaml

    (tmp_path / "ex.yaml").write_text(yaml.safe_dump({"card": {"en": ["my card is bent"]}}), "utf-8")
    data = json.loads(json.dumps(BANK))
    data["examples"] = "ex.yaml"
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert ("my card is bent", "") in load_taxonomy(path).touchpoint("card").examples("en")
    (tmp_path / "ex.yaml").write_text(yaml.safe_dump({"atm": {"en": ["x"]}}), "utf-8")
    with pytest.raises(TaxonomyError, match="atm"):
        load_taxonomy(path)


def test_learned_mapper_maps_and_explains(fitted):
    out = fitted.map(["Karte ist immer noch nicht da 😡", "the branch was closed again"])
    assert out["touchpoint"].tolist() == ["card", "branch"]
    assert fitted.method_ == "learned"
    conf = out["mapping_confidence"].to_numpy()
    assert ((conf > 0) & (conf <= 1)).all()
    assert "nearest example" in out["mapping_evidence"][0] and "p=" in out["mapping_evidence"][0]


def test_fit_on_labels_adapts_and_saves_without_pickle(tmp_path):
    texts = ["Automat hat Karte eingezogen", "Kontaktlos zahlen geht nicht", "Schalter war unbesetzt",
             "Terminvereinbarung vor Ort unmöglich"]
    mapper = JourneyMapper(BANK).fit(texts, ["card", "card", "branch", "branch"])
    assert mapper.method_ == "learned"
    before = mapper.map(texts + ["neue Karte bestellt, wann kommt sie?"])
    mapper.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["journey_model.json", "journey_model.npz"]
    again = JourneyMapper.load(tmp_path / "m")
    pd.testing.assert_frame_equal(again.map(texts + ["neue Karte bestellt, wann kommt sie?"]), before)


def test_unknown_touchpoint_label_names_row_and_field():
    with pytest.raises(LabelError) as err:
        JourneyMapper(BANK).fit(["a", "b"], ["card", "lounge"])
    assert "row 2" in str(err.value) and "'touchpoint'" in str(err.value) and "lounge" in str(err.value)
    with pytest.raises(LabelError, match="phase"):
        JourneyMapper(BANK).fit(["a"], ["card"], phases=["usage"])


def test_empty_text_or_missing_label_is_refused_by_row():
    with pytest.raises(LabelError, match="row 2, field 'text'"):
        JourneyMapper(BANK).fit(["Karte weg", float("nan")], ["card", "card"])
    with pytest.raises(LabelError, match="row 1, field 'touchpoint'"):
        JourneyMapper(BANK).fit(pd.Series(["Karte weg"]), pd.Series([None]))


def test_examples_file_in_the_wrong_shape_names_the_file(tmp_path):
    import yaml

    (tmp_path / "ex.yaml").write_text("card:\n  en: not a list\n", "utf-8")
    data = json.loads(json.dumps(BANK))
    data["examples"] = "ex.yaml"
    (tmp_path / "tax.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(tmp_path / "tax.yaml")
    assert "ex.yaml" in str(err.value) and "'card'" in str(err.value) and "'en'" in str(err.value)
    data["examples"] = "missing.yaml"
    (tmp_path / "tax.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(TaxonomyError, match="does not exist"):
        load_taxonomy(tmp_path / "tax.yaml")


def test_damaged_or_foreign_saved_mapper_is_refused(tmp_path):
    with pytest.raises(ModelError, match="fit-journey"):
        JourneyMapper.load(tmp_path)
    (tmp_path / "journey_model.json").write_text(json.dumps({"format": "other"}), "utf-8")
    np.savez(tmp_path / "journey_model.npz", x=np.zeros(1))
    with pytest.raises(ModelError, match="not a saved journey mapper"):
        JourneyMapper.load(tmp_path)


def test_thread_context_single_message_and_empty(fitted):
    frame = pd.DataFrame({"text": ["my card got declined 😡", "still nothing??", "", "only me here"],
                          "conversation_id": ["c1", "c1", "c2", "c3"],
                          "timestamp": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:05", "2026-01-02 09:00",
                                                       "2026-01-03 09:00"])})
    out = fitted.map(frame)
    assert out["touchpoint"][0] == "card"
    assert out["touchpoint"][1] == "card"  # the thread carries the touchpoint to a message that names none
    assert out["touchpoint"][2] == "unknown" and "empty" in out["mapping_evidence"][2]
    assert len(out) == 4 and out.index.equals(frame.index)


def test_zero_shot_stays_the_default_and_taxonomy_without_examples_cannot_learn():
    assert JourneyMapper().method == "zero_shot"
    plain = json.loads(json.dumps(BANK))
    for t in plain["touchpoints"]:
        t.pop("examples_de"), t.pop("examples_en")
    assert JourneyMapper(plain, method="auto").fit().method_ == "zero_shot"
    with pytest.raises(si.errors.ConfigError, match="no examples"):
        JourneyMapper(plain, method="learned").fit()


def test_cli_fit_journey_and_annotate_with_it(tmp_path):
    from supportinsight.cli import app

    labels = tmp_path / "labels.csv"
    pd.DataFrame({"text": ["Karte weg", "Filiale zu", "card blocked", "branch queue"],
                  "touchpoint": ["delivery", "store", "payment", "store"]}).to_csv(labels, index=False)
    runner = CliRunner()
    res = runner.invoke(app, ["fit-journey", str(labels), "-o", str(tmp_path / "jm")])
    assert res.exit_code == 0, res.output
    export = tmp_path / "export.csv"
    pd.DataFrame({"text": ["Filiale hatte schon wieder zu 😡"], "conversation_id": ["1"]}).to_csv(export, index=False)
    res = runner.invoke(app, ["annotate", str(export), "-o", str(tmp_path / "a.parquet"), "--journey-model",
                              str(tmp_path / "jm"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert pd.read_parquet(tmp_path / "a.parquet")["touchpoint"].tolist() == ["store"]
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"text": ["x"], "touchpoint": ["nope"]}).to_csv(bad, index=False)
    res = runner.invoke(app, ["fit-journey", str(bad), "-o", str(tmp_path / "jm2")])
    assert res.exit_code != 0 and "nope" in res.output


def test_pain_points_report_touchpoint_coverage():
    frame = pd.DataFrame({"conversation_id": ["1", "2", "3", "4"], "author_role": "customer",
                          "sentiment": ["negative", "neutral", "negative", "positive"],
                          "journey_phase": ["retention", "unknown", "retention", "unknown"],
                          "touchpoint": ["delivery", "unknown", "delivery", "unknown"],
                          "text": ["a", "b", "c", "d"]})
    assert si.pain_points(frame).attrs["coverage"] == 0.5


def test_golden_real_set_uses_the_taxonomy_ids():
    tax = load_taxonomy("default")
    rows = [json.loads(x) for x in (DATA / "journey_golden_real.jsonl").read_text("utf-8").splitlines() if x.strip()]
    assert len(rows) >= 400
    assert {r["touchpoint"] for r in rows} <= set(tax.touchpoint_ids)
    assert {r["phase"] for r in rows} <= set(tax.phase_ids)
    assert all(r["primary"] == r["intents"][0] for r in rows)


def test_evaluate_scores_a_saved_journey_mapper_on_the_shared_sets(tmp_path, fitted):
    from supportinsight.cli import app

    texts = ["Automat hat Karte eingezogen", "Schalter war unbesetzt"]
    JourneyMapper(BANK).fit(texts, ["card", "branch"]).save(tmp_path / "m")
    res = CliRunner().invoke(app, ["evaluate", "--task", "journey", "--data-dir", str(tmp_path / "no_data"),
                                   "--model", str(tmp_path / "m"), "-o", str(tmp_path / "out.json")])
    assert res.exit_code == 0, res.output
    out = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert "method='learned'" in out["mapper"]
    assert "bitext/dev.csv" in out["skipped"]

"""read_label_file: label variants, and bad sheets rejected with file, row and field named."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from supportinsight.adapt.labels import labelled_ids, normalise_label, read_label_file, read_label_files
from supportinsight.errors import ConfigError, LabelError

FILES = Path(__file__).parent / "data" / "label_files"


def test_adapt_labels_good_sheet_maps_variants_and_skips_unlabelled():
    with pytest.warns(UserWarning, match="skipped 1 rows without a label"):
        frame = read_label_file(FILES / "good_sentiment.csv", task="sentiment")
    assert frame["message_id"].tolist() == ["a1", "a2", "a3", "a4", "a5", "a6", "a8", "a9", "a10"]
    assert frame["label"].tolist() == ["negative", "positive", "neutral", "negative", "positive", "neutral",
                                       "negative", "positive", "neutral"]
    # rows are counted as a spreadsheet shows them: header is row 1
    assert frame["row"].tolist()[:3] == [2, 3, 4]
    # the quote that neutralize() put before a formula-like text is removed again
    assert frame.loc[frame["message_id"] == "a10", "text"].item().startswith("=SUMME(A1)")
    assert frame.attrs["skipped_unlabelled"] == 1


@pytest.mark.parametrize("value, expected", [
    ("neg", "negative"), ("NEGATIV", "negative"), (" positiv ", "positive"), ("-1", "negative"), (-1.0, "negative"),
    (0, "neutral"), (1.0, "positive"), ("neu", "neutral"), ("+", "positive"), ("Neutral", "neutral"),
])
def test_adapt_labels_sentiment_variants(value, expected):
    assert normalise_label(value, task="sentiment") == [expected]


@pytest.mark.parametrize("value", ["mixed", "2", "sehr gut", "0.5", "positive!"])
def test_adapt_labels_sentiment_unknown_names_allowed_set(value):
    with pytest.raises(ValueError, match=r"allowed: \['negative', 'neutral', 'positive'\]"):
        normalise_label(value, task="sentiment")


@pytest.mark.parametrize("name, task, row, field, fragment", [
    ("unknown_label.csv", "sentiment", 4, "label", "unknown sentiment label 'mixed'"),
    ("empty_text.csv", "sentiment", 3, "text", "text is empty"),
    ("conflicting_ids.csv", "sentiment", 5, "message_id", "also on row 2 with a different label"),
    ("missing_column.csv", "sentiment", None, "text", "column missing"),
    ("too_few.csv", "sentiment", None, "label", "too few rows per class"),
    ("cp1252.csv", "sentiment", None, None, "save the sheet as UTF-8"),
    ("broken.jsonl", "sentiment", 2, None, "not valid JSON"),
])
def test_adapt_labels_bad_sheet_names_file_row_field(name, task, row, field, fragment):
    path = FILES / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(LabelError, match=fragment) as info:
            read_label_file(path, task=task)
    err = info.value
    assert err.file == str(path) and str(path) in str(err)
    assert err.row == row
    assert err.field == field
    if row is not None:
        assert f"row {row}" in str(err)


def test_adapt_labels_exact_duplicates_dropped_with_warning():
    with pytest.warns(UserWarning, match="dropped 2 rows that repeat an earlier row exactly"):
        frame = read_label_file(FILES / "exact_duplicates.csv", task="sentiment")
    assert len(frame) == 6
    assert frame["message_id"].is_unique


def test_adapt_labels_wrong_encoding_reads_when_named():
    frame = read_label_file(FILES / "cp1252.csv", task="sentiment", encoding="cp1252", min_per_class=1)
    assert frame["text"].tolist() == ["Grüße, alles gut", "Unmöglich"]


def test_adapt_labels_intents_jsonl_multi_label_and_class_check():
    frame = read_label_file(FILES / "intents.jsonl", task="intent", min_per_class=1)
    assert frame["label"].tolist() == ["question", "question", "request", "request", "gratitude", "gratitude"]
    assert frame.loc[2, "labels"] == ["request", "churn_threat"]
    # JSONL rows are line numbers (a blank line is skipped, not counted as a row)
    assert frame["row"].tolist() == [1, 2, 3, 4, 6, 7]
    with pytest.raises(LabelError, match=r"row 3, field 'label': unknown intent 'churn_threat'"):
        read_label_file(FILES / "intents.jsonl", task="intent", classes=["question", "request", "gratitude"])


def test_adapt_labels_xlsx_with_excel_numbers(tmp_path):
    path = tmp_path / "sheet.xlsx"
    pd.DataFrame({"text": ["schlecht", "gut", "ok", "mies", "toll", "naja"],
                  "label": [-1, 1, 0, -1, 1, 0]}).to_excel(path, index=False)
    frame = read_label_file(path, task="sentiment")
    assert frame["label"].tolist() == ["negative", "positive", "neutral"] * 2
    assert frame["message_id"].isna().all()


def test_adapt_labels_unlabelled_sheet_and_single_class_rejected(tmp_path):
    blank = tmp_path / "blank.csv"
    blank.write_text("message_id,text,label\n1,hallo,\n2,welt,\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(LabelError, match="no labelled rows"):
            read_label_file(blank)
    one = tmp_path / "one.csv"
    one.write_text("text,label\nschlecht,neg\nmies,neg\n", encoding="utf-8")
    with pytest.raises(LabelError, match="only one class"):
        read_label_file(one)


def test_adapt_labels_rejects_bad_arguments(tmp_path):
    with pytest.raises(ConfigError, match="task must be one of"):
        read_label_file(FILES / "good_sentiment.csv", task="topics")
    with pytest.raises(LabelError, match="unsupported file type '.txt'"):
        read_label_file(tmp_path / "labels.txt")
    with pytest.raises(LabelError, match="file not found"):
        read_label_file(tmp_path / "nope.csv")


def test_adapt_labels_labelled_ids_of_a_sheet():
    assert labelled_ids(FILES / "conflicting_ids.csv") == ["a1", "a2", "a3", "a1"]


def _sheet(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    pd.DataFrame(rows, columns=["message_id", "text", "label"]).to_csv(path, index=False)
    return path


def test_adapt_labels_rounds_are_checked_together(tmp_path):
    first = _sheet(tmp_path / "r1.csv", [("a", "Paket kam nie an", "negative"), ("b", "Danke, alles gut", "positive"),
                                         ("c", "Wann öffnet ihr?", "neutral"), ("d", "Super, danke!", "positive"),
                                         ("h", "Wo finde ich die Rechnung?", "neutral")])
    # one class only: a sheet of its own could not train a model, as the second round it may
    second = _sheet(tmp_path / "r2.csv", [("e", "Wieder zu spät", "negative"), ("f", "Nie wieder", "negative"),
                                          ("a", "Paket kam nie an", "negative")])
    with pytest.raises(LabelError, match="only one class"):
        read_label_file(second)
    with pytest.warns(UserWarning, match="1 messages appear in more than one sheet"):
        both = read_label_files([first, second])
    assert both["message_id"].tolist() == ["a", "b", "c", "d", "h", "e", "f"]
    assert both["file"].tolist() == [str(first)] * 5 + [str(second)] * 2
    # together they still need two rows per class
    lone = _sheet(tmp_path / "r3.csv", [("g", "Hallo?", "neutral")])
    with pytest.raises(LabelError, match=r"too few rows per class: \{'neutral': 1\}"):
        read_label_files([second, lone])


def test_adapt_labels_rounds_that_disagree_name_file_row_and_both_sheets(tmp_path):
    first = _sheet(tmp_path / "r1.csv", [("a", "Paket kam nie an", "negative"), ("b", "Danke", "positive")])
    second = _sheet(tmp_path / "r2.csv", [("x", "Ok", "neutral"), ("a", "Paket kam nie an", "neutral")])
    with pytest.raises(LabelError) as info:
        read_label_files([first, second])
    err = info.value
    assert (err.file, err.row, err.field) == (str(second), 3, "message_id")
    assert str(first) in str(err) and "different label" in str(err)


def test_adapt_labels_rounds_need_a_path_and_name_a_changed_text(tmp_path):
    with pytest.raises(ConfigError, match="at least one path"):
        read_label_files([])
    first = _sheet(tmp_path / "r1.csv", [("a", "Paket kam nie an", "negative"), ("b", "Danke", "positive")])
    second = _sheet(tmp_path / "r2.csv", [("a", "Ganz anderer Text", "negative")])
    with pytest.raises(LabelError, match=r"id 'a' is also in .*r1\.csv \(row 2\) with a different text"):
        read_label_files([first, second])

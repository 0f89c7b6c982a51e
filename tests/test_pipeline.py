"""The pipeline runner: order checks, disable=, per-message error capture, chunks, provenance."""

from __future__ import annotations

import pandas as pd
import pytest

from supportinsight.enrich.base import Step, analysis_text
from supportinsight.errors import ConfigError, PipelineError
from supportinsight.pipeline import ERROR_COLUMN, Pipeline, iter_conversation_chunks, prepare_frame


class Length(Step):
    name = "length"
    requires = ("text",)
    assigns = ("n_chars",)

    def apply(self, frame):
        return pd.DataFrame({"n_chars": analysis_text(frame).str.len()}, index=frame.index)


class Doubles(Step):
    name = "doubles"
    requires = ("n_chars",)
    assigns = ("twice",)

    def apply(self, frame):
        return pd.DataFrame({"twice": frame["n_chars"] * 2}, index=frame.index)


class FailsOnBoom(Step):
    name = "fragile"
    requires = ("text",)
    assigns = ("upper",)

    def apply(self, frame):
        if frame["text"].str.contains("boom").any():
            raise RuntimeError("cannot handle boom")
        return pd.DataFrame({"upper": frame["text"].str.upper()}, index=frame.index)


class ConversationSize(Step):
    """Needs whole conversations in one chunk to be right."""

    name = "conv_size"
    requires = ("conversation_id",)
    assigns = ("conv_size",)

    def apply(self, frame):
        return pd.DataFrame({"conv_size": frame.groupby("conversation_id")["text"].transform("size")},
                            index=frame.index)


def test_pipeline_runs_steps_in_order_and_records_provenance():
    out = Pipeline([Length(), Doubles()])(pd.DataFrame({"text": ["ab", "abcd"]}))
    assert out["n_chars"].tolist() == [2, 4]
    assert out["twice"].tolist() == [4, 8]
    assert [p["step"] for p in out.attrs["supportinsight_steps"]] == ["length", "doubles"]
    assert out[ERROR_COLUMN].tolist() == ["", ""]


def test_pipeline_check_names_missing_column_and_step():
    with pytest.raises(PipelineError, match=r"'doubles' needs column\(s\) \['n_chars'\]"):
        Pipeline([Doubles(), Length()])(pd.DataFrame({"text": ["x"]}))


def test_pipeline_disable_skips_step():
    p = Pipeline([Length(), FailsOnBoom()], disable=["fragile"])
    assert p.step_names == ["length"]


def test_pipeline_disable_unknown_name_is_an_error():
    with pytest.raises(ConfigError, match="unknown steps"):
        Pipeline([Length()], disable=["nope"])


def test_pipeline_records_per_message_error_and_keeps_the_rest():
    frame = pd.DataFrame({"text": ["fine", "boom here", "also fine"]})
    out = Pipeline([FailsOnBoom()])(frame)
    assert out["upper"].tolist()[0] == "FINE" and out["upper"].tolist()[2] == "ALSO FINE"
    assert pd.isna(out["upper"].iloc[1])
    assert "fragile: RuntimeError: cannot handle boom" in out[ERROR_COLUMN].iloc[1]
    assert out[ERROR_COLUMN].iloc[0] == ""
    assert len(out) == len(frame)


def test_pipeline_on_error_raise_stops():
    with pytest.raises(RuntimeError):
        Pipeline([FailsOnBoom()], on_error="raise")(pd.DataFrame({"text": ["boom"]}))


def test_pipeline_chunks_keep_conversations_whole_and_order():
    frame = pd.DataFrame({
        "conversation_id": ["a", "b", "a", "c", "b", "a"],
        "text": list("uvwxyz"),
    }, index=[10, 10, 11, 12, 13, 14])  # duplicated user index on purpose
    out = Pipeline([ConversationSize()])(frame, chunk_size=1, progress=False)
    assert out.index.tolist() == frame.index.tolist()
    assert out["text"].tolist() == frame["text"].tolist()
    assert out["conv_size"].tolist() == [3, 2, 3, 1, 2, 3]


def test_iter_conversation_chunks_covers_every_row_once():
    frame = pd.DataFrame({"conversation_id": [str(i % 7) for i in range(50)], "text": ["t"] * 50})
    seen = [i for chunk in iter_conversation_chunks(frame, 10) for i in chunk.index]
    assert sorted(seen) == list(range(50))


def test_prepare_frame_accepts_text_only_frame():
    out = prepare_frame(pd.DataFrame({"text": ["hallo"]}))
    assert {"body", "message_id", "author_role"} <= set(out.columns)


def test_prepare_frame_without_text_column_says_what_to_do():
    with pytest.raises(PipelineError, match="rename your text column"):
        prepare_frame(pd.DataFrame({"message": ["x"]}))


def test_analysis_text_prefers_non_empty_body():
    frame = pd.DataFrame({"text": ["full > quoted", "only text"], "body": ["full", ""]})
    assert analysis_text(frame).tolist() == ["full", "only text"]


def test_analysis_text_is_cut_to_the_documented_limit():
    from supportinsight.enrich.base import MAX_ANALYSIS_CHARS

    frame = pd.DataFrame({"text": ["x" * (MAX_ANALYSIS_CHARS + 50), "short"]})
    out = analysis_text(frame)
    assert out.str.len().tolist() == [MAX_ANALYSIS_CHARS, 5]
    assert len(frame["text"].iloc[0]) == MAX_ANALYSIS_CHARS + 50  # the original is untouched


def test_declared_steps_match_the_table_in_the_pipeline_docstring():
    """The step table a reader follows (pipeline.py's docstring) says what each class declares."""
    import re

    from supportinsight import pipeline as pl
    from supportinsight.enrich.base import Step

    doc = pl.__doc__
    body = doc[doc.index("step       reads"):]
    rows: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines()[2:]:
        if line.startswith("====="):
            break
        name, left, right = line[:11].strip(), line[11:55].strip(), line[55:].strip()
        if name:
            current = name
            rows[current] = ["", ""]
        rows[current][0] += " " + left
        rows[current][1] += " " + right
    assert list(rows) == list(pl.STEP_FACTORIES)
    for name, (reads, writes) in rows.items():
        cls = pl.STEP_FACTORIES[name]
        assert issubclass(cls, Step) and cls.name == name
        needed, _, optional = reads.partition(";")
        words = lambda s: {w for w in re.split(r"[,\s]+", s) if w}  # noqa: E731
        assert words(needed) == set(cls.requires), name
        assert words(optional) == set(cls.reads), name
        assert words(writes) == set(cls.assigns), name


def test_pipeline_imports_its_steps_by_name():
    """No step is found through a module-name string: a reader (and a tool) can follow the imports."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "src" / "supportinsight" / "pipeline.py").read_text("utf-8")
    assert "importlib" not in source
    from supportinsight.enrich.language import LanguageStep
    from supportinsight.pipeline import STEP_FACTORIES, Pipeline

    assert STEP_FACTORIES["language"] is LanguageStep
    assert isinstance(Pipeline(["language"]).steps[0], LanguageStep)


def test_a_text_the_shared_preparation_cannot_read_fails_alone():
    """A lone surrogate (pandas cannot store it as a string) is recorded on its message; the others are annotated."""
    frame = pd.DataFrame({"text": pd.Series(["bad \ud800 surrogate 😡", "Paket ist nicht da 😡", ""], dtype=object)})
    import supportinsight as si

    out = si.annotate(frame)
    assert len(out) == 3
    assert "UnicodeEncodeError" in out["annotation_errors"].iloc[0]
    assert out["annotation_errors"].iloc[1] == "" and out["sentiment"].iloc[1] == "negative"
    assert "_analysis_text" not in out.columns

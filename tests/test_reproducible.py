"""Same input and settings give byte-identical annotated Parquet, also in another input order."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.store import write_annotated

pytestmark = pytest.mark.slow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def frame(samples_dir):
    return si.load(samples_dir).head(120).reset_index(drop=True)


def test_annotated_parquet_is_byte_identical_across_runs(frame, tmp_path):
    a = write_annotated(si.annotate(frame), tmp_path / "a.parquet")
    b = write_annotated(si.annotate(frame.copy()), tmp_path / "b.parquet")
    assert _digest(a) == _digest(b)


def test_annotations_do_not_depend_on_input_order(frame):
    cols = ["language", "sentiment", "intent", "journey_phase", "touchpoint"]
    ordered = si.annotate(frame).set_index("message_id")[cols]
    shuffled = si.annotate(frame.sample(frac=1.0, random_state=7)).set_index("message_id")[cols]
    pd.testing.assert_frame_equal(ordered, shuffled.loc[ordered.index])


def test_report_identical_except_generation_time(frame, tmp_path):
    annotated = si.annotate(frame)
    one = si.report(annotated, generated="2026-01-01 00:00 UTC").html
    two = si.report(annotated.copy(), generated="2026-01-01 00:00 UTC").html
    assert one == two

"""The contract of a pipeline step: declared inputs, declared outputs, one method."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar

import numpy as np
import pandas as pd

from ..text.repair import repair_text

__all__ = ["Step", "analysis_text", "MAX_ANALYSIS_CHARS", "NOTES_COLUMN", "ANALYSIS_COLUMN", "unique_inverse"]

#: A step may return this extra column: per message a note (or "") that the pipeline adds
#: to ``annotation_errors``, for work it did but only in part (a text cut to the model's length).
NOTES_COLUMN = "_step_notes"

#: Models read at most this many characters of a message (the original ``text`` is
#: kept whole). Bounds the work one pasted log or a 200 kB mail can cause; the
#: encoder itself only reads the first few hundred tokens anyway.
MAX_ANALYSIS_CHARS = 10_000


#: Column in which a pipeline run keeps :func:`analysis_text` while its steps run, so the
#: text is chosen, cut and repaired once per message, not once per step; never in the output.
ANALYSIS_COLUMN = "_analysis_text"


def analysis_text(frame: pd.DataFrame) -> pd.Series:
    """The text a model should read: ``body`` (quotes and signatures removed) where
    present and non-empty, else ``text``; missing values become ``""``; cut to
    :data:`MAX_ANALYSIS_CHARS` characters and repaired (mojibake, HTML entities, curly
    quotes: :func:`~supportinsight.text.repair.repair_text`)."""
    if ANALYSIS_COLUMN in frame.columns:
        return frame[ANALYSIS_COLUMN]
    text = frame["text"].astype("string").fillna("") if "text" in frame.columns else pd.Series("", index=frame.index)
    if "body" in frame.columns:
        body = frame["body"].astype("string")
        use_body = body.notna() & (body.str.strip().str.len() > 0)
        text = text.where(~use_body, body)
    long = text.str.len() > MAX_ANALYSIS_CHARS
    if long.any():
        text = text.where(~long, text.str.slice(0, MAX_ANALYSIS_CHARS))
    return text.astype(str).map(repair_text)


def unique_inverse(items: Sequence[Hashable]) -> tuple[list, np.ndarray]:
    """The distinct items in first-seen order and, per item, its position among them:
    ``[out[j] for j in inverse]`` expands per-unique results back. Exports repeat texts
    (auto-replies, "Danke!", templates); steps score each distinct text once."""
    seen: dict = {}
    inverse = np.fromiter((seen.setdefault(x, len(seen)) for x in items), dtype=np.int64, count=len(items))
    return list(seen), inverse


class Step:
    """One named enrichment step.

    Subclasses set ``name``, ``requires`` (columns that must exist before it runs),
    ``reads`` (columns it uses when they are there) and ``assigns`` (columns it adds), and implement :meth:`apply`, which returns a frame
    with exactly the ``assigns`` columns and the input's index. A step must not
    modify its input. ``version`` names the model or lexicon behind the step, for
    provenance.
    """

    name: ClassVar[str] = "step"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    #: Further columns the step reads when they are there (``body``, an earlier step's output).
    reads: ClassVar[tuple[str, ...]] = ("body",)
    assigns: ClassVar[tuple[str, ...]] = ()
    #: True for steps that must see every message at once (topic fitting); the
    #: pipeline then runs them after the per-conversation chunks are joined.
    needs_whole_frame: ClassVar[bool] = False

    @property
    def version(self) -> str:
        return type(self).__name__

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def defaults(self) -> dict[str, object]:
        """Values written for a message on which the step failed (see Pipeline ``on_error``)."""
        return {c: None for c in self.assigns}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

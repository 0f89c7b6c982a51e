"""A thin, stateless pandas accessor: ``df.si.pain_points()``, ``df.si.report("r.html")``.

Each method calls the library function of the same name on the frame; nothing is
cached on the accessor (pandas creates a new one on every attribute access), so
state lives in columns and ``DataFrame.attrs`` only.

>>> import supportinsight as si
>>> annotated = si.load("data/samples").si.annotate()     # doctest: +SKIP
>>> annotated.si.pain_points().head(3)                     # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["SupportInsightAccessor"]


@pd.api.extensions.register_dataframe_accessor("si")
class SupportInsightAccessor:
    """``df.si``: supportinsight functions as DataFrame methods."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def validate(self) -> pd.DataFrame:
        from .schema import validate_frame

        return validate_frame(self._frame)

    def annotate(self, **kwargs: Any) -> pd.DataFrame:
        from .pipeline import annotate

        return annotate(self._frame, **kwargs)

    def pain_points(self, **kwargs: Any) -> pd.DataFrame:
        from .aggregate.pain_points import pain_points

        return pain_points(self._frame, **kwargs)

    def escalation_signals(self, **kwargs: Any) -> pd.DataFrame:
        from .journey.signals import escalation_signals

        return escalation_signals(self._frame, **kwargs)

    def triage(self, **kwargs: Any) -> pd.DataFrame:
        from .aggregate.triage import triage

        return triage(self._frame, **kwargs)

    def topic_table(self, **kwargs: Any) -> pd.DataFrame:
        from .aggregate.topics import topic_table

        return topic_table(self._frame, **kwargs)

    def report(self, path: Any = None, **kwargs: Any):
        from .reporting import report

        return report(self._frame, path, **kwargs)

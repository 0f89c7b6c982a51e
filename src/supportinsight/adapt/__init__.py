"""Domain adaptation: pick messages worth labelling, read label files, measure what labels buy.

* :func:`select_for_labelling` ranks an annotated frame's messages by how much their
  labels would teach the model (uncertainty, spread over touchpoints and languages,
  near-duplicates removed; an embedding-diversity term is optional) and returns an
  annotator sheet. Label in rounds: pass the adapted model for the next round.
* :func:`read_label_file` reads the filled-in sheet (CSV, XLSX or JSONL) with checks
  that name file, row and field.
* :func:`learning_curve` cross-validates the model fitted on 50, 100, 200, 500 and all
  labels, next to the shipped model, so a team sees what another 100 labels buy.

>>> import supportinsight as si
>>> from supportinsight.adapt import select_for_labelling, read_label_file
>>> sheet = select_for_labelling(si.read_annotated("annotated.parquet"), n=200)  # doctest: +SKIP
>>> labelled = read_label_file("labelled.csv", task="sentiment")                  # doctest: +SKIP
>>> model = si.SentimentModel().fit(labelled["text"], labelled["label"])          # doctest: +SKIP
"""

from __future__ import annotations

from .active import LABEL_SHEET_COLUMNS, rank_for_labelling, select_for_labelling
from .curve import cross_validate, learning_curve
from .labels import read_label_file, read_label_files

__all__ = ["select_for_labelling", "rank_for_labelling", "LABEL_SHEET_COLUMNS", "read_label_file", "read_label_files",
           "learning_curve", "cross_validate"]

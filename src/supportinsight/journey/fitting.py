"""Teaching a journey mapper: checking a team's labels and learning both heads from examples and labels."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LabelError
from .learned import class_weights, fit_head
from .saved import LearnedParts
from .scoring import features
from .taxonomy import JourneyTaxonomy
from .training import taxonomy_examples

__all__ = ["check_labels", "learn_parts", "LEARNED_THRESHOLD", "USER_SHARE"]

#: Threshold of a learned mapper that has none chosen on labelled data (fit on a team's labels).
LEARNED_THRESHOLD = 0.4
#: Share of the training weight of each touchpoint that a team's own labels get in :meth:`JourneyMapper.fit`.
USER_SHARE = 0.7


def cell(value: Any) -> str:
    """A text or label cell as a string: missing values (None, NaN) become ``""``."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def check_labels(tax: JourneyTaxonomy, X: Any, y: Any, phases: Any) -> tuple[list[str], list[str], list[str]]:
    """Texts, touchpoint labels and phase labels for :meth:`JourneyMapper.fit`, checked against ``tax``."""
    if isinstance(X, str) or y is None or isinstance(y, str):
        raise LabelError("fit takes a list of texts and a list of touchpoint ids of the same length")
    texts, labels = [cell(t) for t in X], [cell(v) for v in y]
    if len(texts) != len(labels):
        raise LabelError(f"fit got {len(texts)} texts but {len(labels)} touchpoint labels; they must pair up")
    known = set(tax.touchpoint_ids)
    for i, (text, lab) in enumerate(zip(texts, labels)):
        if not text.strip():
            raise LabelError(f"row {i + 1}, field 'text': empty; a label needs a message (drop the row or fill "
                             "in the text)")
        if lab not in known:
            raise LabelError(f"row {i + 1}, field 'touchpoint': {lab!r} is not a touchpoint of taxonomy "
                             f"{tax.name!r}; touchpoints are {sorted(known)} (fix the label or add "
                             "the touchpoint to your taxonomy file)")
    if phases is None:
        by_id = {t.id: t for t in tax.touchpoints}
        phase_labels = [by_id[lab].primary_phase for lab in labels]
    else:
        phase_labels = [cell(p) for p in phases]
        if len(phase_labels) != len(labels):
            raise LabelError(f"fit got {len(labels)} touchpoints but {len(phase_labels)} phases; they must pair up")
        bad = next(((i, p) for i, p in enumerate(phase_labels) if p not in tax.phase_ids), None)
        if bad is not None:
            raise LabelError(f"row {bad[0] + 1}, field 'phase': {bad[1]!r} is not a phase of taxonomy "
                             f"{tax.name!r}; phases are {list(tax.phase_ids)}")
    return texts, labels, phase_labels


def learn_parts(mapper: Any, texts: list[str], labels: list[str], phase_labels: list[str],
                extra: pd.DataFrame | None = None) -> LearnedParts:
    """Learn both heads from the taxonomy's examples, ``extra`` rows and the user's labels."""
    rows = [taxonomy_examples(mapper.taxonomy_)]
    if extra is not None and len(extra):
        rows.append(extra)
    if texts:
        rows.append(pd.DataFrame({"text": texts, "touchpoint": labels, "phase": phase_labels, "lang": None,
                                  "group": "user"}))
    data = pd.concat(rows, ignore_index=True)
    if data["touchpoint"].nunique() < 2:
        raise LabelError("the mapper needs examples of at least two touchpoints to learn from; add examples "
                         "to the taxonomy or more labels")
    frame = pd.DataFrame({"text": data["text"].tolist()})
    if data["lang"].notna().all():
        frame["language"] = data["lang"].tolist()
    _, vecs, X_tp, X_ph = features(mapper, frame)
    shares = {"team": 1.0, "user": USER_SHARE / (1 - USER_SHARE)} if texts else {"team": 1.0}
    for g in set(data["group"]) - set(shares):
        shares[g] = 0.6  # public data sets: a bit less than the team's examples of the same touchpoint
    groups = data["group"].tolist()
    real = np.isin(np.asarray(groups, dtype=object), ["team", "user"])
    tp_head = fit_head(X_tp, data["touchpoint"].tolist(), class_weights(data["touchpoint"], groups, shares),
                       C=mapper.C, calibrate_on=real)
    ph_head = fit_head(X_ph, data["phase"].tolist(), class_weights(data["phase"], groups, shares),
                       C=mapper.C, calibrate_on=real)
    team = np.flatnonzero(real)
    return LearnedParts(
        touchpoint_head=tp_head, phase_head=ph_head, threshold=LEARNED_THRESHOLD, embedder=mapper._embedder().name,
        fingerprint=mapper.taxonomy_.fingerprint, example_texts=[str(data["text"][i]) for i in team],
        example_touchpoints=[str(data["touchpoint"][i]) for i in team], example_vectors=vecs[team],
        summary={"rows": {str(k): int(v) for k, v in data["group"].value_counts().items()},
                 "touchpoints": int(data["touchpoint"].nunique())})

"""How predicted labels are scored against gold labels.

At the ground layer, so both the evaluation tasks (:mod:`supportinsight.evaluate`) and
the labelling loop's learning curve (:mod:`supportinsight.adapt`) score the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.metrics import accuracy_score, classification_report, f1_score, recall_score

__all__ = ["classification_metrics"]


def classification_metrics(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, micro/macro F1, macro recall and the per-class report, as plain JSON types."""
    y_true = [str(y) for y in y_true]
    y_pred = [str(y) for y in y_pred]
    labels = sorted(set(y_true) | set(y_pred))
    report = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "micro_f1": float(f1_score(y_true, y_pred, average="micro", labels=labels, zero_division=0)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", labels=labels, zero_division=0)),
        "macro_recall": float(recall_score(y_true, y_pred, average="macro", labels=labels, zero_division=0)),
        "per_class": {k: {m: float(v) for m, v in d.items()} for k, d in report.items() if isinstance(d, dict)
                      and k in labels},
        "report_text": classification_report(y_true, y_pred, labels=labels, zero_division=0, digits=3),
    }

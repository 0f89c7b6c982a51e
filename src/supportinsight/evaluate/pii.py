"""Score PII redaction against texts with gold spans.

A gold file is JSONL (or CSV/TSV/Parquet) with a text column and a span column;
each span is ``{"type": ..., "start": ..., "end": ...}`` (``text`` optional) and
a CSV cell holds the span list as JSON. Per type the score reports

``recall``
    share of gold spans whose letters and digits are all covered by predicted
    spans *of the same type*;
``recall_any_type``
    share covered by predicted spans of any type (what matters for privacy:
    the value is gone, whatever its label);
``precision``
    share of predicted spans that overlap a gold span of the same type;
``false_positives``
    predicted spans that overlap no gold span at all;
``type_confusions``
    predicted spans that overlap only gold spans of another type;
``leaks``
    gold values still present verbatim in the redacted text.

Texts without spans are hard negatives: ``negatives.changed`` counts those that
redaction altered. ``evaluate_shared`` scores the team-written set shipped with the
source tree (``tests/data/pii_cases.jsonl``, built by ``scripts/build_pii_cases.py``)
and measures throughput. Nothing here prints; the CLI prints ``report_text``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LoadError
from ..text.pii import PII_TYPES, STRUCTURED_TYPES, PatternsArg, find_pii, redact
from .metrics import write_json, read_table

__all__ = ["evaluate_file", "evaluate_shared", "score_cases", "GOLDEN_FILE"]

#: The golden set shipped with the source tree (not with the wheel).
GOLDEN_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "pii_cases.jsonl"


def _read_table(path: Path) -> pd.DataFrame:
    return read_table(path, what='a JSONL, CSV, TSV or Parquet file with texts and PII spans')


def _parse_spans(value: Any, text: str, *, file: str, row: int, field: str) -> list[dict]:
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise LoadError(f"spans are not a JSON list ({exc.msg})", file=file, row=row, field=field) from None
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list):
        raise LoadError(f"spans must be a list of {{type, start, end}} objects, got {type(value).__name__}",
                        file=file, row=row, field=field)
    spans = []
    for s in value:
        if not isinstance(s, Mapping) or not {"type", "start", "end"} <= set(s):
            raise LoadError("each span needs 'type', 'start' and 'end'", file=file, row=row, field=field)
        typ = str(s["type"]).upper()
        if typ not in PII_TYPES:
            raise LoadError(f"unknown PII type {typ!r}; allowed: {list(PII_TYPES)}", file=file, row=row,
                            field=field)
        try:
            start, end = int(s["start"]), int(s["end"])
        except (TypeError, ValueError):
            raise LoadError("span start/end must be integers", file=file, row=row, field=field) from None
        if not 0 <= start < end <= len(text):
            raise LoadError(f"span {start}:{end} lies outside the text (length {len(text)})", file=file, row=row,
                            field=field)
        if "text" in s and s["text"] is not None and text[start:end] != s["text"]:
            raise LoadError(f"span {start}:{end} reads {text[start:end]!r}, not {s['text']!r}", file=file,
                            row=row, field=field)
        spans.append({"type": typ, "start": start, "end": end, "text": text[start:end]})
    return spans


def _covered(gold: dict, preds: Iterable[Any], text: str) -> bool:
    """True when every letter/digit of the gold span lies inside one of ``preds``."""
    need = [i for i in range(gold["start"], gold["end"]) if text[i].isalnum()]
    ranges = [(p.start, p.end) for p in preds]
    return all(any(s <= i < e for s, e in ranges) for i in need)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_cases(texts: Sequence[str], spans: Sequence[Sequence[dict]], *, ids: Sequence[str] | None = None,
                types: Iterable[str] | None = None, patterns: PatternsArg = None,
                max_examples: int = 30) -> dict[str, Any]:
    """Per-type precision, recall, false positives and leaks of :func:`find_pii`/:func:`redact`.

    Parameters
    ----------
    texts:
        The texts.
    spans:
        Gold spans per text (dicts with ``type``, ``start``, ``end``).
    ids:
        Case ids used in the example lists (default: row numbers).
    types, patterns:
        Passed to :func:`~supportinsight.text.pii.find_pii`.
    max_examples:
        How many misses and false positives to list.

    Returns
    -------
    dict
        ``per_type``, ``overall``, ``structured`` (micro over structured types),
        ``negatives``, ``misses``, ``false_positive_examples``, ``report_text``.
    """
    ids = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
    counts = {t: dict(n_gold=0, n_pred=0, found=0, found_any=0, pred_correct=0, false_positives=0,
                      type_confusions=0, leaks=0) for t in PII_TYPES}
    misses: list[dict] = []
    fp_examples: list[dict] = []
    neg_n = neg_changed = 0
    for cid, text, gold in zip(ids, texts, spans):
        preds = find_pii(text, types=types, patterns=patterns)
        redacted = redact(text, types=types, patterns=patterns)
        if not gold:
            neg_n += 1
            neg_changed += redacted != text
        for g in gold:
            c = counts[g["type"]]
            c["n_gold"] += 1
            same = [p for p in preds if p.type == g["type"]]
            if _covered(g, same, text):
                c["found"] += 1
            elif len(misses) < max_examples:
                got = [(p.type, p.text) for p in preds if _overlaps(p.start, p.end, g["start"], g["end"])]
                misses.append({"id": cid, "type": g["type"], "gold": g["text"], "predicted": got})
            if _covered(g, preds, text):
                c["found_any"] += 1
            if g["text"] in redacted:
                c["leaks"] += 1
        for p in preds:
            c = counts[p.type]
            c["n_pred"] += 1
            hit = [g for g in gold if _overlaps(p.start, p.end, g["start"], g["end"])]
            if any(g["type"] == p.type for g in hit):
                c["pred_correct"] += 1
            elif hit:
                c["type_confusions"] += 1
            else:
                c["false_positives"] += 1
                if len(fp_examples) < max_examples:
                    fp_examples.append({"id": cid, "type": p.type, "text": p.text})

    def rates(c: dict) -> dict:
        return {
            "n_gold": c["n_gold"], "n_pred": c["n_pred"],
            "recall": c["found"] / c["n_gold"] if c["n_gold"] else None,
            "recall_any_type": c["found_any"] / c["n_gold"] if c["n_gold"] else None,
            "precision": c["pred_correct"] / c["n_pred"] if c["n_pred"] else None,
            "false_positives": c["false_positives"], "type_confusions": c["type_confusions"],
            "leaks": c["leaks"],
        }

    def total(keys: Iterable[str]) -> dict:
        keys = list(keys)
        return rates({k: sum(counts[t][k] for t in keys) for k in counts[PII_TYPES[0]]})

    per_type = {t: rates(c) for t, c in counts.items() if c["n_gold"] or c["n_pred"]}
    out = {
        "n_texts": len(texts),
        "n_with_pii": len(texts) - neg_n,
        "per_type": per_type,
        "overall": total(PII_TYPES),
        "structured": total(STRUCTURED_TYPES),
        "negatives": {"n": neg_n, "changed": neg_changed},
        "misses": misses,
        "false_positive_examples": fp_examples,
    }
    out["report_text"] = _report_text(out)
    return out


def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def _report_text(m: dict) -> str:
    parts = [_table(m, "all cases" if "by_split" in m else None)]
    for name, sub in m.get("by_split", {}).items():
        parts.append(_table(sub, f"split {name!r}"))
    if "messages_per_second" in m:
        parts.append(f"throughput: {m['messages_per_second']:,.0f} messages per CPU second "
                     f"(redact, one process, mean {m.get('mean_chars_per_message', 0):.0f} characters)")
    return "\n\n".join(parts)


def _table(m: dict, title: str | None) -> str:
    lines = [f"== {title}: {m['n_texts']} texts ({m['n_with_pii']} with PII) =="] if title else []
    lines += [f"{'type':<14} {'gold':>5} {'pred':>5} {'recall':>6} {'any':>6} {'prec':>6} {'FP':>4} {'conf':>4} "
             f"{'leaks':>5}"]
    rows = list(m["per_type"].items()) + [("structured", m["structured"]), ("overall", m["overall"])]
    for name, r in rows:
        lines.append(f"{name:<14} {r['n_gold']:>5} {r['n_pred']:>5} {_fmt(r['recall'])} {_fmt(r['recall_any_type'])} "
                     f"{_fmt(r['precision'])} {r['false_positives']:>4} {r['type_confusions']:>4} {r['leaks']:>5}")
    neg = m["negatives"]
    lines.append(f"hard negatives changed by redact: {neg['changed']} of {neg['n']}")
    return "\n".join(lines)


def evaluate_file(path: str | Path, *, text_col: str = "text", label_col: str = "spans",
                  output: str | Path | None = None, types: Iterable[str] | None = None,
                  patterns: PatternsArg = None, id_col: str = "id", split_col: str = "split") -> dict[str, Any]:
    """Score redaction on a file of texts with gold PII spans.

    Parameters
    ----------
    path:
        JSONL, CSV, TSV or Parquet file.
    text_col, label_col:
        Column of the text and of the span list.
    output:
        Where to write the metrics as JSON (optional).
    types, patterns:
        Passed to :func:`~supportinsight.text.pii.find_pii`.
    id_col:
        Column with case ids, used in the lists of misses if present.
    split_col:
        Column naming a subset (e.g. ``dev``/``holdout``); if present, each subset
        is also scored on its own under ``by_split``.

    Returns
    -------
    dict
        See :func:`score_cases`; also ``file``.

    Raises
    ------
    LoadError
        Naming file, row and field for a missing column or a bad span.
    """
    path = Path(path)
    frame = _read_table(path)
    for col in (text_col, label_col):
        if col not in frame.columns:
            raise LoadError(f"column {col!r} not found (columns: {list(frame.columns)}); pass text_col=/label_col=",
                            file=str(path), field=col)
    texts, spans = [], []
    for row, (text, value) in enumerate(zip(frame[text_col], frame[label_col]), 1):
        if not isinstance(text, str):
            raise LoadError("text is missing or not a string", file=str(path), row=row, field=text_col)
        texts.append(text)
        spans.append(_parse_spans(value, text, file=str(path), row=row, field=label_col))
    ids = [str(x) for x in frame[id_col]] if id_col in frame.columns else None
    metrics = score_cases(texts, spans, ids=ids, types=types, patterns=patterns)
    metrics["file"] = str(path)
    if split_col in frame.columns:
        splits = [str(x) for x in frame[split_col]]
        metrics["by_split"] = {}
        for name in sorted(set(splits)):
            keep = [i for i, x in enumerate(splits) if x == name]
            metrics["by_split"][name] = score_cases([texts[i] for i in keep], [spans[i] for i in keep],
                                                    ids=[ids[i] for i in keep] if ids else None, types=types,
                                                    patterns=patterns)
        metrics["report_text"] = _report_text(metrics)
    if output is not None:
        write_json(metrics, output)
    return metrics


def _throughput(texts: Sequence[str], *, min_seconds: float = 1.0) -> float:
    """Messages per CPU second of :func:`redact` over ``texts`` (repeated until ``min_seconds`` passed)."""
    redact("warm up: Max Mustermann, 0151 12345678")
    # CPU time of this process: on a shared machine wall time mostly measures the neighbours
    done, start = 0, time.process_time()
    while True:
        for t in texts:
            redact(t)
        done += len(texts)
        elapsed = time.process_time() - start
        if elapsed >= min_seconds:
            return done / elapsed


def evaluate_shared(data_dir: str | Path | None = None, output: str | Path | None = None) -> dict[str, Any]:
    """Score redaction on the team-written German/English golden set and measure throughput.

    Parameters
    ----------
    data_dir:
        Folder holding ``pii_cases.jsonl`` (or a repository root with
        ``tests/data/pii_cases.jsonl``). Default: the source tree this module is in.
    output:
        Where to write the metrics as JSON (optional).

    Returns
    -------
    dict
        See :func:`score_cases`; also ``file`` and ``messages_per_second``.

    Raises
    ------
    LoadError
        If the golden file cannot be found (it ships with the source tree, not the wheel).
    """
    candidates = [GOLDEN_FILE]
    if data_dir is not None:
        d = Path(data_dir)
        candidates = [d / "pii_cases.jsonl", d / "tests" / "data" / "pii_cases.jsonl"]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise LoadError("the PII golden set pii_cases.jsonl was not found; it ships with the source tree "
                        "(tests/data/), not with the installed package - run from a checkout, pass data_dir=, "
                        "or rebuild it with `python scripts/build_pii_cases.py`", file=str(candidates[0]))
    metrics = evaluate_file(path)
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    metrics["messages_per_second"] = _throughput(texts)
    metrics["mean_chars_per_message"] = float(np.mean([len(t) for t in texts]))
    metrics["report_text"] = _report_text(metrics)
    if output is not None:
        write_json(metrics, output)
    return metrics

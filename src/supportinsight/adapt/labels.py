"""Read a filled-in label sheet (CSV, XLSX or JSONL) and check it before anything trains on it.

Rules (each violation raises :class:`~supportinsight.LabelError` naming file, row and field;
rows are counted as a spreadsheet shows them: the header is row 1, so the first data row of
a CSV/XLSX is row 2; for JSONL the row is the line number):

* columns ``text`` and ``label`` must exist (names configurable); ``message_id`` is optional;
* **labels**: for sentiment ``negative``/``neutral``/``positive`` and the common variants in
  :data:`~supportinsight.enrich.sentiment.LABEL_ALIASES` (``neg``/``neu``/``pos``, ``-1``/``0``/``1``,
  German ``negativ``/``positiv``, ``-``/``+``; case and spaces ignored; ``1.0`` from Excel reads as
  ``1``). Anything else is rejected with the allowed set. For intents any non-empty id is
  accepted (``a|b`` lists several, primary first), or only ``classes`` when given;
* **unlabelled rows** (empty label cell) are skipped with a warning: an annotator may stop
  half-way through a sheet. A file with no label at all is an error;
* **empty texts** with a label are an error (a label on nothing is a mistake in the sheet);
* **duplicated ids**: rows that repeat an earlier row exactly (same id, text and label) are
  dropped with a warning (a sheet pasted twice). The same id with a different text or label
  is an error naming both rows: only a person can say which is right;
* **too few rows per class**: each class needs ``min_per_class`` labelled rows (default 2).

A leading ``'`` that :func:`~supportinsight.text.spreadsheet.neutralize` put before ``=+-@`` is
removed from texts again.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, LabelError
from ..text.spreadsheet import FORMULA_PREFIXES

__all__ = ["read_label_file", "read_label_files", "labelled_ids", "check_class_counts", "normalise_label",
           "LABEL_FILE_SUFFIXES"]

LABEL_FILE_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".xlsx", ".jsonl", ".ndjson")
_TASKS = ("sentiment", "intent")


def _error(message: str, path: Path, row: int | None = None, field: str | None = None) -> LabelError:
    where = [f"file {path}"]
    if row is not None:
        where.append(f"row {row}")
    if field is not None:
        where.append(f"field {field!r}")
    err = LabelError(", ".join(where) + ": " + message)
    err.file, err.row, err.field = str(path), row, field
    return err


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel turns -1 into -1.0
    return str(value).strip()


def normalise_label(value: Any, *, task: str = "sentiment", classes: Iterable[str] | None = None) -> list[str]:
    """The label(s) of one cell: ``["negative"]`` for ``"neg"``; ``["a", "b"]`` for intent ``"a|b"``.

    Raises :class:`ValueError` with the allowed set when the label is not known.
    """
    key = _cell(value)
    if task == "sentiment":
        from ..enrich.sentiment import CLASSES, LABEL_ALIASES

        mapped = LABEL_ALIASES.get(key.lower())
        if mapped is None:
            raise ValueError(f"unknown sentiment label {key!r}; allowed: {list(CLASSES)} or the variants "
                             f"{sorted(k for k in LABEL_ALIASES if k not in CLASSES)}")
        return [mapped]
    items = [x.strip() for x in key.split("|") if x.strip()]
    if classes is not None:
        allowed = list(classes)
        bad = [x for x in items if x not in allowed]
        if bad:
            raise ValueError(f"unknown intent {bad[0]!r}; allowed: {allowed}")
    return items


def _read_rows(path: Path, encoding: str) -> tuple[pd.DataFrame, list[int]]:
    """The raw table as strings/objects and the row number of each record."""
    suffix = path.suffix.lower()
    if suffix not in LABEL_FILE_SUFFIXES:
        raise _error(f"unsupported file type {suffix!r}; save the sheet as one of {list(LABEL_FILE_SUFFIXES)}", path)
    if not path.is_file():
        raise _error("file not found", path)
    try:
        if suffix in (".jsonl", ".ndjson"):
            records, rows = [], []
            with path.open(encoding=encoding) as fh:
                for n, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise _error(f"not valid JSON ({exc.msg}); one JSON object per line", path, n) from None
                    if not isinstance(rec, dict):
                        raise _error("each line must be a JSON object with text and label", path, n)
                    records.append(rec)
                    rows.append(n)
            return pd.DataFrame(records), rows
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=object)
        else:
            frame = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False,
                                encoding=encoding)
    except UnicodeDecodeError as exc:
        raise _error(f"is not {encoding} text (byte {exc.object[exc.start:exc.start + 1]!r} at offset {exc.start}); "
                     "save the sheet as UTF-8 (Excel: 'CSV UTF-8') or pass encoding='cp1252' "
                     "(CLI: --encoding cp1252)", path) from None
    except LabelError:
        raise
    except Exception as exc:  # parser errors of pandas/openpyxl, translated at the boundary
        raise _error(f"cannot read the sheet ({type(exc).__name__}: {exc})", path) from None
    return frame, [i + 2 for i in range(len(frame))]


#: Where an id was first seen: file, row, text, labels.
_Seen = tuple[Path, int, str, tuple[str, ...]]


def _is_repeat(seen: dict[str, _Seen], mid: str, here: _Seen, id_col: str) -> bool:
    """Record ``mid`` as seen ``here``; ``True`` when it repeats an earlier row exactly (drop
    it), a :class:`LabelError` naming both places when its text or label differs."""
    prev = seen.get(mid)
    if prev is None:
        seen[mid] = here
        return False
    if prev[2:] == here[2:]:
        return True
    what = "label" if prev[2] == here[2] else "text"
    where = f"also on row {prev[1]}" if prev[0] == here[0] else f"is also in {prev[0]} (row {prev[1]})"
    raise _error(f"id {mid!r} {where} with a different {what}; keep one of the two rows", here[0], here[1], id_col)


def read_label_file(path: str | Path, *, task: str = "sentiment", text_col: str = "text", label_col: str = "label",
                    id_col: str = "message_id", classes: Iterable[str] | None = None, min_per_class: int = 2,
                    encoding: str = "utf-8-sig", check_classes: bool = True) -> pd.DataFrame:
    """Read and check a label file; see the module docstring for the rules.

    Parameters
    ----------
    path:
        ``.csv``, ``.tsv``, ``.xlsx`` or ``.jsonl`` with a text and a label column.
    task:
        ``"sentiment"`` (labels mapped to negative/neutral/positive) or ``"intent"``.
    text_col, label_col, id_col:
        Column names (the id column is optional).
    classes:
        For intents: the allowed ids (default: any).
    min_per_class:
        Fewest labelled rows a class may have.
    encoding:
        Text encoding of CSV/TSV/JSONL (default UTF-8, with or without BOM).
    check_classes:
        Check ``min_per_class`` and that two classes are labelled (``False`` when the
        file is one round of several and the check belongs to all of them together:
        :func:`check_class_counts`).

    Returns
    -------
    pandas.DataFrame
        ``message_id`` (``None`` where the file has none), ``text``, ``label`` (sentiment:
        the canonical class; intent: the primary id), ``labels`` (list of ids, primary
        first) and ``row`` (the row in the file), one row per usable label.
    """
    if task not in _TASKS:
        raise ConfigError(f"task must be one of {list(_TASKS)}, got {task!r}")
    if not isinstance(min_per_class, int) or min_per_class < 1:
        raise ConfigError(f"min_per_class must be a positive int, got {min_per_class!r}")
    path = Path(path)
    frame, rows = _read_rows(path, encoding)
    for col in (text_col, label_col):
        if col not in frame.columns:
            raise _error(f"column missing; the sheet has {list(map(str, frame.columns))[:12]} (rename the column or "
                         f"pass text_col/label_col)", path, field=col)
    has_id = id_col in frame.columns
    allowed = list(classes) if classes is not None else None
    out: list[dict[str, Any]] = []
    seen: dict[str, _Seen] = {}
    unlabelled = dropped = 0
    for row, text, label, mid in zip(rows, frame[text_col].tolist(), frame[label_col].tolist(),
                                     frame[id_col].tolist() if has_id else [None] * len(frame)):
        if _missing(label):
            unlabelled += 1
            continue
        try:
            labels = normalise_label(label, task=task, classes=allowed)
        except ValueError as exc:
            raise _error(str(exc), path, row, label_col) from None
        if not labels:
            unlabelled += 1
            continue
        if _missing(text):
            raise _error(f"text is empty but labelled {_cell(label)!r}; fill in the text or clear the label", path,
                         row, text_col)
        text = str(text)
        if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
            text = text[1:]  # undo spreadsheet neutralisation of our own sheet
        mid = None if _missing(mid) else _cell(mid)
        if mid is not None and _is_repeat(seen, mid, (path, row, text, tuple(labels)), id_col):
            dropped += 1
            continue
        out.append({"message_id": mid, "text": text, "label": labels[0], "labels": labels, "row": row})
    if dropped:
        warnings.warn(f"{path}: dropped {dropped} rows that repeat an earlier row exactly (same {id_col}, text and "
                      "label)", UserWarning, stacklevel=2)
    if unlabelled:
        warnings.warn(f"{path}: skipped {unlabelled} rows without a label", UserWarning, stacklevel=2)
    if not out:
        raise _error(f"no labelled rows; fill in the {label_col!r} column", path, field=label_col)
    result = pd.DataFrame(out, columns=["message_id", "text", "label", "labels", "row"])
    if check_classes:
        check_class_counts(result, path, min_per_class=min_per_class, label_col=label_col)
    result.attrs["file"] = str(path)
    result.attrs["skipped_unlabelled"] = unlabelled
    result.attrs["dropped_duplicates"] = dropped
    return result


def read_label_files(paths: Sequence[str | Path], *, task: str = "sentiment", text_col: str = "text",
                     label_col: str = "label", id_col: str = "message_id", classes: Iterable[str] | None = None,
                     min_per_class: int = 2, encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Several label sheets (labelling rounds) read as one, with :func:`read_label_file`'s checks.

    The class counts are checked on all sheets together (one round may hold no positive
    message). A ``message_id`` in two sheets with the same text and label counts once (a
    warning says how many); with a different text or label it is a :class:`LabelError`
    that names both files. ``file`` tells which sheet each row came from.

    >>> labelled = read_label_files(["round1.csv", "round2.csv"])   # doctest: +SKIP
    """
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    if not paths:
        raise ConfigError("read_label_files needs at least one path")
    frames = []
    seen: dict[str, _Seen] = {}
    repeats = 0
    for path in paths:
        frame = read_label_file(path, task=task, text_col=text_col, label_col=label_col, id_col=id_col,
                                classes=classes, min_per_class=min_per_class, encoding=encoding, check_classes=False)
        keep = [mid is None or not _is_repeat(seen, mid, (path, row, text, tuple(labels)), id_col)
                for mid, text, labels, row in zip(frame["message_id"], frame["text"], frame["labels"], frame["row"])]
        repeats += len(keep) - sum(keep)
        frames.append(frame[keep].assign(file=str(path)))
    if repeats:
        warnings.warn(f"{repeats} messages appear in more than one sheet with the same label; each counts once",
                      UserWarning, stacklevel=2)
    result = pd.concat(frames, ignore_index=True)
    check_class_counts(result, " + ".join(map(str, paths)), min_per_class=min_per_class, label_col=label_col)
    return result


def check_class_counts(labelled: pd.DataFrame, where: str | Path, *, min_per_class: int = 2,
                       label_col: str = "label") -> None:
    """Raise a :class:`LabelError` naming ``where`` unless every class has ``min_per_class``
    rows and at least two classes are labelled."""
    counts = labelled["label"].value_counts()
    few = counts[counts < min_per_class]
    if len(few):
        counted = {str(k): int(v) for k, v in few.items()}
        raise _error(f"too few rows per class: {counted} (need at least {min_per_class} each); label more messages "
                     "of these classes or drop them", where, field=label_col)
    if len(counts) < 2:
        raise _error(f"only one class ({counts.index[0]!r}) is labelled; a model needs at least two", where,
                     field=label_col)


def labelled_ids(path: str | Path, *, id_col: str = "message_id", encoding: str = "utf-8-sig") -> list[str]:
    """The ``message_id`` values of an earlier sheet (labelled or not), to skip them in the next round."""
    path = Path(path)
    frame, _ = _read_rows(path, encoding)
    if id_col not in frame.columns:
        raise _error("column missing; the sheet has no ids to exclude by", path, field=id_col)
    return [_cell(v) for v in frame[id_col].tolist() if not _missing(v)]

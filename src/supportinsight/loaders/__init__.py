"""Load support exports into the canonical message frame.

>>> import supportinsight as si
>>> frame = si.load("data/samples/")                                     # doctest: +SKIP
>>> frame, quarantine = si.load("tickets.csv", return_quarantine=True)   # doctest: +SKIP
>>> si.load(df, mapping={"text": "Nachricht", "conversation_id": "Ticket"})  # doctest: +SKIP

Formats (``si.load.formats()`` lists them; :func:`register_format` adds one):
generic ``csv``/``tsv``/``json``/``jsonl``/``xlsx`` with a column mapping,
``zendesk``, ``freshdesk``, ``chat_json``, ``chat_text``, ``whatsapp``, ``twcs``,
``social_jsonl``, ``eml``, ``mbox`` and ``dataframe``.

Rows that cannot be read go to a quarantine with file, record and reason, never
lost: for every load, rows in = rows loaded + rows quarantined
(``frame.attrs["rows_in"]``, ``frame.attrs["quarantined"]``). Only rows without
text, or that cannot be split into fields, are quarantined: a row whose date,
role or channel cannot be read is loaded (``NaT``, ``unknown``, ``other``) with a
note in its ``load_warnings`` column, counted in ``frame.attrs["rows_with_warnings"]``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Union

import pandas as pd

from ..errors import ConfigError, LoadError, QuarantineWarning, SchemaError
from ..schema import CHANNELS, REQUIRED, coerce_frame, validate_frame
from .frame import load_dataframe
from .records import MAX_ROW_BYTES, QUARANTINE_COLUMNS, WARNINGS_COLUMN, Context, Parsed
from .registry import SUPPORTED_EXTENSIONS, Format, detect_format, formats, get_format, register_format
from .sniff import peek
from .timestamps import zone

__all__ = ["load", "formats", "register_format", "Format", "read_mapping", "MAX_ROW_BYTES",
           "QUARANTINE_COLUMNS", "WARNINGS_COLUMN"]

Source = Union[str, os.PathLike, pd.DataFrame, Sequence[Union[str, os.PathLike]]]


def read_mapping(path: str | os.PathLike) -> dict[str, Any]:
    """A column mapping from a JSON or YAML file (``{"text": "Nachricht", ...}``)."""
    import json

    import yaml

    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LoadError(f"mapping file cannot be read ({exc.strerror or exc}); check the path",
                        file=str(p)) from exc
    try:
        data = json.loads(raw) if p.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as exc:
        raise LoadError(f"mapping file is not valid JSON/YAML ({exc}); write it as {{'text': 'Nachricht'}}",
                        file=str(p)) from exc
    if not isinstance(data, dict):
        raise LoadError("mapping file must hold an object of canonical column -> input column", file=str(p))
    return {str(k): v for k, v in data.items()}


def _files(source: Any) -> list[Path]:
    if isinstance(source, (str, os.PathLike)):
        items = [Path(source)]
    elif isinstance(source, Sequence) and not isinstance(source, (bytes, bytearray)):
        items = [Path(s) for s in source]
    else:
        raise ConfigError(f"source: expected a path, a folder, a list of paths or a DataFrame, "
                          f"got {type(source).__name__}")
    files: list[Path] = []
    for p in items:
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS
                           and not f.name.startswith("."))
            if not found:
                raise LoadError(f"folder holds no supported files ({', '.join(SUPPORTED_EXTENSIONS)})",
                                file=str(p))
            files.extend(found)
        elif not p.exists():
            raise LoadError("does not exist; check the path", file=str(p))
        else:
            files.append(p)
    if not files:
        raise LoadError("no input files given; pass a path, a folder or a list of paths")
    return files


def _frame(parsed: list[Parsed], stems: list[str]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for p, stem in zip(parsed, stems):
        for r in p.rows:
            r.setdefault("_stem", stem)
        rows.extend(p.rows)
    if not rows:
        from ..schema import empty_frame

        return empty_frame()
    frame = pd.DataFrame.from_records(rows)
    # ids repeated across files (two exports numbering tickets from 1) get the file stem in front
    dup = frame["message_id"].duplicated(keep=False)
    if dup.any():
        frame.loc[dup, "message_id"] = frame.loc[dup, "_stem"] + ":" + frame.loc[dup, "message_id"]
        if frame["message_id"].duplicated().any():  # the same file loaded twice
            seen: dict[str, int] = {}
            ids = []
            for mid in frame["message_id"]:
                n = seen.get(mid, 0)
                seen[mid] = n + 1
                ids.append(mid if n == 0 else f"{mid}#{n + 1}")
            frame["message_id"] = ids
    frame = frame.drop(columns="_stem")
    for col in frame.columns:
        if col.startswith("extra_") and frame[col].dtype == object:
            kinds = {type(v) for v in frame[col].dropna()}
            if len(kinds) > 1 and not kinds <= {int, float}:
                # mixed cells (numbers and text) would break Parquet: keep them as text
                frame[col] = frame[col].map(lambda v: None if v is None or v is pd.NA else str(v))
    return frame


def load(source: Source, format: str = "auto", mapping: Mapping[str, Any] | str | os.PathLike | None = None, *,
         return_quarantine: bool = False, roles: Mapping[str, str] | None = None, channel: str | None = None,
         encoding: str | None = None, tz: str = "UTC") -> Any:
    """Load support exports as the canonical message frame (see :mod:`supportinsight.schema`).

    Parameters
    ----------
    source:
        A file, a folder (every supported file in it, sorted by name; not recursive),
        a list of files, or a pandas DataFrame.
    format:
        ``"auto"`` sniffs each file; otherwise one of :func:`formats`.
    mapping:
        Canonical column -> input column for generic exports and DataFrames, or the
        path of a JSON/YAML file holding it. Unmapped columns are guessed from usual
        German/English names; ``text`` must be found.
    return_quarantine:
        Return ``(frame, quarantine)``. Otherwise a :class:`QuarantineWarning` tells
        how many rows were quarantined.
    roles:
        Speaker name or role value -> role, added to the default table (``roles.yaml``).
    channel:
        Force this channel for every message (e.g. ``"email"`` for a generic export).
    encoding:
        Force a text encoding; by default BOM, UTF-8, cp1252 are tried in turn.
    tz:
        Time zone of times written without offset (default ``"UTC"``); all
        timestamps come back in UTC.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The canonical frame; with ``return_quarantine`` also the quarantine, columns
        ``source, file, record, field, reason, raw`` (raw cut to 2,000 characters).
        ``frame.attrs`` holds ``rows_in``, ``quarantined``, ``formats`` (file -> format).

    Raises
    ------
    LoadError
        A file is missing or unreadable, or a required column cannot be found.
    UnknownFormatError
        ``format="auto"`` cannot tell what a file is.
    """
    if format != "auto" and format != "dataframe":
        get_format(format)
    if channel is not None and channel not in CHANNELS:
        raise ConfigError(f"channel: expected one of {list(CHANNELS)}, got {channel!r}")
    zone(tz)
    if roles is not None and not isinstance(roles, Mapping):
        raise ConfigError(f"roles: expected a mapping of speaker name -> role, got {type(roles).__name__}")
    if isinstance(mapping, (str, os.PathLike)):
        mapping = read_mapping(mapping)
    if mapping is not None and not isinstance(mapping, Mapping):
        raise ConfigError(f"mapping: expected a dict or a JSON/YAML file, got {type(mapping).__name__}")

    parsed: list[Parsed] = []
    stems: list[str] = []
    used: dict[str, str] = {}
    if isinstance(source, pd.DataFrame):
        if mapping is None and set(REQUIRED) <= set(source.columns):
            frame = _with_warnings(_validated(coerce_frame(source)))
            frame.attrs.update(rows_in=len(frame), quarantined=0, formats={"<dataframe>": "dataframe"},
                               rows_with_warnings=int(frame[WARNINGS_COLUMN].ne("").sum()))
            return (frame, _quarantine_frame([])) if return_quarantine else frame
        ctx = Context(file=Path("dataframe"), mapping=mapping, roles=roles, channel=channel, tz=tz)
        parsed.append(load_dataframe(source, ctx))
        stems.append("dataframe")
        used["<dataframe>"] = "dataframe"
    else:
        for path in _files(source):
            head = peek(path, encoding)
            if format == "auto" and not head.head.strip():
                # an empty export ("no tickets this week") loads nothing, whatever its extension
                parsed.append(Parsed(name=path.name))
                stems.append(path.stem)
                used[str(path)] = "empty"
                continue
            fmt_name = detect_format(head) if format == "auto" else format
            fmt = get_format(fmt_name)
            ctx = Context(file=path, mapping=mapping, roles=roles, channel=channel, encoding=encoding, tz=tz)
            try:
                result = fmt.loader(ctx)
            except (LoadError, ConfigError):
                raise
            except RecursionError as exc:
                raise LoadError("is nested too deeply to read; flatten the export", file=str(path)) from exc
            result.check()
            parsed.append(result)
            stems.append(path.stem)
            used[str(path)] = fmt_name
    frame = _with_warnings(_validated(coerce_frame(_frame(parsed, stems))))
    quarantine = _quarantine_frame([q for p in parsed for q in p.quarantine])
    warned = int(frame[WARNINGS_COLUMN].ne("").sum())
    frame.attrs.update(rows_in=sum(p.rows_in for p in parsed), quarantined=len(quarantine), formats=used,
                       rows_with_warnings=warned)
    if return_quarantine:
        return frame, quarantine
    if len(quarantine):
        files = sorted(set(quarantine["file"]))
        kept = f"; {warned} more were loaded with a note in '{WARNINGS_COLUMN}'" if warned else ""
        warnings.warn(f"{len(quarantine)} of {frame.attrs['rows_in']} input rows were quarantined "
                      f"(in {', '.join(files[:5])}); call si.load(..., return_quarantine=True) to get them "
                      f"with reasons{kept}", QuarantineWarning, stacklevel=2)
    return frame


def _with_warnings(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its ``load_warnings`` column as strings, ``""`` where nothing was noted."""
    notes = frame[WARNINGS_COLUMN] if WARNINGS_COLUMN in frame.columns else pd.Series("", index=frame.index)
    frame[WARNINGS_COLUMN] = notes.astype("string").fillna("")
    return frame


def _validated(frame: pd.DataFrame) -> pd.DataFrame:
    try:
        return validate_frame(frame)
    except SchemaError as exc:  # a loader bug, not bad input: say so
        raise SchemaError(f"loaded frame is not canonical ({exc}); please report this as a bug") from exc


def _quarantine_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(entries, columns=list(QUARANTINE_COLUMNS))
    return frame.astype({c: "string" for c in QUARANTINE_COLUMNS})


load.formats = formats  # type: ignore[attr-defined]  # si.load.formats() for notebook users

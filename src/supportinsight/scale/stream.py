"""Annotate any number of messages in flat memory.

``annotate_stream`` takes an iterable of message frames (or file paths, read in
chunks) and yields annotated frames. Per-message steps only need whole
conversations in memory, never the whole input:

* ``grouped=True``: the input already holds each conversation's rows together
  (a sorted export, one file per thread): one pass, the last conversation of a
  chunk is carried to the next.
* ``grouped=False`` (default): pass 1 spills the rows to ``buckets`` Parquet
  buckets by a hash of ``conversation_id`` on disk; pass 2 reads consecutive
  buckets together up to ``chunk_size`` rows and annotates them in one call; a
  bucket of more than twice ``chunk_size`` rows is first split again on disk.
  Peak memory is about one call of ``chunk_size`` rows, whatever the input size.
  The output comes bucket by bucket; each row keeps its ``message_id`` and gets
  ``input_position`` (0-based position in the input) to join or sort back.

Topic fitting needs all messages, so it is not part of streaming: fit a
:class:`~supportinsight.TopicModel` on a sample and apply ``transform`` to each
annotated chunk (see ``TopicModel`` docs for the effect on quality).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..pipeline import Pipeline, iter_conversation_chunks
from .partition import annotate_batches, to_plain_types

__all__ = ["annotate_stream", "POSITION_COLUMN"]

POSITION_COLUMN = "input_position"


def _bucket_of(ids: pd.Series, buckets: int, level: int = 0) -> np.ndarray:
    # a stable hash (Python's hash() is salted per process); each level of splitting hashes
    # with its own salt, so a bucket split again spreads over all its sub-buckets
    salt = f"{level}".encode() if level else b""
    return np.fromiter((int.from_bytes(hashlib.blake2b(str(v).encode("utf-8", "surrogatepass"), digest_size=8,
                                                       salt=salt).digest(), "little") % buckets
                        for v in ids), dtype=np.int64, count=len(ids))


def _spill(frames: Iterable[pd.DataFrame], folder: Path, buckets: int, level: int = 0) -> list[int]:
    """Write each frame's rows into ``folder/bNNNNN/`` by a hash of their conversation (or
    position); return the rows per bucket."""
    counts = [0] * buckets
    for part_no, frame in enumerate(frames):
        frame = _parquet_safe(frame)
        key = frame["conversation_id"] if "conversation_id" in frame.columns else frame[POSITION_COLUMN]
        which = _bucket_of(key, buckets, level)
        for b in np.unique(which):
            piece = frame[which == b]
            d = folder / f"b{b:05d}"
            d.mkdir(parents=True, exist_ok=True)
            piece.to_parquet(d / f"p{part_no:07d}.parquet", index=False)
            counts[b] += len(piece)
    return counts


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns that mix scalar types (ids read as numbers in some rows and as text in
    others, as spreadsheet exports do) as strings, missing values kept: Parquet stores one
    type per column and refused such a column, so the whole stream failed."""
    fixed = {}
    for col in frame.columns[frame.dtypes == object]:
        kinds = {type(v) for v in frame[col].dropna().tolist()}
        if len(kinds) > 1 and kinds <= _SCALARS:
            fixed[col] = frame[col].astype("string")
    return frame.assign(**fixed) if fixed else frame


_SCALARS = {str, int, float, bool, np.int64, np.float64, np.bool_}


def _parts(d: Path) -> Iterator[pd.DataFrame]:
    for p in sorted(d.glob("*.parquet")):
        yield pd.read_parquet(p)


#: A bucket holding more than this many times ``chunk_size`` rows is split again on disk
#: before it is read, so the rows in memory stay bounded however large the input.
SPLIT_FACTOR = 2
#: Levels of splitting at most.
MAX_SPLITS = 4


def _annotate_spilled(pipeline: Pipeline, folder: Path, counts: list[int], chunk_size: int,
                      level: int = 0) -> Iterator[pd.DataFrame]:
    """Pass 2: annotate the spilled buckets, consecutive ones packed up to ``chunk_size`` rows.

    A bucket above ``SPLIT_FACTOR * chunk_size`` rows (always a group of its own) is split
    again, unless the split that made it kept every row together: one conversation larger
    than the bound (or rows without a conversation id) cannot be spread, so it is read whole.
    """
    spread = level == 0 or max(counts) < sum(counts)
    for group in _pack(counts, chunk_size):
        dirs = [folder / f"b{b:05d}" for b in group]
        if counts[group[0]] > SPLIT_FACTOR * chunk_size and spread and level < MAX_SPLITS:
            sub = folder / f"s{group[0]:05d}"
            k = -(-counts[group[0]] // chunk_size)
            sub_counts = _spill(_parts(dirs[0]), sub, k, level + 1)
            shutil.rmtree(dirs[0], ignore_errors=True)
            yield from _annotate_spilled(pipeline, sub, sub_counts, chunk_size, level + 1)
            shutil.rmtree(sub, ignore_errors=True)
            continue
        frame = pd.concat([p for d in dirs for p in _parts(d)], ignore_index=True)
        frame = frame.sort_values(POSITION_COLUMN, kind="stable").reset_index(drop=True)
        for chunk in iter_conversation_chunks(frame, chunk_size):
            yield pipeline(chunk.reset_index(drop=True))
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)


def _frames(source, quarantine: list | None = None, chunk_size: int = 50_000) -> Iterator[pd.DataFrame]:
    if isinstance(source, pd.DataFrame):
        yield source
        return
    for item in source:
        if isinstance(item, pd.DataFrame):
            yield item
        else:
            from .readers import iter_file_chunks

            yield from iter_file_chunks(item, chunk_size=chunk_size, quarantine=quarantine)


def annotate_stream(source: Iterable[pd.DataFrame] | Iterable[str | Path] | pd.DataFrame, *,
                    pipeline: "Pipeline | str | None" = None, chunk_size: int = 20_000, grouped: bool = False,
                    buckets: int = 64, workdir: str | Path | None = None,
                    quarantine: list | None = None) -> Iterator[pd.DataFrame]:
    """Yield annotated frames for a stream of message frames, in flat memory.

    Parameters
    ----------
    source:
        Frames (e.g. from a generator), or CSV/JSONL/Parquet paths read in chunks.
    pipeline:
        The :class:`~supportinsight.Pipeline` to run, or ``"fast"`` (default) / ``"accurate"``
        for the default steps of that pipeline (no topics).
    chunk_size:
        Messages per annotation call (whole conversations).
    grouped:
        True when each conversation's rows are already contiguous (one pass, no spill).
    buckets:
        Number of on-disk buckets for the ungrouped case.
    workdir:
        Folder for the spill files (default: a temporary folder, removed afterwards).
    quarantine:
        A list that receives one dict per input row that could not be read (file
        sources only), so rows in = rows yielded + quarantined.
    """
    if chunk_size < 1:
        raise ConfigError(f"chunk_size must be >= 1, got {chunk_size!r}")
    if buckets < 1:
        raise ConfigError(f"buckets must be >= 1, got {buckets!r}")
    if pipeline is None or isinstance(pipeline, str):
        from ..pipeline import default_steps

        pipeline = Pipeline(default_steps(pipeline=pipeline or "fast"))
    if any(s.needs_whole_frame for s in pipeline.steps):
        raise ConfigError("streaming cannot fit topics (a whole-frame step); fit a TopicModel on a sample and "
                          "apply it to the annotated chunks instead")

    def positioned() -> Iterator[pd.DataFrame]:
        offset = 0
        for frame in _frames(source, quarantine, chunk_size):
            frame = to_plain_types(frame).reset_index(drop=True)
            yield frame.assign(**{POSITION_COLUMN: np.arange(offset, offset + len(frame), dtype=np.int64)})
            offset += len(frame)

    if grouped:
        for out in annotate_batches(positioned(), _Chunked(pipeline, chunk_size)):
            yield out
        return

    tmp = Path(tempfile.mkdtemp(prefix="si-stream-", dir=workdir))
    try:
        counts = _spill(positioned(), tmp, buckets)
        yield from _annotate_spilled(pipeline, tmp, counts, chunk_size)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _pack(counts: list[int], chunk_size: int) -> Iterator[list[int]]:
    """Consecutive non-empty buckets, packed into groups of at most ``chunk_size`` rows
    (a bucket larger than that forms a group of its own).

    Each group is one frame in pass 2, so a small input is annotated in calls of
    ``chunk_size`` rows, as a large one is, instead of one small call per bucket: the
    same rows in flight, so the same peak memory, whatever the input size.
    """
    group: list[int] = []
    rows = 0
    for b, n in enumerate(counts):
        if not n:
            continue
        if group and rows + n > chunk_size:
            yield group
            group, rows = [], 0
        group.append(b)
        rows += n
    if group:
        yield group


class _Chunked:
    """Run a pipeline over whole-conversation chunks of at most about ``chunk_size`` rows."""

    def __init__(self, pipeline: Pipeline, chunk_size: int) -> None:
        self.pipeline = pipeline
        self.chunk_size = chunk_size

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        return pd.concat([self.pipeline(c) for c in iter_conversation_chunks(frame.reset_index(drop=True),
                                                                             self.chunk_size)],
                         ignore_index=True)

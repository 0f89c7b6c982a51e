"""The messages and recorded output of the annotation equality test.

``si.annotate`` (default pipeline) must give the same output on these messages as
when the reference was written, unless a change is a deliberate fix (then the
reference is rewritten in the same commit, and the commit says which labels moved).

Two sets:

- ``committed``: every message of ``data/samples`` (loaded as the canonical frames,
  so conversation context is part of it) and the real message excerpts under
  ``tests/data`` (sources named in their READMEs); about 1,500 messages, always run.
- ``shared``: 2,000 real messages from ``../shared/data`` (the first 1,200 TWCS customer
  tweets and 800 GermEval 2017 dev posts, as in ``benchmarks/bench_compare.py``);
  recorded by a hash of the text, not the text; run where that folder exists.

    python tests/annotate_reference.py --write     # rewrite both references
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "data"
REFERENCE = {"committed": DATA / "annotate_reference_committed.jsonl.gz",
             "shared": DATA / "annotate_reference_shared.jsonl.gz"}
_EXCERPTS = ("intent_golden.jsonl", "journey_golden_real.jsonl", "sentiment_golden.jsonl",
             "sentiment_twcs_emoji.jsonl", "pii_cases.jsonl", "translation_pairs.jsonl", "repair_golden.jsonl")
#: Columns the default steps write; floats are compared to 1e-6.
COLUMNS = ("language", "language_confidence", "emojis", "emoticons", "emoji_polarity", "emoji_cues",
           "elongation", "shouting", "sentiment", "sentiment_score", "sentiment_confidence", "intent", "intents",
           "intent_confidence", "journey_phase", "touchpoint", "touchpoint_kind", "mapping_confidence",
           "mapping_evidence", "annotation_errors")


def committed_frames() -> list[pd.DataFrame]:
    import supportinsight as si

    frames = []
    for path in sorted((ROOT / "data" / "samples").iterdir()):
        if path.is_file() and path.suffix not in {".py", ".md"}:
            frames.append(si.load(path))
    texts: list[str] = []
    for name in _EXCERPTS:
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts += [row[k] for k in ("text", "de", "en", "input") if isinstance(row.get(k), str)]
    texts = list(dict.fromkeys(texts))
    frames.append(pd.DataFrame({"text": texts, "conversation_id": [f"x{i}" for i in range(len(texts))]}))
    return frames


def shared_frame() -> pd.DataFrame:
    tw = pd.read_csv(SHARED / "twcs" / "inbound_tweets.csv")["text"].astype(str).tolist()[:1200]
    with (SHARED / "germeval2017" / "dev.jsonl").open(encoding="utf-8") as fh:
        ge = [json.loads(line)["text"] for line in fh if line.strip()][:800]
    texts = tw + ge
    return pd.DataFrame({"text": texts, "conversation_id": [str(i) for i in range(len(texts))]})


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    if value is pd.NA or value is None:
        return None
    return value.item() if hasattr(value, "item") else value


def records(kind: str) -> list[dict]:
    """The current output as plain records, keyed by a hash of the text and its position."""
    import supportinsight as si

    frames = committed_frames() if kind == "committed" else [shared_frame()]
    out = []
    for frame in frames:
        done = si.annotate(frame)
        for pos, (_, row) in enumerate(done.iterrows()):
            key = hashlib.blake2b(str(row["text"]).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
            out.append({"key": f"{key}:{pos}", **{c: _plain(row[c]) for c in COLUMNS}})
    return out


def differences(kind: str) -> list[str]:
    """Lines naming every value that moved against the recorded reference."""
    with gzip.open(REFERENCE[kind], "rt", encoding="utf-8") as fh:
        want = [json.loads(line) for line in fh]
    got = records(kind)
    if len(got) != len(want):
        return [f"{len(got)} messages now, {len(want)} in the reference"]
    lines = []
    for g, w in zip(got, want):
        if g["key"] != w["key"]:
            lines.append(f"message order changed at {w['key']}")
            continue
        for c in COLUMNS:
            a, b = g[c], w[c]
            same = (math.isclose(a, b, abs_tol=1e-6) if isinstance(a, float) and isinstance(b, float) else a == b)
            if not same:
                lines.append(f"{w['key']} {c}: {b!r} -> {a!r}")
    return lines


def write(kind: str) -> int:
    got = records(kind)
    with gzip.open(REFERENCE[kind], "wt", encoding="utf-8", compresslevel=9) as fh:
        for r in got:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(got)


if __name__ == "__main__":
    if "--write" in sys.argv:
        for kind in ("committed", "shared"):
            if kind == "shared" and not SHARED.exists():
                continue
            print(kind, write(kind))
    else:
        for kind in ("committed", "shared"):
            diff = differences(kind)
            print(kind, len(diff), "differences")
            print("\n".join(diff[:50]))

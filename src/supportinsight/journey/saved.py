"""On-disk form of a learned journey mapper: ``journey_model.json`` + ``journey_model.npz``.

No pickle: the JSON holds the taxonomy (as its YAML schema), the encoder's name, the
threshold, the example texts and a summary of the training rows; the npz holds the
heads' arrays and the example vectors (float16, for the "nearest example" evidence).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import ModelError
from .learned import Head

__all__ = ["LearnedParts", "write_parts", "read_parts", "FORMAT"]

FORMAT = "supportinsight-journey-1"


@dataclass
class LearnedParts:
    """What a fitted learned mapper is made of."""

    touchpoint_head: Head
    phase_head: Head
    threshold: float
    embedder: str
    fingerprint: str
    example_texts: list[str] = field(default_factory=list)
    example_touchpoints: list[str] = field(default_factory=list)
    example_vectors: np.ndarray | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def _meta(parts: LearnedParts, taxonomy: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "supportinsight": __version__, "embedder": parts.embedder,
            "fingerprint": parts.fingerprint, "threshold": parts.threshold, "taxonomy": taxonomy,
            "example_texts": parts.example_texts, "example_touchpoints": parts.example_touchpoints,
            "summary": parts.summary}


def _arrays(parts: LearnedParts) -> dict[str, np.ndarray]:
    arrays = {**parts.touchpoint_head.to_arrays("tp"), **parts.phase_head.to_arrays("ph")}
    if parts.example_vectors is not None:
        arrays["example_vectors"] = parts.example_vectors.astype(np.float16)
    return arrays


STEM = "journey_model"


def write_parts(folder: str | Path, parts: LearnedParts, taxonomy: dict[str, Any]) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{STEM}.json").write_text(json.dumps(_meta(parts, taxonomy), ensure_ascii=False, indent=1), "utf-8")
    np.savez_compressed(folder / f"{STEM}.npz", **_arrays(parts))
    return folder


def _parts(meta: dict[str, Any], arrays: Any, where: str) -> LearnedParts:
    if meta.get("format") != FORMAT:
        raise ModelError(f"{where}: not a saved journey mapper (format {meta.get('format')!r}, expected {FORMAT!r}); "
                         "save it again with JourneyMapper.save or supportinsight fit-journey")
    vecs = arrays["example_vectors"].astype(np.float32) if "example_vectors" in arrays else None
    return LearnedParts(touchpoint_head=Head.from_arrays(arrays, "tp"), phase_head=Head.from_arrays(arrays, "ph"),
                        threshold=float(meta["threshold"]), embedder=str(meta["embedder"]),
                        fingerprint=str(meta["fingerprint"]), example_texts=list(meta.get("example_texts", [])),
                        example_touchpoints=list(meta.get("example_touchpoints", [])), example_vectors=vecs,
                        summary=dict(meta.get("summary", {})))


def read_parts(folder: str | Path) -> tuple[LearnedParts, dict[str, Any]]:
    """Read a saved mapper; returns its parts and the stored taxonomy (YAML schema)."""
    folder = Path(folder)
    jpath, npath = folder / f"{STEM}.json", folder / f"{STEM}.npz"
    for p in (jpath, npath):
        if not p.is_file():
            raise ModelError(f"{p} is missing: {folder} is not a folder written by JourneyMapper.save or "
                             "supportinsight fit-journey")
    try:
        meta = json.loads(jpath.read_text("utf-8"))
        with np.load(npath, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        return _parts(meta, arrays, str(folder)), meta.get("taxonomy") or {}
    except (ValueError, KeyError, OSError) as exc:
        raise ModelError(f"{folder}: the saved journey mapper is damaged ({exc}); save it again") from None

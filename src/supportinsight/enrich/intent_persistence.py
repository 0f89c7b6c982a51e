"""Saving and loading an IntentClassifier: ``intent_model.json`` + ``.npz`` (no pickle), or a fine-tuned e5 folder."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..encoders.registry import embedder_named
from .embeddings import Embedder, default_embedder
from .intent_features import cue_names, intent_data_dir

__all__ = ["FORMAT", "FORMAT_VERSION", "save_model", "load_model", "load_accurate", "model_from_parts",
           "read_shipped", "read_shipped_accurate"]

FORMAT = "supportinsight-intent-classifier"
FORMAT_VERSION = 1


def save_model(model: Any, path: str | Path) -> Path:
    """Write the fitted ``model`` to folder ``path`` as ``intent_model.json`` + ``intent_model.npz``;
    a fine-tuned accurate model as ``model.json`` + ``model.safetensors``."""
    path = Path(path)
    if model.__dict__.get("tuned_") is not None:
        params = {k: v for k, v in model.get_params().items() if k not in ("embedder", "progress")}
        return model.tuned_.save(path, extra={"kind": "IntentClassifier", "multi_label": bool(model.multi_label_),
                                              "params": params})
    path.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "classes": [str(c) for c in model.classes_],
        "multi_label": bool(model.multi_label_),
        "uses_cues": bool(model.uses_cues_),
        "cue_names": list(cue_names()) if model.uses_cues_ else [],
        "uses_ngrams": bool(model.uses_ngrams_),
        "ngram_vocabulary": model.ngram_vocabulary_,
        "embedder": model.embedder_name_,
        "n_features": int(model.n_features_),
        "params": {k: v for k, v in model.get_params().items() if k != "embedder"},
    }
    arrays = {"coef": model.coef_, "intercept": model.intercept_}
    if model.ovr_coef_ is not None:
        arrays.update(ovr_coef=model.ovr_coef_, ovr_intercept=model.ovr_intercept_)
    if model.uses_ngrams_:
        arrays.update(word_idf=model.ngram_idf_[0], char_idf=model.ngram_idf_[1])
    (path / "intent_model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    np.savez_compressed(path / "intent_model.npz", **arrays)
    return path


def load_model(cls: type, path: str | Path, embedder: Embedder | None) -> Any:
    """An instance of ``cls`` read from a folder (or its ``intent_model.json``) written by :func:`save_model`."""
    path = Path(path)
    folder = path.parent if path.suffix == ".json" else path
    if (folder / "model.json").is_file():
        return cls._load_accurate(folder, embedder)
    meta_file, npz_file = folder / "intent_model.json", folder / "intent_model.npz"
    if not meta_file.is_file() or not npz_file.is_file():
        raise ModelError(f"{folder}: no intent model here (need intent_model.json and intent_model.npz, "
                         "written by IntentClassifier.save)")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{meta_file}: not valid JSON ({exc}); re-save the model") from None
    return cls._from_parts(meta, npz_file, embedder=embedder, where=str(meta_file))


def load_accurate(cls: type, folder: Path, embedder: Embedder | None) -> Any:
    """An accurate-pipeline instance of ``cls`` from a fine-tuned e5 folder."""
    from ..encoders.accurate import FineTunedE5

    tuned = FineTunedE5.load(folder, embedder=embedder, what="IntentClassifier")
    if tuned.meta_.get("kind") != "IntentClassifier":
        raise ModelError(f"{folder} holds a fine-tuned {tuned.meta_.get('kind', 'model')!r}, not an "
                         "IntentClassifier; load it with the class that saved it")
    allowed = {"cues", "cue_weight", "C", "threshold", "class_weight", "max_iter", "epochs", "seed", "min_steps"}
    params = {k: v for k, v in (tuned.meta_.get("params") or {}).items() if k in allowed}
    clf = cls(embedder=embedder, pipeline="accurate", **params)
    return clf._adopt(tuned, bool(tuned.meta_.get("multi_label", False)))


def model_from_parts(cls: type, meta: Any, npz_source: Any, *, embedder: Embedder | None, where: str) -> Any:
    """An instance of ``cls`` from the parsed ``intent_model.json`` and its weights (checked; ``where`` names the source)."""
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f"{where}: not an intent model (expected \"format\": \"{FORMAT}\")")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{where}: format_version {meta.get('format_version')!r} is not supported "
                         f"(this supportinsight reads {FORMAT_VERSION}); re-train or upgrade")
    try:
        classes = [str(c) for c in meta["classes"]]
        multi = bool(meta["multi_label"])
        n_features = int(meta["n_features"])
        uses_cues = bool(meta["uses_cues"])
        uses_ngrams = bool(meta["uses_ngrams"])
        embedder_name = str(meta["embedder"])
        params = dict(meta.get("params") or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{where}: field {exc} is missing or malformed; re-save the model") from None
    if uses_cues and list(meta.get("cue_names") or []) != list(cue_names()):
        raise ModelError(f"{where}: the model was trained with other emoji cue groups than this "
                         "supportinsight ships; re-train it with this version")
    try:
        with np.load(npz_source, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except Exception as exc:  # translate numpy's many error types at the boundary
        raise ModelError(f"{where}: weights file unreadable ({type(exc).__name__}: {exc}); re-save the model") \
            from None
    k = len(classes)
    for name, shape in (("coef", (k, n_features)), ("intercept", (k,))):
        if name not in arrays or arrays[name].shape != shape:
            got = arrays[name].shape if name in arrays else "missing"
            raise ModelError(f"{where}: array {name!r} should have shape {shape}, got {got}")
    if multi and ("ovr_coef" not in arrays or arrays["ovr_coef"].shape != (k, n_features)):
        raise ModelError(f"{where}: multi-label model lacks a valid 'ovr_coef' array")
    if embedder is None and embedder_name != default_embedder().name:
        try:
            embedder = embedder_named(embedder_name)  # any registered encoder (encoders.registry)
        except ModelError:
            raise ModelError(f"{where}: the model was trained with embedder {embedder_name!r}; pass it as "
                             "IntentClassifier.load(path, embedder=...)") from None
    allowed = {"ngrams", "cues", "cue_weight", "C", "threshold", "class_weight", "max_iter",
               "ngram_min_per_class", "pretrained", "pipeline"}
    clf = cls(embedder=embedder, **{k2: v for k2, v in params.items() if k2 in allowed})
    clf.classes_ = np.array(classes, dtype=object)
    clf.multi_label_ = multi
    clf.coef_ = arrays["coef"].astype(np.float32)
    clf.intercept_ = arrays["intercept"].astype(np.float32)
    clf.ovr_coef_ = arrays["ovr_coef"].astype(np.float32) if multi else None
    clf.ovr_intercept_ = arrays["ovr_intercept"].astype(np.float32) if multi else None
    clf.n_features_ = n_features
    clf.uses_cues_ = uses_cues
    clf.uses_ngrams_ = uses_ngrams
    clf.embedder_name_ = embedder_name
    clf.ngram_vocabulary_ = None
    clf.ngram_idf_ = None
    clf.tuned_ = None
    if uses_ngrams:
        vocab = meta.get("ngram_vocabulary")
        if (not isinstance(vocab, list) or len(vocab) != 2 or "word_idf" not in arrays
                or "char_idf" not in arrays or [len(v) for v in vocab] != [len(arrays["word_idf"]),
                                                                           len(arrays["char_idf"])]):
            raise ModelError(f"{where}: n-gram vocabulary and idf arrays are missing or do not match")
        clf.ngram_vocabulary_ = vocab
        clf.ngram_idf_ = [arrays["word_idf"], arrays["char_idf"]]
    dim = (embedder.dim if embedder is not None and embedder.dim else default_embedder().dim
           if embedder is None else None)
    expected = None if dim is None else dim + (len(cue_names()) if uses_cues else 0) + (
        sum(len(v) for v in clf.ngram_vocabulary_) if uses_ngrams else 0)
    if expected is not None and expected != n_features:
        raise ModelError(f"{where}: n_features {n_features} does not match the embedder ({dim}-d) and "
                         f"feature settings (expected {expected})")
    return clf


def read_shipped(cls: type) -> Any:
    """The shipped model of ``supportinsight/data/intents``, as ``cls``."""
    folder = intent_data_dir()
    meta_res, npz_res = folder.joinpath("intent_model.json"), folder.joinpath("intent_model.npz")
    if not meta_res.is_file() or not npz_res.is_file():
        raise ModelError("the shipped intent model is missing from supportinsight/data/intents; rebuild it with "
                         "`python -m supportinsight.train.intent` or reinstall supportinsight")
    try:
        meta = json.loads(meta_res.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"shipped intent_model.json is not valid JSON ({exc}); reinstall supportinsight") from None
    with resources.as_file(npz_res) as npz_path:
        return cls._from_parts(meta, npz_path, embedder=None, where="supportinsight/data/intents")


def read_shipped_accurate(cls: type) -> Any:
    """The accurate pipeline's shipped model of ``supportinsight/data/intents/accurate``, as ``cls``."""
    folder = intent_data_dir().joinpath("accurate")
    meta_res, npz_res = folder.joinpath("intent_model.json"), folder.joinpath("intent_model.npz")
    if not meta_res.is_file() or not npz_res.is_file():
        raise ModelError("the accurate pipeline's intent model is missing from supportinsight/data/intents/accurate; "
                         "rebuild it with `python -m supportinsight.train.intent --pipeline accurate`")
    meta = json.loads(meta_res.read_text(encoding="utf-8"))
    with resources.as_file(npz_res) as npz_path:
        return cls._from_parts(meta, npz_path, embedder=None,
                               where="supportinsight/data/intents/accurate")

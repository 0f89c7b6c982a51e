"""Map every message to a journey touchpoint and phase, with the evidence for it.

Two ways (``method=``; zero-shot by default until the learned heads measure better on real messages):

* **learned** (``method="learned"``, for a taxonomy file that carries examples, and
  after :meth:`JourneyMapper.fit` with a team's labels):
  a touchpoint head and a phase head over the pipeline's embedding plus the
  taxonomy's cue features (:mod:`~supportinsight.journey.learned`), trained on the
  examples the taxonomy carries, on public data mapped to touchpoints, and on a
  team's own labels after :meth:`JourneyMapper.fit`. ``mapping_confidence`` is a
  calibrated probability; the answer is ``unknown`` where it is below ``threshold``
  (``python -m supportinsight.train.journey`` chooses it on labelled real messages to
  keep precision at or above 0.80 where it can; see ``docs/QUALITY.md``).
* **zero-shot** (a taxonomy without examples): cue phrases plus similarity to
  touchpoint centroids (:mod:`~supportinsight.journey.zero_shot`).

Both then use what else is known about the message:

* the intents the intent step found (a taxonomy's ``intents`` boosts:
  ``churn_threat`` leans towards cancellation),
* the conversation: the touchpoint and phase of the earlier message in the same
  thread (``conversation_id``, in ``timestamp`` order) weigh in with
  ``context_weight``, so "still nothing??" after "where is my parcel" stays delivery,
* phase cues ("before I buy", "my order") as features of the phase head.

``mapping_evidence`` says what decided: the probability, the cue words, the nearest
example message, the conversation.

The scores come from :mod:`~supportinsight.journey.scoring`, the learned heads from
:mod:`~supportinsight.journey.fitting`, and the answers, abstention and evidence from
:mod:`~supportinsight.journey.decide`.

>>> import pandas as pd, supportinsight as si
>>> mapper = si.JourneyMapper()                                   # doctest: +SKIP
>>> mapper.map(pd.DataFrame({"text": ["Paket immer noch nicht da 😡"]}))[
...     ["touchpoint", "journey_phase", "mapping_evidence"]]       # doctest: +SKIP
  touchpoint journey_phase                                   mapping_evidence
0   delivery     retention  p=0.93 delivery; cue "Paket"; nearest example ...
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..enrich.base import Step, analysis_text
from ..errors import ConfigError, LabelError
from .cues import LANGS, cue_index
from .decide import assemble
from .fitting import check_labels, learn_parts
from .paths import conversation_paths
from .saved import LearnedParts, read_parts, write_parts
from .scoring import intent_boosts, intent_table, touchpoint_scores, with_intents
from .taxonomy import UNKNOWN, load_taxonomy
from .zero_shot import shipped_centroids, touchpoint_centroids

__all__ = ["JourneyMapper", "JourneyStep", "conversation_paths", "MAPPING_COLUMNS"]

#: Columns the mapper assigns, in order.
MAPPING_COLUMNS: tuple[str, ...] = ("journey_phase", "touchpoint", "touchpoint_kind", "mapping_confidence",
                                    "mapping_evidence")
#: Threshold of a zero-shot mapper when none is given.
ZERO_SHOT_THRESHOLD = 0.3
#: Heads learned from a taxonomy's examples alone, per (fingerprint, encoder, C): a process
#: learns them once however many mappers it builds (Spark/Dask tasks, notebooks).
_FROM_EXAMPLES: dict[tuple[str, str, float], LearnedParts] = {}


class JourneyMapper:
    """Map messages to journey touchpoints and phases (see the module docstring).

    Parameters
    ----------
    taxonomy:
        A shipped name (``"default"``, ``"six_phase"``), a path to a YAML file, a
        mapping, or a :class:`~supportinsight.journey.taxonomy.JourneyTaxonomy`.
    method:
        ``"zero_shot"`` (the default: on the golden set of real messages it is as
        accurate as the learned heads and better on GermEval's aspects; see
        ``docs/QUALITY.md``), ``"learned"`` (heads trained on the taxonomy's
        examples) or ``"auto"`` (learned when the taxonomy carries examples).
        :meth:`fit` with labels always learns.
    threshold:
        Below it the answer is ``"unknown"``. ``None``: a loaded mapper's own threshold,
        else 0.4 (learned) or 0.3 (zero-shot).
    intent_weight, context_weight:
        How much the intents and the earlier message of the conversation weigh (0..1).
    cue_weight, similarity_weight, similarity_floor, similarity_ceiling:
        The zero-shot score (:mod:`~supportinsight.journey.zero_shot`). Floor and ceiling
        ``None``: the encoder's own scale (``Embedder.similarity_scale``; USE 0.15 and 0.55,
        e5 0.876 and 0.919), since each encoder spreads its cosines differently.
    use_embeddings:
        ``False``: cues, intents and context only (zero-shot, no encoder needed).
    embedder:
        An :class:`~supportinsight.enrich.embeddings.Embedder`; default: the fast pipeline's.
    C:
        Inverse regularisation of the learned heads.
    batch_size:
        Texts per tokenizer batch.

    Attributes
    ----------
    taxonomy_ : JourneyTaxonomy
    method_ : str
        ``"learned"`` or ``"zero_shot"``.
    touchpoint_ids_ : list of str
        Scored touchpoints (all but ``unknown``), the columns of :meth:`scores`.
    threshold_ : float
    """

    def __init__(self, taxonomy: Any = "default", *, method: str = "zero_shot", threshold: float | None = None,
                 intent_weight: float = 0.5, context_weight: float = 0.3, cue_weight: float = 0.6,
                 similarity_weight: float = 0.4, similarity_floor: float | None = None,
                 similarity_ceiling: float | None = None,
                 use_embeddings: bool = True, embedder: Any = None, C: float = 4.0, batch_size: int = 512) -> None:
        self.taxonomy = taxonomy
        self.method = method
        self.threshold = threshold
        self.intent_weight = intent_weight
        self.context_weight = context_weight
        self.cue_weight = cue_weight
        self.similarity_weight = similarity_weight
        self.similarity_floor = similarity_floor
        self.similarity_ceiling = similarity_ceiling
        self.use_embeddings = use_embeddings
        self.embedder = embedder
        self.C = C
        self.batch_size = batch_size

    # ------------------------------------------------------------------ setup
    def _check_params(self) -> None:
        if self.method not in ("auto", "learned", "zero_shot"):
            raise ConfigError(f"method must be 'auto', 'learned' or 'zero_shot', got {self.method!r}")
        names = ["intent_weight", "context_weight", "cue_weight", "similarity_weight"]
        if self.threshold is not None:
            names.insert(0, "threshold")
        for name in names:
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1 or math.isnan(v):
                raise ConfigError(f"{name} must be a number between 0 and 1, got {v!r}")
        floor, ceiling = self._similarity_scale()
        if not -1 <= floor < ceiling <= 1:
            raise ConfigError("similarity_floor must be below similarity_ceiling, both between -1 and 1; got "
                              f"similarity_floor={floor!r}, similarity_ceiling={ceiling!r}")
        if not isinstance(self.C, (int, float)) or isinstance(self.C, bool) or not self.C > 0:
            raise ConfigError(f"C must be a positive number, got {self.C!r}")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ConfigError(f"batch_size must be an integer >= 1, got {self.batch_size!r}")
        if self.method == "learned" and not self.use_embeddings:
            raise ConfigError("method='learned' needs embeddings; pass use_embeddings=True or method='zero_shot'")

    def _compile(self) -> None:
        self._check_params()
        tax = load_taxonomy(self.taxonomy)
        self.taxonomy_ = tax
        self._tps = [t for t in tax.touchpoints if t.id != UNKNOWN]
        self.touchpoint_ids_ = [t.id for t in self._tps]
        self._phases = [p for p in tax.phases if p.id != UNKNOWN]
        self._index = {lang: cue_index(tax, self._tps, lang) for lang in LANGS}
        self._intent_boost: dict[str, np.ndarray] = intent_table(self._tps)
        self.centroids_ = None
        self.parts_: LearnedParts | None = None

    def fit(self, X: Sequence[str] | None = None, y: Sequence[str] | None = None, *,
            phases: Sequence[str] | None = None) -> "JourneyMapper":
        """Compile the taxonomy, or adapt the mapper to a team's labels.

        Without ``X``: set up zero-shot scoring, or (``method="learned"``) learn the
        heads from the examples the taxonomy carries.
        With ``X`` (texts) and ``y`` (touchpoint ids of the taxonomy, ``unknown``
        allowed): learn the heads from the taxonomy's examples plus these labels,
        which get most of the weight; ``phases`` (phase ids) optionally label the
        phase, else each message takes its touchpoint's primary phase.
        """
        self._compile()
        tax = self.taxonomy_
        if X is not None:
            texts, labels, phase_labels = check_labels(self.taxonomy_, X, y, phases)
            self._fit_learned(texts, labels, phase_labels)
            return self
        if y is not None:
            raise LabelError("fit got labels y but no texts X; pass both, or neither to use the shipped mapper")
        has_examples = any(t.examples() for t in self._tps)
        if self.method == "learned" or (self.method == "auto" and has_examples and self.use_embeddings):
            if not has_examples:
                raise ConfigError(f"taxonomy {tax.name!r} carries no examples to learn from; add examples_de/"
                                  "examples_en to its touchpoints, call fit(texts, touchpoints), or use "
                                  "method='zero_shot'")
            key = (tax.fingerprint, self._embedder().name, float(self.C))
            self.parts_ = _FROM_EXAMPLES.get(key)
            if self.parts_ is None:
                self._fit_learned([], [], [])
                _FROM_EXAMPLES[key] = self.parts_
        elif self.use_embeddings:
            emb = self._embedder()
            self.centroids_ = shipped_centroids(tax, emb)
            if self.centroids_ is None:
                self.centroids_ = touchpoint_centroids(self._tps, emb)
        self._finish()
        return self

    def _finish(self) -> None:
        self.method_ = "learned" if self.parts_ is not None else "zero_shot"
        if self.threshold is not None:
            self.threshold_ = float(self.threshold)
        elif self.parts_ is not None:
            self.threshold_ = float(self.parts_.threshold)
        else:
            self.threshold_ = ZERO_SHOT_THRESHOLD

    def _fit_learned(self, texts: list[str], labels: list[str], phase_labels: list[str],
                     extra: pd.DataFrame | None = None) -> None:
        """Learn both heads from the taxonomy's examples, ``extra`` rows and the user's labels."""
        self.parts_ = learn_parts(self, texts, labels, phase_labels, extra)
        self._finish()

    def _similarity_scale(self) -> tuple[float, float]:
        """(floor, ceiling): the given ones, else the encoder's ``similarity_scale`` (building
        the encoder object loads no model; without embeddings the scale is never used)."""
        from ..encoders.base import Embedder

        scale = Embedder.similarity_scale
        if self.use_embeddings and (self.similarity_floor is None or self.similarity_ceiling is None):
            scale = tuple(getattr(self._embedder(), "similarity_scale", scale))
        floor = scale[0] if self.similarity_floor is None else self.similarity_floor
        ceiling = scale[1] if self.similarity_ceiling is None else self.similarity_ceiling
        return floor, ceiling

    def _embedder(self):
        if self.embedder is not None:
            return self.embedder
        from ..enrich.embeddings import default_embedder

        return default_embedder()

    def _ensure_fitted(self) -> None:
        if not hasattr(self, "method_"):
            self.fit()

    @property
    def version(self) -> str:
        self._ensure_fitted()
        return f"JourneyMapper(taxonomy={self.taxonomy_.name}@{self.taxonomy_.fingerprint}, {self.method_})"

    # ------------------------------------------------------------------ scoring
    def scores(self, texts: Sequence[str], *, languages: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-touchpoint probabilities (learned) or scores (zero-shot), without intents and context."""
        self._ensure_fitted()
        frame = pd.DataFrame({"text": list(texts)})
        if languages is not None:
            frame["language"] = list(languages)
        return pd.DataFrame(touchpoint_scores(self, frame, analysis_text(frame).tolist()).score,
                            columns=self.touchpoint_ids_)

    # ------------------------------------------------------------------ public
    def map(self, frame: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
        """Map each message; returns the :data:`MAPPING_COLUMNS` with the input's index.

        Parameters
        ----------
        frame:
            A frame with ``text`` (and ``body``), or a list of strings. Used when
            present: ``language``, ``intent``/``intents``, ``conversation_id``,
            ``timestamp`` (conversation context).
        """
        self._ensure_fitted()
        if not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame({"text": [frame] if isinstance(frame, str) else list(frame)})
        if "text" not in frame.columns and "body" not in frame.columns:
            raise ConfigError("JourneyMapper.map needs a 'text' column (or a list of strings); "
                              f"columns found: {list(frame.columns)[:10]}")
        texts = analysis_text(frame).tolist()
        scored = touchpoint_scores(self, frame, texts)
        scored.score = with_intents(scored.score, intent_boosts(self, frame, len(texts)), self.method_ == "learned")
        return assemble(self, frame, texts, scored)

    def explain(self, text: str, *, language: str | None = None, top: int = 5) -> pd.DataFrame:
        """The top touchpoints for one text with their score and cue hits (for auditing)."""
        self._ensure_fitted()
        frame = pd.DataFrame({"text": [text]})
        if language is not None:
            frame["language"] = [language]
        scored = touchpoint_scores(self, frame, analysis_text(frame).tolist())
        score = scored.score
        order = np.argsort(-score[0])[:top]
        return pd.DataFrame({
            "touchpoint": [self._tps[j].id for j in order],
            "score": [round(float(score[0, j]), 3) for j in order],
            "cues": [", ".join(h.surface for h in scored.tp_hits[0] if h.target == j) for j in order],
        })

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write a learned mapper to a folder (``journey_model.json`` + ``.npz``; no pickle)."""
        self._ensure_fitted()
        if self.parts_ is None:
            raise ConfigError("a zero-shot mapper has nothing learned to save; the taxonomy file is all it needs")
        from dataclasses import replace

        parts = replace(self.parts_, threshold=self.threshold_)  # parts may be shared (cache): never edit them
        return write_parts(path, parts, self.taxonomy_.to_dict())

    @classmethod
    def load(cls, path: str | Path, *, embedder: Any = None, **params: Any) -> "JourneyMapper":
        """Read a folder written by :meth:`save` (or ``supportinsight fit-journey``).

        The mapper reads the same encoder it was trained with (chosen from the saved
        file unless ``embedder`` is given).
        """
        from ..errors import ModelError

        parts, tax = read_parts(path)
        if embedder is None:
            from ..encoders.registry import embedder_named

            try:
                embedder = embedder_named(parts.embedder)  # the encoder the mapper was fitted on
            except ModelError:
                raise ModelError(f"{path}: this journey mapper was trained on {parts.embedder} vectors; pass "
                                 "that embedder as JourneyMapper.load(path, embedder=...)") from None
        mapper = cls(tax, embedder=embedder, **{"method": "learned", **params})
        mapper._compile()
        if mapper._embedder().name != parts.embedder:
            raise ModelError(f"{path}: this journey mapper was trained on {parts.embedder} vectors, but the "
                             f"embedder given is {mapper._embedder().name}; pass the matching embedder (the "
                             "pipeline it was fitted with)")
        mapper.parts_ = parts
        mapper._finish()
        return mapper

    def __repr__(self) -> str:
        tax = self.taxonomy if isinstance(self.taxonomy, str) else getattr(self.taxonomy, "name", "custom")
        return f"JourneyMapper(taxonomy={tax!r}, method={self.method!r}, threshold={self.threshold})"


class JourneyStep(Step):
    """Pipeline step: journey phase and touchpoint per message (see :class:`JourneyMapper`).

    Uses ``language``, ``intent``/``intents``, ``conversation_id`` and ``timestamp``
    when an earlier step or the input provides them.
    """

    name = "journey"
    requires = ("text",)
    reads = ("body", "language", "intent", "intents", "conversation_id", "timestamp")
    assigns = MAPPING_COLUMNS

    def __init__(self, taxonomy: Any = None, *, mapper: JourneyMapper | None = None) -> None:
        if mapper is not None and taxonomy is not None:
            raise ConfigError("pass either taxonomy or mapper to JourneyStep, not both")
        if isinstance(taxonomy, JourneyMapper):  # a fitted or loaded mapper passed where a taxonomy goes
            mapper, taxonomy = taxonomy, None
        self.mapper = mapper if mapper is not None else JourneyMapper(taxonomy if taxonomy is not None else "default")

    @property
    def version(self) -> str:
        return self.mapper.version

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self.mapper.map(frame)

    def defaults(self) -> dict[str, object]:
        return {"journey_phase": UNKNOWN, "touchpoint": UNKNOWN, "touchpoint_kind": None,
                "mapping_confidence": 0.0, "mapping_evidence": "mapping failed"}

    def __repr__(self) -> str:
        return f"JourneyStep(mapper={self.mapper!r})"

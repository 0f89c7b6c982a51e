"""The journey taxonomy's types: phases, touchpoints and the validated taxonomy that holds them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import TaxonomyError

__all__ = ["Phase", "Touchpoint", "JourneyTaxonomy", "KINDS", "UNKNOWN"]

#: Id of the fallback phase and touchpoint; every taxonomy has both.
UNKNOWN = "unknown"
#: Allowed touchpoint kinds.
KINDS: tuple[str, ...] = ("digital", "human", "physical")


@dataclass(frozen=True)
class Phase:
    """One journey phase (id, labels, description, cue phrases that point to it).

    ``intents``: primary intents that place a message in this phase whatever its
    touchpoint (praise -> advocacy). ``unplaced_intents``: primary intents that place a
    message in this phase when no touchpoint is known (a complaint whose touchpoint
    cannot be told is still a problem in use: retention); a phase cue in the message
    decides first.
    """

    id: str
    label_de: str
    label_en: str
    description_de: str = ""
    description_en: str = ""
    cues_de: tuple[str, ...] = ()
    cues_en: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    unplaced_intents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Touchpoint:
    """One touchpoint: where in the journey the customer meets the company.

    ``phases[0]`` is the primary phase; the mapper picks another listed phase only
    when the message says so ("before I buy" -> consideration). ``examples_de`` and
    ``examples_en`` are messages about this touchpoint, ``(text, phase)`` with phase
    ``""`` for the primary one; the learned mapper trains on them. ``stems_de`` are
    fragments of German compounds matched inside longer words; ``weak_cues_*``
    are generic words that count less than the other cues; ``intents`` are
    small score boosts when the intent step saw that intent (e.g. ``churn_threat``
    for cancellation); ``unplaced_intents`` are primary intents that put a message
    here when no touchpoint scores above the threshold (a complaint that names no
    other touchpoint is about the product or service itself).
    """

    id: str
    label_de: str
    label_en: str
    phases: tuple[str, ...]
    kind: str
    channel: str
    description_de: str
    description_en: str
    cues_de: tuple[str, ...] = ()
    cues_en: tuple[str, ...] = ()
    stems_de: tuple[str, ...] = ()
    weak_cues_de: tuple[str, ...] = ()
    weak_cues_en: tuple[str, ...] = ()
    owner_queue: str = ""
    intents: tuple[tuple[str, float], ...] = ()
    unplaced_intents: tuple[str, ...] = ()
    examples_de: tuple[tuple[str, str], ...] = ()
    examples_en: tuple[tuple[str, str], ...] = ()

    @property
    def primary_phase(self) -> str:
        return self.phases[0]

    def cues(self, lang: str) -> tuple[str, ...]:
        """Cue phrases for ``"de"`` or ``"en"``."""
        return self.cues_de if lang == "de" else self.cues_en

    def examples(self, lang: str | None = None) -> tuple[tuple[str, str], ...]:
        """Example messages as ``(text, phase)``; phase ``""`` means the primary phase.

        ``lang`` ``"de"`` or ``"en"``; ``None`` gives both.
        """
        if lang is None:
            return self.examples_de + self.examples_en
        return self.examples_de if lang == "de" else self.examples_en

    def weak_cues(self, lang: str) -> tuple[str, ...]:
        """Generic cue words for ``"de"`` or ``"en"`` that count less than the other cues."""
        return self.weak_cues_de if lang == "de" else self.weak_cues_en

    def description(self, lang: str = "en") -> str:
        return self.description_de if lang == "de" else self.description_en


@dataclass(frozen=True)
class JourneyTaxonomy:
    """A validated journey taxonomy: ordered phases and touchpoints (both include ``unknown``).

    Build one with :func:`load_taxonomy`; the constructor does not validate.
    """

    name: str
    phases: tuple[Phase, ...]
    touchpoints: tuple[Touchpoint, ...]
    source: str = "<memory>"
    version: int = 1
    _phase_index: Mapping[str, Phase] = field(default_factory=dict, repr=False, compare=False)
    _touchpoint_index: Mapping[str, Touchpoint] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_phase_index", {p.id: p for p in self.phases})
        object.__setattr__(self, "_touchpoint_index", {t.id: t for t in self.touchpoints})

    @property
    def phase_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.phases)

    @property
    def touchpoint_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.touchpoints)

    def phase(self, phase_id: str) -> Phase:
        try:
            return self._phase_index[phase_id]
        except KeyError:
            raise TaxonomyError(f"taxonomy {self.name!r} has no phase {phase_id!r}; "
                                f"phases are {list(self.phase_ids)}") from None

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        try:
            return self._touchpoint_index[touchpoint_id]
        except KeyError:
            raise TaxonomyError(f"taxonomy {self.name!r} has no touchpoint {touchpoint_id!r}; "
                                f"touchpoints are {list(self.touchpoint_ids)}") from None

    @property
    def fingerprint(self) -> str:
        """Short hash of the content (for provenance and caches)."""
        payload = json.dumps([self.name, [p.__dict__ for p in self.phases],
                              [{k: v for k, v in t.__dict__.items()} for t in self.touchpoints]],
                             sort_keys=True, default=list, ensure_ascii=False)
        return hashlib.blake2b(payload.encode("utf-8"), digest_size=6).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form, the same schema as the YAML file (``extends`` resolved)."""
        def tp(t: Touchpoint) -> dict[str, Any]:
            d: dict[str, Any] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in t.__dict__.items()}
            d["intents"] = dict(t.intents)
            for lang in ("de", "en"):
                d[f"examples_{lang}"] = [[x, ph] if ph else x for x, ph in t.examples(lang)]
            return d
        return {"version": self.version, "name": self.name,
                "phases": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in p.__dict__.items()}
                           for p in self.phases],
                "touchpoints": [tp(t) for t in self.touchpoints]}

    def __repr__(self) -> str:
        return (f"JourneyTaxonomy(name={self.name!r}, phases={len(self.phases)}, "
                f"touchpoints={len(self.touchpoints)}, source={self.source!r})")

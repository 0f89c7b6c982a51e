"""German and English words of the report, number formats, and display labels.

Phase and touchpoint labels come from the journey taxonomy (``label_de`` /
``label_en``); everything else the report says lives in :data:`STRINGS` (the
tables themselves are data in :mod:`~supportinsight.reporting.strings`). Ids
without a label are shown prettified (``order_tracking`` -> ``Order tracking``)
so a custom taxonomy or a new intent never breaks a report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from .strings import FIXED_LABELS as _FIXED_LABELS
from .strings import STRINGS

__all__ = ["LANGUAGES", "STRINGS", "Labels", "check_lang", "fmt_int", "fmt_percent", "fmt_points",
           "fmt_date", "prettify", "text"]

LANGUAGES: tuple[str, ...] = ("en", "de")


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise :class:`ConfigError`."""
    if lang not in LANGUAGES:
        raise ConfigError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    return lang


def prettify(identifier: str) -> str:
    """``order_tracking`` -> ``Order tracking``: a readable fallback for ids without a label."""
    text = str(identifier).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else str(identifier)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _decimal(value: float, digits: int, lang: str) -> str:
    text = f"{value:,.{digits}f}"
    if lang == "de":
        # 1,234.5 -> 1.234,5
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_int(value: Any, lang: str) -> str:
    """Thousands-separated integer: ``12,345`` (en) / ``12.345`` (de); ``–`` when missing."""
    if _missing(value):
        return "\u2013"
    return _decimal(float(value), 0, lang)


def fmt_percent(share: Any, lang: str, digits: int = 0) -> str:
    """A share in [0, 1] as percent: ``38%`` (en) / ``38\u00a0%`` (de, DIN 5008 spacing)."""
    if _missing(share):
        return "\u2013"
    number = _decimal(100.0 * float(share), digits, lang)
    return f"{number}\u00a0%" if lang == "de" else f"{number}%"


def fmt_points(change: Any, lang: str) -> str:
    """A change of a share in percentage points: ``+12 pts`` / ``+12 Punkte``; ``–`` when missing."""
    if _missing(change):
        return "\u2013"
    points = 100.0 * float(change)
    digits = 0 if abs(points) >= 9.5 or points == round(points) else 1
    sign = "+" if points > 0 else ("\u2212" if points < 0 else "\u00b1")
    number = _decimal(abs(points), digits, lang)
    if lang == "de":
        unit = "Punkt" if number == "1" else "Punkte"
        return f"{sign}{number}\u00a0{unit}"
    return f"{sign}{number}\u00a0{'pt' if number == '1' else 'pts'}"


def fmt_date(value: Any, lang: str) -> str:
    """``2026-03-02`` (en, ISO) / ``02.03.2026`` (de)."""
    if _missing(value):
        return "\u2013"
    try:
        import pandas as pd

        if pd.isna(value):
            return "\u2013"
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    return ts.strftime("%d.%m.%Y") if lang == "de" else ts.strftime("%Y-%m-%d")


def _entries(container: Any) -> Iterable[Any]:
    if container is None:
        return []
    if isinstance(container, Mapping):
        out = []
        for key, value in container.items():
            if isinstance(value, Mapping):
                out.append({"id": key, **value})
            else:
                out.append(value)
        return out
    return list(container)


def _get(entry: Any, name: str, default: Any = None) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name, default)
    return getattr(entry, name, default)


@dataclass
class Labels:
    """Display labels of phases, touchpoints, intents, channels and signals in one language.

    Parameters
    ----------
    lang:
        ``"en"`` or ``"de"``.
    names:
        Id -> label for phases and touchpoints (from the taxonomy).
    phase_order:
        Phase ids in journey order (the taxonomy's order); other phases follow alphabetically.
    touchpoint_phase:
        Touchpoint id -> phase id, used to order touchpoints along the journey.
    """

    lang: str = "en"
    names: dict[str, str] = field(default_factory=dict)
    phase_order: list[str] = field(default_factory=list)
    touchpoint_phase: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_taxonomy(cls, taxonomy: Any, lang: str = "en") -> "Labels":
        """Read ``label_<lang>`` of each phase and touchpoint of a loaded taxonomy.

        Accepts the :class:`~supportinsight.journey.taxonomy.JourneyTaxonomy` (``phases`` and
        ``touchpoints`` as lists or dicts of objects with ``id``, ``label_de``, ``label_en``,
        touchpoints optionally with ``phase``) or the same shape as plain dicts. None gives
        prettified ids.
        """
        check_lang(lang)
        labels = cls(lang=lang)
        if taxonomy is None:
            return labels
        for phase in _entries(_get(taxonomy, "phases")):
            pid = _get(phase, "id")
            if pid is None:
                continue
            labels.phase_order.append(str(pid))
            label = _get(phase, f"label_{lang}") or _get(phase, "label")
            if label:
                labels.names[str(pid)] = str(label)
            # A taxonomy may nest touchpoints under their phase.
            for tp in _entries(_get(phase, "touchpoints")):
                labels._add_touchpoint(tp, str(pid))
        for tp in _entries(_get(taxonomy, "touchpoints")):
            labels._add_touchpoint(tp, None)
        return labels

    def _add_touchpoint(self, tp: Any, phase: str | None) -> None:
        if isinstance(tp, str):
            if phase:
                self.touchpoint_phase.setdefault(tp, phase)
            return
        tid = _get(tp, "id")
        if tid is None:
            return
        label = _get(tp, f"label_{self.lang}") or _get(tp, "label")
        if label:
            self.names[str(tid)] = str(label)
        # The taxonomy lists a touchpoint's phases with the primary one first.
        phases = _get(tp, "phases")
        owner = _get(tp, "phase") or (phases[0] if phases and not isinstance(phases, str) else phases) or phase
        if owner:
            self.touchpoint_phase.setdefault(str(tid), str(owner))

    def __call__(self, identifier: Any) -> str:
        """The label of any id: taxonomy first, then fixed labels, then prettified."""
        if _missing(identifier):
            return _FIXED_LABELS[self.lang]["unknown"]
        key = str(identifier)
        if key in self.names:
            return self.names[key]
        fixed = _FIXED_LABELS[self.lang].get(key)
        return fixed if fixed is not None else prettify(key)

    def signal(self, name: str) -> str:
        """The label of an escalation signal (``slow_first_response`` -> ``slow first response``)."""
        fixed = _FIXED_LABELS[self.lang].get(f"signal:{name}")
        return fixed if fixed is not None else prettify(name).lower()

    def language(self, code: Any) -> str:
        """A language code as the report shows it: ``de``, ``en`` ...; ``und`` -> ``undetermined``."""
        key = "unknown" if _missing(code) else str(code)
        return _FIXED_LABELS[self.lang].get(f"lang:{key}", key)

    def cell(self, phase: Any, touchpoint: Any) -> str:
        """``Delivery and shipping (Retention)``: touchpoint first, its phase in brackets."""
        return f"{self(touchpoint)} ({self(phase)})"

    def phase_rank(self, phase: str) -> tuple[int, str]:
        """Sort key putting phases in journey order, unknown ones after, ``unknown`` last."""
        if phase == "unknown":
            return (len(self.phase_order) + 1, phase)
        if phase in self.phase_order:
            return (self.phase_order.index(phase), "")
        return (len(self.phase_order), phase)


def text(lang: str, key: str, **values: Any) -> str:
    """The report string ``key`` in ``lang``, formatted with ``values``."""
    return STRINGS[check_lang(lang)][key].format(**values)

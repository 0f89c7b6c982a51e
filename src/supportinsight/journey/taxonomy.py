"""Customer-journey taxonomies as data: phases and touchpoints, validated on load.

A taxonomy is a YAML file (schema in ``supportinsight/data/journey/README.md``).
Two ship with the package: ``"default"`` (five phases: awareness, consideration,
purchase, retention, advocacy) and ``"six_phase"`` (awareness, research,
purchase, usage, feedback, loyalty). A rail operator or a bank brings its own
file with its own touchpoints:

>>> import supportinsight as si
>>> tax = si.load_taxonomy("default")
>>> tax.touchpoint("delivery").phases
('retention', 'consideration')
>>> si.load_taxonomy("my_touchpoints.yaml")  # doctest: +SKIP

Every problem in a file is reported as a :class:`~supportinsight.errors.TaxonomyError`
that names the file, the touchpoint or phase and the field, and says what to fix.
This module reads and checks the files; the types they become live in
:mod:`~supportinsight.journey.taxonomy_types`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import TaxonomyError
from .taxonomy_types import KINDS, UNKNOWN, JourneyTaxonomy, Phase, Touchpoint

__all__ = ["Phase", "Touchpoint", "JourneyTaxonomy", "load_taxonomy", "available_taxonomies", "KINDS", "UNKNOWN"]

_DATA = "supportinsight.data.journey"
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


# --------------------------------------------------------------------------- loading

def available_taxonomies() -> list[str]:
    """Names of the taxonomies shipped with the package."""
    return sorted(p.name[:-5] for p in resources.files(_DATA).iterdir() if p.name.endswith(".yaml"))


def load_taxonomy(name_or_path_or_obj: str | Path | Mapping[str, Any] | JourneyTaxonomy = "default"
                  ) -> JourneyTaxonomy:
    """Load and validate a journey taxonomy.

    Parameters
    ----------
    name_or_path_or_obj:
        A shipped name (``"default"``, ``"six_phase"``), a path to a YAML file, a
        mapping with the same structure, or a :class:`JourneyTaxonomy` (returned as is).

    Returns
    -------
    JourneyTaxonomy

    Raises
    ------
    TaxonomyError
        The file is missing, not YAML, or breaks the schema; the message names the
        file, the touchpoint or phase and the field, and says what to fix.
    """
    obj = name_or_path_or_obj
    if isinstance(obj, JourneyTaxonomy):
        return obj
    if isinstance(obj, Mapping):
        return _build(dict(obj), "<mapping>", depth=0)
    if isinstance(obj, (str, Path)):
        text = str(obj)
        if isinstance(obj, str) and "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
            return _load_shipped(text)
        return _load_path(str(Path(text).expanduser()))
    raise TaxonomyError(f"load_taxonomy takes a name ({available_taxonomies()}), a path to a YAML file, a mapping "
                        f"or a JourneyTaxonomy; got {type(obj).__name__}")


@lru_cache(maxsize=8)
def _load_shipped(name: str) -> JourneyTaxonomy:
    if name not in available_taxonomies():
        raise TaxonomyError(f"no shipped journey taxonomy named {name!r}; choose one of {available_taxonomies()} "
                            "or pass the path to your own YAML file")
    source = f"supportinsight/data/journey/{name}.yaml"
    text = resources.files(_DATA).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return _build(_parse(text, source), source, depth=0)


def _load_path(path: str) -> JourneyTaxonomy:
    p = Path(path)
    if not p.is_file():
        raise TaxonomyError(f"journey taxonomy file {path} does not exist; pass a shipped name "
                            f"({available_taxonomies()}) or the path to a YAML file")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8 text ({exc}); save the file as UTF-8") from None
    return _build(_parse(text, path), path, depth=0)


def _parse(text: str, source: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise TaxonomyError(f"{source}: not valid YAML{where}: {getattr(exc, 'problem', exc)}; "
                            "fix the syntax (indentation, quotes, colons)") from None
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}: the top level must be a mapping with the keys 'name', 'phases' and "
                            f"'touchpoints', got {type(data).__name__}")
    return data


class _Check:
    """Collects the location of the value being checked so every error names it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, fieldname: str, problem: str) -> TaxonomyError:
        return TaxonomyError(f"{self.source}: {where}, field {fieldname!r}: {problem}")

    def text(self, d: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        v = d.get(key)
        if v is None:
            if required:
                raise self.fail(where, key, "missing; add a non-empty string")
            return ""
        if not isinstance(v, str) or (required and not v.strip()):
            raise self.fail(where, key, f"must be a non-empty string, got {v!r}")
        return v.strip()

    def ident(self, d: Mapping[str, Any], where: str) -> str:
        v = self.text(d, "id", where)
        if not set(v) <= _ID_CHARS or not v[0].isalpha():
            raise self.fail(where, "id", f"{v!r} is not a valid id; use lower-case letters, digits and '_', "
                                         "starting with a letter (e.g. 'returns_refunds')")
        return v

    def strings(self, d: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        v = d.get(key)
        if v is None:
            return ()
        if isinstance(v, str) or not isinstance(v, list):
            raise self.fail(where, key, f"must be a list of strings (YAML: [a, b] or '- a' lines), got {v!r}")
        out = []
        for i, item in enumerate(v):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                raise self.fail(where, key, f"item {i} must be a non-empty string, got {item!r}")
            out.append(item.strip())
        return tuple(dict.fromkeys(out))


def _examples(c: "_Check", value: Any, where: str, fieldname: str) -> tuple[tuple[str, str], ...]:
    """Examples as written in YAML: ``- text`` or ``- [text, phase]``; phase checked later."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise c.fail(where, fieldname, f"must be a list of messages ('- text' or '- [text, phase]'), got {value!r}")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append((item.strip(), ""))
        elif (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) and x.strip() for x in item)):
            out.append((item[0].strip(), item[1].strip()))
        else:
            raise c.fail(where, fieldname, f"item {i} must be a message text or a [text, phase] pair, got {item!r}")
    return tuple(dict.fromkeys(out))


def _examples_file(c: "_Check", ref: Any, source: str) -> dict[str, dict[str, tuple[tuple[str, str], ...]]]:
    """Read an ``examples:`` file: ``{touchpoint: {de: [...], en: [...]}}``."""
    if not isinstance(ref, str) or not ref.strip():
        raise c.fail("top level", "examples", f"must be the path of a YAML file of examples, got {ref!r}")
    if "/" not in ref and "\\" not in ref and not ref.endswith((".yaml", ".yml")):
        # a shipped example set by name ("default"), so a copy of a shipped taxonomy works anywhere
        try:
            text = resources.files(_DATA).joinpath(f"examples/{ref}.yaml").read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            raise c.fail("top level", "examples", f"{ref!r} is no shipped example set; name one (e.g. 'default') "
                                                  "or give the path of a YAML file") from None
        where_file = f"supportinsight/data/journey/examples/{ref}.yaml"
    else:
        p = Path(ref) if Path(ref).is_absolute() or source.startswith("<") else Path(source).parent / ref
        if not p.is_file():
            raise c.fail("top level", "examples", f"{str(p)!r} does not exist; give a path relative to the taxonomy file")
        text = p.read_text(encoding="utf-8")
        where_file = str(p)
    data = _parse(text, where_file) if text.strip() else {}
    fc = _Check(where_file)
    out: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {}
    for tid, langs in data.items():
        where = f"touchpoint {tid!r}"
        if not isinstance(langs, dict) or not set(langs) <= {"de", "en"}:
            raise fc.fail(where, "de/en", f"must map 'de' and/or 'en' to lists of messages, got {langs!r}")
        out[str(tid)] = {lang: _examples(fc, v, where, lang) for lang, v in langs.items()}
    return out


_PHASE_KEYS = {"id", "label_de", "label_en", "description_de", "description_en", "cues_de", "cues_en", "intents",
               "unplaced_intents"}
_TP_KEYS = {"id", "label_de", "label_en", "phases", "kind", "channel", "description_de", "description_en",
            "cues_de", "cues_en", "stems_de", "weak_cues_de", "weak_cues_en", "owner_queue", "intents",
            "unplaced_intents", "examples_de", "examples_en"}
_TOP_KEYS = {"version", "name", "extends", "phases", "touchpoints", "phase_map", "touchpoint_phases", "examples"}


def _each_intent_once(c: _Check, kind: str, owners: list[tuple[str, tuple[str, ...]]], key: str, why: str) -> None:
    """Each intent id in at most one owner's ``key`` list (a phase's or a touchpoint's)."""
    seen: dict[str, str] = {}
    for owner, intents in owners:
        for intent in intents:
            if intent in seen:
                raise c.fail(f"{kind} {owner!r}", key, f"intent {intent!r} is already listed under {kind} "
                                                       f"{seen[intent]!r}; {why}")
            seen[intent] = owner


def _warn_unknown_intents(source: str, places: list[tuple[str, str, tuple[str, ...]]]) -> None:
    """Warn (once per load) about intent ids the shipped intent taxonomy does not have: a
    misspelt id would silently never fire. Not an error, because a team's own intent model
    (``IntentClassifier().fit``) may predict labels of its own."""
    from ..enrich.intent_features import default_taxonomy

    known = {row["id"] for row in default_taxonomy()["intents"]}
    unknown = [f"{where} {field} {intent!r}" for where, field, ids in places for intent in ids if intent not in known]
    if unknown:
        warnings.warn(f"{source}: {', '.join(unknown)}: not an intent of the shipped intent taxonomy "
                      f"({', '.join(sorted(known))}); such an entry only fires if your own intent model "
                      "predicts that label, so check the spelling", UserWarning, stacklevel=4)


def _build(data: dict[str, Any], source: str, *, depth: int) -> JourneyTaxonomy:
    c = _Check(source)
    unknown_top = set(data) - _TOP_KEYS
    if unknown_top:
        raise c.fail("top level", sorted(unknown_top)[0], f"unknown key; allowed keys are {sorted(_TOP_KEYS)}")
    version = data.get("version", 1)
    if version != 1:
        raise c.fail("top level", "version", f"only version 1 is supported, got {version!r}")
    name = c.text(data, "name", "top level")

    base: JourneyTaxonomy | None = None
    if data.get("extends") is not None:
        if depth > 3:
            raise c.fail("top level", "extends", "too many levels of 'extends'; flatten the files")
        ext = data["extends"]
        if not isinstance(ext, str):
            raise c.fail("top level", "extends", f"must be a shipped name or a path, got {ext!r}")
        if ext in available_taxonomies():
            base = _load_shipped(ext)
        else:
            p = Path(ext) if Path(ext).is_absolute() or source.startswith("<") else Path(source).parent / ext
            if not p.is_file():
                raise c.fail("top level", "extends", f"{ext!r} is neither a shipped taxonomy "
                                                     f"({available_taxonomies()}) nor an existing file")
            base = _build(_parse(p.read_text(encoding="utf-8"), str(p)), str(p), depth=depth + 1)

    # phases ------------------------------------------------------------------
    raw_phases = data.get("phases")
    if raw_phases is None and base is not None:
        phases = base.phases
    else:
        if not isinstance(raw_phases, list) or not raw_phases:
            raise c.fail("top level", "phases", "must be a non-empty list of phase mappings (id, label_de, label_en ...)")
        plist = []
        for i, rp in enumerate(raw_phases):
            where = f"phase #{i + 1}"
            if not isinstance(rp, dict):
                raise c.fail(where, "phases", f"each phase must be a mapping with 'id', 'label_de', 'label_en', got {rp!r}")
            pid = c.ident(rp, where)
            where = f"phase {pid!r}"
            extra = set(rp) - _PHASE_KEYS
            if extra:
                raise c.fail(where, sorted(extra)[0], f"unknown field; allowed fields are {sorted(_PHASE_KEYS)}")
            plist.append(Phase(id=pid, label_de=c.text(rp, "label_de", where), label_en=c.text(rp, "label_en", where),
                               description_de=c.text(rp, "description_de", where, required=False),
                               description_en=c.text(rp, "description_en", where, required=False),
                               cues_de=c.strings(rp, "cues_de", where), cues_en=c.strings(rp, "cues_en", where),
                               intents=c.strings(rp, "intents", where),
                               unplaced_intents=c.strings(rp, "unplaced_intents", where)))
        phases = tuple(plist)
        for key in ("intents", "unplaced_intents"):
            _each_intent_once(c, "phase", [(ph.id, getattr(ph, key)) for ph in phases], key,
                              "an intent can place a message in one phase only, so keep it in one list")
    ids = [p.id for p in phases]
    dup = sorted({x for x in ids if ids.count(x) > 1})
    if dup:
        raise c.fail(f"phase {dup[0]!r}", "id", "appears more than once; phase ids must be unique")
    if UNKNOWN not in ids:
        phases = phases + (Phase(UNKNOWN, "Unbekannt", "Unknown"),)
    phase_ids = {p.id for p in phases}

    # phase remapping for files that extend another one -----------------------
    phase_map = data.get("phase_map") or {}
    if not isinstance(phase_map, dict):
        raise c.fail("top level", "phase_map", f"must map old phase ids to new ones, got {phase_map!r}")
    for old, new in phase_map.items():
        if new not in phase_ids:
            raise c.fail(f"phase_map entry {old!r}", "phase_map", f"maps to {new!r}, which is not a phase of this "
                                                                  f"taxonomy; phases are {sorted(phase_ids)}")
    tp_phases = data.get("touchpoint_phases") or {}
    if not isinstance(tp_phases, dict):
        raise c.fail("top level", "touchpoint_phases", f"must map touchpoint ids to lists of phases, got {tp_phases!r}")

    # touchpoints -------------------------------------------------------------
    raw_tps = data.get("touchpoints")
    if raw_tps is None and base is not None:
        tps = list(base.touchpoints)
    else:
        if not isinstance(raw_tps, list) or not raw_tps:
            raise c.fail("top level", "touchpoints", "must be a non-empty list of touchpoint mappings")
        tps = []
        for i, rt in enumerate(raw_tps):
            where = f"touchpoint #{i + 1}"
            if not isinstance(rt, dict):
                raise c.fail(where, "touchpoints", f"each touchpoint must be a mapping with 'id', 'phases', 'kind' ..., "
                                                   f"got {rt!r}")
            tid = c.ident(rt, where)
            where = f"touchpoint {tid!r}"
            extra = set(rt) - _TP_KEYS
            if extra:
                raise c.fail(where, sorted(extra)[0], f"unknown field; allowed fields are {sorted(_TP_KEYS)}")
            tphases = c.strings(rt, "phases", where)
            if not tphases:
                raise c.fail(where, "phases", "missing or empty; list at least one phase id (the first is the primary)")
            kind = c.text(rt, "kind", where)
            if kind not in KINDS:
                raise c.fail(where, "kind", f"must be one of {list(KINDS)}, got {kind!r}")
            intents = rt.get("intents") or {}
            if not isinstance(intents, dict) or not all(
                    isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1
                    for k, v in intents.items()):
                raise c.fail(where, "intents", f"must map intent ids to boosts between 0 and 1, got {intents!r}")
            stems = tuple(s.lower() for s in c.strings(rt, "stems_de", where))
            short = [s for s in stems if len(s) < 4]
            if short:
                raise c.fail(where, "stems_de", f"stems must have at least 4 letters (short ones match inside "
                                                f"unrelated words), got {short}")
            cues_de, cues_en = c.strings(rt, "cues_de", where), c.strings(rt, "cues_en", where)
            if tid != UNKNOWN and not (cues_de or cues_en):
                raise c.fail(where, "cues_de/cues_en", "a touchpoint needs cue phrases in at least one language")
            tps.append(Touchpoint(
                id=tid, label_de=c.text(rt, "label_de", where), label_en=c.text(rt, "label_en", where),
                phases=tphases, kind=kind, channel=c.text(rt, "channel", where),
                description_de=c.text(rt, "description_de", where), description_en=c.text(rt, "description_en", where),
                cues_de=cues_de, cues_en=cues_en, stems_de=stems,
                weak_cues_de=c.strings(rt, "weak_cues_de", where), weak_cues_en=c.strings(rt, "weak_cues_en", where),
                owner_queue=c.text(rt, "owner_queue", where, required=False),
                intents=tuple(sorted((k, float(v)) for k, v in intents.items())),
                unplaced_intents=c.strings(rt, "unplaced_intents", where),
                examples_de=_examples(c, rt.get("examples_de"), where, "examples_de"),
                examples_en=_examples(c, rt.get("examples_en"), where, "examples_en")))
    _each_intent_once(c, "touchpoint", [(t.id, t.unplaced_intents) for t in tps], "unplaced_intents",
                      "a message without a touchpoint can go to one touchpoint only, so keep it in one list")
    _warn_unknown_intents(source, [(f"phase {ph.id!r}", key, getattr(ph, key)) for ph in phases
                                   for key in ("intents", "unplaced_intents")]
                          + [(f"touchpoint {t.id!r}", "intents", tuple(k for k, _ in t.intents)) for t in tps]
                          + [(f"touchpoint {t.id!r}", "unplaced_intents", t.unplaced_intents) for t in tps])
    tids = [t.id for t in tps]
    dup = sorted({x for x in tids if tids.count(x) > 1})
    if dup:
        raise c.fail(f"touchpoint {dup[0]!r}", "id", "appears more than once; touchpoint ids must be unique")
    for tid in tp_phases:
        if tid not in tids:
            raise c.fail(f"touchpoint_phases entry {tid!r}", "touchpoint_phases",
                         f"no such touchpoint; touchpoints are {tids}")

    if data.get("examples") is not None:
        extra = _examples_file(c, data["examples"], source)
        for tid in extra:
            if tid not in tids and not (tid == UNKNOWN):
                raise c.fail("top level", "examples", f"the examples file names touchpoint {tid!r}, which this "
                                                      f"taxonomy does not have; touchpoints are {tids}")
        if UNKNOWN in extra and UNKNOWN not in tids:
            tps.append(Touchpoint(UNKNOWN, "Unbekannt", "Unknown", (UNKNOWN,), "digital", "other",
                                  "Aus dem Text geht kein Kontaktpunkt hervor.",
                                  "No touchpoint can be told from the text."))
            tids.append(UNKNOWN)
        tps = [_replace(t, examples_de=tuple(dict.fromkeys(t.examples_de + extra[t.id].get("de", ()))),
                        examples_en=tuple(dict.fromkeys(t.examples_en + extra[t.id].get("en", ()))))
               if t.id in extra else t for t in tps]

    final = []
    for t in tps:
        if t.id in tp_phases:
            new_phases = c.strings(tp_phases, t.id, f"touchpoint_phases entry {t.id!r}")
        else:
            new_phases = tuple(dict.fromkeys(phase_map.get(p, p) for p in t.phases))
        bad = [p for p in new_phases if p not in phase_ids]
        if bad or not new_phases:
            raise c.fail(f"touchpoint {t.id!r}", "phases", f"names unknown phase(s) {bad}; phases of this taxonomy are "
                                                           f"{sorted(phase_ids)} (add the phase or fix the spelling)")
        changes: dict[str, Any] = {} if new_phases == t.phases else {"phases": new_phases}
        for lang in ("de", "en"):
            ex = t.examples(lang)
            mapped = tuple((x, phase_map.get(ph, ph)) for x, ph in ex)
            for x, ph in mapped:
                if ph and ph not in phase_ids:
                    raise c.fail(f"touchpoint {t.id!r}", f"examples_{lang}",
                                 f"example {x[:40]!r} names phase {ph!r}; phases of this taxonomy are {sorted(phase_ids)}")
            if mapped != ex:
                changes[f"examples_{lang}"] = mapped
        final.append(_replace(t, **changes) if changes else t)
    if UNKNOWN not in tids:
        final.append(Touchpoint(UNKNOWN, "Unbekannt", "Unknown", (UNKNOWN,), "digital", "other",
                                "Aus dem Text geht kein Kontaktpunkt hervor.", "No touchpoint can be told from the text."))
    # unknown last so that reports list it after the real touchpoints
    final.sort(key=lambda t: t.id == UNKNOWN)
    phases = tuple(sorted(phases, key=lambda p: p.id == UNKNOWN))
    return JourneyTaxonomy(name=name, phases=phases, touchpoints=tuple(final), source=source, version=1)


def _replace(t: Touchpoint, **changes: Any) -> Touchpoint:
    from dataclasses import replace

    return replace(t, **changes)

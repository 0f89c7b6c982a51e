"""The PII pattern configuration: the package YAML, overrides, and the rules compiled from them."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Union

from ...errors import ConfigError
from .names import _ACADEMIC, _FULL_NAME, _NAME_WORD, _NAME_WORD_ANYCASE, _PARTICLE, _WORD

PatternsArg = Union[None, Mapping[str, Any], str, os.PathLike]


@lru_cache(maxsize=1)
def _package_patterns() -> dict[str, Any]:
    import yaml

    text = resources.files("supportinsight").joinpath("data/pii_patterns.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_patterns(patterns: PatternsArg = None) -> dict[str, Any]:
    """The pattern configuration: the package YAML, with the keys of ``patterns`` replacing its keys.

    Parameters
    ----------
    patterns:
        ``None`` (package defaults), a mapping with any of the package keys
        (``order_id``, ``phone_keywords``, ``name_intro_strong``, ``name_intro_weak``,
        ``titles``, ``greetings``, ``closings``, ``not_names``, ``first_names``),
        or the path of a YAML file holding such a mapping.

    Returns
    -------
    dict
        The merged configuration.

    Raises
    ------
    ConfigError
        If the file is missing or unreadable, a key is unknown, or a regex does not compile.
    """
    base = dict(_package_patterns())
    if patterns is None:
        return base
    if isinstance(patterns, (str, os.PathLike)):
        import yaml

        path = Path(patterns)
        if not path.is_file():
            raise ConfigError(f"PII patterns file {str(path)!r} not found; pass an existing YAML file "
                              "or a mapping")
        try:
            patterns = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"PII patterns file {str(path)!r} is not valid YAML: {exc}") from None
    if not isinstance(patterns, Mapping):
        raise ConfigError(f"patterns must be None, a mapping or a YAML path; got {type(patterns).__name__}")
    unknown = sorted(set(patterns) - set(base))
    if unknown:
        raise ConfigError(f"unknown PII pattern key(s) {unknown}; allowed: {sorted(base)}")
    base.update(patterns)
    return base


def _alternation(words: str | Iterable[str]) -> str:
    """A regex alternation of ``a|b|c`` (already regex text), longest first so prefixes do not win."""
    items = words.split("|") if isinstance(words, str) else list(words)
    items = sorted({w.strip() for w in items if w and w.strip()}, key=len, reverse=True)
    return "|".join(w.replace(" ", r"[ \t]+") for w in items)


def _word_set(words: str | Iterable[str]) -> frozenset[str]:
    items = words.split("|") if isinstance(words, str) else list(words)
    return frozenset(w.strip().lower().replace("\\.", ".") for w in items if w and w.strip())


class _Rules:
    """Compiled regexes of one pattern configuration."""

    def __init__(self, cfg: Mapping[str, Any]) -> None:
        name_tail = rf"(?P<id>{_NAME_WORD_ANYCASE}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,2}})"
        try:
            self.order_id = [(re.compile(pat, re.IGNORECASE), hints) for pat, hints in _order_entries(cfg["order_id"])]
            self.phone_kw = re.compile(
                rf"(?i:(?<![\w])(?:{_alternation(cfg['phone_keywords'])}))(?![\w])[ \t.:]*+"
                r"(?i:(?:ist|is|lautet|unter|at|on|nummer|number|nr\.?|no\.?)[ \t:]*+)?"
                r"(?P<id>[+(]?\d[\d \t()/.\-]{4,20}\d)(?![\w])"
            )
            # Name rules: (kind, regex). Each regex starts at its trigger word, so find_pii
            # only tries it where that word occurs (see trigger_index).
            rules: list[tuple[str, str, str]] = [
                ("strong", cfg["name_intro_strong"],
                 rf"[ \t]*+,?[ \t]*+{name_tail}"),
                ("weak", cfg["name_intro_weak"], rf"[ \t]*+,?[ \t]*+{name_tail}"),
                ("relation", cfg["name_relations"], rf"[ \t]*+,?[ \t]*+(?P<id>{_FULL_NAME})"),
                ("title", cfg["titles"], rf"(?![\w])[ \t]*+{_ACADEMIC}(?P<id>(?:{_PARTICLE}[ \t]+)?{_FULL_NAME})"),
                ("greeting", cfg["greetings"],
                 rf"(?![\w])[ \t]*+,?[ \t]*+(?P<id>{_FULL_NAME})(?P<after>[ \t]*+(?:[,!.:;)\n]|$)?)"),
                ("closing", cfg["closings"],
                 r"(?![\w])(?:[ \t]*+[,!.:]?[ \t]*+(?:\r?\n[ \t\r\n]*+)?(?<=[,!.:\s])"
                 r"|[^\n]{1,40}?(?:,[ \t]*+|[ \t]*+\r?\n[ \t\r\n]*+))"
                 rf"(?P<id>{_FULL_NAME})(?=[ \t]*+[^\w\n]*+(?:\n|$))"),
            ]
            self.name_rules = [
                (kind, re.compile(rf"(?<![\w])(?i:{_alternation(words)}){tail}"))
                for kind, words, tail in rules
            ]
        except re.error as exc:
            raise ConfigError(f"a PII pattern does not compile ({exc}); fix the regex in the patterns "
                              "you passed") from None
        # first word of each trigger phrase -> rules to try there
        self.trigger_index: dict[str, list[int]] = {}
        for i, (_kind, words, _tail) in enumerate(rules):
            for phrase in (words.split("|") if isinstance(words, str) else words):
                first = _WORD.search(phrase.replace("\\.", "."))
                if first:
                    self.trigger_index.setdefault(first.group().lower(), [])
                    if i not in self.trigger_index[first.group().lower()]:
                        self.trigger_index[first.group().lower()].append(i)
        self.not_names = _word_set(cfg["not_names"]) | _word_set(cfg["titles"]) | _word_set(cfg["greetings"])
        self.first_names = _word_set(cfg["first_names"])


def _order_entries(value: Any) -> list[tuple[str, tuple[str, ...] | None]]:
    """``order_id`` entries as (regex, hints or None)."""
    if isinstance(value, (str, Mapping)):
        value = [value]
    out = []
    for item in value:
        if isinstance(item, Mapping):
            if "pattern" not in item:
                raise ConfigError(f"order_id entry {dict(item)!r} has no 'pattern'; give {{pattern: REGEX, "
                                  "hints: [...]}} or a plain regex string")
            hints = item.get("hints")
            out.append((str(item["pattern"]), tuple(str(h).lower() for h in hints) if hints else None))
        else:
            out.append((str(item), None))
    return out


@lru_cache(maxsize=16)
def _rules_for(key: str) -> _Rules:
    cfg = _package_patterns() if key == "" else load_patterns(json.loads(key))
    return _Rules(cfg)


@lru_cache(maxsize=16)
def _rules_for_file(path: str, stamp: int | None) -> _Rules:
    del stamp  # part of the cache key only: an edited file is read again
    return _Rules(load_patterns(path))


def _rules(patterns: PatternsArg) -> _Rules:
    if patterns is None:
        return _rules_for("")
    if isinstance(patterns, (str, os.PathLike)):
        try:
            stamp = Path(patterns).stat().st_mtime_ns
        except OSError:
            stamp = None
        return _rules_for_file(str(patterns), stamp)
    cfg = load_patterns(patterns)
    user = {k: v for k, v in cfg.items() if v != _package_patterns().get(k)}
    return _rules_for(json.dumps(user, sort_keys=True, default=str))

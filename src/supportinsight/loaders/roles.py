"""Speaker names and role values -> ``author_role`` through a configurable table.

The defaults live in ``supportinsight/data/roles.yaml`` (German and English:
Kunde, Kundin, Customer, Agent, Support, Bot ...). A load can add or override
entries with ``roles={"Lisa": "agent"}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

import yaml

from ..errors import ConfigError
from ..schema import ROLES

__all__ = ["default_roles", "role_table", "role_of", "resolve_speakers"]

_WORD = re.compile(r"[\wäöüß-]+", re.I)


@lru_cache(maxsize=1)
def default_roles() -> dict[str, str]:
    """The packaged table: lower-case name or word -> role."""
    raw = yaml.safe_load(resources.files("supportinsight.data").joinpath("roles.yaml").read_text("utf-8"))
    table: dict[str, str] = {}
    for role, names in raw.items():
        for name in names:
            table[str(name).lower()] = role
    return table


def role_table(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The default table with ``overrides`` (name -> role) applied; checks the roles."""
    table = dict(default_roles())
    for name, role in (overrides or {}).items():
        if role not in ROLES:
            raise ConfigError(f"roles: {name!r} maps to {role!r}; allowed roles are {list(ROLES)}")
        table[str(name).strip().lower()] = role
    return table


def role_of(name: object, table: Mapping[str, str]) -> str | None:
    """The role of a speaker name or role value, or ``None`` when the table does not know it."""
    if name is None:
        return None
    key = str(name).strip().lower()
    if not key:
        return None
    if key in table:
        return table[key]
    if key in ROLES:
        return key
    words = _WORD.findall(key)
    # a bot word wins over an agent word ("Support Bot" is a bot)
    found = {table[w] for w in words if w in table}
    for role in ("bot", "agent", "customer"):
        if role in found:
            return role
    return None


def resolve_speakers(names: Iterable[str], table: Mapping[str, str], *,
                     present: Iterable[str] = ()) -> dict[str, str]:
    """Roles for the speakers of one conversation.

    Known names get their table role; when exactly one speaker is left unknown and
    another is an agent or bot, that one is the customer. Others stay ``unknown``.
    ``present`` names roles already known to take part (from explicit role fields).
    """
    names = list(dict.fromkeys(n for n in names if n is not None))
    roles = {n: role_of(n, table) for n in names}
    unknown = [n for n, r in roles.items() if r is None]
    taken = set(roles.values()) | set(present)
    if len(unknown) == 1 and taken & {"agent", "bot"} and "customer" not in taken:
        roles[unknown[0]] = "customer"
    return {n: (r or "unknown") for n, r in roles.items()}

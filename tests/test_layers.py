"""The package's layers: a module imports only from its own layer or the layers below.

``LAYERS`` below is the one table of the layers (the package docstring's "Layout"
section points here). Every ``import supportinsight.x``, ``from supportinsight.x import``
and relative ``from .x`` / ``from ..x import`` in ``src/supportinsight`` counts, at module
level or inside a function, so an import that runs up the layers fails here naming the
file, the line and the target.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "supportinsight"

# Bottom to top. Each entry names the top-level modules and subpackages of
# supportinsight that form one layer.
LAYERS: list[tuple[str, frozenset[str]]] = [
    ("ground", frozenset({"schema", "errors", "config", "metrics", "_version"})),
    ("text", frozenset({"text"})),
    ("models and loaders", frozenset({"enrich", "encoders", "loaders"})),
    ("journey and adaptation", frozenset({"journey", "adapt"})),
    ("pipeline", frozenset({"pipeline", "jobs", "scale", "store", "dask", "spark"})),
    ("aggregate", frozenset({"aggregate"})),
    ("reports, evaluation and training", frozenset({"reporting", "evaluate", "train"})),
    ("command line", frozenset({"cli"})),
]
# Facades above every layer: the package itself (lazy public names) and the
# pandas ``df.si`` accessor. They may import anything; no layer imports them.
FACADES = frozenset({"__init__", "accessor"})

# Names that stay importable from their old place after moving up a layer: the
# old module forwards them from a module-level ``__getattr__`` (PEP 562), so its
# own code does not depend on the layer above. (file, target module).
FORWARDED = {
    ("config.py", "supportinsight.jobs"),  # build_pipeline lives in jobs.py (above the pipeline)
}

# Upward imports known and still to be fixed, by (file, target module), each with
# a comment saying why it is here. Remove an entry once its import is gone:
# test_known_upward_imports_still_exist fails on a stale entry as a reminder.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def _rank() -> dict[str, int]:
    rank = {name: i for i, (_, names) in enumerate(LAYERS) for name in names}
    rank.update({name: len(LAYERS) for name in FACADES})
    return rank


RANK = _rank()


def _top(module: str) -> str:
    """The top-level part of ``supportinsight.a.b`` (``"__init__"`` for the package itself)."""
    parts = module.split(".")
    assert parts[0] == "supportinsight", module
    return parts[1] if len(parts) > 1 else "__init__"


def _is_submodule(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def _module_of(path: Path) -> tuple[list[str], bool]:
    parts = ["supportinsight", *path.relative_to(PACKAGE).with_suffix("").parts]
    is_package = parts[-1] == "__init__"
    return (parts[:-1] if is_package else parts), is_package


def _forwarders(tree: ast.Module) -> set[int]:
    """Line numbers of imports inside a module-level ``__getattr__``."""
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            lines |= {n.lineno for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))}
    return lines


def _imports(path: Path):
    """(line, target module, in a forwarding __getattr__) for each supportinsight import in ``path``."""
    module, is_package = _module_of(path)
    package = module if is_package else module[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    forwarders = _forwarders(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "supportinsight":
                    yield node.lineno, alias.name, node.lineno in forwarders
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "supportinsight":
                continue
            if target == "supportinsight":  # from supportinsight import x: a submodule or a name of the package
                for alias in node.names:
                    sub = f"supportinsight.{alias.name}" if _is_submodule(alias.name) else target
                    yield node.lineno, sub, node.lineno in forwarders
            else:
                yield node.lineno, target, node.lineno in forwarders


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _upward() -> list[tuple[str, int, str, str, str]]:
    """(file, line, target, file's layer, target's layer) for each import that runs up."""
    found = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        own = _top(".".join(_module_of(path)[0]))
        for line, target, forwarded in _imports(path):
            if forwarded and (rel, target) in FORWARDED:
                continue
            if RANK[_top(target)] > RANK[own]:
                found.append((rel, line, target, own, _top(target)))
    return found


def _layer_name(top: str) -> str:
    return "facade" if top in FACADES else LAYERS[RANK[top]][0]


def test_every_module_has_a_layer():
    tops = {_top(".".join(_module_of(p)[0])) for p in _modules()}
    missing = sorted(tops - set(RANK))
    assert not missing, f"put these in LAYERS in tests/test_layers.py: {missing}"


def test_no_import_runs_up_the_layers():
    bad = [f"src/supportinsight/{rel}:{line} imports {target} "
           f"({_layer_name(own)} -> {_layer_name(up)})"
           for rel, line, target, own, up in _upward() if (rel, target) not in KNOWN_UPWARD]
    assert not bad, "imports that run up the layers:\n" + "\n".join(bad)


def test_known_upward_imports_still_exist():
    found = {(rel, target) for rel, _, target, _, _ in _upward()}
    stale = sorted(KNOWN_UPWARD - found)
    assert not stale, f"these imports no longer run up; remove them from KNOWN_UPWARD: {stale}"


def test_forwarded_names_still_forward():
    present = {(p.relative_to(PACKAGE).as_posix(), target)
               for p in _modules() for _, target, forwarded in _imports(p) if forwarded}
    stale = sorted(FORWARDED - present)
    assert not stale, f"no forwarding __getattr__ imports these any more; update FORWARDED: {stale}"


def test_the_checker_sees_relative_and_function_level_imports():
    targets = {target for _, target, _ in _imports(PACKAGE / "accessor.py")}
    assert "supportinsight.reporting" in targets  # relative, inside a method
    targets = {target for _, target, _ in _imports(PACKAGE / "loaders" / "registry.py")}
    assert {"supportinsight.loaders.chats", "supportinsight.errors"} <= targets
    targets = {target for _, target, _ in _imports(PACKAGE / "cli" / "demo.py")}
    assert "supportinsight.reporting" in targets  # relative, inside a function


def test_docs_layout_lists_every_module():
    """docs/LAYOUT.md, the newcomer's map, names every module of the package and no other."""
    import re

    text = (PACKAGE.parents[1] / "docs" / "LAYOUT.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^(\S+\.py)\s+\d+", text, flags=re.M))
    present = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")}
    assert listed == present, {"missing from docs/LAYOUT.md": sorted(present - listed),
                               "listed but gone": sorted(listed - present)}

"""The public names stay what they are, whatever submodules were imported before."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import supportinsight as si


def test_public_names_are_not_shadowed_by_subpackages():
    for mod in pkgutil.walk_packages(si.__path__, "supportinsight."):
        if mod.name.endswith((".spark", ".dask")):
            continue  # optional engines
        importlib.import_module(mod.name)
    for name in si.__all__:
        value = getattr(si, name)
        assert not inspect.ismodule(value), f"si.{name} is a module, not the public object"
    assert callable(si.load) and callable(si.report) and callable(si.annotate) and callable(si.triage)

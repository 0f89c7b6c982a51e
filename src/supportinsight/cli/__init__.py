"""The ``supportinsight`` command line: parses, calls the library, maps errors to exit codes.

Each command lives in its own module below this package and registers itself on
:data:`app` when imported.
"""

from __future__ import annotations

import importlib
import re
import sys

import typer
from typer.core import TyperCommand, TyperGroup

from .._version import __version__
from ..errors import SupportInsightError

_LIST_TYPE = re.compile(r"<list\[(\w+)\]>")


def _readable(param, ctx) -> None:
    """Help that reads like a command line: a flag takes no value, so it shows no type
    (typer prints ``--quiet -q <bool>``), and a list shows its item type
    (``<path>...`` for several arguments, ``<path>`` for a repeatable option) instead of
    a Python annotation (``<list[Path]>``)."""
    if getattr(param, "_si_readable", False):
        return
    param._si_readable = True
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        param.display_type_rich = lambda ctx: None
        return
    shown = param.display_type_rich

    def display(ctx, _shown=shown, _argument=param.param_type_name == "argument"):
        label = _shown(ctx)
        if label is None:
            return None
        return _LIST_TYPE.sub(lambda m: f"<{m.group(1).lower()}>" + ("..." if _argument else ""), label)

    param.display_type_rich = display


class ReadableCommand(TyperCommand):
    """A command whose ``--help`` shows no types for flags and plain item types for lists."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            _readable(param, ctx)
        return params


class ReadableGroup(TyperGroup):
    """The command group with the same readable ``--help``."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            _readable(param, ctx)
        return params


app = typer.Typer(
    name="supportinsight",
    help="Turn German and English support text into customer-journey insight.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=ReadableGroup,
)

#: Command modules, in the order their commands appear in --help.
COMMAND_MODULES = ("load", "annotate", "evaluate", "report", "triage", "label", "journey", "demo")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"supportinsight {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Turn German and English support text into customer-journey insight."""


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print a one-line reason to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def fail_from(exc: Exception, file: object = "") -> "typer.Exit":
    """The one-line exit (code 2) for a library or file-system error: what every command catches."""
    if isinstance(exc, OSError):
        return fail(f"{exc.filename or file}: {exc.strerror or exc}", 2)
    return fail(str(exc).splitlines()[0], 2)


def job_input(config, annotated):
    """The batch config (or the defaults) and the annotated Parquet to read: the argument, else
    the config's ``[output] annotated``; a clear error when neither names one."""
    from pathlib import Path

    from ..config import Config, load_config

    try:
        cfg = load_config(config) if config else Config()
    except SupportInsightError as exc:
        raise fail_from(exc)
    annotated = annotated or (Path(cfg.output.annotated) if cfg.output.annotated else None)
    if annotated is None:
        raise fail("no input given: pass the annotated Parquet (or --config with [output] annotated)")
    return cfg, annotated


for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"{__name__}.{_name}":
            raise
for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = ReadableCommand


def main() -> None:
    """Entry point of the ``supportinsight`` script."""
    try:
        app()
    except SupportInsightError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)

"""The ``supportinsight`` command line: parses, calls the library, maps errors to exit codes.

Each command lives in its own module below this package and registers itself on
:data:`app` when imported.
"""

from __future__ import annotations

import importlib
import sys

import typer

from .. import __version__
from ..errors import SupportInsightError

app = typer.Typer(
    name="supportinsight",
    help="Turn German and English support text into customer-journey insight.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Command modules, in the order their commands appear in --help.
COMMAND_MODULES = ("load", "annotate", "evaluate", "report", "triage", "label", "demo")


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


for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"{__name__}.{_name}":
            raise


def main() -> None:
    """Entry point of the ``supportinsight`` script."""
    try:
        app()
    except SupportInsightError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)

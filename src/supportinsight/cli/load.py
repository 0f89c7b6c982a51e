"""`supportinsight load` (alias `convert`): exports -> canonical Parquet + quarantine CSV beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import app, fail
from ..errors import SupportInsightError


def warnings_note(frame) -> str:
    """``"; 4 rows loaded with a note (column load_warnings)"``, or ``""`` when no row has one.

    The loaders keep a row whose date, role or channel could not be read and say why in
    ``load_warnings``; the summary names them beside the quarantine so they are not missed.
    """
    n = int(frame.attrs.get("rows_with_warnings", 0) or 0)
    if not n:
        return ""
    return f"; {n} {'row' if n == 1 else 'rows'} loaded with a note (column load_warnings)"


def _load(inputs: list[Path], output: Path, format: str, mapping: Optional[Path], strict: bool,
          tz: str, encoding: Optional[str], quiet: bool) -> None:
    from ..loaders import load
    from ..store import quarantine_path, write_quarantine

    if not inputs:
        raise fail("no input given: pass export files or folders")
    if output.suffix.lower() != ".parquet":
        raise fail(f"output {output} must end in .parquet")
    try:
        frame, quarantine = load([str(p) for p in inputs], format=format,
                                 mapping=str(mapping) if mapping else None, return_quarantine=True,
                                 tz=tz, encoding=encoding)
        output.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(output, index=False)
        qpath = quarantine_path(output)
        if len(quarantine):
            write_quarantine(quarantine, qpath)
        elif qpath.exists():
            qpath.unlink()  # a stale quarantine from an earlier run would mislead
    except SupportInsightError as exc:
        raise fail(str(exc).splitlines()[0], 2)
    except (OSError, ImportError, ValueError) as exc:
        raise fail(f"cannot write {output}: {exc}", 2)
    if not quiet:
        typer.echo(f"loaded {len(frame)} messages in {frame['conversation_id'].nunique()} conversations "
                   f"from {len(frame.attrs.get('formats', {}))} files -> {output}")
        counts = frame["channel"].value_counts()
        for channel, n in counts[counts > 0].items():
            typer.echo(f"  {channel:<9} {n:>6}")
        typer.echo(f"quarantined {len(quarantine)} rows" + (f" -> {qpath}" if len(quarantine) else "")
                   + warnings_note(frame))
    if strict and len(quarantine):
        raise typer.Exit(3)


_INPUTS = typer.Argument(..., help="Export files or folders (every supported file in a folder).")
_OUTPUT = typer.Option(..., "-o", "--output", help="Parquet file to write (quarantine CSV goes beside it).")
_FORMAT = typer.Option("auto", "--format", "-f", help="Input format; 'auto' sniffs each file.")
_MAPPING = typer.Option(None, "--mapping", help="Column mapping (JSON/YAML) for generic exports.")
_STRICT = typer.Option(False, "--strict", help="Exit with code 3 when any row was quarantined.")
_TZ = typer.Option("UTC", "--tz", help="Time zone of times written without offset, e.g. Europe/Berlin.")
_ENCODING = typer.Option(None, "--encoding", help="Force a text encoding (default: BOM, UTF-8, cp1252).")
_QUIET = typer.Option(False, "--quiet", "-q", help="Print nothing on success.")


@app.command("load")
def load_command(inputs: list[Path] = _INPUTS, output: Path = _OUTPUT, format: str = _FORMAT,
                 mapping: Optional[Path] = _MAPPING, strict: bool = _STRICT, tz: str = _TZ,
                 encoding: Optional[str] = _ENCODING, quiet: bool = _QUIET) -> None:
    """Load exports (tickets, chats, social, e-mail) into the canonical frame and write Parquet."""
    _load(inputs, output, format, mapping, strict, tz, encoding, quiet)


@app.command("convert")
def convert_command(inputs: list[Path] = _INPUTS, output: Path = _OUTPUT, format: str = _FORMAT,
                    mapping: Optional[Path] = _MAPPING, strict: bool = _STRICT, tz: str = _TZ,
                    encoding: Optional[str] = _ENCODING, quiet: bool = _QUIET) -> None:
    """Same as `load`."""
    _load(inputs, output, format, mapping, strict, tz, encoding, quiet)

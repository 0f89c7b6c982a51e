"""`supportinsight report`: the insight report for CX leads (HTML, optional Markdown summary)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from
from ..errors import SupportInsightError


def _parquet_provenance(path: Path) -> list | None:
    """Provenance from the Parquet metadata when pandas did not restore ``attrs``."""
    import json

    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception:  # noqa: BLE001 - an unreadable schema only costs the provenance note
        return None
    for key in (b"supportinsight_steps", b"PANDAS_ATTRS"):
        raw = meta.get(key)
        if not raw:
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            continue
        steps = value.get("supportinsight_steps") if isinstance(value, dict) else value
        if isinstance(steps, list):
            return steps
    return None


@app.command()
def report(
    annotated: Path = typer.Argument(..., help="Annotated Parquet file (from `supportinsight annotate`)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML report to write."),
    md: Optional[Path] = typer.Option(None, "--md", help="Also write the summary and pain points as Markdown."),
    lang: str = typer.Option("en", "--lang", help="Report language: de or en."),
    period: str = typer.Option("W", "--period", help="Trend period: W (weeks) or M (months)."),
    title: Optional[str] = typer.Option(None, "--title", help="Report title."),
    taxonomy: Optional[str] = typer.Option(None, "--taxonomy", help="Journey taxonomy for labels (name or YAML)."),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine",
                                              help="Quarantine CSV (default: next to the Parquet file)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
) -> None:
    """Write a self-contained HTML insight report (works offline) and an optional Markdown summary."""
    from ..reporting import report as build_report
    from ..store import quarantine_path, read_annotated

    if output is None:
        raise fail("no output given: pass -o report.html")
    if lang not in ("de", "en"):
        raise fail(f"--lang must be de or en, got {lang!r}", 2)
    if period not in ("W", "M"):
        raise fail(f"--period must be W or M, got {period!r}", 2)
    try:
        frame = read_annotated(annotated)
        provenance = frame.attrs.get("supportinsight_steps") or _parquet_provenance(annotated)
        qpath = quarantine or quarantine_path(annotated)
        q = qpath if Path(qpath).exists() else None
        result = build_report(frame, output, lang=lang, period=period, md=md, title=title, taxonomy=taxonomy,
                              quarantine=q, provenance=provenance)
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc, output)
    if not quiet:
        pain = result.context.pain
        typer.echo(f"report with {len(pain)} pain points -> {result.path}"
                   + (f"; summary -> {result.md_path}" if result.md_path else ""))

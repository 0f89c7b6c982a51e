"""`supportinsight report`: the insight report for CX leads (HTML, optional Markdown summary)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from, job_input
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


def write_report(annotated: Path, output: Optional[Path], md: Optional[Path], *, lang: str, period: str,
                 title: Optional[str] = None, taxonomy: Optional[str] = None, quarantine: Optional[Path] = None,
                 frame=None):
    """Read the annotated Parquet (or take ``frame`` read from it) and write the report; returns the result.

    Shared by `report` and by `annotate --config` (whose ``[output] report``/``markdown``
    keys run this same step right after the Parquet is written).
    """
    from ..reporting import report as build_report
    from ..store import quarantine_path, read_annotated

    if frame is None:
        frame = read_annotated(annotated)
    provenance = frame.attrs.get("supportinsight_steps") or _parquet_provenance(annotated)
    qpath = quarantine or quarantine_path(annotated)
    q = qpath if Path(qpath).exists() else None
    return build_report(frame, output, lang=lang, period=period, md=md, title=title, taxonomy=taxonomy,
                        quarantine=q, provenance=provenance)


def report_line(result) -> str:
    """The one-line summary of a written report."""
    parts = [f"report with {len(result.context.pain)} pain points"]
    if result.path is not None:
        parts[0] += f" -> {result.path}"
    if result.md_path is not None:
        parts.append(f"summary -> {result.md_path}")
    return "; ".join(parts)


@app.command()
def report(
    annotated: Optional[Path] = typer.Argument(None, help="Annotated Parquet file (from `supportinsight annotate`; "
                                                          "default: [output] annotated of --config)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML report to write."),
    md: Optional[Path] = typer.Option(None, "--md", help="Also write the summary and pain points as Markdown."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Report language: de or en (default: en)."),
    period: Optional[str] = typer.Option(None, "--period", help="Trend period: W (weeks, default) or M (months)."),
    title: Optional[str] = typer.Option(None, "--title", help="Report title."),
    taxonomy: Optional[str] = typer.Option(None, "--taxonomy", help="Journey taxonomy for labels (name or YAML)."),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine",
                                              help="Quarantine CSV (default: next to the Parquet file)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c",
                                          help="TOML settings of the batch job: [output] annotated, report, "
                                               "markdown; [report] lang, period; [models] taxonomy."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
) -> None:
    """Write a self-contained HTML insight report (works offline) and an optional Markdown summary."""

    cfg, annotated = job_input(config, annotated)
    output = output or (Path(cfg.output.report) if cfg.output.report else None)
    md = md or (Path(cfg.output.markdown) if cfg.output.markdown else None)
    if output is None and md is None:
        raise fail("no output given: pass -o report.html (or --config with [output] report)")
    lang = lang or cfg.report.lang
    period = period or cfg.report.period
    if lang not in ("de", "en"):
        raise fail(f"--lang must be de or en, got {lang!r}", 2)
    if period not in ("W", "M"):
        raise fail(f"--period must be W or M, got {period!r}", 2)
    try:
        result = write_report(annotated, output, md, lang=lang, period=period, title=title,
                              taxonomy=taxonomy or (cfg.models.taxonomy if config else None), quarantine=quarantine)
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc, output or md)
    if not quiet:
        typer.echo(report_line(result))

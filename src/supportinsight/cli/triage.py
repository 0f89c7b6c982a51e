"""`supportinsight triage`: priority, queue and helpdesk tags per conversation, as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from, job_input
from ..errors import SupportInsightError


def write_triage(frame, output: Path, *, queues: Optional[Path] = None, rules: Optional[Path] = None,
                 taxonomy: Optional[str] = None):
    """Triage an annotated frame and write the helpdesk CSV; returns the table.

    Shared by `triage` and by `annotate --config` (``[output] triage``).
    """
    from ..aggregate.triage import triage as run_triage
    from ..aggregate.triage import write_triage_csv

    table = run_triage(frame, queues=queues, rules=rules, taxonomy=taxonomy)
    write_triage_csv(table, output)
    return table


def triage_line(table, output: Path) -> str:
    """The one-line summary of a written triage CSV."""
    from ..aggregate.triage import PRIORITIES

    counts = table.attrs.get("priority_counts") or table["priority"].value_counts().to_dict()
    summary = "  ".join(f"{p}: {int(counts.get(p, 0))}" for p in PRIORITIES)
    return f"triaged {len(table)} conversations  {summary}  -> {output}"


@app.command()
def triage(
    annotated: Optional[Path] = typer.Argument(None, help="Annotated Parquet file (from `supportinsight annotate`; "
                                                          "default: [output] annotated of --config)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="CSV file to write (ticket id, tags ...)."),
    queues: Optional[Path] = typer.Option(None, "--queues", help="YAML mapping touchpoint (or phase) -> team."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="YAML overriding the packaged triage rules."),
    taxonomy: Optional[str] = typer.Option(None, "--taxonomy",
                                           help="Journey taxonomy the file was mapped with (owner queues): "
                                                "default, six_phase or a YAML file."),
    config: Optional[Path] = typer.Option(None, "--config", "-c",
                                          help="TOML settings of the batch job: [output] annotated, triage; "
                                               "[models] taxonomy."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
) -> None:
    """Give every conversation a priority (P1-P4), a queue and tags ready for helpdesk import."""
    from ..store import read_annotated

    cfg, annotated = job_input(config, annotated)
    output = output or (Path(cfg.output.triage) if cfg.output.triage else None)
    if output is None:
        raise fail("no output given: pass -o tags.csv (or --config with [output] triage)")
    try:
        frame = read_annotated(annotated)
        table = write_triage(frame, output, queues=queues, rules=rules,
                             taxonomy=taxonomy or (cfg.models.taxonomy if config else None))
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc, output)
    if not quiet:
        typer.echo(triage_line(table, output))

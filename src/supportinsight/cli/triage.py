"""`supportinsight triage`: priority, queue and helpdesk tags per conversation, as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from
from ..errors import SupportInsightError


@app.command()
def triage(
    annotated: Path = typer.Argument(..., help="Annotated Parquet file (from `supportinsight annotate`)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="CSV file to write (ticket id, tags ...)."),
    queues: Optional[Path] = typer.Option(None, "--queues", help="YAML mapping touchpoint (or phase) -> team."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="YAML overriding the packaged triage rules."),
    taxonomy: Optional[str] = typer.Option(None, "--taxonomy",
                                           help="Journey taxonomy the file was mapped with (owner queues): "
                                                "default, six_phase or a YAML file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
) -> None:
    """Give every conversation a priority (P1-P4), a queue and tags ready for helpdesk import."""
    from ..aggregate.triage import PRIORITIES, write_triage_csv
    from ..aggregate.triage import triage as run_triage
    from ..store import read_annotated

    if output is None:
        raise fail("no output given: pass -o tags.csv")
    try:
        frame = read_annotated(annotated)
        table = run_triage(frame, queues=queues, rules=rules, taxonomy=taxonomy)
        write_triage_csv(table, output)
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc, output)
    if not quiet:
        counts = table.attrs.get("priority_counts") or table["priority"].value_counts().to_dict()
        summary = "  ".join(f"{p}: {int(counts.get(p, 0))}" for p in PRIORITIES)
        typer.echo(f"triaged {len(table)} conversations  {summary}  -> {output}")

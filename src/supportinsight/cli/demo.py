"""`supportinsight demo`: the whole flow on data/samples, writing everything under one folder."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from . import app, fail
from ..errors import SupportInsightError
from .load import warnings_note


@app.command()
def demo(
    samples: Path = typer.Option(Path("data/samples"), "--samples", help="Folder with the sample exports."),
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help="Folder for the results."),
    lang: str = typer.Option("en", "--lang", help="Report language: de or en."),
    topics: bool = typer.Option(True, "--topics/--no-topics", help="Fit topics on the customer messages."),
) -> None:
    """Load the samples, annotate, map to the journey, rank pain points, write report and triage.

    Opens nothing by itself: it prints where the report is.
    """
    from ..aggregate.pain_points import pain_points
    from ..aggregate.triage import triage, write_triage_csv
    from ..loaders import load
    from ..pipeline import annotate
    from ..reporting import report
    from ..store import quarantine_path, write_annotated, write_quarantine

    if not samples.exists():
        raise fail(f"sample folder {samples} not found; run from the repository root or pass --samples")
    try:
        started = time.perf_counter()
        frame, quarantine = load(samples, return_quarantine=True)
        typer.echo(f"loaded {len(frame)} messages in {frame['conversation_id'].nunique()} conversations "
                   f"from {samples} ({len(quarantine)} rows quarantined{warnings_note(frame)})")
        counts = frame.groupby("channel", observed=True).agg(
            messages=("message_id", "size"), conversations=("conversation_id", "nunique"))
        for channel, row in counts.iterrows():
            typer.echo(f"  {channel:<9} {row['messages']:>5} messages  {row['conversations']:>4} conversations")
        annotated = annotate(frame, topics=topics)
        annotated.attrs["quarantined_rows"] = int(len(quarantine))
        out.mkdir(parents=True, exist_ok=True)
        parquet = write_annotated(annotated, out / "annotated.parquet")
        if len(quarantine):
            write_quarantine(quarantine, quarantine_path(parquet))
        html = out / "report.html"
        md = out / "summary.md"
        report(annotated, html, lang=lang, md=md, quarantine=quarantine)
        tri = triage(annotated)
        write_triage_csv(tri, out / "triage.csv")
        top = pain_points(annotated).head(3)
    except SupportInsightError as exc:
        raise fail(str(exc).splitlines()[0], 2)
    typer.echo("top pain points:")
    for _, row in top.iterrows():
        typer.echo(f"  {int(row['rank'])}. {row['journey_phase']} / {row['touchpoint']}: "
                   f"{row['negative_share']:.0%} negative of {int(row['messages'])} customer messages")
    typer.echo(f"priorities: {tri['priority'].value_counts().sort_index().to_dict()}")
    typer.echo(f"done in {time.perf_counter() - started:.1f} s")
    typer.echo(f"report:    {html.resolve()}")
    typer.echo(f"summary:   {md.resolve()}")
    typer.echo(f"annotated: {parquet.resolve()}")
    typer.echo(f"triage:    {(out / 'triage.csv').resolve()}")

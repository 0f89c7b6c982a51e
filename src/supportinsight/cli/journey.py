"""`supportinsight fit-journey`: adapt the journey mapper to a team's touchpoint labels."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from
from ..errors import SupportInsightError


@app.command("fit-journey")
def fit_journey(
    labels: Path = typer.Argument(..., help="Labelled file (.csv, .tsv, .xlsx, .jsonl, .parquet) with texts and "
                                            "touchpoint ids."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to save the adapted mapper in."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the message text."),
    label_col: str = typer.Option("touchpoint", "--label-col", help="Column with touchpoint ids of the taxonomy."),
    phase_col: Optional[str] = typer.Option(None, "--phase-col", help="Column with phase ids (optional; else "
                                            "each message takes its touchpoint's primary phase)."),
    taxonomy: str = typer.Option("default", "--taxonomy", help="default, six_phase or your YAML file."),
    pipeline: str = typer.Option("fast", "--pipeline", help="fast (USE v3 vectors) or accurate "
                                 "(multilingual-e5-small vectors; the mapper must then run in the accurate pipeline)."),
) -> None:
    """Learn touchpoints (and phases) from your labels plus the taxonomy's examples; save the mapper."""
    from ..evaluate.metrics import read_table
    from ..journey.mapper import JourneyMapper
    from ..pipeline import check_pipeline

    try:
        kind = check_pipeline(pipeline)
        frame = read_table(labels)
        for col in [text_col, label_col] + ([phase_col] if phase_col else []):
            if col not in frame.columns:
                raise fail(f"{labels}: column {col!r} not found; columns are {list(frame.columns)}", 2)
        embedder = None
        if kind == "accurate":
            from ..enrich.embeddings import accurate_embedder

            embedder = accurate_embedder()
        mapper = JourneyMapper(taxonomy, embedder=embedder)
        mapper.fit(frame[text_col].tolist(), frame[label_col].tolist(),
                   phases=frame[phase_col].tolist() if phase_col else None)
        mapper.save(output)
    except typer.Exit:
        raise
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc, labels)
    typer.echo(f"journey mapper fitted on {len(frame)} labels plus the taxonomy's examples -> {output}")
    typer.echo(f"use it: supportinsight annotate EXPORT --journey-model {output} -o annotated.parquet")

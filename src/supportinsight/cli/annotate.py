"""`supportinsight annotate`: load any export, run the pipeline, write Parquet + quarantine."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from
from ..errors import SupportInsightError
from .load import warnings_note


def build_models(sentiment_model: Optional[str], intent_model: Optional[str]):
    """Load saved models named on the command line or in the config (None keeps the defaults)."""
    sentiment = intents = None
    if sentiment_model:
        from ..enrich.sentiment import SentimentModel

        sentiment = SentimentModel.load(sentiment_model)
    if intent_model:
        from ..enrich.intent import IntentClassifier

        intents = IntentClassifier.load(intent_model)
    return sentiment, intents


@app.command()
def annotate(
    inputs: list[Path] = typer.Argument(None, help="Export files or folders (any supported format)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Annotated Parquet file to write."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML settings for batch jobs."),
    format: str = typer.Option("auto", "--format", "-f", help="Input format (auto sniffs each file)."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="Column mapping (JSON/YAML) for generic exports."),
    topics: Optional[bool] = typer.Option(None, "--topics/--no-topics", help="Fit topics on customer messages."),
    sentiment_model: Optional[str] = typer.Option(None, "--sentiment-model", help="Folder of a saved SentimentModel."),
    intent_model: Optional[str] = typer.Option(None, "--intent-model", help="Folder of a saved IntentClassifier."),
    journey_model: Optional[str] = typer.Option(None, "--journey-model", help="Folder of a saved JourneyMapper "
                                                "(fit-journey); replaces --taxonomy."),
    taxonomy: Optional[str] = typer.Option(None, "--taxonomy", help="Journey taxonomy: default, six_phase or a YAML file."),
    pipeline_kind: Optional[str] = typer.Option(None, "--pipeline", help="fast (default: USE v3 models) or accurate "
                                                "(fine-tuned multilingual-e5-small; slower; see docs/ACCURATE.md for what it measures)."),
    device: Optional[str] = typer.Option(None, "--device", help="Where the accurate encoder runs: auto, cpu, cuda."),
    keep_raw_text: Optional[bool] = typer.Option(None, "--keep-raw-text/--redact-text",
                                                 help="Keep raw text in the Parquet (default: PII-redacted)."),
    chunk_size: Optional[int] = typer.Option(None, "--chunk-size", help="Messages per chunk (whole conversations)."),
    stream: bool = typer.Option(False, "--stream", help="Read CSV/JSONL/Parquet in chunks and write row groups: "
                                "flat memory for any input size (no topic fitting)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 3 when any row was quarantined."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Load exports, add language, emojis, sentiment, intents, journey phase/touchpoint (and topics).

    With --config, the file can describe the whole batch job: [output] report, markdown
    and triage are written from the annotated Parquet in the same run.
    """
    from ..config import Config, load_config
    from ..jobs import build_pipeline
    from ..loaders import load
    from ..pipeline import annotate as run_annotate
    from ..store import quarantine_path, write_annotated, write_quarantine

    try:
        cfg = load_config(config) if config else Config()
        paths = [str(p) for p in inputs] if inputs else list(cfg.input.paths)
        if not paths:
            raise fail("no input given: pass export files/folders or a --config with [input] paths")
        out_path = output or (Path(cfg.output.annotated) if cfg.output.annotated else None)
        if out_path is None:
            raise fail("no output given: pass -o annotated.parquet (or [output] annotated in the config)")
        fmt = format if format != "auto" else cfg.input.format
        mapping_arg = str(mapping) if mapping else cfg.input.mapping
        sentiment, intents = build_models(sentiment_model or cfg.models.sentiment, intent_model or cfg.models.intent)
        journey_path = journey_model or cfg.models.journey
        if journey_path:
            if taxonomy:
                raise fail("pass either --journey-model or --taxonomy: a saved journey mapper carries its taxonomy", 2)
            from ..journey.mapper import JourneyMapper

            taxonomy = JourneyMapper.load(journey_path)
        show = not quiet and sys.stderr.isatty()
        started = time.perf_counter()
        keep = cfg.annotate.keep_raw_text if keep_raw_text is None else keep_raw_text
        if stream:
            if topics:
                raise fail("--stream cannot fit topics (they need every message at once); use --no-topics and "
                           "fit a TopicModel on a sample")
            if topics is None and cfg.annotate.topics:
                # a key the run would silently ignore is an error, as an unknown key is
                raise fail(f"{config}: annotate.topics = true cannot be used with --stream (topics need every "
                           "message at once); set it to false or pass --no-topics", 2)
            pipeline = build_pipeline(cfg, sentiment=sentiment, intents=intents, taxonomy=taxonomy, topics=False,
                                      pipeline=pipeline_kind, device=device)
            _annotate_stream(paths, out_path, mapping_arg, pipeline, chunk_size or cfg.annotate.chunk_size,
                             keep, show, quiet, strict, started, job=(cfg, taxonomy))
            return
        frame, quarantine = load(paths, format=fmt, mapping=mapping_arg, return_quarantine=True)
        pipeline = build_pipeline(cfg, sentiment=sentiment, intents=intents, taxonomy=taxonomy, topics=topics,
                                  pipeline=pipeline_kind, device=device)
        annotated = run_annotate(frame, pipeline=pipeline, chunk_size=chunk_size or cfg.annotate.chunk_size,
                                 progress=show)
        annotated.attrs["quarantined_rows"] = int(len(quarantine))
        write_annotated(annotated, out_path, keep_raw_text=keep)
        qpath = quarantine_path(out_path)
        if len(quarantine):
            write_quarantine(quarantine, qpath)
        elif qpath.exists():
            qpath.unlink()  # a stale quarantine from an earlier run would mislead (and the report counts it)
        elapsed = time.perf_counter() - started
    except typer.Exit:
        raise
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc)
    if not quiet:
        rate = len(annotated) / elapsed if elapsed > 0 else float("nan")
        typer.echo(f"annotated {len(annotated)} messages, quarantined {len(quarantine)} rows "
                   f"({rate:,.0f} messages/s) -> {out_path}")
        if len(quarantine):
            typer.echo(f"quarantine with reasons -> {qpath}")
        if frame.attrs.get("rows_with_warnings"):
            typer.echo(warnings_note(frame).lstrip("; "))
    write_job_outputs(cfg, out_path, taxonomy=taxonomy, quiet=quiet)
    if strict and len(quarantine):
        raise typer.Exit(3)


def write_job_outputs(cfg, annotated_path: Path, *, taxonomy: Optional[str], quiet: bool) -> None:
    """The rest of the batch job a config describes: ``[output] report``, ``markdown`` and ``triage``.

    They are made from the Parquet just written, exactly as `supportinsight report` and
    `supportinsight triage` would make them (same PII redaction, same provenance), with
    ``[report] lang``/``period`` and ``[models] taxonomy`` (or ``--taxonomy``).
    """
    out = cfg.output
    if not (out.report or out.markdown or out.triage):
        return
    from ..store import read_annotated
    from .report import report_line, write_report
    from .triage import triage_line, write_triage

    # a saved journey mapper (--journey-model) carries its taxonomy
    taxonomy = getattr(taxonomy, "taxonomy_", None) or taxonomy or cfg.models.taxonomy
    try:
        frame = read_annotated(annotated_path)
        if out.report or out.markdown:
            result = write_report(annotated_path, Path(out.report) if out.report else None,
                                  Path(out.markdown) if out.markdown else None, lang=cfg.report.lang,
                                  period=cfg.report.period, taxonomy=taxonomy, frame=frame)
            if not quiet:
                typer.echo(report_line(result))
        if out.triage:
            table = write_triage(frame, Path(out.triage), taxonomy=taxonomy)
            if not quiet:
                typer.echo(triage_line(table, Path(out.triage)))
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc)


def _annotate_stream(paths, out_path, mapping, pipeline, chunk_size, keep, show, quiet, strict, started,
                     job=None) -> None:
    import pandas as pd

    from ..loaders import read_mapping
    from ..loaders.registry import SUPPORTED_EXTENSIONS
    from ..scale.stream import annotate_stream
    from ..store import quarantine_path, write_annotated_stream, write_quarantine

    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(f for f in p.iterdir() if f.suffix.lower() in SUPPORTED_EXTENSIONS) if p.is_dir() else [p])
    if isinstance(mapping, (str, Path)):
        mapping = read_mapping(mapping)
    quarantine: list[dict] = []
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(desc="annotating", unit="msg", dynamic_ncols=True)

    def counted(frames):
        for f in frames:
            if bar is not None:
                bar.update(len(f))
            yield f

    from ..scale import readers

    def sources():
        for f in files:
            yield from readers.iter_file_chunks(f, chunk_size=chunk_size, mapping=mapping, quarantine=quarantine)

    rows = write_annotated_stream(counted(annotate_stream(sources(), pipeline=pipeline, chunk_size=chunk_size)),
                                  out_path, keep_raw_text=keep)
    if bar is not None:
        bar.close()
    qpath = quarantine_path(out_path)
    if quarantine:
        write_quarantine(pd.DataFrame.from_records(quarantine), qpath)
    elif qpath.exists():
        qpath.unlink()
    elapsed = time.perf_counter() - started
    if not quiet:
        typer.echo(f"annotated {rows} messages, quarantined {len(quarantine)} rows "
                   f"({rows / elapsed if elapsed > 0 else float('nan'):,.0f} messages/s, streamed) -> {out_path}")
        if quarantine:
            typer.echo(f"quarantine with reasons -> {qpath}")
    if job is not None:
        cfg, taxonomy = job
        write_job_outputs(cfg, out_path, taxonomy=taxonomy, quiet=quiet)
    if strict and quarantine:
        raise typer.Exit(3)

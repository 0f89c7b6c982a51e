"""`supportinsight evaluate`: score a component on your gold labels or on the shared reference sets."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path
from typing import Any, Optional

import typer

from . import app, fail, fail_from
from ..errors import SupportInsightError

TASKS = ("sentiment", "intent", "journey", "topics", "pii")


def task_module(task: str):
    """The ``supportinsight.evaluate.<task>`` module, or a clear error when it is not available."""
    if task not in TASKS:
        raise fail(f"--task must be one of {', '.join(TASKS + ('all',))}; got {task!r}", 2)
    name = f"supportinsight.evaluate.{task}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise fail(f"no evaluation is available for task {task!r} in this installation "
                       f"(module {name} is missing)", 2) from None
        raise


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render(metrics: dict[str, Any], indent: str = "") -> list[str]:
    """Readable lines for a metrics dict: classification reports as printed by scikit-learn,
    the headline scores, nested sections indented."""
    lines: list[str] = []
    headline = ("n", "accuracy", "micro_f1", "macro_f1", "macro_recall")
    if any(k in metrics for k in headline[1:]):
        lines.append(indent + "  ".join(f"{k}={_fmt(metrics[k])}" for k in headline if k in metrics))
        if "report_text" in metrics:
            lines.extend(indent + "  " + ln for ln in str(metrics["report_text"]).rstrip().splitlines())
    for key, value in metrics.items():
        if key in headline or key in ("report_text", "per_class", "per_fold"):
            continue
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(render(value, indent + "  "))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{indent}{key}: {json.dumps(value, ensure_ascii=False)[:300]}")
        else:
            lines.append(f"{indent}{key}: {_fmt(value)}")
    return lines


@app.command()
def evaluate(
    task: str = typer.Option(..., "--task", "-t", help="sentiment, intent, journey, topics, pii or all."),
    data: Optional[Path] = typer.Option(None, "--data", help="Your labelled file (CSV, TSV, JSONL, Parquet, Excel)."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the message text."),
    label_col: str = typer.Option("label", "--label-col", help="Column with the gold label."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="Folder with the shared reference sets."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the metrics as JSON here."),
    quick: bool = typer.Option(False, "--quick", help="Skip slow extras (e.g. the sentiment adaptation curve)."),
    pipeline: str = typer.Option("fast", "--pipeline", help="fast or accurate: which pipeline's models to score "
                                 "(on the shared reference sets)."),
    learning_curve: bool = typer.Option(False, "--learning-curve",
                                        help="With --data: cross-validated scores with 50, 100, 200, 500 and all "
                                             "labels (sentiment or intent)."),
    model: Optional[Path] = typer.Option(None, "--model",
                                         help="With --data: score this saved model folder (from fit-sentiment / "
                                              "fit-intents) instead of the shipped one; with --task journey "
                                              "--data-dir: a saved journey mapper (fit-journey)."),
    train: Optional[Path] = typer.Option(None, "--train",
                                         help="With --data: first adapt a model to this labelled file (same "
                                              "columns), e.g. a train split scored on its dev split."),
) -> None:
    """Print a classification report for a task and write JSON metrics."""
    if learning_curve:
        if data is None or task not in ("sentiment", "intent"):
            raise fail("--learning-curve needs --task sentiment|intent and --data FILE", 2)
        from .label import learning_curve_cmd

        learning_curve_cmd(task=task, data=data, text_col=text_col, label_col=label_col,
                           sizes="50,100,200,500,all", folds=5, encoding="utf-8-sig",
                           output=output.with_suffix(".csv") if output else None)
        return
    journey_model = model is not None and task == "journey" and data_dir is not None
    if (train is not None or (model is not None and not journey_model)) and (
            data is None or task not in ("sentiment", "intent")):
        raise fail("--model and --train need --task sentiment|intent and --data FILE (a saved journey mapper: "
                   "--task journey --data-dir DIR --model FOLDER)", 2)
    if model is not None and train is not None:
        raise fail("pass either --model or --train, not both", 2)
    if (data is None) == (data_dir is None):
        raise fail("pass either --data FILE (with --text-col/--label-col) or --data-dir ../shared/data", 2)
    if task == "all" and data is not None:
        raise fail("--task all works with --data-dir only; name one task for --data", 2)
    tasks = TASKS if task == "all" else (task,)
    modules = {}
    for t in tasks:
        if task == "all":
            try:
                modules[t] = task_module(t)
            except typer.Exit:
                typer.echo(f"skipping {t}: no evaluation module installed", err=True)
        else:
            modules[t] = task_module(t)
    results: dict[str, Any] = {}
    try:
        for t, module in modules.items():
            if data is not None:
                extra = {k: v for k, v in (("model", model), ("train", train)) if v is not None}
                results[t] = module.evaluate_file(data, text_col=text_col, label_col=label_col, **extra)
            else:
                params = inspect.signature(module.evaluate_shared).parameters
                takes_opts = "curve" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
                opts = {"curve": False} if quick and takes_opts else {}
                if journey_model:
                    opts["model"] = model
                if pipeline != "fast":
                    if "pipeline" not in params and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
                        raise fail(f"--pipeline {pipeline} is not available for task {t}", 2)
                    opts["pipeline"] = pipeline
                results[t] = module.evaluate_shared(data_dir, **opts)
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc)
    for t, metrics in results.items():
        typer.echo(f"== {t} ==")
        typer.echo("\n".join(render(metrics)))
    if output is not None:
        from ..evaluate.metrics import write_json

        written = write_json(results[tasks[0]] if len(results) == 1 and task != "all" else results, output)
        typer.echo(f"metrics written to {written}")

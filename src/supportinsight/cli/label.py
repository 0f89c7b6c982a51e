"""Domain adaptation commands: `label`, `fit-sentiment`, `fit-intents`, `learning-curve`.

    supportinsight label annotated.parquet -n 50 -o round1.csv
    (an annotator fills in the label column)
    supportinsight fit-sentiment round1.csv -o model/
    supportinsight label annotated.parquet -n 50 -o round2.csv --model model/ --exclude round1.csv
    supportinsight fit-sentiment round1.csv round2.csv -o model/
    supportinsight annotate export.csv --sentiment-model model/ -o annotated.parquet
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Optional

import typer

from . import app, fail, fail_from
from ..errors import SupportInsightError


def _table(frame) -> str:
    cols = ["setting", "size", "micro_f1_mean", "micro_f1_std", "macro_f1_mean", "macro_f1_std", "folds"]
    return frame[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}")


def _read_labels(paths: list[Path], task: str, text_col: str, label_col: str, encoding: str):
    """One or more filled-in sheets (labelling rounds) as one frame; warnings go to stderr."""
    from ..adapt.labels import read_label_files

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = read_label_files(paths, task=task, text_col=text_col, label_col=label_col, encoding=encoding)
    for w in caught:
        typer.echo(f"warning: {w.message}", err=True)
    return frame


def _targets(frame, task: str) -> list:
    """Sentiment labels, or intent ids; lists of ids only where some row has several (multi-label fit)."""
    if task == "intent" and frame["labels"].map(len).gt(1).any():
        return frame["labels"].tolist()
    return frame["label"].tolist()


def _sizes(value: str) -> tuple[int | None, ...]:
    out: list[int | None] = []
    for part in value.split(","):
        part = part.strip().lower()
        if part == "all":
            out.append(None)
        elif part.isdigit() and int(part) > 0:
            out.append(int(part))
        else:
            raise fail(f"--sizes takes positive numbers and 'all', comma-separated (e.g. 50,100,all); got {part!r}", 2)
    return tuple(out)


@app.command()
def label(
    annotated: Path = typer.Argument(..., help="Annotated Parquet written by `supportinsight annotate`."),
    n: int = typer.Option(200, "-n", "--n", help="How many messages to put on the sheet."),
    output: Path = typer.Option(..., "-o", "--output", help="Sheet to write (.csv or .xlsx)."),
    task: str = typer.Option("sentiment", "--task", "-t", help="sentiment or intent: whose uncertainty counts."),
    model: Optional[Path] = typer.Option(None, "--model", help="Folder of an adapted model (a second round)."),
    exclude: Optional[list[Path]] = typer.Option(None, "--exclude",
                                                 help="Earlier label sheet: its message_ids are skipped (repeat "
                                                      "the option for several rounds)."),
    all_roles: bool = typer.Option(False, "--all-roles", help="Consider agent and bot messages too."),
    diversity: float = typer.Option(0.0, "--diversity",
                                    help="Weight of embedding diversity vs uncertainty, 0..1 (0: uncertainty "
                                         "spread over touchpoints and languages, no near-duplicates)."),
    seed: int = typer.Option(0, "--seed", help="Tie-breaking seed."),
) -> None:
    """Pick the messages whose labels would teach the model most and write a sheet to fill in."""
    from ..adapt.active import select_for_labelling
    from ..store import read_annotated
    from ..text.spreadsheet import neutralize_frame

    if task not in ("sentiment", "intent"):
        raise fail(f"--task must be sentiment or intent; got {task!r}", 2)
    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise fail(f"-o must end in .csv or .xlsx; got {output.name}", 2)
    try:
        clf = None
        if model is not None:
            from .annotate import build_models

            sentiment, intents = build_models(str(model) if task == "sentiment" else None,
                                              str(model) if task == "intent" else None)
            clf = sentiment if task == "sentiment" else intents
        done = None
        if exclude:
            from ..adapt.labels import labelled_ids

            done = [i for sheet_path in exclude for i in labelled_ids(sheet_path)]
        frame = read_annotated(annotated)
        sheet = select_for_labelling(frame, n, task=task, model=clf, random_state=seed,
                                     roles=None if all_roles else ("customer",), diversity=diversity,
                                     exclude_ids=done)
        safe = neutralize_frame(sheet)
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix.lower() == ".xlsx":
            safe.to_excel(output, index=False)
        else:
            safe.to_csv(output, index=False, encoding="utf-8-sig")
    except typer.Exit:
        raise
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc)
    spread = sheet.groupby(["touchpoint", "language"]).size().sort_values(ascending=False)
    typer.echo(f"{len(sheet)} of {sheet.attrs.get('candidates', '?')} messages to label -> {output}")
    if len(sheet) < n:
        typer.echo(f"note: only {len(sheet)} distinct messages were left (near-duplicates are skipped)")
    typer.echo("spread: " + ", ".join(f"{tp or '-'}/{lang or '-'}: {c}" for (tp, lang), c in spread.head(12).items()))
    rounds = [*(exclude or []), output]
    fit_cmd = "fit-sentiment" if task == "sentiment" else "fit-intents"
    typer.echo(f"fill in the 'label' column, then: supportinsight {fit_cmd} {' '.join(map(str, rounds))} -o model/")
    excludes = " ".join(f"--exclude {p}" for p in rounds)
    typer.echo(f"next round: supportinsight label {annotated} -n {n} -o next.csv --task {task} --model model/ "
               f"{excludes}")


def _fit(task: str, labels: list[Path], output: Path, text_col: str, label_col: str, folds: int,
         encoding: str, pipeline: str = "fast", force: bool = False) -> None:
    from ..adapt.curve import cross_validate

    if pipeline not in ("fast", "accurate"):
        raise fail(f"--pipeline must be fast or accurate; got {pipeline!r}", 2)
    try:
        data = _read_labels(labels, task, text_col, label_col, encoding)
        texts = data["text"].tolist()
        y = _targets(data, task)
        counts = ", ".join(f"{k}: {v}" for k, v in data["label"].value_counts().items())
        typer.echo(f"{len(data)} labelled messages ({counts})")
        table = cross_validate(texts, y, task=task, folds=folds, model_params={"pipeline": pipeline})
        worse = _adapted_is_worse(table)
        if worse is None or force:
            if task == "sentiment":
                from ..enrich.sentiment import SentimentModel

                model = SentimentModel(pipeline=pipeline).fit(texts, y)
            else:
                from ..enrich.intent import IntentClassifier

                model = IntentClassifier(pipeline=pipeline).fit(texts, y)
            model.save(output)
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc)
    typer.echo(f"{int(table['folds'].max())}-fold cross-validation (before = shipped model, after = adapted):")
    typer.echo(_table(table.replace({"setting": {"default": "before", "all": "after"}})))
    if "default" not in set(table["setting"]):
        typer.echo("(no 'before' row: the labels are not the built-in intent taxonomy)")
    flag = "--sentiment-model" if task == "sentiment" else "--intent-model"
    if worse is not None:
        before, after = worse
        typer.echo(f"warning: the adapted model scores below the shipped one (micro-F1 {after:.3f} vs "
                   f"{before:.3f}); more or more consistent labels usually help", err=True)
        if not force:
            typer.echo(f"kept the shipped model: nothing was saved to {output} (pass --force to save the adapted "
                       "model anyway)")
            return
    typer.echo(f"model fitted on all {len(data)} labels -> {output}")
    typer.echo(f"use it: supportinsight annotate EXPORT {flag} {output} -o annotated.parquet")


def _adapted_is_worse(table) -> tuple[float, float] | None:
    """``(before, after)`` micro-F1 when the adapted model scores below the shipped one, else None."""
    rows = table.set_index("setting")["micro_f1_mean"]
    if "default" not in rows.index or "all" not in rows.index:
        return None
    before, after = float(rows["default"]), float(rows["all"])
    return (before, after) if after < before else None


_PIPELINE = typer.Option("fast", "--pipeline", help="fast (USE v3 features and a linear head) or accurate "
                         "(fine-tunes multilingual-e5-small; slow on a CPU, once per fold and once on all labels).")
_FORCE = typer.Option(False, "--force", help="Save the adapted model even when it scores below the shipped one.")


@app.command("fit-sentiment")
def fit_sentiment(
    labels: list[Path] = typer.Argument(..., help="Filled-in label sheet(s) (.csv, .tsv, .xlsx or .jsonl); "
                                                  "several rounds are read as one."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to save the adapted model in."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the message text."),
    label_col: str = typer.Option("label", "--label-col", help="Column with negative/neutral/positive."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Encoding of a CSV/JSONL sheet."),
    pipeline: str = _PIPELINE,
    force: bool = _FORCE,
) -> None:
    """Adapt the sentiment model to your labels; print CV scores before and after; save it when it helps."""
    _fit("sentiment", labels, output, text_col, label_col, folds, encoding, pipeline, force)


@app.command("fit-intents")
def fit_intents(
    labels: list[Path] = typer.Argument(..., help="Filled-in label sheet(s) (.csv, .tsv, .xlsx or .jsonl); "
                                                  "several rounds are read as one."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to save the intent classifier in."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the message text."),
    label_col: str = typer.Option("label", "--label-col", help="Column with intent ids (a|b for several)."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Encoding of a CSV/JSONL sheet."),
    pipeline: str = _PIPELINE,
    force: bool = _FORCE,
) -> None:
    """Learn your intent taxonomy from labels; print CV scores (vs the shipped model when comparable); save it."""
    _fit("intent", labels, output, text_col, label_col, folds, encoding, pipeline, force)


@app.command("learning-curve")
def learning_curve_cmd(
    task: str = typer.Option("sentiment", "--task", "-t", help="sentiment or intent."),
    data: Path = typer.Option(..., "--data", help="Labelled file (.csv, .tsv, .xlsx or .jsonl)."),
    text_col: str = typer.Option("text", "--text-col", help="Column with the message text."),
    label_col: str = typer.Option("label", "--label-col", help="Column with the label."),
    sizes: str = typer.Option("50,100,200,500,all", "--sizes", help="Training sizes per fold."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Encoding of a CSV/JSONL file."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Also write the table as CSV."),
) -> None:
    """Cross-validated score with 50, 100, 200, 500 and all labels: what another 100 labels buy."""
    from ..adapt.curve import learning_curve

    if task not in ("sentiment", "intent"):
        raise fail(f"--task must be sentiment or intent; got {task!r}", 2)
    wanted = _sizes(sizes)
    try:
        frame = _read_labels([data], task, text_col, label_col, encoding)
        y = _targets(frame, task)
        table = learning_curve(frame["text"].tolist(), y, task=task, sizes=wanted, folds=folds)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            table.to_csv(output, index=False)
    except (SupportInsightError, OSError) as exc:
        raise fail_from(exc)
    typer.echo(f"{task}: {len(frame)} labels, {int(table['folds'].max())}-fold cross-validation")
    typer.echo(_table(table))
    skipped = [s for s in wanted if s is not None and str(s) not in set(table["setting"])]
    if skipped:
        typer.echo(f"(sizes {skipped} are not below the training part of a fold; 'all' covers them)")

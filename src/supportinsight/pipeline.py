"""Run enrichment steps in order: checks, ``disable=``, per-message error capture, provenance.

The steps a pipeline knows are declared below (:data:`STEP_FACTORIES`), imported by name
like spaCy's ``nlp.pipeline`` or scikit-learn's ``Pipeline``: follow a message from
:func:`annotate` into :class:`~supportinsight.enrich.language.LanguageStep` and on. Each step
class declares the columns it needs (``requires``), reads when they are there (``reads``)
and writes (``assigns``):

=========  ==========================================  ==========================================
step       reads (``requires``; further ``reads``)     writes (``assigns``)
=========  ==========================================  ==========================================
language   text; body                                  language, language_confidence
emoji      text; body                                  emojis, emoticons, emoji_polarity,
                                                       emoji_cues, elongation, shouting
sentiment  text; body, language                        sentiment, sentiment_score,
                                                       sentiment_confidence
intent     text; body                                  intent, intents, intent_confidence
journey    text; body, language, intent, intents,      journey_phase, touchpoint, touchpoint_kind,
           conversation_id, timestamp                  mapping_confidence, mapping_evidence
topics     text; body, language, author_role,          topic_id, topic_label
           extra_system
=========  ==========================================  ==========================================

(``tests/test_pipeline.py`` checks this table against the classes.) Importing a step costs
no model: every model loads on first use.

>>> import pandas as pd, supportinsight as si
>>> out = si.annotate(pd.DataFrame({"text": ["Paket immer noch nicht da 😡"]}))  # doctest: +SKIP
>>> out[["language", "sentiment", "intent"]]  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Literal

import pandas as pd

from .enrich.base import ANALYSIS_COLUMN, NOTES_COLUMN, Step, analysis_text
from .enrich.emoji import EmojiStep
from .enrich.intent import IntentStep
from .enrich.language import LanguageStep
from .enrich.sentiment import SentimentStep
from .enrich.topics import TopicStep
from .errors import ConfigError, PipelineError
from .journey.mapper import JourneyStep

__all__ = ["Pipeline", "annotate", "PIPELINES", "check_pipeline", "STEP_FACTORIES", "DEFAULT_STEPS", "default_steps", "ERROR_COLUMN", "prepare_frame", "iter_conversation_chunks"]

#: Column that records, per message, which step failed on it and why ("" when none).
ERROR_COLUMN = "annotation_errors"

#: The steps a pipeline knows: name -> step class, in their default order.
STEP_FACTORIES: dict[str, type[Step]] = {
    "language": LanguageStep,
    "emoji": EmojiStep,
    "sentiment": SentimentStep,
    "intent": IntentStep,
    "journey": JourneyStep,
    "topics": TopicStep,
}
DEFAULT_STEPS: tuple[str, ...] = ("language", "emoji", "sentiment", "intent", "journey")


def _factory(name: str) -> type[Step]:
    try:
        return STEP_FACTORIES[name]
    except KeyError:
        raise ConfigError(f"unknown step {name!r}; known steps are {sorted(STEP_FACTORIES)}") from None


def iter_conversation_chunks(frame: pd.DataFrame, chunk_size: int):
    """Yield pieces of ``frame`` of about ``chunk_size`` rows that never split a conversation."""
    if chunk_size < 1:
        raise ConfigError(f"chunk_size must be >= 1, got {chunk_size!r}")
    if "conversation_id" not in frame.columns:
        for start in range(0, len(frame), chunk_size):
            yield frame.iloc[start:start + chunk_size]
        return
    codes, _ = pd.factorize(frame["conversation_id"].astype("string").fillna("\x00missing"), sort=False)
    order = pd.Series(range(len(frame))).groupby(codes, sort=False)
    batch: list[int] = []
    for _, positions in order:
        batch.extend(positions.tolist())
        if len(batch) >= chunk_size:
            yield frame.iloc[sorted(batch)]
            batch = []
    if batch:
        yield frame.iloc[sorted(batch)]


def prepare_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Accept a frame that has only a ``text`` column: add ``body`` and a ``message_id``.

    Canonical frames from :func:`supportinsight.load` pass through unchanged.
    """
    if not isinstance(frame, pd.DataFrame):
        raise PipelineError(f"annotate() takes a pandas DataFrame, got {type(frame).__name__}; "
                            "wrap a list of strings as pd.DataFrame({'text': texts})")
    if "text" not in frame.columns:
        raise PipelineError("the frame has no 'text' column; load files with si.load() or rename your text column "
                            f"to 'text' (columns found: {list(frame.columns)[:10]})")
    out = frame
    if "body" not in out.columns:
        out = out.assign(body=out["text"])
    if "message_id" not in out.columns:
        out = out.assign(message_id=[str(i) for i in range(len(out))])
    if "author_role" not in out.columns:
        out = out.assign(author_role="customer")
    return out


class Pipeline:
    """An ordered list of named steps.

    Parameters
    ----------
    steps:
        Step names (``"language"``, ``"emoji"``, ``"sentiment"``, ``"intent"``,
        ``"journey"``, ``"topics"``) or :class:`~supportinsight.enrich.base.Step`
        instances (your own models or lexicons). Default: all but topics.
    disable:
        Names of steps to skip.
    on_error:
        ``"record"`` (default): when a step fails on a batch it is retried message
        by message; messages it still fails on get the step's default values and a
        line in the ``annotation_errors`` column, and the run goes on.
        ``"raise"``: the first error stops the run.
    """

    def __init__(self, steps: Sequence[str | Step] | None = None, *, disable: Iterable[str] = (),
                 on_error: Literal["record", "raise"] = "record") -> None:
        if on_error not in ("record", "raise"):
            raise ConfigError(f"on_error must be 'record' or 'raise', got {on_error!r}")
        disable = set(disable)
        unknown = {d for d in disable if d not in STEP_FACTORIES}
        chosen = list(DEFAULT_STEPS if steps is None else steps)
        names = {s if isinstance(s, str) else s.name for s in chosen}
        if unknown - names:
            raise ConfigError(f"disable names unknown steps {sorted(unknown - names)}; "
                              f"known steps are {sorted(STEP_FACTORIES)}")
        self.steps: list[Step] = []
        for s in chosen:
            name = s if isinstance(s, str) else s.name
            if name in disable:
                continue
            self.steps.append(_factory(s)() if isinstance(s, str) else s)
        self.on_error = on_error

    @property
    def step_names(self) -> list[str]:
        return [s.name for s in self.steps]

    def check(self, columns: Iterable[str]) -> None:
        """Raise :class:`PipelineError` if a step needs a column no earlier step or the input gives."""
        available = set(columns)
        for step in self.steps:
            missing = [c for c in step.requires if c not in available]
            if missing:
                providers = {c: [n for n, f in STEP_FACTORIES.items() if n != step.name] for c in missing}
                raise PipelineError(
                    f"step {step.name!r} needs column(s) {missing} but neither the input nor an earlier step "
                    f"provides them; add the step that assigns them before {step.name!r} "
                    f"(steps in order: {self.step_names}; candidates: {providers})")
            available.update(step.assigns)

    def __call__(self, frame: pd.DataFrame, *, chunk_size: int | None = None,
                 progress: bool = False) -> pd.DataFrame:
        """Annotate ``frame``; rows and their order are kept.

        With ``chunk_size`` the frame is processed in chunks of whole conversations
        (so context from the same thread is always together) and ``progress=True``
        shows a bar with messages/second. Steps that need every message at once
        (topic fitting) run after the chunks are joined.
        """
        frame = prepare_frame(frame)
        self.check(frame.columns)
        #: seconds each step took in this call (not in the frame's attrs: those travel into
        #: Parquet files, which must be the same for the same input)
        self.seconds_: dict[str, float] = {}
        # Work on positions so duplicated or odd user indexes cannot confuse the
        # per-message fallback or the re-ordering of chunks; restored at the end.
        original_index = frame.index
        frame = frame.reset_index(drop=True)
        local = [s for s in self.steps if not s.needs_whole_frame]
        whole = [s for s in self.steps if s.needs_whole_frame]
        provenance = list(frame.attrs.get("supportinsight_steps", []))
        if chunk_size is None and not progress:
            out = self._run(local, frame)
        else:
            parts = []
            bar = None
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=len(frame), desc="annotating", unit="msg", dynamic_ncols=True)
            for chunk in iter_conversation_chunks(frame, chunk_size or 2000):
                parts.append(self._run(local, chunk))
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
            out = pd.concat(parts).loc[frame.index] if parts else self._run(local, frame)
        out = self._run(whole, out)
        out.index = original_index
        out.attrs["supportinsight_steps"] = provenance + [
            {"step": s.name, "version": s.version, "columns": list(s.assigns)} for s in self.steps]
        return out

    def _run(self, steps: list[Step], frame: pd.DataFrame) -> pd.DataFrame:
        errors = pd.Series("", index=frame.index, dtype=object)
        if ERROR_COLUMN in frame.columns:
            errors = frame[ERROR_COLUMN].fillna("").astype(object)
        if not steps:
            return frame.assign(**{ERROR_COLUMN: errors.astype("string")})
        # every step reads the same repaired text: make it once for the run. Where the batch
        # holds a text that cannot be prepared (a lone surrogate pandas cannot store as a
        # string), each step prepares its own and the per-message fallback records the one
        # message it fails on, as without this shortcut.
        try:
            frame = frame.assign(**{ANALYSIS_COLUMN: analysis_text(frame)})
        except Exception:  # noqa: BLE001 - the steps meet the same error and record it per message
            pass
        for step in steps:
            started = time.perf_counter()
            result = self._run_step(step, frame, errors)
            if NOTES_COLUMN in result.columns:
                notes = result[NOTES_COLUMN].fillna("").astype(str)
                for idx in notes.index[notes != ""]:
                    errors.loc[idx] = (errors.loc[idx] + "; " if errors.loc[idx] else "") + notes.loc[idx]
            frame = frame.assign(**{c: result[c] for c in step.assigns})
            self.seconds_[step.name] = self.seconds_.get(step.name, 0.0) + time.perf_counter() - started
        return frame.drop(columns=[ANALYSIS_COLUMN], errors="ignore").assign(
            **{ERROR_COLUMN: errors.astype("string")})

    def _run_step(self, step: Step, frame: pd.DataFrame, errors: pd.Series) -> pd.DataFrame:
        try:
            return self._checked(step, frame, step.apply(frame))
        except Exception:
            if self.on_error == "raise":
                raise
        # Batch failed: find the messages it fails on, keep the rest.
        parts = []
        for idx in frame.index:
            one = frame.loc[[idx]]
            try:
                parts.append(self._checked(step, one, step.apply(one)))
            except Exception as exc:  # noqa: BLE001 - recorded per message, by design
                msg = f"{step.name}: {type(exc).__name__}: {exc}".replace("\n", " ")[:300]
                errors.loc[idx] = (errors.loc[idx] + "; " if errors.loc[idx] else "") + msg
                parts.append(pd.DataFrame({c: [v] for c, v in step.defaults().items()}, index=[idx]))
        keep = list(step.assigns) + ([NOTES_COLUMN] if any(NOTES_COLUMN in p.columns for p in parts) else [])
        return pd.concat(parts).reindex(columns=keep) if parts else pd.DataFrame(columns=list(step.assigns))

    @staticmethod
    def _checked(step: Step, frame: pd.DataFrame, result: pd.DataFrame) -> pd.DataFrame:
        if not isinstance(result, pd.DataFrame) or len(result) != len(frame):
            raise PipelineError(f"step {step.name!r} returned {type(result).__name__} of the wrong length")
        missing = [c for c in step.assigns if c not in result.columns]
        if missing:
            raise PipelineError(f"step {step.name!r} did not assign its declared columns {missing}")
        result.index = frame.index
        return result

    def __repr__(self) -> str:
        return f"Pipeline(steps={self.step_names!r}, on_error={self.on_error!r})"


PIPELINES = ("fast", "accurate")


def check_pipeline(name: object) -> str:
    """``"fast"`` or ``"accurate"``, or a :class:`ConfigError` naming the choices."""
    if name not in PIPELINES:
        raise ConfigError(f"pipeline must be one of {list(PIPELINES)} (or a Pipeline object), got {name!r}")
    return str(name)


def default_steps(*, sentiment=None, intents=None, taxonomy=None, topics=False, pipeline: str = "fast",
                  device: str = "auto") -> list[str | Step]:
    """The default step list, with the given models, taxonomy or topic model put in place.

    ``topics``: False/None leaves topics out, True fits a new model, a TopicModel is applied.
    ``pipeline``: ``"fast"`` (USE v3 models) or ``"accurate"`` (multilingual-e5-small, its
    sentiment fine-tuned; every step reads the one e5 pass per message). ``device`` is where
    the accurate encoder runs (``"auto"``: a GPU when present).
    """
    check_pipeline(pipeline)
    if pipeline == "accurate":
        return _accurate_steps(sentiment=sentiment, intents=intents, taxonomy=taxonomy, topics=topics, device=device)
    steps: list[str | Step] = []
    for name in DEFAULT_STEPS + (("topics",) if topics is not False and topics is not None else ()):
        factory = _factory(name)
        if name == "sentiment" and sentiment is not None:
            steps.append(factory(model=sentiment))
        elif name == "intent" and intents is not None:
            steps.append(factory(classifier=intents))
        elif name == "journey" and taxonomy is not None:
            steps.append(factory(taxonomy=taxonomy))
        elif name == "topics" and topics is not True:
            steps.append(factory(model=topics))
        else:
            steps.append(name)
    return steps


def _accurate_steps(*, sentiment, intents, taxonomy, topics, device: str = "auto", mapping_threshold=None,
                    language: "str | Step" = "language") -> list[str | Step]:
    from .enrich.embeddings import accurate_embedder
    from .enrich.intent import IntentClassifier
    from .enrich.sentiment import SentimentModel
    from .enrich.topics import TopicModel
    from .journey.mapper import JourneyMapper

    embedder = accurate_embedder(device)
    if intents is None:
        intents = IntentClassifier(pipeline="accurate")
    mapper_kwargs = {} if mapping_threshold is None else {"threshold": mapping_threshold}
    if isinstance(taxonomy, JourneyMapper):
        mapper = taxonomy
    else:
        mapper = JourneyMapper(taxonomy if taxonomy is not None else "default", embedder=embedder, **mapper_kwargs)
    steps: list[str | Step] = [
        language, "emoji",
        SentimentStep(model=sentiment if sentiment is not None else SentimentModel(pipeline="accurate")),
        IntentStep(classifier=intents),
        JourneyStep(mapper=mapper),
    ]
    if topics is True:
        steps.append(TopicStep(model=TopicModel(embedding_model=embedder)))
    elif topics is not False and topics is not None:
        steps.append(TopicStep(model=topics))
    return steps


def annotate(frame: pd.DataFrame, *, sentiment=None, intents=None, taxonomy=None, topics=False,
             disable: Iterable[str] = (), pipeline: "Pipeline | str | None" = None, device: str = "auto",
             on_error: Literal["record", "raise"] = "record", chunk_size: int | None = None,
             progress: bool = False) -> pd.DataFrame:
    """Enrich a message frame: language, emojis, sentiment, intents, journey phase and touchpoint.

    Parameters
    ----------
    frame:
        A canonical frame from :func:`supportinsight.load`, or any frame with a ``text`` column.
    sentiment:
        A fitted :class:`~supportinsight.SentimentModel` (default: the shipped model).
    intents:
        A fitted :class:`~supportinsight.IntentClassifier` (default: the built-in support taxonomy).
    taxonomy:
        A journey taxonomy (name, path to a YAML file, or a loaded taxonomy), or a
        :class:`~supportinsight.JourneyMapper` adapted to your labels (``JourneyMapper.load``).
    topics:
        ``True`` to fit a :class:`~supportinsight.TopicModel` on the customer messages and add
        ``topic_id``/``topic_label``, or a fitted TopicModel to apply.
    disable:
        Step names to skip, e.g. ``("journey",)``.
    pipeline:
        ``"fast"`` (default: the multilingual USE v3 models), ``"accurate"`` (multilingual-e5-small
        with fine-tuned sentiment; slower; docs/ACCURATE.md has its figures), or a ready :class:`Pipeline`, in
        which case the other model arguments are ignored.
    device:
        Where the accurate pipeline's encoder runs: ``"auto"`` (a GPU when present), ``"cpu"``, ``"cuda"``.
    on_error:
        See :class:`Pipeline`.
    chunk_size, progress:
        Process whole conversations in chunks of about this many messages and show a
        progress bar with messages/second (see :meth:`Pipeline.__call__`).

    Returns
    -------
    pandas.DataFrame
        The input with the new columns added; rows and their order are unchanged.
    """
    if pipeline is None or isinstance(pipeline, str):
        steps = default_steps(sentiment=sentiment, intents=intents, taxonomy=taxonomy, topics=topics,
                              pipeline=pipeline or "fast", device=device)
        pipeline = Pipeline(steps, disable=disable, on_error=on_error)
    return pipeline(frame, chunk_size=chunk_size, progress=progress)

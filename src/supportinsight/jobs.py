"""The pipeline a batch job's settings describe.

:func:`build_pipeline` turns a :class:`~supportinsight.config.Config` (read by
:func:`~supportinsight.config.load_config`) into a :class:`~supportinsight.Pipeline`.
It sits above the pipeline, so the settings themselves stay at the ground layer;
``from supportinsight.config import build_pipeline`` still works.
"""

from __future__ import annotations

from .config import Config

__all__ = ["build_pipeline"]


def build_pipeline(cfg: Config, *, sentiment=None, intents=None, taxonomy=None, topics: bool | None = None,
                   pipeline: str | None = None, device: str | None = None):
    """The :class:`~supportinsight.Pipeline` a batch job's settings describe.

    ``sentiment``/``intents`` are loaded models (default: the shipped ones); ``taxonomy``,
    ``topics``, ``pipeline`` (``"fast"``/``"accurate"``) and ``device`` override the file's
    values when given.
    """
    from .pipeline import check_pipeline

    kind = check_pipeline(pipeline or cfg.annotate.pipeline)
    if kind == "accurate":
        return _accurate_pipeline(cfg, sentiment=sentiment, intents=intents, taxonomy=taxonomy, topics=topics,
                                  device=device or cfg.annotate.device)
    from .enrich.intent import IntentClassifier, IntentStep
    from .enrich.language import LanguageStep
    from .enrich.sentiment import SentimentStep
    from .journey.mapper import JourneyMapper, JourneyStep
    from .pipeline import Pipeline

    th = cfg.thresholds
    if intents is None:
        intents = IntentClassifier(threshold=th.intent)
    steps: list = [LanguageStep(languages=cfg.annotate.languages, threshold=th.language), "emoji",
                   SentimentStep(model=sentiment), IntentStep(classifier=intents),
                   JourneyStep(taxonomy) if isinstance(taxonomy, JourneyMapper) else
                   JourneyStep(mapper=JourneyMapper(taxonomy or cfg.models.taxonomy, threshold=th.mapping))]
    if cfg.annotate.topics if topics is None else topics:
        steps.append("topics")
    return Pipeline(steps, disable=cfg.annotate.disable)


def _accurate_pipeline(cfg: Config, *, sentiment, intents, taxonomy, topics, device):
    from .enrich.intent import IntentClassifier
    from .enrich.language import LanguageStep
    from .pipeline import Pipeline, _accurate_steps

    th = cfg.thresholds
    if intents is None:
        intents = IntentClassifier(pipeline="accurate", threshold=th.intent)
    steps = _accurate_steps(sentiment=sentiment, intents=intents, taxonomy=taxonomy or cfg.models.taxonomy,
                            topics=cfg.annotate.topics if topics is None else topics, device=device,
                            mapping_threshold=th.mapping,
                            language=LanguageStep(languages=cfg.annotate.languages, threshold=th.language))
    return Pipeline(steps, disable=cfg.annotate.disable)

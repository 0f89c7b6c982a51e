"""Quality evaluation: each task module scores a component on labelled data.

Each task module (``sentiment``, ``intent``, ``journey``, ``topics``, ``pii``) offers
``evaluate_file(path, *, text_col, label_col, output=None, **options) -> dict`` for a
user's own gold labels, and ``evaluate_shared(data_dir, output=None) -> dict`` for the
reference data sets in ``../shared/data``. Both print nothing; the CLI prints.
"""

"""One exception family for supportinsight.

Every error the library raises on purpose derives from :class:`SupportInsightError`,
so a batch job can catch one class. Errors say what went wrong *and* what to do.
"""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = [
    "SupportInsightError",
    "LoadError",
    "UnknownFormatError",
    "SchemaError",
    "ConfigError",
    "TaxonomyError",
    "NotFittedError",
    "ModelError",
    "PipelineError",
    "LabelError",
    "QuarantineWarning",
]


class SupportInsightError(Exception):
    """Base class of every error raised by supportinsight."""


class LoadError(SupportInsightError):
    """A file or record could not be read.

    Parameters
    ----------
    message:
        What went wrong and what to do about it.
    file, row, field:
        Where it went wrong, as far as known. They are added to the message.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | str | None = None,
                 field: str | None = None) -> None:
        self.file = file
        self.row = row
        self.field = field
        where = []
        if file is not None:
            where.append(f"file {file!s}")
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)


class UnknownFormatError(LoadError):
    """The format of an input could not be recognised."""


class SchemaError(SupportInsightError, ValueError):
    """A frame does not follow the canonical schema (names the column and the problem)."""

    def __init__(self, message: str, *, column: str | None = None) -> None:
        self.column = column
        super().__init__(f"column {column!r}: {message}" if column else message)


class ConfigError(SupportInsightError, ValueError):
    """A parameter or configuration value is not allowed."""


class TaxonomyError(ConfigError):
    """A journey or intent taxonomy file is invalid."""


class NotFittedError(SupportInsightError, _SklearnNotFittedError):
    """A learned component was used before ``fit`` (also a scikit-learn NotFittedError)."""


class ModelError(SupportInsightError):
    """A model file is missing, unreadable or of the wrong kind."""


class PipelineError(SupportInsightError):
    """A pipeline is mis-configured (a step's required columns are missing, unknown step ...)."""


class LabelError(SupportInsightError, ValueError):
    """Training labels are unusable (unknown label, empty text, duplicated id ...)."""


class QuarantineWarning(UserWarning):
    """Some input rows were quarantined instead of loaded."""

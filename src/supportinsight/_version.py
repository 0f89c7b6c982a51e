"""The package version, at the ground layer so any module can name it."""

__version__ = "0.1.0"

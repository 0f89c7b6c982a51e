"""The texts a topic model reads: customer messages, cleaned, with their rows and languages."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .base import analysis_text

__all__ = ["customer_documents", "customer_list", "clean_text", "text_hash"]

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)@\w+|^RT\b:?")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """What the embedder reads: links and @handles say nothing about the topic."""
    return _SPACE.sub(" ", _HANDLE.sub(" ", _URL.sub(" ", text))).strip()


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _new_text(texts: list[str]) -> list[str]:
    """Drop quoted replies and signatures from multi-line texts (what the loaders put in ``body``)."""
    try:
        from ..text.quotes import split_reply
    except ImportError:  # written separately; plain texts are still usable without it
        return texts
    return [(split_reply(t)[0] or t) if "\n" in t else t for t in texts]


def customer_documents(data: pd.DataFrame | Iterable[str]) -> tuple[list[str], np.ndarray, list[str] | None]:
    """The texts to model and where they came from.

    Returns ``(texts, rows, languages)``: cleaned texts of the customer messages
    (``author_role == "customer"`` where the column exists, messenger artefacts flagged
    ``extra_system`` left out; ``body`` else ``text``),
    their positions in ``data``, and the ``language`` column for them if present.
    Rows whose cleaned text is empty are left out.
    """
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns and "body" not in data.columns:
            raise ConfigError("the frame has no 'text' or 'body' column; pass si.load() output or a list of strings")
        frame = data if "text" in data.columns else data.assign(text=data["body"])
        mask = np.ones(len(frame), dtype=bool)
        if "author_role" in frame.columns:
            mask = (frame["author_role"].astype("string").fillna("") == "customer").to_numpy()
        if "extra_system" in frame.columns:
            # messenger artefacts ("<Media omitted>") are no customer words, whatever the role says
            # (True/False, or "True"/"False" after a streamed Parquet, which writes extra_* columns as text)
            mask &= ~np.asarray(frame["extra_system"].astype("string").str.lower().isin(["true", "1"]), dtype=bool)
        texts = analysis_text(frame).tolist()
        if "body" not in frame.columns:
            texts = _new_text(texts)
        langs = frame["language"].astype("string").fillna("").tolist() if "language" in frame.columns else None
    elif isinstance(data, str):
        raise ConfigError("pass a list of texts or a DataFrame, not a single string; wrap it as [text]")
    else:
        texts = _new_text(["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in data])
        mask = np.ones(len(texts), dtype=bool)
        langs = None
    rows, out, out_langs = [], [], []
    for i, (keep, t) in enumerate(zip(mask, texts)):
        if not keep:
            continue
        c = clean_text(t)
        if c:
            rows.append(i)
            out.append(c)
            if langs is not None:
                out_langs.append(langs[i])
    return out, np.asarray(rows, dtype=np.int64), (out_langs if langs is not None else None)


def customer_list(data: Iterable[str]) -> list[str]:
    """A list of texts from any iterable (a single string is refused: it is almost always a mistake)."""
    if isinstance(data, str):
        raise ConfigError("pass a list of texts or a DataFrame, not a single string; wrap it as [text]")
    return list(data)

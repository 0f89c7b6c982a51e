"""The Markdown summary: executive summary and pain-point table, for e-mail or chat.

Every value the template prints passes :func:`md_escape` (the Jinja ``finalize``
hook), so user text can neither break the table (``|``, line breaks) nor smuggle
raw HTML or links into a Markdown renderer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jinja2

from .._version import __version__
from .context import ReportContext

__all__ = ["render_markdown", "md_escape"]

# Only what can start emphasis, code, links, tables or strike-through inside a line.
_BREAKS = re.compile(r"[ \t\r\n\f\v\u0085\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(value: Any) -> str:
    """One line of Markdown-safe text: special characters backslash-escaped, ``<``/``>`` as entities."""
    if value is None:
        return ""
    # Line breaks would end a table row; non-breaking spaces ("38\u00a0%") are kept.
    line = _BREAKS.sub(" ", str(value)).strip()
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", line)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Markdown is not HTML, so no autoescape; finalize escapes every printed value for Markdown.
    return jinja2.Environment(loader=jinja2.PackageLoader("supportinsight.reporting", "templates"),
                              autoescape=False, finalize=md_escape, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_markdown(ctx: ReportContext, *, max_rows: int = 10) -> str:
    """Section 1 (executive summary) and the top ``max_rows`` pain points as Markdown."""
    values = ctx.as_dict()
    values.update(s=ctx.strings, pain=ctx.pain[:max_rows], version=__version__)
    return _environment().get_template("summary.md.j2").render(**values)

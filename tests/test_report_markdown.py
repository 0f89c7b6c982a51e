"""The Markdown summary: section 1 and the pain-point table, safe for e-mail and chat renderers."""

from __future__ import annotations

import pytest

from report_sample import build_annotated
from supportinsight.reporting import report
from supportinsight.reporting.markdown import md_escape


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    frame = build_annotated(extra_messages=["<script>alert(1)</script> | kaputt *sofort* [link](javascript:x)"])
    out = tmp_path_factory.mktemp("md")
    return report(frame, out / "r.html", lang="de", md=out / "summary.md", generated="G", inline_plotly=False)


@pytest.mark.parametrize("raw,expected", [
    ("a | b", "a \\| b"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;".replace("\\(", "(").replace("\\)", ")")),
    ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("line\none", "line one"),
    ("`code`", "\\`code\\`"),
])
def test_report_markdown_escape(raw, expected):
    assert md_escape(raw) == expected


def test_report_markdown_has_summary_and_table(result):
    md = result.markdown
    assert result.md_path.read_text(encoding="utf-8") == md
    assert md.startswith("# Customer-Journey-Bericht\n")
    top = result.context.summary["pain"][0]
    assert f"1. **{md_escape(top['label'])}**: {md_escape(top['text'])}" in md
    assert "## Was besser wurde" in md and "## Schmerzpunkte" in md
    rows = [line for line in md.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == min(10, len(result.context.pain))
    first = result.context.pain[0]
    cells = [c.strip() for c in rows[0].split(" | ")]
    assert cells[3] == first["messages"] and cells[4] == first["negative_share"] and cells[5] == first["change"]


def test_report_markdown_escapes_user_text(result):
    md = result.markdown
    assert "<script>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| kaputt \\*sofort\\* \\[link\\](javascript:x)" in md
    # The pipe in a quote does not add a column: every table row has the header's number of cells.
    table = [line for line in md.splitlines() if line.startswith("|")]
    widths = {len([c for c in line.replace("\\|", "").split("|")]) for line in table}
    assert len(widths) == 1


def test_report_markdown_only_when_asked():
    assert report(build_annotated(), generated="G", inline_plotly=False).markdown is None

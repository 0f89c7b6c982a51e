"""Plotly figures of the report, rendered to ``<div>`` + ``<script>`` pairs with fixed ids.

Every figure is built from the plain values of the report context
(:mod:`supportinsight.reporting.context`). :func:`figure_html` writes the figure's
JSON itself rather than using ``Figure.to_html`` so that the ids are fixed (the
same input gives the same HTML) and the JSON is safe inside ``<script>``: every
``<``, ``>`` and ``&`` becomes a ``\\u003c``-style escape, so a message that
contains ``</script>`` cannot end the script block. plotly.js itself is inlined
once per report by the template (:func:`plotly_js`): a partial bundle with only the
traces the report draws, so that the one offline file stays small.

Plotly reads a small HTML subset in hover and tick text (``<br>``, ``<b>`` ...),
so all user text that goes into a figure is HTML-escaped first (:func:`esc`);
plotly shows the escaped entities as the original characters.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from .i18n import text

__all__ = ["NEGATIVE_SCALE", "PHASE_COLOURS", "esc", "safe_json", "plotly_js", "partial_bundle", "figure_html",
           "heatmap_figure", "time_figure", "channel_figure", "switch_figure", "topic_figure", "intent_figure"]

#: White -> red for negative share: light cells are fine, dark cells hurt.
NEGATIVE_SCALE: list[list[Any]] = [[0.0, "#f7f7f7"], [0.2, "#fde0c5"], [0.45, "#f4a582"], [0.7, "#d6604d"],
                                   [1.0, "#a50f15"]]
#: White -> blue for neutral quantities (intent shares).
SHARE_SCALE: list[list[Any]] = [[0.0, "#f5f8fc"], [0.5, "#9ecae1"], [1.0, "#2166ac"]]
#: Colour-blind-friendly categorical palette (Tableau 10), one colour per journey phase.
PHASE_COLOURS: tuple[str, ...] = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948",
                                  "#ff9da7", "#9c755f", "#bab0ac")
_FONT = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}


def esc(value: Any) -> str:
    """HTML-escape user text before it goes into plotly's HTML-subset labels."""
    return html.escape(str(value), quote=True)


def safe_json(value: Any) -> str:
    """JSON that can sit inside ``<script>``: ``<``, ``>``, ``&``, U+2028/9 escaped."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_default)
    return (out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__} for the report")


#: The partial plotly.js bundle beside the templates (scatter, bar, heatmap, sankey; about 1.1 MB
#: instead of 4.8 MB), built by ``templates/plotly_partial.build.js``.
PARTIAL_BUNDLE = "plotly_partial.min.js"


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle the report inlines (no CDN), safe inside a ``<script>`` block.

    The partial bundle when it is installed and of the plotly.js version the plotly
    package writes figures for; otherwise plotly's whole bundle (a larger file, the
    same charts).
    """
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    bundle = partial_bundle()
    if bundle is None or f"plotly.js {get_plotlyjs_version()} " not in bundle[:200]:
        bundle = get_plotlyjs()
    return bundle.replace("</script", "<\\/script")


def partial_bundle() -> str | None:
    """The text of the partial plotly.js bundle, or None when the package was installed without it."""
    from importlib import resources

    try:
        return resources.files("supportinsight.reporting").joinpath("templates", PARTIAL_BUNDLE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None


def figure_html(fig: go.Figure, div_id: str, *, css_class: str = "si-chart") -> str:
    """``<div id=div_id>`` plus the ``Plotly.newPlot`` call, with script-safe JSON."""
    spec = json.loads(pio.to_json(fig, validate=True, engine="json"))
    payload = safe_json({"data": spec.get("data", []), "layout": spec.get("layout", {}), "config": _CONFIG})
    ident = esc(div_id)
    return (f'<div id="{ident}" class="{esc(css_class)}"></div>\n'
            f'<script>(function(){{var s={payload};'
            f'Plotly.newPlot("{ident}",s.data,s.layout,s.config);}})();</script>')


def _layout(fig: go.Figure, lang: str, height: int, **extra: Any) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)", font=dict(family=_FONT, size=13, color="#1f2933"),
        separators=",." if lang == "de" else ".,",
        hoverlabel=dict(bgcolor="#ffffff", bordercolor="#c5ccd6", font=dict(family=_FONT, size=12, color="#1f2933"),
                        align="left"),
        **extra)
    return fig


def _wrap(line: str, width: int = 60) -> str:
    """Break an (escaped) quote into lines for a hover box."""
    words, lines, current = line.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "<br>".join(lines)


def heatmap_figure(heat: dict[str, Any], lang: str) -> go.Figure:
    """Journey heatmap: touchpoints (rows, grouped by phase) x phases (columns)."""
    hover = []
    for row in heat["hover"]:
        out = []
        for cell in row:
            if not cell:
                out.append("")
                continue
            lines = [f"<b>{esc(cell['cell'])}</b>",
                     f"{esc(text(lang, 'messages'))}: {esc(cell['messages'])}",
                     f"{esc(text(lang, 'negative_share'))}: {esc(cell['negative'])}",
                     f"{esc(text(lang, 'change'))}: {esc(cell['change'])}"]
            if cell["quote"]:
                lines.append("<i>" + esc(text(lang, "q_open")) + _wrap(esc(cell["quote"])) + esc(text(lang, "q_close"))
                             + "</i>")
            out.append("<br>".join(lines))
        hover.append(out)
    low = heat.get("low") or [[False] * len(r) for r in heat["z"]]
    # Cells with few messages are drawn grey in a second trace: 1 negative of 1 is no fire.
    z_main = [[None if flag else v for v, flag in zip(row, flags)] for row, flags in zip(heat["z"], low)]
    z_low = [[1.0 if flag and v is not None else None for v, flag in zip(row, flags)]
             for row, flags in zip(heat["z"], low)]
    zs = [v for row in z_main for v in row if v is not None]
    zmax = max(0.5, max(zs) if zs else 0.5)
    x = [esc(v) for v in heat["x"]]
    y = [esc(v) for v in heat["y"]]
    # Each trace gets only its own cells' labels: plotly draws text even over gaps.
    text_main = [[t if not flag else "" for t, flag in zip(row, flags)] for row, flags in zip(heat["text"], low)]
    text_low = [[t if flag else "" for t, flag in zip(row, flags)] for row, flags in zip(heat["text"], low)]
    common = dict(x=x, y=y, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
                  customdata=heat["keys"], xgap=3, ygap=3, hoverongaps=False)
    fig = go.Figure(go.Heatmap(
        z=z_main, text=text_main, textfont=dict(size=12), colorscale=NEGATIVE_SCALE, zmin=0, zmax=zmax,
        colorbar=dict(title=dict(text=esc(text(lang, "negative_share")), side="right"), tickformat=".0%",
                      thickness=12, outlinewidth=0), **common))
    if any(v is not None for row in z_low for v in row):
        fig.add_trace(go.Heatmap(z=z_low, text=text_low, textfont=dict(size=11, color="#7b8794"), showscale=False,
                                 colorscale=[[0.0, "#eef1f4"], [1.0, "#eef1f4"]], zmin=0, zmax=1, **common))
    n_rows = max(1, len(heat["y"]))
    _layout(fig, lang, height=110 + 46 * n_rows)
    fig.update_xaxes(side="top", showgrid=False, zeroline=False, tickfont=dict(size=13))
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, automargin=True)
    return fig


def time_figure(series: dict[str, Any], lang: str) -> go.Figure:
    """Negative share (lines) and volume (stacked bars) per period and phase."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.58, 0.42], vertical_spacing=0.08,
                        subplot_titles=[esc(text(lang, "negative_share")), esc(text(lang, "messages"))])
    x = series["periods"]
    for i, s in enumerate(series["series"]):
        colour = PHASE_COLOURS[i % len(PHASE_COLOURS)]
        name = esc(s["label"]) or esc(text(lang, "messages"))
        fig.add_trace(go.Scatter(x=x, y=s["negative_share"], name=name, legendgroup=s["id"], mode="lines+markers",
                                 line=dict(color=colour, width=2.5), marker=dict(size=6), connectgaps=False,
                                 hovertemplate=f"{name}<br>%{{x|%d.%m.%Y}}: %{{y:.0%}}<extra></extra>"),
                      row=1, col=1)
        fig.add_trace(go.Bar(x=x, y=s["messages"], name=name, legendgroup=s["id"], showlegend=False,
                             marker=dict(color=colour),
                             hovertemplate=f"{name}<br>%{{x|%d.%m.%Y}}: %{{y}}<extra></extra>"), row=2, col=1)
    _layout(fig, lang, height=430, barmode="stack",
            legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0, font=dict(size=12)))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", gridcolor="#e6e9ee", row=1, col=1)
    fig.update_yaxes(gridcolor="#e6e9ee", row=2, col=1)
    fig.update_xaxes(showgrid=False, tickformat="%d.%m." if lang == "de" else "%b %d")
    fig.update_annotations(font=dict(size=12, color="#52606d"), x=0, xanchor="left")
    return fig


def channel_figure(rows: Sequence[dict[str, Any]], lang: str) -> go.Figure:
    """Customer messages per channel; colour = negative share."""
    rows = list(rows)[::-1]  # largest on top
    neg = [r["negative_value"] if r["negative_value"] is not None else 0 for r in rows]
    fig = go.Figure(go.Bar(
        x=[r["messages_value"] for r in rows], y=[esc(r["label"]) for r in rows], orientation="h",
        text=[f"{esc(r['messages'])} \u00b7 {esc(r['negative_share'])} {esc(text(lang, 'kpi_negative'))}"
              for r in rows],
        textposition="auto", cliponaxis=False,
        marker=dict(color=neg, colorscale=NEGATIVE_SCALE, cmin=0, cmax=max(0.5, max(neg, default=0.5)),
                    line=dict(color="#9aa5b1", width=0.5)),
        hovertemplate="%{y}: %{x}<extra></extra>"))
    _layout(fig, lang, height=90 + 34 * max(1, len(rows)))
    fig.update_xaxes(showgrid=True, gridcolor="#e6e9ee", zeroline=False)
    fig.update_yaxes(automargin=True)
    return fig


def switch_figure(rows: Sequence[dict[str, Any]], lang: str) -> go.Figure:
    """Sankey of channel moves: origin channels left, destination channels right."""
    sources = list(dict.fromkeys(r["from_id"] for r in rows))
    targets = list(dict.fromkeys(r["to_id"] for r in rows))
    label_of = {r["from_id"]: r["from"] for r in rows} | {r["to_id"]: r["to"] for r in rows}
    nodes = [esc(label_of[s]) for s in sources] + [esc(label_of[t]) for t in targets]
    colours = [PHASE_COLOURS[i % len(PHASE_COLOURS)] for i in range(len(sources))]
    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=nodes, pad=14, thickness=14, color=colours + ["#9aa5b1"] * len(targets),
                  line=dict(width=0)),
        link=dict(source=[sources.index(r["from_id"]) for r in rows],
                  target=[len(sources) + targets.index(r["to_id"]) for r in rows],
                  value=[r["customers_value"] for r in rows],
                  color=["rgba(78,121,167,0.25)"] * len(rows),
                  hovertemplate="%{source.label} \u2192 %{target.label}: %{value}<extra></extra>")))
    _layout(fig, lang, height=80 + 40 * max(2, len(sources), len(targets)))
    return fig


def topic_figure(rows: Sequence[dict[str, Any]], lang: str) -> go.Figure:
    """Topic sizes, emerging topics highlighted."""
    rows = list(rows)[::-1]
    fig = go.Figure(go.Bar(
        x=[r["messages_value"] for r in rows], y=[esc(r["label"]) for r in rows], orientation="h",
        marker=dict(color=["#e15759" if r["emerging"] else "#4e79a7" for r in rows]),
        text=[f"{esc(r['share'])}" + (f" \u00b7 {esc(text(lang, 'emerging'))}" if r["emerging"] else "")
              for r in rows],
        textposition="auto", hovertemplate="%{y}: %{x}<extra></extra>"))
    _layout(fig, lang, height=80 + 30 * max(1, len(rows)))
    fig.update_xaxes(showgrid=True, gridcolor="#e6e9ee", zeroline=False)
    fig.update_yaxes(automargin=True)
    return fig


def intent_figure(matrix: dict[str, Any], lang: str) -> go.Figure:
    """Touchpoint x intent: share of the touchpoint's messages carrying the intent."""
    fig = go.Figure(go.Heatmap(
        z=matrix["z"], x=[esc(x) for x in matrix["x"]], y=[esc(y) for y in matrix["y"]], text=matrix["text"],
        texttemplate="%{text}", textfont=dict(size=11), colorscale=SHARE_SCALE, zmin=0, zmax=1, xgap=2, ygap=2,
        hoverongaps=False, hovertemplate="%{y} \u00b7 %{x}: %{text}<extra></extra>", showscale=False))
    _layout(fig, lang, height=100 + 30 * max(1, len(matrix["y"])))
    # Long intent names ("Kündigungsdrohung") collide when level: tilt them.
    tilt = -30 if max((len(x) for x in matrix["x"]), default=0) > 12 else 0
    fig.update_xaxes(side="top", showgrid=False, tickangle=tilt)
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    return fig

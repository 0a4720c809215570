"""Figures of the uncertainty analysis: interval bars and tornado charts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.viz.style import FONT, OKABE_ITO


def interval_figure(rows: Sequence[dict[str, Any]], title: str) -> Any:
    """Horizontal 5-95% bars with the median and the shipped value, one row per entry.

    Each row: ``label``, ``p05``, ``median``, ``p95``, ``baseline``.
    """
    import plotly.graph_objects as go

    labels = [r["label"] for r in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=[r["p95"] - r["p05"] for r in rows],
            base=[r["p05"] for r in rows],
            orientation="h",
            marker={"color": OKABE_ITO["sky_blue"], "opacity": 0.45},
            name="5-95% of draws",
            hovertemplate="%{y}: %{base:.3f} to %{x:.3f} wide<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[r["median"] for r in rows],
            mode="markers",
            marker={
                "symbol": "line-ns",
                "size": 16,
                "line": {"width": 3, "color": OKABE_ITO["blue"]},
            },
            name="median",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[r["baseline"] for r in rows],
            mode="markers",
            marker={"symbol": "diamond", "size": 9, "color": "#222"},
            name="shipped inputs",
        )
    )
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}},
        template="plotly_white",
        font={"family": FONT, "size": 13, "color": "#222"},
        height=90 + 34 * len(rows),
        margin={"l": 10, "r": 20, "t": 80, "b": 40},
        xaxis={"range": [0, 1.02], "title": "value (1 = most stable)"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
    )
    return fig


def tornado_figure(ranked: Sequence[tuple[str, float, float]], title: str, measure: str) -> Any:
    """Bars of each input's effect, largest on top; ``ranked`` holds (name, value, +-)."""
    import plotly.graph_objects as go

    rows = list(ranked)[::-1]
    fig = go.Figure(
        go.Bar(
            y=[r[0] for r in rows],
            x=[r[1] for r in rows],
            error_x={"type": "data", "array": [r[2] for r in rows], "visible": True},
            orientation="h",
            marker={"color": OKABE_ITO["orange"]},
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}},
        template="plotly_white",
        font={"family": FONT, "size": 12, "color": "#222"},
        height=90 + 28 * len(rows),
        margin={"l": 10, "r": 20, "t": 70, "b": 40},
        xaxis={"title": measure, "rangemode": "tozero"},
        yaxis={"automargin": True},
        showlegend=False,
    )
    return fig

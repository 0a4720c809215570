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


def interval_png(rows: Sequence[dict[str, Any]], title: str) -> Any:
    """:func:`interval_figure` as a static matplotlib Figure, for papers and the docs."""
    from detente.viz.png import new_figure, tidy_axes

    fig = new_figure(8.0, 0.9 + 0.32 * len(rows))
    ax = fig.add_subplot()
    y = list(range(len(rows)))
    ax.barh(
        y,
        [r["p95"] - r["p05"] for r in rows],
        left=[r["p05"] for r in rows],
        color=OKABE_ITO["sky_blue"],
        alpha=0.45,
        label="5-95% of draws",
    )
    ax.scatter([r["median"] for r in rows], y, marker="|", s=160, color=OKABE_ITO["blue"])
    ax.scatter(
        [r["baseline"] for r in rows], y, marker="D", s=18, color="#222", label="shipped inputs"
    )
    ax.plot([], [], marker="|", ls="", ms=12, color=OKABE_ITO["blue"], label="median")
    ax.set_yticks(y, [r["label"] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("value (1 = most stable)", fontsize=9)
    ax.set_title(title, loc="left", fontsize=11, pad=22)
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False)
    tidy_axes(ax)
    return fig


def tornado_png(ranked: Sequence[tuple[str, float, float]], title: str, measure: str) -> Any:
    """:func:`tornado_figure` as a static matplotlib Figure: (name, value, +-) per input."""
    from detente.viz.png import new_figure, tidy_axes

    rows = list(ranked)
    fig = new_figure(8.0, 0.9 + 0.3 * len(rows))
    ax = fig.add_subplot()
    y = list(range(len(rows)))
    ax.barh(
        y,
        [r[1] for r in rows],
        xerr=[r[2] for r in rows],
        color=OKABE_ITO["orange"],
        error_kw={"elinewidth": 1, "capsize": 2},
    )
    ax.set_yticks(y, [r[0] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(measure, fontsize=9)
    ax.set_title(title, loc="left", fontsize=11)
    tidy_axes(ax)
    return fig

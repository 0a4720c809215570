"""Figures of a sweep: a definition over two levers, as lines and as a heatmap.

Each figure takes a table with one row per point (its lever values and the
value shown, :func:`detente.store.frames.headline_table`) and the sweep's
levers in order. The first lever is the x axis; the second gives one line per
value (or the heatmap's y axis); a third splits the figure into panels (at
most :data:`MAX_PANELS`); any further lever is held at its first value, and
the subtitle says so. A sweep whose points are not a grid (a Latin hypercube)
is drawn as points coloured by value. plotly and matplotlib are imported
inside the functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from detente.io.output import OutputError, check_folder, write_files
from detente.viz.style import FONT, OKABE_ITO

MAX_PANELS = 4
LINE_COLOURS = tuple(
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "green", "orange", "purple", "sky_blue", "black", "yellow")
)
Lever = Mapping[str, Any]
"""A lever as a stored run lists it: name, label, kind, levels, numeric."""


class SweepPlotError(OutputError):
    """The sweep figures could not be written."""


def _label(lever: Lever) -> str:
    return str(lever.get("label") or lever["name"])


def layout(table: pd.DataFrame, levers: Sequence[Lever]) -> dict[str, Any]:
    """Which lever is x, series, panel; which are held; and the rows kept.

    Returns
    -------
    dict
        ``x``, ``series`` (or None), ``panel`` (or None), ``held`` (name -> value)
        and ``rows``: the table restricted to the held levers' first values.
    """
    names = [lv["name"] for lv in levers]
    x = names[0]
    series = names[1] if len(names) > 1 else None
    panel = None
    if len(names) > 2 and table[names[2]].nunique() <= MAX_PANELS:
        panel = names[2]
    held = {n: table[n].iloc[0] for n in names if n not in (x, series, panel)}
    rows = table
    for name, value in held.items():
        rows = rows[rows[name] == value]
    return {"x": x, "series": series, "panel": panel, "held": held, "rows": rows}


def is_grid(table: pd.DataFrame, levers: Sequence[Lever]) -> bool:
    """Whether the points form a full grid of the levers' values."""
    names = [lv["name"] for lv in levers]
    sizes = [table[n].nunique() for n in names]
    expected = 1
    for s in sizes:
        expected *= s
    return len(table) == expected


def _subtitle(parts: dict[str, Any], levers: Sequence[Lever]) -> str:
    by_name = {lv["name"]: lv for lv in levers}
    held = ", ".join(f"{_label(by_name[k])} = {v}" for k, v in parts["held"].items())
    return f" (held: {held})" if held else ""


def _panels(parts: dict[str, Any]) -> list[tuple[Any, pd.DataFrame]]:
    rows = parts["rows"]
    if parts["panel"] is None:
        return [(None, rows)]
    return [(v, rows[rows[parts["panel"]] == v]) for v in dict.fromkeys(rows[parts["panel"]])]


def lines_figure(table: pd.DataFrame, levers: Sequence[Lever], title: str) -> Any:
    """A definition over the first lever, one line per value of the second (plotly)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    by_name = {lv["name"]: lv for lv in levers}
    parts = layout(table, levers)
    panels = _panels(parts)
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        shared_yaxes=True,
        subplot_titles=[
            "" if v is None else f"{_label(by_name[parts['panel']])}: {v}" for v, _ in panels
        ],
    )
    series = parts["series"]
    for col, (_, rows) in enumerate(panels, start=1):
        groups = [(None, rows)] if series is None else list(rows.groupby(series, sort=False))
        for k, (value, group) in enumerate(groups):
            group = group.sort_values(parts["x"])
            name = "" if series is None else f"{_label(by_name[series])} = {value}"
            fig.add_trace(
                go.Scatter(
                    x=group[parts["x"]],
                    y=group["value"],
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=col == 1 and series is not None,
                    line={"color": LINE_COLOURS[k % len(LINE_COLOURS)]},
                    hovertemplate=f"{name}<br>%{{x}}: %{{y:.3f}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(title_text=_label(by_name[parts["x"]]), row=1, col=col)
    fig.update_yaxes(title_text="value (1 = most stable)", row=1, col=1)
    fig.update_layout(
        title={"text": title + _subtitle(parts, levers), "x": 0.0, "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=460,
        margin={"l": 10, "r": 20, "t": 80, "b": 120},
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0.0},
    )
    return fig


def heatmap_figure(table: pd.DataFrame, levers: Sequence[Lever], title: str) -> Any:
    """A definition over the first two levers as a heatmap, one panel per third (plotly).

    A sweep that is not a grid is drawn as points coloured by value.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    by_name = {lv["name"]: lv for lv in levers}
    parts = layout(table, levers)
    panels = _panels(parts)
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        shared_yaxes=True,
        subplot_titles=[
            "" if v is None else f"{_label(by_name[parts['panel']])}: {v}" for v, _ in panels
        ],
    )
    x, y = parts["x"], parts["series"]
    low, high = float(table["value"].min()), float(table["value"].max())
    grid = is_grid(table, levers)
    for col, (_, rows) in enumerate(panels, start=1):
        if y is None or not grid:
            trace = go.Scatter(
                x=rows[x],
                y=rows[y] if y is not None else rows["value"],
                mode="markers",
                marker={
                    "color": rows["value"],
                    "colorscale": "Viridis",
                    "cmin": low,
                    "cmax": high,
                    "showscale": col == 1,
                },
            )
        else:
            pivot = rows.pivot_table(index=y, columns=x, values="value", sort=False)
            trace = go.Heatmap(
                z=pivot.to_numpy(),
                x=[str(c) for c in pivot.columns],
                y=[str(i) for i in pivot.index],
                zmin=low,
                zmax=high,
                colorscale="Viridis",
                showscale=col == 1,
                hovertemplate="%{x}, %{y}: %{z:.3f}<extra></extra>",
            )
        fig.add_trace(trace, row=1, col=col)
        fig.update_xaxes(
            title_text=_label(by_name[x]), type="category" if grid else None, row=1, col=col
        )
    if y is not None:
        fig.update_yaxes(
            title_text=_label(by_name[y]), type="category" if grid else None, row=1, col=1
        )
    fig.update_layout(
        title={"text": title + _subtitle(parts, levers), "x": 0.0, "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=400,
        margin={"l": 10, "r": 20, "t": 80, "b": 40},
    )
    return fig


def lines_png(table: pd.DataFrame, levers: Sequence[Lever], title: str) -> Any:
    """The lines figure for print (a matplotlib Figure on an Agg canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    by_name = {lv["name"]: lv for lv in levers}
    parts = layout(table, levers)
    panels = _panels(parts)
    fig = Figure(figsize=(4.2 * len(panels) + 0.8, 3.8), dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    series = parts["series"]
    for ax, (value, rows) in zip(axes, panels, strict=True):
        groups = [(None, rows)] if series is None else list(rows.groupby(series, sort=False))
        for k, (level, group) in enumerate(groups):
            group = group.sort_values(parts["x"])
            ax.plot(
                group[parts["x"]].astype(str)
                if not _numeric(group[parts["x"]])
                else group[parts["x"]],
                group["value"],
                marker="o",
                markersize=3,
                color=LINE_COLOURS[k % len(LINE_COLOURS)],
                label=None if series is None else f"{level}",
            )
        if value is not None:
            ax.set_title(f"{_label(by_name[parts['panel']])}: {value}", fontsize=9)
        ax.set_xlabel(_label(by_name[parts["x"]]), fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("value (1 = most stable)", fontsize=9)
    if series is not None:
        axes[-1].legend(
            title=_label(by_name[series]), fontsize=7, title_fontsize=7, loc="best", frameon=False
        )
    fig.suptitle(title + _subtitle(parts, levers), fontsize=10, x=0.01, ha="left")
    return fig


def _numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column))


def _saver(fig: Any) -> Callable[[BinaryIO], object]:
    def save(fh: BinaryIO) -> object:
        return fig.savefig(fh, format="png")

    return save


def write_sweep_plots(
    tables: Mapping[str, tuple[pd.DataFrame, str]],
    levers: Sequence[Lever],
    folder: str | os.PathLike[str],
) -> list[Path]:
    """Write one PNG per definition (``sweep-<definition>.png``) into ``folder``.

    Written atomically by :func:`detente.io.output.write_files`.
    """
    names = [f"sweep-{d}.png" for d in tables]
    target = check_folder(folder, names, what="the sweep plots", error=SweepPlotError)
    writers: dict[str | os.PathLike[str], Callable[[BinaryIO], object]] = {}
    for (definition, (table, label)), name in zip(tables.items(), names, strict=True):
        fig = lines_png(table, levers, f"{definition.replace('_', ' ')} ({label})")
        writers[target / name] = _saver(fig)
    return write_files(writers, what="the sweep plots", error=SweepPlotError)


__all__ = [
    "MAX_PANELS",
    "SweepPlotError",
    "heatmap_figure",
    "is_grid",
    "layout",
    "lines_figure",
    "lines_png",
    "write_sweep_plots",
]

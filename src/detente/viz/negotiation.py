"""The negotiation front as a figure: each side's gain on an axis, the zone, the bargains.

:func:`gains_frame` turns a :class:`~detente.negotiation.result.NegotiationResult`
into a tidy table (one row per package evaluated); :func:`front_figure` draws
it with plotly for the HTML report and :func:`front_png` with matplotlib for
print. The first two sides at the table are the axes (with three, the third
side's gain is in the hover text and the table). The quadrant where both are
better off is shaded; packages meeting every constraint (the zone) are
coloured, the front is drawn over them, and the Nash and Kalai-Smorodinsky
packages and the disagreement point (the origin) are marked.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from detente.io.output import OutputError, check_file, write_file
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.negotiation.result import NegotiationResult
from detente.stability import LABELS
from detente.viz.style import FONT, GREY, OKABE_ITO

ROLES = ("evaluated", "zone", "front")
ROLE_LABELS = {
    "evaluated": "package outside the zone",
    "zone": "in the zone of agreement",
    "front": "on the Pareto front",
}
ROLE_COLOURS = {"evaluated": GREY, "zone": OKABE_ITO["sky_blue"], "front": OKABE_ITO["blue"]}
NASH_COLOUR = OKABE_ITO["vermillion"]
KS_COLOUR = OKABE_ITO["green"]
ZONE_FILL = "rgba(86, 180, 233, 0.12)"
DPI = 150


class FrontPlotError(OutputError):
    """The front figure could not be written."""


def _levers_text(result: NegotiationResult, i: int) -> str:
    values = result.lever_values(i)
    return "; ".join(
        f"{lv.display}: {values[lv.key]:,.0f}"
        if lv.spec.integer
        else f"{lv.display}: {values[lv.key]:.0%}"
        for lv in result.spec.levers
    )


def gains_frame(result: NegotiationResult) -> pd.DataFrame:
    """One row per evaluated package: each side's gain, its role, bargaining marks.

    Columns: ``package`` (index into ``result.evaluated``), ``gain_<actor>`` per
    side at the table, ``role`` (``front``, ``zone`` or ``evaluated``, the most
    telling that applies), ``nash`` and ``kalai_smorodinsky`` (flags), ``levers``
    (the package in words). Packages that could not be carried out are left out.
    """
    out = result.outcome
    front = {int(i) for i in out.front}
    zone = {int(i) for i in out.zone}
    rows = []
    for i, r in enumerate(result.evaluated):
        if not r.ok:
            continue
        role = "front" if i in front else "zone" if i in zone else "evaluated"
        row: dict[str, Any] = {"package": i, "role": role}
        row.update(
            {f"gain_{a}": float(result.gains[i, k]) for k, a in enumerate(result.spec.parties)}
        )
        row.update(nash=i == out.nash, kalai_smorodinsky=i == out.kalai_smorodinsky)
        row["levers"] = _levers_text(result, i)
        rows.append(row)
    columns = ["package", "role", *(f"gain_{a}" for a in result.spec.parties)]
    return pd.DataFrame(rows, columns=[*columns, "nash", "kalai_smorodinsky", "levers"])


def axis_title(result: NegotiationResult, k: int) -> str:
    """``US gain in first-strike stability (Kent-Thaler), US reading``, or the objective."""
    actor, objective = result.spec.parties[k], result.spec.bargaining[k]
    if not objective.spec.stability:
        return f"{actor.upper()} gain: {objective.display}"
    definition, reading, _, part = objective.stability_key
    label = next((p.label for p in BUILT_IN_PERSPECTIVES if p.id == reading), reading)
    whose = "" if part == "combined" else f", {part.upper()}'s part"
    name = LABELS[definition]
    return f"{actor.upper()} gain in {name[:1].lower() + name[1:]}{whose}, {label}"


def _axes(result: NegotiationResult) -> tuple[str, str, str, str]:
    a, b = result.spec.parties[:2]
    return f"gain_{a}", f"gain_{b}", axis_title(result, 0), axis_title(result, 1)


def window(frame: pd.DataFrame, column: str, zone: bool) -> tuple[float, float]:
    """Axis range: the zone and the origin in full, with a margin of half the zone's reach.

    Packages far outside the zone would otherwise squeeze it into a corner;
    the interactive figure can still be zoomed out to them. With an empty
    zone (``zone`` false) every package is in view.
    """
    inside = frame.loc[frame["role"] != "evaluated", column]
    has_zone = zone and not inside.empty
    values = inside if has_zone else frame[column]
    low = min(0.0, float(values.min())) if len(values) else 0.0
    high = max(0.0, float(values.max())) if len(values) else 0.0
    reach = high - low or 1e-3
    if not has_zone:
        return low - 0.06 * reach, high + 0.06 * reach
    return low - 0.5 * reach, high + 0.1 * reach


def front_figure(result: NegotiationResult) -> Any:
    """The front in gain space (plotly), as described in the module docstring."""
    import plotly.graph_objects as go

    frame = gains_frame(result)
    x, y, x_title, y_title = _axes(result)
    fig = go.Figure()
    zone = bool(result.outcome.zone.size)
    x_lo, x_hi = window(frame, x, zone)
    y_lo, y_hi = window(frame, y, zone)
    fig.add_shape(
        type="rect",
        x0=0,
        y0=0,
        x1=x_hi,
        y1=y_hi,
        fillcolor=ZONE_FILL,
        line={"width": 0},
        layer="below",
    )
    for role in ROLES:
        part = frame[frame["role"] == role]
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="markers",
                name=ROLE_LABELS[role],
                marker={"color": ROLE_COLOURS[role], "size": 8 if role == "front" else 6},
                text=part["levers"],
                hovertemplate="%{text}<br>gains %{x:.4f}, %{y:.4f}<extra></extra>",
            )
        )
    for flag, name, symbol, colour in (
        ("kalai_smorodinsky", "Kalai-Smorodinsky package", "diamond", KS_COLOUR),
        ("nash", "Nash bargaining package", "star", NASH_COLOUR),
    ):
        part = frame[frame[flag]]
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="markers",
                name=name,
                text=part["levers"],
                marker={
                    "symbol": symbol,
                    "size": 16,
                    "color": colour,
                    "line": {"width": 1, "color": "#222"},
                },
                hovertemplate="%{text}<extra>" + name + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0.0],
            y=[0.0],
            mode="markers",
            name="no treaty (disagreement point)",
            marker={"symbol": "x", "size": 12, "color": OKABE_ITO["black"]},
            hovertemplate="no treaty<extra></extra>",
        )
    )
    fig.update_layout(
        title={
            "text": "Packages by each side's gain over no treaty",
            "x": 0.0,
            "font": {"size": 17},
        },
        template="plotly_white",
        font={"family": FONT, "size": 13, "color": "#222"},
        height=620,
        margin={"l": 10, "r": 20, "t": 60, "b": 130},
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0.0},
        xaxis={"title": x_title, "range": [x_lo, x_hi], "zeroline": True},
        yaxis={"title": y_title, "range": [y_lo, y_hi], "zeroline": True},
    )
    return fig


def front_png(result: NegotiationResult) -> Any:
    """The front in gain space as a matplotlib Figure (Agg canvas, pyplot left alone)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    frame = gains_frame(result)
    x, y, x_title, y_title = _axes(result)
    fig = Figure(figsize=(7.0, 6.0), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    zone = bool(result.outcome.zone.size)
    x_lo, x_hi = window(frame, x, zone)
    y_lo, y_hi = window(frame, y, zone)
    ax.fill_between(
        [0.0, x_hi],
        0.0,
        y_hi,
        color=OKABE_ITO["sky_blue"],
        alpha=0.12,
        lw=0,
        label="both better off",
    )
    for role in ROLES:
        part = frame[frame["role"] == role]
        ax.scatter(
            part[x],
            part[y],
            s=22 if role == "front" else 12,
            color=ROLE_COLOURS[role],
            label=ROLE_LABELS[role],
            zorder=2,
        )
    for flag, name, marker, colour in (
        ("kalai_smorodinsky", "Kalai-Smorodinsky package", "D", KS_COLOUR),
        ("nash", "Nash bargaining package", "*", NASH_COLOUR),
    ):
        part = frame[frame[flag]]
        ax.scatter(
            part[x],
            part[y],
            s=160 if marker == "*" else 70,
            marker=marker,
            color=colour,
            edgecolor="#222",
            linewidth=0.6,
            label=name,
            zorder=3,
        )
    ax.scatter([0.0], [0.0], marker="x", color="black", s=50, label="no treaty", zorder=3)
    ax.axhline(0.0, color="#666", lw=0.6)
    ax.axvline(0.0, color="#666", lw=0.6)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(x_title, fontsize=9)
    ax.set_ylabel(y_title, fontsize=9)
    ax.set_title("Packages by each side's gain over no treaty", fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    fig.legend(fontsize=7, loc="outside lower center", ncols=4, frameon=False)
    return fig


def write_front_png(
    result: NegotiationResult,
    path: str | os.PathLike[str],
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Write :func:`front_png` to ``path`` atomically (see :mod:`detente.io.output`)."""
    check_file(path, what="the front figure", inputs=inputs, error=FrontPlotError)
    fig = front_png(result)
    return write_file(
        path,
        lambda fh: fig.savefig(fh, format="png", dpi=DPI),
        what="the front figure",
        inputs=inputs,
        error=FrontPlotError,
    )


__all__ = [
    "FrontPlotError",
    "front_figure",
    "front_png",
    "gains_frame",
    "write_front_png",
]

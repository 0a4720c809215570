"""Static PNG figures for papers, drawn with matplotlib's ``Agg`` backend.

``write_plots(assessment, directory)`` writes four files: force structure,
exchange flows, the headline definitions and every definition under every
reading and alert case. matplotlib is imported inside the functions, and
figures are made with :class:`matplotlib.figure.Figure` on an Agg canvas, so
pyplot's global state and backend are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from detente.analysis.assess import Assessment
from detente.io.output import OutputError, check_folder, write_files
from detente.viz import frames
from detente.viz.style import (
    OKABE_ITO,
    OUTCOME_COLOURS,
    STOCK_COLOURS,
    VALUE_SCALE,
    VERDICT_COLOURS,
)

DPI = 150


class PlotError(OutputError):
    """The figures could not be written (the target is a file, or not writable)."""


def new_figure(width: float, height: float) -> Any:
    """A matplotlib Figure on an Agg canvas (pyplot's global state left alone)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # the Agg canvas, without switching pyplot's global backend
    return fig


def tidy_axes(ax: Any) -> None:
    """The house style of an axes: no top or right spine, small tick labels."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=9)


def force_png(assessment: Assessment) -> Any:
    """Nuclear warheads per category, one panel per side (a matplotlib Figure).

    Deployed and stored warheads stack in each category's bar; the unassigned
    reserve is a bar of its own, so a side's bars add up to its stockpile.
    Conventional systems are left out.
    """
    by_cat = frames.force_by_category(frames.force_frame(assessment))
    held = by_cat[list(frames.STOCK_LABELS)].sum(axis=1)
    categories = list(dict.fromkeys(by_cat.loc[held > 0, "category_label"]))
    stocks = {
        k: v
        for k, v in frames.STOCK_LABELS.items()
        if k != "warheads_reserve" or float(by_cat[k].sum()) > 0
    }
    actors = [s.actor for s in assessment.scenario.sides]
    fig = new_figure(4.0 * len(actors), 1.6 + 0.38 * max(len(categories), 3))
    axes = fig.subplots(1, len(actors), sharey=True, sharex=True, squeeze=False)[0]
    y = np.arange(len(categories))
    for ax, actor in zip(axes, actors, strict=True):
        side = by_cat[by_cat["actor"] == actor].set_index("category_label")[
            list(frames.COUNT_COLUMNS)
        ]
        side = side.reindex(categories).fillna(0.0)
        left = np.zeros(len(categories))
        for stock, label in stocks.items():
            width = side[stock].to_numpy(float)
            ax.barh(y, width, left=left, color=STOCK_COLOURS[stock], label=label)
            left += width
        ax.set_title(actor.upper(), fontsize=11)
        ax.set_xlabel("nuclear warheads", fontsize=9)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        tidy_axes(ax)
    axes[0].set_yticks(y, categories)
    axes[0].invert_yaxis()
    axes[0].legend(frameon=False, fontsize=8, loc="lower right")
    fig.suptitle(frames.FORCE_TITLE, fontsize=12)
    return fig


def flows_png(assessment: Assessment) -> Any:
    """Stacked bars of where each side's warheads go, both directions (a matplotlib Figure)."""
    flows = frames.flow_frame(assessment)
    totals = frames.flow_totals(flows)
    launches = frames.warning_launches(assessment)
    low = dict(
        zip(
            zip(launches["exchange"], launches["actor"], strict=True),
            launches["warheads"],
            strict=True,
        )
    )
    bars = list(
        dict.fromkeys(zip(totals["exchange"], totals["role"], totals["actor"], strict=True))
    )
    labels = []
    for exchange, role, actor in bars:
        text = f"{actor.upper()}\n{frames.ROLE_LABELS[role]}"
        if role == "defender" and low.get((exchange, actor), 0.0) >= 0.5:
            text += f"\n({low[(exchange, actor)]:,.0f} on warning)"
        labels.append(text)
    # Gap between the two exchanges so each pair reads as one story.
    x = np.array([i + 0.6 * (i // 2) for i in range(len(bars))])
    fig = new_figure(7.5, 4.6)
    ax = fig.add_subplot()
    bottom = np.zeros(len(bars))
    for outcome, label in frames.OUTCOME_LABELS.items():
        part = totals[totals["outcome"] == outcome]
        got = dict(
            zip(
                zip(part["exchange"], part["role"], part["actor"], strict=True),
                part["warheads"],
                strict=True,
            )
        )
        height = np.array([float(got.get(k, 0.0)) for k in bars])
        if not height.any():
            continue
        ax.bar(x, height, bottom=bottom, width=0.75, color=OUTCOME_COLOURS[outcome], label=label)
        bottom += height
    ax.set_xticks(x, labels, fontsize=8)
    for i in range(0, len(bars), 2):
        ax.annotate(
            bars[i][0],
            xy=((x[i] + x[min(i + 1, len(x) - 1)]) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=9,
            fontweight="bold",
        )
    ax.set_ylabel(frames.flow_axis_label(frames.has_conventional(flows)), fontsize=9)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    tidy_axes(ax)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1],
        names[::-1],
        frameon=False,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    fig.suptitle("Exchange flows: where the weapons go when each side strikes first", fontsize=12)
    return fig


def headline_png(assessment: Assessment) -> Any:
    """Headline value of each definition, coloured by its verdict word, and per-side parts."""
    head = frames.headline_frame(assessment)
    fig = new_figure(7.5, 3.4)
    ax = fig.add_subplot()
    y = np.arange(len(head))
    values = head["value"].to_numpy(float)
    colours = [VERDICT_COLOURS[v] for v in head["verdict"]]
    ax.barh(y, values, height=0.6, color=colours)
    for yi, v, w in zip(y, values, head["verdict"], strict=True):
        label = f"{v:.3f} {w}".strip()
        ax.text(0.01, yi, label, va="center", ha="left", fontsize=8, color="white")
    for actor, marker in zip(assessment.pair, ("D", "o"), strict=True):
        ax.scatter(
            head[actor],
            y,
            marker=marker,
            s=30,
            facecolor="white",
            edgecolor=OKABE_ITO["black"],
            linewidth=1.2,
            zorder=3,
            label=f"{actor.upper()} part",
        )
    ax.set_yticks(y, head["label"])
    ax.set_ylim(len(head) - 0.5, -0.9)
    ax.set_xlim(0, 1.03)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("value (1 = most stable)", fontsize=9)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    tidy_axes(ax)
    case = frames.case_label(assessment.headline_case)
    reading = next(
        (
            p.label or p.id
            for p in assessment.perspectives
            if p.id == assessment.headline_perspective
        ),
        assessment.headline_perspective,
    )
    fig.suptitle(f"Stability by definition ({reading}, {case})", fontsize=11)
    return fig


def definitions_png(assessment: Assessment) -> Any:
    """Heatmaps of every definition, one per reading, across alert cases."""
    from matplotlib.colors import LinearSegmentedColormap

    defs = frames.definition_frame(assessment)
    labels = list(dict.fromkeys(defs["label"]))
    cases = list(dict.fromkeys(defs["case_label"]))
    cmap = LinearSegmentedColormap.from_list("detente_rdbu", list(VALUE_SCALE))
    persps = assessment.perspectives
    fig = new_figure(3.0 + 1.6 * len(persps) * len(cases) / 2, 1.4 + 0.42 * len(labels))
    axes = fig.subplots(1, len(persps), sharey=True, squeeze=False)[0]
    image = None
    for ax, p in zip(axes, persps, strict=True):
        table = defs[defs["perspective"] == p.id].pivot(
            index="label", columns="case_label", values="value"
        )
        z = table.reindex(index=labels, columns=cases).to_numpy(float)
        image = ax.imshow(z, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
        for (i, j), v in np.ndenumerate(z):
            ink = "white" if v < 0.2 or v > 0.8 else "black"
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8, color=ink)
        ax.set_xticks(range(len(cases)), [c.replace(" · ", "\n") for c in cases], fontsize=7)
        ax.set_title(p.label or p.id, fontsize=10)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
    axes[0].set_yticks(range(len(labels)), labels, fontsize=8)
    if image is not None:
        fig.colorbar(image, ax=list(axes), shrink=0.8, label="value (1 = most stable)")
    fig.suptitle("Every definition under every reading and alert case", fontsize=12)
    return fig


PLOTS: dict[str, Callable[[Assessment], Any]] = {
    "forces.png": force_png,
    "exchange-flows.png": flows_png,
    "definitions-headline.png": headline_png,
    "definitions-all.png": definitions_png,
}
"""File name -> figure builder, in writing order."""


def _png(fig: Any) -> Callable[[BinaryIO], object]:
    return lambda fh: fig.savefig(fh, format="png", dpi=DPI, facecolor="white")


def write_plots(
    assessment: Assessment,
    directory: str | os.PathLike[str],
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write the PNG figures of ``assessment`` into ``directory``.

    Written by :func:`detente.io.output.write_files`: every figure is drawn and
    synced to a temporary file first, and the files are moved into place only
    when all are complete; only regular files are replaced, never one of ``inputs``.

    Parameters
    ----------
    assessment
        A finished assessment.
    directory
        Folder to write into; created if missing. Existing files of the same
        names are replaced.
    inputs
        Files the run read (the scenario); no figure may replace one.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of :data:`PLOTS`.

    Raises
    ------
    PlotError
        If ``directory`` is an existing file, a figure's path may not be written,
        or writing fails.
    """
    folder = check_folder(directory, list(PLOTS), what="plots", inputs=inputs, error=PlotError)
    figures: dict[str | os.PathLike[str], Callable[[BinaryIO], object]] = {
        folder / name: _png(build(assessment)) for name, build in PLOTS.items()
    }
    return write_files(figures, what="plots", inputs=inputs, error=PlotError)

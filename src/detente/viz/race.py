"""PNG figures of arms-race runs (:mod:`detente.analysis.race`), drawn with matplotlib's Agg.

One panel per run: each side's warheads year by year (solid), the force its requirement
calls for (dashed), the treaty ceiling that binds it (dotted) and the equilibrium, where
there is one (a marker at the right edge).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from detente.analysis.race import Race
from detente.io.output import OutputError, check_file, write_file
from detente.viz.png import DPI
from detente.viz.png import new_figure as _figure
from detente.viz.png import tidy_axes as _tidy
from detente.viz.style import OKABE_ITO

SIDE_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["green"])


class RacePlotError(OutputError):
    """The race figure could not be written."""


def _panel(ax: Any, race: Race, title: str) -> None:
    years = np.asarray(race.years)
    base = race.warheads[0] / np.maximum(race.scales[0], 1e-12)
    for i, actor in enumerate(race.actors):
        colour = SIDE_COLOURS[i % len(SIDE_COLOURS)]
        ax.plot(years, race.warheads[:, i], color=colour, lw=2, label=actor.upper())
        need = race.required[:, i] * base[i]
        ax.plot(years[:-1], need, color=colour, lw=1, ls="--")
        cap = race.ceilings[actor]
        if np.isfinite(cap):
            ax.axhline(cap * base[i], color=colour, lw=0.8, ls=":")
        if race.equilibrium is not None:
            ax.plot([years[-1]], [race.equilibrium[actor]], marker="D", color=colour, ms=6)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{title}: {race.outcome}", fontsize=8, loc="left")
    ax.set_xlabel("year", fontsize=8)
    ax.set_ylabel("warheads fielded", fontsize=8)
    ax.set_ylim(bottom=0)
    _tidy(ax)


def race_png(races: Sequence[Race], titles: Sequence[str]) -> Any:
    """One panel per run (a matplotlib Figure): solid lines are warheads, dashed the force
    each side's requirement calls for, dotted the ceiling, diamonds the equilibrium."""
    cols = 1 if len(races) == 1 else 2
    rows = int(np.ceil(len(races) / cols))
    fig = _figure(6.5 if cols == 1 else 10.0, 3.2 * rows)
    for k, (race, title) in enumerate(zip(races, titles, strict=True)):
        ax = fig.add_subplot(rows, cols, k + 1)
        _panel(ax, race, title)
        if k == 0:
            ax.legend(fontsize=8, frameon=False, loc="center right")
    fig.suptitle(
        "Arms race: warheads (solid), requirement (dashed), ceiling (dotted), "
        "equilibrium (diamond)",
        fontsize=9,
    )
    return fig


def write_race_plot(
    races: Sequence[Race],
    titles: Sequence[str],
    path: str | os.PathLike[str],
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Write :func:`race_png` to ``path`` (atomically; never over one of ``inputs``)."""
    check_file(path, what="the race plot", inputs=inputs, error=RacePlotError)
    fig = race_png(races, titles)
    return write_file(
        path,
        lambda fh: fig.savefig(fh, format="png", dpi=DPI, facecolor="white"),
        what="the race plot",
        inputs=inputs,
        error=RacePlotError,
    )

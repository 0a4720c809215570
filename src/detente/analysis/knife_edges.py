"""Knife-edges: single inputs whose change within their cited range flips a verdict.

For every uncertain parameter, the others held at their shipped values, the
verdict of each definition that has verdict words is computed on a grid of the
parameter's range; where two neighbouring points disagree, the threshold is
found by bisection to a stated tolerance. A knife-edge is reported with its
threshold, the shipped value, and the distance between them as a share of the
cited range: a small distance means the verdict rests on a number the sources
do not pin down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.analysis.parameters import Parameter
from detente.analysis.sensitivity import Model
from detente.stability.verdicts import READINGS, verdict

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class KnifeEdge:
    """A verdict that flips as one parameter crosses ``threshold``."""

    definition: str
    parameter: str
    threshold: float
    base: float
    low: float
    high: float
    below: str
    """Verdict just below the threshold."""
    above: str
    """Verdict just above it."""

    @property
    def distance(self) -> float:
        """|threshold - shipped value| as a share of the cited range."""
        return abs(self.threshold - self.base) / (self.high - self.low)

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for JSON."""
        return {
            "definition": self.definition,
            "parameter": self.parameter,
            "threshold": self.threshold,
            "shipped": self.base,
            "low": self.low,
            "high": self.high,
            "below": self.below,
            "above": self.above,
            "distance": self.distance,
        }


def _words(name: str, values: FloatArray) -> list[str | None]:
    return [verdict(name, float(v)) for v in values]


def knife_edges(
    params: Sequence[Parameter],
    model: Model,
    *,
    grid: int = 7,
    tolerance: float = 0.01,
) -> list[KnifeEdge]:
    """Every verdict flip within each parameter's range, nearest the shipped value first.

    ``model`` maps parameter values to definition values (one output per definition,
    :func:`~detente.analysis.sensitivity.model_outputs`); a parameter left out of the
    mapping stays at its shipped value. Thresholds are located within ``tolerance``
    of the range. Runs ``len(params) x grid`` points, then about
    ``log2(grid / tolerance)`` more per flip.
    """
    worded = [n for n in READINGS if READINGS[n].bands]
    points = np.linspace(0.0, 1.0, grid)
    found: list[KnifeEdge] = []
    if not params:
        return found
    # one batch for every parameter's grid
    columns = {p.name: np.full(len(params) * grid, p.base) for p in params}
    for i, p in enumerate(params):
        columns[p.name][i * grid : (i + 1) * grid] = p.low + points * (p.high - p.low)
    out = model(columns)
    for name in worded:
        if name not in out:
            continue
        words = _words(name, np.asarray(out[name]))
        for i, p in enumerate(params):
            seg = words[i * grid : (i + 1) * grid]
            for k in range(grid - 1):
                if seg[k] != seg[k + 1]:
                    lo, hi = points[k], points[k + 1]
                    found.append(_bisect(name, p, model, lo, hi, seg[k], tolerance))
    found.sort(key=lambda e: (e.distance, e.definition, e.parameter))
    return found


def _bisect(
    name: str,
    p: Parameter,
    model: Model,
    lo: float,
    hi: float,
    left: str | None,
    tolerance: float,
) -> KnifeEdge:
    """Narrow the flip between quantile-free positions ``lo`` and ``hi`` of the range."""
    right = left
    while hi - lo > tolerance:
        mid = 0.5 * (lo + hi)
        value = p.low + mid * (p.high - p.low)
        word = verdict(name, float(np.asarray(model({p.name: np.array([value])})[name])[0]))
        if word == left:
            lo = mid
        else:
            hi, right = mid, word
    if right == left:  # the grid's right end holds the other word
        value = p.low + hi * (p.high - p.low)
        right = verdict(name, float(np.asarray(model({p.name: np.array([value])})[name])[0]))
    threshold = p.low + 0.5 * (lo + hi) * (p.high - p.low)
    return KnifeEdge(name, p.name, threshold, p.base, p.low, p.high, str(left), str(right))


__all__ = ["KnifeEdge", "knife_edges"]

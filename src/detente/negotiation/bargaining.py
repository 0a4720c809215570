"""The Pareto front, the zone of agreement and two bargaining solutions.

*Gains* are measured against the disagreement point, each side on its own
bargaining objective and in the direction it wants: ``g_i = s_i (u_i - d_i)``
with ``s_i = +1`` where the side wants more, ``-1`` where it wants less.

- The **zone of possible agreement** is every package that meets every
  constraint (by default: each side no worse off by its own reading).
- The **Nash bargaining package** makes the product of the gains largest over
  the zone (Nash 1950): the solution that is independent of how each side's
  scale is drawn and of packages nobody picks.
- The **Kalai-Smorodinsky package** makes the smallest *share* of each side's
  best gain largest, ``max min_i g_i / g_i*`` with ``g_i*`` the most side ``i``
  gains anywhere in the zone (Kalai & Smorodinsky 1975): each side gets the
  same share of what it could hope for.

Ties (packages with the same gains, e.g. a ceiling nobody reaches set at two
values) go to the larger sum of gains, then to the smaller lever values, so the
answer does not depend on the order the search found them in. Both solutions
are taken over the packages the search evaluated, so they are only as good as
the search; the two-lever brute-force test bounds how far that can be.

References
----------
Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155-162.
doi:10.2307/1907266.
Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's bargaining
problem. *Econometrica* 43(3), 513-518. doi:10.2307/1914280.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.negotiation.objectives import TOLERANCE

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def non_dominated(F: FloatArray) -> IntArray:
    """Rows of ``F`` (minimised) no other row dominates, in row order (pymoo's sort)."""
    if F.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    front = NonDominatedSorting().do(F, only_non_dominated_front=True)
    return np.asarray(np.sort(front), dtype=np.int64)


def _best(score: FloatArray, gains: FloatArray, values: FloatArray, rows: IntArray) -> int:
    """The row of ``rows`` with the highest score; ties by gains, then smaller lever values."""
    keys = [tuple(values[r]) for r in rows]
    order = sorted(
        range(len(rows)),
        key=lambda k: (-round(float(score[rows[k]]), 12), -float(gains[rows[k]].sum()), keys[k]),
    )
    return int(rows[order[0]])


def nash_package(gains: FloatArray, zone: IntArray, values: FloatArray) -> int | None:
    """Row of the zone with the largest product of gains (``None`` for an empty zone)."""
    if zone.size == 0:
        return None
    product = np.prod(np.clip(gains, 0.0, None), axis=1)
    return _best(product, gains, values, zone)


def kalai_smorodinsky_package(
    gains: FloatArray, zone: IntArray, values: FloatArray
) -> tuple[int | None, FloatArray]:
    """Row of the zone with the largest smallest share of each side's best gain, and the bests.

    A side that can gain nothing anywhere in the zone (best gain 0) is left out
    of the minimum: every package gives it all it can get.
    """
    if zone.size == 0:
        return None, np.zeros(gains.shape[1])
    ideal = gains[zone].max(axis=0)
    share = np.where(ideal > TOLERANCE, gains / np.where(ideal > TOLERANCE, ideal, 1.0), np.inf)
    worst = share.min(axis=1)
    worst = np.where(np.isinf(worst), 1.0, worst)
    return _best(worst, gains, values, zone), ideal


@dataclass(frozen=True)
class Bargain:
    """Front, zone and bargaining packages over a set of evaluated packages."""

    front: IntArray
    """Non-dominated packages among those meeting every constraint (among all if none do)."""
    front_feasible: bool
    zone: IntArray
    """Packages meeting every constraint."""
    nash: int | None
    kalai_smorodinsky: int | None
    ideal: FloatArray
    """Each side's largest gain in the zone (the Kalai-Smorodinsky reference)."""


def bargain(
    F: FloatArray, G: FloatArray, gains: FloatArray, values: Sequence[Sequence[float]]
) -> Bargain:
    """Front, zone and bargaining packages.

    Parameters
    ----------
    F
        Objectives as minimised, one row per package.
    G
        Constraint violations (met where at most 0), one row per package.
    gains
        Each side's gain over the disagreement point, one row per package.
    values
        Lever values of each package (for tie-breaking).
    """
    value_array = np.asarray(values, dtype=float)
    met = np.all(G <= TOLERANCE, axis=1) if G.shape[1] else np.ones(F.shape[0], dtype=bool)
    zone = np.flatnonzero(met).astype(np.int64)
    pool = zone if zone.size else np.arange(F.shape[0], dtype=np.int64)
    front = pool[non_dominated(F[pool])]
    ks, ideal = kalai_smorodinsky_package(gains, zone, value_array)
    return Bargain(
        front=front,
        front_feasible=bool(zone.size),
        zone=zone,
        nash=nash_package(gains, zone, value_array),
        kalai_smorodinsky=ks,
        ideal=ideal,
    )


__all__ = ["Bargain", "bargain", "kalai_smorodinsky_package", "nash_package", "non_dominated"]

"""Step 6 of the exchange: damage to urban-industrial value from the warheads that arrive.

Value sits in ``K`` aggregation points: point ``k`` holds the share ``s_k`` of
the value (rank-size, ``s_k`` proportional to ``k^-a``) spread over an area
``A_k`` proportional to ``s_k^g`` (``g = 1``: every point equally dense; ``g <
1``: the larger points denser, as city cores are). A warhead destroys what lies
within its lethal area at the value's overpressure, its burst at the optimum
height (:func:`detente.physics.blast.damage_radius_m`); bursts fall on a point
at random, so ``x`` of lethal area spread over point ``k`` destroys the share
``1 - exp(-x / A_k)`` of it. The attacker spreads the arriving lethal area ``L``
to destroy the most value:

    maximise  sum_k s_k (1 - exp(-x_k / A_k))   subject to  sum_k x_k = L.

The optimum fills the densest points first, each to the same marginal value
``lambda``: ``x_k = A_k ln(d_k / lambda)`` where the density ``d_k = s_k / A_k``
exceeds ``lambda``. With points sorted by density the solution has a closed
form between consecutive densities, so the damage of any ``L`` costs one
binary search. Treating area as divisible makes this an upper bound on what
whole warheads achieve; ``docs/methodology.md`` states the measured gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ValueCurve:
    """A side's value points, densest first, as the prefix sums the closed form needs."""

    shares: FloatArray
    """(K,) value share of each point, densest first."""
    areas_km2: FloatArray
    """(K,) area of each point."""
    thresholds: FloatArray
    """(K,) lethal area at which the next point starts to receive any (the last is inf)."""
    cum_share: FloatArray
    cum_area: FloatArray
    cum_area_log_density: FloatArray

    @property
    def total_area_km2(self) -> float:
        """Area of all points."""
        return float(self.cum_area[-1])


def value_points(
    count: int, zipf_exponent: float, area_km2: float, density_exponent: float
) -> tuple[FloatArray, FloatArray]:
    """(shares, areas) of ``count`` aggregation points: shares ``k^-a`` normalised, areas
    ``s_k^g`` scaled to ``area_km2`` in all."""
    if count <= 0:
        return np.zeros(0), np.zeros(0)
    raw = np.arange(1, count + 1, dtype=np.float64) ** -zipf_exponent
    shares = raw / raw.sum()
    weight = shares**density_exponent
    return shares, area_km2 * weight / weight.sum()


def value_curve(shares: FloatArray, areas_km2: FloatArray) -> ValueCurve:
    """The closed-form tables of the coverage optimum for points of ``shares`` and areas."""
    density = shares / areas_km2
    order = np.argsort(-density, kind="stable")
    s, a, d = shares[order], areas_km2[order], density[order]
    zero = np.zeros(1)
    cum_share = np.concatenate([zero, np.cumsum(s)])
    cum_area = np.concatenate([zero, np.cumsum(a)])
    cum_ald = np.concatenate([zero, np.cumsum(a * np.log(d))])
    # With the first p points active, L(lambda) = cum_ald[p] - ln(lambda) cum_area[p]; it
    # reaches the p+1-th point when lambda falls to d[p].
    p = np.arange(1, s.size)
    thresholds = np.concatenate([cum_ald[p] - np.log(d[p]) * cum_area[p], [np.inf]])
    return ValueCurve(s, a, thresholds, cum_share, cum_area, cum_ald)


def damage_from_area(lethal_area_km2: npt.ArrayLike, curve: ValueCurve | None) -> FloatArray:
    """Largest share of value that ``lethal_area_km2`` (B,) of arriving bursts destroys.

    Parameters
    ----------
    lethal_area_km2
        Total lethal area of the arriving warheads, km^2 (>= 0).
    curve
        The side's value points (:func:`value_curve`); None: no value to destroy.

    Returns
    -------
    numpy.ndarray
        (B,) share of value destroyed, in [0, 1).

    References
    ----------
    Glasstone, S. & Dolan, P. J. (1977). *The Effects of Nuclear Weapons*, ch. XII
    (damage to urban areas from the area within a given overpressure).
    Office of Technology Assessment (1979). *The Effects of Nuclear War*, ch. II
    (damage over metropolitan areas of falling density).
    """
    area = np.atleast_1d(np.asarray(lethal_area_km2, dtype=np.float64))
    if curve is None or curve.shares.size == 0:
        return np.zeros_like(area)
    active = np.searchsorted(curve.thresholds, area, side="left") + 1
    ca = curve.cum_area[active]
    lam_log = (curve.cum_area_log_density[active] - area) / ca
    damage = curve.cum_share[active] - np.exp(lam_log) * ca
    return np.asarray(np.clip(np.where(area > 0, damage, 0.0), 0.0, 1.0), dtype=np.float64)

"""Peak overpressure from a nuclear burst, and the ranges at which it reaches a given level.

Two fits, each used in its stated range:

- Brode (1987), Eq. 33: peak overpressure of a free-air burst against scaled
  range; a burst on an ideal surface doubles the effective yield (Eq. 34).
  Valid for 0.07 to 400,000 psi, within about 5% of detailed calculations.
- Fletcher et al. (CEX-62.2), Eq. 2.61, the curve fit of the Glasstone & Dolan
  height-of-burst curves: the largest ground range at which a given
  overpressure is reached, the burst at its optimum height. Valid for 1 to 200
  psi (the optimum-height advantage vanishes above about 50 psi).

Ranges scale with the cube root of yield (Glasstone & Dolan 1977, §3.60).
See ``docs/methodology-physics.md`` for the tabulated points the fits are checked
against.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.physics._validity import FloatArray, checked

Burst = Literal["surface", "optimum"]
"""``surface``: a contact burst (hard targets); ``optimum``: the height that maximises the
ground range of the target's overpressure (soft area targets)."""

FEET_PER_KFT = 1000.0
METRES_PER_FOOT = 0.3048
METRES_PER_MILE = 1609.344
SURFACE_REFLECTION = 2.0
"""Yield factor of a burst on an ideal surface (Brode 1987, Eq. 34); 1.8 reproduces the
near-surface bursts of the early atmospheric tests."""
BRODE_PSI_RANGE = (0.07, 400_000.0)
OPTIMUM_PSI_RANGE = (1.0, 200.0)
YIELD_RANGE_KT = (0.01, 100_000.0)
HARD_PSI = 50.0
"""Above this overpressure a surface burst reaches as far as any height of burst (Glasstone
& Dolan 1977, §3.73 and Figs. 3.73a-c): targets this hard are struck by surface bursts."""

_FLETCHER_OPTIMUM = (0.1292768, -0.7227471, 0.0147366, 0.0135239)
"""Eq. 2.61 of Fletcher et al.: log10 scaled range (mi at 1 kt) as a cubic in log10 psi."""


def _brode_free_air_psi(scaled_kft: FloatArray) -> FloatArray:
    """Brode (1987) Eq. 33 at scaled range ``r`` (kft / kt^(1/3))."""
    r = scaled_kft
    bracket = 1.0 + 105.0 * (10.0 * r) ** 4 / (1.0 + 12920.0 * (10.0 * r) ** 8)
    return np.asarray(2.0 / r + 3.0 / r**1.5 + 1.6 / r**3 * bracket, dtype=np.float64)


def peak_overpressure_psi(
    range_m: npt.ArrayLike,
    yield_kt: npt.ArrayLike,
    *,
    reflection: float = 1.0,
) -> FloatArray:
    """Peak overpressure at ``range_m`` from a burst of ``yield_kt``.

    ``reflection = 1`` is a free-air burst; ``2`` a burst on an ideal surface
    (:data:`SURFACE_REFLECTION`), ``1.8`` the near-surface bursts of the tests.

    Parameters
    ----------
    range_m
        Distance from the burst, m (> 0).
    yield_kt
        Yield, kt (0.01 kt to 100 Mt).
    reflection
        Yield factor for the ground's reflection.

    Returns
    -------
    numpy.ndarray
        Peak overpressure, psi.

    Raises
    ------
    OutsideValidityError
        If a yield is out of range or the result leaves 0.07-400,000 psi.

    References
    ----------
    Brode, H. L. (1987). *Airblast From Nuclear Bursts - Analytic Approximations*.
    Pacific-Sierra Research Corp., PSR Report 1419-3, Eqs. 33-34 (as quoted in
    public implementations; see ``docs/methodology-physics.md``).

    Examples
    --------
    >>> round(float(peak_overpressure_psi(1000.0 * 0.3048, 1.0, reflection=2.0)), 1)
    10.0
    """
    y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula="peak_overpressure")
    r_m = checked(
        "range_m", range_m, 0.0, np.inf, unit="m", formula="peak_overpressure", low_open=True
    )
    scaled = r_m / METRES_PER_FOOT / FEET_PER_KFT / np.cbrt(reflection * y)
    psi = _brode_free_air_psi(scaled)
    return checked("peak overpressure", psi, *BRODE_PSI_RANGE, unit="psi", formula="Brode 1987")


def _brode_scaled_range(psi: FloatArray) -> FloatArray:
    """Scaled range (kft / kt^(1/3)) where Eq. 33 gives ``psi``: Eq. 33 is monotone, so
    bisection in log range converges to machine precision. Each distinct overpressure is
    solved once (arrays of targets repeat a few hardnesses many times)."""
    levels, where = np.unique(psi, return_inverse=True)
    if levels.size <= _FEW_LEVELS:  # a value class's hardness, solved again and again
        known = [_SOLVED.get(float(p)) for p in levels]
        if all(k is not None for k in known):
            solved = np.asarray(known, dtype=np.float64)
        else:
            solved = _bisect_scaled_range(levels)
            if len(_SOLVED) < 4096:
                _SOLVED.update(zip(levels.tolist(), solved.tolist(), strict=True))
        return np.asarray(solved[where].reshape(psi.shape), dtype=np.float64)
    return np.asarray(_bisect_scaled_range(levels)[where].reshape(psi.shape), dtype=np.float64)


_FEW_LEVELS = 8
_SOLVED: dict[float, float] = {}
"""Scaled ranges already solved, by overpressure: each level's bisection is on its own,
so a remembered level is the number the bisection would give again."""


def _bisect_scaled_range(levels: FloatArray) -> FloatArray:
    """Bisection of Eq. 33 in log range, level by level, to machine precision."""
    lo = np.full(levels.shape, np.log(1e-4))
    hi = np.full(levels.shape, np.log(1e3))
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        above = _brode_free_air_psi(np.exp(mid)) > levels
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return np.asarray(np.exp(0.5 * (lo + hi)), dtype=np.float64)


def surface_range_m(
    overpressure_psi: npt.ArrayLike,
    yield_kt: npt.ArrayLike,
    *,
    reflection: float = SURFACE_REFLECTION,
) -> FloatArray:
    """Ground range at which a surface burst's peak overpressure falls to ``overpressure_psi``.

    The inverse of :func:`peak_overpressure_psi` (Brode 1987, Eq. 33 with the
    yield multiplied by ``reflection``), cube-root scaled.

    Examples
    --------
    >>> round(float(surface_range_m(10.0, 1000.0)))
    3042
    """
    formula = "surface_range_m"
    psi = checked(
        "overpressure_psi", overpressure_psi, *BRODE_PSI_RANGE, unit="psi", formula=formula
    )
    y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula=formula)
    psi, y = np.broadcast_arrays(psi, y)
    scaled = _brode_scaled_range(np.asarray(psi, dtype=np.float64))
    return np.asarray(scaled * FEET_PER_KFT * METRES_PER_FOOT * np.cbrt(reflection * y))


def optimum_range_m(overpressure_psi: npt.ArrayLike, yield_kt: npt.ArrayLike) -> FloatArray:
    """Largest ground range of ``overpressure_psi``, the burst at its optimum height.

    Fletcher et al., Eq. 2.61 (the fit of the Glasstone & Dolan height-of-burst
    curves), valid for 1 to 200 psi; never less than the surface-burst range.

    References
    ----------
    Fletcher, E. R., Albright, R. W., Perret, R. F. D., Franklin, M. E., Bowen, I.
    G. & White, C. S. *Nuclear Bomb Effects Computer (Including Slide-Rule Design
    and Curve Fits for Weapons Effects)*. CEX-62.2, US AEC Civil Effects Test
    Operations, Eq. 2.61 (the fits behind the computer issued with Glasstone &
    Dolan; coefficients as published in NUKEMAP's effects code).
    Glasstone, S. & Dolan, P. J. (1977). *The Effects of Nuclear Weapons*, 3rd ed.,
    §3.73 and Figs. 3.73a-c.

    Examples
    --------
    >>> round(float(optimum_range_m(5.0, 1000.0)))
    6959
    """
    formula = "optimum_range_m"
    psi = checked(
        "overpressure_psi", overpressure_psi, *OPTIMUM_PSI_RANGE, unit="psi", formula=formula
    )
    y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula=formula)
    x = np.log10(psi)
    a0, a1, a2, a3 = _FLETCHER_OPTIMUM
    miles_1kt = 10.0 ** (a0 + a1 * x + a2 * x**2 + a3 * x**3)
    fitted = miles_1kt * METRES_PER_MILE * np.cbrt(y)
    return np.asarray(np.maximum(fitted, surface_range_m(psi, y)), dtype=np.float64)


def burst_for(hardness_psi: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where a target of ``hardness_psi`` is struck with an optimum-height airburst
    (softer than :data:`HARD_PSI`), False where with a surface burst."""
    return np.asarray(np.asarray(hardness_psi, dtype=np.float64) < HARD_PSI, dtype=bool)


def damage_radius_m(yield_kt: npt.ArrayLike, hardness_psi: npt.ArrayLike) -> FloatArray:
    """Radius within which a target of ``hardness_psi`` is destroyed, the burst height chosen.

    Hard targets (at least :data:`HARD_PSI`) take a surface burst
    (:func:`surface_range_m`); softer ones an optimum-height airburst
    (:func:`optimum_range_m`), which reaches farther.

    Examples
    --------
    >>> round(float(damage_radius_m(300.0, 2000.0)))
    245
    """
    y, h = np.broadcast_arrays(
        np.asarray(yield_kt, dtype=np.float64), np.asarray(hardness_psi, dtype=np.float64)
    )
    soft = burst_for(h)
    out = np.empty(h.shape)
    if np.any(~soft):
        out[~soft] = surface_range_m(h[~soft], y[~soft])
    if np.any(soft):
        out[soft] = optimum_range_m(h[soft], y[soft])
    return out

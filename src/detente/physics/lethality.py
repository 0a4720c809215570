"""Lethality of a nuclear warhead against a point target.

The lethal radius is the range of the target's overpressure (:mod:`detente.physics.blast`,
or the classic cube-root constant); a circular normal miss distance turns it into a
single-shot kill probability (SSPK); reliability, penetration and repeated shots combine
as independent events. See
``docs/methodology-physics.md`` for derivations, sources and validity ranges.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.physics._validity import FloatArray, checked, probability
from detente.physics.blast import damage_radius_m

METRES_PER_NMI = 1852.0
"""International nautical mile in metres (exact by definition)."""

LETHAL_RADIUS_CONSTANT_NMI = 2.62
"""LR in nmi for a 1 Mt surface burst against a 1 psi 'hardness' in the strong-shock fit.

Used in open arms-control calculations (see the methodology notes for the
state of its sourcing); exposed so callers can vary it.
"""

YIELD_RANGE_KT = (0.01, 100_000.0)
"""Yields the cube-root law is applied to (10 t to 100 Mt)."""

HARDNESS_RANGE_PSI = (2.0, 10_000.0)
"""Peak overpressures for which LR proportional to (Y/H)^(1/3) is a fair fit."""

CEP_RANGE_M = (0.0, 100_000.0)
"""CEP must be positive; 100 km bounds any strategic delivery system."""

RadiusModel = Literal["blast", "cube_root"]


def lethal_radius_m(
    yield_kt: npt.ArrayLike,
    hardness_psi: npt.ArrayLike,
    *,
    constant_nmi: float = LETHAL_RADIUS_CONSTANT_NMI,
) -> FloatArray:
    """Lethal radius of a surface burst against a target of given hardness.

    ``LR[nmi] = c * Y[Mt]**(1/3) / H[psi]**(1/3)`` with ``c = 2.62``, returned in
    metres. Broadcasts over its array arguments.

    Parameters
    ----------
    yield_kt
        Explosive yield in kilotons, within 0.01 kt to 100 Mt.
    hardness_psi
        Peak overpressure the target withstands, psi, within 2 to 10,000 psi.
    constant_nmi
        The scaling constant ``c`` (nmi at 1 Mt and 1 psi).

    Returns
    -------
    numpy.ndarray
        Lethal radius in metres (0-d for scalar inputs).

    Raises
    ------
    OutsideValidityError
        If a yield or hardness lies outside the ranges above.

    References
    ----------
    Glasstone, S. & Dolan, P. J. (1977). *The Effects of Nuclear Weapons*, 3rd ed.,
    US DoD/ERDA, ch. III, paras 3.60-3.64 (cube-root scaling of blast distances).
    Davis, L. E. & Schilling, W. R. (1973). All you ever wanted to know about MIRV
    and ICBM calculations but were not cleared to ask. *J. Conflict Resolution*
    17(2), 207-242 (lethal radius and SSPK conventions of open counterforce
    analysis). The 2.62 constant is not confirmed against a primary source;
    see ``docs/methodology-physics.md``.

    Examples
    --------
    >>> round(float(lethal_radius_m(300.0, 2000.0)), 1)
    257.8
    """
    formula = "lethal_radius_m"
    y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula=formula)
    h = checked("hardness_psi", hardness_psi, *HARDNESS_RANGE_PSI, unit="psi", formula=formula)
    radius_nmi = constant_nmi * np.cbrt(y / 1000.0) / np.cbrt(h)
    return np.asarray(radius_nmi * METRES_PER_NMI, dtype=np.float64)


def sspk(
    yield_kt: npt.ArrayLike,
    cep_m: npt.ArrayLike,
    hardness_psi: npt.ArrayLike,
    *,
    radius: RadiusModel = "blast",
    constant_nmi: float = LETHAL_RADIUS_CONSTANT_NMI,
) -> FloatArray:
    """Single-shot kill probability of one warhead that arrives, cookie-cutter target.

    ``SSPK = 1 - 0.5**((LR / CEP)**2)``: the probability that a circular normal
    miss with median radius CEP falls inside the lethal radius LR. By default LR
    is the range of the target's overpressure with the burst height chosen for
    it (:func:`detente.physics.blast.damage_radius_m`: a surface burst on hard
    targets, the optimum height on soft ones); ``radius="cube_root"`` uses the
    classic ``2.62 (Y/H)^(1/3)`` nmi of :func:`lethal_radius_m` instead.

    Parameters
    ----------
    yield_kt
        Yield in kilotons (0.01 kt to 100 Mt).
    cep_m
        Circular error probable in metres, > 0 and at most 100 km.
    hardness_psi
        Target hardness in psi (2 to 10,000 psi).
    radius
        ``"blast"`` (default) or ``"cube_root"``.
    constant_nmi
        Lethal-radius constant of the ``"cube_root"`` model, see :func:`lethal_radius_m`.

    Returns
    -------
    numpy.ndarray
        SSPK in [0, 1], broadcast over the inputs.

    Raises
    ------
    OutsideValidityError
        If an input lies outside its range.

    References
    ----------
    Davis, L. E. & Schilling, W. R. (1973), *J. Conflict Resolution* 17(2), 207-242.
    Tsipis, K. (1975). The accuracy of strategic missiles. *Scientific American*
    233(1), 14-23; and Physics and calculus of countercity and counterforce
    nuclear attacks, *Science* 187(4175), 393-397, doi:10.1126/science.187.4175.393.

    Examples
    --------
    >>> round(float(sspk(300.0, 120.0, 2000.0, radius="cube_root")), 3)
    0.959
    >>> round(float(sspk(300.0, 120.0, 2000.0)), 3)
    0.944
    """
    if radius == "cube_root":
        lethal = lethal_radius_m(yield_kt, hardness_psi, constant_nmi=constant_nmi)
    elif radius == "blast":
        y = checked("yield_kt", yield_kt, *YIELD_RANGE_KT, unit="kt", formula="sspk")
        h = checked("hardness_psi", hardness_psi, *HARDNESS_RANGE_PSI, unit="psi", formula="sspk")
        lethal = damage_radius_m(y, h)
    else:
        raise ValueError(f"radius must be 'blast' or 'cube_root', got {radius!r}")
    return sspk_of_radius(lethal, cep_m)


def sspk_of_radius(lethal_radius_m: npt.ArrayLike, cep_m: npt.ArrayLike) -> FloatArray:
    """Probability that a circular normal miss falls inside a lethal radius.

    ``1 - 0.5**((LR / CEP)**2)``: the cookie-cutter kill probability of one
    arriving weapon whose lethal radius is ``lethal_radius_m`` (from blast
    scaling for a nuclear warhead, or a stated radius for a conventional one).

    Parameters
    ----------
    lethal_radius_m
        Lethal radius in metres, >= 0.
    cep_m
        Circular error probable in metres, > 0 and at most 100 km.

    Returns
    -------
    numpy.ndarray
        Kill probability in [0, 1], broadcast over the inputs.

    References
    ----------
    Davis, L. E. & Schilling, W. R. (1973), *J. Conflict Resolution* 17(2), 207-242
    (circular normal miss distance; CEP as its median radius).

    Examples
    --------
    >>> round(float(sspk_of_radius(120.0, 120.0)), 3)
    0.5
    """
    cep = checked("cep_m", cep_m, *CEP_RANGE_M, unit="m", formula="sspk", low_open=True)
    radius = checked("lethal_radius_m", lethal_radius_m, 0.0, np.inf, unit="m", formula="sspk")
    ratio_sq = (radius / cep) ** 2
    return np.asarray(-np.expm1(-np.log(2.0) * ratio_sq), dtype=np.float64)


def kill_probability(
    sspk: npt.ArrayLike,
    reliability: npt.ArrayLike,
    p_penetrate: npt.ArrayLike = 1.0,
) -> FloatArray:
    """Terminal kill probability of one launched warhead.

    ``P = reliability * p_penetrate * SSPK``, the three events taken as independent.

    Parameters
    ----------
    sspk
        Single-shot kill probability given arrival, in [0, 1].
    reliability
        Launch and flight reliability, in [0, 1].
    p_penetrate
        Probability of passing the defences, in [0, 1] (1 when undefended).

    Returns
    -------
    numpy.ndarray
        Kill probability in [0, 1].

    References
    ----------
    Davis & Schilling (1973), *J. Conflict Resolution* 17(2); the same product
    appears as damage expectancy (reliability x probability to penetrate x
    probability of damage) in US targeting usage.

    Examples
    --------
    >>> round(float(kill_probability(0.959, 0.8)), 4)
    0.7672
    """
    formula = "kill_probability"
    s = probability("sspk", sspk, formula=formula)
    r = probability("reliability", reliability, formula=formula)
    pen = probability("p_penetrate", p_penetrate, formula=formula)
    return np.asarray(s * r * pen, dtype=np.float64)


def kill_probability_n(p: npt.ArrayLike, n: npt.ArrayLike) -> FloatArray:
    """Probability that at least one of ``n`` independent shots kills.

    ``1 - (1 - p)**n``; ``n`` may be a non-integer expected number of shots.

    Parameters
    ----------
    p
        Kill probability of one shot, in [0, 1].
    n
        Number of shots, >= 0 (at most 1e6).

    Returns
    -------
    numpy.ndarray
        Kill probability in [0, 1].

    References
    ----------
    Davis & Schilling (1973), *J. Conflict Resolution* 17(2) (independent
    multiple shots; correlated failures make the real figure lower: see
    :func:`detente.engine.allocation.classes.pattern_kill` for the common-mode
    and fratricide options of the exchange).

    Examples
    --------
    >>> round(float(kill_probability_n(0.7672, 2)), 4)
    0.9458
    """
    prob = probability("p", p, formula="kill_probability_n")
    shots = checked("n", n, 0.0, 1.0e6, formula="kill_probability_n")
    return np.asarray(1.0 - np.power(1.0 - prob, shots), dtype=np.float64)

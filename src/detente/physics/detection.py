"""Finding and killing forces that hide: mobile ICBMs out of garrison, SSBNs at sea.

A hidden unit is destroyed only if it is found and the strike on it then
succeeds; the chance of finding it is an input (a cross-domain knob) or comes
from a random-search model. See ``docs/methodology-physics.md``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.physics._validity import FloatArray, checked, probability


def share_destroyed_hidden(p_detect: npt.ArrayLike, p_kill_if_found: npt.ArrayLike) -> FloatArray:
    """Expected share of hidden units destroyed: ``p_detect * p_kill_if_found``.

    Parameters
    ----------
    p_detect
        Probability a unit is located in time to be struck, in [0, 1].
    p_kill_if_found
        Probability the strike kills a located unit, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Share destroyed, broadcast over the inputs.

    References
    ----------
    Koopman, B. O. (1980). *Search and Screening: General Principles with
    Historical Applications*. Pergamon, New York (detection followed by
    engagement as successive conditional events).

    Examples
    --------
    >>> round(float(share_destroyed_hidden(0.2, 0.9)), 2)
    0.18
    """
    formula = "share_destroyed_hidden"
    found = probability("p_detect", p_detect, formula=formula)
    kill = probability("p_kill_if_found", p_kill_if_found, formula=formula)
    return np.asarray(found * kill, dtype=np.float64)


def survival_of_hidden(p_detect: npt.ArrayLike, p_kill_if_found: npt.ArrayLike) -> FloatArray:
    """Expected share of hidden units that survive: ``1 - p_detect * p_kill_if_found``.

    Parameters
    ----------
    p_detect
        Probability a unit is located in time to be struck, in [0, 1].
    p_kill_if_found
        Probability the strike kills a located unit, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Surviving share, broadcast over the inputs.

    References
    ----------
    Koopman (1980), *Search and Screening*, Pergamon.

    Examples
    --------
    >>> round(float(survival_of_hidden(0.2, 0.9)), 2)
    0.82
    """
    return np.asarray(1.0 - share_destroyed_hidden(p_detect, p_kill_if_found), dtype=np.float64)


def random_search_detection(
    sweep_rate_km2_per_h: npt.ArrayLike,
    time_h: npt.ArrayLike,
    area_km2: npt.ArrayLike,
) -> FloatArray:
    """Probability that random search finds a unit hidden uniformly in an area.

    Koopman's random-search law: ``p = 1 - exp(-Q * t / A)`` with sweep rate
    ``Q`` (sweep width times searcher speed, or the area a sensor constellation
    examines per hour), search time ``t`` and area ``A``. It assumes the
    searched area is covered without system, the target is uniformly placed
    and does not evade; it is a lower-bound-like baseline (an exhaustive,
    systematic search of the same effort would find the unit with probability
    ``min(1, Q t / A)``).

    Parameters
    ----------
    sweep_rate_km2_per_h
        Area effectively swept per hour, km^2/h, >= 0.
    time_h
        Search time available, hours, >= 0 (at most one year).
    area_km2
        Area in which the unit may be, km^2, > 0.

    Returns
    -------
    numpy.ndarray
        Detection probability in [0, 1).

    References
    ----------
    Koopman, B. O. (1946). *Search and Screening*. OEG Report No. 56, Operations
    Evaluation Group, US Navy, ch. 3; Koopman (1980), *Search and Screening:
    General Principles with Historical Applications*, Pergamon, sec. 3.5.
    Washburn, A. R. (2002). *Search and Detection*, 4th ed., INFORMS, ch. 2.

    Examples
    --------
    >>> round(float(random_search_detection(1000.0, 10.0, 10000.0)), 4)
    0.6321
    """
    formula = "random_search_detection"
    rate = checked("sweep_rate_km2_per_h", sweep_rate_km2_per_h, 0.0, 1.0e9, formula=formula)
    hours = checked("time_h", time_h, 0.0, 8784.0, unit="h", formula=formula)
    area = checked("area_km2", area_km2, 0.0, 1.0e9, unit="km^2", formula=formula, low_open=True)
    return np.asarray(-np.expm1(-rate * hours / area), dtype=np.float64)

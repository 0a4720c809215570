"""What an outcome costs a side: Kent & Thaler's cost function, and the linear variant."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.model.scenario import StabilitySettings

FloatArray = npt.NDArray[np.float64]


def outcome_cost(
    damage_own: npt.ArrayLike, damage_other: npt.ArrayLike, settings: StabilitySettings
) -> FloatArray:
    """Cost to a side of an outcome: ``D_own**a + w * (1 - D_other**a)``.

    ``D_own`` is the share of the side's own value destroyed, ``D_other`` the
    share of the opponent's. The cost rises with damage suffered and with the
    opponent's value left standing; with ``a < 1`` the first damage costs the
    most. Kent & Thaler use ``a = 0.75``, ``w = 0.3``; the linear variant
    ``a = 1``, ``w = 0.5``.

    Parameters
    ----------
    damage_own, damage_other
        Shares in [0, 1] (arrays broadcast).
    settings
        ``cost`` form and optional ``damage_exponent`` / ``damage_weight``.

    Returns
    -------
    numpy.ndarray
        The cost, between 0 (no damage suffered, the opponent destroyed) and
        ``1 + w``.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). *First-Strike Stability: A Methodology
    for Evaluating Strategic Forces*. RAND R-3765-AF, Appendix C, p. 61 (as read
    in a public re-implementation whose comments cite the page; see
    ``docs/methodology.md``).

    Examples
    --------
    >>> from detente.model.scenario import StabilitySettings
    >>> round(float(outcome_cost(0.5, 0.5, StabilitySettings())), 4)
    0.7162
    """
    a, w = settings.cost_parameters
    own = np.clip(np.asarray(damage_own, dtype=np.float64), 0.0, 1.0)
    other = np.clip(np.asarray(damage_other, dtype=np.float64), 0.0, 1.0)
    return np.asarray(own**a + w * (1.0 - other**a), dtype=np.float64)

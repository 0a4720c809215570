"""Damage to urban-industrial value from warheads that arrive.

Value sits in ``K`` aggregation points with shares ``s_k`` (decreasing). A
warhead that arrives destroys the point it is aimed at with probability ``p``
(its kill probability against the point's hardness). With identical ``p`` the
marginal gain of the ``m``-th warhead on point ``k`` is ``s_k p (1 - p)**m``;
these gains fall along ``m`` and along ``k``, so aiming the ``N`` arriving
warheads at the ``N`` largest gains is optimal (maximum marginal return is
exact for identical weapons; den Broeder, Ellison & Emerling 1959). Fractional
expected arrivals interpolate linearly between whole numbers.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def damage_fraction(
    arriving: FloatArray, kill_prob: FloatArray, shares: FloatArray, max_per_point: int
) -> FloatArray:
    """Expected share of value destroyed by ``arriving`` warheads.

    Parameters
    ----------
    arriving
        (B,) expected warheads arriving on value (>= 0).
    kill_prob
        (B,) kill probability of one arriving warhead on one aggregation point.
    shares
        (K,) value shares of the aggregation points, summing to 1.
    max_per_point
        Most warheads aimed at one point.

    Returns
    -------
    numpy.ndarray
        (B,) share of value destroyed, in [0, 1].
    """
    arriving = np.asarray(arriving, dtype=np.float64)
    if shares.size == 0:
        return np.zeros_like(arriving)
    p = np.clip(np.asarray(kill_prob, dtype=np.float64), 0.0, 1.0)
    m = np.arange(max_per_point, dtype=np.float64)
    # gains[b, m, k] = s_k p (1 - p)**m, flattened and sorted descending per row.
    decay = (1.0 - p)[:, None] ** m[None, :]
    gains = (p[:, None, None] * decay[:, :, None] * shares[None, None, :]).reshape(len(p), -1)
    gains = -np.sort(-gains, axis=1)
    cum = np.concatenate([np.zeros((len(p), 1)), np.cumsum(gains, axis=1)], axis=1)
    n = np.clip(arriving, 0.0, gains.shape[1])
    whole = np.floor(n).astype(np.int64)
    frac = n - whole
    rows = np.arange(len(p))
    nxt = np.minimum(whole + 1, gains.shape[1])
    out = cum[rows, whole] + frac * (cum[rows, nxt] - cum[rows, whole])
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)

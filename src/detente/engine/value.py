"""Step 6 of the exchange: damage to urban-industrial value from warheads that arrive.

Value sits in ``K`` aggregation points with shares ``s_k`` (decreasing). A
warhead that arrives destroys the point it is aimed at with probability ``p``
(its kill probability against the point's hardness). With identical ``p`` the
marginal gain of the ``m``-th warhead on point ``k`` is ``s_k c_m`` with
``c_m = p (1 - p)**m``; these gains fall along ``m`` and along ``k``, so
aiming the ``N`` arriving warheads at the ``N`` largest gains is optimal
(maximum marginal return is exact for identical weapons; den Broeder, Ellison
& Emerling 1959). The ``N`` largest gains are found without sorting: a
threshold ``t`` is bisected until the number of gains above it, ``sum_m #{k:
s_k >= t / c_m}``, brackets ``N``; the damage is then read from cumulative
shares. Fractional expected arrivals take the next gain pro rata.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from detente.engine.defense import LayerTables, engaged_salvo, layer_penetration
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays
from detente.engine.weapons import sspk_matrix

FloatArray = npt.NDArray[np.float64]
_ITERATIONS = 60


def strike_on_value(
    shooter: SideArrays,
    m_shooter: Multipliers,
    target: SideArrays,
    target_tables: LayerTables,
    flying: FloatArray,
    interceptors: FloatArray,
    max_per_point: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Warheads ``flying`` (B, I) at ``target``'s value: (intercepted, arrived, damage).

    The layers covering the value class engage what they can (saturating on
    their inventory); the warheads that arrive destroy value as
    :func:`damage_fraction` says, with the mean kill probability of what arrives.
    """
    nb = flying.shape[0]
    v = target.value_index
    if v < 0:
        zeros = np.zeros_like(flying)
        return zeros, flying.copy(), np.zeros(nb)
    covers = target.layer_defends[:, v].astype(np.float64)[None, :]
    salvo = engaged_salvo(target, shooter.delivery, flying)
    pen, _ = layer_penetration(
        target, target_tables, shooter.delivery, shooter.evasion, salvo, interceptors, covers
    )
    pass_all = pen.prod(axis=1) if pen.shape[1] else np.ones_like(flying)
    arrived = flying * pass_all
    intercepted = flying - arrived
    kill = sspk_matrix(shooter, m_shooter, np.array([target.hardness_psi[v]]), 0.0)
    total = arrived.sum(axis=1)
    mean_kill = np.where(
        total > 0, (arrived * kill[:, :, 0]).sum(axis=1) / np.maximum(total, 1e-12), 0.0
    )
    damage = damage_fraction(total, mean_kill, target.value_shares, max_per_point)
    return intercepted, arrived, damage


def damage_fraction(
    arriving: npt.ArrayLike, kill_prob: npt.ArrayLike, shares: FloatArray, max_per_point: int
) -> FloatArray:
    """Expected share of value destroyed by ``arriving`` warheads.

    Parameters
    ----------
    arriving
        (B,) expected warheads arriving on value (>= 0).
    kill_prob
        (B,) kill probability of one arriving warhead on one aggregation point.
    shares
        (K,) value shares of the aggregation points, decreasing, summing to 1.
    max_per_point
        Most warheads aimed at one point.

    Returns
    -------
    numpy.ndarray
        (B,) share of value destroyed, in [0, 1].
    """
    n = np.atleast_1d(np.asarray(arriving, dtype=np.float64))
    p = np.broadcast_to(np.clip(np.asarray(kill_prob, dtype=np.float64), 0.0, 1.0), n.shape)
    if shares.size == 0:
        return np.zeros_like(n)
    s_desc = np.asarray(shares, dtype=np.float64)
    k = s_desc.size
    cum = np.concatenate([[0.0], np.cumsum(s_desc)])
    # Common case: every warhead goes to a fresh point. That is optimal when the
    # last (possibly fractional) first-layer gain taken, s[ceil(n) - 1] p, is no
    # smaller than the best second-layer gain, s[0] p (1 - p).
    whole = np.floor(np.minimum(n, k)).astype(np.int64)
    frac = np.minimum(n, k) - whole
    last = np.clip(np.ceil(np.minimum(n, k)).astype(np.int64) - 1, 0, k - 1)
    fresh = (n <= k) & ((max_per_point == 1) | (s_desc[last] >= s_desc[0] * (1.0 - p)))
    nxt = s_desc[np.minimum(whole, k - 1)] * (whole < k)
    out = np.where(fresh, p * (cum[whole] + frac * nxt), 0.0)
    rest = ~fresh
    if rest.any():
        out[rest] = _damage_by_threshold(n[rest], p[rest], s_desc, cum, max_per_point)
    out = np.where((n > 0) & (p > 0), out, 0.0)
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)


def _damage_by_threshold(
    n: FloatArray, p: FloatArray, s_desc: FloatArray, cum: FloatArray, max_per_point: int
) -> FloatArray:
    """General case: bisect the gain threshold until it brackets ``n`` gains."""
    s_asc = s_desc[::-1]
    k = s_desc.size
    m = np.arange(max_per_point, dtype=np.float64)
    c = p[:, None] * (1.0 - p[:, None]) ** m[None, :]  # (B, M)

    def counts(t: FloatArray) -> npt.NDArray[np.int64]:
        # n_m(t) = #{k: s_k >= t / c_m}, from the ascending copy of the shares
        with np.errstate(divide="ignore"):
            ratio = np.where(c > 0, t[:, None] / np.where(c > 0, c, 1.0), np.inf)
        return k - np.searchsorted(s_asc, ratio, side="left")

    smallest_c = np.where(c > 0, c, np.inf).min(axis=1)
    lo = np.log(s_asc[0] * np.where(np.isfinite(smallest_c), smallest_c, 1.0) + 1e-300) - 1.0
    hi = np.full(n.shape, np.log(s_desc[0] * 2.0))
    count_lo = counts(np.exp(lo)).sum(axis=1)
    count_hi = np.zeros_like(count_lo)
    # Stop as soon as every row's bracket holds at most one gain: the leftover
    # (less than one warhead) then takes exactly that gain. Ties across layers
    # keep a bracket wider; the iteration cap covers them, and equal gains make
    # the pro-rata rule exact anyway.
    for _ in range(_ITERATIONS):
        open_rows = (count_lo > n) & (count_lo - count_hi > 1)
        if not open_rows.any():
            break
        mid = 0.5 * (lo + hi)
        count_mid = counts(np.exp(mid)).sum(axis=1)
        above = open_rows & (count_mid > n)
        below = open_rows & ~above
        lo = np.where(above, mid, lo)
        count_lo = np.where(above, count_mid, count_lo)
        hi = np.where(below, mid, hi)
        count_hi = np.where(below, count_mid, count_hi)
    hi = np.where(count_lo <= n, lo, hi)  # more warheads than gains: take them all
    per_layer = counts(np.exp(hi))  # (B, M), total <= n
    taken = per_layer.sum(axis=1)
    damage = (c * cum[per_layer]).sum(axis=1)
    nxt_share = np.where(per_layer < k, s_desc[np.minimum(per_layer, k - 1)], 0.0)
    next_gain = (c * nxt_share).max(axis=1)
    damage += np.maximum(n - taken, 0.0) * next_gain
    return np.asarray(damage, dtype=np.float64)

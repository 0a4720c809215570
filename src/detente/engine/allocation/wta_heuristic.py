"""Heuristics for the static weapon-target assignment problem (see :func:`solve_wta`).

Maximum marginal return, rounds of linear assignment, and a local search over
moves and swaps alternated with exact re-placements by linear assignment.
"""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def survival(p: FloatArray, assignment: IntArray) -> FloatArray:
    """Survival probability of each target under ``assignment``."""
    q = np.ones(p.shape[1])
    used = np.flatnonzero(assignment >= 0)
    np.multiply.at(q, assignment[used], 1.0 - p[used, assignment[used]])
    return q


def fill_unused(p: FloatArray, v: FloatArray, assignment: IntArray) -> IntArray:
    """Give idle weapons that can hit something a target (F cannot rise); p = 0 stays idle."""
    out = assignment.copy()
    for i in np.flatnonzero((out < 0) & (p.max(axis=1, initial=0.0) > 0.0)):
        worth = p[i] * v
        out[i] = int(np.argmax(worth)) if worth.max() > 0.0 else int(np.argmax(p[i]))
    return out


def greedy(p: FloatArray, v: FloatArray) -> IntArray:
    """Maximum marginal return: repeatedly take the pair that removes the most value."""
    n_weapons, n_targets = p.shape
    assignment = np.full(n_weapons, -1, dtype=np.int64)
    q = np.ones(n_targets)
    gain = v[None, :] * p
    free = np.ones(n_weapons, dtype=bool)
    for _ in range(n_weapons):
        flat = int(np.argmax(gain))
        i, j = divmod(flat, n_targets)
        if gain[i, j] <= 0.0:
            break
        assignment[i] = j
        q[j] *= 1.0 - p[i, j]
        free[i] = False
        gain[i, :] = -1.0
        gain[free, j] = v[j] * q[j] * p[free, j]
    return assignment


def survival_without_own(p: FloatArray, assignment: IntArray) -> FloatArray:
    """For each assigned weapon, its target's survival with that weapon removed.

    Computed from zero counts and products of non-zero factors, so ``p = 1`` is exact.
    """
    n_targets = p.shape[1]
    used = np.flatnonzero(assignment >= 0)
    tgt = assignment[used]
    keep = 1.0 - p[used, tgt]
    zeros = np.zeros(n_targets, dtype=np.int64)
    np.add.at(zeros, tgt, keep == 0.0)
    prod = np.ones(n_targets)
    np.multiply.at(prod, tgt, np.where(keep == 0.0, 1.0, keep))
    own_zero = keep == 0.0
    others_zero = zeros[tgt] - own_zero
    safe_keep = np.where(own_zero, 1.0, keep)
    result = np.zeros(p.shape[0])
    result[used] = np.where(others_zero > 0, 0.0, prod[tgt] / safe_keep)
    return result


def local_search(p: FloatArray, v: FloatArray, assignment: IntArray, deadline: float) -> IntArray:
    """Best-improvement local search over single moves and pairwise swaps."""
    a = assignment.copy()
    n_weapons = p.shape[0]
    rows = np.arange(n_weapons)
    value = float(v @ survival(p, a))
    while time.perf_counter() < deadline:
        q = survival(p, a)
        used = a >= 0
        own = np.where(used, a, 0)
        p_own = np.where(used, p[rows, own], 0.0)
        base = np.where(used, v[own] * survival_without_own(p, a), 0.0)
        # Move weapon i to target k: surviving value changes by base_i p_own_i - v_k q_k p_ik.
        move = (base * p_own)[:, None] - v[None, :] * q[None, :] * p
        move[rows[used], a[used]] = np.inf
        best_move = int(np.argmin(move))
        best = float(move.flat[best_move])
        best_swap: tuple[int, int] | None = None
        idx = np.flatnonzero(used)
        if idx.size > 1:
            # Swap targets of i and l (different targets): M[i, l] + M[l, i].
            at = p[np.ix_(idx, a[idx])]  # at[l, i] = p[l, a_i]
            m = base[idx][:, None] * (p_own[idx][:, None] - at.T)
            swap = m + m.T
            swap[a[idx][:, None] == a[idx][None, :]] = np.inf
            flat = int(np.argmin(swap))
            if swap.flat[flat] < best:
                best = float(swap.flat[flat])
                r, c = divmod(flat, idx.size)
                best_swap = (int(idx[r]), int(idx[c]))
        if best >= -1e-12 * max(value, 1e-300):
            break
        trial = a.copy()
        if best_swap is None:
            i, k = divmod(best_move, p.shape[1])
            trial[i] = k
        else:
            i, l_ = best_swap
            trial[i], trial[l_] = a[l_], a[i]
        trial_value = float(v @ survival(p, trial))
        if trial_value >= value:  # rounding made a non-move look improving
            break
        a, value = trial, trial_value
    return a


def lap_rounds(p: FloatArray, v: FloatArray, deadline: float = np.inf) -> IntArray:
    """Construction by rounds of linear assignment: each round gives each target one weapon.

    Stops at ``deadline``; weapons not placed by then stay idle (``-1``).
    """
    assignment = np.full(p.shape[0], -1, dtype=np.int64)
    q = np.ones(p.shape[1])
    free = np.arange(p.shape[0])
    while free.size and time.perf_counter() < deadline:
        gain = v[None, :] * q[None, :] * p[free]
        r, c = linear_sum_assignment(gain, maximize=True)
        ok = gain[r, c] > 0.0
        if not ok.any():
            break
        assignment[free[r[ok]]] = c[ok]
        np.multiply.at(q, c[ok], 1.0 - p[free[r[ok]], c[ok]])
        free = np.setdiff1d(free, free[r[ok]])
    return assignment


def reassign(p: FloatArray, v: FloatArray, a: IntArray, pick: int, keep: int) -> IntArray:
    """Lift a set S holding at most one weapon per target and re-place S optimally.

    S takes the ``pick``-th weapon (cyclically) of every target except ``keep``,
    plus idle weapons. With the others fixed and at most one weapon of S per
    target the surviving value is linear in S's placement, so a linear
    assignment finds the best re-placement exactly (the old one is feasible).
    """
    used = np.flatnonzero(a >= 0)
    order = used[np.argsort(a[used], kind="stable")]
    tgt = a[order]
    rank = np.arange(order.size) - np.searchsorted(tgt, tgt, side="left")
    counts = np.bincount(tgt, minlength=p.shape[1])
    lifted = order[(rank == pick % counts[tgt]) & (tgt != keep)]
    lifted = np.concatenate([lifted, np.flatnonzero(a < 0)])[: p.shape[1]]
    rest = a.copy()
    rest[lifted] = -1
    gain = v[None, :] * survival(p, rest)[None, :] * p[lifted]
    r, c = linear_sum_assignment(gain, maximize=True)
    rest[lifted[r]] = c
    return rest


def improve(p: FloatArray, v: FloatArray, start: IntArray, deadline: float) -> IntArray:
    """Alternate local search and assignment-based re-placements until neither helps."""
    a = local_search(p, v, start, deadline)
    value = float(v @ survival(p, a))
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        occupied = np.unique(a[a >= 0])
        if occupied.size == 0:
            break
        passes = [(k, -1) for k in range(int(np.bincount(a[a >= 0]).max()))]
        if p.shape[1] <= _KEEP_PASS_MAX_TARGETS:
            passes += [(0, int(j)) for j in occupied]
        for pick, keep in passes:
            if time.perf_counter() >= deadline:
                break
            trial = reassign(p, v, a, pick, keep)
            if float(v @ survival(p, trial)) < value * (1.0 - 1e-12):
                a = local_search(p, v, trial, deadline)
                value, improved = float(v @ survival(p, a)), True
    return a


_KEEP_PASS_MAX_TARGETS = 60
"""Above this many targets the one-target-kept passes (J linear assignments each) are skipped."""

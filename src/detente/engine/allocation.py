"""The static weapon-target assignment (WTA) problem: a fast heuristic and an exact solver.

Weapon ``i`` fired at target ``j`` destroys it with probability ``p[i, j]``,
independently of other weapons; each weapon is fired at most once. The
problem is to minimise the expected surviving value

    F(x) = sum_j v_j * prod_i (1 - p[i, j]) ** x[i, j].

Adding a weapon never raises F (every factor is at most 1), so using every
weapon is optimal; a weapon with ``p = 0`` against every target is left
unassigned (``-1``), and weapons whose every marginal gain is zero are placed
where they would do the most if anything survived, which does not change F.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from detente.errors import DetenteError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Method = Literal["fast", "greedy", "exact"]


class WTAInputError(DetenteError, ValueError):
    """A weapon-target assignment input has the wrong shape or impossible numbers."""


@dataclass(frozen=True)
class WTASolution:
    """A weapon-target assignment and how good it is.

    ``assignment[i]`` is the target index of weapon ``i`` (``-1``: unused).
    ``surviving_value`` is recomputed from the assignment. ``lower_bound`` is a
    proven bound on the optimum (``None`` when none was computed) and ``gap``
    the proven relative gap ``(surviving_value - lower_bound) / surviving_value``.
    ``status`` is ``"optimal"`` (gap within tolerance), ``"heuristic"`` (no
    proof sought) or ``"time_limit"``.
    """

    assignment: IntArray
    surviving_value: float
    lower_bound: float | None
    gap: float | None
    method: str
    status: str
    seconds: float


def _validate(
    kill_prob: npt.ArrayLike, target_value: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Check shapes and ranges; return float copies."""
    p = np.array(kill_prob, dtype=np.float64)
    v = np.array(target_value, dtype=np.float64)
    if p.ndim != 2:
        raise WTAInputError(f"kill_prob must be a 2-D weapons x targets array, got {p.ndim}-D")
    if v.ndim != 1 or v.shape[0] != p.shape[1]:
        raise WTAInputError(
            f"target_value must be 1-D with one value per target ({p.shape[1]}), "
            f"got shape {v.shape}"
        )
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(v))):
        raise WTAInputError("kill_prob and target_value must be finite (found NaN or inf)")
    if p.size and (p.min() < 0.0 or p.max() > 1.0):
        raise WTAInputError(
            f"kill_prob must lie in [0, 1], found values in [{p.min():g}, {p.max():g}]"
        )
    if v.size and v.min() < 0.0:
        raise WTAInputError(f"target_value must be >= 0, found {v.min():g}")
    return p, v


def _survival(p: FloatArray, assignment: IntArray) -> FloatArray:
    """Survival probability of each target under ``assignment``."""
    q = np.ones(p.shape[1])
    used = np.flatnonzero(assignment >= 0)
    np.multiply.at(q, assignment[used], 1.0 - p[used, assignment[used]])
    return q


def surviving_value(
    kill_prob: npt.ArrayLike, target_value: npt.ArrayLike, assignment: npt.ArrayLike
) -> float:
    """Expected surviving value ``sum_j v_j prod_{i: a_i = j} (1 - p[i, j])``.

    Parameters
    ----------
    kill_prob
        ``(weapons, targets)`` kill probabilities.
    target_value
        ``(targets,)`` values.
    assignment
        ``(weapons,)`` target index per weapon, ``-1`` for unused.

    Returns
    -------
    float
        The expected value that survives.
    """
    p, v = _validate(kill_prob, target_value)
    a = np.asarray(assignment, dtype=np.int64)
    if a.shape != (p.shape[0],) or (a.size and (a.min() < -1 or a.max() >= p.shape[1])):
        raise WTAInputError("assignment must hold one target index (or -1) per weapon")
    return float(v @ _survival(p, a))


def _fill_unused(p: FloatArray, v: FloatArray, assignment: IntArray) -> IntArray:
    """Give idle weapons that can hit something a target (F cannot rise); p = 0 stays idle."""
    out = assignment.copy()
    for i in np.flatnonzero((out < 0) & (p.max(axis=1, initial=0.0) > 0.0)):
        worth = p[i] * v
        out[i] = int(np.argmax(worth)) if worth.max() > 0.0 else int(np.argmax(p[i]))
    return out


def _greedy(p: FloatArray, v: FloatArray) -> IntArray:
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


def _survival_without_own(p: FloatArray, assignment: IntArray) -> FloatArray:
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


def _local_search(p: FloatArray, v: FloatArray, assignment: IntArray, deadline: float) -> IntArray:
    """Best-improvement local search over single moves and pairwise swaps."""
    a = assignment.copy()
    n_weapons = p.shape[0]
    rows = np.arange(n_weapons)
    value = float(v @ _survival(p, a))
    while time.perf_counter() < deadline:
        q = _survival(p, a)
        used = a >= 0
        own = np.where(used, a, 0)
        p_own = np.where(used, p[rows, own], 0.0)
        base = np.where(used, v[own] * _survival_without_own(p, a), 0.0)
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
        trial_value = float(v @ _survival(p, trial))
        if trial_value >= value:  # rounding made a non-move look improving
            break
        a, value = trial, trial_value
    return a


def _lap_rounds(p: FloatArray, v: FloatArray) -> IntArray:
    """Construction by rounds of linear assignment: each round gives each target one weapon."""
    assignment = np.full(p.shape[0], -1, dtype=np.int64)
    q = np.ones(p.shape[1])
    free = np.arange(p.shape[0])
    while free.size:
        gain = v[None, :] * q[None, :] * p[free]
        r, c = linear_sum_assignment(gain, maximize=True)
        ok = gain[r, c] > 0.0
        if not ok.any():
            break
        assignment[free[r[ok]]] = c[ok]
        np.multiply.at(q, c[ok], 1.0 - p[free[r[ok]], c[ok]])
        free = np.setdiff1d(free, free[r[ok]])
    return assignment


def _reassign(p: FloatArray, v: FloatArray, a: IntArray, pick: int, keep: int) -> IntArray:
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
    gain = v[None, :] * _survival(p, rest)[None, :] * p[lifted]
    r, c = linear_sum_assignment(gain, maximize=True)
    rest[lifted[r]] = c
    return rest


def _improve(p: FloatArray, v: FloatArray, start: IntArray, deadline: float) -> IntArray:
    """Alternate local search and assignment-based re-placements until neither helps."""
    a = _local_search(p, v, start, deadline)
    value = float(v @ _survival(p, a))
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
            trial = _reassign(p, v, a, pick, keep)
            if float(v @ _survival(p, trial)) < value * (1.0 - 1e-12):
                a = _local_search(p, v, trial, deadline)
                value, improved = float(v @ _survival(p, a)), True
    return a


_KEEP_PASS_MAX_TARGETS = 60
"""Above this many targets the one-target-kept passes (J linear assignments each) are skipped."""


def solve_wta(
    kill_prob: npt.ArrayLike,
    target_value: npt.ArrayLike,
    *,
    method: Method = "fast",
    time_limit_s: float | None = None,
    rel_tol: float = 1e-6,
) -> WTASolution:
    """Assign weapons to targets to minimise the expected surviving value.

    Parameters
    ----------
    kill_prob
        ``(weapons, targets)`` array; ``kill_prob[i, j]`` is the probability that
        weapon ``i`` destroys target ``j``. Values in [0, 1].
    target_value
        ``(targets,)`` non-negative values.
    method
        ``"greedy"``: maximum marginal return. ``"fast"``: from two starts
        (greedy, and rounds of linear assignment), a local search over moves of
        one weapon and swaps of two weapons' targets alternated with exact
        re-placements of one weapon per target by linear assignment, until
        neither improves; the better result is kept. ``"exact"``: outer-approximation MILP on HiGHS,
        started from the fast solution, with a proven bound.
    time_limit_s
        Wall-clock budget for the whole call (``None``: none). On expiry the
        exact method returns its incumbent with status ``"time_limit"``.
    rel_tol
        Relative gap at which the exact method stops.

    Returns
    -------
    WTASolution
        Assignment, recomputed surviving value, bound, gap, status and time.

    Raises
    ------
    WTAInputError
        If shapes or numbers are invalid.
    SolverError
        If HiGHS returns no solution at all.

    Notes
    -----
    Greedy takes, at each step, the (weapon, target) pair that removes the most
    expected value, ``v_j q_j p_ij`` with ``q_j`` the target's current survival
    probability; with identical weapons it is optimal (den Broeder, Ellison &
    Emerling 1959). Its lower bound here is ``None``.

    The exact method groups identical rows of ``kill_prob`` into weapon types
    with integer counts ``x_tj <= n_t`` (removing symmetry), defines
    ``s_j = sum_t x_tj ln(1 - p_tj)`` and minimises ``sum_j z_j`` subject to
    tangent cuts ``z_j >= v_j e^a (1 + s_j - a)``. Because ``v e^s`` is convex
    the cuts underestimate it, so the MILP bound is a valid lower bound on
    the optimum; tangents are added at each MILP solution until the true
    value of the incumbent is within ``rel_tol`` of the bound. ``ln(1 - p)``
    is clipped at ``ln(1e-12)``, which can raise the bound by at most
    ``1e-12 * sum(v)`` when some ``p = 1``.

    References
    ----------
    Manne, A. S. (1958). A target-assignment problem. *Operations Research* 6(3),
    346-351, doi:10.1287/opre.6.3.346.
    den Broeder, G. G., Ellison, R. E. & Emerling, L. (1959). On optimum target
    assignments. *Operations Research* 7(3), 322-326, doi:10.1287/opre.7.3.322.
    Duran, M. A. & Grossmann, I. E. (1986). An outer-approximation algorithm
    for a class of mixed-integer nonlinear programs. *Mathematical
    Programming* 36, 307-339, doi:10.1007/BF02592064.
    Ahuja, R. K., Kumar, A., Jha, K. C. & Orlin, J. B. (2007). Exact and
    heuristic algorithms for the weapon-target assignment problem.
    *Operations Research* 55(6), 1136-1146, doi:10.1287/opre.1070.0440.
    Andersen, A. C., Pavlikov, K. & Toffolo, T. A. M. (2022). Weapon-target
    assignment problem: exact and approximate solution algorithms. *Annals
    of Operations Research*, doi:10.1007/s10479-022-04525-6.

    Examples
    --------
    >>> sol = solve_wta([[0.5, 0.2], [0.5, 0.2]], [10.0, 1.0], method="exact")
    >>> sol.assignment.tolist(), round(sol.surviving_value, 3), sol.status
    ([0, 0], 3.5, 'optimal')
    """
    started = time.perf_counter()
    p, v = _validate(kill_prob, target_value)
    if method not in ("fast", "greedy", "exact"):
        raise WTAInputError(f"method must be 'fast', 'greedy' or 'exact', got {method!r}")
    if time_limit_s is not None and not time_limit_s > 0.0:
        raise WTAInputError(f"time_limit_s must be positive, got {time_limit_s}")
    deadline = started + (np.inf if time_limit_s is None else float(time_limit_s))
    assignment = _greedy(p, v)
    if method != "greedy":
        starts = (assignment, _lap_rounds(p, v))
        found = [_improve(p, v, s, deadline) for s in starts]
        assignment = min(found, key=lambda a: float(v @ _survival(p, a)))
    assignment = _fill_unused(p, v, assignment)
    value = float(v @ _survival(p, assignment))
    bound: float | None = None
    status = "heuristic"
    if method == "exact":
        if p.shape[0] == 0 or not np.any((p > 0.0) & (v[None, :] > 0.0)):
            bound, status = value, "optimal"  # nothing can be destroyed
        else:
            from detente.engine.allocation_exact import solve_exact

            assignment, value, bound, status = solve_exact(p, v, assignment, deadline, rel_tol)
    gap = None if bound is None else max(0.0, (value - bound) / value) if value > 0 else 0.0
    assignment.setflags(write=False)
    return WTASolution(
        assignment=assignment,
        surviving_value=value,
        lower_bound=bound,
        gap=gap,
        method=method,
        status=status,
        seconds=time.perf_counter() - started,
    )

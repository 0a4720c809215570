"""The static weapon-target assignment (WTA) problem: heuristics and an exact solver.

Weapon ``i`` fired at target ``j`` destroys it with probability ``p[i, j]``,
independently of other weapons; each weapon is fired at most once. The
problem is to minimise the expected surviving value

    F(x) = sum_j v_j * prod_i (1 - p[i, j]) ** x[i, j].

Adding a weapon never raises F (every factor is at most 1), so using every
weapon is optimal; a weapon with ``p = 0`` against every target is left
unassigned (``-1``), and weapons whose every marginal gain is zero are placed
where they would do the most if anything survived, which does not change F.

Methods
-------
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
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.engine.allocation.wta_exact import solve_exact
from detente.engine.allocation.wta_heuristic import (
    FloatArray,
    IntArray,
    fill_unused,
    greedy,
    improve,
    lap_rounds,
    survival,
)
from detente.errors import DetenteError

Method = Literal["greedy", "local_search", "exact"]
METHODS: tuple[Method, ...] = ("greedy", "local_search", "exact")


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
    return float(v @ survival(p, a))


def _check_method(method: str, time_limit_s: float | None) -> None:
    if method not in METHODS:
        raise WTAInputError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if time_limit_s is not None and not (np.isfinite(time_limit_s) and time_limit_s > 0.0):
        raise WTAInputError(
            f"time_limit_s must be a positive number of seconds, got {time_limit_s}"
        )


def _heuristic(p: FloatArray, v: FloatArray, method: str, deadline: float) -> IntArray:
    """Greedy, then (unless only greedy was asked for) local search from two starts."""
    if p.size == 0:  # no weapons or no targets: nothing to assign
        return np.full(p.shape[0], -1, dtype=np.int64)
    assignment = greedy(p, v)
    if method != "greedy":
        starts = (assignment, lap_rounds(p, v, deadline))
        found = [improve(p, v, s, deadline) for s in starts]
        assignment = min(found, key=lambda a: float(v @ survival(p, a)))
    return fill_unused(p, v, assignment)


def solve_wta(
    kill_prob: npt.ArrayLike,
    target_value: npt.ArrayLike,
    *,
    method: Method = "local_search",
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
        ``"greedy"``: maximum marginal return. ``"local_search"``: from two starts
        (greedy, and rounds of linear assignment), a local search over moves of
        one weapon and swaps of two weapons' targets alternated with exact
        re-placements of one weapon per target by linear assignment, until
        neither improves; the better result is kept. ``"exact"``: outer-approximation MILP on HiGHS,
        started from the local-search solution, with a proven bound.
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
    The methods, their guarantees and references are in this module's
    docstring and ``docs/methodology-physics.md``.

    Examples
    --------
    >>> sol = solve_wta([[0.5, 0.2], [0.5, 0.2]], [10.0, 1.0], method="exact")
    >>> sol.assignment.tolist(), round(sol.surviving_value, 3), sol.status
    ([0, 0], 3.5, 'optimal')
    """
    started = time.perf_counter()
    p, v = _validate(kill_prob, target_value)
    _check_method(method, time_limit_s)
    deadline = started + (np.inf if time_limit_s is None else float(time_limit_s))
    assignment = _heuristic(p, v, method, deadline)
    value = float(v @ survival(p, assignment))
    bound: float | None = None
    status = "heuristic"
    if method == "exact":
        if p.size == 0 or not np.any((p > 0.0) & (v[None, :] > 0.0)):
            bound, status = value, "optimal"  # nothing can be destroyed
        else:
            assignment, value, bound, status = solve_exact(p, v, assignment, deadline, rel_tol)
    if bound is not None and not np.isfinite(bound):
        bound = None  # the time ran out before the solver proved any bound
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

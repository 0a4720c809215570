"""Weapon-target allocation in aggregated form: weapon types x classes of aim points.

An exchange has a few dozen weapon types, each with hundreds of identical
warheads, against a dozen classes of identical aim points (silos, garrisons,
ports, bases). Each class ``j`` has ``n_j`` aim points, each worth ``w_j``
(the retaliatory warheads it houses); a weapon of type ``i`` kills an aim
point with probability ``p_ij``; at most ``S`` weapons go to one aim point.

Two solvers sit behind one signature:

- :func:`allocate_greedy_layers` — maximum marginal return over *layers*: a layer puts
  one more weapon on every aim point of a class, possibly mixing types within
  the layer (a share ``phi_ij`` of the aim points gets type ``i``). Under a
  random matching of types to aim points within each layer the expected
  surviving share is exactly ``prod_layers (1 - sum_i phi_ij p_ij)``. Greedy
  steps are vectorised over the batch axis.
- :func:`allocate_exact_patterns` — an integer programme over *shot patterns*: for
  each class, how many aim points receive each multiset of at most ``S``
  weapon types; objective and constraints are linear in the pattern counts, so
  HiGHS solves the problem exactly (one batch row at a time).

References
----------
den Broeder, G. G., Ellison, R. E. & Emerling, L. (1959). On optimum target
assignments. *Operations Research* 7(3), 322-326 (maximum marginal return).
Manne, A. S. (1958). A target-assignment problem. *Operations Research* 6(3),
346-351 (integer programming form of the allocation).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.engine.allocation.highs import new_highs
from detente.errors import AllocationTooLargeError, SolverError

ClassMethod = Literal["greedy", "exact"]
Shots = int | npt.NDArray[np.int64]
"""Most weapons per aim point: one number, or one per batch row."""
"""How the exchange allocates: greedy layers or the exact pattern MILP."""

MAX_PATTERN_COLUMNS = 200_000
"""Most integer columns the exact pattern MILP builds for one batch row.

A class with ``u`` useful weapon types and at most ``S`` shots per aim point has
``C(u + S, S) - 1`` patterns; beyond this many the programme would take minutes
and gigabytes, so the exact allocator refuses and names the way out."""

EXACT_TIME_LIMIT_S = 30.0
"""Default time limit of the exact pattern MILP per batch row (the gap is reported)."""

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-9


@dataclass(frozen=True)
class Allocation:
    """Result of an aggregated allocation (arrays carry a leading batch axis ``B``)."""

    shots: FloatArray
    """(B, I, J) weapons of type i aimed at class j."""
    survival: FloatArray
    """(B, J) expected surviving share of the aim points of class j."""
    destroyed_value: FloatArray
    """(B,) expected value destroyed, ``sum_j n_j w_j (1 - survival_j)``."""
    gap: float = 0.0
    """Proven relative optimality gap (exact solver); 0 for the fast solver."""


def _check(
    kill: FloatArray, weapons: FloatArray, aim_points: FloatArray, value: FloatArray
) -> None:
    if kill.ndim != 3:
        raise ValueError(f"kill must be (batch, types, classes), got shape {kill.shape}")
    b, i, j = kill.shape
    if weapons.shape != (b, i) or aim_points.shape != (b, j) or value.shape != (b, j):
        raise ValueError(
            f"shapes disagree: kill {kill.shape}, weapons {weapons.shape}, "
            f"aim_points {aim_points.shape}, value {value.shape}"
        )


@dataclass
class _GreedyState:
    """The rows of a greedy allocation still placing weapons, and where each came from.

    Every step is row by row (an argmax per row, updates of that row only), and a
    row with no gain left makes no further change; so dropping finished rows from
    the working arrays changes no number, it only stops paying for them.
    """

    rows_of: npt.NDArray[np.int64]
    kill: FloatArray
    aim_points: FloatArray
    safe_points: FloatArray
    worth: FloatArray
    cap: npt.NDArray[np.int64]
    remaining: FloatArray
    shots: FloatArray
    survival: FloatArray
    open_fill: FloatArray
    open_kill: FloatArray
    layers: npt.NDArray[np.int64]
    done_shots: FloatArray
    done_survival: FloatArray
    done_open_kill: FloatArray

    @classmethod
    def start(
        cls,
        kill: FloatArray,
        weapons: FloatArray,
        aim_points: FloatArray,
        value: FloatArray,
        max_shots: Shots,
    ) -> _GreedyState:
        nb, _, nj = kill.shape
        return cls(
            rows_of=np.arange(nb),
            kill=kill,
            aim_points=aim_points,
            safe_points=np.where(aim_points > _EPS, aim_points, 1.0),
            worth=np.where(aim_points > _EPS, value, 0.0),
            cap=np.broadcast_to(np.asarray(max_shots, dtype=np.int64), (nb,))[:, None],
            remaining=weapons.astype(np.float64).copy(),
            shots=np.zeros_like(kill),
            survival=np.ones((nb, nj)),
            open_fill=np.zeros((nb, nj)),
            open_kill=np.zeros((nb, nj)),
            layers=np.zeros((nb, nj), dtype=np.int64),
            done_shots=np.zeros_like(kill),
            done_survival=np.ones((nb, nj)),
            done_open_kill=np.zeros((nb, nj)),
        )

    def step(self) -> npt.NDArray[np.bool_]:
        """One greedy step on every working row; which rows placed weapons."""
        nb, ni, nj = self.kill.shape
        rows = np.arange(nb)
        # gain per weapon of one more shot of type i at class j: w_j q_j p_ij
        gain = self.kill * (self.worth * self.survival * (self.layers < self.cap))[:, None, :]
        gain *= (self.remaining > _EPS)[:, :, None]
        flat_gain = gain.reshape(nb, ni * nj)
        flat = flat_gain.argmax(axis=1)
        best_gain = flat_gain[rows, flat]
        live: npt.NDArray[np.bool_] = np.asarray(best_gain > _EPS, dtype=bool)
        if not live.any():
            return live
        best_i, best_j = np.divmod(flat, nj)
        slots = (1.0 - self.open_fill[rows, best_j]) * self.aim_points[rows, best_j]
        amount = np.where(live, np.minimum(self.remaining[rows, best_i], slots), 0.0)
        self.shots[rows, best_i, best_j] += amount
        self.remaining[rows, best_i] -= amount
        share = amount / self.safe_points[rows, best_j]
        self.open_fill[rows, best_j] += share
        self.open_kill[rows, best_j] += share * self.kill.reshape(nb, ni * nj)[rows, flat]
        done = live & (self.open_fill[rows, best_j] >= 1.0 - 1e-12)
        if done.any():
            dr, dj = rows[done], best_j[done]
            self.survival[dr, dj] *= 1.0 - self.open_kill[dr, dj]
            self.open_fill[dr, dj] = 0.0
            self.open_kill[dr, dj] = 0.0
            self.layers[dr, dj] += 1
        return live

    def keep(self, live: npt.NDArray[np.bool_]) -> _GreedyState:
        """The working rows in ``live``; the others' results set aside."""
        gone = self.rows_of[~live]
        self.done_shots[gone] = self.shots[~live]
        self.done_survival[gone] = self.survival[~live]
        self.done_open_kill[gone] = self.open_kill[~live]
        return _GreedyState(
            self.rows_of[live],
            self.kill[live],
            self.aim_points[live],
            self.safe_points[live],
            self.worth[live],
            self.cap[live],
            self.remaining[live],
            self.shots[live],
            self.survival[live],
            self.open_fill[live],
            self.open_kill[live],
            self.layers[live],
            self.done_shots,
            self.done_survival,
            self.done_open_kill,
        )

    def finish(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(shots, survival, open kill) of every row, in the original order."""
        self.done_shots[self.rows_of] = self.shots
        self.done_survival[self.rows_of] = self.survival
        self.done_open_kill[self.rows_of] = self.open_kill
        return self.done_shots, self.done_survival, self.done_open_kill


def allocate_greedy_layers(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: Shots,
) -> Allocation:
    """Greedy layered allocation (maximum marginal return), vectorised over the batch.

    Parameters
    ----------
    kill
        (B, I, J) kill probability of one weapon of type i on one aim point of class j.
    weapons
        (B, I) weapons of each type available (may be fractional expectations).
    aim_points
        (B, J) aim points per class (may be fractional).
    value
        (B, J) value of one aim point (e.g. warheads it houses).
    max_shots
        Most weapons aimed at one aim point (one number, or one per row).

    Returns
    -------
    Allocation
        Shots, expected survival per class and expected value destroyed.
    """
    _check(kill, weapons, aim_points, value)
    kill = np.ascontiguousarray(kill, dtype=np.float64)
    _, ni, nj = kill.shape
    state = _GreedyState.start(kill, weapons, aim_points, value, max_shots)
    for _ in range(ni + nj * int(state.cap.max(initial=0)) + 1):
        live = state.step()
        if not live.any():
            break
        if live.sum() < 0.75 * live.size:  # rows that stop never move again: drop them
            state = state.keep(live)
    shots, survival, open_kill = state.finish()
    worth = np.where(aim_points > _EPS, value, 0.0)
    final = survival * (1.0 - open_kill)
    destroyed = (aim_points * worth * (1.0 - final)).sum(axis=1)
    return Allocation(shots=shots, survival=final, destroyed_value=destroyed)


def _patterns(useful: list[int], max_shots: int) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for k in range(1, max_shots + 1):
        out.extend(itertools.combinations_with_replacement(useful, k))
    return out


def _check_pattern_count(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    caps: npt.NDArray[np.int64],
) -> None:
    """Refuse a programme too large to solve before building any of it."""
    for b in range(kill.shape[0]):
        live = (aim_points[b] >= 1.0 - _EPS) & (value[b] > 0)
        armed = weapons[b] >= 1.0 - _EPS
        useful = ((kill[b] > 0) & armed[:, None] & live[None, :]).sum(axis=0)
        max_shots = int(caps[b])
        total = sum(math.comb(int(u) + max_shots, max_shots) - 1 for u in useful)
        if total > MAX_PATTERN_COLUMNS:
            raise AllocationTooLargeError(
                f"the exact allocator would build {total:,} shot patterns "
                f"({int(useful.max())} weapon types on one class, up to {max_shots} shots per "
                f"aim point; the limit is {MAX_PATTERN_COLUMNS:,}); lower "
                "exchange.max_shots_per_aim_point or use exchange.allocator: greedy"
            )


def allocate_classes(
    method: ClassMethod,
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: Shots,
) -> Allocation:
    """Allocate with ``method`` (``"greedy"`` or ``"exact"``); arguments as in the solvers."""
    if method == "exact":
        return allocate_exact_patterns(kill, weapons, aim_points, value, max_shots)
    return allocate_greedy_layers(kill, weapons, aim_points, value, max_shots)


Column = tuple[int, tuple[int, ...], float]
"""(class, pattern of weapon types, kill probability of the pattern)."""


def _pattern_columns(
    kill: FloatArray, weapons: FloatArray, aim_points: FloatArray, value: FloatArray, max_shots: int
) -> list[Column]:
    """Every pattern worth a column, for one batch row."""
    ni, nj = kill.shape
    columns: list[Column] = []
    for j in range(nj):
        if aim_points[j] < 1.0 - _EPS or value[j] <= 0:
            continue
        useful = [i for i in range(ni) if kill[i, j] > 0 and weapons[i] >= 1.0 - _EPS]
        for pat in _patterns(useful, max_shots):
            pk = 1.0 - float(np.prod([1.0 - kill[i, j] for i in pat]))
            columns.append((j, pat, pk))
    return columns


def _solve_patterns(
    columns: list[Column],
    aim_points: FloatArray,
    weapons: FloatArray,
    value: FloatArray,
    time_limit_s: float,
) -> tuple[FloatArray, float]:
    """Pattern counts maximising value destroyed (HiGHS), and the proven gap."""
    import highspy

    nj = aim_points.shape[0]
    h = new_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    inf = highspy.kHighsInf
    for upper in (*aim_points, *weapons):  # classes, then weapon types
        h.addRow(-inf, float(np.floor(upper + 1e-9)), 0, np.array([], dtype=np.int32), np.array([]))
    for j, pat, pk in columns:
        kinds = sorted(set(pat))
        rows_idx = [j] + [nj + i for i in kinds]
        coefs = [1.0] + [float(pat.count(i)) for i in kinds]
        h.addCol(
            -value[j] * pk,
            0.0,
            inf,
            len(rows_idx),
            np.array(rows_idx, dtype=np.int32),
            np.array(coefs),
        )
    h.changeColsIntegrality(
        len(columns),
        np.arange(len(columns), dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * len(columns)),
    )
    h.run()
    status = h.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        raise SolverError(f"HiGHS returned {h.modelStatusToString(status)}")
    gap = float(h.getInfo().mip_gap)
    return np.asarray(h.getSolution().col_value), gap if np.isfinite(gap) else 1.0


def allocate_exact_patterns(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: Shots,
    *,
    time_limit_s: float | None = None,
) -> Allocation:
    """Exact allocation by an integer programme over shot patterns (HiGHS).

    For class ``j`` and pattern ``P`` (a multiset of at most ``S`` weapon
    types) the integer variable ``z_jP`` counts aim points receiving exactly
    ``P``. Maximise ``sum_jP w_j (1 - prod_{i in P} (1 - p_ij)) z_jP`` subject
    to ``sum_P z_jP <= n_j`` and ``sum_jP mult_i(P) z_jP <= c_i``. The kill of a
    pattern is a constant, so the programme is linear and its optimum exact
    (for whole aim points; fractional ``n_j`` are floored by integrality).

    Parameters
    ----------
    kill, weapons, aim_points, value, max_shots
        As in :func:`allocate_greedy_layers`.
    time_limit_s
        Time limit per batch row (default :data:`EXACT_TIME_LIMIT_S`); the
        proven gap is reported.

    Raises
    ------
    AllocationTooLargeError
        If a row would need more than :data:`MAX_PATTERN_COLUMNS` patterns.

    Returns
    -------
    Allocation
        Shots, expected survival and value destroyed, with the worst proven gap.
    """
    _check(kill, weapons, aim_points, value)
    nb, _, nj = kill.shape
    shots = np.zeros_like(kill)
    survival = np.ones((nb, nj))
    destroyed = np.zeros(nb)
    worst_gap = 0.0
    caps = np.broadcast_to(np.asarray(max_shots, dtype=np.int64), (nb,))
    _check_pattern_count(kill, weapons, aim_points, value, caps)
    limit = EXACT_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    for b in range(nb):
        columns = _pattern_columns(kill[b], weapons[b], aim_points[b], value[b], int(caps[b]))
        if not columns:
            continue
        z, gap = _solve_patterns(columns, aim_points[b], weapons[b], value[b], limit)
        worst_gap = max(worst_gap, gap)
        kill_sum = np.zeros(nj)
        for (j, pat, pk), count in zip(columns, z, strict=True):
            if count <= 0.5:
                continue
            count = round(count)
            kill_sum[j] += count * pk
            for i in pat:
                shots[b, i, j] += count
        points = np.where(aim_points[b] > 0, aim_points[b], 1.0)
        survival[b] = 1.0 - kill_sum / points
        destroyed[b] = float((value[b] * kill_sum).sum())
    return Allocation(shots=shots, survival=survival, destroyed_value=destroyed, gap=worst_gap)

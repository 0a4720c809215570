"""Exact weapon-target assignment by outer approximation on HiGHS (see ``solve_wta``)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.engine.allocation.highs import new_highs
from detente.engine.allocation.wta_heuristic import FloatArray, IntArray, fill_unused, survival
from detente.errors import SolverError

_MIN_SURVIVAL = 1e-12
"""``ln(1 - p)`` is clipped at ``ln(1e-12)`` so that ``p = 1`` stays finite in the MILP."""


class _OuterApproximation:
    """MILP over weapon types whose objective is cut from below by tangents of v e^s."""

    def __init__(self, p: FloatArray, v: FloatArray) -> None:
        import highspy

        self.types, inverse, counts = np.unique(p, axis=0, return_inverse=True, return_counts=True)
        self.inverse = inverse.reshape(-1)
        self.counts = counts.astype(np.float64)
        self.v = v
        self.log_q = np.log(np.maximum(1.0 - self.types, _MIN_SURVIVAL))
        n_types, n_targets = self.types.shape
        self.active = np.flatnonzero(v > 0.0)  # targets worth anything
        pair_t, pair_j = np.nonzero((self.types > 0.0) & (v[None, :] > 0.0))
        self.pair_t, self.pair_j = pair_t, pair_j
        n_x, n_a = pair_t.size, self.active.size
        self.n_x, self.n_a = n_x, n_a
        self.col_of_target = np.full(n_targets, -1, dtype=np.int64)
        self.col_of_target[self.active] = np.arange(n_a)
        s_low = np.zeros(n_a)
        np.add.at(s_low, self.col_of_target[pair_j], self.log_q[pair_t, pair_j] * counts[pair_t])
        h = new_highs()
        self.h: Any = h
        inf = highspy.kHighsInf
        cost = np.concatenate([np.zeros(n_x + n_a), np.ones(n_a)])
        lower = np.concatenate([np.zeros(n_x), s_low, np.zeros(n_a)])
        upper = np.concatenate([counts[pair_t].astype(np.float64), np.zeros(n_a), v[self.active]])
        n_col = n_x + 2 * n_a
        empty = np.zeros(n_col, dtype=np.int32)
        h.addCols(n_col, cost, lower, upper, 0, empty, empty[:0], np.zeros(0))
        kind = highspy.HighsVarType.kInteger
        h.changeColsIntegrality(n_x, np.arange(n_x, dtype=np.int32), np.array([kind] * n_x))
        # Capacity: sum_j x_tj <= count_t.
        order = np.argsort(pair_t, kind="stable")
        starts = np.searchsorted(pair_t[order], np.arange(n_types)).astype(np.int32)
        h.addRows(
            n_types,
            np.full(n_types, -inf),
            self.counts,
            n_x,
            starts,
            order.astype(np.int32),
            np.ones(n_x),
        )
        # Definition: s_j - sum_t ln(1 - p_tj) x_tj = 0.
        order = np.argsort(pair_j, kind="stable")
        rows_j = self.col_of_target[pair_j[order]]
        indices, values, starts_l = [], [], []
        pos = 0
        for r in range(n_a):
            sel = order[rows_j == r]
            starts_l.append(pos)
            indices.append(np.append(sel, n_x + r))
            values.append(np.append(-self.log_q[pair_t[sel], pair_j[sel]], 1.0))
            pos += sel.size + 1
        h.addRows(
            n_a,
            np.zeros(n_a),
            np.zeros(n_a),
            pos,
            np.array(starts_l, dtype=np.int32),
            np.concatenate(indices).astype(np.int32),
            np.concatenate(values),
        )
        h.setOptionValue("mip_rel_gap", 1e-8)
        h.setOptionValue("mip_abs_gap", 1e-10)

    def add_tangents(self, s: FloatArray, rows: npt.NDArray[np.int64]) -> None:
        """Add ``z_r >= v_r e^a (1 + s_r - a)`` at ``a = s[r]`` for each active index ``r``."""
        if rows.size == 0:
            return
        slope = self.v[self.active[rows]] * np.exp(s[rows])
        n = rows.size
        idx = np.empty(2 * n, dtype=np.int32)
        idx[0::2] = self.n_x + rows
        idx[1::2] = self.n_x + self.n_a + rows
        val = np.empty(2 * n)
        val[0::2] = -slope
        val[1::2] = 1.0
        inf = float(self.h.getInfinity())
        self.h.addRows(
            n,
            slope * (1.0 - s[rows]),
            np.full(n, inf),
            2 * n,
            np.arange(0, 2 * n, 2, dtype=np.int32),
            idx,
            val,
        )

    def s_of(self, counts: FloatArray) -> FloatArray:
        """Log-survival of each active target for per-pair counts."""
        s = np.zeros(self.n_a)
        np.add.at(s, self.col_of_target[self.pair_j], self.log_q[self.pair_t, self.pair_j] * counts)
        return s

    def pair_counts(self, assignment: IntArray) -> FloatArray:
        """Per-pair unit counts of a per-weapon assignment."""
        table = np.zeros(self.types.shape)
        used = assignment >= 0
        np.add.at(table, (self.inverse[used], assignment[used]), 1.0)
        return np.asarray(table[self.pair_t, self.pair_j], dtype=np.float64)

    def assignment_of(self, pair_counts: FloatArray) -> IntArray:
        """Spread per-pair counts over the individual weapons of each type."""
        out = np.full(self.inverse.size, -1, dtype=np.int64)
        units = np.round(pair_counts).astype(np.int64)
        for t in range(self.types.shape[0]):
            members = np.flatnonzero(self.inverse == t)
            sel = self.pair_t == t
            targets = np.repeat(self.pair_j[sel], units[sel])[: members.size]
            out[members[: targets.size]] = targets
        return out

    def solve(self, start: IntArray, time_left: float) -> tuple[FloatArray, float, bool]:
        """Solve the current MILP from ``start``; return pair counts, dual bound, finished."""
        counts = self.pair_counts(start)
        s = self.s_of(counts)
        z = self.v[self.active] * np.exp(s)
        col = np.concatenate([counts, s, z])
        self.h.setSolution(col.size, np.arange(col.size, dtype=np.int32), col)
        self.h.setOptionValue("time_limit", max(time_left, 1e-3))
        self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        info = self.h.getInfo()
        values = np.asarray(self.h.getSolution().col_value, dtype=np.float64)
        if values.size < self.n_x:
            raise SolverError(f"HiGHS returned no solution (status: {status})")
        return values[: self.n_x], float(info.mip_dual_bound), status == "Optimal"


def solve_exact(
    p: FloatArray, v: FloatArray, start: IntArray, deadline: float, rel_tol: float
) -> tuple[IntArray, float, float, str]:
    """Outer approximation: solve, add tangents where the MILP underestimates, repeat.

    Returns the best assignment, its value, a proven lower bound and a status.
    """
    oa = _OuterApproximation(p, v)
    best, best_value = start, float(v @ survival(p, start))
    counts = oa.pair_counts(start)
    # Seed tangents at the start and at 0..3 of each target's best units.
    oa.add_tangents(oa.s_of(counts), np.arange(oa.n_a))
    sorted_log = np.sort(
        np.repeat(oa.log_q, oa.counts.astype(np.int64), axis=0)[:, oa.active], axis=0
    )
    for k in range(min(4, sorted_log.shape[0] + 1)):
        oa.add_tangents(sorted_log[:k].sum(axis=0), np.arange(oa.n_a))
    bound, status = -np.inf, "time_limit"
    for _ in range(10_000):
        left = deadline - time.perf_counter()
        if left <= 0.0:
            break
        pair, dual, finished = oa.solve(best, left)
        bound = max(bound, dual)
        candidate = fill_unused(p, v, oa.assignment_of(pair))
        value = float(v @ survival(p, candidate))
        if value < best_value:
            best, best_value = candidate, value
        if best_value - bound <= rel_tol * max(best_value, 1e-300):
            status = "optimal"
            break
        if not finished:
            break
        s = oa.s_of(np.round(pair))
        z = oa.h.getSolution().col_value[oa.n_x + oa.n_a :]
        gap_rows = oa.v[oa.active] * np.exp(s) - np.asarray(z)
        rows = np.flatnonzero(gap_rows > 1e-9 * max(best_value, 1e-300))
        if rows.size == 0:  # the MILP is exact at its optimum, so its bound is the optimum
            bound = max(bound, value)
            status = "optimal" if best_value - bound <= rel_tol * best_value else "stalled"
            break
        oa.add_tangents(s, rows)
    return best, best_value, min(bound, best_value), status

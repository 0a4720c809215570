"""The counterforce strikes an attacker may choose among.

Kent & Thaler's first striker decides how far to take its counterforce attack
and stops where its own cost is lowest. Here each *plan* is one extent of
strike: the share of each ready, time-urgent nuclear system committed to
counterforce (the rest is held for the later strike on value) and the most
warheads aimed at one aim point; within a plan the allocator chooses the
classes struck, by marginal return. The engine evaluates every plan of every
row; which plan the attacker takes is a matter of its cost, decided through
:mod:`detente.engine.choice`. A fixed doctrine is one plan of the same kind, so
a striker that chooses does at least as well for itself as any fixed doctrine
on the grid.

References
----------
Kent, G. A. & Thaler, D. E. (1989). *First-Strike Stability: A Methodology for
Evaluating Strategic Forces*. RAND R-3765-AF, p. 22 (the stop rule) and p. 34
(the striker uses all of its fixed and 90% of its survivable forces), as read in
a public re-implementation; see ``docs/methodology.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.model.scenario import CHOSEN_MAX_SHOTS, ExchangeSettings

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class StrikePlans:
    """Candidate strikes, as arrays of one length ``K`` (or ``(B, K)``, one set per row)."""

    share: FloatArray
    """Share of each ready, time-urgent nuclear system committed to counterforce."""
    max_shots: IntArray
    """Most warheads per military aim point."""

    @property
    def size(self) -> int:
        """Plans per row."""
        return int(self.share.shape[-1])

    def take(self, rows: IntArray) -> StrikePlans:
        """The plans of the given rows (per-row plans only)."""
        return StrikePlans(self.share[rows], self.max_shots[rows])

    def for_rows(self, n: int) -> tuple[FloatArray, IntArray]:
        """(share, max_shots) flattened for ``n`` rows, plans varying fastest."""
        share = np.broadcast_to(self.share, (n, self.size)).reshape(-1)
        shots = np.broadcast_to(self.max_shots, (n, self.size)).reshape(-1)
        return np.asarray(share, dtype=np.float64), np.asarray(shots, dtype=np.int64)


def strike_plans(settings: ExchangeSettings) -> StrikePlans:
    """The plans the doctrine allows: one under a fixed doctrine, a grid when chosen.

    A fixed doctrine commits ``1 - reserve_fraction`` with at most
    ``max_shots_per_aim_point`` (default two) warheads per aim point. A chosen
    strike tries the shares ``0, 1/n, ..., 1`` (``n = strike_extent_steps``)
    with each limit from one to ``max_shots_per_aim_point`` (default three);
    committing nothing is one plan whatever the limit.
    """
    if settings.reserve_fraction is not None:
        fixed = settings.max_shots_per_aim_point or 2
        return StrikePlans(
            np.array([1.0 - settings.reserve_fraction]), np.array([fixed], dtype=np.int64)
        )
    top = settings.max_shots_per_aim_point or CHOSEN_MAX_SHOTS
    steps = settings.strike_extent_steps
    shares, shots = [0.0], [1]
    for limit in range(1, top + 1):
        for k in range(1, steps + 1):
            shares.append(k / steps)
            shots.append(limit)
    return StrikePlans(np.asarray(shares), np.asarray(shots, dtype=np.int64))


def one_plan(share: npt.ArrayLike, max_shots: npt.ArrayLike) -> StrikePlans:
    """One plan per row (``share`` and ``max_shots`` of shape ``(B,)``)."""
    return StrikePlans(
        np.asarray(share, dtype=np.float64)[:, None],
        np.asarray(max_shots, dtype=np.int64)[:, None],
    )

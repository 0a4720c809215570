"""The attacker's choice among the strikes it could make (Kent & Thaler's stop rule).

The engine evaluates several plans for every row (:mod:`detente.engine.plans`);
the attacker takes the one whose outcome costs it least, and among plans of
equal cost the one that costs the victim most. The cost function is the
stability layer's (:func:`detente.stability.costs.outcome_cost`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.flows import BatchFlows

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Cost = Callable[[FloatArray, FloatArray], FloatArray]
"""``cost(damage_own, damage_other)`` of one side, element-wise."""
TIE = 1e-12
"""Costs closer than this are equal; the victim's cost then decides."""


@dataclass(frozen=True)
class Choice:
    """Which plan each row's attacker takes, and the flows of that plan."""

    plan: IntArray
    """(B,) index of the chosen plan."""
    flows: BatchFlows
    """Flows of the chosen plan, one row per row."""


def choose(flows: BatchFlows, plans: int, cost: Cost) -> Choice:
    """For each row, the plan of least cost to the attacker (ties: most cost to the victim).

    Parameters
    ----------
    flows
        ``B * plans`` rows, plans varying fastest (as :func:`exchange_batch` returns).
    plans
        Plans per row.
    cost
        The attacker's and the victim's cost function of (damage suffered,
        damage inflicted).

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF, p. 22 (the first striker
    ends its counterforce attack where its own cost is lowest; among equal-cost
    points, where the enemy's cost is highest).
    """
    n = flows.size // plans
    own = cost(flows.damage_to_attacker, flows.damage_to_defender).reshape(n, plans)
    theirs = cost(flows.damage_to_defender, flows.damage_to_attacker).reshape(n, plans)
    best = own.min(axis=1, keepdims=True)
    tied = own <= best + TIE
    pick = np.where(tied, theirs, -np.inf).argmax(axis=1)
    rows = np.arange(n) * plans + pick
    return Choice(plan=np.asarray(pick, dtype=np.int64), flows=flows.take(rows))

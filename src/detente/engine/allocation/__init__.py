"""Weapon-target allocation: the aggregated allocator of the exchange and the general WTA solver.

- :mod:`~detente.engine.allocation.classes` allocates weapon *types* to
  *classes* of identical aim points, vectorised over a batch of draws; it is
  what the exchange uses (``exchange.allocator``: ``greedy`` layers by maximum
  marginal return, or the ``exact`` pattern MILP on HiGHS).
- :mod:`~detente.engine.allocation.wta` solves the general static weapon-target
  assignment problem, one weapon and one target at a time (``greedy``,
  ``local_search`` or ``exact``), for literature instances and checks.
"""

from detente.engine.allocation.classes import (
    Allocation,
    allocate_classes,
    allocate_exact_patterns,
    allocate_greedy_layers,
)
from detente.engine.allocation.wta import (
    METHODS,
    Method,
    WTAInputError,
    WTASolution,
    solve_wta,
    surviving_value,
)

__all__ = [
    "METHODS",
    "Allocation",
    "Method",
    "WTAInputError",
    "WTASolution",
    "allocate_classes",
    "allocate_exact_patterns",
    "allocate_greedy_layers",
    "solve_wta",
    "surviving_value",
]

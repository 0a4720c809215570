"""Flows of one exchange direction, per draw and per system, as arrays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BatchFlows:
    """Flows of one exchange direction, per draw (axis 0) and per system (axis 1).

    ``attacker_*`` arrays have one column per attacker system, ``defender_*``
    arrays one per defender system; the per-system identities are those of
    :mod:`detente.engine.results`.
    """

    attacker_total: FloatArray
    attacker_ready: FloatArray
    attacker_counterforce: FloatArray
    attacker_cf_failed: FloatArray
    attacker_cf_intercepted: FloatArray
    attacker_cf_arrived: FloatArray
    attacker_later: FloatArray
    attacker_later_failed: FloatArray
    attacker_later_intercepted: FloatArray
    attacker_later_arrived: FloatArray
    attacker_unused: FloatArray
    attacker_reserved: FloatArray
    """Warheads kept for the parties standing by (part of ``unused``; 0 with two sides)."""
    defender_total: FloatArray
    defender_destroyed: FloatArray
    defender_ready: FloatArray
    """Warheads on alert: ready to launch, at sea, dispersed or on strip alert."""
    defender_ready_destroyed: FloatArray
    defender_launched_on_warning: FloatArray
    defender_survived: FloatArray
    defender_withheld: FloatArray
    defender_failed_c2: FloatArray
    defender_failed_reliability: FloatArray
    defender_intercepted: FloatArray
    defender_arrived: FloatArray
    damage_to_attacker: FloatArray
    damage_to_defender: FloatArray
    retaliation_potential: FloatArray
    """(B,) warheads of the defender that would arrive had nothing been destroyed."""
    damage_potential: FloatArray
    """(B,) damage to the attacker's value had the first strike destroyed nothing."""
    warning_min: FloatArray
    """(B,) shortest warning the defender had of the strike on its silos (inf: none hit)."""
    strike_share: FloatArray
    """(B,) share of its ready force the attacker committed to counterforce (its plan)."""
    strike_shots: FloatArray
    """(B,) most warheads per aim point of the attacker's plan."""
    gap: float
    """Worst proven optimality gap of the allocations (0 for the greedy allocator)."""

    @property
    def size(self) -> int:
        """Number of draws."""
        return int(self.damage_to_attacker.shape[0])

    def take(self, rows: npt.NDArray[np.int64]) -> BatchFlows:
        """The given rows (the allocation gap is kept)."""
        arrays = {f.name: getattr(self, f.name)[rows] for f in fields(self) if f.name != "gap"}
        return BatchFlows(**arrays, gap=self.gap)

    @classmethod
    def concat(cls, parts: Sequence[BatchFlows]) -> BatchFlows:
        """Rows of several batches, in order (the worst allocation gap is kept)."""
        if len(parts) == 1:
            return parts[0]
        arrays = {
            f.name: np.concatenate([getattr(p, f.name) for p in parts])
            for f in fields(cls)
            if f.name != "gap"
        }
        return cls(**arrays, gap=max(p.gap for p in parts))

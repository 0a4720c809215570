"""Static measures of each posture: warheads, equivalent megatonnage, CMP, hard-target capability.

The per-warhead formulas are :mod:`detente.physics.measures`; this module sums them
over a posture's deployed nuclear warheads, warhead type by warhead type (Trident II
counts its W76-1, W88 and W76-2 each with its share). Stored warheads and
conventional systems are left out: the measures describe the force ready to be used.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from detente.model.force import System
from detente.model.posture import Posture
from detente.physics.measures import equivalent_megatons, hard_target_capable, lethality_k


@dataclass(frozen=True)
class ForceMeasures:
    """Static measures of a set of deployed nuclear warheads."""

    warheads: float
    """Warheads on deployed launchers."""
    equivalent_megatons: float
    """Sum of each warhead's equivalent megatonnage (Mt)."""
    counter_military_potential: float
    """Sum of each warhead's lethality K (Mt^(2/3) / nmi^2)."""
    hard_target_capable: float
    """Warheads whose single-shot kill probability against 2,000 psi is at least 0.5."""

    @property
    def mean_lethality(self) -> float:
        """Counter-military potential per warhead (0 without warheads)."""
        return self.counter_military_potential / self.warheads if self.warheads else 0.0

    def to_dict(self) -> dict[str, float]:
        """Plain numbers, for JSON."""
        return {**asdict(self), "mean_lethality": self.mean_lethality}


@dataclass(frozen=True)
class PostureMeasures:
    """A posture's static measures, per nuclear system and in total."""

    actor: str
    systems: dict[str, ForceMeasures]
    total: ForceMeasures

    def to_dict(self) -> dict[str, object]:
        """Plain numbers, for JSON."""
        return {
            "actor": self.actor,
            "total": self.total.to_dict(),
            "systems": {k: v.to_dict() for k, v in self.systems.items()},
        }


def system_measures(system: System) -> ForceMeasures:
    """Static measures of one system's deployed warheads (zero for a conventional system)."""
    n = system.warheads_deployed if system.nuclear else 0.0
    emt = cmp = htc = 0.0
    for yield_kt, share in system.warhead_mix:
        warheads = n * share
        emt += warheads * float(equivalent_megatons(yield_kt))
        cmp += warheads * float(lethality_k(yield_kt, system.cep_m))
        htc += warheads * float(hard_target_capable(yield_kt, system.cep_m))
    return ForceMeasures(
        warheads=n, equivalent_megatons=emt, counter_military_potential=cmp, hard_target_capable=htc
    )


def posture_measures(posture: Posture) -> PostureMeasures:
    """Static measures of every nuclear system of ``posture`` and their sum."""
    systems = {s.id: system_measures(s) for s in posture.systems if s.nuclear}
    parts = list(systems.values())
    total = ForceMeasures(
        warheads=sum(p.warheads for p in parts),
        equivalent_megatons=sum(p.equivalent_megatons for p in parts),
        counter_military_potential=sum(p.counter_military_potential for p in parts),
        hard_target_capable=sum(p.hard_target_capable for p in parts),
    )
    return PostureMeasures(actor=posture.actor, systems=systems, total=total)

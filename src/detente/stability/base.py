"""Inputs and outputs of the stability definitions.

A definition is a pure function of the exchanges of one *case* (a perspective
and an alert level for each side): who strikes first, what each strike
destroys and what the answer does. Some definitions also look at the other
alert cases of the same perspective (use-or-lose) or at build-up variants of
the same case (arms-race stability); both arrive precomputed in the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from detente.model.scenario import StabilitySettings

BUILD_UPS = ("warheads", "launchers", "interceptors")
"""Marginal build-ups examined by arms-race stability."""


@dataclass(frozen=True)
class Strike:
    """Key results of one first strike (``attacker`` strikes ``defender``)."""

    attacker: str
    defender: str
    damage_to_attacker: float
    """Share of the attacker's value destroyed by the retaliation."""
    damage_to_defender: float
    """Share of the defender's value destroyed by the attacker's later strike."""
    retaliation_arrived: float
    retaliation_potential: float
    defender_destroyed: float
    defender_total: float

    @property
    def retaliation_removed(self) -> float:
        """Share of the defender's retaliation the first strike took away."""
        if self.retaliation_potential <= 0:
            return 0.0
        return max(0.0, 1.0 - self.retaliation_arrived / self.retaliation_potential)

    @property
    def share_lost(self) -> float:
        """Share of the defender's warheads destroyed before they could be used."""
        return self.defender_destroyed / self.defender_total if self.defender_total > 0 else 0.0


@dataclass(frozen=True)
class Case:
    """Exchanges of one perspective and alert case, both ways round."""

    sides: tuple[str, str]
    alerts: Mapping[str, str]
    perspective: str
    first: Mapping[str, Strike]
    """``first[x]``: side ``x`` strikes first."""
    build_ups: Mapping[tuple[str, str], Mapping[str, Strike]] = field(default_factory=dict)
    """``build_ups[(x, kind)][y]``: ``y`` strikes first after ``x`` built up ``kind``."""

    @property
    def key(self) -> str:
        """``us:day_to_day/ru:generated``."""
        return "/".join(f"{s}:{self.alerts[s]}" for s in self.sides)

    def other(self, side: str) -> str:
        """The other side of the pair."""
        return self.sides[1] if side == self.sides[0] else self.sides[0]


@dataclass(frozen=True)
class DefinitionValue:
    """A definition's verdict on one case: combined value in [0, 1] and per-side parts."""

    value: float
    components: Mapping[str, float]
    details: Mapping[str, float] = field(default_factory=dict)


Definition = Callable[[Case, StabilitySettings, Mapping[str, Case]], DefinitionValue]
"""``f(case, settings, cases_of_same_perspective) -> DefinitionValue``."""


def clip01(x: float) -> float:
    """``x`` clipped to [0, 1]."""
    return min(1.0, max(0.0, x))

"""Inputs and outputs of the stability definitions.

A definition is a pure function of the exchanges of *cases* (a case is one
experiment under one reading, with an alert level for each side): for every
ordered pair of sides, what the first strike destroys and what the answer does.
Every number is an array with one entry per case, so one call evaluates a
definition for every case and parameter draw at once. Some definitions also
look at a sibling case at another alert level (use-or-lose) or at build-up
variants of the same case (arms-race stability); both arrive precomputed in
the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from detente.model.scenario import StabilitySettings

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Camps = tuple[tuple[str, ...], tuple[str, ...]]
"""(strikers, victims) of a coalition case."""

BUILD_UPS = ("warheads", "launchers", "interceptors")
"""Marginal build-ups examined by arms-race stability."""


@dataclass(frozen=True)
class Strike:
    """Key results of ``attacker`` striking ``defender`` first, one entry per case."""

    attacker: str
    defender: str
    damage_to_attacker: FloatArray
    """Share of the attacker's value destroyed by the retaliation."""
    damage_to_defender: FloatArray
    """Share of the defender's value destroyed by the attacker's later strike."""
    damage_potential: FloatArray
    """Damage the defender's whole force would do to the attacker's value had the first
    strike destroyed nothing (an all-out retaliation at full strength)."""
    retaliation_arrived: FloatArray
    retaliation_potential: FloatArray
    defender_destroyed: FloatArray
    defender_total: FloatArray
    ready_total: FloatArray
    """The defender's warheads on alert (ready to launch, at sea, dispersed, on strip alert)."""
    ready_destroyed: FloatArray
    ready_launched: FloatArray
    """Alert warheads the defender launched on warning of the strike."""
    strategic_ready_total: FloatArray
    strategic_ready_lost: FloatArray
    """Alert strategic warheads destroyed or launched on warning."""
    stored_nonstrategic_destroyed: FloatArray
    """Non-strategic warheads destroyed in storage (not ready, reported apart)."""
    strike_share: FloatArray
    """Share of its counterforce pool the attacker's chosen strike could spend."""

    @property
    def retaliation_removed(self) -> FloatArray:
        """Share of the defender's retaliatory warheads the first strike took away."""
        return share_of(
            self.retaliation_potential - self.retaliation_arrived, self.retaliation_potential
        )

    @property
    def share_lost(self) -> FloatArray:
        """Share of all the defender's warheads destroyed before they could be used."""
        return share_of(self.defender_destroyed, self.defender_total)

    @property
    def ready_pressure(self) -> FloatArray:
        """Share of the defender's alert warheads destroyed or launched on warning."""
        return share_of(self.ready_destroyed + self.ready_launched, self.ready_total)


@dataclass(frozen=True)
class CoalitionStrike:
    """Key results of a camp of sides striking another camp first, one entry per case.

    One camp has one side: several strike one together, or one strikes several.
    """

    strikers: tuple[str, ...]
    victims: tuple[str, ...]
    damage: Mapping[str, FloatArray]
    """Share of each party's value destroyed (strikers: by the answer; victims: by the
    strikers' later strike)."""
    strike_share: FloatArray
    """Share of their counterforce pool the strikers' chosen strike could spend."""


def share_of(part: FloatArray, whole: FloatArray) -> FloatArray:
    """``part / whole`` clipped to [0, 1]; 0 where ``whole`` is 0."""
    safe = np.where(whole > 0, whole, 1.0)
    return np.asarray(np.where(whole > 0, np.clip(part / safe, 0.0, 1.0), 0.0))


@dataclass(frozen=True)
class Cases:
    """Exchanges of many cases at once, every direction; one row per case.

    A row is one experiment under one reading and one alert case; the
    definitions work on all rows together. ``at_level`` lets a definition
    compare a row with its sibling at another alert level of one side.
    """

    sides: tuple[str, ...]
    strikes: Mapping[tuple[str, str], Strike]
    """``strikes[(x, y)]``: side ``x`` strikes ``y`` first (arrays over rows)."""
    build_ups: Mapping[tuple[str, str], Mapping[tuple[str, str], Strike]] = field(
        default_factory=dict
    )
    """``build_ups[(x, kind)][(y, z)]``: ``y`` strikes ``z`` first after ``x`` built up."""
    at_level: Mapping[tuple[str, str], IntArray] = field(default_factory=dict)
    """``at_level[(x, level)][r]``: the row of the same experiment and reading as row
    ``r`` with side ``x`` at ``level``; present only where every row has one."""
    coalitions: Mapping[Camps, CoalitionStrike] = field(default_factory=dict)
    """``coalitions[(strikers, victims)]``: a camp strikes another first (three or more
    sides; evaluated only when asked for)."""
    no_first_use: Mapping[str, BoolArray] = field(default_factory=dict)
    """``no_first_use[x][r]``: row ``r``'s reading takes side ``x`` at its pledge never
    to strike first (absent: no row does)."""

    def strike(self, attacker: str, defender: str) -> Strike:
        """``attacker`` strikes ``defender`` first."""
        return self.strikes[(attacker, defender)]

    def others(self, side: str) -> tuple[str, ...]:
        """Every other side, in order."""
        return tuple(s for s in self.sides if s != side)

    def after_build_up(self, builder: str, kind: str) -> Cases | None:
        """The same cases after ``builder`` built up ``kind``, if that was evaluated."""
        variant = self.build_ups.get((builder, kind))
        if variant is None:
            return None
        return Cases(self.sides, variant, no_first_use=self.no_first_use)

    def barred(self, side: str) -> BoolArray | None:
        """Rows whose reading holds ``side`` to a pledge of no first use (None: no row)."""
        return self.no_first_use.get(side)

    def coalition(self, strikers: tuple[str, ...], victims: tuple[str, ...]) -> CoalitionStrike:
        """``strikers`` strike ``victims`` first, together."""
        return self.coalitions[(strikers, victims)]

    def restrict(self, sides: tuple[str, ...]) -> Cases:
        """The same cases seen from ``sides`` only: their strikes on one another (each
        striker still holding what it holds for the others), their build-ups."""
        keep = set(sides)

        def inside(strikes: Mapping[tuple[str, str], Strike]) -> dict[tuple[str, str], Strike]:
            return {k: v for k, v in strikes.items() if set(k) <= keep}

        return Cases(
            sides,
            inside(self.strikes),
            {k: inside(v) for k, v in self.build_ups.items() if k[0] in keep},
            {k: v for k, v in self.at_level.items() if k[0] in keep},
            {},
            {k: v for k, v in self.no_first_use.items() if k in keep},
        )


@dataclass(frozen=True)
class DefinitionValue:
    """A definition's verdict on one case: combined value in [0, 1] and per-side parts."""

    value: float
    components: Mapping[str, float]
    details: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DefinitionArrays:
    """A definition's values for many experiments at once (arrays of one length)."""

    value: FloatArray
    components: Mapping[str, FloatArray]
    details: Mapping[str, FloatArray] = field(default_factory=dict)

    def row(self, i: int) -> DefinitionValue:
        """The values of experiment ``i``."""
        return DefinitionValue(
            value=float(self.value[i]),
            components=MappingProxyType({k: float(v[i]) for k, v in self.components.items()}),
            details=MappingProxyType({k: float(v[i]) for k, v in self.details.items()}),
        )


Definition = Callable[[Cases, StabilitySettings], DefinitionArrays]
"""``f(cases, settings) -> DefinitionArrays`` with one entry per row of ``cases``."""


def clip01(x: FloatArray) -> FloatArray:
    """``x`` clipped to [0, 1]."""
    return np.asarray(np.clip(x, 0.0, 1.0), dtype=np.float64)


def worst(values: list[FloatArray]) -> FloatArray:
    """Element-wise minimum of a non-empty list of arrays."""
    out = values[0]
    for v in values[1:]:
        out = np.minimum(out, v)
    return out

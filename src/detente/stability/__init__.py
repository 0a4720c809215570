"""Layer 1: definitions of strategic stability, computed side by side.

``DEFINITIONS`` maps a name to a pure function of exchange outcomes; every
definition returns a combined value in [0, 1] (1 = most stable) and one
component per side, as arrays over experiments. ``docs/methodology.md`` has a
section on each; ``docs/architecture.md`` says how to add one.
"""

from __future__ import annotations

from types import MappingProxyType

from detente.stability.arms_race import arms_race_stability
from detente.stability.base import (
    BUILD_UPS,
    Cases,
    Definition,
    DefinitionArrays,
    DefinitionValue,
    Strike,
)
from detente.stability.damage_limitation import damage_limitation
from detente.stability.first_strike import first_strike_stability
from detente.stability.second_strike import second_strike_sufficiency
from detente.stability.use_or_lose import use_or_lose

DEFINITIONS: MappingProxyType[str, Definition] = MappingProxyType(
    {
        "first_strike": first_strike_stability,
        "second_strike": second_strike_sufficiency,
        "damage_limitation": damage_limitation,
        "use_or_lose": use_or_lose,
        "arms_race": arms_race_stability,
    }
)

LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        "first_strike": "First-strike stability (Kent-Thaler)",
        "second_strike": "Second-strike sufficiency",
        "damage_limitation": "Damage-limitation incentive",
        "use_or_lose": "Use-or-lose pressure",
        "arms_race": "Arms-race stability",
    }
)

NEEDS_BUILD_UPS = frozenset({"arms_race"})
"""Definitions that read build-up variants of a case (they cost extra exchanges)."""

__all__ = [
    "BUILD_UPS",
    "DEFINITIONS",
    "LABELS",
    "NEEDS_BUILD_UPS",
    "Cases",
    "Definition",
    "DefinitionArrays",
    "DefinitionValue",
    "Strike",
]

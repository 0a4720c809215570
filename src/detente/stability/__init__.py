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
    CoalitionStrike,
    Definition,
    DefinitionArrays,
    DefinitionValue,
    Strike,
)
from detente.stability.coalitions import coalition_first_strike, coalition_second_strike
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

COALITION_DEFINITIONS: MappingProxyType[str, Definition] = MappingProxyType(
    {
        "first_strike_alignments": coalition_first_strike,
        "second_strike_coalitions": coalition_second_strike,
    }
)
"""Definitions of three or more parties: they read the coalition cases, which cost extra
exchanges and are evaluated only when asked for (every ``assess`` of three sides asks)."""

LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        "first_strike": "First-strike stability (Kent-Thaler)",
        "second_strike": "Second-strike sufficiency",
        "damage_limitation": "Damage-limitation incentive",
        "use_or_lose": "Use-or-lose pressure",
        "arms_race": "Arms-race stability",
        "first_strike_alignments": "First-strike stability, every alignment (weakest link)",
        "second_strike_coalitions": "Second-strike sufficiency against each and against all",
    }
)

NEEDS_BUILD_UPS = frozenset({"arms_race"})
"""Definitions that read build-up variants of a case (they cost extra exchanges)."""

PAIR_MARK = "@"
"""Separates a definition's name from the pair it was computed for: ``first_strike@us-ru``."""


def pair_definition(name: str, pair: tuple[str, str]) -> str:
    """Name under which a definition computed for one pair of a larger scenario is kept."""
    return f"{name}{PAIR_MARK}{pair[0]}-{pair[1]}"


def split_pair_definition(key: str) -> tuple[str, tuple[str, str]] | None:
    """``(name, pair)`` of a key made by :func:`pair_definition`, or None for any other key."""
    name, mark, pair = key.partition(PAIR_MARK)
    if not mark:
        return None
    a, _, b = pair.partition("-")
    return name, (a, b)


__all__ = [
    "BUILD_UPS",
    "COALITION_DEFINITIONS",
    "DEFINITIONS",
    "LABELS",
    "NEEDS_BUILD_UPS",
    "Cases",
    "CoalitionStrike",
    "Definition",
    "DefinitionArrays",
    "DefinitionValue",
    "Strike",
    "pair_definition",
    "split_pair_definition",
]

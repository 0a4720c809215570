"""Damage-limitation incentive: how much of the victim's retaliation a first strike removes."""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.scenario import StabilitySettings
from detente.stability.base import Case, DefinitionValue


def damage_limitation(
    case: Case, settings: StabilitySettings, cases: Mapping[str, Case]
) -> DefinitionValue:
    """One minus the share of the victim's arriving retaliation a first strike removes.

    Per side ``x``: ``1 - removed``, with ``removed`` the share of the other
    side's retaliatory warheads arriving on ``x``'s value that ``x``'s first
    strike takes away (compared with the retaliation had nothing been
    destroyed). The combined value is the smaller of the two: the side with
    the larger incentive sets it.

    References
    ----------
    Glaser, C. L. (1990). *Analyzing Strategic Nuclear Policy*. Princeton
    University Press (damage limitation and the incentives it creates).
    """
    del settings, cases
    components: dict[str, float] = {}
    details: dict[str, float] = {}
    for side in case.sides:
        removed = case.first[side].retaliation_removed
        details[f"{side}.retaliation_removed"] = removed
        components[side] = 1.0 - removed
    return DefinitionValue(min(components.values()), components, details)

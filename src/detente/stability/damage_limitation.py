"""Damage-limitation incentive: how much of the victim's retaliation a first strike removes."""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.cases import AlertCase
from detente.model.scenario import StabilitySettings
from detente.stability.base import Case, DefinitionArrays, FloatArray, worst


def damage_limitation(
    case: Case, settings: StabilitySettings, cases: Mapping[AlertCase, Case]
) -> DefinitionArrays:
    """One minus the share of the victim's arriving retaliation a first strike removes.

    Per side ``x``: ``1 - removed``, with ``removed`` the share of the other
    side's retaliatory warheads arriving on ``x``'s value that ``x``'s first
    strike takes away (compared with the retaliation had nothing been
    destroyed); with more than one opponent, the largest share. The combined
    value is the smallest: the side with the largest incentive sets it.

    References
    ----------
    Glaser, C. L. (1990). *Analyzing Strategic Nuclear Policy*. Princeton
    University Press (damage limitation and the incentives it creates).
    """
    del settings, cases
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    for side in case.sides:
        parts = []
        for other in case.others(side):
            removed = case.strike(side, other).retaliation_removed
            key = f"{side}.retaliation_removed"
            details[key if len(case.sides) == 2 else f"{side}.{other}.removed"] = removed
            parts.append(1.0 - removed)
        components[side] = worst(parts)
    return DefinitionArrays(worst(list(components.values())), components, details)

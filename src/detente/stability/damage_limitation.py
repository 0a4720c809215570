"""Damage-limitation incentive: how much of the victim's retaliation a first strike removes."""

from __future__ import annotations

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, worst


def damage_limitation(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
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
    del settings
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    for side in cases.sides:
        parts = []
        for other in cases.others(side):
            removed = cases.strike(side, other).retaliation_removed
            key = f"{side}.retaliation_removed"
            details[key if len(cases.sides) == 2 else f"{side}.{other}.removed"] = removed
            parts.append(1.0 - removed)
        components[side] = worst(parts)
    return DefinitionArrays(worst(list(components.values())), components, details)

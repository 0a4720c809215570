"""Damage limitation: how much damage to its own value a side avoids by striking first."""

from __future__ import annotations

import numpy as np

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, clip01, worst


def damage_limitation(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """One minus the share of the damage it would suffer that a side avoids by striking first.

    For side ``x`` and opponent ``y``: ``D_all`` is the damage ``y``'s whole
    force would do to ``x``'s value at full strength (nothing destroyed),
    ``D_first`` the damage ``y``'s surviving retaliation does after ``x``
    strikes first. ``x``'s incentive is the share avoided, ``(D_all -
    D_first) / D_all``; its component is one minus it (1: striking first
    spares nothing, as when retaliation saturates value either way). With more
    than one opponent the largest share counts; the combined value is the
    smallest component; a side the reading holds to a pledge of no first use
    scores 1 (it would not strike first to limit damage). Details give both
    damages, the damage ``x`` suffers when struck first instead
    (``damage_if_struck``) and the share of ``y``'s retaliatory warheads the
    strike removes (the measure detente used before).

    References
    ----------
    Glaser, C. L. & Fetter, S. (2016). Should the United States reject MAD?
    Damage limitation and U.S. nuclear strategy toward China. *International
    Security* 41(1), 49-98 (damage limitation as reducing the costs the
    opponent can inflict in an all-out retaliatory attack).
    Glaser, C. L. (1990). *Analyzing Strategic Nuclear Policy*. Princeton
    University Press.
    """
    del settings
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    pair = len(cases.sides) == 2
    for side in cases.sides:
        parts = []
        for other in cases.others(side):
            first = cases.strike(side, other)
            full, after = first.damage_potential, first.damage_to_attacker
            avoided = clip01((full - after) / np.where(full > 0, full, 1.0))
            avoided = np.where(full > 0, avoided, 0.0)
            tag = side if pair else f"{side}.{other}"
            details[f"{tag}.damage_avoided"] = avoided
            details[f"{tag}.damage_if_first"] = after
            details[f"{tag}.damage_all_out"] = full
            details[f"{tag}.damage_if_struck"] = cases.strike(other, side).damage_to_defender
            details[f"{tag}.retaliation_removed"] = first.retaliation_removed
            parts.append(1.0 - avoided)
        components[side] = worst(parts)
        barred = cases.barred(side)
        if barred is not None:  # a side held to no first use does not strike to limit damage
            components[side] = np.where(barred, 1.0, components[side])
    return DefinitionArrays(worst(list(components.values())), components, details)

"""Use-or-lose pressure: forces that would not survive a first strike, and generation."""

from __future__ import annotations

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, worst


def use_or_lose(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """One minus the share of a side's warheads a first strike on it would destroy.

    Per side ``x``: ``1 - lost``, with ``lost`` the share of ``x``'s warheads
    destroyed when another side strikes first in this case (the worst of
    them). The combined value is the smallest over sides. Details add, where
    the other alert cases are available, how much generating ``x``'s forces
    lowers ``lost`` (``generation_relief``), and how much it raises the share
    of the other side's retaliation ``x`` could remove by striking first
    (``generation_threat``): generation that relieves pressure without adding
    threat is stabilising; generation that mostly adds threat looks like
    preparation to strike.

    References
    ----------
    Schelling, T. C. (1960). *The Strategy of Conflict*. Harvard University
    Press, ch. 9, "The Reciprocal Fear of Surprise Attack".
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (generating forces
    early in a crisis to make them non-targetable).
    """
    del settings
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    pair = len(cases.sides) == 2
    for side in cases.sides:
        parts = []
        low = cases.at_level.get((side, "day_to_day"))
        high = cases.at_level.get((side, "generated"))
        for other in cases.others(side):
            lost = cases.strike(other, side).share_lost
            parts.append(1.0 - lost)
            tag = side if pair else f"{side}.{other}"
            details[f"{tag}.share_lost"] = lost
            if low is not None and high is not None:
                details[f"{tag}.generation_relief"] = lost[low] - lost[high]
                removed = cases.strike(side, other).retaliation_removed
                details[f"{tag}.generation_threat"] = removed[high] - removed[low]
        components[side] = worst(parts)
    return DefinitionArrays(worst(list(components.values())), components, details)

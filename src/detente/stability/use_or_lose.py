"""Use-or-lose pressure: alert forces a first strike would destroy or force to launch."""

from __future__ import annotations

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, share_of, worst


def use_or_lose(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """One minus the share of a side's alert forces it would lose, or have to launch, if struck.

    Per side ``x``: of its warheads on alert and promptly usable (silo missiles
    ready to launch, submarines at sea, mobile launchers dispersed, bombers on
    strip alert), the share another side's first strike would destroy, plus the
    share that survives only by being launched on warning, which is itself use
    or lose; the worst attacker counts. The component is one minus it (1: every
    alert warhead rides out a first strike). Warheads not on alert (in port, in
    garrison, in storage) are reported apart and do not count: they are not
    under pressure to be used. Details add the strategic-only share, the stored
    non-strategic warheads lost, the share of all warheads lost (the measure
    detente used before), and, where the sibling cases were evaluated, how much
    generating ``x``'s forces lowers the pressure (``generation_relief``) and
    raises the share of the other's retaliation ``x`` could remove by striking
    first (``generation_threat``).

    References
    ----------
    Schelling, T. C. (1960). *The Strategy of Conflict*. Harvard University
    Press, ch. 9, "The Reciprocal Fear of Surprise Attack".
    Blair, B. G. (1993). *The Logic of Accidental Nuclear War*. Brookings
    (launch on warning as the response of forces that would otherwise be lost).
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (generating forces early
    in a crisis to make them non-targetable).
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
            struck = cases.strike(other, side)
            pressure = struck.ready_pressure
            parts.append(1.0 - pressure)
            tag = side if pair else f"{side}.{other}"
            details[f"{tag}.ready_destroyed"] = share_of(struck.ready_destroyed, struck.ready_total)
            details[f"{tag}.ready_launched"] = share_of(struck.ready_launched, struck.ready_total)
            details[f"{tag}.strategic_pressure"] = share_of(
                struck.strategic_ready_lost, struck.strategic_ready_total
            )
            details[f"{tag}.stored_nonstrategic_lost"] = struck.stored_nonstrategic_destroyed
            details[f"{tag}.share_lost"] = struck.share_lost
            if low is not None and high is not None:
                details[f"{tag}.generation_relief"] = pressure[low] - pressure[high]
                removed = cases.strike(side, other).retaliation_removed
                details[f"{tag}.generation_threat"] = removed[high] - removed[low]
        components[side] = worst(parts)
    return DefinitionArrays(worst(list(components.values())), components, details)

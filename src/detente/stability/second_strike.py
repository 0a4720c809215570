"""Second-strike sufficiency: can each side still inflict unacceptable damage?"""

from __future__ import annotations

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, clip01, worst


def second_strike_sufficiency(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """Damage each side inflicts after absorbing a first strike, against a threshold.

    Per side: ``min(1, D / threshold)``, with ``D`` the share of the
    attacker's value the side's retaliation destroys and ``threshold``
    (``settings.unacceptable_damage``) the damage taken as unacceptable; with
    more than one possible attacker, the weakest answer. The combined value
    is the smallest over sides: deterrence rests on the weaker retaliator.

    References
    ----------
    Enthoven, A. C. & Smith, K. W. (1971). *How Much Is Enough? Shaping the
    Defense Program, 1961-1969*. Harper & Row (assured destruction as a share
    of population and industry).
    """
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    for side in cases.sides:
        parts = []
        for other in cases.others(side):
            inflicted = cases.strike(other, side).damage_to_attacker  # other strikes first
            key = f"{side}.damage_inflicted" if len(cases.sides) == 2 else f"{side}.{other}.damage"
            details[key] = inflicted
            parts.append(clip01(inflicted / settings.unacceptable_damage))
        components[side] = worst(parts)
    return DefinitionArrays(worst(list(components.values())), components, details)

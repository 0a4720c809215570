"""Second-strike sufficiency: can each side still inflict unacceptable damage?"""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.scenario import StabilitySettings
from detente.stability.base import Case, DefinitionValue, clip01


def second_strike_sufficiency(
    case: Case, settings: StabilitySettings, cases: Mapping[str, Case]
) -> DefinitionValue:
    """Damage each side inflicts after absorbing a first strike, against a threshold.

    Per side: ``min(1, D / threshold)``, with ``D`` the share of the
    attacker's value the side's retaliation destroys and ``threshold``
    (``settings.unacceptable_damage``) the damage taken as unacceptable. The
    combined value is the smaller of the two: deterrence rests on the weaker
    retaliator.

    References
    ----------
    Enthoven, A. C. & Smith, K. W. (1971). *How Much Is Enough? Shaping the
    Defense Program, 1961-1969*. Harper & Row (assured destruction as a share
    of population and industry).
    """
    del cases
    components: dict[str, float] = {}
    details: dict[str, float] = {}
    for side in case.sides:
        struck = case.first[case.other(side)]  # the other side strikes first
        inflicted = struck.damage_to_attacker
        details[f"{side}.damage_inflicted"] = inflicted
        components[side] = clip01(inflicted / settings.unacceptable_damage)
    return DefinitionValue(min(components.values()), components, details)

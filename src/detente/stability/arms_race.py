"""Arms-race stability: does one side's build-up push the other to respond?"""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.scenario import StabilitySettings
from detente.stability.base import BUILD_UPS, Case, DefinitionValue
from detente.stability.first_strike import strike_costs


def _ratio(case: Case, side: str, weight: float) -> float:
    first, second = strike_costs(case, side, weight)
    return 1.0 if second <= 1e-12 else min(1.0, max(0.0, first / second))


def arms_race_stability(
    case: Case, settings: StabilitySettings, cases: Mapping[str, Case]
) -> DefinitionValue:
    """How far a marginal build-up by one side raises the first-strike threat the other faces.

    Seen from side ``y``, first-strike stability is the assurance that ``x``
    has no incentive to strike first: ``x``'s Kent-Thaler ratio ``r_x``. For
    each build-up of ``x`` (warheads per launcher, deployed launchers,
    interceptors, each raised by ``settings.build_up_step``) the elasticity
    ``e = -(dr_x / r_x) / step`` is found by finite differences on the
    build-up variants; the largest is ``y``'s incentive to respond. ``x``'s
    component is ``1 / (1 + max(0, e))`` (1: no build-up of ``x`` threatens
    ``y``); the combined value is the smaller component. Details also give
    the elasticity of the combined index ``r_x r_y`` for each build-up.

    References
    ----------
    Richardson, L. F. (1960). *Arms and Insecurity*. Boxwood Press (reaction
    coefficients of an arms race).
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (first-strike ratios).
    Wilkening, D. & Watman, K. (1986). *Strategic Defenses and First-Strike
    Stability*. RAND R-3412-FF/RC (defences and the opponent's incentives).
    """
    del cases
    components: dict[str, float] = {}
    details: dict[str, float] = {}
    w = settings.damage_weight
    step = settings.build_up_step
    for side in case.sides:
        other = case.other(side)
        base_own = _ratio(case, side, w)
        base_index = base_own * _ratio(case, other, w)
        worst = 0.0
        for kind in BUILD_UPS:
            variant = case.build_ups.get((side, kind))
            if variant is None:
                continue
            shifted = Case(case.sides, case.alerts, case.perspective, variant)
            own = _ratio(shifted, side, w)
            elasticity = (base_own - own) / max(base_own, 1e-9) / step
            index = own * _ratio(shifted, other, w)
            details[f"{side}.{kind}.elasticity"] = elasticity
            details[f"{side}.{kind}.index_elasticity"] = (
                (base_index - index) / max(base_index, 1e-9) / step
            )
            worst = max(worst, elasticity)
        components[side] = 1.0 / (1.0 + worst)
    return DefinitionValue(min(components.values()), components, details)

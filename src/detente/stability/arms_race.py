"""Arms-race stability: does one side's build-up push the other to respond?"""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.scenario import StabilitySettings
from detente.stability.base import BUILD_UPS, Case, DefinitionValue
from detente.stability.first_strike import strike_costs


def _ratio(first: float, second: float) -> float:
    return 1.0 if second <= 1e-12 else min(1.0, max(0.0, first / second))


def arms_race_stability(
    case: Case, settings: StabilitySettings, cases: Mapping[str, Case]
) -> DefinitionValue:
    """How far a marginal build-up by one side lowers the other's first-strike ratio.

    For side ``x`` and each build-up (warheads per launcher, deployed
    launchers, interceptors, each raised by ``settings.build_up_step``), the
    elasticity ``e = -(dr_y / r_y) / step`` of the other side's Kent-Thaler
    ratio ``r_y`` is found by finite differences on the build-up variants.
    The largest elasticity is the incentive ``y`` has to respond; ``x``'s
    component is ``1 / (1 + max(0, e))`` (1: no build-up of ``x`` hurts ``y``).
    The combined value is the smaller component.

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
    for side in case.sides:
        other = case.other(side)
        base = _ratio(*strike_costs(case, other, w))
        worst = 0.0
        for kind in BUILD_UPS:
            variant = case.build_ups.get((side, kind))
            if variant is None:
                continue
            shifted = Case(case.sides, case.alerts, case.perspective, variant)
            ratio = _ratio(*strike_costs(shifted, other, w))
            elasticity = (base - ratio) / max(base, 1e-9) / settings.build_up_step
            details[f"{side}.{kind}.elasticity"] = elasticity
            worst = max(worst, elasticity)
        components[side] = 1.0 / (1.0 + worst)
    return DefinitionValue(min(components.values()), components, details)

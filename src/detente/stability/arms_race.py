"""Arms-race stability: does one side's build-up push the others to respond?"""

from __future__ import annotations

import numpy as np

from detente.model.scenario import StabilitySettings
from detente.stability.base import BUILD_UPS, Cases, DefinitionArrays, FloatArray, worst
from detente.stability.first_strike import side_ratio


def _index(cases: Cases, settings: StabilitySettings) -> FloatArray:
    index: FloatArray | None = None
    for side in cases.sides:
        ratio, _ = side_ratio(cases, side, settings)
        index = ratio if index is None else index * ratio
    assert index is not None
    return index


def arms_race_stability(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """How far a marginal build-up by one side raises the first-strike threat the others face.

    Seen from the others, first-strike stability is the assurance that ``x``
    has no incentive to strike first: ``x``'s Kent-Thaler ratio ``r_x`` (with
    its chosen strike). The build-up variants keep each striker's chosen extent
    of strike: at the attacker's optimum the choice moves the cost only to
    second order (the envelope theorem), so the finite difference is the
    first-order change of the optimised ratio. For
    each build-up of ``x`` (warheads per launcher, deployed launchers,
    interceptors, each raised by ``settings.build_up_step``) the elasticity
    ``e = -(dr_x / r_x) / step`` is found by finite differences on the
    build-up variants; the largest is the others' incentive to respond. ``x``'s
    component is ``1 / (1 + max(0, e))`` (1: no build-up of ``x`` threatens
    anyone); the combined value is the smallest component. Details also give
    the elasticity of the combined index for each build-up.

    References
    ----------
    Richardson, L. F. (1960). *Arms and Insecurity*. Boxwood Press (reaction
    coefficients of an arms race).
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (first-strike ratios).
    Wilkening, D. & Watman, K. (1986). *Strategic Defenses and First-Strike
    Stability*. RAND R-3412-FF/RC (defences and the opponent's incentives).
    """
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    step = settings.build_up_step
    base_index = _index(cases, settings)
    for side in cases.sides:
        base_own, _ = side_ratio(cases, side, settings)
        largest = np.zeros_like(base_own)
        for kind in BUILD_UPS:
            shifted = cases.after_build_up(side, kind)
            if shifted is None:
                continue
            own, _ = side_ratio(shifted, side, settings)
            elasticity = (base_own - own) / np.maximum(base_own, 1e-9) / step
            index = _index(shifted, settings)
            details[f"{side}.{kind}.elasticity"] = elasticity
            details[f"{side}.{kind}.index_elasticity"] = (
                (base_index - index) / np.maximum(base_index, 1e-9) / step
            )
            largest = np.maximum(largest, elasticity)
        components[side] = 1.0 / (1.0 + largest)
    return DefinitionArrays(worst(list(components.values())), components, details)

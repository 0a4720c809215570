"""First-strike stability after Kent & Thaler (RAND R-3765, 1989)."""

from __future__ import annotations

import numpy as np

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, safe_ratio, worst


def strike_costs(
    cases: Cases, side: str, other: str, weight: float
) -> tuple[FloatArray, FloatArray]:
    """Cost to ``side`` of striking ``other`` first, and of waiting and being struck by it.

    A side's cost of an outcome is the share of its own value destroyed plus
    ``weight`` times the share of the opponent's value left standing:
    ``C = D_self + w (1 - D_other)``.
    """
    first = cases.strike(side, other)  # side strikes first
    second = cases.strike(other, side)  # side is struck first and retaliates
    c_first = first.damage_to_attacker + weight * (1.0 - first.damage_to_defender)
    c_second = second.damage_to_defender + weight * (1.0 - second.damage_to_attacker)
    return c_first, c_second


def side_ratio(cases: Cases, side: str, weight: float) -> tuple[FloatArray, dict[str, FloatArray]]:
    """``side``'s Kent-Thaler ratio against its most tempting opponent, with its costs."""
    ratios: list[FloatArray] = []
    details: dict[str, FloatArray] = {}
    others = cases.others(side)
    for other in others:
        c_first, c_second = strike_costs(cases, side, other, weight)
        ratios.append(safe_ratio(c_first, c_second))
        if len(others) == 1:
            details[f"{side}.cost_first"] = c_first
            details[f"{side}.cost_second"] = c_second
        else:
            details[f"{side}.{other}.cost_first"] = c_first
            details[f"{side}.{other}.cost_second"] = c_second
    return worst(ratios), details


def first_strike_stability(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """Kent-Thaler first-strike stability index of one cases.

    For each side, the ratio of its cost of striking first to its cost of
    waiting and being struck, ``r = C_first / C_second`` clipped to [0, 1]
    (1: striking first gains nothing); with more than one opponent, the
    smallest ratio over them. The index is the product of the sides' ratios,
    one number that applies to every side.

    Choices the public record leaves open (documented in
    ``docs/methodology.md``): the cost function is linear in damage suffered
    and damage not inflicted with one weight ``settings.damage_weight``; a
    side that suffers no cost either way has ratio 1; ratios above 1 (going
    first costs more than going second) are clipped to 1.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). *First-Strike Stability: A Methodology
    for Evaluating Strategic Forces*. RAND R-3765-AF.
    Kent, G. A., DeValk, R. J. & Thaler, D. E. (1988). *A Calculus of
    First-Strike Stability*. RAND N-2526-AF.
    """
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    for side in cases.sides:
        components[side], costs = side_ratio(cases, side, settings.damage_weight)
        details.update(costs)
    index = np.ones_like(components[cases.sides[0]])
    for side in cases.sides:
        index = index * components[side]
    return DefinitionArrays(index, components, details)

"""First-strike stability after Kent & Thaler (RAND R-3765, 1989)."""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.scenario import StabilitySettings
from detente.stability.base import Case, DefinitionValue, clip01


def strike_costs(case: Case, side: str, weight: float) -> tuple[float, float]:
    """Cost to ``side`` of striking first and of waiting and being struck.

    A side's cost of an outcome is the share of its own value destroyed plus
    ``weight`` times the share of the opponent's value left standing:
    ``C = D_self + w (1 - D_other)``.
    """
    other = case.other(side)
    first = case.first[side]  # side strikes first
    second = case.first[other]  # side is struck first and retaliates
    c_first = first.damage_to_attacker + weight * (1.0 - first.damage_to_defender)
    c_second = second.damage_to_defender + weight * (1.0 - second.damage_to_attacker)
    return c_first, c_second


def first_strike_stability(
    case: Case, settings: StabilitySettings, cases: Mapping[str, Case]
) -> DefinitionValue:
    """Kent-Thaler first-strike stability index of one case.

    For each side, the ratio of its cost of striking first to its cost of
    waiting and being struck, ``r = C_first / C_second`` clipped to [0, 1]
    (1: striking first gains nothing); the index is the product of the two
    ratios, one number that applies to both sides.

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
    del cases
    components: dict[str, float] = {}
    details: dict[str, float] = {}
    for side in case.sides:
        c_first, c_second = strike_costs(case, side, settings.damage_weight)
        ratio = 1.0 if c_second <= 1e-12 else clip01(c_first / c_second)
        components[side] = ratio
        details[f"{side}.cost_first"] = c_first
        details[f"{side}.cost_second"] = c_second
    a, b = case.sides
    return DefinitionValue(components[a] * components[b], components, details)

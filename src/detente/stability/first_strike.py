"""First-strike stability after Kent & Thaler (RAND R-3765, 1989)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, DefinitionArrays, FloatArray, worst
from detente.stability.costs import outcome_cost


def strike_costs(
    cases: Cases, side: str, other: str, settings: StabilitySettings
) -> tuple[FloatArray, FloatArray]:
    """Cost to ``side`` of striking ``other`` first, and of being struck first by it.

    Both strikes are the strikers' own choices (each ends its counterforce attack
    where its own cost is lowest); the cost of an outcome is
    :func:`~detente.stability.costs.outcome_cost`.
    """
    first = cases.strike(side, other)  # side strikes first
    second = cases.strike(other, side)  # side is struck first and retaliates
    c_first = outcome_cost(first.damage_to_attacker, first.damage_to_defender, settings)
    c_second = outcome_cost(second.damage_to_defender, second.damage_to_attacker, settings)
    return c_first, c_second


def side_ratio(
    cases: Cases, side: str, settings: StabilitySettings
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """``side``'s ratio ``C_first / C_second`` (bounded at 1) against its most tempting
    opponent, with the costs and the unbounded ratio as details.

    In rows whose reading takes ``side`` at a pledge of no first use the ratio is 1
    (its incentive does not count); the computed one is kept as a detail.
    """
    ratios: list[FloatArray] = []
    details: dict[str, FloatArray] = {}
    others = cases.others(side)
    for other in others:
        c_first, c_second = strike_costs(cases, side, other, settings)
        raw = c_first / np.where(c_second > 1e-12, c_second, np.nan)
        raw = np.where(c_second > 1e-12, raw, np.inf)
        ratios.append(np.minimum(raw, 1.0))
        tag = side if len(others) == 1 else f"{side}.{other}"
        details[f"{tag}.cost_first"] = c_first
        details[f"{tag}.cost_second"] = c_second
        details[f"{tag}.ratio_raw"] = raw
        details[f"{tag}.strike_share"] = cases.strike(side, other).strike_share
    ratio = worst(ratios)
    barred = cases.barred(side)
    if barred is not None:
        details[f"{side}.ratio_if_it_would_strike"] = ratio
        ratio = np.where(barred, 1.0, ratio)
    return ratio, details


def first_strike_stability(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """Kent & Thaler's first-strike stability index.

    For each side, the ratio of its cost of striking first to its cost of
    being struck first, ``r = C1 / C2``, bounded at 1 (a side that gains
    nothing by going first cannot offset the other's temptation); with more
    than one opponent, the smallest ratio over them. The index is the product
    of the sides' ratios, one number for both. Costs are Kent & Thaler's
    ``C = D_own**0.75 + 0.3 (1 - D_other**0.75)`` unless the settings choose
    the linear form; each striker chooses how far to take its counterforce
    strike to make its own cost lowest (:mod:`detente.engine.choice`). A side
    the reading holds to a pledge of no first use has ratio 1.

    ``r`` is also the probability of the other's attack above which a side that
    compares expected costs would rather strike first. Details carry each side's
    two costs, the unbounded ratio (so that a direction stays visible where the
    bound binds) and the share of its counterforce pool its chosen strike spends.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). *First-Strike Stability: A Methodology
    for Evaluating Strategic Forces*. RAND R-3765-AF, pp. 22 (stop rule), 26 and
    29 (the index and its bound), App. C p. 61 (the cost), as cited in a public
    re-implementation; see ``docs/methodology.md`` for what is verified.
    Kent, G. A., DeValk, R. J. & Thaler, D. E. (1988). *A Calculus of
    First-Strike Stability*. RAND N-2526-AF.
    """
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    for side in cases.sides:
        components[side], costs = side_ratio(cases, side, settings)
        details.update(costs)
    index = np.ones_like(components[cases.sides[0]])
    for side in cases.sides:
        index = index * components[side]
    return DefinitionArrays(index, components, details)


def raw_ratios(details: Mapping[str, float], sides: Sequence[str]) -> dict[str, float]:
    """Each side's first-strike ratio before the bound at 1, from a value's details.

    The unbounded counterpart of the components: ``C1 / C2`` against the most
    tempting opponent (the smallest over them), as computed, also where a
    reading holds the side to a pledge of no first use. Above 1 it says how much
    more going first would cost the side than waiting, which the bound hides.
    Sides without the detail are left out.

    Examples
    --------
    >>> raw_ratios({"a.ratio_raw": 1.25, "b.ratio_raw": 0.8}, ("a", "b"))
    {'a': 1.25, 'b': 0.8}
    """
    out: dict[str, float] = {}
    for side in sides:
        values = [
            float(v)
            for k, v in details.items()
            if k.endswith(".ratio_raw") and k.count(".") in (1, 2) and k.split(".")[0] == side
        ]
        if values:
            out[side] = min(values)
    return out


def raw_text(ratio: float) -> str:
    """A raw ratio as shown beside the bounded one: two decimals, ``> 10`` from 10 up.

    >>> raw_text(1.234), raw_text(float("inf"))
    ('1.23', '> 10')
    """
    return f"{ratio:.2f}" if ratio < 10.0 else "> 10"

"""Use-or-lose pressure: forces that would not survive a first strike, and generation."""

from __future__ import annotations

from collections.abc import Mapping

from detente.model.scenario import StabilitySettings
from detente.stability.base import Case, DefinitionValue


def _alert_key(case: Case, levels: Mapping[str, str]) -> str:
    return "/".join(f"{s}:{levels[s]}" for s in case.sides)


def use_or_lose(
    case: Case, settings: StabilitySettings, cases: Mapping[str, Case]
) -> DefinitionValue:
    """One minus the share of a side's warheads a first strike on it would destroy.

    Per side ``x``: ``1 - lost``, with ``lost`` the share of ``x``'s warheads
    destroyed when the other side strikes first in this case. The combined
    value is the smaller of the two. Details add, where the other alert cases
    are available, how much generating ``x``'s forces lowers ``lost``
    (``generation_relief``), and how much it raises the share of the other
    side's retaliation ``x`` could remove by striking first
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
    components: dict[str, float] = {}
    details: dict[str, float] = {}
    for side in case.sides:
        other = case.other(side)
        lost = case.first[other].share_lost
        components[side] = 1.0 - lost
        details[f"{side}.share_lost"] = lost
        d2d = dict(case.alerts) | {side: "day_to_day"}
        gen = dict(case.alerts) | {side: "generated"}
        low, high = cases.get(_alert_key(case, d2d)), cases.get(_alert_key(case, gen))
        if low is not None and high is not None:
            details[f"{side}.generation_relief"] = (
                low.first[other].share_lost - high.first[other].share_lost
            )
            details[f"{side}.generation_threat"] = (
                high.first[side].retaliation_removed - low.first[side].retaliation_removed
            )
    return DefinitionValue(min(components.values()), components, details)

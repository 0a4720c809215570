"""Three-party definitions: first-strike stability over every alignment, and
second-strike sufficiency against each other party and against the strongest coalition.

An *alignment* splits the parties into two camps that face each other, the rest
standing by: each pair of parties with the others standing by (``us|ru``), and
each split of all the parties into two camps (``us|ru+cn``; with four parties also
``a+b|c+d``). With three parties there are six; with ``N`` parties
``N(N-1)/2 + 2**(N-1) - 1`` (:func:`alignments` gives the order). The first
striker of a camp is the whole camp, allocating its weapons jointly
(:mod:`detente.engine.coalition`, which runs a camp of one against a camp of one or
two; scenarios hold at most three sides); a camp goes first only if every member
would, so the camp's ratio is its *most reluctant* member's.

The combination rule is the weakest link: the three-party index is the smallest
of the alignment indices. No standard three-party index exists in the literature
(docs/methodology.md, section 8, gives the search); the rule is ours, chosen
because a crisis between any two camps is enough to start a war, so the world is
no more stable than its least stable alignment, and because the literature on
tripolar deterrence names both the two-against-one alignment and the crisis
between two parties with a third standing by as the ways a three-party world
can fail.
"""

from __future__ import annotations

import itertools

import numpy as np

from detente.model.scenario import StabilitySettings
from detente.stability.base import (
    Cases,
    DefinitionArrays,
    FloatArray,
    clip01,
    worst,
)
from detente.stability.costs import outcome_cost


def alignments(sides: tuple[str, ...]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every alignment of ``sides``, in a fixed order.

    First each pair ``(a,), (b,)`` in the order of ``sides``, the others standing by.
    Then, with three or more sides, each split of all the sides into two non-empty
    camps, once: by the size ``k`` of the first camp, 1 to ``N // 2``; for each ``k`` the
    first camps in the lexicographic order of their positions in ``sides``
    (:func:`itertools.combinations`), the second camp being the rest in order; when the
    camps are of equal size, only the split whose first camp holds ``sides[0]``. With
    three sides this is each side against the other two, in order; with two, the
    pair alone (the one split is the pair).
    """
    pairs = [((a,), (b,)) for i, a in enumerate(sides) for b in sides[i + 1 :]]
    n = len(sides)
    if n < 3:
        return list(pairs)
    splits: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for k in range(1, n // 2 + 1):
        for camp in itertools.combinations(sides, k):
            if 2 * k == n and sides[0] not in camp:
                continue
            splits.append((camp, tuple(s for s in sides if s not in camp)))
    return pairs + splits


def alignment_label(camp_a: tuple[str, ...], camp_b: tuple[str, ...]) -> str:
    """``us|ru``, ``us|ru+cn`` or ``a+b|c+d``."""
    return "+".join(camp_a) + "|" + "+".join(camp_b)


def _ratio(c_first: FloatArray, c_second: FloatArray) -> FloatArray:
    raw = c_first / np.where(c_second > 1e-12, c_second, np.nan)
    return np.where(c_second > 1e-12, raw, np.inf)


def _member_ratios(
    cases: Cases,
    camp: tuple[str, ...],
    other: tuple[str, ...],
    settings: StabilitySettings,
    details: dict[str, FloatArray],
    label: str,
) -> dict[str, FloatArray]:
    """Each member's ratio, bounded at 1 (1 for a member held to no first use)."""
    out: dict[str, FloatArray] = {}
    for side in camp:
        if len(camp) == 1 and len(other) == 1:
            first, second = cases.strike(side, other[0]), cases.strike(other[0], side)
            c1 = outcome_cost(first.damage_to_attacker, first.damage_to_defender, settings)
            c2 = outcome_cost(second.damage_to_defender, second.damage_to_attacker, settings)
        else:
            go, wait = cases.coalition(camp, other), cases.coalition(other, camp)
            least = [np.min(np.stack([c.damage[o] for o in other]), axis=0) for c in (go, wait)]
            c1 = outcome_cost(go.damage[side], least[0], settings)
            c2 = outcome_cost(wait.damage[side], least[1], settings)
        raw = _ratio(c1, c2)
        details[f"{label}.{side}.cost_first"] = c1
        details[f"{label}.{side}.cost_second"] = c2
        details[f"{label}.{side}.ratio_raw"] = raw
        ratio = np.minimum(raw, 1.0)
        barred = cases.barred(side)
        out[side] = ratio if barred is None else np.where(barred, 1.0, ratio)
    return out


def coalition_first_strike(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """First-strike stability of every alignment, combined by the weakest link.

    For an alignment of camps ``A`` and ``B`` each member ``x`` of ``A`` has Kent &
    Thaler's ratio ``r_x = C1_x / C2_x`` (bounded at 1): its cost when ``A`` strikes
    ``B`` first over its cost when ``B`` strikes ``A`` first, the cost of an outcome
    being :func:`~detente.stability.costs.outcome_cost` of its own damage and of the
    least damage done to the other camp. A camp goes first only if each member
    would, so ``r_A = max_x r_x``; the alignment's index is ``r_A r_B``, Kent &
    Thaler's index of two camps. A pair's alignment uses the bilateral strikes, each
    striker holding its reserve for the parties standing by. The combined value is
    the smallest alignment index; each side's component is its smallest ratio over
    the alignments it belongs to (its greatest temptation). A side the reading holds
    to no first use has ratio 1 throughout. Details: every alignment's index
    (``us|ru+cn.index``), camp ratios and each member's costs.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (the ratio and the index of
    two sides). Krepinevich, A. F. (2022). The New Nuclear Age. *Foreign Affairs*
    101(3) (a tripolar system less stable than a bipolar one). Weaver, G. & Woolf, A.
    (2024). *Requirements for nuclear deterrence and arms control in a
    two-nuclear-peer environment*. Atlantic Council (opportunistic or cooperative
    aggression by the two others).
    """
    details: dict[str, FloatArray] = {}
    indices: list[FloatArray] = []
    own: dict[str, list[FloatArray]] = {s: [] for s in cases.sides}
    for camp_a, camp_b in alignments(cases.sides):
        label = alignment_label(camp_a, camp_b)
        ra = _member_ratios(cases, camp_a, camp_b, settings, details, label)
        rb = _member_ratios(cases, camp_b, camp_a, settings, details, label)
        for side, r in {**ra, **rb}.items():
            own[side].append(r)
        camp_ra = np.max(np.stack(list(ra.values())), axis=0)
        camp_rb = np.max(np.stack(list(rb.values())), axis=0)
        index = camp_ra * camp_rb
        details[f"{label}.index"] = index
        details[f"{label}.{'+'.join(camp_a)}.ratio"] = camp_ra
        details[f"{label}.{'+'.join(camp_b)}.ratio"] = camp_rb
        indices.append(index)
    components = {side: worst(values) for side, values in own.items()}
    return DefinitionArrays(worst(indices), components, details)


def coalition_second_strike(cases: Cases, settings: StabilitySettings) -> DefinitionArrays:
    """Second-strike sufficiency against each other party alone and against all of them.

    Per side ``x``: after each other party's first strike (the striker holding its
    reserve for the parties standing by), the share of the striker's value ``x``'s
    answer destroys; after all the others strike ``x`` together, the share of each
    striker's value it destroys (its answer split between them so that each suffers
    alike), the least of them. ``x``'s component is the smallest of these over the
    threshold (``stability.unacceptable_damage``), capped at 1; the combined value
    is the smallest component. Details: each damage (``us.ru.damage``,
    ``us.ru+cn.damage``).

    References
    ----------
    Enthoven, A. C. & Smith, K. W. (1971). *How Much Is Enough?*, p. 207.
    Congressional Commission on the Strategic Posture of the United States (2023).
    *America's Strategic Posture* (deterring two nuclear peers at once).
    """
    components: dict[str, FloatArray] = {}
    details: dict[str, FloatArray] = {}
    threshold = settings.unacceptable_damage
    for side in cases.sides:
        others = cases.others(side)
        parts = []
        for other in others:
            inflicted = cases.strike(other, side).damage_to_attacker
            details[f"{side}.{other}.damage"] = inflicted
            parts.append(clip01(inflicted / threshold))
        if len(others) > 1 and (others, (side,)) in cases.coalitions:
            joint = cases.coalition(others, (side,))
            least = np.min(np.stack([joint.damage[o] for o in others]), axis=0)
            details[f"{side}.{'+'.join(others)}.damage"] = least
            parts.append(clip01(least / threshold))
        components[side] = worst(parts)
    return DefinitionArrays(worst(list(components.values())), components, details)

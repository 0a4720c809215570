"""Alignments of N sides and the weakest-link index over them, on constructed four-sided cases.

Scenarios hold at most three sides, so the four-sided cases here are built directly as
:class:`~detente.stability.base.Cases` (made-up damages, one value per row); every expected
value comes from a second computation in this file or from the construction of the case.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from detente.analysis.cases import coalition_camps
from detente.engine.coalition import coalition_chunks
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays
from detente.errors import InvalidArgumentError
from detente.examples import toy_triad
from detente.model.scenario import StabilitySettings
from detente.stability.base import Cases, CoalitionStrike, Strike
from detente.stability.coalitions import alignment_label, alignments, coalition_first_strike
from detente.stability.costs import outcome_cost

ROWS = 5
SIDES4 = ("a", "b", "c", "d")


def test_alignments_of_four_sides_in_their_documented_order():
    labels = [alignment_label(*x) for x in alignments(SIDES4)]
    assert labels == [
        "a|b",
        "a|c",
        "a|d",
        "b|c",
        "b|d",
        "c|d",
        "a|b+c+d",
        "b|a+c+d",
        "c|a+b+d",
        "d|a+b+c",
        "a+b|c+d",
        "a+c|b+d",
        "a+d|b+c",
    ]


def test_alignments_of_two_and_three_sides_are_unchanged():
    assert alignments(("us", "ru")) == [(("us",), ("ru",))]
    sides = ("us", "ru", "cn")
    old = [((a,), (b,)) for i, a in enumerate(sides) for b in sides[i + 1 :]]
    old += [((s,), tuple(o for o in sides if o != s)) for s in sides]
    assert alignments(sides) == old
    assert coalition_camps(sides) == [
        (("us",), ("ru", "cn")),
        (("ru", "cn"), ("us",)),
        (("ru",), ("us", "cn")),
        (("us", "cn"), ("ru",)),
        (("cn",), ("us", "ru")),
        (("us", "ru"), ("cn",)),
    ]


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_every_pair_and_every_split_into_two_camps_once(n):
    sides = tuple("abcdef"[:n])
    got = alignments(sides)
    pairs = {frozenset({a, b}) for a, b in itertools.combinations(sides, 2)}
    # every split into two non-empty camps, as an unordered pair of camps
    splits = {
        frozenset({frozenset(c), frozenset(set(sides) - set(c))})
        for k in range(1, n)
        for c in itertools.combinations(sides, k)
    }
    assert len(splits) == 2 ** (n - 1) - 1
    keys = [
        frozenset({a[0], b[0]})
        if len(a) == len(b) == 1
        else frozenset({frozenset(a), frozenset(b)})
        for a, b in got
    ]
    assert len(keys) == len(set(keys)) == len(pairs) + len(splits)
    assert set(keys[: len(pairs)]) == pairs and set(keys[len(pairs) :]) == splits
    for a, b in got:  # each camp keeps the order of ``sides``
        assert list(a) == [s for s in sides if s in a] and list(b) == [s for s in sides if s in b]


# --------------------------------------------------------------------------------------------
# The index over a four-sided case


def _strike(attacker: str, defender: str, to_attacker: np.ndarray, to_defender: np.ndarray):
    zero = np.zeros(ROWS)
    return Strike(
        attacker,
        defender,
        to_attacker,
        to_defender,
        *([zero] * 12),
    )


def _cases(damage) -> Cases:
    """Four sides; ``damage(strikers, victims, party)`` the share of ``party``'s value
    destroyed when ``strikers`` strike ``victims`` first."""
    strikes = {
        (x, y): _strike(x, y, damage((x,), (y,), x), damage((x,), (y,), y))
        for x, y in itertools.permutations(SIDES4, 2)
    }
    coalitions = {
        (s, v): CoalitionStrike(s, v, {p: damage(s, v, p) for p in s + v}, np.zeros(ROWS))
        for s, v in coalition_camps(SIDES4)
    }
    return Cases(SIDES4, strikes, coalitions=coalitions)


def _random_damage(seed: int):
    rng = np.random.default_rng(seed)
    table: dict[tuple[tuple[str, ...], tuple[str, ...], str], np.ndarray] = {}

    def damage(s, v, p):
        return table.setdefault((s, v, p), rng.uniform(0.05, 0.95, ROWS))

    return damage


def _expected(cases: Cases, settings: StabilitySettings):
    """The weakest link recomputed alignment by alignment: (value, index per label,
    component per side)."""
    index, own = {}, {s: [] for s in SIDES4}

    def ratios(camp, other):
        out = []
        for x in camp:
            if len(camp) == len(other) == 1:
                go, wait = cases.strike(x, other[0]), cases.strike(other[0], x)
                c1 = outcome_cost(go.damage_to_attacker, go.damage_to_defender, settings)
                c2 = outcome_cost(wait.damage_to_defender, wait.damage_to_attacker, settings)
            else:
                go, wait = cases.coalition(camp, other), cases.coalition(other, camp)
                c1 = outcome_cost(go.damage[x], np.min([go.damage[o] for o in other], 0), settings)
                c2 = outcome_cost(
                    wait.damage[x], np.min([wait.damage[o] for o in other], 0), settings
                )
            r = np.minimum(c1 / c2, 1.0)
            own[x].append(r)
            out.append(r)
        return np.max(out, axis=0)

    for a, b in alignments(SIDES4):
        index[alignment_label(a, b)] = ratios(a, b) * ratios(b, a)
    value = np.min(list(index.values()), axis=0)
    return value, index, {s: np.min(v, axis=0) for s, v in own.items()}


def test_the_index_over_four_sides_is_the_weakest_of_thirteen_alignments():
    settings = StabilitySettings()
    cases = _cases(_random_damage(7))
    got = coalition_first_strike(cases, settings)
    value, index, components = _expected(cases, settings)
    got_index = {
        k.removesuffix(".index"): v for k, v in got.details.items() if k.endswith(".index")
    }
    assert set(got_index) == set(index) and len(index) == 13
    for label, v in index.items():
        np.testing.assert_allclose(got_index[label], v, rtol=0, atol=1e-12, err_msg=label)
    np.testing.assert_allclose(got.value, value, rtol=0, atol=1e-12)
    for side in SIDES4:
        np.testing.assert_allclose(got.components[side], components[side], rtol=0, atol=1e-12)
    # the two-against-two alignments take part: some row's weakest link is one of them
    assert "a+b|c+d.a+b.ratio" in got.details and "a+b|c+d.c+d.ratio" in got.details


def test_a_two_against_two_alignment_that_is_weakest_sets_the_value():
    """Every alignment costs the same either way (index 1) except a+c|b+d, where striking
    first halves the damage each member suffers: its index is known in closed form."""
    settings = StabilitySettings()

    def damage(s, v, p):
        if {s, v} == {("a", "c"), ("b", "d")}:
            return np.full(ROWS, 0.3 if p in s else 0.6)
        return np.full(ROWS, 0.5)

    got = coalition_first_strike(_cases(damage), settings)
    r = outcome_cost(0.3, 0.6, settings) / outcome_cost(0.6, 0.3, settings)
    assert r < 1.0
    for label in (alignment_label(*x) for x in alignments(SIDES4)):
        expected = r * r if label == "a+c|b+d" else 1.0
        np.testing.assert_allclose(got.details[f"{label}.index"], expected, atol=1e-12)
    np.testing.assert_allclose(got.value, r * r, atol=1e-12)
    for side in SIDES4:
        np.testing.assert_allclose(got.components[side], r, atol=1e-12)


def test_two_identical_camps_get_equal_values():
    """The damages are unchanged when a and b trade places with c and d (a <-> c,
    b <-> d): the camps a+b and c+d are identical, so are a and c, and b and d."""
    swap = {"a": "c", "b": "d", "c": "a", "d": "b"}
    rng = np.random.default_rng(11)
    table: dict[tuple[frozenset[str], frozenset[str], str], np.ndarray] = {}

    def canonical(s, v, p):
        key = (frozenset(s), frozenset(v), p)
        mirror = (frozenset(swap[x] for x in s), frozenset(swap[x] for x in v), swap[p])
        return min(key, mirror, key=lambda k: (sorted(k[0]), sorted(k[1]), k[2]))

    def damage(s, v, p):
        return table.setdefault(canonical(s, v, p), rng.uniform(0.05, 0.95, ROWS))

    got = coalition_first_strike(_cases(damage), StabilitySettings())
    d = got.details
    np.testing.assert_allclose(d["a+b|c+d.a+b.ratio"], d["a+b|c+d.c+d.ratio"], atol=1e-12)
    np.testing.assert_allclose(
        d["a+b|c+d.index"], d["a+b|c+d.a+b.ratio"] ** 2, rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(d["a|b+c+d.index"], d["c|a+b+d.index"], atol=1e-12)
    np.testing.assert_allclose(d["a+d|b+c.a+d.ratio"], d["a+d|b+c.b+c.ratio"], atol=1e-12)
    np.testing.assert_allclose(got.components["a"], got.components["c"], atol=1e-12)
    np.testing.assert_allclose(got.components["b"], got.components["d"], atol=1e-12)


# --------------------------------------------------------------------------------------------
# The coalition exchange refuses a camp of several striking a camp of several


def _party(actor: str) -> tuple[SideArrays, Multipliers]:
    from detente.engine.exchange import compile_sides

    tri = toy_triad(actors=("a", "b", "c"), icbms=20)
    side, _ = compile_sides(tri, actor, "b" if actor == "a" else "a")
    return side, Multipliers.ones(1)


def test_the_coalition_exchange_refuses_two_striking_two():
    a, b, c = _party("a"), _party("b"), _party("c")
    with pytest.raises(InvalidArgumentError, match=r"a\+b\|c\+a: a camp of several sides"):
        coalition_chunks([a, b], [c, a], toy_triad().exchange, lambda x, y: x)
    with pytest.raises(InvalidArgumentError, match="a camp of more than two sides"):
        coalition_chunks([a], [b, c, c], toy_triad().exchange, lambda x, y: x)

"""Three parties on constructed cases: bystanders, reserves, coalitions, symmetry, pledges.

Every expected value here comes from a second computation the code under test does not
share (the same pair run as a dyad, scipy's root finder, the bilateral exchange for a
coalition of one) or from the construction of the case (identical parties, a party with
no weapons).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq

from detente.analysis.assess import assess
from detente.analysis.evaluate import evaluate
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.engine.coalition import Target, coalition_chunks, split_on_value
from detente.engine.exchange import attacker_cost, chosen_exchange, compile_sides
from detente.engine.merge import KNOWN_FIELDS, merge_sides
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays, side_rows
from detente.engine.third_party import reserve_share
from detente.engine.value import strike_on_value
from detente.engine.weapons import ready_weapons
from detente.examples import toy_dyad, toy_posture, toy_triad
from detente.io import load_scenario
from detente.model.perspective import CN_READING, FULL, readings_for
from detente.model.scenario import ExchangeSettings, Scenario, Side
from detente.stability import DEFINITIONS, pair_definition, split_pair_definition

TOL = 1e-9
TRIANGLE_2030 = Path(__file__).resolve().parents[1] / "examples" / "triangle-2030.yaml"


def _retarget(scenario: Scenario, actor: str, **changes: object) -> Scenario:
    """``scenario`` with ``actor``'s posture changed by ``changes`` (model fields)."""
    sides = tuple(
        s.model_copy(update={"posture": s.posture.model_copy(update=changes)})
        if s.actor == actor
        else s
        for s in scenario.sides
    )
    return scenario.model_copy(update={"sides": sides})


def _only_one_threatened() -> Scenario:
    """a, b, c: c's missiles (8,000 km) reach a's value (5,500 km) but not b's (9,000 km)."""
    tri = toy_triad(icbms=100, mirv=3, slbms=40)
    b = tri.side("b").posture
    b_targets = tuple(
        t.model_copy(update={"standoff_km": 9000.0}) if t.kind == "value" else t for t in b.targets
    )
    c = tri.side("c").posture
    c_systems = tuple(s.model_copy(update={"range_km": 8000.0}) for s in c.systems)
    tri = _retarget(tri, "b", targets=b_targets)
    return _retarget(tri, "c", systems=c_systems)


def _pairwise(scenario: Scenario, pair: tuple[str, str]) -> dict[tuple[str, str, str], float]:
    """Every pairwise definition of ``pair``: keyed (definition, reading, pair's case)."""
    spec = OutcomeSpec(sides=tuple(a.actor for a in scenario.sides))
    out = evaluate(scenario, Experiments.baseline(), outcomes=spec).outcomes
    values = {}
    for (name, persp, case), d in out.definitions.items():
        key = name if len(scenario.sides) == 2 else None
        if key is None:
            for base in DEFINITIONS:
                if name == pair_definition(base, pair):
                    key = base
        if key is None or key not in DEFINITIONS:
            continue
        levels = "/".join(f"{a}:{lv}" for a, lv in case.levels if a in pair)
        values[(key, persp, levels + ("/ride_out" if case.ride_out else ""))] = float(d.value[0])
    return values


# --------------------------------------------------------------------------------------------
# Must show: a third party with no forces leaves every bilateral value unchanged


def test_a_third_party_with_no_forces_leaves_every_bilateral_value_unchanged():
    dyad = toy_dyad(icbms=100, mirv=3, slbms=40)
    empty = toy_posture("c", icbms=0)
    tri = Scenario(name="t", sides=(*dyad.sides, Side(posture=empty)))
    alone = _pairwise(dyad, ("a", "b"))
    with_c = _pairwise(tri, ("a", "b"))
    assert set(alone) == set(with_c) and len(alone) == 5 * 3 * 8
    for key, value in alone.items():
        assert with_c[key] == pytest.approx(value, abs=TOL), key


def test_no_reserve_is_held_for_a_party_that_cannot_strike():
    tri = Scenario(
        name="t", sides=(*toy_dyad(icbms=50).sides, Side(posture=toy_posture("c", icbms=0)))
    )
    result = assess(tri)
    assert result.triangle is not None
    for m in result.triangle.aftermath:
        if m.bystanders == ("c",):  # c has nothing: no reserve is kept for it
            assert m.reserved == 0.0, m.label
        elif m.strikers != ("c",) and m.bystanders:  # a or b stands by: it can strike
            assert m.reserved > 0.0, m.label


# --------------------------------------------------------------------------------------------
# Must show: a third party that threatens only one side changes only that side's reserve


def _strikes(scenario: Scenario) -> dict[tuple[str, str], dict[str, float]]:
    spec = OutcomeSpec(perspectives=(FULL,), alert_cases="own")
    out = evaluate(scenario, outcomes=spec).outcomes
    case = next(k[1] for k in out.strikes if not k[1].ride_out)
    return {
        (a, d): {
            "damage_to_attacker": float(s.damage_to_attacker[0]),
            "damage_to_defender": float(s.damage_to_defender[0]),
            "strike_share": float(s.strike_share[0]),
        }
        for (p, c, a, d), s in out.strikes.items()
        if c == case and not c.ride_out
    }


def test_a_third_party_threatening_one_side_changes_only_that_sides_reserve_and_strikes():
    tri = _only_one_threatened()
    settings = tri.exchange
    assert _reserve(tri, "a", "b") > 0.0  # c can strike a: a keeps a reserve for it
    assert _reserve(tri, "b", "a") == 0.0  # c cannot reach b: b keeps nothing back
    with_c = _strikes(tri)
    dyad = Scenario(name="ab", sides=tri.sides[:2], exchange=settings)
    alone = _strikes(dyad.model_copy(update={"sides": tri.sides[:2]}))
    # b's strike on a is the one b makes with no third party at all...
    assert with_c[("b", "a")] == pytest.approx(alone[("b", "a")], abs=TOL)
    # ...while a, which must keep c deterred, strikes b differently.
    assert with_c[("a", "b")] != pytest.approx(alone[("a", "b")], abs=1e-6)


def _reserve(scenario: Scenario, attacker: str, defender: str) -> float:
    from detente.engine.exchange import compile_bystanders

    att, dfn = compile_sides(scenario, attacker, defender)
    ones = Multipliers.ones(1)
    by = compile_bystanders(scenario, attacker, defender)
    flows = chosen_exchange(scenario, att, dfn, ones, ones, bystanders=by)
    return float(flows.attacker_reserved.sum())


def test_a_third_party_threatening_one_side_changes_only_that_sides_incentive():
    tri = _only_one_threatened()
    pair = ("a", "b")
    spec = OutcomeSpec(sides=("a", "b", "c"), perspectives=(FULL,), alert_cases="own")
    out = evaluate(tri, outcomes=spec).outcomes
    dyad_out = evaluate(
        tri.model_copy(update={"sides": tri.sides[:2]}),
        outcomes=OutcomeSpec(perspectives=(FULL,), alert_cases="own"),
    ).outcomes
    name = pair_definition("first_strike", pair)
    with_c = next(d for (n, _, c), d in out.definitions.items() if n == name and not c.ride_out)
    alone = next(
        d for (n, _, c), d in dyad_out.definitions.items() if n == "first_strike" and not c.ride_out
    )
    # b's cost of striking first is unchanged; a's is not.
    assert with_c.details["b.cost_first"][0] == pytest.approx(
        alone.details["b.cost_first"][0], abs=TOL
    )
    assert with_c.details["a.cost_first"][0] != pytest.approx(
        alone.details["a.cost_first"][0], abs=1e-6
    )


# --------------------------------------------------------------------------------------------
# Must show: symmetry when two parties are identical


def test_two_identical_parties_get_identical_values():
    tri = toy_triad({"c": {"icbms": 60, "slbms": 60}}, icbms=100, mirv=3, slbms=20)
    spec = OutcomeSpec(perspectives=(FULL,), alert_cases="own", coalitions=True)
    out = evaluate(tri, outcomes=spec).outcomes
    for (name, _, _), d in out.definitions.items():
        if name in ("first_strike", "second_strike", "damage_limitation", "use_or_lose"):
            assert d.components["a"][0] == pytest.approx(d.components["b"][0], abs=1e-9), name
        if name == "first_strike_alignments":
            index = {
                k.removesuffix(".index"): float(v[0])
                for k, v in d.details.items()
                if k.endswith(".index")
            }
            assert index["a|b+c"] == pytest.approx(index["b|a+c"], abs=1e-9)
            assert index["a|c"] == pytest.approx(index["b|c"], abs=1e-9)
            assert d.components["a"][0] == pytest.approx(d.components["b"][0], abs=1e-9)
        if name == "second_strike_coalitions":
            assert d.components["a"][0] == pytest.approx(d.components["b"][0], abs=1e-9)
    for (_, _, strikers, _victims), c in out.coalitions.items():
        if strikers == ("a", "b"):
            assert c.damage["a"][0] == pytest.approx(c.damage["b"][0], abs=1e-6)


# --------------------------------------------------------------------------------------------
# The reserve and the split against exact references


def _compiled(scenario: Scenario, actor: str) -> SideArrays:
    side = scenario.side(actor)
    return side_rows(side.posture, side.factors, [(FULL, side.posture.alert)])


@pytest.mark.parametrize("damage", [0.2, 0.5, 0.8])
def test_the_reserve_is_the_smallest_share_that_reaches_the_damage(damage):
    tri = toy_triad({"c": {"interceptors": 50}}, icbms=120, mirv=3, slbms=30)
    att, by = _compiled(tri, "a"), _compiled(tri, "c")
    ones = Multipliers.ones(1)
    weapons = ready_weapons(att, ones, ExchangeSettings())
    h = float(reserve_share(att, ones, weapons, by, ones, damage)[0])
    target = Target.of(by, ones)

    def dealt(share: float) -> float:
        flying = weapons.total * weapons.reliability * share
        return float(
            strike_on_value(att, ones, by, ones, target.tables, flying, target.interceptors)[2][0]
            - damage
        )

    if dealt(1.0) < 0.0:  # the whole force falls short: all of it is kept
        assert h == 1.0
        return
    exact = brentq(dealt, 0.0, 1.0, xtol=1e-14)
    assert h == pytest.approx(exact, abs=1e-9)
    assert 0.0 < h < 1.0


def test_the_split_between_two_targets_leaves_them_equally_damaged():
    tri = toy_triad({"b": {"interceptors": 80}}, icbms=100, mirv=3)
    a, b, c = (_compiled(tri, x) for x in "abc")
    ones = Multipliers.ones(1)
    flying = np.full((1, a.n_systems), 200.0)
    split = split_on_value(a, ones, flying, [Target.of(b, ones), Target.of(c, ones)])
    assert split.damage[0][0] == pytest.approx(split.damage[1][0], abs=1e-6)
    assert split.arrived[0].sum() + split.arrived[1].sum() + split.intercepted[0].sum() + (
        split.intercepted[1].sum()
    ) == pytest.approx(flying.sum(), rel=1e-12)


# --------------------------------------------------------------------------------------------
# Coalitions


def test_a_coalition_of_one_is_the_bilateral_exchange():
    dyad = toy_dyad(icbms=100, mirv=3, slbms=40, b={"interceptors": 30})
    a, b = _compiled(dyad, "a"), _compiled(dyad, "b")
    ones = Multipliers.ones(1)
    cost = attacker_cost(dyad)
    bilateral = chosen_exchange(dyad, a, b, ones, ones)
    for camp in (coalition_chunks([(a, ones)], [(b, ones)], dyad.exchange, cost),):
        assert camp.damage["a"][0] == pytest.approx(bilateral.damage_to_attacker[0], abs=1e-9)
        assert camp.damage["b"][0] == pytest.approx(bilateral.damage_to_defender[0], abs=1e-9)
        assert camp.strike_share[0] == bilateral.strike_share[0]
        assert camp.destroyed["b"][0].sum() == pytest.approx(
            bilateral.defender_destroyed[0].sum(), abs=1e-9
        )


def test_merging_one_side_gives_the_same_side():
    a = _compiled(toy_dyad(slbms=30, interceptors=20), "a")
    merged = merge_sides([(a, Multipliers.ones(1))], "a")
    for name in ("launchers", "load", "cep_m", "yield_kt", "layer_pk", "interceptors", "home"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(a, name))
    assert set(a.__dataclass_fields__) == set(KNOWN_FIELDS)


def test_a_coalition_strikes_harder_than_either_member_alone():
    tri = toy_triad({"c": {"icbms": 400, "mirv": 1}}, icbms=100, mirv=3)
    a, b, c = (_compiled(tri, x) for x in "abc")
    ones = Multipliers.ones(1)
    settings = ExchangeSettings(reserve_fraction=0.0, max_shots_per_aim_point=2)
    cost = attacker_cost(tri)
    joint = coalition_chunks([(a, ones), (b, ones)], [(c, ones)], settings, cost)
    solo = coalition_chunks([(a, ones)], [(c, ones)], settings, cost)
    assert joint.destroyed["c"].sum() > solo.destroyed["c"].sum()
    assert joint.damage["c"][0] >= solo.damage["c"][0]


def test_the_coalition_rows_do_not_depend_on_how_rows_are_grouped():
    tri = toy_triad(icbms=80, mirv=2, slbms=20)
    a, b, c = (_compiled(tri, x) for x in "abc")
    cep = Multipliers.from_mapping({"cep": [1.0, 1.3, 1.0, 0.8]})
    ones = Multipliers.ones(4)
    cost = attacker_cost(tri)
    batch = coalition_chunks([(a, cep), (b, ones)], [(c, ones)], tri.exchange, cost)
    for row in range(4):
        one = coalition_chunks(
            [(a, cep.take(np.array([row]))), (b, Multipliers.ones(1))],
            [(c, Multipliers.ones(1))],
            tri.exchange,
            cost,
        )
        for party in "abc":
            assert batch.damage[party][row] == pytest.approx(one.damage[party][0], abs=1e-12)


# --------------------------------------------------------------------------------------------
# Readings per party and the Chinese reading


def test_readings_are_named_per_party():
    assert [p.id for p in readings_for(["us", "ru"])] == ["full", "us", "ru"]
    assert [p.id for p in readings_for(["us", "ru", "cn"])] == ["full", "us", "ru", "cn"]
    assert [p.id for p in readings_for(["us", "cn"])] == ["full", "us", "cn"]
    assert all(p.actor == p.id for p in readings_for(["us", "ru", "cn"])[1:])


def test_the_chinese_reading_takes_a_no_first_use_pledge_at_its_word():
    pledged = toy_posture("b", icbms=100, mirv=3).model_copy(update={"no_first_use": True})
    dyad = Scenario(
        name="d", sides=(Side(posture=toy_posture("a", icbms=100, mirv=3)), Side(posture=pledged))
    )
    spec = OutcomeSpec(perspectives=(FULL, CN_READING), alert_cases="own")
    out = evaluate(dyad, outcomes=spec).outcomes
    value = {(n, p): d for (n, p, c), d in out.definitions.items() if not c.ride_out}
    full, cn = value[("first_strike", "full")], value[("first_strike", "cn")]
    assert full.components["b"][0] < 1.0  # b would gain by striking first...
    assert cn.components["b"][0] == 1.0  # ...but the Chinese reading holds it to its pledge
    assert cn.details["b.ratio_if_it_would_strike"][0] == pytest.approx(
        full.components["b"][0], abs=TOL
    )
    assert cn.components["a"][0] == pytest.approx(full.components["a"][0], abs=TOL)
    assert value[("damage_limitation", "cn")].components["b"][0] == 1.0


def test_the_chinese_reading_counts_what_the_full_reading_counts():
    # methodology section 5: the Chinese reading is the full reading with China's pledge
    # of no first use honoured; every capability switch is the full reading's
    switches = {"id", "label", "actor", "note", "honour_no_first_use"}
    assert CN_READING.model_dump(exclude=switches) == FULL.model_dump(exclude=switches)
    assert CN_READING.honour_no_first_use and not FULL.honour_no_first_use
    # So on the 2030 triangle without the pledge the two readings agree on every value;
    # with it they part only on the definitions that ask whether a party would go first.
    tri = load_scenario(TRIANGLE_2030)
    assert tri.side("cn").posture.no_first_use
    unpledged = _retarget(tri, "cn", no_first_use=False)
    first_use = {"first_strike", "first_strike_alignments", "damage_limitation", "arms_race"}
    for scenario, may_differ in ((unpledged, set()), (tri, first_use)):
        result = assess(scenario, perspectives=(FULL, CN_READING))
        keys = [(n, c) for n, p, c in result.results if p == "full"]
        # 5 definitions over all parties and for each of 3 pairs, 2 of three parties;
        # 2 x 2 x 2 alert levels, each by policy and all riding out
        assert len(keys) == (5 + 5 * 3 + 2) * 16
        differ = set()
        for name, case in keys:
            if result.results[(name, "full", case)] != result.results[(name, "cn", case)]:
                split = split_pair_definition(name)
                differ.add(name if split is None else split[0])
        assert differ <= may_differ, differ
        if may_differ:
            assert differ >= {"first_strike", "first_strike_alignments"}

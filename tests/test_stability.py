"""Stability definitions: their meaning on constructed postures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from detente.analysis.assess import assess
from detente.engine.exchange import run_exchange
from detente.examples import geneva_2021, toy_dyad
from detente.io import with_changes
from detente.model.force import AlertFractions, System
from detente.model.scenario import StabilitySettings
from detente.stability import DEFINITIONS, Cases, Strike
from detente.stability.verdicts import READINGS, verdict

ALL = tuple(DEFINITIONS)


def _head(scenario, name="first_strike"):
    return assess(scenario).value(name)


def test_every_definition_in_unit_interval_for_every_case():
    a = assess(toy_dyad(a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0}, b={"slbms": 60}))
    assert len(a.case_keys) == 8  # four alert cases, each by policy and with all riding out
    assert {p.id for p in a.perspectives} == {"full", "us", "ru"}
    for (name, _, _), res in a.results.items():
        assert name in ALL
        assert 0.0 <= res.value <= 1.0
        assert all(0.0 <= v <= 1.0 for v in res.components.values())
        assert set(res.components) == {"a", "b"}


def test_invulnerable_second_strike_forces_are_first_strike_stable():
    # Everything at sea, nothing to strike: going first gains nothing.
    s = toy_dyad(icbms=0, slbms=100, at_sea=1.0)
    res = _head(s)
    assert res.value == pytest.approx(1.0, abs=1e-9)
    assert _head(s, "damage_limitation").value == pytest.approx(1.0)


def test_soft_silos_facing_accurate_mirvs_are_markedly_less_stable():
    safe = _head(toy_dyad(icbms=0, slbms=100, at_sea=1.0)).value
    exposed = _head(
        toy_dyad(
            a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0},
            b={"icbms": 200, "silo_hardness_psi": 300.0},
        )
    )
    assert exposed.value < safe - 0.3
    # The side holding the MIRVs is the one tempted to go first.
    assert exposed.components["a"] < exposed.components["b"]


def test_adding_survivable_ssbns_to_the_vulnerable_side_raises_stability():
    a_side = {"icbms": 200, "mirv": 3.0, "cep_m": 90.0}
    vulnerable = {"icbms": 200, "silo_hardness_psi": 300.0}
    before = _head(toy_dyad(a=a_side, b=vulnerable)).value
    after = _head(toy_dyad(a=a_side, b={**vulnerable, "slbms": 50, "at_sea": 0.9})).value
    assert after > before + 0.1


def test_identical_postures_give_identical_components():
    a = assess(toy_dyad(icbms=150, mirv=2.0, slbms=40, interceptors=20))
    symmetric = {"a:day_to_day/b:day_to_day", "a:generated/b:generated"}
    checked = 0
    for (_, _, key), res in a.results.items():
        if str(key) not in symmetric:
            continue
        checked += 1
        assert res.components["a"] == pytest.approx(res.components["b"], abs=1e-12)
    assert checked == 2 * 3 * len(ALL)


def test_defences_on_one_side_shift_both_incentives_as_documented():
    # Documented direction (docs/methodology.md, after Wilkening & Watman 1986):
    # defences blunt a ragged retaliation more than a full first strike, so the
    # defended side's first-strike ratio falls (more tempted to go first) and the
    # undefended side's ratio rises (its own first strike buys less).
    base = _head(toy_dyad(icbms=200, mirv=3.0, cep_m=90.0))
    defended = _head(toy_dyad(icbms=200, mirv=3.0, cep_m=90.0, a={"interceptors": 200}))
    assert defended.components["a"] < base.components["a"] - 0.02
    assert defended.components["b"] > base.components["b"] + 0.02


def test_counterforce_build_up_shows_in_arms_race_stability():
    # More MIRVs on accurate ICBMs facing silos raise the threat the other side faces.
    a = assess(toy_dyad(icbms=200, mirv=3.0, cep_m=90.0))
    details = a.value("arms_race").details
    assert details["a.warheads.elasticity"] > 0.1
    assert details["b.interceptors.elasticity"] == pytest.approx(0.0)  # none to scale
    assert a.value("arms_race").value < 0.95


def test_build_ups_cannot_threaten_forces_at_sea():
    a = assess(toy_dyad(icbms=0, slbms=100, at_sea=1.0))
    assert a.value("arms_race").value == pytest.approx(1.0)


def test_generating_forces_relieves_use_or_lose_pressure():
    a = assess(toy_dyad(icbms=100, mirv=3.0, cep_m=90.0, slbms=60, at_sea=0.3))
    key = "a:day_to_day/b:day_to_day"
    details = a.value("use_or_lose", "full", key).details
    assert details["b.generation_relief"] > 0.1


def test_perspectives_diverge_when_only_counted_capabilities_differ():
    # b's only defence counts under the Russian reading and not under the US reading.
    a = assess(toy_dyad(icbms=200, mirv=3.0, cep_m=90.0, b={"interceptors": 300}))
    top = a.disagreements()[0]
    assert top.difference > 0.01
    key = "a:day_to_day/b:day_to_day"
    us = a.value("first_strike", "us", key).components["b"]
    ru = a.value("first_strike", "ru", key).components["b"]
    assert ru < us  # counting b's defences makes b look more tempted


def test_verdict_words_only_where_a_basis_is_stated():
    assert verdict("first_strike", 0.95) == "stable"
    assert verdict("first_strike", 0.6) == "fragile"
    assert verdict("first_strike", 0.1) == "unstable"
    assert verdict("second_strike", 1.0) == "sufficient"
    assert verdict("second_strike", 0.99) == "insufficient"
    for name in ("damage_limitation", "use_or_lose", "arms_race"):
        assert verdict(name, 0.1) is None and verdict(name, 0.95) is None
    for name, reading in READINGS.items():
        assert reading.basis and reading.explains, name
        assert len(reading.measures) <= 40, name


# --- the striker chooses its strike (Kent & Thaler's stop rule) ---------------------------

FIXED_DOCTRINES = [(r, s) for r in (0.0, 0.25, 0.5) for s in (1, 2, 3)]


@pytest.mark.parametrize(
    "scenario",
    [
        toy_dyad(icbms=200, mirv=3.0, cep_m=90.0, slbms=40),
        toy_dyad(a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0}, b={"icbms": 150, "slbms": 60}),
        toy_dyad(icbms=120, mirv=2.0, slbms=30, interceptors=60, launch_on_warning=True),
    ],
    ids=["symmetric", "asymmetric", "defended"],
)
def test_no_fixed_doctrine_is_more_tempting_than_the_chosen_strike(scenario):
    # Each striker takes the strike that costs it least, so its cost of going first is no
    # higher than under any fixed doctrine (reserve shares on the 10% grid, one to three
    # warheads per aim point), and against the same cost of being struck its ratio is no
    # higher either. (The index of two fixed doctrines can still be lower: a strike the other
    # side would not choose can raise a side's cost of being struck; see the next test.)
    chosen = _head(scenario)
    for reserve, shots in FIXED_DOCTRINES:
        fixed = _head(scenario.with_fixed_doctrine(reserve, shots))
        for side in ("a", "b"):
            c1_fixed = fixed.details[f"{side}.cost_first"]
            assert chosen.details[f"{side}.cost_first"] <= c1_fixed + 1e-9, (reserve, shots)
            ratio_fixed = min(1.0, c1_fixed / chosen.details[f"{side}.cost_second"])
            assert chosen.components[side] <= ratio_fixed + 1e-9, (reserve, shots)


def test_a_fixed_doctrine_can_give_a_lower_index_but_never_a_cheaper_first_strike():
    # docs/methodology.md section 4.1: on the 2021 baseline with all riding out, a fixed 25%
    # reserve and three warheads per aim point give a lower index than the chosen strikes,
    # because Russia's fixed strike (75% on counterforce where it would choose 90%) costs the
    # United States more when struck; each side's own cost of striking first is still higher.
    base = geneva_2021()
    chosen = assess(base)
    case = chosen.headline_case.riding_out()
    fixed = assess(
        with_changes(
            base, {"exchange.reserve_fraction": 0.25, "exchange.max_shots_per_aim_point": 3}
        )
    )
    c, f = chosen.value("first_strike", "full", case), fixed.value("first_strike", "full", case)
    assert f.value < c.value - 0.003
    for side in ("us", "ru"):
        assert c.details[f"{side}.cost_first"] < f.details[f"{side}.cost_first"], side
    assert f.details["us.cost_second"] > c.details["us.cost_second"] + 0.01
    assert f.components["us"] < c.components["us"] and f.components["ru"] > c.components["ru"]


def test_a_fixed_doctrine_in_the_scenario_is_followed():
    s = toy_dyad(icbms=200, mirv=3.0, cep_m=90.0).with_fixed_doctrine(0.25, 2)
    assert s.exchange.fixed_doctrine
    out = run_exchange(s, "a", "b")
    ready = out.attacker_total("ready")
    assert out.attacker_total("counterforce") <= 0.75 * ready + 1e-9
    assert out.strike_shots == 2 and out.strike_share == pytest.approx(0.75)
    chosen = run_exchange(toy_dyad(icbms=200, mirv=3.0, cep_m=90.0), "a", "b")
    assert chosen.strike_shots in (1, 2, 3)
    assert chosen.strike_share in [k / 10 for k in range(11)]


def test_the_bound_binds_but_the_raw_ratio_keeps_the_direction():
    # Both sides generated and invulnerable: going first costs more than waiting.
    s = toy_dyad(icbms=0, slbms=100, at_sea=1.0)
    res = _head(s)
    assert res.value == pytest.approx(1.0)
    assert res.details["a.ratio_raw"] >= 1.0
    assert "a.ratio_raw" in res.details and "b.strike_share" in res.details


def test_verdict_calibration_on_constructed_forces():
    # docs/methodology.md section 4: MIRVed silo forces with nothing survivable fall below
    # 0.45, single-warhead silos and forces at sea above 0.75, forces with 40% of their
    # warheads survivable at sea between.
    mirved = _head(toy_dyad(icbms=200, mirv=10.0, cep_m=90.0)).value
    mirv3 = _head(toy_dyad(icbms=200, mirv=3.0, cep_m=90.0)).value
    single = _head(toy_dyad(icbms=200, mirv=1.0, cep_m=90.0)).value
    half = _head(toy_dyad(icbms=100, mirv=10.0, cep_m=90.0, slbms=250, at_sea=0.8)).value
    at_sea = _head(toy_dyad(icbms=0, slbms=100, at_sea=1.0)).value
    assert verdict("first_strike", mirved) == verdict("first_strike", mirv3) == "unstable"
    assert verdict("first_strike", half) == "fragile"
    assert verdict("first_strike", single) == verdict("first_strike", at_sea) == "stable"


# --- damage limitation on damage ---------------------------------------------------------


def _value_area(s, actor, area_km2):
    """``s`` with ``actor``'s value spread over ``area_km2`` in all."""
    side = s.side(actor)
    targets = tuple(
        t.model_copy(update={"value_area_km2": area_km2}) if t.kind == "value" else t
        for t in side.posture.targets
    )
    posture = side.posture.model_copy(update={"targets": targets})
    sides = tuple(
        x.model_copy(update={"posture": posture}) if x.actor == actor else x for x in s.sides
    )
    return s.model_copy(update={"sides": sides})


def test_damage_limitation_is_one_when_retaliation_saturates_value_either_way():
    # b's retaliation, mostly at sea, is far larger than a's compact value (1,500 km2) needs:
    # whatever a removes, the damage to a's value stays total.
    s = _value_area(
        toy_dyad(
            a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0},
            b={"icbms": 50, "slbms": 200, "at_sea": 0.9},
        ),
        "a",
        1500.0,
    )
    res = _head(s, "damage_limitation")
    assert res.components["a"] == pytest.approx(1.0, abs=0.02)
    # Striking the silos anyway (a fixed doctrine) removes warheads, not damage.
    forced = _head(s.with_fixed_doctrine(0.0, 2), "damage_limitation")
    assert forced.details["a.retaliation_removed"] > 0.15
    assert forced.components["a"] == pytest.approx(1.0, abs=0.02)


def test_damage_limitation_falls_when_a_first_strike_cuts_the_damage():
    # b's small, soft, single-warhead silo force: a's first strike removes most of it, so
    # the damage to a's large value base falls far below an all-out retaliation's.
    s = toy_dyad(
        a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0, "value_points": 3000},
        b={"icbms": 300, "silo_hardness_psi": 300.0, "value_points": 3000},
    )
    res = _head(s, "damage_limitation")
    assert res.details["a.damage_if_first"] < 0.5 * res.details["a.damage_all_out"]
    assert res.components["a"] < 0.6


# --- use or lose on ready forces ---------------------------------------------------------


def test_no_pressure_when_every_ready_force_survives_though_stored_warheads_are_lost():
    # b's SLBMs at sea all survive; only the boats in port (not ready) are lost.
    s = toy_dyad(a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0}, b={"icbms": 0, "slbms": 100})
    res = _head(s, "use_or_lose")
    assert res.components["b"] == pytest.approx(1.0, abs=1e-9)
    assert res.details["b.share_lost"] > 0.2  # the old measure saw the losses in port


def test_launch_on_warning_is_use_or_lose_pressure():
    # A striker facing launch on warning may not strike the silos at all; the pressure is
    # measured against a strike that does (a fixed doctrine).
    plain = toy_dyad(icbms=200, mirv=3.0, cep_m=90.0, slbms=40).with_fixed_doctrine()
    low = toy_dyad(
        icbms=200, mirv=3.0, cep_m=90.0, slbms=40, launch_on_warning=True
    ).with_fixed_doctrine()
    res_plain, res_low = _head(plain, "use_or_lose"), _head(low, "use_or_lose")
    # By hand: b's alert warheads are its 200 x 3 silo warheads and the 40 x 4 x 0.6 = 96 SLBM
    # warheads at sea. Warned of the strike, every alert silo warhead launches (600 of 696):
    # all of them under pressure, none destroyed; only the boats at sea ride the strike out.
    assert res_low.details["b.ready_launched"] == pytest.approx(600 / 696, rel=1e-12)
    assert res_low.details["b.ready_destroyed"] == 0.0
    assert res_low.components["b"] == pytest.approx(96 / 696, rel=1e-12)
    # Riding out, the strike destroys fewer alert warheads than launch on warning sends off:
    # launching on warning raises the pressure (a lower component), strictly.
    assert 0.5 < res_plain.details["b.ready_destroyed"] < 600 / 696
    assert res_low.components["b"] < res_plain.components["b"] - 0.005
    # The share of all warheads lost, the old measure, scored the launch as survival.
    assert res_low.details["b.share_lost"] < res_plain.details["b.share_lost"] - 0.5


def test_ride_out_cases_are_named_and_drop_launch_on_warning():
    s = toy_dyad(icbms=200, mirv=3.0, cep_m=90.0, launch_on_warning=True).with_fixed_doctrine()
    a = assess(s)
    policy = a.value("use_or_lose", "full", "a:day_to_day/b:day_to_day")
    riding = a.value("use_or_lose", "full", "a:day_to_day/b:day_to_day/ride_out")
    assert policy.details["b.ready_launched"] > 0.5
    assert riding.details["b.ready_launched"] == 0.0


# --- details of use-or-lose and damage limitation, by hand --------------------------------


def _with_systems(s, actor, change=None, add=()):
    """``s`` with ``actor``'s systems updated by id (``change``) and ``add`` appended."""
    side = s.side(actor)
    systems = tuple(
        x.model_copy(update=(change or {}).get(x.id, {})) for x in side.posture.systems
    ) + tuple(add)
    posture = side.posture.model_copy(update={"systems": systems})
    sides = tuple(
        x.model_copy(update={"posture": posture}) if x.actor == actor else x for x in s.sides
    )
    return s.model_copy(update={"sides": sides})


# Non-strategic weapons kept in storage and mated to 50 launchers in their garrison when
# forces generate (as Russia's Iskander and naval weapons are entered): 2 each, half of the
# launchers then dispersed.
THEATRE = System(
    id="theatre",
    category="nonstrategic",
    delivery="cruise",
    launchers_deployed=50,
    warheads_per_launcher=0.0,
    max_warheads_per_launcher=2.0,
    warheads_stored=100,
    yield_kt=10.0,
    cep_m=50.0,
    reliability=0.8,
    flight_time_min=60.0,
    range_km=1000.0,
    home_target="garrison",
    alert=AlertFractions(day_to_day=0.0, generated=0.5),
    mated_when_generated=True,
)


def _certain_kills(s, actor="a"):
    """``actor``'s silo missiles never fail: on soft aim points every warhead kills."""
    return _with_systems(s, actor, change={"icbm": {"reliability": 1.0}})


def test_strategic_pressure_and_stored_theatre_weapons_lost_by_hand():
    # b: 100 single-warhead silos soft enough (5 psi) that a 300 kt warhead with a 150 m CEP
    # kills one for certain (the lethal radius is kilometres), 100 SLBMs of 4 warheads (60%
    # at sea day to day, 90% generated) and the theatre weapons; a: 600 warheads that never
    # fail, all on counterforce, so every aim point that holds warheads is destroyed.
    s = toy_dyad(
        a={"icbms": 200, "mirv": 3.0}, b={"icbms": 100, "slbms": 100, "silo_hardness_psi": 5.0}
    )
    s = _certain_kills(_with_systems(s, "b", add=(THEATRE,))).with_fixed_doctrine(0.0, 1)
    a = assess(s)
    # b generated. Alert: 100 silo + 360 at sea + 50 dispersed theatre warheads = 510, of them
    # 460 strategic; the 100 silo warheads are destroyed. Not alert: 40 SLBM warheads in port
    # and 50 theatre warheads in the garrison, all destroyed.
    gen = a.value("use_or_lose", "full", "a:day_to_day/b:generated").details
    assert gen["b.ready_destroyed"] == pytest.approx(100 / 510, rel=1e-12)
    assert gen["b.strategic_pressure"] == pytest.approx(100 / 460, rel=1e-12)
    assert gen["b.stored_nonstrategic_lost"] == pytest.approx(50.0, rel=1e-12)
    assert gen["b.share_lost"] == pytest.approx((100 + 40 + 50) / 600, rel=1e-12)
    # b day to day: nothing mated to the theatre launchers; 100 silo + 240 at sea alert.
    day = a.value("use_or_lose", "full", "a:day_to_day/b:day_to_day").details
    assert day["b.strategic_pressure"] == pytest.approx(100 / 340, rel=1e-12)
    assert day["b.ready_destroyed"] == pytest.approx(100 / 340, rel=1e-12)
    assert day["b.stored_nonstrategic_lost"] == 0.0
    assert day["b.share_lost"] == pytest.approx((100 + 160) / 500, rel=1e-12)
    # generating b puts 120 more SLBM warheads to sea and 50 theatre ones on dispersed
    # launchers, none of them lost: its pressure falls from 100/340 to 100/510
    assert day["b.generation_relief"] == pytest.approx(100 / 340 - 100 / 510, rel=1e-12)


def test_generation_threat_by_hand():
    # a: 100 silo missiles carrying one warhead day to day and three when generated (200
    # stored warheads mated); every warhead kills one of b's 200 soft single-warhead silos
    # for certain. All on counterforce, a removes 100 of b's 200 retaliatory warheads day to
    # day and all 200 generated: generating raises the share by 1 - 1/2.
    s = toy_dyad(a={"icbms": 100}, b={"icbms": 200, "silo_hardness_psi": 5.0})
    s = _with_systems(
        s,
        "a",
        change={
            "icbm": {
                "reliability": 1.0,
                "max_warheads_per_launcher": 3.0,
                "warheads_stored": 200,
                "mated_when_generated": True,
            }
        },
    ).with_fixed_doctrine(0.0, 1)
    a = assess(s)
    for key in a.case_keys:
        details = a.value("use_or_lose", "full", key).details
        assert details["a.generation_threat"] == pytest.approx(0.5, rel=1e-12), key
        assert details["b.generation_threat"] == 0.0, key  # b's silos do not change
        removed = a.value("damage_limitation", "full", key).details["a.retaliation_removed"]
        assert removed == pytest.approx(0.5 if "a:day_to_day" in str(key) else 1.0), key


def test_damage_if_struck_is_the_damage_a_side_suffers_when_struck_first():
    # b's missiles reach 3,000 km, a's targets lie beyond 5,500: b can hurt a in no exchange.
    s = _with_systems(
        toy_dyad(icbms=100, mirv=2.0, slbms=40),
        "b",
        change={"icbm": {"range_km": 3000.0}, "slbm": {"range_km": 3000.0}},
    )
    a = assess(s)
    dl, fs = a.value("damage_limitation").details, a.value("first_strike").details
    assert dl["a.damage_if_struck"] == 0.0
    assert dl["a.damage_if_first"] == dl["a.damage_all_out"] == 0.0
    # b struck first suffers a's strike on its value: by Kent & Thaler's cost, a striking
    # first (suffering nothing) pays 0.3 (1 - D^0.75) with D that damage.
    assert dl["b.damage_if_struck"] > 0.3
    assert fs["a.cost_first"] == pytest.approx(0.3 * (1 - dl["b.damage_if_struck"] ** 0.75))


def test_damage_if_struck_enters_the_cost_of_being_struck():
    # Unlike postures: each side's cost of being struck first is, by the cost function,
    # D_struck^0.75 + 0.3 (1 - D_answer^0.75), D_answer its retaliation's damage.
    a = assess(
        toy_dyad(a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0}, b={"icbms": 150, "slbms": 60})
    )
    dl, fs = a.value("damage_limitation").details, a.value("first_strike").details
    answer = a.value("second_strike").details
    assert dl["a.damage_if_struck"] != pytest.approx(dl["b.damage_if_struck"], abs=0.05)
    for side in ("a", "b"):
        struck, inflicted = dl[f"{side}.damage_if_struck"], answer[f"{side}.damage_inflicted"]
        cost = struck**0.75 + 0.3 * (1 - inflicted**0.75)
        assert fs[f"{side}.cost_second"] == pytest.approx(cost, rel=1e-12), side


# --- the same details on hand-made exchanges (the definitions are functions of them) -------


def _strike(attacker, defender, rows=1, **numbers):
    """A :class:`Strike` of ``rows`` cases, every number 0 unless given."""
    fields = {f.name for f in dataclasses.fields(Strike)} - {"attacker", "defender"}
    arrays = {name: np.zeros(rows) for name in fields}
    arrays.update({k: np.asarray(v, dtype=np.float64) for k, v in numbers.items()})
    return Strike(attacker=attacker, defender=defender, **arrays)


def test_use_or_lose_details_on_hand_made_exchanges():
    # Row 0: a day to day, row 1: a generated (b alike in both). b strikes a: of a's 500 alert
    # warheads 50 destroyed and 100 launched on warning (row 0), 20 and 40 (row 1); of a's
    # 400 alert strategic warheads 120 lost (row 0), 50 (row 1); 30 stored theatre warheads
    # destroyed. a strikes b: b's answer would bring 200 warheads, 150 arrive after a's
    # strike day to day, 50 after a generated one.
    by_b = _strike(
        "b",
        "a",
        rows=2,
        ready_total=[500, 500],
        ready_destroyed=[50, 20],
        ready_launched=[100, 40],
        strategic_ready_total=[400, 400],
        strategic_ready_lost=[120, 50],
        stored_nonstrategic_destroyed=[30, 0],
    )
    by_a = _strike(
        "a", "b", rows=2, retaliation_potential=[200, 200], retaliation_arrived=[150, 50]
    )
    cases = Cases(
        ("a", "b"),
        {("a", "b"): by_a, ("b", "a"): by_b},
        at_level={
            ("a", "day_to_day"): np.array([0, 0]),
            ("a", "generated"): np.array([1, 1]),
            ("b", "day_to_day"): np.array([0, 1]),
            ("b", "generated"): np.array([0, 1]),
        },
    )
    res = DEFINITIONS["use_or_lose"](cases, StabilitySettings())
    d = res.details
    assert list(res.components["a"]) == pytest.approx([1 - 150 / 500, 1 - 60 / 500])
    assert list(d["a.strategic_pressure"]) == pytest.approx([120 / 400, 50 / 400])
    assert list(d["a.stored_nonstrategic_lost"]) == [30.0, 0.0]
    # generating a: pressure 0.30 -> 0.12, share of b's answer a removes 0.25 -> 0.75
    assert list(d["a.generation_relief"]) == pytest.approx([0.18, 0.18])
    assert list(d["a.generation_threat"]) == pytest.approx([0.5, 0.5])


def test_damage_limitation_details_on_hand_made_exchanges():
    # a strikes first: b's answer does 0.6 of a's value (0.8 at full strength); struck first
    # by b, a suffers 0.7 of its value. b strikes first: a's answer does 0.2 (0.5 at full
    # strength); struck first by a, b suffers 0.9.
    by_a = _strike(
        "a", "b", damage_to_attacker=[0.6], damage_potential=[0.8], damage_to_defender=[0.9]
    )
    by_b = _strike(
        "b", "a", damage_to_attacker=[0.2], damage_potential=[0.5], damage_to_defender=[0.7]
    )
    cases = Cases(("a", "b"), {("a", "b"): by_a, ("b", "a"): by_b})
    res = DEFINITIONS["damage_limitation"](cases, StabilitySettings())
    d = {k: float(v[0]) for k, v in res.details.items()}
    assert d["a.damage_if_struck"] == pytest.approx(0.7)
    assert d["b.damage_if_struck"] == pytest.approx(0.9)
    assert d["a.damage_avoided"] == pytest.approx((0.8 - 0.6) / 0.8)
    assert d["b.damage_avoided"] == pytest.approx((0.5 - 0.2) / 0.5)
    assert float(res.value[0]) == pytest.approx(min(1 - 0.25, 1 - 0.6))

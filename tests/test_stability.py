"""Stability definitions: their meaning on constructed postures."""

from __future__ import annotations

import pytest

from detente.analysis.assess import assess, verdict
from detente.examples import toy_dyad
from detente.stability import DEFINITIONS

ALL = tuple(DEFINITIONS)


def _head(scenario, name="first_strike"):
    return assess(scenario).value(name)


def test_every_definition_in_unit_interval_for_every_case():
    a = assess(toy_dyad(a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0}, b={"slbms": 60}))
    assert len(a.case_keys) == 4
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
    assert _head(s, "second_strike").value == pytest.approx(1.0)


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


def test_verdict_bands():
    assert verdict(0.95) == "stable"
    assert verdict(0.5) == "fragile"
    assert verdict(0.1) == "unstable"

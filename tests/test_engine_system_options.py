"""Options of a weapon system: several warhead types (Trident II), launch from home."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from detente.data import load_posture
from detente.engine.exchange import run_exchange
from detente.examples import toy_dyad
from detente.model.force import System, WarheadType
from detente.model.scenario import Scenario
from detente.physics.lethality import sspk


def _with_systems(s: Scenario, actor: str, systems: tuple[System, ...]) -> Scenario:
    sides = tuple(
        sd.model_copy(update={"posture": sd.posture.model_copy(update={"systems": systems})})
        if sd.actor == actor
        else sd
        for sd in s.sides
    )
    return s.model_copy(update={"sides": sides})


def _icbm(s: Scenario, actor: str) -> System:
    return s.side(actor).posture.system("icbm")


def test_the_high_yield_warheads_go_to_the_hard_targets() -> None:
    """100 single-warhead ICBMs, half 455 kt and half 8 kt, one shot per silo against 50
    silos at 2,000 psi: the allocation aims the 455 kt warheads at the silos, so each silo
    is killed with reliability x SSPK(455 kt) -- not with the SSPK of an average warhead."""
    base = toy_dyad(a={"icbms": 100}, b={"icbms": 50}).with_fixed_doctrine(0.0, 1)
    mixed = _icbm(base, "a").model_copy(
        update={
            "yield_kt": 8.0,
            "other_warheads": (WarheadType(warhead="W88", yield_kt=455.0, share=0.5),),
        }
    )
    s = _with_systems(base, "a", (mixed,))
    out = run_exchange(s, "a", "b")
    hit = 0.9 * float(sspk(455.0, 150.0, 2000.0))
    assert out.warheads_destroyed == pytest.approx(50 * hit, rel=1e-9)
    low_only = _with_systems(base, "a", (mixed.model_copy(update={"other_warheads": ()}),))
    assert run_exchange(low_only, "a", "b").warheads_destroyed < 0.5 * out.warheads_destroyed


_CASES = [
    {},
    {"b": {"launch_on_warning": True}},
    {"b": {"interceptors": 60}},
    {"alert": "generated", "b": {"slbms": 30}},
]


@pytest.mark.parametrize("case", _CASES, ids=["plain", "low", "defence", "generated"])
def test_one_system_with_two_types_equals_two_systems(case: dict[str, Any]) -> None:
    """Splitting a system's warheads into types must give the same exchange as two
    systems that differ only in yield, one per type: the allocation, the warning, the
    retaliation and the later strike on value (with the mix left after counterforce)."""
    alert = case.get("alert", "day_to_day")
    base = toy_dyad(a={"icbms": 120, "mirv": 2.0}, b={"icbms": 80, **case.get("b", {})})
    base = base.with_fixed_doctrine()
    icbm = _icbm(base, "a")
    mixed = icbm.model_copy(
        update={"other_warheads": (WarheadType(warhead="big", yield_kt=800.0, share=0.25),)}
    )
    main = icbm.model_copy(update={"launchers_deployed": 90})
    big = icbm.model_copy(update={"id": "icbm_big", "launchers_deployed": 30, "yield_kt": 800.0})
    one = run_exchange(_with_systems(base, "a", (mixed,)), "a", "b", alert=alert)
    two = run_exchange(_with_systems(base, "a", (main, big)), "a", "b", alert=alert)
    for name in (
        "warheads_destroyed",
        "retaliation_arrived",
        "damage_to_attacker",
        "damage_to_defender",
    ):
        assert getattr(one, name) == pytest.approx(getattr(two, name), rel=1e-9, abs=1e-12)


def test_trident_carries_three_warhead_types() -> None:
    trident = load_posture("us-2021").system("us_trident_ii")
    mix = dict(zip(("W76-1", "W88", "W76-2"), trident.warhead_mix, strict=True))
    assert mix["W76-1"] == pytest.approx((90.0, 0.785))
    assert mix["W88"] == (455.0, 0.2)
    assert mix["W76-2"] == (8.0, 0.015)


@pytest.mark.parametrize(
    ("warheads", "match"),
    [
        (
            [
                {"warhead": "A", "yield_kt": 100, "share": 0.6},
                {"warhead": "B", "yield_kt": 5, "share": 0.4},
            ],
            "add up to 1",
        ),
        (
            [
                {"warhead": "A", "yield_kt": 100, "share": 0.1},
                {"warhead": "A", "yield_kt": 5, "share": 0.1},
            ],
            "listed twice",
        ),
        ([{"warhead": "A", "yield_kt": 100, "share": 0.0}], "greater than 0"),
    ],
)
def test_a_warhead_mix_that_is_not_a_split_is_refused_at_its_field(
    warheads: list[dict[str, Any]], match: str
) -> None:
    icbm = _icbm(toy_dyad(), "a")
    with pytest.raises(ValidationError, match=match) as err:
        System.model_validate({**icbm.model_dump(), "other_warheads": warheads})
    assert err.value.errors()[0]["loc"][0] == "other_warheads"


# --- launch from home (road-mobile shelters, SSBNs at the pier) ---------------------------


def _mobile(**fields: Any) -> System:
    base = toy_dyad().side("b").posture.system("icbm")
    return base.model_copy(
        update={
            "id": "mobile",
            "category": "icbm_mobile",
            "home_target": "garrison",
            "launchers_deployed": 40,
            "alert": base.alert.model_copy(update={"day_to_day": 0.25, "generated": 0.25}),
            **fields,
        }
    )


@pytest.mark.parametrize("low", [True, False])
def test_launchers_in_shelters_launch_on_warning_where_the_system_allows(low: bool) -> None:
    """b's 40 road-mobile launchers, a quarter dispersed, the rest in 10 garrison shelters;
    half of those can fire from the shelter. a's ICBMs (30 min, seen at launch) leave b 30
    minutes, more than its 10-minute decision time, so with launch on warning 0.5 x 30 = 15
    launch from home before the strike arrives; without it, none do."""
    s = toy_dyad(a={"icbms": 200}, b={"icbms": 10, "launch_on_warning": low}).with_fixed_doctrine()
    b_systems = (*s.side("b").posture.systems, _mobile(launch_from_home=0.5))
    s = _with_systems(s, "b", b_systems)
    out = run_exchange(s, "a", "b")
    mobile = next(x for x in out.defender_systems if x.system == "mobile")
    assert mobile["launched_on_warning"] == pytest.approx(15.0 if low else 0.0, abs=1e-9)
    none = _with_systems(s, "b", (*b_systems[:-1], _mobile()))
    stuck = next(x for x in run_exchange(none, "a", "b").defender_systems if x.system == "mobile")
    assert stuck["launched_on_warning"] == 0.0
    if low:
        assert mobile["destroyed"] < stuck["destroyed"] - 10.0


def test_launch_from_home_on_a_silo_system_is_refused_at_its_field() -> None:
    from detente.model.checks import check_posture

    s = toy_dyad()
    icbm = _icbm(s, "a").model_copy(update={"launch_from_home": 0.5})
    posture = s.side("a").posture.model_copy(update={"systems": (icbm,)})
    problems = check_posture(posture)
    assert [p.path for p in problems] == ["systems.0.launch_from_home"]
    assert "silo_field" in problems[0].message

"""The Geneva agenda as model factors: each moves the definitions the way its mechanism says.

Every test switches one factor on, either on the built-in 2021 postures (small
in-test changes) or on toy postures from :mod:`detente.examples` where the real
data make the effect small, and asserts on the quantity the documented mechanism
acts on (``docs/factors.md``). Expected numbers are derived by hand from the
posture figures and the formulas in ``docs/methodology.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from detente.analysis.assess import assess
from detente.engine.exchange import run_exchange
from detente.engine.results import ExchangeOutcome, SystemFlows
from detente.examples import geneva_2021 as _geneva_2021
from detente.examples import toy_dyad as _toy_dyad
from detente.examples import toy_posture, toy_targets
from detente.model.defense import DefenseLayer, DeliveryPk
from detente.model.force import AlertFractions, System
from detente.model.perspective import FULL, RU_READING, US_READING
from detente.model.scenario import ExchangeSettings, Scenario, Side
from detente.model.target import TargetClass

# --- helpers: small, explicit changes to a scenario ------------------------------------


def _side(s: Scenario, actor: str, **update: Any) -> Scenario:
    sides = tuple(sd.model_copy(update=update) if sd.actor == actor else sd for sd in s.sides)
    return s.model_copy(update={"sides": sides})


def _factors(s: Scenario, actor: str, **changes: Any) -> Scenario:
    return _side(s, actor, factors=s.side(actor).factors.model_copy(update=changes))


def _posture(s: Scenario, actor: str, **changes: Any) -> Scenario:
    return _side(s, actor, posture=s.side(actor).posture.model_copy(update=changes))


def _system(s: Scenario, actor: str, system_id: str, **changes: Any) -> Scenario:
    posture = s.side(actor).posture
    systems = tuple(
        x.model_copy(update=changes) if x.id == system_id else x for x in posture.systems
    )
    return _posture(s, actor, systems=systems)


def _exchange(s: Scenario, **changes: Any) -> Scenario:
    return s.model_copy(update={"exchange": s.exchange.model_copy(update=changes)})


def _flows(systems: tuple[SystemFlows, ...], system_id: str) -> SystemFlows:
    return next(x for x in systems if x.system == system_id)


def _strike(s: Scenario, attacker: str, defender: str, **kw: Any) -> ExchangeOutcome:
    return run_exchange(s, attacker, defender, **kw)


def _component(s: Scenario, definition: str, side: str) -> float:
    return assess(s, perspectives=(FULL,)).value(definition).components[side]


def _weapon(sid: str, **fields: Any) -> System:
    """A one-warhead weapon system of a toy side; fields override the defaults."""
    base: dict[str, Any] = {
        "id": sid,
        "category": "icbm_silo",
        "delivery": "ballistic_rv",
        "launchers_deployed": 50,
        "warheads_per_launcher": 1.0,
        "max_warheads_per_launcher": 1.0,
        "yield_kt": 300.0,
        "cep_m": 150.0,
        "reliability": 0.9,
        "flight_time_min": 30.0,
        "range_km": 10000.0,
        "home_target": "garrison",
        "alert": AlertFractions(day_to_day=1.0, generated=1.0),
    }
    return System(**(base | fields))


NO_RESERVE = ExchangeSettings(reserve_fraction=0.0)


# Each factor's mechanism is checked by hand-derived numbers against a counterforce strike
# of a stated extent: the fixed doctrine of those derivations (a quarter of the ready force
# withheld, two warheads per aim point). How a striker chooses its extent is tested in
# test_stability.py.
def geneva_2021() -> Scenario:
    return _geneva_2021().with_fixed_doctrine()


def toy_dyad(*args: Any, **kwargs: Any) -> Scenario:
    return _toy_dyad(*args, **kwargs).with_fixed_doctrine()


# --- space: early warning of the defender ------------------------------------------------


def test_satellites_down_end_launch_on_warning_and_raise_damage_limitation_incentive() -> None:
    """Russian satellites lost: only radars see the US SLBMs (15 min x 0.5 = 7.5 min),
    below Russia's 10-minute decision time, so nothing launches on warning."""
    base = geneva_2021()
    asat = _factors(base, "ru", early_warning_satellites=False)
    before, after = _strike(base, "us", "ru"), _strike(asat, "us", "ru")
    # Warning on the silos is set by the fastest weapon aimed at them: Trident II, 15 min.
    assert before.warning_min == pytest.approx(15.0)
    assert after.warning_min == pytest.approx(7.5)
    assert before.defender_total("launched_on_warning") > 100.0
    assert after.defender_total("launched_on_warning") == 0.0
    assert after.warheads_destroyed > before.warheads_destroyed
    assert after.retaliation_arrived < before.retaliation_arrived
    # The attacker removes more of the retaliation: its damage-limitation component falls
    # and it is more tempted.
    for definition, side in (("damage_limitation", "us"), ("first_strike", "us")):
        assert _component(asat, definition, side) < _component(base, definition, side) - 0.05
    # Use-or-lose counts launching on warning as pressure, so losing the warning moves the
    # alert silo warheads from "launched" to "destroyed": the pressure is not relieved.
    head = assess(base, perspectives=(FULL,)).value("use_or_lose").details
    lost = assess(asat, perspectives=(FULL,)).value("use_or_lose").details
    assert lost["ru.ready_launched"] == 0.0 < head["ru.ready_launched"]
    # most of what launched is now destroyed in its silos instead
    gained = lost["ru.ready_destroyed"] - head["ru.ready_destroyed"]
    assert gained > 0.6 * head["ru.ready_launched"]


def test_satellites_of_the_attacker_do_not_matter_to_its_own_first_strike() -> None:
    """Warning is the defender's: the attacker's satellites change nothing when it goes first."""
    base = geneva_2021()
    asat = _factors(base, "us", early_warning_satellites=False, early_warning_radars=False)
    assert _strike(asat, "us", "ru").to_dict() == _strike(base, "us", "ru").to_dict()


def test_all_warning_lost_catches_alert_bombers() -> None:
    """Toy: a's 30-minute ICBMs strike b's silos and bomber bases at once. Seen at launch by
    satellites, b's alert bombers have 30 minutes and all escape (all away after 15); seen
    by radars at half their flight, 15 minutes, still all away; with no sensors the first
    warning is the bursts on the bases themselves, and the alert bombers are caught."""
    bomber = _weapon(
        "bomber",
        category="bomber",
        delivery="gravity_bomb",
        launchers_deployed=10,
        warheads_per_launcher=10.0,
        max_warheads_per_launcher=10.0,
        flight_time_min=600.0,
        home_target="bases",
        alert=AlertFractions(day_to_day=0.5, generated=0.5),
    )
    s = toy_dyad(a={"icbms": 200, "mirv": 2.0}, b={"icbms": 50})
    s = _posture(s, "b", systems=(*s.side("b").posture.systems, bomber))
    seen = _flows(_strike(s, "a", "b").defender_systems, "bomber")
    radars = _flows(
        _strike(_factors(s, "b", early_warning_satellites=False), "a", "b").defender_systems,
        "bomber",
    )
    blind = _factors(s, "b", early_warning_satellites=False, early_warning_radars=False)
    dark = _flows(_strike(blind, "a", "b").defender_systems, "bomber")
    assert seen["destroyed"] <= 0.5 * 100 + 1e-9  # only the half not on alert
    assert radars["destroyed"] == pytest.approx(seen["destroyed"])
    assert dark["destroyed"] > seen["destroyed"] + 0.4 * 100


def test_a_sea_launched_conventional_wave_catches_alert_bombers_without_warning() -> None:
    """Conventional strike within `conventional_time_limit_min` (180 min) goes first,
    launched to arrive as the nuclear launches begin. Low-flying cruise missiles are seen
    only as they arrive, so alert bombers on the bases they strike are caught; held to the
    nuclear 40-minute limit, the same missiles take no part and the bombers escape on the
    ICBMs' warning (30 min, all away after 15)."""
    slcm = _weapon(
        "slcm",
        category="conventional_strike",
        delivery="cruise",
        nuclear=False,
        launchers_deployed=20,
        yield_kt=0.001,
        cep_m=10.0,
        flight_time_min=120.0,
        range_km=9000.0,
    )
    bomber = _weapon(
        "bomber",
        category="bomber",
        delivery="gravity_bomb",
        launchers_deployed=10,
        warheads_per_launcher=10.0,
        max_warheads_per_launcher=10.0,
        flight_time_min=600.0,
        home_target="bases",
        alert=AlertFractions(day_to_day=0.0, generated=0.6),
    )
    s = toy_dyad(icbms=100)
    s = _posture(s, "a", systems=(*s.side("a").posture.systems, slcm))
    s = _posture(s, "b", systems=(*s.side("b").posture.systems, bomber))
    wave = _strike(s, "a", "b", alert="generated")
    held = _strike(_exchange(s, conventional_time_limit_min=40.0), "a", "b", alert="generated")
    assert _flows(wave.attacker_systems, "slcm")["counterforce"] > 0
    assert _flows(held.attacker_systems, "slcm")["counterforce"] == 0
    caught = _flows(wave.defender_systems, "bomber")["destroyed"]
    escaped = _flows(held.defender_systems, "bomber")["destroyed"]
    assert escaped <= 0.4 * 100 + 1e-9  # only the 40% not on alert can be hit
    assert caught > escaped + 0.3 * 100


# --- cyber: C2 execution of a side -------------------------------------------------------


def test_cyber_degradation_cuts_retaliation_and_tempts_the_attacker() -> None:
    """Cyber attack on Russian C2 halves its execution probability (0.9 -> 0.45)."""
    base = geneva_2021()
    cyber = _factors(base, "ru", cyber_c2_degradation=0.5)
    before, after = _strike(base, "us", "ru"), _strike(cyber, "us", "ru")
    assert after.warheads_destroyed == pytest.approx(before.warheads_destroyed)
    in_range = after.defender_total("survived") - after.defender_total("withheld")
    assert after.defender_total("failed_c2") / in_range == pytest.approx(1.0 - 0.9 * 0.5)
    assert after.retaliation_arrived < 0.6 * before.retaliation_arrived
    assert after.damage_to_attacker < before.damage_to_attacker
    assert _component(cyber, "first_strike", "us") < _component(base, "first_strike", "us")
    assert _component(cyber, "second_strike", "ru") <= _component(base, "second_strike", "ru")


# --- AI and remote sensing: the attacker finds forces in the field and at sea ------------


def test_ocean_transparency_sinks_ssbns_at_sea() -> None:
    """US detection of Russian SSBNs at sea (0.5): at-sea warheads lost rise by exactly
    0.5 x alert share x loaded warheads; the in-port part does not change."""
    base = geneva_2021()
    ai = _factors(base, "us", detect_ssbn_at_sea=0.5)
    before, after = _strike(base, "us", "ru"), _strike(ai, "us", "ru")
    for sid, launchers, load in (("ru_bulava", 64, 4.0), ("ru_sineva", 96, 3.3)):
        extra = _flows(after.defender_systems, sid)["destroyed"]
        extra -= _flows(before.defender_systems, sid)["destroyed"]
        assert extra == pytest.approx(0.5 * 0.15 * launchers * load)
    assert _component(ai, "use_or_lose", "ru") < _component(base, "use_or_lose", "ru")
    assert _component(ai, "damage_limitation", "us") < _component(base, "damage_limitation", "us")


def test_mobile_detection_exposes_dispersed_icbms() -> None:
    """US detection of Russian mobile ICBMs in the field makes them aim points."""
    base = geneva_2021()
    ai = _factors(base, "us", detect_mobile_dispersed=0.5)
    before, after = _strike(base, "us", "ru"), _strike(ai, "us", "ru")
    yars_before = _flows(before.defender_systems, "ru_yars_mobile")["destroyed"]
    yars_after = _flows(after.defender_systems, "ru_yars_mobile")["destroyed"]
    assert yars_after > yars_before + 10.0
    # The other side's detection does not help the attacker.
    mirror = _factors(base, "ru", detect_mobile_dispersed=0.5)
    assert _strike(mirror, "us", "ru").warheads_destroyed == pytest.approx(
        before.warheads_destroyed
    )
    assert _component(ai, "use_or_lose", "ru") < _component(base, "use_or_lose", "ru")


# --- hypersonic weapons ------------------------------------------------------------------


def test_a_glide_vehicle_in_a_ballistic_strike_denies_no_warning() -> None:
    """Russia's strike on the US launches ICBMs and SLBMs that US satellites see at once, so
    the US clock starts at launch whatever the glide vehicles do: a shorter glide warning
    changes nothing (before, three Avangard warheads at 35 x 0.28 = 9.8 min switched launch
    on warning off for all 400 Minuteman III)."""
    base = geneva_2021()
    for fraction in (0.1, 0.28, 0.5):
        short = _exchange(base, hgv_warning_fraction=fraction)
        assert _strike(short, "ru", "us").to_dict() == _strike(base, "ru", "us").to_dict()
    out = _strike(base, "ru", "us")
    assert out.defender_total("launched_on_warning") == pytest.approx(0.9 * 400, rel=1e-9)


def test_warning_is_smooth_in_the_glide_warning_share() -> None:
    """The cliff is gone: US warheads destroyed as the glide warning share moves from 0.2 to
    0.4, with the satellites that see the rest of the strike up and with them down (radars
    only), never jumps by more than the glide vehicles' own warheads."""
    for sats in (True, False):
        base = _factors(geneva_2021(), "us", early_warning_satellites=sats)
        avangard = sum(
            s.launchers_deployed * s.warheads_per_launcher
            for s in base.side("ru").posture.systems
            if s.delivery == "hgv"
        )
        destroyed = [
            _strike(_exchange(base, hgv_warning_fraction=f), "ru", "us").warheads_destroyed
            for f in np.linspace(0.2, 0.4, 21)
        ]
        assert np.max(np.abs(np.diff(destroyed))) <= avangard


def test_glide_vehicles_evade_midcourse_defence_and_shorten_warning() -> None:
    """Toy: the same 100 warheads as ballistic RVs or glide vehicles against a defender with
    100 area interceptors (pk 0.6 against RVs, 0 against HGVs) and launch on warning."""
    s = toy_dyad(b={"launch_on_warning": True, "interceptors": 100})
    hgv = _system(s, "a", "icbm", delivery="hgv")
    rv_out, hgv_out = _strike(s, "a", "b"), _strike(hgv, "a", "b")
    assert rv_out.attacker_total("cf_intercepted") > 0.0
    assert hgv_out.attacker_total("cf_intercepted") == 0.0
    # Ballistic: seen at launch, 30 min of warning >= 10 min decision time; glide vehicles
    # alone are recognised at 70% of their flight: 30 x 0.3 = 9 < 10. The 75 weapons (a
    # quarter held back) reach 75 of the 100 silos; the 25 unstruck ones launch either way.
    assert rv_out.warning_min == pytest.approx(30.0)
    assert hgv_out.warning_min == pytest.approx(9.0)
    assert rv_out.defender_total("launched_on_warning") == pytest.approx(100.0)
    assert hgv_out.defender_total("launched_on_warning") == pytest.approx(25.0)
    assert hgv_out.warheads_destroyed > rv_out.warheads_destroyed


# --- missile defence ---------------------------------------------------------------------


def test_missile_defence_saturates_at_its_inventory() -> None:
    """Side a has 200 interceptors, two per engagement, pk 0.6: 100 engagements, each
    killing 1 - 0.4**2 = 0.84, so a retaliation larger than 100 loses exactly 84."""
    s = toy_dyad(a={"interceptors": 200}, b={"slbms": 50})
    out = _strike(s, "a", "b")
    flying = out.defender_total("intercepted") + out.defender_total("arrived")
    assert flying > 100.0
    assert out.defender_total("intercepted") == pytest.approx(100 * 0.84)


def test_missile_defence_blunts_retaliation_and_tempts_its_owner() -> None:
    """Defences of a cut b's retaliation on a, so a's cost of striking first falls and a is
    more tempted. They also blunt b's strikes on a either way round, so b's two costs both
    rise and b's ratio, like the combined index, can move either way (docs/factors.md):
    the test asserts on the flows, on a's ratio and on b's second strike."""
    plain = toy_dyad(b={"slbms": 50}, a={"slbms": 50})
    bmd = toy_dyad(b={"slbms": 50}, a={"slbms": 50, "interceptors": 200})
    before, after = _strike(plain, "a", "b"), _strike(bmd, "a", "b")
    assert before.defender_total("intercepted") == 0.0
    assert after.retaliation_arrived < before.retaliation_arrived
    assert after.damage_to_attacker < before.damage_to_attacker
    assert _component(bmd, "first_strike", "a") < _component(plain, "first_strike", "a")
    assert _component(bmd, "second_strike", "b") < _component(plain, "second_strike", "b")


def test_readings_switch_missile_defence_and_conventional_strike() -> None:
    """The US reading leaves missile defence and conventional strike out; the Russian
    reading counts them and leaves out non-strategic and New START-exempt novel systems."""
    s = geneva_2021()
    us_view = _strike(s, "ru", "us", perspective=US_READING)
    ru_view = _strike(s, "ru", "us", perspective=RU_READING)
    assert us_view.attacker_total("cf_intercepted") == 0.0
    assert ru_view.attacker_total("cf_intercepted") > 0.0
    gen = ("generated", "generated")
    us_gen = _strike(s, "us", "ru", alert=gen, perspective=US_READING)
    ru_gen = _strike(s, "us", "ru", alert=gen, perspective=RU_READING)
    assert _flows(us_gen.attacker_systems, "us_tomahawk")["total"] == 0.0
    assert _flows(ru_gen.attacker_systems, "us_tomahawk")["total"] == pytest.approx(1000.0)
    # Non-strategic warheads mated when generated: 90 Iskander warheads on 144 launchers.
    assert _flows(us_gen.defender_systems, "ru_iskander_nsnw")["total"] == pytest.approx(90.0)
    assert _flows(ru_gen.defender_systems, "ru_iskander_nsnw")["total"] == 0.0
    # Avangard is New START-accountable, so it counts in both readings.
    assert _flows(ru_gen.defender_systems, "ru_avangard")["total"] == pytest.approx(4.0)


# --- conventional precision strike --------------------------------------------------------


def _conventional_dyad(**settings: Any) -> Scenario:
    """Toy: a has only fast conventional strike; b has silo ICBMs and SLBMs (40% in port)."""
    strike = _weapon(
        "cps",
        category="conventional_strike",
        delivery="hgv",
        nuclear=False,
        launchers_deployed=40,
        yield_kt=0.001,
        cep_m=10.0,
        reliability=0.9,
        flight_time_min=15.0,
    )
    s = toy_dyad(b={"slbms": 50}, a={"icbms": 0})
    s = _posture(s, "a", systems=(strike,))
    return s.model_copy(update={"exchange": NO_RESERVE.model_copy(update=settings)})


def test_conventional_strike_takes_soft_targets_only() -> None:
    """Four conventional weapons per port aim point are more than the two allowed, so each
    of the 2 ports takes 2 shots of kill 0.9 x (1 - 2**-(30/10)**2); silos (2,000 psi) are
    above the 50 psi limit. Conventional weapons never strike value."""
    s = _conventional_dyad()
    out = _strike(s, "a", "b")
    p = 0.9 * (1.0 - 0.5 ** ((30.0 / 10.0) ** 2))
    in_port = 0.4 * 50 * 4.0
    assert _flows(out.defender_systems, "slbm")["destroyed"] == pytest.approx(
        in_port * (1.0 - (1.0 - p) ** 2)
    )
    assert _flows(out.defender_systems, "icbm")["destroyed"] == 0.0
    assert out.attacker_total("later") == 0.0
    assert out.damage_to_defender == 0.0
    # Raising the hardness limit above the silos' opens them to conventional strike.
    hard = _strike(_conventional_dyad(conventional_max_hardness_psi=3000.0), "a", "b")
    assert _flows(hard.defender_systems, "icbm")["destroyed"] > 0.0
    # The US reading does not count conventional strike at all.
    us_view = _strike(s, "a", "b", perspective=US_READING)
    assert us_view.warheads_destroyed == 0.0


# --- non-strategic nuclear weapons ---------------------------------------------------------


def _theatre_dyad() -> Scenario:
    """Toy: a has 20 short-range launchers with 20 warheads in storage; b keeps 10
    dual-capable aircraft with one bomb each at forward bases 1,000 km away."""
    nsnw = _weapon(
        "nsnw",
        category="nonstrategic",
        launchers_deployed=20,
        warheads_per_launcher=0.0,
        warheads_stored=20,
        mated_when_generated=True,
        flight_time_min=8.0,
        range_km=1500.0,
        yield_kt=10.0,
        cep_m=30.0,
    )
    dca = _weapon(
        "dca",
        category="nonstrategic",
        delivery="gravity_bomb",
        launchers_deployed=10,
        home_target="forward",
        alert=AlertFractions(day_to_day=0.0, generated=0.0),
        range_km=1500.0,
    )
    forward = TargetClass(
        id="forward", kind="forward_base", count=5, hardness_psi=20.0, standoff_km=1000.0
    )
    a = toy_posture("a", icbms=0)
    b = toy_posture("b")
    a = a.model_copy(update={"systems": (nsnw,)})
    b = b.model_copy(update={"systems": (*b.systems, dca), "targets": (*toy_targets(), forward)})
    return Scenario(name="theatre", sides=(Side(posture=a), Side(posture=b)), exchange=NO_RESERVE)


def test_nonstrategic_weapons_count_only_when_mated_and_in_range() -> None:
    s = _theatre_dyad()
    day = _strike(s, "a", "b", alert=("day_to_day", "day_to_day"))
    gen = _strike(s, "a", "b", alert=("generated", "day_to_day"))
    # In storage day to day: nothing to fire.
    assert _flows(day.attacker_systems, "nsnw")["total"] == 0.0
    # Generated: one stored warhead mated per launcher (max load 1, 20 stored / 20).
    assert _flows(gen.attacker_systems, "nsnw")["total"] == pytest.approx(20.0)
    # 1,500 km reaches the forward bases (1,000 km) but not silos or value (5,500 km).
    assert _flows(gen.defender_systems, "dca")["destroyed"] > 0.0
    assert _flows(gen.defender_systems, "icbm")["destroyed"] == 0.0
    assert gen.attacker_total("later") == 0.0
    # The Russian reading leaves non-strategic weapons out.
    ru_view = _strike(s, "a", "b", alert=("generated", "day_to_day"), perspective=RU_READING)
    assert ru_view.warheads_destroyed == 0.0


# --- novel systems -----------------------------------------------------------------------


def test_torpedo_reaches_only_coastal_targets_and_is_not_held_back() -> None:
    """A day-long torpedo is exempt from the 40-minute time-urgent rule (pre-positioned),
    strikes ports but not inland silos, and reaches coastal value in the later strike."""
    torpedo = _weapon(
        "torpedo",
        category="torpedo",
        delivery="torpedo",
        novel=True,
        launchers_deployed=8,
        yield_kt=2000.0,
        cep_m=500.0,
        flight_time_min=1440.0,
        home_target="port",
    )
    s = toy_dyad(b={"slbms": 50}, a={"icbms": 0})
    s = _posture(s, "a", systems=(torpedo,)).model_copy(
        update={"exchange": ExchangeSettings(reserve_fraction=0.5, survivable_share_used=1.0)}
    )
    out = _strike(s, "a", "b")
    assert out.attacker_total("counterforce") == pytest.approx(4.0)
    assert _flows(out.defender_systems, "slbm")["destroyed"] > 0.0
    assert _flows(out.defender_systems, "icbm")["destroyed"] == 0.0
    assert out.attacker_total("later") == pytest.approx(4.0)
    assert out.damage_to_defender > 0.0
    # Outside New START (accountability none), the Russian reading leaves it out.
    assert _strike(s, "a", "b", perspective=RU_READING).attacker_total("total") == 0.0
    # Value away from the coast is out of a torpedo's reach.
    inland = _posture(
        s,
        "b",
        targets=tuple(
            t.model_copy(update={"coastal": False}) if t.kind == "value" else t
            for t in s.side("b").posture.targets
        ),
    )
    assert _strike(inland, "a", "b").damage_to_defender == 0.0


def test_defence_evasion_leaves_a_share_unengaged() -> None:
    """Cruise weapons against an unsaturated air defence (pk 0.5, two shots: leak 0.25):
    intercepted share 0.75 x (1 - evasion)."""
    cruise = _weapon(
        "cruise",
        category="cruise",
        delivery="cruise",
        novel=True,
        launchers_deployed=20,
        flight_time_min=600.0,
        cep_m=100.0,
    )
    air = DefenseLayer(
        id="air", kind="air", interceptors=10_000, pk=DeliveryPk(cruise=0.5), shots_per_engagement=2
    )
    s = toy_dyad(a={"icbms": 0})
    s = _posture(s, "a", systems=(cruise,))
    s = _posture(s, "b", defenses=(air,))
    for evasion in (0.0, 0.6):
        out = _strike(_system(s, "a", "cruise", defense_evasion=evasion), "a", "b")
        flying = out.attacker_total("later") - out.attacker_total("later_failed")
        assert out.attacker_total("later_intercepted") == pytest.approx(
            flying * 0.75 * (1.0 - evasion)
        )

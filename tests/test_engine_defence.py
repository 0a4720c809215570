"""Defence bookkeeping in the exchange: what is spent, and on what."""

from __future__ import annotations

import pytest

from detente.engine.exchange import run_exchange
from detente.examples import toy_dyad
from detente.model.defense import DefenseLayer, DeliveryPk
from detente.model.force import AlertFractions, System


def _with(scenario, actor, *, systems=(), defenses=()):
    side = scenario.side(actor)
    posture = side.posture.model_copy(
        update={
            "systems": (*side.posture.systems, *systems),
            "defenses": (*side.posture.defenses, *defenses),
        }
    )
    sides = tuple(
        s.model_copy(update={"posture": posture}) if s.actor == actor else s for s in scenario.sides
    )
    return scenario.model_copy(update={"sides": sides})


def _cruise(launchers: int, *, nuclear: bool, sid: str) -> System:
    return System(
        id=sid,
        category="conventional_strike" if not nuclear else "cruise",
        delivery="cruise",
        nuclear=nuclear,
        launchers_deployed=launchers,
        warheads_per_launcher=1.0,
        max_warheads_per_launcher=1.0,
        yield_kt=150.0 if nuclear else 0.001,
        cep_m=10.0,
        reliability=0.9,
        flight_time_min=120.0,
        range_km=9000.0,
        home_target="garrison",
        alert=AlertFractions(day_to_day=1.0, generated=1.0),
    )


AIR = DefenseLayer(
    id="air", kind="air", interceptors=400, pk=DeliveryPk(cruise=0.5), shots_per_engagement=2
)


@pytest.mark.parametrize("extra", [0, 5000])
def test_unfired_weapons_do_not_drain_the_defenders_interceptors(extra):
    # a's conventional cruise missiles beyond what its targets can absorb are never fired;
    # b's air defence must then still meet a's nuclear cruise missiles in the later strike.
    base = toy_dyad(icbms=100)
    base = _with(base, "b", defenses=(AIR,))
    a = _with(
        base,
        "a",
        systems=(
            _cruise(50 + extra, nuclear=False, sid="slcm"),
            _cruise(100, nuclear=True, sid="alcm"),
        ),
    )
    out = run_exchange(a, "a", "b")
    fired = next(s for s in out.attacker_systems if s.system == "slcm")["counterforce"]
    assert fired < 50  # soft aim points take at most two shots each
    alcm = next(s for s in out.attacker_systems if s.system == "alcm")
    # 400 interceptors, 2 per engagement: the first 200 cruise weapons at b are engaged.
    # Only the fired conventional ones (fewer than 50) come before the 90 flying ALCMs,
    # so every ALCM is engaged whether 50 or 5,050 conventional missiles were deployed.
    assert alcm["later_intercepted"] == pytest.approx(alcm["later"] * 0.9 * 0.75, rel=1e-9)


def test_shoot_look_shoot_saving_is_kept_when_other_deliveries_are_in_the_salvo():
    # A layer that engages only ballistic RVs: torpedoes or cruise weapons in the same
    # salvo must not raise its cost per engagement to the full number of shots.
    sls = DefenseLayer(
        id="terminal",
        kind="area",
        interceptors=14,
        pk=DeliveryPk(ballistic_rv=0.6),
        shots_per_engagement=2,
        doctrine="shoot_look_shoot",
    )
    # a fixed doctrine, so that both strikes spend their whole pool on counterforce
    s = _with(toy_dyad(icbms=100).with_fixed_doctrine(), "b", defenses=(sls,))
    mixed = _with(s, "a", systems=(_cruise(10, nuclear=True, sid="alcm"),))
    plain = run_exchange(s, "a", "b", alert="generated")
    with_cruise = run_exchange(mixed, "a", "b", alert="generated")
    # 14 interceptors at 1.4 per engagement (1 + 0.4) engage 10 warheads either way.
    assert with_cruise.warheads_destroyed == pytest.approx(plain.warheads_destroyed, rel=1e-12)

"""Exchange engine: hand-derived toy exchanges, conservation, monotonicity, batch = single."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from detente.engine.exchange import run_exchange, run_exchange_batch
from detente.errors import InvalidArgumentError
from detente.examples import toy_dyad
from detente.model.scenario import ExchangeSettings
from detente.physics.blast import damage_radius_m

ONE_SHOT = ExchangeSettings(reserve_fraction=0.0, max_shots_per_aim_point=1)


def _hand_sspk(yield_kt: float, cep_m: float, hardness_psi: float) -> float:
    """SSPK of a surface burst on a hard target, written out independently of the library:
    Brode's (1987) Eq. 33 at twice the yield, solved for the range with brentq."""

    def overpressure(r_kft: float) -> float:
        return (
            2 / r_kft
            + 3 / r_kft**1.5
            + 1.6 / r_kft**3 * (1 + 105 * (10 * r_kft) ** 4 / (1 + 12920 * (10 * r_kft) ** 8))
        )

    scaled = brentq(lambda r: overpressure(r) - hardness_psi, 1e-3, 100.0, xtol=1e-14)
    lr_m = scaled * 1000.0 * 0.3048 * (2.0 * yield_kt) ** (1 / 3)
    return 1.0 - 0.5 ** ((lr_m / cep_m) ** 2)


def _water_fill(lethal: float, shares: np.ndarray, areas: np.ndarray) -> float:
    """Best share of value destroyed by ``lethal`` km2 spread over the points (bisection)."""
    density = shares / areas
    lo, hi = 0.0, float(density.max())
    for _ in range(200):
        lam = 0.5 * (lo + hi)
        spread = (areas * np.log(np.maximum(density / lam, 1.0))).sum()
        lo, hi = (lam, hi) if spread > lethal else (lo, lam)
    x = areas * np.log(np.maximum(density / (0.5 * (lo + hi)), 1.0))
    return float((shares * -np.expm1(-x / areas)).sum())


@pytest.mark.reference
def test_one_type_one_class_by_hand():
    # 100 single-warhead ICBMs against 100 silos, one shot each, no reserve.
    s = toy_dyad(icbms=100).model_copy(update={"exchange": ONE_SHOT})
    out = run_exchange(s, "a", "b")
    p = 0.9 * _hand_sspk(300.0, 150.0, 2000.0)  # reliability x SSPK
    assert p == pytest.approx(0.757, abs=1e-3)
    assert out.warheads_destroyed == pytest.approx(100 * p, rel=1e-9)
    survivors = 100 * (1 - p)
    assert out.defender_total("survived") == pytest.approx(survivors, rel=1e-9)
    # Retaliation: execution 1, reliability 0.9, no defences: arrivals on value.
    assert out.retaliation_arrived == pytest.approx(survivors * 0.9, rel=1e-9)
    # Value: 300 points, shares k**-1, areas share**0.215 over 30,070 km2; each arriving
    # 300 kt warhead bursts at the optimum height for 10 psi; the lethal area is spread to
    # destroy the most (water-filling, solved here by bisection on the marginal value).
    shares = np.arange(1, 301, dtype=float) ** -1.0
    shares /= shares.sum()
    areas = shares**0.215 / (shares**0.215).sum() * 30070.0
    lethal = survivors * 0.9 * np.pi * damage_radius_m(300.0, 10.0) ** 2 / 1e6
    assert out.damage_to_attacker == pytest.approx(_water_fill(lethal, shares, areas), rel=1e-9)


@pytest.mark.reference
def test_two_shots_per_silo_by_hand():
    # 200 warheads, 100 silos, two shots each: kill = 1 - (1 - p)^2.
    s = toy_dyad(a={"icbms": 100, "mirv": 2.0}, b={"icbms": 100}).model_copy(
        update={"exchange": ExchangeSettings(reserve_fraction=0.0, max_shots_per_aim_point=2)}
    )
    out = run_exchange(s, "a", "b")
    p = 0.9 * _hand_sspk(300.0, 150.0, 2000.0)
    assert out.warheads_destroyed == pytest.approx(100 * (1 - (1 - p) ** 2), rel=1e-9)
    assert out.attacker_total("counterforce") == pytest.approx(200.0)


@pytest.mark.reference
def test_area_defence_saturates_by_hand():
    # 100 warheads, 20 interceptors fired 2 per warhead at pk 0.6: 10 engaged,
    # each leaking with (1 - 0.6)^2 = 0.16, so 90 + 1.6 warheads get through.
    s = toy_dyad(icbms=100, b={"interceptors": 20}).model_copy(update={"exchange": ONE_SHOT})
    out = run_exchange(s, "a", "b")
    passed = (90 + 10 * 0.16) / 100
    p = 0.9 * _hand_sspk(300.0, 150.0, 2000.0) * passed
    assert out.warheads_destroyed == pytest.approx(100 * p, rel=1e-9)


def _conserves(out) -> None:
    for s in out.attacker_systems:
        assert s["total"] == pytest.approx(s["counterforce"] + s["later"] + s["unused"], abs=1e-6)
        assert s["counterforce"] == pytest.approx(
            s["cf_failed"] + s["cf_intercepted"] + s["cf_arrived"], abs=1e-6
        )
        assert s["later"] == pytest.approx(
            s["later_failed"] + s["later_intercepted"] + s["later_arrived"], abs=1e-6
        )
        assert min(dict(s.flows).values()) >= -1e-9
    for s in out.defender_systems:
        assert s["total"] == pytest.approx(s["destroyed"] + s["survived"], abs=1e-6)
        parts = ("withheld", "failed_c2", "failed_reliability", "intercepted", "arrived")
        assert s["survived"] == pytest.approx(sum(s[p] for p in parts), abs=1e-6)
        assert s["launched_on_warning"] <= s["survived"] + 1e-9
        assert min(dict(s.flows).values()) >= -1e-9
    assert 0.0 <= out.damage_to_attacker <= 1.0
    assert 0.0 <= out.damage_to_defender <= 1.0


toy_sizes = st.fixed_dictionaries(
    {
        "icbms": st.integers(0, 300),
        "mirv": st.sampled_from([1.0, 2.0, 3.0]),
        "cep_m": st.floats(60.0, 600.0),
        "slbms": st.integers(0, 100),
        "interceptors": st.integers(0, 100),
        "launch_on_warning": st.booleans(),
    }
)


@settings(max_examples=40, deadline=None)
@given(a=toy_sizes, b=toy_sizes, alert=st.sampled_from(["day_to_day", "generated"]))
def test_flows_conserve(a, b, alert):
    s = toy_dyad(a=a, b=b)
    _conserves(run_exchange(s, "a", "b", alert=alert))


@settings(max_examples=30, deadline=None)
@given(a=toy_sizes, extra=st.integers(1, 200))
def test_more_attacker_warheads_never_destroy_less(a, extra):
    # under a fixed doctrine the whole pool goes at counterforce; a striker that chooses
    # may rather spend more warheads on value (tested in test_stability.py)
    b = {"icbms": 150, "slbms": 40}
    base = run_exchange(toy_dyad(a=a, b=b).with_fixed_doctrine(), "a", "b")
    more = run_exchange(
        toy_dyad(a={**a, "icbms": a["icbms"] + extra}, b=b).with_fixed_doctrine(), "a", "b"
    )
    assert more.warheads_destroyed >= base.warheads_destroyed - 1e-9


_TOY_DEFAULT = {
    "icbms": 100,
    "mirv": 1.0,
    "cep_m": 150.0,
    "slbms": 0,
    "interceptors": 0,
    "launch_on_warning": False,
}


def _most_warheads_on_one_aim_point(s, actor):
    """The most warheads one aim point of ``actor`` holds (all systems based there)."""
    posture = s.side(actor).posture
    per_class = {}
    for sys_ in posture.systems:
        w = sys_.launchers_deployed * sys_.warheads_per_launcher
        per_class[sys_.home_target] = per_class.get(sys_.home_target, 0.0) + w
    return max(w / posture.target(cid).count for cid, w in per_class.items())


@settings(max_examples=40, deadline=None)
@given(
    a=toy_sizes,
    b=toy_sizes,
    weapon=st.sampled_from(["icbms", "slbms"]),
    satellites=st.booleans(),
    timing=st.sampled_from(["simultaneous_launch", "simultaneous_arrival"]),
)
# the old cliff: a first SLBM (7.5 min of radar warning, under the 10-minute decision) among
# 200 ICBMs used to catch the defender's whole alert silo field before it could launch
@example(
    a={**_TOY_DEFAULT, "icbms": 200, "slbms": 0},
    b={**_TOY_DEFAULT, "icbms": 150, "launch_on_warning": True},
    weapon="slbms",
    satellites=False,
    timing="simultaneous_launch",
)
def test_one_more_launcher_moves_warheads_destroyed_by_at_most_its_aim_points(
    a, b, weapon, satellites, timing
):
    """Small input changes give small output changes: one more attacker launcher (its
    warheads w) changes the defender's warheads destroyed by at most w aim points' worth,
    whatever the warning (satellites up or radars only, so the faster SLBMs may or may not
    catch silos before the launch decision) and the launch timing. Before the strike
    timeline, one weapon could switch launch on warning off for a whole silo field."""
    s = toy_dyad(a=a, b=b).with_fixed_doctrine()
    s = s.model_copy(update={"exchange": s.exchange.model_copy(update={"launch_timing": timing})})
    if not satellites:
        sides = tuple(
            sd.model_copy(
                update={
                    "factors": sd.factors.model_copy(update={"early_warning_satellites": False})
                }
            )
            if sd.actor == "b"
            else sd
            for sd in s.sides
        )
        s = s.model_copy(update={"sides": sides})
    added = {"icbms": a["mirv"], "slbms": 4.0}[weapon]
    more_a = {**a, weapon: a[weapon] + 1}
    m = toy_dyad(a=more_a, b=b).with_fixed_doctrine()
    m = m.model_copy(update={"exchange": s.exchange, "sides": (m.sides[0], s.sides[1])})
    before = run_exchange(s, "a", "b").warheads_destroyed
    after = run_exchange(m, "a", "b").warheads_destroyed
    bound = added * _most_warheads_on_one_aim_point(s, "b")
    assert abs(after - before) <= bound + 1e-9


@settings(max_examples=30, deadline=None)
@given(a=toy_sizes, b=toy_sizes, extra=st.integers(1, 400))
def test_more_defender_interceptors_never_raise_damage_to_defender(a, b, extra):
    # a fixed doctrine: a striker that chooses may answer more interceptors with a new plan
    base = run_exchange(toy_dyad(a=a, b=b).with_fixed_doctrine(), "a", "b")
    more = run_exchange(
        toy_dyad(a=a, b={**b, "interceptors": b["interceptors"] + extra}).with_fixed_doctrine(),
        "a",
        "b",
    )
    assert more.damage_to_defender <= base.damage_to_defender + 1e-9


@settings(max_examples=25, deadline=None)
@given(sizes=toy_sizes, alert=st.sampled_from(["day_to_day", "generated"]))
def test_symmetric_postures_give_symmetric_outcomes(sizes, alert):
    s = toy_dyad(**sizes)
    ab = run_exchange(s, "a", "b", alert=alert)
    ba = run_exchange(s, "b", "a", alert=alert)
    assert ab.damage_to_attacker == pytest.approx(ba.damage_to_attacker, abs=1e-12)
    assert ab.damage_to_defender == pytest.approx(ba.damage_to_defender, abs=1e-12)
    assert ab.warheads_destroyed == pytest.approx(ba.warheads_destroyed, abs=1e-9)


def test_run_exchange_does_not_mutate_inputs():
    s = toy_dyad(icbms=120, mirv=3.0, slbms=40, interceptors=30)
    before = copy.deepcopy(s.model_dump())
    run_exchange(s, "a", "b")
    run_exchange_batch(s, "a", "b", attacker_draws={"cep": [0.8, 1.2]})
    assert s.model_dump() == before


def test_batch_rows_equal_single_runs():
    s = toy_dyad(icbms=150, mirv=2.0, slbms=30, interceptors=40, launch_on_warning=True)
    cep = np.array([0.7, 1.0, 1.4])
    rel = np.array([1.05, 0.9, 1.0])
    batch = run_exchange_batch(
        s,
        "a",
        "b",
        attacker_draws={"cep": cep, "reliability": rel},
        defender_draws={"interceptor_pk": [1.2, 0.5, 1.0]},
    )
    for i in range(3):
        one = run_exchange_batch(
            s,
            "a",
            "b",
            attacker_draws={"cep": cep[i], "reliability": rel[i]},
            defender_draws={"interceptor_pk": [1.2, 0.5, 1.0][i]},
        )
        assert one.damage_to_attacker[0] == batch.damage_to_attacker[i]
        assert one.damage_to_defender[0] == batch.damage_to_defender[i]
        np.testing.assert_array_equal(one.defender_destroyed[0], batch.defender_destroyed[i])
    # The single entry point is the batch of one with unit multipliers.
    single = run_exchange(s, "a", "b")
    unit = run_exchange_batch(s, "a", "b")
    assert single.damage_to_defender == unit.damage_to_defender[0]


def test_worse_accuracy_destroys_fewer_warheads():
    s = toy_dyad(icbms=200, mirv=2.0)
    batch = run_exchange_batch(s, "a", "b", attacker_draws={"cep": [0.5, 1.0, 2.0, 4.0]})
    destroyed = batch.defender_destroyed.sum(axis=1)
    assert np.all(np.diff(destroyed) < 0)


def test_launch_on_warning_saves_alert_silo_warheads():
    without = run_exchange(toy_dyad(icbms=100).with_fixed_doctrine(), "a", "b")
    with_low = run_exchange(
        toy_dyad(icbms=100, launch_on_warning=True).with_fixed_doctrine(), "a", "b"
    )
    assert with_low.defender_total("launched_on_warning") == pytest.approx(100.0)
    assert with_low.warheads_destroyed == pytest.approx(0.0)
    assert without.warheads_destroyed > 50


def test_unknown_multiplier_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown multiplier"):
        run_exchange_batch(toy_dyad(), "a", "b", attacker_draws={"cepp": [1.0]})


def test_chunked_batches_equal_one_batch():
    s = toy_dyad(icbms=150, mirv=2.0, slbms=30, interceptors=40)
    cep = np.linspace(0.5, 1.5, 7)
    whole = run_exchange_batch(s, "a", "b", attacker_draws={"cep": cep}, chunk_size=100)
    pieces = run_exchange_batch(s, "a", "b", attacker_draws={"cep": cep}, chunk_size=3)
    np.testing.assert_array_equal(whole.damage_to_defender, pieces.damage_to_defender)
    np.testing.assert_array_equal(whole.defender_destroyed, pieces.defender_destroyed)
    assert pieces.defender_destroyed.shape == (7, 2)


def test_a_side_without_systems_is_struck_and_strikes_nothing():
    s = toy_dyad(icbms=100)
    empty = s.side("b").posture.model_copy(update={"systems": ()})
    s = s.model_copy(
        update={"sides": (s.sides[0], s.sides[1].model_copy(update={"posture": empty}))}
    )
    ab = run_exchange(s, "a", "b")
    ba = run_exchange(s, "b", "a")
    assert ab.warheads_destroyed == 0.0
    assert ab.retaliation_arrived == 0.0
    assert ab.damage_to_defender > 0.0  # a's whole force falls on b's value
    assert ba.damage_to_defender == 0.0


@pytest.mark.parametrize("chunk_size", [0, -3, 2.5])
def test_chunk_size_must_be_a_positive_whole_number(chunk_size):
    with pytest.raises(InvalidArgumentError, match="chunk_size"):
        run_exchange_batch(toy_dyad(), "a", "b", size=4, chunk_size=chunk_size)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alert": "banana"}, "alert must be one of day_to_day, generated"),
        ({"alert": "gen"}, "alert must be one of"),
        ({"alert": {"a": "generated"}}, "alert must be one of"),
        ({"perspective": "usa"}, "unknown perspective 'usa'; did you mean 'us'"),
        ({"perspective": {"id": "us"}}, "perspective must be a Perspective or the id"),
    ],
)
def test_run_exchange_names_the_valid_choices(kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match):
        run_exchange(toy_dyad(), "a", "b", **kwargs)


@pytest.mark.parametrize(("attacker", "defender"), [("a", "a"), ("a", "zz"), ("us", "b")])
def test_run_exchange_needs_two_different_sides_of_the_scenario(attacker, defender):
    with pytest.raises(InvalidArgumentError, match=r"side|differ"):
        run_exchange(toy_dyad(), attacker, defender)


def test_defence_layer_tables_of_a_row_do_not_depend_on_the_rows_beside_it():
    # numpy lays out a slice over layers by batch size, and its vector and scalar paths of
    # power may differ in the last bit: a row's tables must be the same in any batch
    from detente.engine.defense import layer_tables
    from detente.engine.exchange import compile_sides
    from detente.engine.params import Multipliers
    from detente.examples import geneva_2021

    _, us = compile_sides(geneva_2021(), "ru", "us")
    assert len(us.layer_ids) >= 3
    pk = np.random.default_rng(3).uniform(0.7, 1.3, (1000, len(us.layer_ids)))
    whole = layer_tables(us, Multipliers.from_mapping({"interceptor_pk": pk}))
    for rows in (slice(500, None), slice(999, None), slice(3, 10)):
        part = layer_tables(us, Multipliers.from_mapping({"interceptor_pk": pk[rows]}))
        assert whole.leak[rows].tobytes() == part.leak.tobytes()
        assert whole.per[rows].tobytes() == part.per.tobytes()

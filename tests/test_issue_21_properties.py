"""Issue 21, silently wrong: properties over random small postures, under a fixed doctrine.

More survivable warheads never lower a side's retaliation (the probe found 500 one-kiloton
SLBM warheads that did); a defender that loses weapons never retaliates harder and never
suffers less from the same first strike; the same inputs give bit-identical outputs, run
twice and cut into chunks of any size.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.analysis.assess import assess
from detente.analysis.evaluate import Results, evaluate
from detente.analysis.experiments import Experiments
from detente.analysis.explore import default_outcomes, explore
from detente.engine.exchange import run_exchange
from detente.engine.results import ExchangeOutcome
from detente.examples import geneva_2021, toy_dyad
from detente.io import with_changes
from detente.model.force import AlertFractions, System
from detente.model.scenario import Scenario

toy_sizes = st.fixed_dictionaries(
    {
        "icbms": st.integers(1, 300),
        "mirv": st.sampled_from([1.0, 2.0, 3.0]),
        "cep_m": st.floats(60.0, 600.0),
        "slbms": st.integers(0, 60),
        "interceptors": st.integers(0, 100),
        "launch_on_warning": st.booleans(),
    }
)

survivable = st.fixed_dictionaries(
    {
        "launchers": st.integers(1, 150),
        "warheads": st.sampled_from([1.0, 4.0, 8.0]),
        "yield_kt": st.sampled_from([1.0, 5.0, 50.0, 100.0, 455.0]),
        "at_sea": st.floats(0.3, 1.0),
    }
)


def _sea_force(launchers: int, warheads: float, yield_kt: float, at_sea: float) -> System:
    """SLBMs based at the side's port: ``at_sea`` of them out of reach day to day."""
    return System(
        id="slbm_added",
        category="slbm",
        delivery="ballistic_rv",
        launchers_deployed=launchers,
        warheads_per_launcher=warheads,
        max_warheads_per_launcher=max(warheads, 8.0),
        yield_kt=yield_kt,
        cep_m=150.0,
        reliability=0.85,
        flight_time_min=15.0,
        range_km=11000.0,
        accountability="slbm",
        home_target="port",
        alert=AlertFractions(day_to_day=at_sea, generated=max(at_sea, 0.9)),
    )


def _edit_side(s: Scenario, actor: str, systems: tuple[System, ...]) -> Scenario:
    sides = tuple(
        sd.model_copy(update={"posture": sd.posture.model_copy(update={"systems": systems})})
        if sd.actor == actor
        else sd
        for sd in s.sides
    )
    return s.model_copy(update={"sides": sides})


@settings(max_examples=30, deadline=None)
@given(
    a=toy_sizes,
    b=toy_sizes.map(lambda d: {**d, "interceptors": 0}),  # see the xfail below
    added=survivable,
    alert=st.sampled_from(["day_to_day", "generated"]),
)
def test_adding_survivable_warheads_never_lowers_that_sides_retaliation(a, b, added, alert):
    s = toy_dyad(a=a, b=b).with_fixed_doctrine()
    more = _edit_side(s, "b", (*s.side("b").posture.systems, _sea_force(**added)))
    before = run_exchange(s, "a", "b", alert=alert)
    after = run_exchange(more, "a", "b", alert=alert)
    assert after.damage_to_attacker >= before.damage_to_attacker - 1e-9
    # and as the striker, the added force never makes its own first strike do less damage
    first = run_exchange(s, "b", "a", alert=alert).damage_to_defender
    assert run_exchange(more, "b", "a", alert=alert).damage_to_defender >= first - 1e-9


@settings(max_examples=12, deadline=None)
@given(a=toy_sizes, b=toy_sizes, added=survivable)
def test_adding_survivable_warheads_never_lowers_that_sides_second_strike_sufficiency(a, b, added):
    s = toy_dyad(a=a, b=b).with_fixed_doctrine()
    more = _edit_side(s, "b", (*s.side("b").posture.systems, _sea_force(**added)))
    before = assess(s, perspectives=["full"]).value("second_strike").components["b"]
    after = assess(more, perspectives=["full"]).value("second_strike").components["b"]
    assert after >= before - 1e-9


@settings(max_examples=30, deadline=None)
@given(
    a=toy_sizes,
    b=toy_sizes.map(lambda d: {**d, "interceptors": 0}),  # see the xfail below
    which=st.sampled_from(["icbm", "slbm"]),
    removed=st.integers(1, 50),
    alert=st.sampled_from(["day_to_day", "generated"]),
)
def test_removing_a_defender_weapon_never_lowers_the_attackers_damage(a, b, which, removed, alert):
    s = toy_dyad(a=a, b=b).with_fixed_doctrine()
    systems = s.side("b").posture.systems
    fewer = _edit_side(
        s,
        "b",
        tuple(
            sys_.model_copy(
                update={"launchers_deployed": max(sys_.launchers_deployed - removed, 0)}
            )
            if sys_.id == which
            else sys_
            for sys_ in systems
        ),
    )
    before = run_exchange(s, "a", "b", alert=alert)
    after = run_exchange(fewer, "a", "b", alert=alert)
    # the same strike on a defender with fewer weapons: no less damage to it, no more back
    assert after.damage_to_defender >= before.damage_to_defender - 1e-9
    assert after.damage_to_attacker <= before.damage_to_attacker + 1e-9


@pytest.mark.xfail(
    strict=True,
    reason="a defender's area interceptors are spent on the counterforce wave that reaches "
    "its silos first; without the silo they are kept for the strike on its value",
)
def test_removing_a_defended_silo_never_lowers_the_attackers_damage():
    """The smallest case the property search found with a missile defence: a (one ICBM,
    one SLBM) strikes b (one ICBM, four area interceptors), both generated. With b's ICBM
    the interceptors go against the shot at its silo and damage to b is 2.35%, the same as
    with no interceptors at all; without the ICBM they meet the strike on value and damage
    to b falls to 2.17% (with no interceptors it rises to 3.47%, as it should)."""
    s = toy_dyad(
        a={"icbms": 1, "cep_m": 174.0, "slbms": 1},
        b={"icbms": 1, "cep_m": 60.0, "interceptors": 4},
    ).with_fixed_doctrine()
    fewer = _edit_side(
        s,
        "b",
        tuple(x.model_copy(update={"launchers_deployed": 0}) for x in s.side("b").posture.systems),
    )
    before = run_exchange(s, "a", "b", alert="generated").damage_to_defender
    after = run_exchange(fewer, "a", "b", alert="generated").damage_to_defender
    assert after >= before - 1e-9


def _defended_case() -> tuple[ExchangeOutcome, ExchangeOutcome]:
    """a strikes b (one ICBM, one area interceptor) before and after b adds one 1 kt SLBM."""
    s = toy_dyad(
        a={"icbms": 1, "cep_m": 60.0, "slbms": 1},
        b={"icbms": 1, "cep_m": 60.0, "interceptors": 1},
    ).with_fixed_doctrine()
    more = _edit_side(s, "b", (*s.side("b").posture.systems, _sea_force(1, 1.0, 1.0, 0.5)))
    return (
        run_exchange(s, "a", "b", alert="generated"),
        run_exchange(more, "a", "b", alert="generated"),
    )


@pytest.mark.xfail(
    strict=True,
    reason="the defender's area interceptor also meets the shots at the new force's port, "
    "so its silo is hit harder; more warheads arrive in retaliation, but they are 1 kt",
)
def test_adding_a_low_yield_force_to_a_defended_side_never_lowers_its_retaliation():
    """The smallest case the property search found with a missile defence: a (one ICBM,
    one SLBM) strikes b (one ICBM, one area interceptor), both generated; b adds one
    one-warhead, 1 kt SLBM, half of them at sea. Warheads arriving in retaliation rise
    from 0.14 to 0.91, but the interceptor now also engages the shot at the port, b's ICBM
    warhead (the high-yield one) arrives less often (0.14 -> 0.10), and damage to a falls
    from 0.22% to 0.19%. Without the interceptor the property holds (the test above)."""
    before, after = _defended_case()
    assert after.retaliation_arrived > before.retaliation_arrived
    assert after.damage_to_attacker >= before.damage_to_attacker - 1e-9


def test_the_defended_exception_is_one_interceptor_spread_over_a_larger_salvo():
    """The flows of the case above, as docs/methodology.md (section 2) explains them: the
    area layer engages the same share of every warhead it expects, and with the new force's
    port worth striking it expects all 3.18 committed warheads instead of the 2 shots at the
    silo. Its one interceptor still stops 0.378 warheads, but fewer at the silo."""
    before, after = _defended_case()

    def flow(out: ExchangeOutcome, side: str, system: str, name: str) -> float:
        systems = out.attacker_systems if side == "a" else out.defender_systems
        return dict(next(f for f in systems if f.system == system).flows)[name]

    for out in (before, after):  # half an engagement (pk 0.6, two a shot), 0.9 reliable
        stopped = sum(flow(out, "a", x, "cf_intercepted") for x in ("icbm", "slbm"))
        assert stopped == pytest.approx(0.5 * (1 - 0.4**2) * 0.9, abs=1e-12)
    assert flow(before, "a", "icbm", "cf_intercepted") == pytest.approx(0.1417, abs=1e-4)
    assert flow(after, "a", "icbm", "cf_intercepted") == pytest.approx(0.0892, abs=1e-4)
    assert flow(after, "a", "slbm", "counterforce") == pytest.approx(1.25 + 1.18, abs=1e-4)
    assert flow(before, "b", "icbm", "survived") == pytest.approx(0.1558, abs=1e-4)
    assert flow(after, "b", "icbm", "survived") == pytest.approx(0.1110, abs=1e-4)
    assert flow(before, "b", "icbm", "arrived") == pytest.approx(0.1402, abs=1e-4)
    assert flow(after, "b", "icbm", "arrived") == pytest.approx(0.0999, abs=1e-4)
    assert flow(after, "b", "slbm_added", "arrived") == pytest.approx(0.8108, abs=1e-4)
    assert (before.damage_to_attacker, after.damage_to_attacker) == (
        pytest.approx(0.00222, abs=1e-5),
        pytest.approx(0.00187, abs=1e-5),
    )


# --- determinism: the same inputs, the same bits ------------------------------------------

MULTIPLIER_RANGES = {
    "cep": (0.5, 2.0),
    "yield_kt": (0.5, 2.0),
    "reliability": (0.8, 1.1),
    "launchers": (0.0, 1.5),
    "load": (0.5, 1.5),
    "interceptor_pk": (0.5, 1.5),
    "interceptors": (0.0, 3.0),
    "hardness": (0.5, 2.0),
    "aim_points": (0.5, 1.5),
    "detection": (0.0, 2.0),
    "decision_time": (0.5, 2.0),
    "launch_fraction": (0.0, 1.5),
}


@st.composite
def baseline_changes(draw: st.DrawFn) -> tuple[Scenario, Experiments]:
    """The 2021 baseline with a few fields changed, and 2-6 rows of multipliers from ranges."""
    changes = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "sides[us].defenses[us_gmd].interceptors": st.integers(0, 1000),
                "sides[ru].systems[ru_yars_mobile].alert.day_to_day": st.floats(0.0, 0.85),
                "exchange.reserve_fraction": st.floats(0.0, 0.5),
            },
        )
    )
    rows = draw(st.integers(2, 6))
    names = draw(
        st.lists(
            st.tuples(st.sampled_from(["us", "ru"]), st.sampled_from(sorted(MULTIPLIER_RANGES))),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    columns = {
        f"{actor}.{name}": draw(
            st.lists(st.floats(*MULTIPLIER_RANGES[name]), min_size=rows, max_size=rows)
        )
        for actor, name in names
    }
    columns = {k: [max(v, 0.01) for v in vs] for k, vs in columns.items()}  # cep, yield: > 0
    return with_changes(geneva_2021(), changes), Experiments.from_mapping(columns)


def _bits(results: Results) -> dict[str, tuple[str, tuple[int, ...], bytes]]:
    """Every column of experiments and outcomes, as dtype, shape and raw bytes."""
    columns = {**results.experiments.columns, **results.outcomes.columns()}
    return {
        str(k): (str(v.dtype), v.shape, np.ascontiguousarray(v).tobytes())
        for k, v in columns.items()
    }


@settings(max_examples=8, deadline=None)
@given(case=baseline_changes())
def test_evaluate_gives_the_same_bits_twice_and_in_any_chunk_size(case):
    scenario, experiments = case
    spec = default_outcomes(scenario)
    first = _bits(evaluate(scenario, experiments, outcomes=spec))
    assert len(first) > 20
    assert _bits(evaluate(scenario, experiments, outcomes=spec)) == first
    for chunk_size in (1, 3, experiments.size):
        assert _bits(evaluate(scenario, experiments, outcomes=spec, chunk_size=chunk_size)) == first


@settings(max_examples=5, deadline=None)
@given(
    changes=st.fixed_dictionaries(
        {"sides[us].defenses[us_gmd].interceptors": st.integers(0, 1000)},
        optional={"sides[ru].systems[ru_bulava].alert.day_to_day": st.floats(0.0, 0.75)},
    ),
    draws=st.sampled_from([2, 4, 8]),  # Sobol' points come in powers of two
    method=st.sampled_from(["lhs", "sobol"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_explore_gives_the_same_bits_twice_and_in_any_chunk_size(changes, draws, method, seed):
    scenario = with_changes(geneva_2021(), changes)
    runs = [explore(scenario, draws, method=method, seed=seed) for _ in range(2)]
    runs += [
        explore(scenario, draws, method=method, seed=seed, chunk_size=size)
        for size in (1, 3, draws)
    ]
    first = _bits(runs[0].results)
    assert len(first) > 20
    for run in runs[1:]:
        assert _bits(run.results) == first
        assert _bits(run.baseline) == _bits(runs[0].baseline)

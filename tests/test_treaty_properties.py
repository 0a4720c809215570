"""Property tests: additivity, reductions comply and never raise counts, upload bounds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.data import load_treaty, treaty_names
from detente.model.force import System
from detente.model.posture import Posture
from detente.treaty import POLICIES, compliance, count, reduce_to_comply, upload_potential
from test_treaty_counting import layer, posture, sys_

ACCOUNTABILITY = {
    "icbm_silo": "icbm",
    "icbm_mobile": "icbm",
    "slbm": "slbm",
    "bomber": "heavy_bomber",
    "nonstrategic": "none",
    "cruise": "none",
    "hypersonic_glide": "icbm",
    "torpedo": "none",
    "conventional_strike": "none",
}

TREATIES = tuple(load_treaty(name) for name in treaty_names())


@st.composite
def systems(draw: st.DrawFn, index: int) -> System:
    category = draw(st.sampled_from(sorted(ACCOUNTABILITY)))
    loaded = draw(st.integers(0, 10)) / 2
    deployed = draw(st.integers(0, 800))
    stored = draw(st.integers(0, 1500))
    accountability = ACCOUNTABILITY[category]
    if accountability == "heavy_bomber":
        # a nuclear-equipped bomber has at least one weapon loaded or stored for it
        stored = max(stored, deployed)
    return sys_(
        f"s{index}",
        category,
        accountability,
        deployed,
        loaded,
        max_load=loaded + draw(st.integers(0, 8)),
        nondeployed=draw(st.integers(0, 200)),
        stored=stored,
        nuclear=draw(st.booleans()) if category == "conventional_strike" else True,
        novel=draw(st.booleans()),
    )


@st.composite
def postures(draw: st.DrawFn) -> Posture:
    n = draw(st.integers(0, 5))
    parts = tuple(draw(systems(i)) for i in range(n))
    kinds = draw(st.lists(st.sampled_from(["area", "point", "air"]), max_size=3))
    defenses = tuple(layer(f"d{i}", k, draw(st.integers(0, 400))) for i, k in enumerate(kinds))
    return posture(*parts, reserve=draw(st.integers(0, 2000)), defenses=defenses)


def _single_item_postures(p: Posture) -> list[Posture]:
    singles = [posture(s) for s in p.systems]
    singles += [posture(defenses=(d,)) for d in p.defenses]
    singles.append(posture(reserve=p.reserve_unassigned))
    return singles


@settings(max_examples=60, deadline=None)
@given(postures())
def test_counting_is_additive_over_systems(p: Posture) -> None:
    for treaty in TREATIES:
        whole = count(p, treaty)
        parts = [count(q, treaty) for q in _single_item_postures(p)]
        for quantity in whole.quantities:
            assert whole.total(quantity) == pytest.approx(sum(x.total(quantity) for x in parts))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postures(), st.sampled_from(POLICIES))
def test_reduction_complies_and_never_raises_a_count(p: Posture, policy: str) -> None:
    for treaty in TREATIES:
        red = reduce_to_comply(p, treaty, policy)
        assert compliance(red.ledger_after).complies
        assert compliance(count(red.posture, treaty)).complies
        for quantity in red.ledger_before.quantities:
            after = red.ledger_after.total(quantity)
            assert after <= red.ledger_before.total(quantity) + 1e-9
        for cut in red.cuts:
            assert isinstance(cut.units, int) and cut.units >= 1


@settings(max_examples=80, deadline=None)
@given(postures())
def test_all_warheads_count_is_at_least_new_start_deployed_warheads(p: Posture) -> None:
    everything = count(p, load_treaty("all-warheads")).total("all_warheads")
    assert everything >= count(p, load_treaty("new-start")).total("deployed_warheads") - 1e-9


@settings(max_examples=80, deadline=None)
@given(postures(), st.floats(0, 120))
def test_upload_is_bounded_by_capacity_and_warheads(p: Posture, months: float) -> None:
    up = upload_potential(p, months=months)
    for s in up.systems:
        assert 0 <= s.upload <= s.spare_capacity + 1e-9
        assert 0 <= s.redeploy <= s.redeploy_capacity + 1e-9
        assert 0 <= s.by_months <= s.potential + 1e-9
        assert s.potential <= p.system(s.system).warheads_stored + p.reserve_unassigned + 1e-9
    assert up.potential <= sum(s.warheads_stored for s in p.systems) + p.reserve_unassigned + 1e-9
    spare = sum(
        s.launchers_deployed * max(0.0, s.max_warheads_per_launcher - s.warheads_per_launcher)
        + s.launchers_nondeployed * s.max_warheads_per_launcher
        for s in p.systems
    )
    assert up.potential <= spare + 1e-9

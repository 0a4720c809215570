"""Lethal radius, SSPK and kill probabilities: hand-derived values and properties."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from detente.errors import OutsideValidityError
from detente.physics import kill_probability, kill_probability_n, lethal_radius_m, sspk

yields = st.floats(0.01, 100_000.0)
hardness = st.floats(2.0, 10_000.0)
ceps = st.floats(1.0, 100_000.0)


@pytest.mark.reference
def test_lethal_radius_hand_values():
    # 1 Mt on 1,000 psi: 2.62 / 10 nmi; 1 Mt on 8 psi: 2.62 / 2 nmi.
    assert_allclose(lethal_radius_m(1000.0, 1000.0), 0.262 * 1852.0, rtol=1e-12)
    assert_allclose(lethal_radius_m(1000.0, 8.0), 1.31 * 1852.0, rtol=1e-12)


@pytest.mark.reference
def test_w87_worked_example():
    # Y = 0.3 Mt, H = 2,000 psi, CEP = 120 m: LR = 257.8 m, SSPK = 0.959 (formulas.md, section 3).
    assert_allclose(lethal_radius_m(300.0, 2000.0), 257.8, atol=0.05)
    assert_allclose(sspk(300.0, 120.0, 2000.0, radius="cube_root"), 0.959, atol=5e-4)
    # With Brode's surface-burst fit the 2,000 psi radius is 244.6 m: (244.6/120)^2 = 4.155.
    assert_allclose(sspk(300.0, 120.0, 2000.0), 1 - 0.5 ** ((244.57 / 120.0) ** 2), atol=5e-4)


@pytest.mark.reference
def test_sspk_sensitivities_from_reference_table():
    got = sspk(
        [100.0, 100.0, 455.0, 800.0], [120.0, 90.0, 120.0, 200.0], 2000.0, radius="cube_root"
    )
    assert_allclose(got, [0.785, 0.935, 0.985, 0.891], atol=5e-4)


@pytest.mark.reference
def test_sspk_at_one_and_two_cep():
    lr = 0.262 * 1852.0  # 1 Mt against 1,000 psi
    assert_allclose(sspk(1000.0, lr, 1000.0, radius="cube_root"), 0.5, rtol=1e-12)
    assert_allclose(sspk(1000.0, lr / 2.0, 1000.0, radius="cube_root"), 1.0 - 0.5**4, rtol=1e-12)


def test_soft_targets_are_struck_from_the_optimum_height():
    # 300 kt on a 10 psi target: the optimum airburst radius, not the cube-root fit outside
    # its range; at equal CEP that kills more than a surface burst would.
    from detente.physics.blast import optimum_range_m, surface_range_m

    assert optimum_range_m(10.0, 300.0) > surface_range_m(10.0, 300.0)
    got = sspk(300.0, 1500.0, 10.0)
    assert_allclose(got, 1 - 0.5 ** ((optimum_range_m(10.0, 300.0) / 1500.0) ** 2), rtol=1e-12)


def test_broadcasting_shape():
    got = sspk(np.array([[100.0], [300.0]]), np.array([90.0, 120.0, 200.0]), 2000.0)
    assert got.shape == (2, 3)


@pytest.mark.reference
def test_kill_probability_products():
    assert_allclose(kill_probability(0.959, 0.8), 0.7672, rtol=1e-12)
    assert_allclose(kill_probability(0.9, 0.8, 0.5), 0.36, rtol=1e-12)
    assert_allclose(kill_probability_n(0.7672, 2), 1.0 - 0.2328**2, rtol=1e-12)
    assert_allclose(kill_probability_n(0.5, [0, 1, 3]), [0.0, 0.5, 0.875], rtol=1e-12)
    assert_allclose(kill_probability_n(1.0, 0.5), 1.0)


@given(y=yields, h=hardness, c1=ceps, c2=ceps)
def test_sspk_falls_with_cep(y, h, c1, c2):
    lo, hi = sorted((c1, c2))
    assert sspk(y, hi, h) <= sspk(y, lo, h) + 1e-15


@given(y=yields, h1=hardness, h2=hardness, c=ceps)
def test_sspk_falls_with_hardness(y, h1, h2, c):
    lo, hi = sorted((h1, h2))
    assert sspk(y, c, hi) <= sspk(y, c, lo) + 1e-15


@given(y1=yields, y2=yields, h=hardness, c=ceps)
def test_sspk_rises_with_yield(y1, y2, h, c):
    lo, hi = sorted((y1, y2))
    assert sspk(hi, c, h) >= sspk(lo, c, h) - 1e-15


@given(p=st.floats(0.0, 1.0), n1=st.floats(0.0, 50.0), n2=st.floats(0.0, 50.0))
def test_more_shots_never_lower_kill_probability(p, n1, n2):
    lo, hi = sorted((n1, n2))
    assert kill_probability_n(p, hi) >= kill_probability_n(p, lo) - 1e-15
    assert 0.0 <= kill_probability_n(p, hi) <= 1.0


@given(y=yields, h=hardness, c=ceps)
def test_sspk_is_a_probability(y, h, c):
    assert 0.0 <= float(sspk(y, c, h)) <= 1.0


@pytest.mark.parametrize(
    ("yield_kt", "cep_m", "hardness_psi", "name"),
    [
        (0.001, 100.0, 1000.0, "yield_kt"),
        (200_000.0, 100.0, 1000.0, "yield_kt"),
        (300.0, 100.0, 1.0, "hardness_psi"),
        (300.0, 100.0, 20_000.0, "hardness_psi"),
        (300.0, 0.0, 1000.0, "cep_m"),
        (300.0, -5.0, 1000.0, "cep_m"),
        (math.nan, 100.0, 1000.0, "yield_kt"),
        ([300.0, 1e6], 100.0, 1000.0, "yield_kt"),
    ],
)
def test_outside_validity_raises(yield_kt, cep_m, hardness_psi, name):
    with pytest.raises(OutsideValidityError, match=name):
        sspk(yield_kt, cep_m, hardness_psi)


def test_probabilities_outside_unit_interval_raise():
    with pytest.raises(OutsideValidityError, match="reliability"):
        kill_probability(0.9, 1.2)
    with pytest.raises(OutsideValidityError, match=r"p = -0\.1"):
        kill_probability_n(-0.1, 2)
    with pytest.raises(OutsideValidityError, match="n = -1"):
        kill_probability_n(0.5, -1)

"""Blast ranges against the Glasstone & Dolan curves they are fits of."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from detente.errors import OutsideValidityError
from detente.physics import blast
from detente.physics.blast import (
    damage_radius_m,
    optimum_range_m,
    peak_overpressure_psi,
    surface_range_m,
)

FT = 0.3048
# Glasstone & Dolan (1977), Figs. 3.73a-c, 1 kt, read off the published curves (ft):
# (psi, contact surface burst, largest range at the optimum height of burst).
GLASSTONE_DOLAN_1KT = [
    (5, 1480, 2270),
    (10, 1024, 1455),
    (20, 714, 922),
    (50, 459, None),
    (100, 342, None),
    (200, 264, 270),
    (1000, 154, None),
    (2000, 119, None),
    (5000, 88, None),
    (10000, 69, None),
]
OPTIMUM_LOW_PSI = [(1, 7020), (2, 4210)]


@pytest.mark.parametrize(("psi", "surface_ft", "optimum_ft"), GLASSTONE_DOLAN_1KT)
def test_surface_and_optimum_ranges_match_the_tabulated_curves_within_5_percent(
    psi, surface_ft, optimum_ft
):
    assert surface_range_m(psi, 1.0) / FT == pytest.approx(surface_ft, rel=0.05)
    if optimum_ft is not None:
        assert optimum_range_m(psi, 1.0) / FT == pytest.approx(optimum_ft, rel=0.05)


@pytest.mark.parametrize(("psi", "optimum_ft"), OPTIMUM_LOW_PSI)
def test_optimum_range_at_low_overpressure(psi, optimum_ft):
    assert optimum_range_m(psi, 1.0) / FT == pytest.approx(optimum_ft, rel=0.05)


def test_one_megaton_rings_and_the_airburst_advantage():
    # 1 Mt: G&D surface 3.12 km at 10 psi; optimum airburst 6.9 km at 5 psi, 4.43 km at 10 psi
    assert surface_range_m(10.0, 1000.0) == pytest.approx(3120.0, rel=0.05)
    assert optimum_range_m(5.0, 1000.0) == pytest.approx(6900.0, rel=0.05)
    assert optimum_range_m(10.0, 1000.0) == pytest.approx(4430.0, rel=0.05)
    # at 10 psi the optimum airburst covers about twice the area of a surface burst
    ratio = (optimum_range_m(10.0, 1000.0) / surface_range_m(10.0, 1000.0)) ** 2
    assert 1.7 < ratio < 2.4
    # above 50 psi the height of burst no longer helps, and hard targets get surface bursts
    assert damage_radius_m(1000.0, 2000.0) == pytest.approx(surface_range_m(2000.0, 1000.0))
    assert damage_radius_m(1000.0, 10.0) == pytest.approx(optimum_range_m(10.0, 1000.0))


def test_ranges_scale_with_the_cube_root_of_yield_and_invert_the_overpressure():
    r1, r8 = surface_range_m(30.0, 1.0), surface_range_m(30.0, 8.0)
    assert r8 / r1 == pytest.approx(2.0, rel=1e-9)
    ranges = surface_range_m(np.array([2.0, 30.0, 3000.0]), 300.0)
    back = peak_overpressure_psi(ranges, 300.0, reflection=blast.SURFACE_REFLECTION)
    assert back == pytest.approx([2.0, 30.0, 3000.0], rel=1e-9)


def test_larger_yields_reach_farther_at_every_overpressure():
    psi = np.array([5.0, 10.0, 50.0, 2000.0])
    small, large = damage_radius_m(8.0, psi), damage_radius_m(455.0, psi)
    assert np.all(large > small)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: optimum_range_m(0.5, 100.0), "overpressure_psi"),
        (lambda: optimum_range_m(500.0, 100.0), "overpressure_psi"),
        (lambda: surface_range_m(10.0, 0.001), "yield_kt"),
        (lambda: surface_range_m(1e6, 100.0), "overpressure_psi"),
    ],
)
def test_outside_the_fits_ranges_is_an_error(call, match):
    with pytest.raises(OutsideValidityError, match=match):
        call()


def test_docstring_examples():
    assert doctest.testmod(blast).failed == 0

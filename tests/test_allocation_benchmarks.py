"""Public WTA benchmark instances, read at run time from the shared folder (never copied)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmarks package sits beside src/, not inside it
    sys.path.insert(0, str(ROOT))

from benchmarks.wta_files import missing_files  # noqa: E402

from detente.engine.allocation import solve_wta  # noqa: E402
from wta_instances import best_known, read_apt, read_sonuc, wta_dir  # noqa: E402

WTA = wta_dir()
pytestmark = pytest.mark.skipif(not (WTA / "best_known.csv").is_file(), reason=missing_files(WTA))


def _load(instance: str):
    reader = read_sonuc if instance.startswith("sonuc/") else read_apt
    return reader(Path(WTA) / instance)


def _rows(prefix: str):
    if not (WTA / "best_known.csv").is_file():
        return []
    return [k for k in best_known(WTA) if k.startswith(prefix)]


def test_orientation_row_is_weapon():
    p, v = _load("sonuc/wta5.txt")
    assert_allclose(solve_wta(p, v, method="exact").surviving_value, 48.364, rtol=1e-5)
    assert_allclose(solve_wta(p.T, v, method="exact").surviving_value, 47.1304, rtol=1e-5)


def _fast_gaps(instances):
    table = best_known(WTA)
    gaps = {}
    for name in instances:
        p, v = _load(name)
        sol = solve_wta(p, v, method="local_search")
        best = float(table[name]["best_known_surviving_value"])
        lower = float(table[name]["lower_bound"])
        assert sol.surviving_value >= lower * (1 - 1e-7), name
        gaps[name] = (sol.surviving_value - best) / best
    return gaps


def test_fast_on_sonuc_instances():
    gaps = _fast_gaps(_rows("sonuc/"))
    assert len(gaps) >= 10
    assert np.mean(list(gaps.values())) <= 0.01, gaps
    assert max(gaps.values()) <= 0.01, gaps


@pytest.mark.slow
def test_fast_on_all_instances():
    sonuc = _fast_gaps(_rows("sonuc/"))
    typed = _fast_gaps(_rows("andersen-pavlikov-toffolo/"))
    assert len(typed) >= 12
    # Over both families the mean gap is within 1%. The typed mu = 3 instances, where
    # several units stack on a target, are the weak spot: about 3-4.3% each, so the
    # typed family alone averages about 1.1%.
    assert np.mean([*sonuc.values(), *typed.values()]) <= 0.01, typed
    assert np.mean(list(typed.values())) <= 0.015, typed
    assert max(typed.values()) <= 0.05, typed


@pytest.mark.parametrize("instance", ["sonuc/wta5.txt", "sonuc/wta10.txt", "sonuc/wta20.txt"])
def test_exact_reaches_proven_optimum_small_sonuc(instance):
    p, v = _load(instance)
    sol = solve_wta(p, v, method="exact", time_limit_s=120)
    best = float(best_known(WTA)[instance]["best_known_surviving_value"])
    assert sol.status == "optimal"
    assert_allclose(sol.surviving_value, best, rtol=1e-5)  # published values carry ~1e-4 digits


@pytest.mark.slow
def test_exact_reaches_proven_optimum_smallest_typed():
    name = "andersen-pavlikov-toffolo/wta_50x100x1.txt.gz"
    p, v = _load(name)
    sol = solve_wta(p, v, method="exact", time_limit_s=300)
    assert sol.status == "optimal"
    assert_allclose(
        sol.surviving_value, float(best_known(WTA)[name]["best_known_surviving_value"]), rtol=1e-6
    )

"""Static measures: EMT, lethality K, counter-military potential, hard-target capability."""

from __future__ import annotations

import json

import pytest

from detente.analysis.assess import assess
from detente.analysis.measures import posture_measures, system_measures
from detente.cli.app import app
from detente.cli.base import run
from detente.data import load_posture
from detente.errors import OutsideValidityError
from detente.examples import toy_dyad
from detente.physics.lethality import sspk
from detente.physics.measures import equivalent_megatons, hard_target_capable, lethality_k
from detente.report.html import build_report


@pytest.mark.parametrize(
    ("yield_kt", "emt"),
    [(300.0, 0.448), (455.0, 0.592), (5000.0, 2.236), (1000.0, 1.0)],
)
def test_equivalent_megatons_reproduces_the_worked_examples(yield_kt, emt):
    # worked examples of the reference sheet: 0.3^(2/3), 0.455^(2/3), sqrt(5)
    assert float(equivalent_megatons(yield_kt)) == pytest.approx(emt, abs=5e-4)


def test_lethality_k_reproduces_the_worked_example():
    # 300 kt at 120 m = 0.0648 nmi: 0.3^(2/3) / 0.0648^2 = 106.7
    assert float(lethality_k(300.0, 120.0)) == pytest.approx(106.7, abs=0.05)


def test_a_cep_of_zero_is_outside_the_formula():
    with pytest.raises(OutsideValidityError, match="cep_m = 0"):
        lethality_k(300.0, 0.0)


def test_hard_target_capability_is_the_sspk_threshold():
    cases = [(300.0, 120.0), (5.0, 400.0), (90.0, 300.0), (455.0, 350.0)]
    for y, cep in cases:
        want = float(sspk(y, cep, 2000.0)) >= 0.5
        assert bool(hard_target_capable(y, cep)) is want
    assert {bool(hard_target_capable(y, c)) for y, c in cases} == {True, False}


def test_trident_sums_its_warhead_types():
    trident = load_posture("us-2021").system("us_trident_ii")
    n = trident.launchers_deployed * trident.warheads_per_launcher
    mix = [(0.09, 0.785), (0.455, 0.2), (0.008, 0.015)]  # Mt, share
    want = n * sum(share * y ** (2 / 3) for y, share in mix)
    got = system_measures(trident)
    assert got.warheads == pytest.approx(n)
    assert got.equivalent_megatons == pytest.approx(want, rel=1e-9)
    k = n * sum(share * y ** (2 / 3) / (100.0 / 1852.0) ** 2 for y, share in mix)
    assert got.counter_military_potential == pytest.approx(k, rel=1e-9)


def test_posture_total_is_the_sum_of_nuclear_systems_only():
    p = load_posture("us-2021")
    m = posture_measures(p)
    assert set(m.systems) == {s.id for s in p.systems if s.nuclear}
    assert m.total.warheads == pytest.approx(sum(s.warheads for s in m.systems.values()))
    assert m.total.equivalent_megatons == pytest.approx(
        sum(s.equivalent_megatons for s in m.systems.values())
    )


def test_more_yield_raises_emt_and_cmp_at_equal_warheads():
    s = toy_dyad()
    icbm = s.side("a").posture.system("icbm")
    small, big = (system_measures(icbm.model_copy(update={"yield_kt": y})) for y in (100, 400))
    assert small.warheads == big.warheads
    assert big.equivalent_megatons > small.equivalent_megatons
    assert big.counter_military_potential > small.counter_military_potential


def test_measures_appear_in_data_show_json_and_report(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["detente", "data", "show", "ru-2021", "--json"])
    assert run(app) == 0
    doc = json.loads(capsys.readouterr().out)
    want = posture_measures(load_posture("ru-2021")).to_dict()
    assert doc["static_measures"]["total"] == pytest.approx(want["total"])
    assert doc["static_measures"]["systems"].keys() == want["systems"].keys()
    monkeypatch.setattr("sys.argv", ["detente", "data", "show", "ru-2021"])
    assert run(app) == 0
    text = capsys.readouterr().out
    assert "Static measures" in text and "ru_yars_mobile" in text
    s = toy_dyad()
    a = assess(s)
    assert a.to_dict()["static_measures"]["a"]["total"]["warheads"] == pytest.approx(100.0)
    assert "Hard-target capable" in build_report(a)

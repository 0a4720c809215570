"""Uncertain parameters, exploration, Sobol'/Morris sensitivity and knife-edges."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from detente.analysis.evaluate import evaluate
from detente.analysis.executors import ProcessExecutor, SerialExecutor
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.explore import explore, unit_draws
from detente.analysis.knife_edges import knife_edges
from detente.analysis.parameters import (
    NOT_DRAWN,
    Parameter,
    parameter_space,
    uncertain_parameters,
)
from detente.analysis.sensitivity import morris, sobol
from detente.cli.app import app
from detente.cli.base import run
from detente.errors import InvalidArgumentError
from detente.examples import geneva_2021
from detente.model.base import Cited
from detente.model.perspective import FULL
from detente.model.scenario import Scenario
from detente.model.space import Uncertainty

SPEC = OutcomeSpec(perspectives=(FULL,), alert_cases="own", ride_out=(False,))
ALL_LEVELS = OutcomeSpec(perspectives=(FULL,), alert_cases="all", ride_out=(False,))


# --- the wiring, proven on SALib's analytic test function ---------------------------------


def test_sobol_path_reproduces_the_ishigami_indices():
    """Ishigami (a=7, b=0.1) through the same sampling, mapping and analysis as the model:
    every analytic first- and total-order index lies within its bootstrap interval."""
    params = [
        Parameter(f"x{i}", "t", "side", "", f"x{i}", 0.0, -np.pi, np.pi, "uniform", "")
        for i in (1, 2, 3)
    ]

    def model(v):
        return {"y": Ishigami.evaluate(np.column_stack([v["x1"], v["x2"], v["x3"]]))}

    got = sobol(params, model, 1024, seed=7)["y"]
    # analytic values (Ishigami & Homma 1990; Saltelli et al. 2008, p. 179)
    first = np.array([0.3139, 0.4424, 0.0])
    total = np.array([0.5576, 0.4424, 0.2437])
    assert np.all(np.abs(got.first - first) <= got.first_conf)
    assert np.all(np.abs(got.total - total) <= got.total_conf)
    ranked = morris(params, model, 30, seed=7)["y"].ranked()
    assert {r[0] for r in ranked} == {"x1", "x2", "x3"}


# --- every parameter kind: a draw is the scenario with that number changed ------------------


def _changed(s: Scenario, actor: str, path: tuple[Any, ...], value: float) -> Scenario:
    """``s`` with one number of ``actor``'s posture replaced (path of attribute names and
    (collection, id) pairs)."""
    side = s.side(actor)

    def swap(obj: Any, rest: tuple[Any, ...]) -> Any:
        head, tail = rest[0], rest[1:]
        if isinstance(head, tuple):
            coll, item = head
            items = tuple(swap(x, tail) if x.id == item else x for x in getattr(obj, coll))
            return obj.model_copy(update={coll: items})
        if not tail:
            return obj.model_copy(update={head: value})
        return obj.model_copy(update={head: swap(getattr(obj, head), tail)})

    posture = swap(side.posture, path)
    sides = tuple(
        x.model_copy(update={"posture": posture}) if x.actor == actor else x for x in s.sides
    )
    return s.model_copy(update={"sides": sides})


def _values(s: Scenario, experiments: Experiments, spec: OutcomeSpec) -> list[float]:
    out = evaluate(s, experiments, outcomes=spec).outcomes
    return [
        float(v)
        for d in out.definitions.values()
        for v in (d.value[0], *(c[0] for c in d.components.values()))
    ]


CASES = [
    ("us.systems[us_minuteman_iii].cep_m", "us", (("systems", "us_minuteman_iii"), "cep_m"), 120.0),
    (
        "ru.systems[ru_yars_mobile].yield_kt",
        "ru",
        (("systems", "ru_yars_mobile"), "yield_kt"),
        250.0,
    ),
    ("ru.systems[ru_rs20v].reliability", "ru", (("systems", "ru_rs20v"), "reliability"), 0.7),
    (
        "ru.systems[ru_yars_silo].launchers_deployed",
        "ru",
        (("systems", "ru_yars_silo"), "launchers_deployed"),
        30,
    ),
    (
        "ru.systems[ru_bulava].warheads_per_launcher",
        "ru",
        (("systems", "ru_bulava"), "warheads_per_launcher"),
        5.0,
    ),
    (
        "us.systems[us_trident_ii].flight_time_min",
        "us",
        (("systems", "us_trident_ii"), "flight_time_min"),
        9.0,
    ),
    (
        "ru.systems[ru_yars_mobile].alert.day_to_day",
        "ru",
        (("systems", "ru_yars_mobile"), "alert", "day_to_day"),
        0.5,
    ),
    (
        "ru.targets[ru_heavy_silos].hardness_psi",
        "ru",
        (("targets", "ru_heavy_silos"), "hardness_psi"),
        1500.0,
    ),
    ("us.defenses[us_gmd].interceptors", "us", (("defenses", "us_gmd"), "interceptors"), 100),
    ("ru.c2.decision_time_min", "ru", ("c2", "decision_time_min"), 16.0),
    ("us.c2.execution_probability", "us", ("c2", "execution_probability"), 0.8),
    ("ru.launch_on_warning.fraction", "ru", ("launch_on_warning", "fraction"), 0.6),
]


@pytest.mark.parametrize(("name", "actor", "path", "value"), CASES, ids=[c[0] for c in CASES])
def test_a_drawn_value_equals_the_scenario_with_that_number(name, actor, path, value):
    s = geneva_2021()
    drawn = _values(s, Experiments.from_mapping({name: [value]}), SPEC)
    edited = _values(_changed(s, actor, path, value), Experiments.baseline(), SPEC)
    assert drawn == pytest.approx(edited, rel=1e-12, abs=1e-12)
    assert drawn != pytest.approx(_values(s, Experiments.baseline(), SPEC), abs=1e-9) or (
        name == "us.defenses[us_gmd].interceptors"  # GMD cannot reach the value of any case
    )


def test_a_drawn_generated_alert_share_applies_to_generated_cases_only():
    s = geneva_2021()
    name = "ru.systems[ru_yars_mobile].alert.generated"
    drawn = _values(s, Experiments.from_mapping({name: [0.5]}), ALL_LEVELS)
    path = (("systems", "ru_yars_mobile"), "alert", "generated")
    edited = _values(_changed(s, "ru", path, 0.5), Experiments.baseline(), ALL_LEVELS)
    assert drawn == pytest.approx(edited, rel=1e-12, abs=1e-12)


def test_a_drawn_missile_defence_pk_scales_the_layer():
    s = geneva_2021()
    layer = s.side("us").posture.defenses[0]
    factor = 0.4 / layer.pk.ballistic_rv
    pk = layer.pk.model_copy(update={k: v * factor for k, v in layer.pk.model_dump().items()})
    drawn = _values(s, Experiments.from_mapping({f"us.defenses[{layer.id}].pk": [0.4]}), SPEC)
    edited = _values(
        _changed(s, "us", (("defenses", layer.id), "pk"), pk), Experiments.baseline(), SPEC
    )
    assert drawn == pytest.approx(edited, rel=1e-12, abs=1e-12)


def test_a_group_factor_moves_every_system_of_the_side():
    s = geneva_2021()
    drawn = _values(s, Experiments.from_mapping({"ru.cep_m": [1.2]}), SPEC)
    edited = s
    for sys_ in s.side("ru").posture.systems:
        edited = _changed(edited, "ru", (("systems", sys_.id), "cep_m"), sys_.cep_m * 1.2)
    assert drawn == pytest.approx(_values(edited, Experiments.baseline(), SPEC), rel=1e-12)


def test_value_area_enters_as_the_area_of_the_value_points():
    s = geneva_2021()
    value = next(t for t in s.side("us").posture.targets if t.kind == "value")
    name = f"us.targets[{value.id}].value_area_km2"
    area = value.value_area_km2 * 1.3
    drawn = _values(s, Experiments.from_mapping({name: [area]}), SPEC)
    edited = _changed(s, "us", (("targets", value.id), "value_area_km2"), area)
    assert drawn == pytest.approx(_values(edited, Experiments.baseline(), SPEC), rel=1e-9)


# --- the parameters come from the data ---------------------------------------------------


def _ranged(obj: Cited) -> dict[str, tuple[float, float]]:
    return {c.field: (c.low, c.high) for c in obj.cite if c.low is not None and c.high is not None}


def test_every_cited_range_of_a_drawn_field_is_a_parameter():
    s = geneva_2021()
    params = {p.name: p for p in uncertain_parameters(s)}
    for side in s.sides:
        for sys_ in side.posture.systems:
            for field, (low, high) in _ranged(sys_).items():
                if field in NOT_DRAWN or field == "alert" or high <= low:
                    continue
                if getattr(sys_, field) <= 0:
                    continue
                p = params[f"{side.actor}.systems[{sys_.id}].{field}"]
                assert (p.low, p.high, p.base) == (low, high, getattr(sys_, field))
                assert p.distribution == ("triangular" if low <= p.base <= high else "uniform")
    assert not any(p.field in NOT_DRAWN for p in params.values())
    assert len(params) > 100


def test_scenario_uncertainties_add_narrow_and_fix():
    s = geneva_2021()
    base = {p.name: p for p in uncertain_parameters(s)}
    narrowed = "ru.systems[ru_yars_mobile].alert.day_to_day"
    fixed = "us.systems[us_minuteman_iii].cep_m"
    added = "us.systems[us_b2a].launchers_deployed"
    assert added not in base
    changed = s.model_copy(
        update={
            "uncertainties": (
                Uncertainty(name=narrowed, low=0.1, high=0.3),
                Uncertainty(name=fixed, fixed=True),
                Uncertainty(name=added, low=8.0, high=12.0, distribution="uniform"),
            )
        }
    )
    got = {p.name: p for p in uncertain_parameters(changed)}
    assert (got[narrowed].low, got[narrowed].high) == (0.1, 0.3)
    assert fixed not in got
    assert got[added].distribution == "uniform" and (got[added].low, got[added].high) == (8, 12)
    bad = s.model_copy(update={"uncertainties": (Uncertainty(name="ru.systems[ru_yars].cep_m"),)})
    with pytest.raises(InvalidArgumentError, match=r"did you mean 'ru\.systems\[ru_yars_"):
        uncertain_parameters(bad)
    no_range = s.model_copy(update={"uncertainties": (Uncertainty(name=added),)})
    with pytest.raises(InvalidArgumentError, match="give low and high"):
        uncertain_parameters(no_range)


def test_a_scenario_file_naming_no_valid_parameter_exits_2_with_line_and_nearest(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "u.yaml"
    path.write_text(
        "name: u\n"
        "sides:\n"
        "  - posture: us-2021\n"
        "  - posture: ru-2021\n"
        "uncertainties:\n"
        "  - name: ru.systems[ru_yars_mobil].cep_m\n"
        "    low: 100\n"
        "    high: 200\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("sys.argv", ["detente", "validate", str(path)])
    assert run(app) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "u.yaml:6" in err
    assert "ru.systems[ru_yars_mobile].cep_m" in err
    assert "Traceback" not in err


def test_a_field_that_is_not_drawn_says_why():
    s = geneva_2021()
    bad = s.model_copy(
        update={
            "uncertainties": (Uncertainty(name="ru.systems[ru_rs20v].range_km", low=1, high=2),)
        }
    )
    with pytest.raises(InvalidArgumentError, match="reach is all-or-nothing"):
        uncertain_parameters(bad)


# --- exploration ------------------------------------------------------------------------------


def test_same_seed_same_draws_and_results_on_every_executor_and_chunk():
    s = geneva_2021().with_fixed_doctrine()
    spec = OutcomeSpec(
        definitions=("first_strike", "use_or_lose"),
        perspectives=(FULL,),
        alert_cases="own",
        ride_out=(False,),
    )
    one = explore(s, 24, seed=3, outcomes=spec)
    again = explore(s, 24, seed=3, outcomes=spec, chunk_size=5)
    with ProcessExecutor(2) as pool:
        par = explore(s, 24, seed=3, outcomes=spec, executor=pool, chunk_size=7)
    other = explore(s, 24, seed=4, outcomes=spec)
    a, b, c = (e.to_frame().to_numpy() for e in (one, again, par))
    assert np.array_equal(a, b) and np.array_equal(a, c)
    assert not np.array_equal(a, other.to_frame().to_numpy())


def test_intervals_cover_the_draws_and_verdict_shares_add_up():
    e = explore(geneva_2021().with_fixed_doctrine(), 40, seed=1, outcomes=SPEC)
    for i in e.intervals():
        v = e.values(i.definition, i.perspective, i.case)
        assert i.low <= i.median <= i.high
        assert np.mean(v <= i.high) >= 0.95 - 1 / len(v)
        if i.verdicts:
            assert sum(i.verdicts.values()) == pytest.approx(1.0)
    conv = e.convergence("first_strike", "full", "us:day_to_day/ru:day_to_day")
    assert [n for n, _, _ in conv] == sorted({n for n, _, _ in conv}) and conv[-1][0] == 40


def test_unit_draws_are_reproducible_and_in_the_cube():
    for method in ("lhs", "sobol"):
        u = unit_draws(64, 5, method, 11)
        assert u.shape == (64, 5) and u.min() >= 0 and u.max() <= 1
        assert np.array_equal(u, unit_draws(64, 5, method, 11))
    with pytest.raises(InvalidArgumentError, match="lhs"):
        unit_draws(4, 2, "grid", 1)  # type: ignore[arg-type]


# --- knife-edges ---------------------------------------------------------------------------


def test_knife_edges_find_the_verdict_bands_of_a_known_model():
    """First-strike stability equal to the input itself: verdicts flip at 0.45 and 0.75."""
    x = Parameter("x", "t", "side", "", "x", 0.5, 0.0, 1.0, "uniform", "")

    def model(v):
        return {"first_strike": np.asarray(v["x"], dtype=float)}

    edges = knife_edges([x], model, tolerance=0.001)
    got = sorted((round(e.threshold, 2), e.below, e.above) for e in edges)
    assert got == [(0.45, "unstable", "fragile"), (0.75, "fragile", "stable")]
    assert edges[0].distance == pytest.approx(0.05, abs=0.002)


# --- everywhere a number is shown ----------------------------------------------------------


def test_explore_and_assess_uncertainty_print_json_with_intervals(monkeypatch, capsys):
    monkeypatch.setattr(
        "sys.argv",
        [
            "detente",
            "explore",
            "--draws",
            "12",
            "--trajectories",
            "2",
            "--sobol-top",
            "2",
            "--sobol-samples",
            "4",
            "--json",
        ],
    )
    assert run(app) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["draws"] == 12 and doc["intervals"] and "knife_edges" in doc
    names = {p["name"] for p in doc["parameters"]}
    assert set(parameter_space(geneva_2021())) >= names
    monkeypatch.setattr("sys.argv", ["detente", "assess", "--uncertainty", "8", "--json"])
    assert run(app) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["uncertainty"]["draws"] == 8
    assert {i["definition"] for i in doc["uncertainty"]["intervals"]} >= {"first_strike"}


def test_serial_is_the_default_executor():
    e = explore(geneva_2021().with_fixed_doctrine(), 3, outcomes=SPEC, executor=SerialExecutor())
    assert e.draws == 3


@pytest.mark.slow
def test_serial_process_pool_and_dask_agree_bit_for_bit_on_ten_thousand_draws():
    from distributed import LocalCluster

    from detente.scale import DaskExecutor

    s = geneva_2021().with_fixed_doctrine()
    spec = OutcomeSpec(
        definitions=("first_strike",), perspectives=(FULL,), alert_cases="own", ride_out=(False,)
    )
    serial = explore(s, 10_000, seed=11, outcomes=spec, chunk_size=2_000).to_frame()
    with ProcessExecutor(2) as pool:
        process = explore(s, 10_000, seed=11, outcomes=spec, executor=pool, chunk_size=1_250)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        DaskExecutor(cluster.scheduler_address, timeout=60) as dask,
    ):
        on_dask = explore(s, 10_000, seed=11, outcomes=spec, executor=dask, chunk_size=700)
    assert serial.shape[0] == 10_000
    assert serial["first_strike/full/us:day_to_day/ru:day_to_day/combined"].nunique() > 1_000
    pd.testing.assert_frame_equal(process.to_frame(), serial, check_exact=True)
    pd.testing.assert_frame_equal(on_dask.to_frame(), serial, check_exact=True)

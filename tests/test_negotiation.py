"""Negotiation search: the front against brute force, seeds, re-assessment, bargaining, specs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from jsonschema import Draft202012Validator

from detente.analysis.assess import assess
from detente.analysis.evaluate import evaluate
from detente.analysis.executors import ProcessExecutor
from detente.analysis.experiments import Experiments
from detente.analysis.parameters import uncertain_parameters
from detente.cli import app
from detente.cli.base import run
from detente.data import load_posture
from detente.errors import ScenarioError
from detente.io import load_scenario
from detente.io.negotiation_yaml import load_negotiation_spec, negotiation_spec_schema
from detente.negotiation import NegotiationSpec, exhaustive, negotiate, package_scenario
from detente.negotiation.bargaining import kalai_smorodinsky_package, nash_package
from detente.negotiation.levers import (
    Lever,
    apply_provisions,
    cap_icbm_alert,
    cap_icbm_loading,
    package_treaty,
)
from detente.negotiation.objectives import Constraint, launchers_eliminated, warheads_dismantled
from detente.negotiation.packages import NegotiationProblem
from detente.negotiation.robust import held, robustness, uncertainty_draws
from detente.negotiation.search import tournament_by_cv_then_random
from detente.treaty import compliance, count

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "geneva-2021-negotiation.yaml"
EXAMPLES = ROOT / "examples"

FRONT_TOLERANCE = 0.005
"""Largest distance allowed from a brute-force front point to the nearest front point the
search found, as a share of each objective's range over the whole grid (measured: 0)."""


def _two_levers(**search: object) -> NegotiationSpec:
    """Deployed-warhead and US interceptor ceilings; Russia's stability against US defences."""
    return NegotiationSpec.model_validate(
        {
            "name": "two_levers",
            "sides": [{"actor": "us"}, {"actor": "ru"}],
            "levers": [
                {"kind": "deployed_warheads", "min": 1000, "max": 2400, "step": 200},
                {"kind": "area_interceptors", "min": 0, "max": 44, "step": 4},
            ],
            "objectives": [
                {"id": "ru_stability", "kind": "stability", "side": "ru"},
                {"id": "us_interceptors", "kind": "interceptors", "side": "us"},
            ],
            "bargain": ["us_interceptors", "ru_stability"],
            "constraints": [],
            "search": {"population": 12, "generations": 8, "seed": 1, **search},
        }
    )


def _stability_pair(**search: object) -> NegotiationSpec:
    """Each side's own reading, two ceilings: the shape of the shipped example, small."""
    return NegotiationSpec.model_validate(
        {
            "name": "pair",
            "sides": [{"actor": "us"}, {"actor": "ru"}],
            "levers": [
                {"kind": "deployed_warheads", "min": 1200, "max": 2400, "step": 100},
                {"kind": "conventional_strike", "min": 0, "max": 1000, "step": 250},
            ],
            "objectives": [
                {"id": "us_stability", "kind": "stability", "side": "us"},
                {"id": "ru_stability", "kind": "stability", "side": "ru"},
            ],
            "search": {"population": 8, "generations": 3, "seed": 7, **search},
        }
    )


@pytest.fixture(scope="module")
def brute():
    return exhaustive(_two_levers())


@pytest.fixture(scope="module")
def searched():
    return negotiate(_two_levers())


@pytest.fixture(scope="module")
def pair():
    return negotiate(_stability_pair())


def _front(result) -> np.ndarray:
    return np.asarray([result.evaluated[int(i)].objectives for i in result.outcome.front])


# --- the search against brute force -------------------------------------------------------


def test_the_search_finds_the_brute_force_front(brute, searched):
    assert len(brute.evaluated) == 8 * 12
    every = np.asarray([r.objectives for r in brute.evaluated])
    scale = every.max(axis=0) - every.min(axis=0)
    exact, found = _front(brute), _front(searched)
    distance = [float(np.min(np.max(np.abs(found - p) / scale, axis=1))) for p in exact]
    assert max(distance) <= FRONT_TOLERANCE
    # and nothing the search calls non-dominated is dominated by a package of the grid
    sign = np.asarray([1.0, 1.0])  # both objectives are wanted high
    for p in found:
        dominated = np.all(every * sign >= p * sign, axis=1) & np.any(
            every * sign > p * sign, axis=1
        )
        assert not dominated.any()
    # it got there evaluating fewer packages than the grid holds
    assert len(searched.evaluated) < len(brute.evaluated)


def test_the_trade_off_is_real(brute):
    # Russia's reading counts US missile defence: fewer US interceptors, more stable for Russia.
    front = sorted(_front(brute).tolist(), key=lambda p: p[1])
    assert len(front) > 3
    assert all(a[0] > b[0] for a, b in itertools.pairwise(front))


def test_the_same_seed_gives_the_same_front(pair):
    again = negotiate(_stability_pair())
    assert [(r.values, r.objectives) for r in again.evaluated] == [
        (r.values, r.objectives) for r in pair.evaluated
    ]
    assert np.array_equal(_front(again), _front(pair))
    assert (again.outcome.nash, again.outcome.kalai_smorodinsky) == (
        pair.outcome.nash,
        pair.outcome.kalai_smorodinsky,
    )
    other = negotiate(_stability_pair(seed=8, generations=1))
    assert [r.values for r in other.evaluated] != [r.values for r in pair.evaluated][
        : len(other.evaluated)
    ]


def test_no_unseeded_generator_is_drawn_during_a_search(monkeypatch):
    # pymoo makes a fresh generator wherever a random_state was not handed on; with no seed
    # it differs from run to run (pymoo issue #794 in NSGA-III's tournament)
    unseeded = []
    make = np.random.default_rng

    def watch(seed=None):
        if seed is None:
            unseeded.append(1)
        return make(seed)

    monkeypatch.setattr(np.random, "default_rng", watch)
    for algorithm in ("nsga2", "nsga3"):
        negotiate(
            _stability_pair(
                algorithm=algorithm,
                generations=3,
                population=6,
            ).model_copy(
                update={
                    "constraints": (
                        Constraint(kind="at_least", objective="us_stability", bound=0.99),
                    )
                }
            )
        )
    assert unseeded == []


def test_the_tournament_breaks_ties_with_the_given_generator():
    from pymoo.core.population import Population

    pop = Population.new("X", np.zeros((4, 1)), "CV", np.asarray([[0.5], [0.5], [0.0], [0.2]]))
    pairs = np.asarray([[0, 1], [1, 0], [2, 3], [3, 0]] * 8)
    first = tournament_by_cv_then_random(pop, pairs, random_state=np.random.default_rng(3))
    again = tournament_by_cv_then_random(pop, pairs, random_state=np.random.default_rng(3))
    assert np.array_equal(first, again)
    assert set(first[::4, 0]) <= {0, 1} and len(set(first[::4, 0])) == 2  # a coin, not a rule
    assert set(first[2::4, 0]) == {2} and set(first[3::4, 0]) == {3}  # less infeasible wins


@pytest.mark.slow
def test_a_process_pool_gives_the_same_packages_as_one_process(pair, monkeypatch):
    spec = _stability_pair()
    assert spec.search.workers == 1
    # the spec's own workers setting starts the pool (the Python call honours it too)
    started: list[int] = []

    class Spy(ProcessExecutor):
        def __init__(self, workers: int) -> None:
            started.append(workers)
            super().__init__(workers)

    monkeypatch.setattr("detente.negotiation.result.ProcessExecutor", Spy)
    two = spec.model_copy(update={"search": spec.search.model_copy(update={"workers": 2})})
    parallel = negotiate(two)
    assert started == [2]
    assert [(r.values, r.objectives) for r in parallel.evaluated] == [
        (r.values, r.objectives) for r in pair.evaluated
    ]


# --- what the search reports is what assess says ------------------------------------------


def test_packages_reassessed_by_assess_give_the_reported_values(pair):
    b = pair.outcome
    picks = {int(i) for i in b.front} | {b.nash, b.kalai_smorodinsky, 0} - {None}
    for i in sorted(picks):
        scenario = package_scenario(pair.spec, pair.evaluated[i].values)
        a = assess(scenario)
        reported = pair.objective_values(i)
        assert a.value("first_strike", "us").value == pytest.approx(
            reported["us_stability"], abs=1e-12
        )
        assert a.value("first_strike", "ru").value == pytest.approx(
            reported["ru_stability"], abs=1e-12
        )
        for side in scenario.sides:
            assert compliance(count(side.posture, scenario.treaty)).complies
    no_treaty = assess(package_scenario(pair.spec, None))
    assert no_treaty.scenario.treaty is None
    base = dict(zip(("us_stability", "ru_stability"), pair.disagreement.objectives, strict=True))
    assert no_treaty.value("first_strike", "us").value == pytest.approx(
        base["us_stability"], abs=1e-12
    )


def test_the_disagreement_point_is_both_sides_fully_uploaded(pair):
    for actor, side in pair.disagreement.sides.items():
        assert side.uploaded > 0, actor
    us = pair.disagreement.sides["us"].measures["deployed_warheads"]
    assert us > count(
        load_posture("us-2021"), package_treaty(pair.spec.levers, [2400, 1000], ("us", "ru"))
    ).total("deployed_warheads")


def test_the_bargaining_packages_are_in_the_zone_and_explained(pair):
    b = pair.outcome
    assert b.zone.size > 0
    for i in (b.nash, b.kalai_smorodinsky):
        assert i is not None and pair.acceptable(i)
        assert np.all(pair.gains[i] >= 0)
        words = pair.explain(i)
        assert set(words) == {"us", "ru"}
        assert "US gives:" in words["us"] and "It gets from RU:" in words["us"]
        assert "By the Russian reading, first-strike stability" in words["ru"]
    products = np.prod(np.clip(pair.gains[b.zone], 0, None), axis=1)
    assert np.prod(pair.gains[b.nash]) == pytest.approx(products.max())


def test_json_is_plain_and_complete(pair):
    data = json.loads(json.dumps(pair.to_dict(), allow_nan=False))
    assert data["detente_negotiation"] == 1
    assert data["zone"]["size"] == pair.outcome.zone.size
    assert data["nash"]["levers"] == pair.lever_values(pair.outcome.nash)
    assert set(data["nash"]["explanation"]) == {"us", "ru"}
    assert len(data["front"]) == pair.outcome.front.size
    assert data["bargaining_objectives"] == {"us": "us_stability", "ru": "ru_stability"}


# --- bargaining solutions by hand -----------------------------------------------------------


def test_nash_and_kalai_smorodinsky_on_hand_worked_gains():
    gains = np.asarray([[1.0, 5.0], [2.0, 2.2], [4.0, 1.0], [-1.0, 9.0]])
    zone = np.asarray([0, 1, 2])  # the last one leaves side 0 worse off
    values = np.zeros((4, 1))
    # products 5, 4.4, 4: Nash is the first
    assert nash_package(gains, zone, values) == 0
    # best gains (4, 5); shares of them: min(.25, 1), min(.5, .44), min(1, .2)
    ks, ideal = kalai_smorodinsky_package(gains, zone, values)
    assert ks == 1
    assert ideal.tolist() == [4.0, 5.0]


def test_ties_go_to_the_larger_sum_then_the_smaller_levers():
    gains = np.asarray([[2.0, 2.0], [1.0, 4.0], [2.0, 2.0]])
    values = np.asarray([[5.0], [9.0], [3.0]])
    zone = np.arange(3)
    # products all 4; sums 4, 5, 4: the second wins
    assert nash_package(gains, zone, values) == 1
    gains = np.asarray([[2.0, 2.0], [2.0, 2.0]])
    assert nash_package(gains, np.arange(2), np.asarray([[5.0], [3.0]])) == 1


def test_an_empty_zone_is_said_with_the_constraint_that_binds(tmp_path):
    spec = NegotiationSpec.model_validate(
        {
            "name": "too_much",
            "sides": [{"actor": "us"}, {"actor": "ru"}],
            "levers": [{"kind": "deployed_warheads", "min": 1400, "max": 1600, "step": 200}],
            "objectives": [
                {"id": "us_stability", "kind": "stability", "side": "us"},
                {"id": "ru_stability", "kind": "stability", "side": "ru"},
            ],
            "constraints": [
                {"kind": "at_least", "objective": "us_stability", "bound": 0.99},
                {"kind": "no_worse_than_disagreement", "objective": "ru_stability"},
            ],
        }
    )
    result = exhaustive(spec)
    assert result.outcome.zone.size == 0
    assert result.outcome.nash is None and result.outcome.kalai_smorodinsky is None
    short = {f.constraint: f for f in result.shortfalls()}
    assert short["us_stability_at_least"].met_by == 0
    assert short["us_stability_at_least"].best > 0.1
    data = result.to_dict()
    assert data["zone"]["empty"] and data["nash"] is None
    assert data["zone"]["closest"] is not None


# --- levers and objectives ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cases", "ride_out", "alert_cases"),
    [
        (["own"], (False,), "own"),
        (["us:generated/ru:generated/ride_out"], (True,), "all"),
        (["own", "us:day_to_day/ru:generated/ride_out"], (False, True), "all"),
    ],
)
def test_only_the_response_cases_the_objectives_read_are_computed(cases, ride_out, alert_cases):
    data = _two_levers().model_dump()
    data["objectives"][0]["case"] = cases[0]  # ru_stability
    data["objectives"] = [
        *data["objectives"],
        *(
            {"id": f"ru_{i}", "kind": "stability", "side": "ru", "case": c}
            for i, c in enumerate(cases[1:])
        ),
    ]
    spec = NegotiationSpec.model_validate(data)
    wanted = NegotiationProblem.from_spec(spec).outcome_spec
    assert wanted.ride_out == ride_out and wanted.alert_cases == alert_cases


def test_a_decision_vector_becomes_a_treaty_with_per_party_ceilings():
    levers = (
        Lever(kind="deployed_warheads", min=800, max=1600, step=100),
        Lever(kind="deployed_warheads", min=200, max=600, step=100, parties=("cn",)),
        Lever(kind="icbm_warheads_per_launcher", min=1, max=3),
    )
    treaty = package_treaty(levers, [1200, 400, 1], ("us", "ru", "cn"))
    assert [(lim.id, lim.ceiling, lim.parties) for lim in treaty.limits] == [
        ("deployed_warheads", 1200, ()),
        ("deployed_warheads_cn", 400, ("cn",)),
    ]
    quantities = {r.quantity for r in treaty.counting}
    assert quantities == {"deployed_warheads"}  # counted once for both ceilings


def test_de_mirving_moves_warheads_to_storage_and_caps_the_missile():
    ru = load_posture("ru-2021")
    capped = cap_icbm_loading(ru, 1.0)
    for before, after in zip(ru.systems, capped.systems, strict=True):
        assert after.warheads_total == pytest.approx(before.warheads_total, abs=1.0)
        if before.category in ("icbm_silo", "icbm_mobile"):
            assert after.warheads_per_launcher <= 1.0
            assert after.max_warheads_per_launcher <= max(1.0, 1.0)
        else:
            assert after == before
    # RS-20V: 46 launchers from 7 warheads to 1: 276 into storage
    assert capped.system("ru_rs20v").warheads_stored == ru.system("ru_rs20v").warheads_stored + 276


def test_a_de_alerting_provision_touches_only_icbms_and_only_day_to_day():
    us = load_posture("us-2021")
    low = cap_icbm_alert(us, 0.5)
    for before, after in zip(us.systems, low.systems, strict=True):
        if before.category in ("icbm_silo", "icbm_mobile"):
            assert after.alert.day_to_day == min(0.5, before.alert.day_to_day)
            assert after.alert.generated == before.alert.generated
        else:
            assert after.alert == before.alert
    levers = (Lever(kind="icbm_day_to_day_alert", min=0, max=1, step=0.1, parties=("ru",)),)
    assert apply_provisions(us, levers, [0.0], ("us", "ru")) == us  # binds Russia only


def test_costs_of_reductions_by_hand():
    us = load_posture("us-2021")
    mm3 = us.system("us_minuteman_iii")
    fewer = us.model_copy(
        update={
            "systems": tuple(
                s.model_copy(update={"launchers_deployed": 300, "launchers_nondeployed": 4})
                if s.id == mm3.id
                else s
                for s in us.systems
            )
        }
    )
    # 400 + 54 launchers before, 300 + 4 after; each retired launcher took its one warhead
    assert launchers_eliminated(us, fewer) == 150
    assert warheads_dismantled(us, fewer) == pytest.approx(100 * mm3.warheads_per_launcher)


def test_lever_ranges_are_checked():
    with pytest.raises(ValueError, match="whole number"):
        Lever(kind="deployed_warheads", min=10.5, max=20)
    with pytest.raises(ValueError, match="at most 1"):
        Lever(kind="icbm_day_to_day_alert", min=0, max=2)
    with pytest.raises(ValueError, match="did you mean 'deployed_warheads'"):
        Lever(kind="deployed_warhead", min=1, max=2)
    assert Lever(kind="deployed_launchers", min=500, max=800, step=25).grid_size == 13


# --- the robustness hook ----------------------------------------------------------------------


def test_robustness_over_draws_compares_draw_for_draw(pair):
    nash = pair.evaluated[pair.outcome.nash].values
    # draws of 1 are the scenario as written: the gains are the search's
    same = robustness(pair.spec, [nash], Experiments.from_mapping({"ru.cep": [1.0, 1.0]}))
    assert same[0].mean_gain["us"] == pytest.approx(
        float(pair.gains[pair.outcome.nash, 0]), abs=1e-12
    )
    assert same[0].better_off == {"us": 1.0, "ru": 1.0}
    # with uncertain accuracy, the share better off is counted from each draw's own gain
    draws = Experiments.from_mapping({"ru.cep": [0.6, 1.0, 1.6], "us.cep": [1.5, 1.0, 0.7]})
    [robust] = robustness(pair.spec, [nash], draws)
    package = evaluate(package_scenario(pair.spec, nash), draws).outcomes
    base = evaluate(package_scenario(pair.spec, None), draws).outcomes
    key = next(
        k
        for k in package.definitions
        if k[0] == "first_strike"
        and k[1] == "us"
        and k[2].ride_out is False
        and all(lv == "day_to_day" for _, lv in k[2].levels)
    )
    gains = package.definitions[key].value - base.definitions[key].value
    assert robust.better_off["us"] == pytest.approx(np.mean(gains >= -1e-9))
    assert robust.mean_gain["us"] == pytest.approx(np.mean(gains))


def _us_first_strike(outcomes) -> np.ndarray:
    key = next(
        k
        for k in outcomes.definitions
        if k[0] == "first_strike"
        and k[1] == "us"
        and k[2].ride_out is False
        and all(lv == "day_to_day" for _, lv in k[2].levels)
    )
    return outcomes.definitions[key].value


TOMAHAWK = "us.systems[us_tomahawk].launchers_deployed"
SARMAT = "ru.systems[ru_sarmat].cep_m"


def test_named_parameters_a_package_changed_are_held(pair):
    nash = pair.evaluated[pair.outcome.nash].values
    assert nash[1] == 0.0  # no conventional strike: the Tomahawks go
    base, package = pair.spec.scenario, package_scenario(pair.spec, nash)
    no_treaty = package_scenario(pair.spec, None)
    shipped = base.side("us").posture.system("us_tomahawk").launchers_deployed
    assert package.side("us").posture.system("us_tomahawk").launchers_deployed != shipped
    assert no_treaty.side("us").posture.system("us_tomahawk").launchers_deployed == shipped
    draws = Experiments.from_mapping(
        {"us.cep": [0.9, 1.1], TOMAHAWK: [0.5 * shipped, 1.5 * shipped], SARMAT: [150.0, 300.0]}
    )
    assert set(held(base, package, draws).columns) == {"us.cep", SARMAT}
    assert set(held(base, no_treaty, draws).columns) == {"us.cep", TOMAHAWK, SARMAT}
    # the package keeps no Tomahawks in any draw; the no-treaty world draws how many it has
    [robust] = robustness(pair.spec, [nash], draws)
    with_package = evaluate(
        package, Experiments.from_mapping({k: draws.columns[k] for k in ("us.cep", SARMAT)})
    ).outcomes
    gains = _us_first_strike(with_package) - _us_first_strike(evaluate(no_treaty, draws).outcomes)
    assert robust.mean_gain["us"] == pytest.approx(np.mean(gains), abs=1e-12)
    assert robust.better_off["us"] == pytest.approx(np.mean(gains >= -1e-9))


def test_uncertainty_draws_are_the_scenarios_cited_ranges_and_seeded(pair):
    first = uncertainty_draws(pair.spec, 3, seed=11)
    again = uncertainty_draws(pair.spec, 3, seed=11)
    other = uncertainty_draws(pair.spec, 3, seed=12)
    names = {p.name for p in uncertain_parameters(pair.spec.scenario)}
    assert set(first.columns) == names and first.size == 3
    assert all(np.array_equal(first.columns[n], again.columns[n]) for n in names)
    assert any(not np.array_equal(first.columns[n], other.columns[n]) for n in names)
    nash = pair.evaluated[pair.outcome.nash].values
    [robust] = robustness(pair.spec, [nash], first)
    assert robust == robustness(pair.spec, [nash], again)[0]
    assert set(robust.better_off.values()) <= {0.0, 1 / 3, 2 / 3, 1.0}


# --- spec files, schema, command line ---------------------------------------------------------


def test_the_shipped_example_loads_and_matches_its_schema():
    spec = load_negotiation_spec(EXAMPLE)
    assert spec.parties == ("us", "ru")
    assert spec.scenario.name == "geneva_2021"
    validator = Draft202012Validator(negotiation_spec_schema())
    Draft202012Validator.check_schema(negotiation_spec_schema())
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["levers"][0]["kind"] = "deployed_warhead"
    assert list(validator.iter_errors(data)) != []


BAD = """\
name: trial
sides:
  - actor: us
  - actor: ru
    policy: download_frist
levers:
  - {kind: deployed_warhead, min: 800, max: 2400, step: 100}
  - {kind: area_interceptors, min: 60, max: 10}
objectives:
  - {id: us_stability, kind: stability, side: us}
  - {id: ru_stability, kind: stability, side: ru, definition: first_strik}
search: {population: 2}
"""


def test_a_broken_spec_names_every_problem_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_negotiation_spec(path)
    found = {(p.line, p.path) for p in info.value.problems}
    assert found == {
        (5, "sides.1.policy"),
        (7, "levers.0.kind"),
        (8, "levers.1.max"),
        (11, "objectives.1.definition"),
        (12, "search.population"),
    }
    text = str(info.value)
    assert "did you mean 'deployed_warheads'?" in text and "did you mean 'first_strike'?" in text


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"sides": [{"actor": "us"}, {"actor": "cn"}]}, "sides.1.actor", "expected one of: us, ru"),
        (
            {
                "objectives": [
                    {"id": "a", "kind": "stability", "side": "us", "reading": "uk"},
                    {"id": "b", "kind": "stability", "side": "ru"},
                ]
            },
            "objectives.0.reading",
            "no reading 'uk'",
        ),
        ({"bargain": ["ru_stability", "us_stability"]}, "bargain.0", "an objective of side 'us'"),
        ({"scenario": "missing.yaml"}, "scenario", "scenario file:"),
        ({"scenario": "geneva_2021"}, "scenario", "path of a scenario YAML file"),
    ],
)
def test_cross_field_problems_are_located(tmp_path, change, where, words):
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["scenario"] = str(ROOT / "examples" / "geneva-2021.yaml")
    data.update(change)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_negotiation_spec(path)
    assert any(p.path == where and words in p.message for p in info.value.problems), str(info.value)


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["detente", *args])
    code = run(app)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _tiny(tmp_path: Path) -> Path:
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["scenario"] = str(ROOT / "examples" / "geneva-2021.yaml")
    data["levers"] = data["levers"][:2]
    data["objectives"] = data["objectives"][:2]
    data["search"] = {"algorithm": "nsga2", "population": 4, "generations": 1, "seed": 5}
    path = tmp_path / "tiny-negotiation.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_cli_terminal_json_html_and_plot(monkeypatch, capsys, tmp_path):
    spec = _tiny(tmp_path)
    code, out, err = _cli(monkeypatch, capsys, "negotiate", str(spec))
    assert code == 0, err
    assert "Zone of agreement" in out and "Packages against no treaty" in out
    html, png = tmp_path / "out" / "negotiation.html", tmp_path / "front.png"
    code, out, err = _cli(
        monkeypatch,
        capsys,
        "negotiate",
        str(spec),
        "--json",
        "--html",
        str(html),
        "--plot",
        str(png),
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["search"]["seed"] == 5 and data["search"]["evaluated"] >= 1
    page = html.read_text(encoding="utf-8")
    assert '<section id="negotiation">' in page and "fig-negotiation-front" in page
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_robust_ranks_packages_over_the_cited_ranges(monkeypatch, capsys, tmp_path):
    spec = _tiny(tmp_path)
    code, out, err = _cli(monkeypatch, capsys, "negotiate", str(spec), "--json", "--robust", "3")
    assert code == 0, err
    data = json.loads(out)
    robust = data["robust"]
    assert robust["draws"] == 3 and robust["seed"] == 5
    rows = robust["packages"]
    assert 1 <= len(rows) <= 10
    worst = [min(r["better_off"].values()) for r in rows]
    assert worst == sorted(worst, reverse=True)  # best first
    # each entry is what robustness says of that package on the same seeded draws
    loaded = load_negotiation_spec(spec)
    first = rows[0]
    [again] = robustness(loaded, [first["levers"]], uncertainty_draws(loaded, 3, seed=5))
    assert again.better_off == first["better_off"]
    assert again.mean_gain == pytest.approx(first["mean_gain"], abs=1e-12)
    code, out, err = _cli(monkeypatch, capsys, "negotiate", str(spec), "--robust", "2")
    assert code == 0, err
    assert "Robust packages over 2 draws" in out and "better off" in out


def test_validate_checks_a_negotiation_spec(monkeypatch, capsys, tmp_path):
    code, out, err = _cli(monkeypatch, capsys, "validate", str(EXAMPLE))
    assert code == 0, out + err
    assert "negotiation geneva_2021_follow_on: us, ru at the table, 7 lever(s)" in out
    bad = tmp_path / "bad-negotiation.yaml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        .replace("kind: stability, side: ru", "kind: stability, side: cn")
        .replace(
            "scenario: geneva-2021.yaml", f"scenario: {ROOT / 'examples' / 'geneva-2021.yaml'}"
        ),
        encoding="utf-8",
    )
    code, out, err = _cli(monkeypatch, capsys, "validate", str(bad))
    assert code == 2 and "bad-negotiation.yaml:" in out and "'cn'" in out


def test_cli_errors_exit_2_with_a_message(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = _cli(monkeypatch, capsys, "negotiate", str(bad))
    assert code == 2 and "levers.0.kind" in err and "Traceback" not in err
    code, out, err = _cli(
        monkeypatch, capsys, "negotiate", str(_tiny(tmp_path)), "--html", str(tmp_path)
    )
    assert code == 2 and "folder" in err
    code, out, err = _cli(monkeypatch, capsys, "negotiate")
    assert code == 2 and "negotiation spec file" in err
    code, out, err = _cli(monkeypatch, capsys, "negotiate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml" in err and "Traceback" not in err
    code, out, err = _cli(monkeypatch, capsys, "negotiate", "--schema")
    assert code == 0 and json.loads(out)["title"] == "detente negotiation spec"


# --- three at the table -------------------------------------------------------------------


def test_a_trilateral_search_binds_each_party_by_its_own_ceiling_and_reports_what_assess_says():
    spec = NegotiationSpec.model_validate(
        {
            "name": "triad",
            "scenario": load_scenario(EXAMPLES / "triangle-2021.yaml"),
            "sides": [{"actor": "us"}, {"actor": "ru"}, {"actor": "cn"}],
            "levers": [
                {"kind": "deployed_warheads", "min": 1200, "max": 2000, "step": 400},
                {
                    "kind": "deployed_warheads",
                    "min": 100,
                    "max": 500,
                    "step": 200,
                    "parties": ["cn"],
                },
            ],
            "objectives": [
                {"id": f"{a}_stability", "kind": "stability", "side": a} for a in ("us", "ru", "cn")
            ],
            "search": {"population": 6, "generations": 2, "seed": 3},
        }
    )
    result = negotiate(spec)
    assert len(result.evaluated) >= 6 and spec.parties == ("us", "ru", "cn")
    for i in {0, *(int(j) for j in result.outcome.front)}:
        values = result.evaluated[i].values
        scenario = package_scenario(spec, values)
        limits = {lim.id: lim for lim in scenario.treaty.limits}
        # the shared ceiling binds the United States and Russia, China only its own
        assert limits["deployed_warheads_cn"].parties == ("cn",)
        assert limits["deployed_warheads_cn"].ceiling == values[1]
        a = assess(scenario)
        reported = result.objective_values(i)
        for actor in spec.parties:
            assert a.value("first_strike", actor).value == pytest.approx(
                reported[f"{actor}_stability"], abs=1e-12
            )
        for side in scenario.sides:
            assert compliance(count(side.posture, scenario.treaty)).complies, side.actor

"""Arms-race dynamics (:mod:`detente.analysis.race`) on constructed and shipped cases.

Expected values come from the construction of the case (a linear system whose
coefficients are known, identical parties, a side that cannot build), from a second
computation the race does not share (the treaty counted directly on the scaled posture,
the answer recomputed on each side of the requirement), or from the rules of the race
(production per year, never above a ceiling, never down without ``cuts``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from detente.analysis.race import (
    FINE,
    GRID,
    RaceSettings,
    RaceSides,
    _outcome,
    answers,
    ceiling_scale,
    fielded,
    fit_richardson,
    requirement,
    run_race,
)
from detente.cli import main
from detente.data import resolve_treaty
from detente.engine.coalition import coalition_chunks
from detente.engine.exchange import attacker_cost, chosen_exchange
from detente.engine.params import Multipliers
from detente.engine.sides import side_rows
from detente.engine.third_party import Bystanders
from detente.errors import InvalidArgumentError
from detente.examples import toy_triad
from detente.io import load_scenario
from detente.model.perspective import FULL
from detente.model.scenario import Scenario
from detente.treaty import count

ROOT = Path(__file__).resolve().parents[1]
TRIANGLE = ROOT / "examples" / "triangle-2025.yaml"
YEARS = 8


@pytest.fixture(scope="module")
def triangle() -> Scenario:
    """The 2025 triangle under the trilateral design (as docs/three-parties.md runs it)."""
    return load_scenario(TRIANGLE).model_copy(update={"treaty": "trilateral"})


@pytest.fixture(scope="module")
def runs(triangle: Scenario):
    keys = [
        ("generated", "each", True),
        ("generated", "coalition", True),
        ("day_to_day", "each", True),
        ("day_to_day", "each", False),
    ]
    return {
        (alert, doctrine, ceilings): run_race(
            triangle, RaceSettings(years=YEARS, doctrine=doctrine, ceilings=ceilings, alert=alert)
        )
        for alert, doctrine, ceilings in keys
    }


# --------------------------------------------------------------------------------------------
# The Richardson fit, against trajectories whose coefficients are known


def _linear_race(a: np.ndarray, m: np.ndarray, g: np.ndarray, x0: np.ndarray, years: int):
    x = [x0.astype(float)]
    for _ in range(years):
        now = x[-1]
        x.append(now + a @ now - m * now + g)
    return np.array(x)


def test_the_richardson_fit_recovers_the_coefficients_of_a_linear_race():
    a = np.array([[0.0, 0.05, 0.02], [0.04, 0.0, 0.01], [0.03, 0.06, 0.0]])
    m = np.array([0.2, 0.15, 0.25])
    g = np.array([30.0, -10.0, 50.0])
    # Starting off the equilibrium in three independent directions identifies every term.
    x = _linear_race(a, m, g, np.array([1500.0, 900.0, 300.0]), 20)
    fit = fit_richardson(("us", "ru", "cn"), x)
    for i, s in enumerate(("us", "ru", "cn")):
        assert fit.fatigue[s] == pytest.approx(m[i], abs=1e-9)
        assert fit.grievance[s] == pytest.approx(g[i], abs=1e-6)
        assert fit.r_squared[s] == pytest.approx(1.0, abs=1e-9)
        for j, o in enumerate(("us", "ru", "cn")):
            if i != j:
                assert fit.reaction[(s, o)] == pytest.approx(a[i, j], abs=1e-9)
    expected = np.linalg.eigvals(a - np.diag(m))
    assert sorted(e.real for e in fit.eigenvalues) == pytest.approx(sorted(expected.real))
    assert fit.stable is True


@pytest.mark.parametrize(("a12", "a21", "stable"), [(0.1, 0.1, True), (0.5, 0.5, False)])
def test_richardsons_two_party_condition(a12, a21, stable):
    # Richardson: the race settles when m1 m2 > a12 a21 (here 0.2 * 0.3 = 0.06).
    a = np.array([[0.0, a12], [a21, 0.0]])
    m = np.array([0.2, 0.3])
    x = _linear_race(a, m, np.array([5.0, 8.0]), np.array([100.0, 40.0]), 12)
    assert fit_richardson(("x", "y"), x).stable is stable
    assert (a12 * a21 < 0.2 * 0.3) is stable


def test_a_side_that_never_moves_leaves_its_coefficients_unidentified():
    x = np.column_stack([np.full(8, 500.0), np.linspace(100.0, 450.0, 8)])
    fit = fit_richardson(("x", "y"), x)
    assert fit.fatigue["x"] is None and fit.reaction[("y", "x")] is None
    assert fit.r_squared["x"] is None
    assert fit.eigenvalues is None and fit.stable is None


# --------------------------------------------------------------------------------------------
# The requirement


def test_the_requirement_is_found_to_within_one_fine_step(triangle):
    sides = RaceSides.of(triangle, "generated")
    scales = dict.fromkeys(triangle.actors, 1.0)
    settings = RaceSettings(doctrine="coalition")
    need = triangle.stability.unacceptable_damage
    step = (GRID[1] / GRID[0]) ** (1.0 / (FINE - 1))
    for side in triangle.actors:
        value, met = requirement(sides, scales, side, settings)
        assert met
        if value <= GRID[0]:
            continue
        around = np.array([value / step, value * step])
        done = answers(sides, scales, side, around, "coalition")
        assert done[0] < need <= done[1], (side, value, done)


@pytest.mark.parametrize("alert", ["generated", "day_to_day"])
def test_the_answers_are_the_engines_own_exchanges_bit_for_bit(triangle, alert):
    # The race reads its strikes through the evaluate seam; the same strikes run on the
    # engine directly, as the race ran them before, give the same numbers to the bit.
    sides = RaceSides.of(triangle, alert)
    scales = {"us": 1.3, "ru": 0.8, "cn": 2.0}
    trial = GRID[::3]
    arrays = {s.actor: side_rows(s.posture, s.factors, [(FULL, alert)]) for s in triangle.sides}

    def mults(values):
        return Multipliers.from_mapping({"launchers": np.broadcast_to(values, trial.shape)})

    for side in triangle.actors:
        others = [a for a in triangle.actors if a != side]
        worst = np.full(trial.size, np.inf)
        for striker in others:
            (by,) = [a for a in others if a != striker]
            flows = chosen_exchange(
                triangle,
                arrays[striker],
                arrays[side],
                mults(scales[striker]),
                mults(trial),
                bystanders=Bystanders(
                    (arrays[by],), (mults(scales[by]),), triangle.third_party_damage
                ),
            )
            worst = np.minimum(worst, flows.damage_to_attacker)
        each = answers(sides, scales, side, trial, "each")
        assert np.array_equal(each, worst)
        camp = coalition_chunks(
            [(arrays[o], mults(scales[o])) for o in others],
            [(arrays[side], mults(trial))],
            triangle.exchange,
            attacker_cost(triangle),
        )
        worst = np.minimum(worst, np.min([camp.damage[o] for o in others], axis=0))
        assert np.array_equal(answers(sides, scales, side, trial, "coalition"), worst)


def test_the_worst_coalition_asks_for_more_than_each_party_alone(runs):
    each = runs[("generated", "each", True)]
    worst = runs[("generated", "coalition", True)]
    # Coalition sizing adds the camp of two to the strikers each side sizes against.
    assert (worst.required[0] >= each.required[0] - 1e-9).all()
    cn = each.actors.index("cn")
    assert worst.required[0, cn] > each.required[0, cn] * 1.2
    # China stands above its requirement against each alone and below it against the camp.
    assert each.required[0, cn] < 1.0 < worst.required[0, cn]
    assert each.warheads[-1, cn] == pytest.approx(each.warheads[0, cn])
    assert worst.warheads[-1, cn] > worst.warheads[0, cn] + 100


# --------------------------------------------------------------------------------------------
# Production limits, ceilings, cuts


def test_no_side_builds_faster_than_it_can_produce(runs):
    for run in runs.values():
        growth = np.diff(run.warheads, axis=0)
        assert (growth <= 100.0 + 1e-6).all()
        assert (growth >= -1e-9).all()  # no cuts: nobody builds down


def test_a_side_below_its_requirement_builds_at_its_production_rate(triangle):
    settings = RaceSettings(years=3, doctrine="coalition", production={"cn": 40.0})
    run = run_race(triangle, settings)
    cn = run.actors.index("cn")
    assert np.diff(run.warheads[:, cn]) == pytest.approx([40.0, 40.0, 40.0])


def test_the_ceiling_scale_puts_the_binding_count_at_its_ceiling(triangle):
    treaty = resolve_treaty("trilateral")
    for side in triangle.sides:
        scale, binding = ceiling_scale(side.posture, triangle)
        assert binding
        scaled = side.posture.model_copy(
            update={
                "systems": tuple(
                    s.model_copy(update={"launchers_deployed": scale * s.launchers_deployed})
                    for s in side.posture.systems
                )
            }
        )
        counted = count(scaled, treaty)
        for limit in treaty.limits:
            total = counted.total(limit.quantity)
            assert total <= limit.ceiling + 1e-6
            if limit.id in binding:
                assert total == pytest.approx(limit.ceiling)


def test_a_treaty_binds_only_its_parties(triangle):
    new_start = triangle.model_copy(update={"treaty": "new_start"})
    assert ceiling_scale(new_start.side("cn").posture, new_start) == (np.inf, [])
    assert np.isfinite(ceiling_scale(new_start.side("us").posture, new_start)[0])


def test_the_ceiling_stops_a_side_whose_requirement_cannot_be_met(runs):
    capped = runs[("day_to_day", "each", True)]
    free = runs[("day_to_day", "each", False)]
    cn = capped.actors.index("cn")
    cap = capped.ceilings["cn"] * capped.warheads[0, cn]
    assert (capped.warheads[:, cn] <= cap + 1e-6).all()
    assert capped.warheads[-1, cn] == pytest.approx(cap)
    assert capped.outcome == "held at a ceiling"
    assert not capped.met[-1, cn]
    # Without the ceiling the same side keeps building at its production rate.
    assert free.warheads[-1, cn] > cap + 50
    assert np.diff(free.warheads[:, cn]) == pytest.approx([100.0] * YEARS)
    assert free.outcome == "keeps growing"
    assert free.equilibrium is None


def test_with_cuts_a_side_above_its_requirement_builds_down(triangle):
    run = run_race(triangle, RaceSettings(years=3, cuts=True, ceilings=False))
    us = run.actors.index("us")
    assert np.diff(run.warheads[:, us]) == pytest.approx([-100.0] * 3)


def test_the_outcome_is_read_from_the_last_three_years():
    met = np.ones((5, 2), dtype=bool)
    still = np.array([[1.0, 1.0], [1.2, 1.0], [1.2, 1.0], [1.2, 1.0], [1.2, 1.0]])
    assert _outcome(still, met, 0.005) == "settles"
    unmet = met.copy()
    unmet[-1, 1] = False
    assert _outcome(still, unmet, 0.005) == "held at a ceiling"
    stopped_late = np.array([[1.0, 1.0], [1.0, 1.0], [1.1, 1.0], [1.2, 1.0], [1.2, 1.0]])
    assert _outcome(stopped_late, met, 0.005) == "keeps growing"
    falling = np.array([[1.0, 1.0], [0.9, 1.0], [0.8, 1.0], [0.7, 1.0], [0.6, 1.0]])
    assert _outcome(falling, met, 0.005) == "still building down"
    creeping = np.array([[1.0, 1.0], [1.004, 1.0], [1.008, 1.0], [1.012, 1.0], [1.016, 1.0]])
    assert _outcome(creeping, met, 0.005) == "settles"


def test_a_settled_race_settles_at_each_sides_requirement_or_above(runs):
    run = runs[("generated", "coalition", True)]
    assert run.outcome == "settles"
    assert run.met[-1].all()
    assert (run.scales[-1] >= run.required[-1] - 1e-9).all()


# --------------------------------------------------------------------------------------------
# Constructed cases and determinism


def test_identical_parties_race_identically():
    tri = toy_triad(icbms=60, mirv=2, slbms=20)
    run = run_race(tri, RaceSettings(years=4, doctrine="coalition", plan_steps=3))
    assert np.allclose(run.warheads, run.warheads[:, :1], rtol=1e-12)
    assert np.allclose(run.required, run.required[:, :1], rtol=1e-12)


def test_the_race_is_deterministic(triangle):
    settings = RaceSettings(years=3, alert="day_to_day")
    one, two = run_race(triangle, settings), run_race(triangle, settings)
    assert np.array_equal(one.warheads, two.warheads)
    assert np.array_equal(one.required, two.required)
    assert json.dumps(one.to_dict(), allow_nan=False) == json.dumps(two.to_dict(), allow_nan=False)


def test_a_side_with_no_warheads_cannot_race():
    tri = toy_triad(parties={"c": {"icbms": 0, "slbms": 0}})
    assert fielded(tri.side("c").posture) == 0
    with pytest.raises(InvalidArgumentError, match="'c' fields no nuclear warheads"):
        run_race(tri, RaceSettings(years=2))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("years", 0),
        ("years", 2.5),
        ("doctrine", "worst"),
        ("production", {"us": -1.0}),
        ("production", {"us": float("nan")}),
        ("largest", 1.0),
        ("plan_steps", 0),
        ("alert", "high"),
    ],
)
def test_bad_settings_are_refused(field, value):
    with pytest.raises(InvalidArgumentError, match=field):
        RaceSettings(**{field: value})


# --------------------------------------------------------------------------------------------
# The command


def run_cli(capsys, monkeypatch, *args: str):
    monkeypatch.setattr(sys, "argv", ["detente", "race", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--years", "0"), "years must be a whole number 1-100, got 0"),
        (("--doctrine", "worst"), "doctrine must be 'each' or 'coalition', got 'worst'"),
        (("--alert", "high"), "alert must be"),
        (("--production", "xx=5"), "got 'xx=5'"),
        (("--production", "us=lots"), "the rate of 'us' must be a number"),
        (("--plot", str(TRIANGLE)), "it is the input file"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_2(capsys, monkeypatch, args, message):
    code, out, err = run_cli(capsys, monkeypatch, str(TRIANGLE), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_the_command_refuses_a_missing_file(capsys, monkeypatch, tmp_path):
    code, _, err = run_cli(capsys, monkeypatch, str(tmp_path / "none.yaml"))
    assert code == 2 and "file not found" in err


def test_the_command_prints_the_run_and_writes_the_plot(capsys, monkeypatch, tmp_path):
    plot = tmp_path / "race.png"
    code, out, err = run_cli(
        capsys, monkeypatch, str(TRIANGLE), "--years", "2", "--plot", str(plot)
    )
    assert code == 0, err
    assert "Warheads fielded" in out and "settles" in out and "Richardson" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, _ = run_cli(capsys, monkeypatch, str(TRIANGLE), "--years", "2", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["actors"] == ["us", "ru", "cn"] and len(data["warheads"]["cn"]) == 3
    assert data["outcome"] == "settles"

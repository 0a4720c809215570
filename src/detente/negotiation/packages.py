"""Packages: a decision vector becomes postures, a scenario, and objective values.

For one package (one value per lever) each side at the table

1. takes on the package's posture provisions (warheads per ICBM, alert);
2. brings itself under every ceiling that binds it by its own reduction
   policy (:func:`~detente.treaty.reduce_to_comply`);
3. where its doctrine says so, uploads stored warheads up to the ceilings
   (:func:`~detente.treaty.upload.build_up`).

The *disagreement point* is no treaty at all (New START expired): no cuts,
and every side whose doctrine says so uploads its whole hedge. The resulting
scenario goes through the evaluate seam
(:func:`~detente.analysis.evaluate.evaluate`) with only the definitions,
readings and alert cases the objectives read; packages are spread over an
executor in chunks, and every result depends only on its own package.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from detente.analysis.evaluate import evaluate
from detente.analysis.executors import Executor, Progress, SerialExecutor
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.model.cases import AlertCase
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.model.posture import Posture
from detente.model.scenario import Scenario, Side
from detente.model.treaty import Treaty
from detente.negotiation.levers import (
    ICBM_CATEGORIES,
    LEVER_KINDS,
    apply_provisions,
    counting_treaty,
    package_treaty,
)
from detente.negotiation.objectives import PackageState, SideState, StabilityKey
from detente.negotiation.spec import NegotiatingSide, NegotiationSpec
from detente.treaty import count, reduce_to_comply
from detente.treaty.reduction import ReductionError
from detente.treaty.upload import build_up

FloatArray = npt.NDArray[np.float64]
Values = tuple[float, ...]

PACKAGES_PER_CHUNK = 4
"""Packages one executor task evaluates (each is a whole scenario's worth of exchanges)."""


def provision_measures(posture: Posture) -> dict[str, float]:
    """The posture's level of every provision lever (for saying what a package changes)."""
    icbms = [s for s in posture.systems if s.category in ICBM_CATEGORIES and s.launchers_deployed]
    return {
        "icbm_warheads_per_launcher": max((s.warheads_per_launcher for s in icbms), default=0.0),
        "icbm_day_to_day_alert": max((s.alert.day_to_day for s in icbms), default=0.0),
    }


@dataclass(frozen=True)
class SideOutcome:
    """What one side holds in a package: every lever's measure, and its upload."""

    actor: str
    measures: Mapping[str, float]
    """By lever kind: the side's count of a ceiling's quantity, or its provision level."""
    uploaded: int = 0


@dataclass(frozen=True)
class PackageResult:
    """One package evaluated: its lever values, objective values and what each side holds."""

    values: Values | None
    """One value per lever; ``None`` for the disagreement point."""
    objectives: tuple[float, ...]
    sides: Mapping[str, SideOutcome] = field(default_factory=dict)
    error: str = ""
    """Why the package could not be carried out (a ceiling no cut can meet); empty if it was."""

    @property
    def ok(self) -> bool:
        """Whether the package could be carried out."""
        return not self.error


@dataclass(frozen=True)
class NegotiationProblem:
    """A spec with what every evaluation needs worked out once."""

    spec: NegotiationSpec
    outcome_spec: OutcomeSpec
    counting: Treaty
    stability_keys: tuple[StabilityKey, ...]

    @classmethod
    def from_spec(cls, spec: NegotiationSpec) -> NegotiationProblem:
        """The problem of ``spec``: which outcomes to compute, and how sides are counted."""
        keys = tuple(dict.fromkeys(o.stability_key for o in spec.objectives if o.spec.stability))
        wanted = {reading for _, reading, _, _ in keys}
        cases = {case for _, _, case, _ in keys}
        ride_out = {case != "own" and AlertCase.parse(case).ride_out for case in cases}
        outcome_spec = OutcomeSpec(
            definitions=tuple(dict.fromkeys(d for d, _, _, _ in keys)) or ("first_strike",),
            perspectives=tuple(p for p in BUILT_IN_PERSPECTIVES if p.id in wanted)
            or BUILT_IN_PERSPECTIVES[:1],
            alert_cases="own" if cases <= {"own"} else "all",
            ride_out=tuple(sorted(ride_out)) or (False,),
        )
        return cls(spec, outcome_spec, counting_treaty(spec.levers, spec.parties), keys)

    def treaty(self, values: Sequence[float]) -> Treaty:
        """The treaty of a package."""
        s = self.spec
        return package_treaty(
            s.levers, values, s.parties, treaty_id=f"{s.name}_package", label=s.package_label
        )


def _side_state(
    problem: NegotiationProblem, side: Side, doctrine: NegotiatingSide | None, values: Values | None
) -> SideState:
    spec = problem.spec
    before = side.posture
    posture, treaty = before, None
    if doctrine is not None and values is not None:
        treaty = problem.treaty(values)
        posture = apply_provisions(posture, spec.levers, values, spec.parties)
        if any(lim.binds(posture.actor) for lim in treaty.limits):
            posture = reduce_to_comply(posture, treaty, doctrine.policy).posture
    uploaded = 0
    if doctrine is not None and doctrine.build_up:
        built = build_up(posture, treaty, months=doctrine.upload_months)
        posture, uploaded = built.posture, built.uploaded
    counts = {t.quantity: t.total for t in count(posture, problem.counting).totals}
    return SideState(side.actor, posture, before, counts, uploaded)


def side_states(problem: NegotiationProblem, values: Values | None) -> dict[str, SideState]:
    """Every side of the scenario in a package (``None``: at the disagreement point)."""
    doctrines = {d.actor: d for d in problem.spec.sides}
    return {
        s.actor: _side_state(problem, s, doctrines.get(s.actor), values)
        for s in problem.spec.scenario.sides
    }


def scenario_of(
    problem: NegotiationProblem, states: Mapping[str, SideState], values: Values | None
) -> Scenario:
    """The scenario with every side's package posture and the package's treaty."""
    base = problem.spec.scenario
    sides = tuple(Side(posture=states[s.actor].posture, factors=s.factors) for s in base.sides)
    treaty = None if values is None else problem.treaty(values)
    return base.model_copy(update={"sides": sides, "treaty": treaty})


def package_scenario(spec: NegotiationSpec, values: Sequence[float] | None) -> Scenario:
    """The scenario of a package (``None``: the disagreement point), e.g. to ``assess`` it."""
    problem = NegotiationProblem.from_spec(spec)
    row = None if values is None else tuple(float(v) for v in values)
    return scenario_of(problem, side_states(problem, row), row)


def stability_values(
    problem: NegotiationProblem, scenario: Scenario, experiments: Experiments | None = None
) -> dict[StabilityKey, FloatArray]:
    """Every stability value the objectives read, one entry per experiment (evaluate seam)."""
    evaluated = evaluate(scenario, experiments, outcomes=problem.outcome_spec).outcomes
    own = AlertCase(tuple((s.actor, s.posture.alert) for s in scenario.sides))
    out: dict[StabilityKey, FloatArray] = {}
    for key in problem.stability_keys:
        definition, reading, case, part = key
        alerts = own if case == "own" else AlertCase.parse(case)
        values = evaluated.definitions[(definition, reading, alerts)]
        out[key] = values.value if part == "combined" else values.components[part]
    return out


def _outcomes(states: Mapping[str, SideState], spec: NegotiationSpec) -> dict[str, SideOutcome]:
    kinds = list(dict.fromkeys(lever.kind for lever in spec.levers))
    out = {}
    for actor, state in states.items():
        levels = provision_measures(state.posture)
        measures = {}
        for kind in kinds:
            quantity = LEVER_KINDS[kind].quantity
            measures[kind] = state.counts[quantity] if quantity is not None else levels[kind]
        out[actor] = SideOutcome(actor, measures, state.uploaded)
    return out


def evaluate_package(problem: NegotiationProblem, values: Values | None) -> PackageResult:
    """One package (or the disagreement point, ``values=None``) evaluated."""
    try:
        states = side_states(problem, values)
    except ReductionError as exc:
        nan = tuple(math.nan for _ in problem.spec.objectives)
        return PackageResult(values, nan, error=str(exc))
    scenario = scenario_of(problem, states, values)
    stability = {k: float(v[0]) for k, v in stability_values(problem, scenario).items()}
    state = PackageState(states, stability)
    objectives = tuple(o.value(state) for o in problem.spec.objectives)
    return PackageResult(values, objectives, _outcomes(states, problem.spec))


def _evaluate_chunk(problem: NegotiationProblem, rows: Sequence[Values]) -> list[PackageResult]:
    return [evaluate_package(problem, row) for row in rows]


def evaluate_packages(
    problem: NegotiationProblem,
    rows: Sequence[Values],
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[PackageResult]:
    """Evaluate packages in chunks on ``executor``; results in the order of ``rows``."""
    chunks = [
        list(rows[i : i + PACKAGES_PER_CHUNK]) for i in range(0, len(rows), PACKAGES_PER_CHUNK)
    ]
    fn = functools.partial(_evaluate_chunk, problem)
    done = (executor or SerialExecutor()).map(fn, chunks, progress)
    return [r for chunk in done for r in chunk]


__all__ = [
    "PACKAGES_PER_CHUNK",
    "NegotiationProblem",
    "PackageResult",
    "SideOutcome",
    "evaluate_package",
    "evaluate_packages",
    "package_scenario",
    "provision_measures",
    "scenario_of",
    "side_states",
    "stability_values",
]

"""Robust packages: how often each side is better off when the model's numbers are uncertain.

A table of draws (:class:`~detente.analysis.experiments.Experiments`, one row
per draw) is applied to every package *and* to the disagreement point, draw for
draw (common random numbers: a package and the no-treaty world are compared
under the same assumptions). For each side, the share of draws in which its
bargaining objective is at least as good as at the disagreement point is its
probability of being better off; packages are ranked by the smallest of those
over the sides. Objectives that do not read a stability definition (what a
side keeps or cuts) do not change from draw to draw.

Draws are either side-wide multipliers (``ru.cep``), which scale whatever a
package leaves a side with, or uncertain parameters by their model names
(:mod:`detente.analysis.parameters`; :func:`uncertainty_draws` draws every cited
range of the scenario as ``detente explore`` does). A named parameter that a
package (or the no-treaty upload) changed from the scenario's value is held at
the changed value in that evaluation: drawing it from its cited range would undo
the provision, the same rule a sweep follows for its levers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.analysis.executors import Executor, Progress, SerialExecutor
from detente.analysis.experiments import Experiments
from detente.analysis.explore import DEFAULT_SEED, Method, unit_draws
from detente.analysis.parameters import parameter_space, sample, uncertain_parameters
from detente.engine.params import Multipliers
from detente.model.scenario import Scenario
from detente.negotiation.objectives import TOLERANCE, PackageState
from detente.negotiation.packages import (
    NegotiationProblem,
    Values,
    scenario_of,
    side_states,
    stability_values,
)
from detente.negotiation.spec import NegotiationSpec

if TYPE_CHECKING:
    from detente.negotiation.result import NegotiationResult

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RobustPackage:
    """One package over the draws."""

    values: Values
    better_off: dict[str, float]
    """Per side at the table: share of draws with its bargaining objective no worse than
    at the disagreement point in the same draw."""
    mean_gain: dict[str, float]
    """Per side at the table: its gain averaged over the draws."""

    @property
    def worst(self) -> float:
        """The smallest probability of being better off over the sides (the ranking key)."""
        return min(self.better_off.values())


def _bargaining_draws(
    problem: NegotiationProblem, values: Values | None, draws: Experiments
) -> FloatArray:
    """Per draw (row) and side at the table (column): its bargaining objective."""
    states = side_states(problem, values)
    scenario = scenario_of(problem, states, values)
    stability = stability_values(problem, scenario, held(problem.spec.scenario, scenario, draws))
    columns = []
    for objective in problem.spec.bargaining:
        if objective.spec.stability:
            columns.append(stability[objective.stability_key])
        else:
            state = PackageState(states, {})
            columns.append(np.full(draws.size, objective.value(state)))
    return np.column_stack(columns)


def held(base: Scenario, scenario: Scenario, draws: Experiments) -> Experiments:
    """``draws`` for ``scenario``, without the named parameters it changed from ``base``.

    A side-wide multiplier is kept; a named parameter is kept where ``scenario``
    has it at the value ``base`` has, and otherwise left out, so the evaluation
    holds it at ``scenario``'s own value.
    """
    multipliers = Multipliers.names()
    before: dict[str, float] | None = None
    now: dict[str, float] | None = None
    kept = {}
    for name, values in draws.columns.items():
        if name.partition(".")[2] in multipliers:
            kept[name] = values
            continue
        before = before if before is not None else _bases(base)
        now = now if now is not None else _bases(scenario)
        if name in now and now[name] == before.get(name):
            kept[name] = values
    return Experiments(kept, draws.size)


def _bases(scenario: Scenario) -> dict[str, float]:
    return {name: p.base for name, p in parameter_space(scenario).items()}


def uncertainty_draws(
    spec: NegotiationSpec, draws: int, *, method: Method = "lhs", seed: int = DEFAULT_SEED
) -> Experiments:
    """``draws`` joint draws of the spec scenario's uncertain parameters.

    The parameters and their distributions are the scenario's
    (:func:`~detente.analysis.parameters.uncertain_parameters`: every cited range,
    as changed by its ``uncertainties:``), drawn by Latin hypercube or scrambled
    Sobol' points from ``seed`` as :func:`~detente.analysis.explore.explore` draws
    them; the same seed gives the same draws.
    """
    params = uncertain_parameters(spec.scenario)
    u = unit_draws(draws, len(params), method, seed)
    return Experiments.from_mapping(sample(params, u)) if params else Experiments({}, draws)


def robustness(
    spec: NegotiationSpec,
    packages: Sequence[Sequence[float]],
    draws: Experiments,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[RobustPackage]:
    """Each package's probability of leaving each side better off, best first.

    Parameters
    ----------
    spec
        The negotiation.
    packages
        Lever values of the packages to test (e.g. the front of a search).
    draws
        Uncertainty draws as evaluate-seam experiments, one row per draw (e.g.
        :func:`uncertainty_draws`); named parameters a package changed are held.
    executor
        Where packages are evaluated (default: this process).
    progress
        ``progress(done, total)`` as packages finish.

    Returns
    -------
    list of RobustPackage
        Sorted by the smallest probability over the sides, then the mean gains,
        highest first.
    """
    problem = NegotiationProblem.from_spec(spec)
    base = _bargaining_draws(problem, None, draws)
    rows = [tuple(float(v) for v in p) for p in packages]
    fn = functools.partial(_bargaining_draws, problem, draws=draws)
    results = (executor or SerialExecutor()).map(fn, rows, progress)
    signs = np.asarray([o.sign for o in spec.bargaining])
    out = []
    for row, values in zip(rows, results, strict=True):
        gains = signs * (values - base)
        out.append(
            RobustPackage(
                values=row,
                better_off={
                    a: float(np.mean(gains[:, k] >= -TOLERANCE)) for k, a in enumerate(spec.parties)
                },
                mean_gain={a: float(np.mean(gains[:, k])) for k, a in enumerate(spec.parties)},
            )
        )
    return sorted(out, key=lambda r: (-r.worst, -sum(r.mean_gain.values()), r.values))


def robust_packages(
    result: NegotiationResult,
    draws: int,
    *,
    seed: int = DEFAULT_SEED,
    method: Method = "lhs",
    limit: int = 10,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[tuple[str, RobustPackage]]:
    """The search's packages worth showing, over ``draws`` uncertainty draws, best first.

    The bargaining packages and each side's best (:meth:`NegotiationResult.highlights`),
    then packages of the front, ``limit`` in all, each named by its role (``front 3``:
    the front's third package).
    """
    named = {i: name for name, i in result.highlights()}
    for k, i in enumerate(result.outcome.front):
        if len(named) >= limit:
            break
        named.setdefault(int(i), f"front {k + 1}")
    rows = {i: result.evaluated[i].values for i in list(named)[:limit]}
    packages = {i: tuple(float(v) for v in row) for i, row in rows.items() if row is not None}
    table = uncertainty_draws(result.spec, draws, method=method, seed=seed)
    ranked = robustness(
        result.spec, list(packages.values()), table, executor=executor, progress=progress
    )
    names = {row: named[i] for i, row in packages.items()}
    return [(names[r.values], r) for r in ranked]


__all__ = ["RobustPackage", "held", "robust_packages", "robustness", "uncertainty_draws"]

"""Robust packages: how often each side is better off when the model's numbers are uncertain.

This is the hook for uncertainty draws. Any table of draws the evaluate seam
accepts (:class:`~detente.analysis.experiments.Experiments`: columns named
``<actor>.<multiplier>``, one row per draw, from whatever sampler made them)
is applied to every package *and* to the disagreement point, draw for draw
(common random numbers: a package and the no-treaty world are compared under
the same assumptions). For each side, the share of draws in which its
bargaining objective is at least as good as at the disagreement point is its
probability of being better off; packages are ranked by the smallest of those
over the sides. Objectives that do not read a stability definition (what a
side keeps or cuts) do not change from draw to draw.

This module does not sample uncertainties itself: a sampler (Monte Carlo, Latin
hypercube, Sobol) supplies the draws, and this module only evaluates them. Draws
must be side-wide multipliers, which scale whatever a package leaves a side
with; a column that sets a number outright would overwrite what the package
changed (its launchers, loads or alert shares) and is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.analysis.executors import Executor, SerialExecutor
from detente.analysis.experiments import Experiments
from detente.engine.params import Multipliers
from detente.errors import InvalidArgumentError
from detente.negotiation.objectives import TOLERANCE, PackageState
from detente.negotiation.packages import (
    NegotiationProblem,
    Values,
    scenario_of,
    side_states,
    stability_values,
)
from detente.negotiation.spec import NegotiationSpec

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
    stability = stability_values(problem, scenario, draws)
    columns = []
    for objective in problem.spec.bargaining:
        if objective.spec.stability:
            columns.append(stability[objective.stability_key])
        else:
            state = PackageState(states, {})
            columns.append(np.full(draws.size, objective.value(state)))
    return np.column_stack(columns)


def _check_relative(draws: Experiments) -> None:
    """Refuse a column that is not a side-wide multiplier (the seam checks the actor)."""
    names = Multipliers.names()
    for column in draws.columns:
        _, _, rest = column.partition(".")
        if rest not in names:
            raise InvalidArgumentError(
                f"robustness draws: column {column!r} is not a side-wide multiplier "
                f"<actor>.<multiplier> ({', '.join(names)}); a package changes the numbers "
                "a draw would set outright, so draws must scale them"
            )


def robustness(
    spec: NegotiationSpec,
    packages: Sequence[Sequence[float]],
    draws: Experiments,
    *,
    executor: Executor | None = None,
) -> list[RobustPackage]:
    """Each package's probability of leaving each side better off, best first.

    Parameters
    ----------
    spec
        The negotiation.
    packages
        Lever values of the packages to test (e.g. the front of a search).
    draws
        Uncertainty draws as evaluate-seam experiments, one row per draw.
    executor
        Where packages are evaluated (default: this process).

    Returns
    -------
    list of RobustPackage
        Sorted by the smallest probability over the sides, then the mean gains,
        highest first.
    """
    _check_relative(draws)
    problem = NegotiationProblem.from_spec(spec)
    base = _bargaining_draws(problem, None, draws)
    rows = [tuple(float(v) for v in p) for p in packages]
    fn = functools.partial(_bargaining_draws, problem, draws=draws)
    results = (executor or SerialExecutor()).map(fn, rows)
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


__all__ = ["RobustPackage", "robustness"]

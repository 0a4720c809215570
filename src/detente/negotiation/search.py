"""The search over the lever space: pymoo's NSGA-II or NSGA-III, driven by ask and tell.

Each lever is one search variable: a grid index for levers with a step (every
count is: ceilings are whole numbers), the value itself for a continuous
share. Stepped variables are sampled as whole numbers and rounded after
crossover and mutation (pymoo's mixed-integer recipe: SBX and polynomial
mutation with a rounding repair); levers fixed at one value are not searched.

The algorithm asks for a generation of packages, detente evaluates them on the
executor (:func:`~detente.negotiation.packages.evaluate_packages`), and tells
the algorithm their objectives (minimised: ``-value`` for an objective a side
wants high) and constraint violations. A package is evaluated once however
often the search proposes it. The algorithm draws from its own seeded
generator (``numpy.random.default_rng(seed)``), and evaluations do not depend
on the executor, so the same seed gives the same packages in the same order.

References
----------
Deb, K., Pratap, A., Agarwal, S. & Meyarivan, T. (2002). A fast and elitist
multiobjective genetic algorithm: NSGA-II. *IEEE Trans. Evol. Comput.* 6(2),
182-197. doi:10.1109/4235.996017.
Deb, K. & Jain, H. (2014). An evolutionary many-objective optimization
algorithm using reference-point-based nondominated sorting approach, part I.
*IEEE Trans. Evol. Comput.* 18(4), 577-601. doi:10.1109/TEVC.2013.2281535.
Blank, J. & Deb, K. (2020). pymoo: Multi-objective optimization in Python.
*IEEE Access* 8, 89497-89509. doi:10.1109/ACCESS.2020.2990567.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.analysis.executors import Executor
from detente.errors import InvalidArgumentError
from detente.negotiation.packages import (
    NegotiationProblem,
    PackageResult,
    Values,
    evaluate_packages,
)

FloatArray = npt.NDArray[np.float64]
Generation = Callable[[int, int], None]
"""``progress(generation done, generations in all)``."""

INFEASIBLE = 1e12
"""Objective and violation given to a package that cannot be carried out."""


@dataclass(frozen=True)
class SearchSpace:
    """The searched levers as pymoo variables, and back to lever values."""

    problem: NegotiationProblem
    searched: tuple[int, ...]
    """Indices of the levers searched (the others are fixed at their one value)."""

    @classmethod
    def of(cls, problem: NegotiationProblem) -> SearchSpace:
        """The space of a problem; an error if no lever has a range."""
        levers = problem.spec.levers
        searched = tuple(
            i
            for i, lv in enumerate(levers)
            if lv.max > lv.min and (not lv.stepped or lv.grid_size > 1)
        )
        if not searched:
            raise InvalidArgumentError("every lever is fixed at one value; give one a range")
        return cls(problem, searched)

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        """Lower and upper bounds of the variables."""
        levers = [self.problem.spec.levers[i] for i in self.searched]
        low = [0.0 if lv.stepped else lv.min for lv in levers]
        high = [float(lv.grid_size - 1) if lv.stepped else lv.max for lv in levers]
        return np.asarray(low), np.asarray(high)

    @property
    def stepped(self) -> npt.NDArray[np.bool_]:
        """Which variables are grid indices."""
        return np.asarray([self.problem.spec.levers[i].stepped for i in self.searched])

    def values(self, x: Sequence[float]) -> Values:
        """Lever values (every lever, in spec order) of one variable vector."""
        levers = self.problem.spec.levers
        out = [lv.min for lv in levers]
        for var, i in zip(x, self.searched, strict=True):
            out[i] = levers[i].value_at(float(var))
        return tuple(float(v) for v in out)


def _pymoo_parts(space: SearchSpace) -> tuple[Any, Any]:
    """pymoo's sampling and repair for the mixed variables of ``space``."""
    from pymoo.core.repair import Repair
    from pymoo.core.sampling import Sampling

    stepped = space.stepped
    low, high = space.bounds()

    class RoundStepped(Repair):  # type: ignore[misc]
        """Rounds grid-index variables to whole numbers; leaves shares as they are."""

        def _do(self, problem: Any, X: Any, **kwargs: Any) -> Any:
            X = np.asarray(X, dtype=float).copy()
            X[:, stepped] = np.clip(np.round(X[:, stepped]), low[stepped], high[stepped])
            return X

    class MixedSampling(Sampling):  # type: ignore[misc]
        """Whole grid indices uniformly; shares uniformly in their range."""

        def _do(self, problem: Any, n_samples: int, *args: Any, **kwargs: Any) -> Any:
            rng: np.random.Generator = kwargs["random_state"]
            X = low + (high - low) * rng.random((n_samples, low.size))
            ints = rng.integers(low.astype(int), high.astype(int) + 1, size=(n_samples, low.size))
            return np.where(stepped, ints, X)

    return MixedSampling(), RoundStepped()


def tournament_by_cv_then_random(pop: Any, P: Any, random_state: Any = None, **kwargs: Any) -> Any:
    """NSGA-III's binary tournament, every tie drawn from the algorithm's own generator.

    The less infeasible package wins (smaller constraint violation); between
    two feasible packages, or two equally infeasible ones, a coin flip from
    ``random_state``. pymoo 0.6.2's own ``comp_by_cv_then_random`` flips the
    coin for equally infeasible packages with a fresh unseeded generator, so
    NSGA-III runs with one seed could differ (pymoo issue #794, fixed upstream
    after that release); this is the same rule with the seeded generator.
    """
    out = np.empty(P.shape[0], dtype=int)
    for i, (a, b) in enumerate(P):
        cv_a, cv_b = float(np.max(pop[a].CV)), float(np.max(pop[b].CV))
        if (cv_a > 0.0 or cv_b > 0.0) and cv_a != cv_b:
            out[i] = a if cv_a < cv_b else b
        else:
            out[i] = random_state.choice([a, b])
    return out[:, None]


def _reference_directions(n_obj: int, population: int, partitions: int | None) -> Any:
    from pymoo.util.ref_dirs import get_reference_directions

    if partitions is None:
        partitions = 1
        while math.comb(partitions + n_obj, n_obj - 1) <= population:
            partitions += 1
    return get_reference_directions("das-dennis", n_obj, n_partitions=partitions)


def make_algorithm(space: SearchSpace) -> Any:
    """The configured pymoo algorithm of the problem's search settings."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.algorithms.moo.nsga3 import NSGA3
    from pymoo.operators.crossover.sbx import SBX
    from pymoo.operators.mutation.pm import PM
    from pymoo.operators.selection.tournament import TournamentSelection

    settings = space.problem.spec.search
    sampling, repair = _pymoo_parts(space)
    common: dict[str, Any] = {
        "sampling": sampling,
        "crossover": SBX(prob=0.9, eta=15, vtype=float, repair=repair),
        "mutation": PM(eta=20, vtype=float, repair=repair),
        "repair": repair,
        "eliminate_duplicates": True,
    }
    if settings.algorithm == "nsga3":
        n_obj = len(space.problem.spec.objectives)
        ref_dirs = _reference_directions(n_obj, settings.population, settings.partitions)
        return NSGA3(
            ref_dirs=ref_dirs,
            pop_size=max(settings.population, len(ref_dirs)),
            selection=TournamentSelection(func_comp=tournament_by_cv_then_random),
            **common,
        )
    return NSGA2(pop_size=settings.population, **common)


@dataclass(frozen=True)
class SearchRun:
    """What one search evaluated."""

    evaluated: tuple[PackageResult, ...]
    """Every distinct package, in the order first proposed."""
    disagreement: PackageResult
    generations: int
    proposals: int
    """Packages the algorithm proposed, repeats included."""


def violations(problem: NegotiationProblem, result: PackageResult, at: PackageResult) -> FloatArray:
    """Each constraint's violation for ``result`` (at most 0 when met), against ``at``."""
    spec = problem.spec
    if not result.ok:
        return np.full(len(spec.all_constraints), INFEASIBLE)
    index = {o.id: i for i, o in enumerate(spec.objectives)}
    out = []
    for c in spec.all_constraints:
        i = index[c.objective]
        out.append(c.violation(result.objectives[i], at.objectives[i], spec.objectives[i]))
    return np.asarray(out, dtype=float)


def minimised(problem: NegotiationProblem, result: PackageResult) -> FloatArray:
    """The objectives as pymoo minimises them (``-value`` where a side wants more)."""
    if not result.ok:
        return np.full(len(problem.spec.objectives), INFEASIBLE)
    signs = np.asarray([o.sign for o in problem.spec.objectives])
    return np.asarray(-signs * np.asarray(result.objectives, dtype=float), dtype=np.float64)


def run_search(
    problem: NegotiationProblem,
    disagreement: PackageResult,
    *,
    executor: Executor | None = None,
    progress: Generation | None = None,
) -> SearchRun:
    """Search the lever space; every distinct package proposed is evaluated once."""
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    space = SearchSpace.of(problem)
    settings = problem.spec.search
    low, high = space.bounds()
    n_constr = len(problem.spec.all_constraints)
    pm_problem = Problem(
        n_var=low.size, n_obj=len(problem.spec.objectives), n_ieq_constr=n_constr, xl=low, xu=high
    )
    algorithm = make_algorithm(space)
    algorithm.setup(pm_problem, termination=("n_gen", settings.generations), seed=settings.seed)
    seen: dict[Values, PackageResult] = {}
    proposals = 0
    generation = 0
    while algorithm.has_next():
        pop = algorithm.ask()
        rows = [space.values(x) for x in pop.get("X")]
        fresh = list(dict.fromkeys(r for r in rows if r not in seen))
        for row, result in zip(
            fresh, evaluate_packages(problem, fresh, executor=executor), strict=True
        ):
            seen[row] = result
        proposals += len(rows)
        F = np.asarray([minimised(problem, seen[r]) for r in rows])
        G = np.asarray([violations(problem, seen[r], disagreement) for r in rows])
        Evaluator().eval(StaticProblem(pm_problem, F=F, G=G.reshape(len(rows), n_constr)), pop)
        algorithm.tell(infills=pop)
        generation += 1
        if progress is not None:
            progress(generation, settings.generations)
    return SearchRun(tuple(seen.values()), disagreement, generation, proposals)


__all__ = [
    "INFEASIBLE",
    "SearchRun",
    "SearchSpace",
    "make_algorithm",
    "minimised",
    "run_search",
    "tournament_by_cv_then_random",
    "violations",
]

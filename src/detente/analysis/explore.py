"""Monte Carlo exploration: every definition with its range over the uncertain inputs.

Draws are quasi-random points of the unit cube (Latin hypercube or scrambled
Sobol' sequence, :mod:`scipy.stats.qmc`, seeded), mapped through each
parameter's distribution (:mod:`detente.analysis.parameters`) and evaluated on
the evaluate seam (:func:`detente.analysis.evaluate.evaluate`) with any executor.
The same seed gives the same draws and, on every executor and chunk size, the
same results.

References
----------
McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of three methods
for selecting values of input variables in the analysis of output from a computer
code. *Technometrics* 21(2), 239-245 (Latin hypercube sampling).
Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. *Journal of
Complexity* 14(4), 466-489.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import stats
from scipy.stats import qmc

from detente.analysis.evaluate import Results, evaluate
from detente.analysis.executors import Executor, Progress
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.parameters import (
    Parameter,
    check_draw_count,
    sample,
    uncertain_parameters,
)
from detente.errors import InvalidArgumentError
from detente.model.cases import AlertCase
from detente.model.perspective import readings_for
from detente.model.scenario import Scenario
from detente.stability.verdicts import READINGS, verdict

if TYPE_CHECKING:
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
Method = Literal["lhs", "sobol"]
DEFAULT_SEED = 20210728
"""The default seed: the date of the first Geneva round."""


def unit_draws(n: int, dims: int, method: Method, seed: int) -> FloatArray:
    """``n`` points of the unit cube ``[0, 1]^dims``, reproducible from ``seed``."""
    if n < 1:
        raise InvalidArgumentError(f"draws must be a whole number >= 1, got {n!r}")
    check_draw_count(n, dims, "draws")
    if dims == 0:
        return np.zeros((n, 0))
    if method == "lhs":
        engine: qmc.QMCEngine = qmc.LatinHypercube(d=dims, seed=seed)
    elif method == "sobol":
        engine = qmc.Sobol(d=dims, scramble=True, seed=seed)
    else:
        raise InvalidArgumentError(f"method must be 'lhs' or 'sobol', got {method!r}")
    return np.asarray(engine.random(n), dtype=np.float64)


@dataclass(frozen=True)
class Interval:
    """One definition under one reading and alert case, over the draws."""

    definition: str
    perspective: str
    case: str
    baseline: float
    median: float
    low: float
    """5th percentile."""
    high: float
    """95th percentile."""
    verdicts: dict[str, float]
    """Share of draws with each verdict word (empty for a definition without words)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for JSON."""
        return {
            "definition": self.definition,
            "perspective": self.perspective,
            "case": self.case,
            "baseline": self.baseline,
            "median": self.median,
            "p05": self.low,
            "p95": self.high,
            "verdicts": dict(self.verdicts),
        }


def _interval(name: str, persp: str, case: str, values: FloatArray, base: float) -> Interval:
    words = [w for _, w in READINGS[name].bands] if name in READINGS else []
    seen = [verdict(name, float(v)) for v in values]
    shares = {w: seen.count(w) / len(seen) for w in words}
    p05, p50, p95 = np.quantile(values, (0.05, 0.5, 0.95))
    return Interval(name, persp, case, base, float(p50), float(p05), float(p95), shares)


@dataclass(frozen=True)
class Exploration:
    """The draws, their inputs and every outcome, with summaries."""

    scenario: Scenario
    parameters: tuple[Parameter, ...]
    method: Method
    seed: int
    results: Results
    baseline: Results

    @property
    def draws(self) -> int:
        """Number of draws."""
        return self.results.experiments.size

    def values(self, definition: str, perspective: str, case: str | AlertCase) -> FloatArray:
        """The definition's combined value in every draw."""
        key = (definition, perspective, _case(case))
        try:
            return self.results.outcomes.definitions[key].value
        except KeyError:
            known = sorted({(d, p, str(c)) for d, p, c in self.results.outcomes.definitions})
            raise InvalidArgumentError(
                f"no outcome {definition}/{perspective}/{case}; explored: "
                + ", ".join("/".join(k) for k in known[:12])
            ) from None

    def intervals(self) -> list[Interval]:
        """Median, 5-95% interval and verdict shares of every definition, reading and case."""
        out = []
        for (name, persp, case), d in self.results.outcomes.definitions.items():
            base = float(self.baseline.outcomes.definitions[(name, persp, case)].value[0])
            out.append(_interval(name, persp, str(case), d.value, base))
        return out

    def convergence(
        self, definition: str, perspective: str, case: str | AlertCase, points: int = 8
    ) -> list[tuple[int, float, float]]:
        """(draws, 5-95% width, median) on growing prefixes of the draws."""
        v = self.values(definition, perspective, case)
        sizes = np.unique(np.geomspace(min(10, v.size), v.size, points).astype(int))
        out = []
        for n in sizes:
            p05, p50, p95 = np.quantile(v[:n], (0.05, 0.5, 0.95))
            out.append((int(n), float(p95 - p05), float(p50)))
        return out

    def drivers(
        self, definition: str, perspective: str, case: str | AlertCase, top: int = 10
    ) -> list[tuple[str, float]]:
        """Parameters ranked by |Spearman rank correlation| with the value over the draws."""
        v = self.values(definition, perspective, case)
        ranked = []
        if np.ptp(v) == 0:
            return []
        for p in self.parameters:
            x = self.results.experiments.columns[p.name]
            if np.ptp(x) == 0:
                continue
            rho = float(stats.spearmanr(x, v).statistic)
            ranked.append((p.name, 0.0 if np.isnan(rho) else rho))
        ranked.sort(key=lambda t: -abs(t[1]))
        return ranked[:top]

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: its inputs, then every outcome."""
        return self.results.to_frame()

    def to_dict(self) -> dict[str, Any]:
        """Summaries for JSON (not the draws themselves)."""
        return {
            "draws": self.draws,
            "method": self.method,
            "seed": self.seed,
            "parameters": [
                {
                    "name": p.name,
                    "base": p.base,
                    "low": p.low,
                    "high": p.high,
                    "distribution": p.distribution,
                    "source": p.source,
                }
                for p in self.parameters
            ],
            "intervals": [i.to_dict() for i in self.intervals()],
        }


def _case(case: str | AlertCase) -> AlertCase:
    return case if isinstance(case, AlertCase) else AlertCase.parse(case)


def default_outcomes(scenario: Scenario) -> OutcomeSpec:
    """What an exploration computes by default: every definition under every reading, at
    the sides' own alert levels with their launch-on-warning policies."""
    return OutcomeSpec(
        perspectives=readings_for(scenario.actors), alert_cases="own", ride_out=(False,)
    )


def explore(
    scenario: Scenario,
    draws: int = 1000,
    *,
    method: Method = "lhs",
    seed: int = DEFAULT_SEED,
    outcomes: OutcomeSpec | None = None,
    parameters: Sequence[Parameter] | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> Exploration:
    """Evaluate ``scenario`` over ``draws`` joint draws of its uncertain parameters.

    Parameters
    ----------
    scenario
        The scenario; its ``uncertainties:`` add, narrow or fix parameters.
    draws
        Number of draws.
    method
        ``"lhs"`` (Latin hypercube) or ``"sobol"`` (scrambled Sobol' points).
    seed
        Seed of the sequence; the same seed gives the same draws and results.
    outcomes
        What to compute per draw (default: :func:`default_outcomes`).
    parameters
        The parameters to draw (default: :func:`uncertain_parameters` of the scenario).
    executor, chunk_size, progress
        As for :func:`~detente.analysis.evaluate.evaluate`.
    """
    params = tuple(parameters) if parameters is not None else uncertain_parameters(scenario)
    spec = outcomes or default_outcomes(scenario)
    u = unit_draws(draws, len(params), method, seed)
    experiments = Experiments.from_mapping(sample(params, u)) if params else Experiments({}, draws)
    results = evaluate(
        scenario,
        experiments,
        outcomes=spec,
        executor=executor,
        chunk_size=chunk_size,
        progress=progress,
    )
    baseline = evaluate(scenario, Experiments.baseline(), outcomes=spec)
    return Exploration(scenario, params, method, seed, results, baseline)


@dataclass(frozen=True)
class PointDraws:
    """Uncertainty draws for the points of a sweep (a sweep's sampler).

    Each point draws its scenario's uncertain parameters by Latin hypercube from
    the generator the sweep gives it. A parameter whose value at the point differs
    from ``base`` was set by a lever and is held at the lever's value: drawing it
    from its cited range would undo the lever.
    """

    base: Scenario

    def __call__(self, scenario: Scenario, n: int, rng: np.random.Generator) -> Experiments:
        """``n`` draws for the point ``scenario``."""
        shipped = {p.name: p.base for p in uncertain_parameters(self.base)}
        free = [p for p in uncertain_parameters(scenario) if shipped.get(p.name) == p.base]
        if not free:
            return Experiments({}, n)
        u = qmc.LatinHypercube(d=len(free), seed=rng).random(n)
        return Experiments.from_mapping(sample(free, u))


__all__ = [
    "DEFAULT_SEED",
    "Exploration",
    "Interval",
    "PointDraws",
    "default_outcomes",
    "explore",
    "unit_draws",
]

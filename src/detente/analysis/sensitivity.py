"""Global sensitivity with SALib: which uncertain inputs drive each definition.

Both methods work in the unit cube of quantiles and map each point through the
parameters' distributions (:meth:`Parameter.values`), so the indices are those of
the model under the input distributions actually drawn. The model is any function
from ``{parameter name: values}`` to ``{output name: values}``;
:func:`model_outputs` makes one of a scenario (the headline reading and alert case
of every definition), and the same path computes the indices of SALib's analytic
test functions, which is how the wiring is checked.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output.
Design and estimator for the total sensitivity index. *Computer Physics
Communications* 181(2), 259-270 (the estimators SALib implements).
Morris, M. D. (1991). Factorial sampling plans for preliminary computational
experiments. *Technometrics* 33(2), 161-174; Campolongo, F., Cariboni, J. &
Saltelli, A. (2007). An effective screening design for sensitivity analysis of
large models. *Environmental Modelling & Software* 22(10), 1509-1518 (mu*).
Herman, J. & Usher, W. (2017). SALib: an open-source Python library for sensitivity
analysis. *Journal of Open Source Software* 2(9), 97.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.analysis.evaluate import evaluate
from detente.analysis.executors import Executor, Progress
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.parameters import Parameter, check_draw_count, sample
from detente.errors import InvalidArgumentError
from detente.model.cases import AlertCase
from detente.model.perspective import BUILT_IN_PERSPECTIVES, Perspective
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS

FloatArray = npt.NDArray[np.float64]
Model = Callable[[Mapping[str, FloatArray]], Mapping[str, FloatArray]]
"""Parameter values (one array per name) -> outputs (one array per output name)."""


@dataclass(frozen=True)
class SobolIndices:
    """First- and total-order indices of one output, with bootstrap half-widths (95%)."""

    output: str
    names: tuple[str, ...]
    first: FloatArray
    first_conf: FloatArray
    total: FloatArray
    total_conf: FloatArray
    base_samples: int

    def ranked(self) -> list[tuple[str, float, float, float, float]]:
        """(name, S1, S1 conf, ST, ST conf), largest total index first."""
        order = np.argsort(-self.total, kind="stable")
        return [
            (
                self.names[i],
                float(self.first[i]),
                float(self.first_conf[i]),
                float(self.total[i]),
                float(self.total_conf[i]),
            )
            for i in order
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for JSON."""
        return {
            "output": self.output,
            "base_samples": self.base_samples,
            "indices": [
                {"name": n, "S1": s1, "S1_conf": c1, "ST": st, "ST_conf": ct}
                for n, s1, c1, st, ct in self.ranked()
            ],
        }


@dataclass(frozen=True)
class MorrisScreening:
    """Elementary-effect screening of one output: mu* (mean |effect|) and sigma."""

    output: str
    names: tuple[str, ...]
    mu_star: FloatArray
    mu_star_conf: FloatArray
    sigma: FloatArray
    trajectories: int

    def ranked(self) -> list[tuple[str, float, float, float]]:
        """(name, mu*, mu* conf, sigma), largest mu* first."""
        order = np.argsort(-self.mu_star, kind="stable")
        return [
            (
                self.names[i],
                float(self.mu_star[i]),
                float(self.mu_star_conf[i]),
                float(self.sigma[i]),
            )
            for i in order
        ]


def _problem(params: Sequence[Parameter], groups: bool = False) -> dict[str, Any]:
    if not params:
        raise InvalidArgumentError("sensitivity needs at least one uncertain parameter")
    problem: dict[str, Any] = {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": [[0.0, 1.0]] * len(params),
    }
    if groups:
        problem["groups"] = [p.group for p in params]
    return problem


def sobol(
    params: Sequence[Parameter],
    model: Model,
    base_samples: int = 1024,
    *,
    seed: int = 20210728,
    resamples: int = 200,
) -> dict[str, SobolIndices]:
    """Sobol' first- and total-order indices of every output of ``model``.

    ``base_samples`` (a power of 2) gives ``base_samples x (D + 2)`` model runs.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if base_samples < 2 or base_samples & (base_samples - 1):
        raise InvalidArgumentError(f"base_samples must be a power of 2, got {base_samples}")
    problem = _problem(params)
    check_draw_count(base_samples * (len(params) + 2), len(params), "Sobol' samples")
    u = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    outputs = model(sample(params, np.asarray(u, dtype=np.float64)))
    out = {}
    for name, y in outputs.items():
        y = np.asarray(y, dtype=np.float64)
        if np.mean(y != np.median(y)) < 0.01:
            # constant, or moved in under 1% of the runs: the variance is a handful of
            # outliers, the estimators return noise (ST of 2.7 +- 3.9 was seen), and there
            # is no spread to apportion

            zeros = np.zeros(len(params))
            out[name] = SobolIndices(
                name, tuple(problem["names"]), zeros, zeros, zeros, zeros, base_samples
            )
            continue
        with warnings.catch_warnings():
            # a bootstrap resample of a mostly flat output can be constant; the interval
            # then carries the uncertainty, and the warning says nothing more
            warnings.simplefilter("ignore", UserWarning)
            si = sobol_analyze.analyze(
                problem, y, calc_second_order=False, num_resamples=resamples, seed=seed
            )
        out[name] = SobolIndices(
            name,
            tuple(problem["names"]),
            np.asarray(si["S1"], dtype=np.float64),
            np.asarray(si["S1_conf"], dtype=np.float64),
            np.asarray(si["ST"], dtype=np.float64),
            np.asarray(si["ST_conf"], dtype=np.float64),
            base_samples,
        )
    return out


def morris(
    params: Sequence[Parameter],
    model: Model,
    trajectories: int = 10,
    *,
    levels: int = 4,
    seed: int = 20210728,
    grouped: bool = False,
) -> dict[str, MorrisScreening]:
    """Morris screening of every output; ``grouped`` screens the side-wide groups
    (all CEPs of a side together, ...) instead of single parameters."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    if trajectories < 2:
        raise InvalidArgumentError(
            f"Morris screening needs at least 2 trajectories (for sigma), got {trajectories}"
        )
    problem = _problem(params, groups=grouped)
    groups = len(set(problem.get("groups") or problem["names"]))
    check_draw_count(trajectories * (groups + 1), len(params), "Morris trajectories")
    u = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    outputs = model(sample(params, np.asarray(u, dtype=np.float64)))
    names = tuple(dict.fromkeys(problem.get("groups") or problem["names"]))
    out = {}
    for name, y in outputs.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            si = morris_analyze.analyze(
                problem, u, np.asarray(y, dtype=np.float64), num_levels=levels, seed=seed
            )
        out[name] = MorrisScreening(
            name,
            names,
            np.asarray(si["mu_star"], dtype=np.float64),
            np.asarray(si["mu_star_conf"], dtype=np.float64),
            np.asarray(si["sigma"], dtype=np.float64),
            trajectories,
        )
    return out


def model_outputs(
    scenario: Scenario,
    *,
    definitions: Sequence[str] = tuple(DEFINITIONS),
    perspective: Perspective | None = None,
    case: AlertCase | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Model:
    """The scenario as a model for sensitivity: each definition's value under one reading
    (the full reading by default) at one alert case (the sides' own levels with their
    launch-on-warning policies by default)."""
    persp = perspective or BUILT_IN_PERSPECTIVES[0]
    spec = OutcomeSpec(
        definitions=tuple(definitions),
        perspectives=(persp,),
        alert_cases="own",
        ride_out=(case.ride_out,) if case is not None else (False,),
    )

    def run(values: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
        results = evaluate(
            scenario,
            Experiments.from_mapping(values),
            outcomes=spec,
            executor=executor,
            progress=progress,
        )
        out = {}
        for (name, pid, key), d in results.outcomes.definitions.items():
            if pid == persp.id and (case is None or key == case):
                out[name] = d.value
        return out

    return run


__all__ = ["MorrisScreening", "SobolIndices", "model_outputs", "morris", "sobol"]

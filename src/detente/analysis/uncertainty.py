"""The whole uncertainty analysis of a scenario: intervals, drivers, indices, knife-edges.

1. Monte Carlo over every uncertain parameter (:func:`~detente.analysis.explore.explore`):
   each definition's median, 5-95% interval and verdict shares under every reading.
2. Morris screening of every parameter on the headline reading and case: the few that
   matter, out of well over a hundred.
3. Sobol' first- and total-order indices (with bootstrap intervals) of the
   ``sobol_top`` parameters Morris ranks highest, the rest held at their shipped values.
4. Knife-edges: single parameters whose change within their range flips a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.analysis.executors import Executor
from detente.analysis.explore import DEFAULT_SEED, Exploration, Method, explore
from detente.analysis.knife_edges import KnifeEdge, knife_edges
from detente.analysis.parameters import Parameter, check_draw_count, uncertain_parameters
from detente.analysis.sensitivity import (
    MorrisScreening,
    SobolIndices,
    model_outputs,
    morris,
    sobol,
)
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS

Stage = Callable[[str, int, int], None]
"""``stage(label, done, total)``: progress of one stage of the analysis."""


@dataclass(frozen=True)
class UncertaintyAnalysis:
    """Everything the uncertainty analysis of one scenario found."""

    exploration: Exploration
    screening: dict[str, MorrisScreening]
    sobol: dict[str, SobolIndices]
    sobol_parameters: tuple[str, ...]
    knife_edges: tuple[KnifeEdge, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for JSON."""
        return {
            **self.exploration.to_dict(),
            "screening": {
                name: [
                    {"name": n, "mu_star": m, "mu_star_conf": c, "sigma": s}
                    for n, m, c, s in scr.ranked()[:20]
                ]
                for name, scr in self.screening.items()
            },
            "sobol": {name: s.to_dict() for name, s in self.sobol.items()},
            "knife_edges": [k.to_dict() for k in self.knife_edges],
        }


def _top(
    screening: dict[str, MorrisScreening], params: tuple[Parameter, ...], k: int
) -> tuple[Parameter, ...]:
    """The ``k`` parameters with the largest mu* relative to each output's largest."""
    score = np.zeros(len(params))
    index = {p.name: i for i, p in enumerate(params)}
    for scr in screening.values():
        peak = float(np.max(scr.mu_star)) if scr.mu_star.size else 0.0
        if peak <= 0:
            continue
        for name, mu in zip(scr.names, scr.mu_star, strict=True):
            score[index[name]] = max(score[index[name]], float(mu) / peak)
    order = np.argsort(-score, kind="stable")[:k]
    return tuple(params[i] for i in sorted(order) if score[i] > 0)


def analyse_uncertainty(
    scenario: Scenario,
    draws: int = 1000,
    *,
    method: Method = "lhs",
    seed: int = DEFAULT_SEED,
    trajectories: int = 10,
    sobol_top: int = 10,
    sobol_samples: int = 256,
    executor: Executor | None = None,
    stage: Stage | None = None,
) -> UncertaintyAnalysis:
    """Intervals, drivers, Sobol' indices and knife-edges of ``scenario``.

    Runs ``draws`` Monte Carlo draws, ``trajectories x (D + 1)`` Morris points,
    ``sobol_samples x (sobol_top + 2)`` Sobol' points and about ``7 D`` knife-edge
    points, D the number of uncertain parameters.
    """
    params = uncertain_parameters(scenario)
    # every stage's size checked before the first runs (the later ones check again)
    dims, top_dims = len(params), min(sobol_top, len(params))
    check_draw_count(draws, dims, "draws")
    check_draw_count(trajectories * (dims + 1), dims, "Morris trajectories")
    check_draw_count(sobol_samples * (top_dims + 2), top_dims, "Sobol' samples")

    def report(label: str) -> Callable[[int, int], None] | None:
        if stage is None:
            return None
        return lambda done, total: stage(label, done, total)

    exploration = explore(
        scenario, draws, method=method, seed=seed, executor=executor, progress=report("draws")
    )
    model = model_outputs(scenario, executor=executor, progress=report("screening"))
    screening = morris(params, model, trajectories, seed=seed) if params else {}
    top = _top(screening, params, sobol_top)
    model = model_outputs(scenario, executor=executor, progress=report("sobol"))
    indices = sobol(top, model, sobol_samples, seed=seed) if top else {}
    worded = tuple(d for d in DEFINITIONS if d in ("first_strike", "second_strike"))
    model = model_outputs(
        scenario, definitions=worded, executor=executor, progress=report("knife-edges")
    )
    edges = tuple(knife_edges(params, model))
    return UncertaintyAnalysis(exploration, screening, indices, tuple(p.name for p in top), edges)


__all__ = ["UncertaintyAnalysis", "analyse_uncertainty"]

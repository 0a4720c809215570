"""Job kind ``explore``: every definition with its range over the scenario's uncertain inputs.

The work is :func:`detente.analysis.explore.explore` (Monte Carlo draws of every
cited low/high of the scenario, as its ``uncertainties:`` change them, evaluated
on the evaluate seam), the same computation as ``detente explore``: the same
scenario, draws, method and seed give the same intervals. The result is the
exploration's own summary (:meth:`~detente.analysis.explore.Exploration.to_dict`)
with the interval figure of the report and, for each definition under each
reading, the inputs whose draws move it most (Spearman rank correlation).
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from detente.analysis.explore import DEFAULT_SEED, Exploration, explore
from detente.analysis.parameters import Parameter, uncertain_parameters
from detente.errors import InvalidArgumentError
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS, LABELS
from detente.web.jobs import JobContext, JobKind, Prepared, register
from detente.web.levers import Levers, apply_levers
from detente.web.limits import MAX_EXPLORE_DRAWS
from detente.web.scenarios import Source, read_source

PROGRESS_STEPS = 20
"""Chunks the draws are cut into, so that progress moves (results do not depend on it)."""

DRIVERS = 5
"""Inputs listed per definition and reading, strongest rank correlation first."""

EXAMPLE: dict[str, Any] = {
    "source": {"kind": "builtin", "name": "geneva-2021"},
    "draws": 200,
    "seed": DEFAULT_SEED,
    "method": "lhs",
}


class ExploreRequest(BaseModel):
    """Monte Carlo draws of a scenario's uncertain inputs."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        json_schema_extra={"examples": [EXAMPLE]},
    )

    source: Source
    levers: Levers = Field(default_factory=Levers, description="Levers set before drawing.")
    draws: int = Field(
        default=200,
        ge=2,
        le=MAX_EXPLORE_DRAWS,
        description="Number of joint draws of the uncertain inputs.",
    )
    seed: int = Field(
        default=DEFAULT_SEED,
        ge=0,
        le=2**32 - 1,
        description="Seed of the draws; the same seed gives the same results.",
    )
    method: Literal["lhs", "sobol"] = Field(
        default="lhs",
        description="Latin hypercube, or scrambled Sobol' points (draws a power of 2).",
    )


def _check_draws(request: ExploreRequest) -> None:
    n = request.draws
    if request.method == "sobol" and n & (n - 1):
        lower = 1 << (n.bit_length() - 1)
        upper = min(lower * 2, MAX_EXPLORE_DRAWS)
        raise InvalidArgumentError(
            f"draws: Sobol' points need a power of 2, got {n}; nearest: {lower} or {upper}"
        )


def _figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from detente.viz.uncertainty import interval_figure

    fig = interval_figure(rows, "Every definition with its 5-95% range over the draws")
    fig.update_layout(autosize=True)
    data: dict[str, Any] = json.loads(fig.to_json())
    return data


def summary(exploration: Exploration) -> dict[str, Any]:
    """The job's result: the exploration's summary, the drivers and the figure."""
    out = exploration.to_dict()
    order = {name: i for i, name in enumerate(DEFINITIONS)}
    intervals = sorted(
        out["intervals"], key=lambda i: (order[i["definition"]], i["perspective"], i["case"])
    )
    for interval in intervals:
        interval["label"] = LABELS[interval["definition"]]
        interval["drivers"] = [
            {"parameter": name, "spearman": rho}
            for name, rho in exploration.drivers(
                interval["definition"], interval["perspective"], interval["case"], top=DRIVERS
            )
        ]
    out["intervals"] = intervals
    rows = [
        {
            "label": f"{i['label']} - {i['perspective']}",
            "p05": i["p05"],
            "median": i["median"],
            "p95": i["p95"],
            "baseline": i["baseline"],
        }
        for i in intervals
    ]
    out["figure"] = _figure(rows)
    return out


def _work(scenario: Scenario, parameters: tuple[Parameter, ...], request: ExploreRequest) -> Any:
    def run(context: JobContext) -> dict[str, Any]:
        exploration = explore(
            scenario,
            request.draws,
            method=request.method,
            seed=request.seed,
            parameters=parameters,
            chunk_size=max(1, math.ceil(request.draws / PROGRESS_STEPS)),
            progress=context.progress,
        )
        return summary(exploration)

    return run


def prepare(request: ExploreRequest, store: Any = None) -> Prepared:
    """Check the request now (scenario, levers, its ``uncertainties:``); the draws run later."""
    _check_draws(request)
    scenario = apply_levers(read_source(request.source).scenario, request.levers)
    parameters = uncertain_parameters(scenario)
    return Prepared(size=request.draws, work=_work(scenario, parameters, request))


KIND = register(
    JobKind(
        name="explore",
        title="Uncertainty",
        description="Every definition under every reading with its median and 5-95% range "
        "over joint draws of the scenario's uncertain inputs (every cited low/high, as its "
        "uncertainties: change them), and the inputs that move each most; the same "
        "computation as detente explore.",
        request=ExploreRequest,
        prepare=prepare,
        max_size=MAX_EXPLORE_DRAWS,
        example=EXAMPLE,
    )
)

"""Job kind ``lever-line``: one definition as one parameter of a side moves along a line.

Each value of the parameter is one experiment on the evaluate seam
(:func:`detente.analysis.evaluate.evaluate`), a multiplier on that side's
numbers as :class:`~detente.engine.params.Multipliers` defines them (``us.interceptors``
scales every interceptor inventory of the US, air defence included). The
result is the definition's value under every reading at each posture's own
alert level, each side following its launch-on-warning policy.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from detente.analysis.evaluate import evaluate
from detente.analysis.experiments import Experiments, OutcomeSpec, check_parameters
from detente.errors import InvalidArgumentError
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS, LABELS
from detente.web.jobs import JobContext, JobKind, Prepared, register
from detente.web.levers import Actor, Levers, apply_levers
from detente.web.limits import MAX_LINE_POINTS
from detente.web.scenarios import Source, read_source

PROGRESS_STEPS = 10
"""Chunks a line is cut into, so that progress moves (results do not depend on it)."""


EXAMPLE: dict[str, Any] = {
    "source": {"kind": "builtin", "name": "geneva-2021"},
    "parameter": "us.interceptors",
    "values": [0.5, 1, 2, 4],
    "definition": "first_strike",
}


class LeverLineRequest(BaseModel):
    """A line of one definition over the values of one multiplier."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        json_schema_extra={"examples": [EXAMPLE]},
    )

    source: Source
    levers: Levers = Field(default_factory=Levers, description="Levers set before the line.")
    parameter: str = Field(
        max_length=64,
        description="The multiplier that moves, <actor>.<multiplier> (GET /api/meta lists "
        "them), e.g. us.interceptors.",
    )
    values: list[float] = Field(
        min_length=2,
        max_length=MAX_LINE_POINTS,
        description="Values of the multiplier (each above 0, at most 1000; 1 is the scenario "
        "as written).",
    )
    definition: str = Field(
        default="first_strike", max_length=64, description="The stability definition."
    )
    pair: list[Actor] | None = Field(
        default=None,
        min_length=2,
        max_length=3,
        description="The sides to assess (default: the first two).",
    )


def _check_values(values: list[float]) -> None:
    for i, v in enumerate(values):
        if not (math.isfinite(v) and 0 < v <= 1000):
            raise InvalidArgumentError(
                f"values.{i}: a multiplier must be above 0 and at most 1000, got {v!r}"
            )


def _check_definition(name: str) -> None:
    if name not in DEFINITIONS:
        close = difflib.get_close_matches(name, list(DEFINITIONS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InvalidArgumentError(
            f"definition: unknown definition {name[:64]!r}; {hint}expected one of: "
            + ", ".join(DEFINITIONS)
        )


def _figure(result: dict[str, Any]) -> dict[str, Any]:
    import json

    import plotly.graph_objects as go

    from detente.viz.style import FONT, PERSPECTIVE_COLOURS

    fig = go.Figure()
    for i, line in enumerate(result["lines"]):
        fig.add_trace(
            go.Scatter(
                x=result["values"],
                y=line["value"],
                mode="lines+markers",
                name=line["perspective"],
                line={"color": PERSPECTIVE_COLOURS[i % len(PERSPECTIVE_COLOURS)]},
            )
        )
    fig.update_layout(
        title={"text": f"{result['label']} as {result['parameter']} moves", "x": 0.0},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        xaxis={"title": {"text": f"{result['parameter']} (multiplier, 1 = as written)"}},
        yaxis={"title": {"text": "value (1 = most stable)"}, "range": [0, 1.02]},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
        margin={"l": 10, "r": 20, "t": 80, "b": 40},
        height=380,
        autosize=True,
    )
    data: dict[str, Any] = json.loads(fig.to_json())
    return data


def _work(
    scenario: Scenario, experiments: Experiments, spec: OutcomeSpec, request: LeverLineRequest
) -> Any:
    def run(context: JobContext) -> dict[str, Any]:
        n = experiments.size
        results = evaluate(
            scenario,
            experiments,
            outcomes=spec,
            chunk_size=max(1, math.ceil(n / PROGRESS_STEPS)),
            progress=context.progress,
        )
        lines = []
        case = ""
        for (name, persp, key), arrays in results.outcomes.definitions.items():
            if name != request.definition:
                continue
            case = str(key)
            lines.append(
                {
                    "perspective": persp,
                    "value": [float(v) for v in arrays.value],
                    "components": {
                        side: [float(v) for v in values]
                        for side, values in arrays.components.items()
                    },
                }
            )
        result: dict[str, Any] = {
            "parameter": request.parameter,
            "values": list(request.values),
            "definition": request.definition,
            "label": LABELS[request.definition],
            "case": case,
            "lines": lines,
        }
        result["figure"] = _figure(result)
        return result

    return run


def prepare(request: LeverLineRequest, store: Any = None) -> Prepared:
    """Check the request now; the line itself runs later."""
    _check_values(request.values)
    _check_definition(request.definition)
    scenario = apply_levers(read_source(request.source).scenario, request.levers)
    experiments = Experiments.from_mapping({request.parameter: request.values})
    check_parameters(scenario, experiments)
    actors = [s.actor for s in scenario.sides]
    sides = tuple(request.pair) if request.pair is not None else tuple(actors[:2])
    if len(set(sides)) != len(sides) or not set(sides) <= set(actors):
        raise InvalidArgumentError(
            f"pair: expected two or more different sides of the scenario ({', '.join(actors)}), "
            f"got {list(sides)!r}"
        )
    spec = OutcomeSpec(
        definitions=(request.definition,), alert_cases="own", ride_out=(False,), sides=sides
    )
    return Prepared(size=experiments.size, work=_work(scenario, experiments, spec, request))


KIND = register(
    JobKind(
        name="lever-line",
        title="A definition along one lever",
        description="One stability definition under every reading as one multiplier of a side "
        "moves through the values given (each value one experiment on the evaluate seam).",
        request=LeverLineRequest,
        prepare=prepare,
        max_size=MAX_LINE_POINTS,
        example=EXAMPLE,
    )
)

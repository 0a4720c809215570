"""Job kind ``negotiate``: treaty packages each side's own reading accepts.

The work is :func:`detente.negotiation.result.negotiate` on the scenario of the
request (built-in, example or posted text, with its levers set) and a negotiation
written as in a spec file (``docs/negotiation.md``) without its ``scenario:``: a
request never names a file. The search runs in this process, one package after
the other; its size (population x generations) is bounded. The result is the
negotiation's own summary (:meth:`NegotiationResult.to_dict`, the same as
``detente negotiate --json``) with the front figure of the report.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from detente.errors import InvalidArgumentError
from detente.model.scenario import Scenario
from detente.negotiation.spec import NegotiationSpec
from detente.web.jobs import JobContext, JobKind, Prepared, register
from detente.web.levers import apply_levers
from detente.web.limits import MAX_NEGOTIATION_PACKAGES
from detente.web.scenarios import read_source
from detente.web.schemas import ScenarioRequest

NEGOTIATION: dict[str, Any] = {
    "name": "follow_on",
    "sides": [
        {"actor": "us", "policy": "download_first", "build_up": True},
        {"actor": "ru", "policy": "download_first", "build_up": True},
    ],
    "levers": [
        {"kind": "deployed_warheads", "min": 700, "max": 2500, "step": 100},
        {"kind": "icbm_day_to_day_alert", "min": 0, "max": 1, "step": 0.25},
    ],
    "objectives": [
        {"id": "us_stability", "kind": "stability", "side": "us"},
        {"id": "ru_stability", "kind": "stability", "side": "ru"},
    ],
    "search": {"algorithm": "nsga2", "population": 12, "generations": 6, "seed": 2021},
}
"""A small two-lever negotiation on the 2021 baseline (about a minute)."""

EXAMPLE: dict[str, Any] = {
    "source": {"kind": "builtin", "name": "geneva-2021"},
    "negotiation": NEGOTIATION,
}


class NegotiateRequest(ScenarioRequest):
    """A negotiation search on a scenario."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    negotiation: dict[str, Any] = Field(
        description="The negotiation as in a spec file (docs/negotiation.md): sides, levers, "
        "objectives, constraints, bargain and search; its scenario is the request's source."
    )


def spec_of(scenario: Scenario, negotiation: dict[str, Any]) -> NegotiationSpec:
    """The negotiation on ``scenario``; every problem named by its field path."""
    if "scenario" in negotiation:
        raise InvalidArgumentError(
            "negotiation.scenario: the scenario is the request's source (a request never "
            "names a file); remove it"
        )
    try:
        spec = NegotiationSpec.model_validate({**negotiation, "scenario": scenario})
    except ValidationError as exc:
        problems = [
            f"negotiation.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors()[:8]
        ]
        raise InvalidArgumentError("; ".join(problems)) from None
    return spec.model_copy(update={"search": spec.search.model_copy(update={"workers": 1})})


def summary(result: Any) -> dict[str, Any]:
    """The job's result: the negotiation's summary and its front figure."""
    from detente.viz.negotiation import front_figure

    out: dict[str, Any] = result.to_dict()
    fig = front_figure(result)
    fig.update_layout(autosize=True)
    out["figure"] = json.loads(fig.to_json())
    return out


def _work(spec: NegotiationSpec) -> Any:
    def run(context: JobContext) -> dict[str, Any]:
        from detente.negotiation.result import negotiate

        return summary(negotiate(spec, progress=context.progress))

    return run


def prepare(request: NegotiateRequest, store: Any = None) -> Prepared:
    """Check the scenario, levers and negotiation now; the search runs later."""
    scenario = apply_levers(read_source(request.source).scenario, request.levers)
    spec = spec_of(scenario, request.negotiation)
    size = spec.search.population * spec.search.generations
    return Prepared(size=size, work=_work(spec))


KIND = register(
    JobKind(
        name="negotiate",
        title="Negotiation",
        description="Treaty packages that leave each side at least as stable by its own "
        "reading as no treaty: the Pareto front, the zone of agreement and the Nash and "
        "Kalai-Smorodinsky packages (the same search as detente negotiate, without "
        "robustness draws). Size: population x generations packages.",
        request=NegotiateRequest,
        prepare=prepare,
        max_size=MAX_NEGOTIATION_PACKAGES,
        example=EXAMPLE,
    )
)

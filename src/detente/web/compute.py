"""Answers that take computing: validate, assess, compare, each from its request as JSON.

:func:`answer` turns a request (JSON text) into the answer's status code and
JSON body. It is a plain top-level function of plain arguments, so the server
can run it on a worker thread or in a worker process alike; a bad input
becomes a 4xx body here, with the located problems, and never an exception
that would have to cross back from a process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from detente.errors import DetenteError, ScenarioError
from detente.web import scenarios, views
from detente.web.levers import apply_levers, lever_state
from detente.web.schemas import (
    AssessRequest,
    AssessResponse,
    CompareRequest,
    CompareResponse,
    ErrorBody,
    ProblemOut,
    ValidateRequest,
    ValidateResponse,
)


def problems_of(exc: ScenarioError) -> list[ProblemOut]:
    """The located problems of a scenario error, as the API returns them."""
    return [
        ProblemOut(path=p.path, message=p.message, line=p.line, value=p.value) for p in exc.problems
    ]


def error_body(exc: DetenteError) -> ErrorBody:
    """The 422 body of an error detente raised on purpose."""
    if isinstance(exc, ScenarioError):
        n = len(exc.problems)
        detail = f"{exc.file or '<input>'}: {n} problem(s)"
        return ErrorBody(detail=detail, problems=problems_of(exc))
    return ErrorBody(detail=str(exc))


def validate(body: ValidateRequest) -> dict[str, Any]:
    """Whether the scenario is valid: every located problem, or its summary and levers."""
    try:
        scenario = scenarios.read_source(body.source).scenario
    except ScenarioError as exc:
        problems = [p.model_dump() for p in problems_of(exc)]
        return {"valid": False, "scenario": None, "levers": None, "problems": problems}
    return {
        "valid": True,
        "scenario": views.scenario_summary(scenario),
        "levers": lever_state(scenario).model_dump(),
        "problems": [],
    }


def assess(body: AssessRequest) -> dict[str, Any]:
    """The assessment view of the scenario with its levers set."""
    scenario = scenarios.read_source(body.source).scenario
    pair = tuple(body.pair) if body.pair is not None else None
    return views.assessment_view(scenario, body.levers, pair)


def compare(body: CompareRequest) -> dict[str, Any]:
    """The comparison view of a variant against a base, levers set on each."""
    base = apply_levers(scenarios.read_source(body.base.source).scenario, body.base.levers)
    variant = apply_levers(scenarios.read_source(body.variant.source).scenario, body.variant.levers)
    return views.comparison_view(base, variant)


KINDS: dict[str, tuple[type[BaseModel], Callable[[Any], dict[str, Any]], type[BaseModel]]] = {
    "validate": (ValidateRequest, validate, ValidateResponse),
    "assess": (AssessRequest, assess, AssessResponse),
    "compare": (CompareRequest, compare, CompareResponse),
}
"""Request model, handler and response model of each answer."""


def answer(kind: str, request_json: str) -> tuple[int, bytes]:
    """Status code and JSON body answering the request ``request_json`` of ``kind``."""
    request_model, handler, response_model = KINDS[kind]
    request = request_model.model_validate_json(request_json)
    try:
        data = handler(request)
    except DetenteError as exc:
        return 422, error_body(exc).model_dump_json().encode()
    return 200, response_model.model_validate(data).model_dump_json().encode()


def warm() -> None:
    """Import and compute once, so that a fresh worker's first answer is not slow."""
    baseline = {"source": {"kind": "builtin", "name": next(iter(scenarios.BUILTINS))}}
    answer("assess", AssessRequest.model_validate(baseline).model_dump_json())


__all__ = ["KINDS", "answer", "error_body", "problems_of", "warm"]

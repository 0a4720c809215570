"""Schemathesis against the OpenAPI description: no server error, every answer as described.

Each operation gets a bounded number of generated requests, valid and invalid
by the schema; every answer must be a documented status code and content type,
match its response schema, and never be a 5xx. Requests the schema forbids
must be refused with a 4xx.

Each operation is its own pytest test, drawing its requests from schemathesis strategies
(the description's examples, then valid and invalid requests): schemathesis's own pytest
collection gives all its tests one node id under pytest 9, which pytest-xdist then runs as
a single test.
"""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from detente.web.app import Settings, create_app

APP = create_app(settings=Settings(max_queued_jobs=1, cache_entries=4))
SCHEMA = schemathesis.openapi.from_asgi("/api/openapi.json", APP)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}
"""Every operation of the description, by its label (``POST /api/assess``). Each is one
test with its own id, so the suite may spread them over workers; nothing is shared between
them."""


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MAX_EXAMPLES = 30
"""Generated requests per operation and generation mode (valid, invalid): enough to try
every branch of the request schemas, few enough that the module runs in well under a minute.
The coverage phase (every boundary value of every field) is left out: unbounded by a count,
it would run for minutes."""
EXAMPLE_DRAWS = 3
"""Requests built from each of the description's own examples (their other fields drawn)."""


@pytest.fixture(scope="module", autouse=True)
def _stop_jobs():
    yield
    APP.state.dashboard.jobs.close()


SUCCEEDS = (
    "GET /api/health",
    "GET /api/meta",
    "GET /api/postures",
    "GET /api/treaties",
    "GET /api/builtins",
    "GET /api/builtins/{name}",
    "GET /api/examples",
    "GET /api/examples/{name}",
    "GET /api/treaty-count",
    "GET /api/job-kinds",
    "GET /api/jobs",
    "POST /api/validate",
    "POST /api/assess",
    "POST /api/compare",
    "POST /api/jobs/lever-line",
    "POST /api/jobs/explore",
)
"""Operations whose successful answers must be among those checked."""
REFUSED = (
    "POST /api/assess",
    "POST /api/validate",
    "GET /api/examples/{name}",
    "POST /api/jobs/sweep",
)
"""Operations whose invalid requests must be seen refused."""


def _statuses(strategy, max_examples: int) -> set[int]:
    """Send ``max_examples`` requests drawn from ``strategy``, every check applied to each."""
    seen: set[int] = set()

    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case):
        seen.add(case.call_and_validate(checks=CHECKS).status_code)

    send()
    return seen


@pytest.mark.parametrize("label", list(OPERATIONS))
def test_api_conforms_to_its_openapi_description(label):
    operation = OPERATIONS[label]
    seen: set[int] = set()
    for strategy in operation.get_strategies_from_examples():
        seen |= _statuses(strategy, EXAMPLE_DRAWS)
    seen |= _statuses(operation.as_strategy(), MAX_EXAMPLES)
    invalid = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    # Unsatisfiable: nothing it takes can be made invalid (no input, or a free string in the path).
    with contextlib.suppress(Unsatisfiable):
        seen |= _statuses(invalid, MAX_EXAMPLES)
    assert not any(s >= 500 for s in seen), seen
    if label in SUCCEEDS:
        assert any(200 <= s < 300 for s in seen), f"no successful answer was checked: {seen}"
    if label in REFUSED:
        assert any(400 <= s < 500 for s in seen), f"no refusal was checked: {seen}"


def test_every_operation_is_tested():
    assert set(SUCCEEDS) | set(REFUSED) <= set(OPERATIONS)
    assert len(OPERATIONS) >= len(SUCCEEDS)

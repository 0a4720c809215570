"""Job kind ``sweep``: a what-if grid over levers, stored as ``detente sweep`` stores it.

The request is a sweep written as in a sweep file (``docs/sweeps.md``: levers as
field paths or multipliers, the design, draws, what to keep) without its
``scenario:``: the base scenario is the request's source with its levers set (a
request never names a file). The sweep runs through the same code as the command
(:func:`detente.store.run_into_store`, on the evaluate seam), one chunk after the
other, reporting each chunk stored.

When the server was started with ``--store`` the run goes into that store, under
the same content-hash id the command would give it, so it appears among the stored
sweeps (and asking again reuses it); without a store it runs into a temporary one
that is removed once the result is read. The result is the stored run as ``GET
/api/runs/{id}`` shows it: each kept definition over the levers, with its figure.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ConfigDict, Field

from detente.errors import InvalidArgumentError, ScenarioError
from detente.io.scenario_yaml import dump_scenario
from detente.web.jobs import JobContext, JobKind, Prepared, register
from detente.web.levers import apply_levers
from detente.web.limits import MAX_SWEEP_EXPERIMENTS
from detente.web.runs import StoreAccess
from detente.web.scenarios import read_source
from detente.web.schemas import ScenarioRequest

SWEEP: dict[str, Any] = {
    "name": "gmd_by_alert",
    "label": "US interceptors against Russian mobile alert",
    "levers": [
        {
            "name": "us_interceptors",
            "path": "sides[us].defenses[us_gmd].interceptors",
            "values": [0, 250, 500, 750, 1000],
        },
        {
            "name": "ru_yars_alert",
            "path": "sides[ru].systems[ru_yars_mobile].alert.day_to_day",
            "values": [0.15, 0.45],
        },
    ],
    "keep": {"definitions": ["first_strike"], "readings": ["full"]},
}
"""Ten points on the 2021 baseline (a few seconds)."""

EXAMPLE: dict[str, Any] = {"source": {"kind": "builtin", "name": "geneva-2021"}, "sweep": SWEEP}


class SweepRequest(ScenarioRequest):
    """A sweep over levers of a scenario."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    sweep: dict[str, Any] = Field(
        description="The sweep as in a sweep file (docs/sweeps.md): name, levers, design, "
        "samples, seed, cases, draws, keep; its scenario is the request's source."
    )


def _plan(request: SweepRequest) -> Any:
    from detente.io.sweep_yaml import load_sweep

    if "scenario" in request.sweep:
        raise InvalidArgumentError(
            "sweep.scenario: the base scenario is the request's source (a request never "
            "names a file); remove it"
        )
    scenario = apply_levers(read_source(request.source).scenario, request.levers)
    inline = yaml.safe_load(dump_scenario(scenario))
    try:
        return load_sweep({**request.sweep, "scenario": inline})
    except ScenarioError as exc:  # name every problem where the request holds it
        problems = [replace(p, path=f"sweep.{p.path}" if p.path else "sweep") for p in exc.problems]
        raise ScenarioError("sweep", problems) from None


def _work(plan: Any) -> Any:
    def run(context: JobContext) -> dict[str, Any]:
        store = context.store
        if isinstance(store, StoreAccess):
            return _into(store, plan, context, stored=True)
        with tempfile.TemporaryDirectory(prefix="detente-sweep-") as folder:
            return _into(StoreAccess(Path(folder) / "sweep.duckdb"), plan, context, stored=False)

    return run


def _into(store: StoreAccess, plan: Any, context: JobContext, *, stored: bool) -> dict[str, Any]:
    from detente.store import run_into_store

    with store.writing() as path:
        done = run_into_store(
            plan, path, progress=lambda chunks, total, rows: context.progress(chunks, total)
        )
    out = store.run(done.run_id)
    out["stored"] = stored
    out["reused"] = done.reused
    out["rows"] = done.rows_written
    return out


def prepare(request: SweepRequest, store: Any = None) -> Prepared:
    """Check the scenario, levers and sweep now (every problem at its field); run later."""
    plan = _plan(request)
    return Prepared(size=plan.experiments, work=_work(plan))


KIND = register(
    JobKind(
        name="sweep",
        title="Sweep",
        description="A what-if grid (or Latin hypercube, or cases) over levers of the scenario, "
        "as detente sweep runs it: each kept definition over the levers, with its figure; "
        "kept in the results store when the server has one. Size: points x draws.",
        request=SweepRequest,
        prepare=prepare,
        max_size=MAX_SWEEP_EXPERIMENTS,
        example=EXAMPLE,
    )
)

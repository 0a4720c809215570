"""Run the exchanges a stability assessment needs, in as few batch calls as possible.

For each perspective and alert case the two first strikes (each side going
first) are evaluated in one batch whose rows are the baseline and every
marginal build-up of either side, so arms-race stability costs no extra call.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detente.analysis.timing import Timings, stage
from detente.engine.core import BatchFlows, exchange_batch
from detente.engine.exchange import outcome_from_batch
from detente.engine.params import Multipliers
from detente.engine.results import ExchangeOutcome
from detente.engine.sides import SideArrays, side_rows
from detente.model.force import AlertLevel
from detente.model.perspective import Perspective
from detente.model.scenario import Scenario
from detente.stability.base import BUILD_UPS, Case, Strike

ALERT_LEVELS: tuple[AlertLevel, AlertLevel] = ("day_to_day", "generated")
_KIND_MULTIPLIER = {"warheads": "load", "launchers": "launchers", "interceptors": "interceptors"}


@dataclass(frozen=True)
class CaseRun:
    """A case for the definitions, and the baseline exchanges behind it for reports."""

    case: Case
    _flows: tuple[tuple[BatchFlows, SideArrays, SideArrays], ...]
    _row: int

    @functools.cached_property
    def outcomes(self) -> tuple[ExchangeOutcome, ExchangeOutcome]:
        """Baseline exchanges: the first side strikes first, then the second side does.

        Built on first use: most callers need only a few cases' flows.
        """
        built = [
            outcome_from_batch(
                flows,
                att,
                dfn,
                (self.case.alerts[att.actor], self.case.alerts[dfn.actor]),
                self.case.perspective,
                row=self._row,
            )
            for flows, att, dfn in self._flows
        ]
        return built[0], built[1]


def _variants(pair: tuple[str, str], step: float) -> list[tuple[str | None, str | None]]:
    return [(None, None)] + [(side, kind) for side in pair for kind in BUILD_UPS]


def _multipliers(
    actor: str, variants: Sequence[tuple[str | None, str | None]], step: float
) -> Multipliers:
    values = {name: np.ones(len(variants)) for name in _KIND_MULTIPLIER.values()}
    for row, (side, kind) in enumerate(variants):
        if side == actor and kind is not None:
            values[_KIND_MULTIPLIER[kind]][row] = 1.0 + step
    return Multipliers.from_mapping(values)


def strikes_of(flows: BatchFlows, attacker: str, defender: str) -> list[Strike]:
    """The key results of every row of a batch, one :class:`Strike` per row."""
    columns = zip(
        flows.damage_to_attacker.tolist(),
        flows.damage_to_defender.tolist(),
        flows.defender_arrived.sum(axis=1).tolist(),
        flows.retaliation_potential.tolist(),
        flows.defender_destroyed.sum(axis=1).tolist(),
        flows.defender_total.sum(axis=1).tolist(),
        strict=True,
    )
    return [Strike(attacker, defender, *row) for row in columns]


def alert_cases(pair: tuple[str, str]) -> list[dict[str, AlertLevel]]:
    """Every combination of the two alert levels for the two sides."""
    return [
        dict(zip(pair, levels, strict=True)) for levels in itertools.product(ALERT_LEVELS, repeat=2)
    ]


def run_cases(
    scenario: Scenario,
    pair: tuple[str, str],
    perspectives: Sequence[Perspective],
    *,
    timings: Timings | None = None,
) -> dict[tuple[str, str], CaseRun]:
    """Every (perspective, alert case) with its build-up variants, in one batch per direction.

    Rows are ordered case-major: row ``c * V + v`` is variant ``v`` (0 = baseline,
    then each build-up of each side) of case ``c``. ``timings``, when given,
    collects the wall time of each stage.
    """
    step = scenario.stability.build_up_step
    variants = _variants(pair, step)
    n_var = len(variants)
    cases = [(p, alerts) for p in perspectives for alerts in alert_cases(pair)]
    other = {pair[0]: pair[1], pair[1]: pair[0]}
    with stage(timings, "compile sides"):
        arrays = {}
        for actor in pair:
            side = scenario.side(actor)
            rows = [(p, alerts[actor]) for p, alerts in cases for _ in range(n_var)]
            arrays[actor] = side_rows(side.posture, side.factors, rows)
        mults = {actor: _multipliers(actor, variants * len(cases), step) for actor in pair}
    with stage(timings, "exchange batches"):
        flows = {
            a: exchange_batch(
                arrays[a], arrays[other[a]], scenario.exchange, mults[a], mults[other[a]]
            )
            for a in pair
        }
    with stage(timings, "strikes and cases"):
        return _cases(pair, cases, variants, flows, arrays)


def _cases(
    pair: tuple[str, str],
    cases: list[tuple[Perspective, dict[str, AlertLevel]]],
    variants: list[tuple[str | None, str | None]],
    flows: dict[str, BatchFlows],
    arrays: dict[str, SideArrays],
) -> dict[tuple[str, str], CaseRun]:
    n_var = len(variants)
    strikes = {a: strikes_of(flows[a], a, pair[1] if a == pair[0] else pair[0]) for a in pair}
    out: dict[tuple[str, str], CaseRun] = {}
    for c, (persp, alerts) in enumerate(cases):
        base = c * n_var
        first: dict[str, Strike] = {}
        build: dict[tuple[str, str], dict[str, Strike]] = {}
        for attacker in pair:
            first[attacker] = strikes[attacker][base]
            for v, (who, kind) in enumerate(variants[1:], start=1):
                assert who is not None and kind is not None
                build.setdefault((who, kind), {})[attacker] = strikes[attacker][base + v]
        case = Case(sides=pair, alerts=alerts, perspective=persp.id, first=first, build_ups=build)
        directions = tuple(
            (flows[att], arrays[att], arrays[pair[1] if att == pair[0] else pair[0]])
            for att in pair
        )
        out[(persp.id, case.key)] = CaseRun(case=case, _flows=directions, _row=base)
    return out

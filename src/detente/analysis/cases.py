"""Run the exchanges a stability assessment needs, in as few batch calls as possible.

For each perspective and alert case the two first strikes (each side going
first) are evaluated in one batch whose rows are the baseline and every
marginal build-up of either side, so arms-race stability costs no extra call.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detente.engine.core import BatchFlows, exchange_batch
from detente.engine.exchange import outcome_from_batch
from detente.engine.params import Multipliers
from detente.engine.results import ExchangeOutcome
from detente.engine.sides import side_arrays
from detente.model.force import AlertLevel
from detente.model.perspective import Perspective
from detente.model.scenario import Scenario
from detente.stability.base import BUILD_UPS, Case, Strike

ALERT_LEVELS: tuple[AlertLevel, AlertLevel] = ("day_to_day", "generated")
_KIND_MULTIPLIER = {"warheads": "load", "launchers": "launchers", "interceptors": "interceptors"}


@dataclass(frozen=True)
class CaseRun:
    """A case for the definitions, and the baseline exchanges for reports."""

    case: Case
    outcomes: tuple[ExchangeOutcome, ExchangeOutcome]
    """Baseline exchanges: the first side strikes first, then the second side does."""


def _variants(pair: tuple[str, str], step: float) -> list[tuple[str | None, str | None]]:
    return [(None, None)] + [(side, kind) for side in pair for kind in BUILD_UPS]


def _multipliers(actor: str, variants: Sequence[tuple[str | None, str | None]], step: float) -> Multipliers:
    values = {name: np.ones(len(variants)) for name in _KIND_MULTIPLIER.values()}
    for row, (side, kind) in enumerate(variants):
        if side == actor and kind is not None:
            values[_KIND_MULTIPLIER[kind]][row] = 1.0 + step
    return Multipliers.from_mapping(values)


def _strike(flows: BatchFlows, row: int, attacker: str, defender: str) -> Strike:
    return Strike(
        attacker=attacker,
        defender=defender,
        damage_to_attacker=float(flows.damage_to_attacker[row]),
        damage_to_defender=float(flows.damage_to_defender[row]),
        retaliation_arrived=float(flows.defender_arrived[row].sum()),
        retaliation_potential=float(flows.retaliation_potential[row]),
        defender_destroyed=float(flows.defender_destroyed[row].sum()),
        defender_total=float(flows.defender_total[row].sum()),
    )


def alert_cases(pair: tuple[str, str]) -> list[dict[str, AlertLevel]]:
    """Every combination of the two alert levels for the two sides."""
    return [dict(zip(pair, levels, strict=True)) for levels in itertools.product(ALERT_LEVELS, repeat=2)]


def run_case(
    scenario: Scenario,
    pair: tuple[str, str],
    alerts: dict[str, AlertLevel],
    perspective: Perspective,
) -> CaseRun:
    """Both first strikes of one case, with the arms-race build-up variants."""
    variants = _variants(pair, scenario.stability.build_up_step)
    step = scenario.stability.build_up_step
    arrays = {
        actor: side_arrays(
            scenario.side(actor).posture, scenario.side(actor).factors, perspective, alerts[actor]
        )
        for actor in pair
    }
    mults = {actor: _multipliers(actor, variants, step) for actor in pair}
    first: dict[str, Strike] = {}
    build: dict[tuple[str, str], dict[str, Strike]] = {}
    outcomes: list[ExchangeOutcome] = []
    for attacker in pair:
        defender = pair[1] if attacker == pair[0] else pair[0]
        flows = exchange_batch(
            arrays[attacker], arrays[defender], scenario.exchange, mults[attacker], mults[defender]
        )
        first[attacker] = _strike(flows, 0, attacker, defender)
        for row, (side, kind) in enumerate(variants[1:], start=1):
            assert side is not None and kind is not None
            build.setdefault((side, kind), {})[attacker] = _strike(flows, row, attacker, defender)
        outcomes.append(
            outcome_from_batch(
                flows, arrays[attacker], arrays[defender],
                (alerts[attacker], alerts[defender]), perspective.id,
            )
        )
    case = Case(sides=pair, alerts=alerts, perspective=perspective.id, first=first, build_ups=build)
    return CaseRun(case=case, outcomes=(outcomes[0], outcomes[1]))

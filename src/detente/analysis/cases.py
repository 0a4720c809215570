"""The model behind :func:`~detente.analysis.experiments.evaluate`: cases and their exchanges.

One experiment expands into *sub-cases*: every reading, every alert case, and
(when arms-race stability is asked for) every marginal build-up of every
side. For each ordered pair of sides one exchange batch runs over all
sub-cases of all experiments of a chunk; the stability definitions then read
the strikes of each case as arrays over the experiments.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.analysis.outcomes import DefinitionKey, Outcomes, StrikeKey
from detente.analysis.timing import Timings, stage
from detente.engine.exchange import directions, exchange_chunks
from detente.engine.flows import BatchFlows
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays, side_rows
from detente.errors import InvalidArgumentError
from detente.model.cases import AlertCase
from detente.model.perspective import Perspective
from detente.model.scenario import Scenario
from detente.stability import (
    BUILD_UPS,
    DEFINITIONS,
    NEEDS_BUILD_UPS,
    Case,
    DefinitionArrays,
    Strike,
)

if TYPE_CHECKING:
    from detente.analysis.experiments import Experiments, OutcomeSpec

Variant = tuple[str, str] | None
"""``None`` for the case as written, else (side, build-up kind)."""
_BUILD_UP_MULTIPLIER = {
    "warheads": "load",
    "launchers": "launchers",
    "interceptors": "interceptors",
}


@dataclass(frozen=True)
class CaseGrid:
    """The sub-cases one experiment expands into, in a fixed order."""

    sides: tuple[str, ...]
    perspectives: tuple[Perspective, ...]
    alert_cases: tuple[AlertCase, ...]
    variants: tuple[Variant, ...]
    step: float

    @classmethod
    def for_scenario(cls, scenario: Scenario, spec: OutcomeSpec) -> CaseGrid:
        """The grid ``spec`` asks of ``scenario``."""
        actors = tuple(s.actor for s in scenario.sides)
        sides = tuple(spec.sides) if spec.sides is not None else actors
        if len(sides) < 2 or len(set(sides)) != len(sides) or not set(sides) <= set(actors):
            raise InvalidArgumentError(
                f"sides must be two or more different actors of the scenario ({', '.join(actors)}),"
                f" got {sides!r}"
            )
        if spec.alert_cases == "all":
            alert_cases = AlertCase.every(sides)
        else:
            alert_cases = (AlertCase(tuple((a, scenario.side(a).posture.alert) for a in sides)),)
        variants: tuple[Variant, ...] = (None,)
        if NEEDS_BUILD_UPS & set(spec.definitions):
            variants += tuple((side, kind) for side in sides for kind in BUILD_UPS)
        return cls(
            sides, spec.perspectives, alert_cases, variants, scenario.stability.build_up_step
        )

    @property
    def n_sub(self) -> int:
        """Sub-cases per experiment."""
        return len(self.perspectives) * len(self.alert_cases) * len(self.variants)

    def sub_cases(self) -> list[tuple[Perspective, AlertCase, Variant]]:
        """Every sub-case: reading-major, then alert case, then variant."""
        return list(itertools.product(self.perspectives, self.alert_cases, self.variants))

    def index(self, p: int, a: int, v: int) -> int:
        """Position of sub-case (reading ``p``, alert case ``a``, variant ``v``)."""
        return (p * len(self.alert_cases) + a) * len(self.variants) + v

    def compile(self, scenario: Scenario, actor: str) -> SideArrays:
        """``actor``'s arrays with one row per sub-case."""
        side = scenario.side(actor)
        rows = [(p, alerts.level(actor)) for p, alerts, _ in self.sub_cases()]
        return side_rows(side.posture, side.factors, rows)

    def build_ups(self, actor: str) -> Multipliers:
        """``actor``'s build-up multipliers, one row per sub-case."""
        values = {name: np.ones(self.n_sub) for name in _BUILD_UP_MULTIPLIER.values()}
        for row, (_, _, variant) in enumerate(self.sub_cases()):
            if variant is not None and variant[0] == actor:
                values[_BUILD_UP_MULTIPLIER[variant[1]]][row] = 1.0 + self.step
        return Multipliers.from_mapping(values)


def _strike(flows: BatchFlows, attacker: str, defender: str, rows: npt.NDArray[np.int64]) -> Strike:
    return Strike(
        attacker,
        defender,
        flows.damage_to_attacker[rows],
        flows.damage_to_defender[rows],
        flows.defender_arrived.sum(axis=1)[rows],
        flows.retaliation_potential[rows],
        flows.defender_destroyed.sum(axis=1)[rows],
        flows.defender_total.sum(axis=1)[rows],
    )


def _cases(
    grid: CaseGrid, flows: dict[tuple[str, str], BatchFlows], n: int
) -> dict[tuple[str, AlertCase], Case]:
    """Every (reading, alert case) with its strikes and build-up variants."""
    out: dict[tuple[str, AlertCase], Case] = {}
    per_experiment = np.arange(n) * grid.n_sub
    for (p_i, persp), (a_i, alerts) in itertools.product(
        enumerate(grid.perspectives), enumerate(grid.alert_cases)
    ):
        strikes: dict[Variant, dict[tuple[str, str], Strike]] = {}
        for v_i, variant in enumerate(grid.variants):
            rows = per_experiment + grid.index(p_i, a_i, v_i)
            strikes[variant] = {
                pair: _strike(f, pair[0], pair[1], rows) for pair, f in flows.items()
            }
        build = {v: s for v, s in strikes.items() if v is not None}
        out[(persp.id, alerts)] = Case(grid.sides, alerts, persp.id, strikes[None], build)
    return out


def run_chunk(
    scenario: Scenario, grid: CaseGrid, spec: OutcomeSpec, experiments: Experiments
) -> Outcomes:
    """Outcomes of one chunk of experiments (the model R of the evaluate seam)."""
    n = experiments.size
    timings: Timings = {}
    with stage(timings, "compile sides"):
        compiled = {actor: grid.compile(scenario, actor) for actor in grid.sides}
        build = {actor: grid.build_ups(actor) for actor in grid.sides}
        tiled = {actor: a.tile(n) for actor, a in compiled.items()}
        mults = {
            actor: experiments.multipliers(actor).repeat(grid.n_sub).times(build[actor].tile(n))
            for actor in grid.sides
        }
    with stage(timings, "exchange batches"):
        flows = {
            (a, d): exchange_chunks(tiled[a], tiled[d], scenario.exchange, mults[a], mults[d])
            for a, d in directions(grid.sides)
        }
    with stage(timings, "definitions"):
        cases = _cases(grid, flows, n)
        definitions: dict[DefinitionKey, DefinitionArrays] = {}
        for persp in grid.perspectives:
            same = {alerts: c for (pid, alerts), c in cases.items() if pid == persp.id}
            for name in spec.definitions:
                for alerts, case in same.items():
                    definitions[(name, persp.id, alerts)] = DEFINITIONS[name](
                        case, scenario.stability, same
                    )
    strikes: dict[StrikeKey, Strike] = {
        (pid, alerts, a, d): s
        for (pid, alerts), c in cases.items()
        for (a, d), s in c.strikes.items()
    }
    return Outcomes(
        size=n,
        definitions=definitions,
        strikes=strikes,
        gap=max((f.gap for f in flows.values()), default=0.0),
        flows=flows if spec.keep_flows else {},
        compiled=compiled if spec.keep_flows else {},
        flow_rows={
            (persp.id, alerts): grid.index(p_i, a_i, 0)
            for p_i, persp in enumerate(grid.perspectives)
            for a_i, alerts in enumerate(grid.alert_cases)
        },
        sub_cases=grid.n_sub,
        timings=timings,
    )

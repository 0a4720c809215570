"""The model behind :func:`~detente.analysis.evaluate.evaluate`: cases and their exchanges.

One experiment expands into *sub-cases*: every reading, every alert case (with
each side's launch-on-warning policy, and with every side riding out), and
(when arms-race stability is asked for) every marginal build-up of every side.
For each ordered pair of sides the strikes of all sub-cases of all experiments
of a chunk run in two batches: the cases as written, where each striker tries
every strike its doctrine allows and takes the one it prefers; then the
build-up variants, each with its striker's chosen extent. With three sides each
striker holds a reserve for the side standing by, and (when asked for) every
coalition case runs too: each side striking all the others at once, and all the
others striking it together. The stability definitions then read the strikes of
all cases at once; with three sides each pairwise definition is also computed for
every pair, and the three-party definitions over the coalition cases.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.analysis.draws import side_draws, with_alerts
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.outcomes import STRIKE_FIELDS, DefinitionKey, Outcomes
from detente.analysis.timing import Timings, stage
from detente.engine.coalition import CoalitionFlows, coalition_chunks
from detente.engine.exchange import attacker_cost, chosen_exchange, directions, exchange_chunks
from detente.engine.flows import BatchFlows
from detente.engine.params import Multipliers
from detente.engine.plans import one_plan
from detente.engine.sides import SideArrays, side_rows
from detente.engine.third_party import Bystanders
from detente.errors import InvalidArgumentError
from detente.model.cases import ALERT_LEVELS, AlertCase
from detente.model.perspective import Perspective, readings_for
from detente.model.scenario import Scenario
from detente.stability import (
    BUILD_UPS,
    COALITION_DEFINITIONS,
    DEFINITIONS,
    NEEDS_BUILD_UPS,
    Cases,
    CoalitionStrike,
    DefinitionArrays,
    Strike,
    pair_definition,
)
from detente.stability.base import Camps
from detente.stability.coalitions import alignments

FloatArray = npt.NDArray[np.float64]
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
    coalitions: bool = False
    """Whether the three-party definitions are evaluated over the coalition cases."""
    directions: tuple[tuple[str, str], ...] = ()
    """The ordered (attacker, victim) pairs whose strikes run."""
    camps: tuple[Camps, ...] = ()
    """The coalition cases that run."""

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
            alert_cases = AlertCase.every(sides, ride_out=spec.ride_out)
        else:
            own = tuple((a, scenario.side(a).posture.alert) for a in sides)
            alert_cases = tuple(AlertCase(own, r) for r in spec.ride_out)
        variants: tuple[Variant, ...] = (None,)
        if NEEDS_BUILD_UPS & set(spec.definitions):
            variants += tuple((side, kind) for side in sides for kind in BUILD_UPS)
        perspectives = spec.perspectives or readings_for(sides)
        coalitions = spec.coalitions and len(sides) >= 3
        pairs, camps = directions(sides), coalition_camps(sides) if coalitions else []
        if spec.strikes is not None:
            for strikers, victims in spec.strikes:
                if not set(strikers + victims) <= set(sides):
                    raise InvalidArgumentError(
                        f"strike {strikers} on {victims}: expected sides of the assessment "
                        f"({', '.join(sides)})"
                    )
            pairs = tuple((a[0], v[0]) for a, v in spec.strikes if len(a) == len(v) == 1)
            camps = [c for c in spec.strikes if len(c[0]) > 1 or len(c[1]) > 1]
            coalitions = False
        return cls(
            sides,
            perspectives,
            alert_cases,
            variants,
            scenario.stability.build_up_step,
            coalitions,
            tuple(dict.fromkeys(pairs)),
            tuple(dict.fromkeys(camps)),
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
        """``actor``'s arrays with one row per sub-case (a side standing by, not assessed,
        at its own alert level)."""
        side = scenario.side(actor)
        rows = [
            (
                p,
                alerts.level(actor) if actor in alerts.actors else side.posture.alert,
                alerts.ride_out,
            )
            for p, alerts, _ in self.sub_cases()
        ]
        return side_rows(side.posture, side.factors, rows)

    def levels(self, scenario: Scenario, actor: str) -> list[str]:
        """``actor``'s alert level in each sub-case (as :meth:`compile` sets it)."""
        own = scenario.side(actor).posture.alert
        return [
            alerts.level(actor) if actor in alerts.actors else own
            for _, alerts, _ in self.sub_cases()
        ]

    def no_first_use(self, scenario: Scenario, n: int) -> dict[str, npt.NDArray[np.bool_]]:
        """For each side with a pledge of no first use that some reading honours: per
        (experiment, reading, alert case) row, whether the row's reading honours it."""
        out: dict[str, npt.NDArray[np.bool_]] = {}
        honours = np.array([p.honour_no_first_use for p in self.perspectives], dtype=bool)
        if not honours.any():
            return out
        per_block = np.repeat(honours, len(self.alert_cases))
        for side in self.sides:
            if scenario.side(side).posture.no_first_use:
                out[side] = np.tile(per_block, n)
        return out

    def build_ups(self, actor: str) -> Multipliers:
        """``actor``'s build-up multipliers, one row per sub-case."""
        values = {name: np.ones(self.n_sub) for name in _BUILD_UP_MULTIPLIER.values()}
        for row, (_, _, variant) in enumerate(self.sub_cases()):
            if variant is not None and variant[0] == actor:
                values[_BUILD_UP_MULTIPLIER[variant[1]]][row] = 1.0 + self.step
        return Multipliers.from_mapping(values)


def _strike_columns(flows: BatchFlows, defender: SideArrays) -> tuple[FloatArray, ...]:
    """The per-row numbers a :class:`Strike` holds, for every row of a batch (field order)."""
    strategic = defender.strategic[None, :]
    stored_nonstrategic = (defender.nuclear & ~defender.strategic)[None, :]
    ready_lost = flows.defender_ready_destroyed + flows.defender_launched_on_warning
    not_ready_destroyed = flows.defender_destroyed - flows.defender_ready_destroyed
    return (
        flows.damage_to_attacker,
        flows.damage_to_defender,
        flows.damage_potential,
        flows.defender_arrived.sum(axis=1),
        flows.retaliation_potential,
        flows.defender_destroyed.sum(axis=1),
        flows.defender_total.sum(axis=1),
        flows.defender_ready.sum(axis=1),
        flows.defender_ready_destroyed.sum(axis=1),
        flows.defender_launched_on_warning.sum(axis=1),
        np.where(strategic, flows.defender_ready, 0.0).sum(axis=1),
        np.where(strategic, ready_lost, 0.0).sum(axis=1),
        np.where(stored_nonstrategic, not_ready_destroyed, 0.0).sum(axis=1),
        flows.strike_share,
    )


def _case_rows(grid: CaseGrid, n: int, variant: int) -> npt.NDArray[np.int64]:
    """Exchange rows of every (experiment, reading, alert case) for one variant, in order."""
    subs = [
        grid.index(p, a, variant)
        for p in range(len(grid.perspectives))
        for a in range(len(grid.alert_cases))
    ]
    rows = np.arange(n)[:, None] * grid.n_sub + np.asarray(subs, dtype=np.int64)[None, :]
    return np.asarray(rows.reshape(-1), dtype=np.int64)


def _siblings(grid: CaseGrid, n: int) -> dict[tuple[str, str], npt.NDArray[np.int64]]:
    """For each (side, level): the row of the same experiment and reading at that level."""
    n_a, blocks = len(grid.alert_cases), n * len(grid.perspectives)
    position = {c: i for i, c in enumerate(grid.alert_cases)}
    start = np.arange(blocks).repeat(n_a) * n_a
    out: dict[tuple[str, str], npt.NDArray[np.int64]] = {}
    for side in grid.sides:
        for level in ALERT_LEVELS:
            target = [position.get(c.with_level(side, level), -1) for c in grid.alert_cases]
            if min(target) < 0:
                continue
            out[(side, level)] = start + np.tile(np.asarray(target, dtype=np.int64), blocks)
    return out


def _cases(
    grid: CaseGrid,
    flows: dict[tuple[str, str], BatchFlows],
    compiled: dict[str, SideArrays],
    n: int,
    coalitions: dict[Camps, CoalitionFlows],
    no_first_use: dict[str, npt.NDArray[np.bool_]],
) -> Cases:
    """Every (experiment, reading, alert case) as one batch of cases, with build-ups."""
    columns = {pair: _strike_columns(f, compiled[pair[1]]) for pair, f in flows.items()}
    strikes: dict[Variant, dict[tuple[str, str], Strike]] = {}
    for v_i, variant in enumerate(grid.variants):
        rows = _case_rows(grid, n, v_i)
        strikes[variant] = {
            pair: Strike(pair[0], pair[1], *(c[rows] for c in cols))
            for pair, cols in columns.items()
        }
    build = {v: s for v, s in strikes.items() if v is not None}
    camps = {
        key: CoalitionStrike(key[0], key[1], dict(f.damage), f.strike_share)
        for key, f in coalitions.items()
    }
    return Cases(grid.sides, strikes[None], build, _siblings(grid, n), camps, no_first_use)


def _part(values: FloatArray, shape: tuple[int, int, int], p: int, a: int) -> FloatArray:
    return np.ascontiguousarray(values.reshape(shape)[:, p, a])


def _slice(d: DefinitionArrays, shape: tuple[int, int, int], p: int, a: int) -> DefinitionArrays:
    """The entries of one reading and alert case, one per experiment."""
    return DefinitionArrays(
        _part(d.value, shape, p, a),
        {k: _part(v, shape, p, a) for k, v in d.components.items()},
        {k: _part(v, shape, p, a) for k, v in d.details.items()},
    )


def _slice_strike(s: Strike, shape: tuple[int, int, int], p: int, a: int) -> Strike:
    return Strike(
        s.attacker, s.defender, *(_part(getattr(s, f), shape, p, a) for f in STRIKE_FIELDS)
    )


def _bystanders(
    scenario: Scenario,
    pair: tuple[str, str],
    sides: dict[str, SideArrays],
    mults: dict[str, Multipliers],
    rows: npt.NDArray[np.int64],
) -> Bystanders | None:
    """The sides standing by ``pair``'s exchange, at ``rows`` (None with two sides)."""
    others = [a for a in sides if a not in pair]
    if not others:
        return None
    return Bystanders(
        tuple(sides[o].take(rows) for o in others),
        tuple(mults[o].take(rows) for o in others),
        scenario.third_party_damage,
    )


def _strikes(
    scenario: Scenario,
    grid: CaseGrid,
    sides: dict[str, SideArrays],
    mults: dict[str, Multipliers],
    n: int,
) -> dict[tuple[str, str], BatchFlows]:
    """Every direction's flows for every sub-case: chosen strikes, then build-ups."""
    rows = np.arange(n * grid.n_sub)
    base = rows[rows % len(grid.variants) == 0]  # variant 0 comes first in each block
    built = rows[rows % len(grid.variants) != 0]
    order = np.argsort(np.concatenate([base, built]), kind="stable")
    fixed = scenario.exchange.fixed_doctrine
    out: dict[tuple[str, str], BatchFlows] = {}
    for a, d in grid.directions:
        chosen = chosen_exchange(
            scenario,
            sides[a].take(base),
            sides[d].take(base),
            mults[a].take(base),
            mults[d].take(base),
            bystanders=_bystanders(scenario, (a, d), sides, mults, base),
        )
        if not built.size:
            out[(a, d)] = chosen
            continue
        own_base = np.searchsorted(base, built - built % len(grid.variants))
        plans = (
            None
            if fixed
            else one_plan(chosen.strike_share[own_base], chosen.strike_shots[own_base])
        )
        variants = exchange_chunks(
            sides[a].take(built),
            sides[d].take(built),
            scenario.exchange,
            mults[a].take(built),
            mults[d].take(built),
            plans,
            bystanders=_bystanders(scenario, (a, d), sides, mults, built),
        )
        out[(a, d)] = BatchFlows.concat([chosen, variants]).take(order)
    return out


def coalition_camps(sides: tuple[str, ...]) -> list[Camps]:
    """The coalition cases of ``sides``: for each alignment that is not a pair
    (:func:`~detente.stability.coalitions.alignments`, in its order), the first camp
    striking the second, then the second striking the first (none with two sides).
    With three sides: each side striking the other two, and the two striking it."""
    if len(sides) < 3:
        return []
    out: list[Camps] = []
    for camp_a, camp_b in alignments(sides):
        if len(camp_a) == len(camp_b) == 1:
            continue
        out += [(camp_a, camp_b), (camp_b, camp_a)]
    return out


def _coalition_strikes(
    scenario: Scenario,
    grid: CaseGrid,
    sides: dict[str, SideArrays],
    mults: dict[str, Multipliers],
    n: int,
) -> dict[Camps, CoalitionFlows]:
    """Every coalition case of every (experiment, reading, alert case), in case order."""
    if not grid.camps:
        return {}
    rows = np.arange(n * grid.n_sub)
    base = rows[rows % len(grid.variants) == 0]
    cost = attacker_cost(scenario)

    def party(actor: str) -> tuple[SideArrays, Multipliers]:
        return sides[actor].take(base), mults[actor].take(base)

    return {
        (strikers, victims): coalition_chunks(
            [party(a) for a in strikers], [party(v) for v in victims], scenario.exchange, cost
        )
        for strikers, victims in grid.camps
    }


def _definition_values(
    scenario: Scenario, grid: CaseGrid, spec: OutcomeSpec, cases: Cases
) -> dict[str, DefinitionArrays]:
    """Every definition asked for over all sides; with three or more sides also each
    one for every pair (:func:`~detente.stability.pair_definition`) and, with the
    coalition cases, the three-party definitions."""
    settings = scenario.stability
    out = {name: DEFINITIONS[name](cases, settings) for name in spec.definitions}
    if len(grid.sides) >= 3:
        for i, a in enumerate(grid.sides):
            for b in grid.sides[i + 1 :]:
                pair = cases.restrict((a, b))
                for name in spec.definitions:
                    out[pair_definition(name, (a, b))] = DEFINITIONS[name](pair, settings)
    if grid.coalitions:
        for name, definition in COALITION_DEFINITIONS.items():
            out[name] = definition(cases, settings)
    return out


def _slice_coalition(
    c: CoalitionStrike, shape: tuple[int, int, int], p: int, a: int
) -> CoalitionStrike:
    return CoalitionStrike(
        c.strikers,
        c.victims,
        {k: _part(v, shape, p, a) for k, v in c.damage.items()},
        _part(c.strike_share, shape, p, a),
    )


def run_chunk(
    scenario: Scenario,
    grid: CaseGrid,
    spec: OutcomeSpec,
    experiments: Experiments,
    sides: Mapping[str, SideArrays] | None = None,
) -> Outcomes:
    """Outcomes of one chunk of experiments (the model R of the evaluate seam).

    ``sides``, when given, holds each side's arrays for every experiment
    (``n_sub`` rows per experiment, in order) instead of the scenario's own
    tiled: experiments that are variants of ``scenario`` differing only in
    per-row numbers (launchers, loads, alert shares, interceptors; see
    :data:`~detente.engine.sides.PER_ROW`), as sweeps make them.
    """
    n = experiments.size
    timings: Timings = {}
    with stage(timings, "compile sides"):
        actors = scenario.actors
        compiled = {actor: grid.compile(scenario, actor) for actor in actors}
        build = {actor: grid.build_ups(actor) for actor in actors}
        tiled = {
            actor: sides[actor] if sides is not None and actor in sides else a.tile(n)
            for actor, a in compiled.items()
        }
        draws = {
            actor: side_draws(scenario, experiments, actor, compiled[actor]) for actor in actors
        }
        mults = {
            actor: draws[actor].multipliers.repeat(grid.n_sub).times(build[actor].tile(n))
            for actor in actors
        }
        tiled = {
            actor: with_alerts(side, draws[actor].alerts, grid.levels(scenario, actor), n)
            for actor, side in tiled.items()
        }
    with stage(timings, "exchange batches"):
        flows = _strikes(scenario, grid, tiled, mults, n)
    with stage(timings, "coalition batches"):
        camps = _coalition_strikes(scenario, grid, tiled, mults, n)
    with stage(timings, "definitions"):
        cases = _cases(grid, flows, compiled, n, camps, grid.no_first_use(scenario, n))
        shape = (n, len(grid.perspectives), len(grid.alert_cases))
        labels = list(itertools.product(enumerate(grid.perspectives), enumerate(grid.alert_cases)))
        definitions: dict[DefinitionKey, DefinitionArrays] = {}
        for key, values in _definition_values(scenario, grid, spec, cases).items():
            for (p_i, persp), (a_i, alerts) in labels:
                definitions[(key, persp.id, alerts)] = _slice(values, shape, p_i, a_i)
        strikes = {
            (persp.id, alerts, a, d): _slice_strike(s, shape, p_i, a_i)
            for (p_i, persp), (a_i, alerts) in labels
            for (a, d), s in cases.strikes.items()
        }
        coalitions = {
            (persp.id, alerts, *key): _slice_coalition(c, shape, p_i, a_i)
            for (p_i, persp), (a_i, alerts) in labels
            for key, c in cases.coalitions.items()
        }
    return Outcomes(
        size=n,
        definitions=definitions,
        strikes=strikes,
        gap=max((f.gap for f in flows.values()), default=0.0),
        flows=flows if spec.keep_flows else {},
        compiled=compiled if spec.keep_flows else {},
        coalitions=coalitions,
        coalition_flows=camps if spec.keep_flows else {},
        case_rows={
            (persp.id, alerts): p_i * len(grid.alert_cases) + a_i
            for (p_i, persp), (a_i, alerts) in labels
        }
        if spec.keep_flows
        else {},
        flow_rows={
            (persp.id, alerts): grid.index(p_i, a_i, 0)
            for p_i, persp in enumerate(grid.perspectives)
            for a_i, alerts in enumerate(grid.alert_cases)
        },
        sub_cases=grid.n_sub,
        timings=timings,
    )

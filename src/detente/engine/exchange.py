"""The exchange as a pipeline of named steps, and its public entry points.

Everything carries a leading batch axis ``B`` (one row per draw or case), so one
call evaluates many variants; a single exchange is a batch of one. The steps
follow DESIGN.md, each in its own module:

1. ready forces (:mod:`~detente.engine.weapons`, :mod:`~detente.engine.targets`);
2. counterforce allocation, conventional wave then nuclear wave, through the
   victim's defences (:mod:`~detente.engine.counterforce`);
3. warning, launch on warning and bomber escape (:mod:`~detente.engine.warning`);
4. retaliation through the attacker's defences (:mod:`~detente.engine.retaliation`);
5. the attacker's reserve strike (:mod:`~detente.engine.reserve`);
6. damage to value (:mod:`~detente.engine.value`).

See ``docs/methodology.md`` for every modelling choice and ``docs/architecture.md``
for how the pieces fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.engine.choice import Cost, choose
from detente.engine.counterforce import counterforce_flows, counterforce_strike, lethality
from detente.engine.defense import layer_tables
from detente.engine.flows import BatchFlows
from detente.engine.params import Multipliers
from detente.engine.plans import StrikePlans, strike_plans
from detente.engine.reserve import reserve_strike
from detente.engine.results import ATTACKER_FLOWS, DEFENDER_FLOWS, ExchangeOutcome, SystemFlows
from detente.engine.retaliation import retaliation
from detente.engine.sides import SideArrays, side_rows
from detente.engine.targets import victim_targets
from detente.engine.third_party import Bystanders, ready_and_held
from detente.engine.warning import launch_on_warning, silo_warning
from detente.errors import InvalidArgumentError, did_you_mean
from detente.model.cases import ALERT_LEVELS
from detente.model.force import AlertLevel
from detente.model.perspective import FULL, Perspective, as_perspective
from detente.model.scenario import ExchangeSettings, Scenario
from detente.stability.costs import outcome_cost

AlertSpec = AlertLevel | tuple[AlertLevel, AlertLevel] | None
DEFAULT_CHUNK = 10_000
"""Rows per vectorised call: keeps working arrays small; results do not depend on it."""
MAX_BATCH_ROWS = 1_000_000
"""Most rows (draws) of one :func:`run_exchange_batch`: its flows keep a few KB a row, so
a million is a few GB; more is refused before anything is allocated (docs/limits.md)."""
CELL_BUDGET = 2_000_000
"""Most (row, weapon type, aim-point class) cells of one vectorised call: with several
such float arrays alive at once, about 16 MB each. Large postures get smaller chunks."""


def exchange_batch(
    att: SideArrays,
    dfn: SideArrays,
    settings: ExchangeSettings,
    m_att: Multipliers,
    m_dfn: Multipliers,
    plans: StrikePlans | None = None,
    bystanders: Bystanders | None = None,
) -> BatchFlows:
    """Run one exchange direction for every row of the multipliers and every plan.

    Parameters
    ----------
    att, dfn
        Attacker and victim, compiled by :func:`~detente.engine.sides.side_rows`
        with as many rows as the multipliers (or one row, broadcast).
    settings
        Exchange doctrine (reserve, shots per aim point, allocator, warning shares).
    m_att, m_dfn
        Per-row multipliers of each side, of one common size ``B``.
    plans
        The strikes to evaluate for every row (the settings' :func:`strike_plans` by default).
    bystanders
        Sides standing by, for whom the attacker holds a reserve (none with two sides).

    Returns
    -------
    BatchFlows
        Per-row, per-system flows and damage to value; ``B * K`` rows for ``K`` plans.
    """
    nb, plans = m_att.size, plans or strike_plans(settings)
    weapons, reserved = ready_and_held(att, m_att, settings, bystanders)
    grid = victim_targets(att, dfn, m_att, m_dfn)
    lethal = lethality(att, grid, weapons, settings, m_att)
    dfn_tables = layer_tables(dfn, m_dfn)
    if plans.size > 1:  # the costly set-up once per row, the strike once per plan
        rows = np.repeat(np.arange(nb), plans.size)
        att, dfn = att.take(rows), dfn.take(rows)
        m_att, m_dfn = m_att.take(rows), m_dfn.take(rows)
        weapons, grid, lethal = weapons.take(rows), grid.take(rows), lethal[rows]
        dfn_tables = dfn_tables.take(rows)
    plan = plans.for_rows(nb)
    cf = counterforce_strike(att, dfn, weapons, grid, dfn_tables, lethal, settings, m_dfn, plan)
    losses = launch_on_warning(att, dfn, grid, cf, settings, m_att, m_dfn)
    answer = retaliation(dfn, att, grid.warheads, losses.survived, settings, m_dfn, m_att)
    later = reserve_strike(att, dfn, weapons, cf, dfn_tables, settings, m_att, m_dfn)
    fired = counterforce_flows(cf, weapons)
    return BatchFlows(
        attacker_total=weapons.total,
        attacker_ready=weapons.ready,
        attacker_counterforce=fired.used,
        attacker_cf_failed=fired.failed,
        attacker_cf_intercepted=fired.intercepted,
        attacker_cf_arrived=fired.arrived,
        attacker_later=later.later,
        attacker_later_failed=later.failed,
        attacker_later_intercepted=later.intercepted,
        attacker_later_arrived=later.arrived,
        attacker_unused=later.unused,
        attacker_reserved=np.repeat(reserved, plans.size, axis=0),
        defender_total=grid.warheads,
        defender_destroyed=losses.destroyed,
        defender_ready=grid.alert * grid.warheads,
        defender_ready_destroyed=losses.destroyed_ready,
        defender_launched_on_warning=losses.launched_on_warning,
        defender_survived=losses.survived,
        defender_withheld=answer.withheld,
        defender_failed_c2=answer.failed_c2,
        defender_failed_reliability=answer.failed_reliability,
        defender_intercepted=answer.intercepted,
        defender_arrived=answer.arrived,
        damage_to_attacker=answer.damage,
        damage_to_defender=later.damage,
        retaliation_potential=answer.potential,
        damage_potential=answer.potential_damage,
        warning_min=silo_warning(dfn, losses),
        strike_share=plan[0],
        strike_shots=plan[1].astype(np.float64),
        gap=cf.gap,
    )


def exchange_chunks(
    att: SideArrays,
    dfn: SideArrays,
    settings: ExchangeSettings,
    m_att: Multipliers,
    m_dfn: Multipliers,
    plans: StrikePlans | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    cost: Cost | None = None,
    bystanders: Bystanders | None = None,
) -> BatchFlows:
    """:func:`exchange_batch` over about ``chunk_size`` exchanges at a time (the one chunk loop).

    Compiled sides with one row apply to every row; with ``B`` rows they are
    cut along with the multipliers (and with per-row plans, the plans). With
    ``cost``, each chunk keeps only the plan each row's attacker prefers
    (:func:`~detente.engine.choice.choose`), so the result has one row per row.
    """
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise InvalidArgumentError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    n = m_att.size
    if m_dfn.size != n:
        raise InvalidArgumentError(f"multipliers of {n} and {m_dfn.size} rows do not align")
    plans = plans or strike_plans(settings)
    cells = plans.size * max(1, att.n_systems) * (len(dfn.target_ids) + dfn.n_systems + 1)
    per_chunk = max(1, min(chunk_size // plans.size, CELL_BUDGET // cells))
    parts = []
    for lo in range(0, n, per_chunk):
        rows = np.arange(lo, min(n, lo + per_chunk))
        whole = lo == 0 and rows.size == n
        part = exchange_batch(
            att if whole else att.take(rows),
            dfn if whole else dfn.take(rows),
            settings,
            m_att if whole else m_att.take(rows),
            m_dfn if whole else m_dfn.take(rows),
            plans if whole or plans.share.ndim == 1 else plans.take(rows),
            bystanders if whole or bystanders is None else bystanders.take(rows),
        )
        if cost is not None and plans.size > 1:
            part = choose(part, plans.size, cost).flows
        parts.append(part)
    return BatchFlows.concat(parts)


def _alerts(
    scenario: Scenario, attacker: str, defender: str, alert: AlertSpec
) -> tuple[AlertLevel, AlertLevel]:
    if alert is None:
        return scenario.side(attacker).posture.alert, scenario.side(defender).posture.alert
    levels = (alert, alert) if isinstance(alert, str) else alert
    if not (
        isinstance(levels, tuple) and len(levels) == 2 and all(a in ALERT_LEVELS for a in levels)
    ):
        bad = next((a for a in levels if a not in ALERT_LEVELS), alert)
        hint = did_you_mean(bad, ALERT_LEVELS) if isinstance(bad, str) else ""
        raise InvalidArgumentError(
            f"alert must be one of {', '.join(ALERT_LEVELS)}, a pair of them "
            f"(attacker, defender), or None for each posture's own; got {alert!r}"
            + (f" ({hint.strip()})" if hint else "")
        )
    return levels


def _actors(scenario: Scenario, attacker: str, defender: str) -> None:
    actors = [s.actor for s in scenario.sides]
    for role, actor in (("attacker", attacker), ("defender", defender)):
        if actor not in actors:
            raise InvalidArgumentError(
                f"{role} {actor!r} is not a side of the scenario; expected one of "
                f"{', '.join(actors)}"
            )
    if attacker == defender:
        raise InvalidArgumentError(f"attacker and defender must differ, got {attacker!r} twice")


def compile_sides(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    alert: AlertSpec = None,
    perspective: Perspective | str = FULL,
) -> tuple[SideArrays, SideArrays]:
    """Compile attacker and defender of ``scenario`` into one-row arrays."""
    _actors(scenario, attacker, defender)
    a_alert, d_alert = _alerts(scenario, attacker, defender, alert)
    p = as_perspective(perspective)
    a, d = scenario.side(attacker), scenario.side(defender)
    return (
        side_rows(a.posture, a.factors, [(p, a_alert)]),
        side_rows(d.posture, d.factors, [(p, d_alert)]),
    )


def _multipliers(draws: Mapping[str, npt.ArrayLike] | Multipliers | None, n: int) -> Multipliers:
    if isinstance(draws, Multipliers):
        return draws if draws.size == n else draws.broadcast(n)
    return Multipliers.from_mapping(draws or {}, n)


def run_exchange_batch(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    attacker_draws: Mapping[str, npt.ArrayLike] | Multipliers | None = None,
    defender_draws: Mapping[str, npt.ArrayLike] | Multipliers | None = None,
    alert: AlertSpec = None,
    perspective: Perspective | str = FULL,
    size: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> BatchFlows:
    """Evaluate many parameter draws of one exchange in vectorised calls.

    Parameters
    ----------
    scenario
        The scenario; neither it nor its postures are changed.
    attacker, defender
        Actor codes of the side that strikes first and the side struck.
    attacker_draws, defender_draws
        Per-draw multipliers (see :class:`~detente.engine.params.Multipliers`),
        as a mapping ``{"cep": array, ...}``; missing names stay at 1.
    alert
        One alert level for both, a pair (attacker, defender), or None for
        each posture's own.
    perspective
        Which capabilities count.
    size
        Number of draws when every multiplier is a scalar.
    chunk_size
        Draws per vectorised call (keeps working arrays small); results do not
        depend on it.

    Returns
    -------
    BatchFlows
        Arrays with one row per draw.
    """
    reading = as_perspective(perspective)
    att, dfn = compile_sides(scenario, attacker, defender, alert=alert, perspective=reading)
    sizes = [
        Multipliers.from_mapping(d).size if isinstance(d, Mapping) else d.size
        for d in (attacker_draws, defender_draws)
        if d is not None
    ]
    n = size if size is not None else max([1, *sizes])
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_BATCH_ROWS:
        raise InvalidArgumentError(
            f"size must be a whole number from 1 to {MAX_BATCH_ROWS:,} (MAX_BATCH_ROWS, "
            f"docs/limits.md), got {n!r}"
        )
    m_a, m_d = _multipliers(attacker_draws, n), _multipliers(defender_draws, n)
    by = compile_bystanders(scenario, attacker, defender, perspective=reading, size=n)
    return chosen_exchange(scenario, att, dfn, m_a, m_d, chunk_size=chunk_size, bystanders=by)


def attacker_cost(scenario: Scenario) -> Cost:
    """The cost function sides weigh outcomes by, from the scenario's stability settings."""
    settings = scenario.stability

    def cost(damage_own: npt.NDArray[np.float64], damage_other: npt.NDArray[np.float64]) -> Any:
        return outcome_cost(damage_own, damage_other, settings)

    return cost


def chosen_exchange(
    scenario: Scenario,
    att: SideArrays,
    dfn: SideArrays,
    m_att: Multipliers,
    m_dfn: Multipliers,
    plans: StrikePlans | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    bystanders: Bystanders | None = None,
) -> BatchFlows:
    """Every plan of every row, and each row's attacker taking the plan it prefers."""
    return exchange_chunks(
        att,
        dfn,
        scenario.exchange,
        m_att,
        m_dfn,
        plans,
        chunk_size=chunk_size,
        cost=attacker_cost(scenario),
        bystanders=bystanders,
    )


def compile_bystanders(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    perspective: Perspective = FULL,
    size: int = 1,
) -> Bystanders | None:
    """The sides standing by ``attacker`` striking ``defender``, each at its own alert level
    (None with two sides). Multipliers are 1; ``size`` rows."""
    others = [s for s in scenario.sides if s.actor not in (attacker, defender)]
    if not others:
        return None
    ones = Multipliers.ones(size)
    return Bystanders(
        tuple(side_rows(s.posture, s.factors, [(perspective, s.posture.alert)]) for s in others),
        tuple(ones for _ in others),
        scenario.third_party_damage,
    )


def outcome_from_batch(
    flows: BatchFlows,
    att: SideArrays,
    dfn: SideArrays,
    alerts: tuple[str, str],
    perspective: str,
    row: int = 0,
) -> ExchangeOutcome:
    """The frozen single-exchange view of row ``row`` of a batch."""

    def systems(
        ids: tuple[str, ...], prefix: str, names: tuple[str, ...]
    ) -> tuple[SystemFlows, ...]:
        table = np.stack([getattr(flows, f"{prefix}_{n}")[row] for n in names]).T.tolist()
        return tuple(
            SystemFlows(system=sid, flows=tuple(zip(names, values, strict=True)))
            for sid, values in zip(ids, table, strict=True)
        )

    return ExchangeOutcome(
        attacker=att.actor,
        defender=dfn.actor,
        attacker_alert=alerts[0],
        defender_alert=alerts[1],
        perspective=perspective,
        attacker_systems=systems(att.system_ids, "attacker", ATTACKER_FLOWS),
        defender_systems=systems(dfn.system_ids, "defender", DEFENDER_FLOWS),
        damage_to_attacker=float(flows.damage_to_attacker[row]),
        damage_to_defender=float(flows.damage_to_defender[row]),
        retaliation_potential=float(flows.retaliation_potential[row]),
        warning_min=float(flows.warning_min[row]),
        strike_share=float(flows.strike_share[row]),
        strike_shots=int(flows.strike_shots[row]),
        allocation_gap=float(flows.gap),
        reserved_for_others=float(flows.attacker_reserved[row].sum()),
    )


def run_exchange(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    alert: AlertSpec = None,
    perspective: Perspective | str = FULL,
) -> ExchangeOutcome:
    """What happens if ``attacker`` strikes ``defender`` first.

    The exchange is computed in expected values and is deterministic.

    Parameters
    ----------
    scenario
        Sides, factors and exchange settings; not mutated.
    attacker, defender
        Actor codes of two different sides of the scenario.
    alert
        ``"day_to_day"`` or ``"generated"`` for both sides, a pair (attacker,
        defender), or None for each posture's own alert level.
    perspective
        Which capabilities count: a :class:`~detente.model.perspective.Perspective`
        or the id of a built-in one (``"full"``, ``"us"``, ``"ru"``).

    Returns
    -------
    ExchangeOutcome
        Per-system flows that conserve, and damage to each side's value.

    Raises
    ------
    InvalidArgumentError
        If an actor is not a side, the two are the same, the alert level is not
        one of the choices, or the perspective is not a Perspective.
    """
    _actors(scenario, attacker, defender)
    alerts = _alerts(scenario, attacker, defender, alert)
    reading = as_perspective(perspective)
    att, dfn = compile_sides(scenario, attacker, defender, alert=alerts, perspective=reading)
    ones = Multipliers.ones(1)
    by = compile_bystanders(scenario, attacker, defender, perspective=reading)
    flows = chosen_exchange(scenario, att, dfn, ones, ones, bystanders=by)
    return outcome_from_batch(flows, att, dfn, alerts, reading.id)


def directions(actors: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Every ordered (attacker, victim) pair of ``actors``, in a fixed order."""
    return tuple((a, b) for a in actors for b in actors if a != b)


__all__ = [
    "DEFAULT_CHUNK",
    "BatchFlows",
    "ExchangeOutcome",
    "compile_bystanders",
    "compile_sides",
    "directions",
    "exchange_batch",
    "exchange_chunks",
    "outcome_from_batch",
    "run_exchange",
    "run_exchange_batch",
]

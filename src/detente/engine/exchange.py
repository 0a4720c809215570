"""Public entry points: one exchange, or a batch of parameter draws of one exchange."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from detente.engine.core import BatchFlows, exchange_batch
from detente.engine.params import Multipliers
from detente.engine.results import ATTACKER_FLOWS, DEFENDER_FLOWS, ExchangeOutcome, SystemFlows
from detente.engine.sides import SideArrays, side_arrays
from detente.model.force import AlertLevel
from detente.model.perspective import FULL, Perspective
from detente.model.scenario import Scenario
from detente.rng import SeedLike

AlertSpec = AlertLevel | tuple[AlertLevel, AlertLevel] | None


def _alerts(
    scenario: Scenario, attacker: str, defender: str, alert: AlertSpec
) -> tuple[AlertLevel, AlertLevel]:
    if alert is None:
        return scenario.side(attacker).posture.alert, scenario.side(defender).posture.alert
    if isinstance(alert, str):
        return alert, alert
    return alert


def compile_sides(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    alert: AlertSpec = None,
    perspective: Perspective = FULL,
) -> tuple[SideArrays, SideArrays]:
    """Compile attacker and defender of ``scenario`` into arrays."""
    a_alert, d_alert = _alerts(scenario, attacker, defender, alert)
    a, d = scenario.side(attacker), scenario.side(defender)
    return (
        side_arrays(a.posture, a.factors, perspective, a_alert),
        side_arrays(d.posture, d.factors, perspective, d_alert),
    )


def run_exchange_batch(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    attacker_draws: Mapping[str, npt.ArrayLike] | Multipliers | None = None,
    defender_draws: Mapping[str, npt.ArrayLike] | Multipliers | None = None,
    alert: AlertSpec = None,
    perspective: Perspective = FULL,
    size: int | None = None,
    chunk_size: int = 10_000,
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
    m_a = (
        attacker_draws
        if isinstance(attacker_draws, Multipliers)
        else Multipliers.from_mapping(attacker_draws or {}, size)
    )
    m_d = (
        defender_draws
        if isinstance(defender_draws, Multipliers)
        else Multipliers.from_mapping(defender_draws or {}, size)
    )
    n = max(m_a.size, m_d.size)
    if m_a.size != n:
        m_a = Multipliers.from_mapping({k: getattr(m_a, k) for k in Multipliers.names()}, n)
    if m_d.size != n:
        m_d = Multipliers.from_mapping({k: getattr(m_d, k) for k in Multipliers.names()}, n)
    att, dfn = compile_sides(scenario, attacker, defender, alert=alert, perspective=perspective)
    parts = [
        exchange_batch(att, dfn, scenario.exchange, m_a.take(rows), m_d.take(rows))
        for rows in np.array_split(np.arange(n), max(1, -(-n // chunk_size)))
    ]
    return parts[0] if len(parts) == 1 else BatchFlows.concat(parts)


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
        allocation_gap=float(flows.gap),
    )


def run_exchange(
    scenario: Scenario,
    attacker: str,
    defender: str,
    *,
    alert: AlertSpec = None,
    perspective: Perspective = FULL,
    rng: SeedLike = None,
) -> ExchangeOutcome:
    """What happens if ``attacker`` strikes ``defender`` first.

    The exchange is computed in expected values and is deterministic; ``rng``
    is accepted so that stochastic callers share one signature, and is not
    drawn from.

    Parameters
    ----------
    scenario
        Sides, factors and exchange settings; not mutated.
    attacker, defender
        Actor codes (``"us"``, ``"ru"``, ``"cn"``).
    alert
        One alert level for both sides, a pair (attacker, defender), or None
        for each posture's own alert level.
    perspective
        Which capabilities count (see :mod:`detente.model.perspective`).
    rng
        Unused; see above.

    Returns
    -------
    ExchangeOutcome
        Per-system flows that conserve, and damage to each side's value.
    """
    del rng
    a_alert, d_alert = _alerts(scenario, attacker, defender, alert)
    att, dfn = compile_sides(
        scenario, attacker, defender, alert=(a_alert, d_alert), perspective=perspective
    )
    ones = Multipliers.ones(1)
    flows = exchange_batch(att, dfn, scenario.exchange, ones, ones)
    return outcome_from_batch(flows, att, dfn, (a_alert, d_alert), perspective.id)


__all__ = [
    "ExchangeOutcome",
    "compile_sides",
    "outcome_from_batch",
    "run_exchange",
    "run_exchange_batch",
]

"""Step 4 of the exchange: the victim's retaliation through the attacker's defences.

The victim's surviving warheads that can reach the attacker's value are
launched if the order gets through (C2 execution, less cyber degradation),
fly with their reliability, and meet the attacker's defences; the warheads
that arrive destroy value (:mod:`detente.engine.value`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.defense import layer_tables
from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays
from detente.engine.value import strike_on_value
from detente.model.scenario import ExchangeSettings

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Retaliation:
    """The victim's surviving warheads per draw and system, by fate."""

    withheld: FloatArray
    """Survivors that cannot reach the attacker's value."""
    failed_c2: FloatArray
    failed_reliability: FloatArray
    intercepted: FloatArray
    arrived: FloatArray
    damage: FloatArray
    """(B,) share of the attacker's value destroyed."""
    potential: FloatArray
    """(B,) warheads that would arrive had the first strike destroyed nothing."""
    potential_damage: FloatArray
    """(B,) the damage those warheads would do."""


def can_reach_value(shooter: SideArrays, target: SideArrays) -> BoolArray:
    """(S,) whether each of ``shooter``'s systems can reach ``target``'s value class."""
    if target.value_index < 0:
        return np.zeros(shooter.n_systems, dtype=bool)
    v = target.value_index
    ok = (shooter.range_km >= target.standoff_km[v]) & (~shooter.torpedo | target.coastal[v])
    return np.asarray(ok, dtype=bool)


def retaliation(
    dfn: SideArrays,
    att: SideArrays,
    warheads: FloatArray,
    survived: FloatArray,
    settings: ExchangeSettings,
    m_dfn: Multipliers,
    m_att: Multipliers,
) -> Retaliation:
    """The victim answers with what survived, on the attacker's value.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (the struck side
    retaliates with its surviving forces on the attacker's value).
    Enthoven, A. C. & Smith, K. W. (1971). *How Much Is Enough?* Harper & Row
    (arriving retaliatory warheads as the measure of assured destruction).
    """
    can_reach = can_reach_value(dfn, att)
    execute = np.minimum(1.0, dfn.execution_probability * m_dfn.execution) * (
        1.0 - dfn.factors.cyber_c2_degradation
    )
    rel = np.minimum(1.0, dfn.reliability[None, :] * m_dfn.reliability)
    withheld = survived * ~can_reach[None, :]
    pool = survived - withheld
    launched = pool * execute
    flying = launched * rel
    interceptors = att.interceptors * m_att.interceptors
    tables = layer_tables(att, m_att)
    intercepted, arrived, damage = strike_on_value(
        dfn, m_dfn, att, m_att, tables, flying, interceptors
    )
    potential_flying = warheads * can_reach[None, :] * execute * rel
    _, potential, potential_damage = strike_on_value(
        dfn, m_dfn, att, m_att, tables, potential_flying, interceptors
    )
    return Retaliation(
        withheld=withheld,
        failed_c2=pool * (1.0 - execute),
        failed_reliability=launched * (1.0 - rel),
        intercepted=intercepted,
        arrived=arrived,
        damage=damage,
        potential=potential.sum(axis=1),
        potential_damage=potential_damage,
    )

"""Step 5 of the exchange: the attacker's later strike on the victim's value.

Everything the attacker did not fire in its counterforce strike (the reserve,
slow weapons, forces not on alert), did not hold back from the exchange, and that
can reach the victim's value is launched at it, through whatever interceptors the
victim has left; the damage it does is step 6 (:mod:`detente.engine.value`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.counterforce import Counterforce
from detente.engine.defense import LayerTables
from detente.engine.params import Multipliers
from detente.engine.retaliation import can_reach_value
from detente.engine.sides import SideArrays
from detente.engine.value import strike_on_value
from detente.engine.weapons import Weapons
from detente.model.scenario import ExchangeSettings

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LaterStrike:
    """The attacker's warheads per draw and system after its counterforce strike."""

    later: FloatArray
    failed: FloatArray
    intercepted: FloatArray
    arrived: FloatArray
    unused: FloatArray
    damage: FloatArray
    """(B,) share of the victim's value destroyed."""


def _mix_left(att: SideArrays, weapons: Weapons, cf: Counterforce) -> FloatArray | None:
    """(B, S, T) share of each warhead type among each system's warheads left after the
    counterforce strike (None where every system has one type)."""
    if att.load_share.shape[1] == 1:
        return None
    share = att.load_share[None, :, :]
    left = (weapons.total - weapons.held)[:, :, None] * share - cf.fired_by_type
    left = np.maximum(left, 0.0)
    total = left.sum(axis=2, keepdims=True)
    return np.asarray(np.where(total > 1e-12, left / np.maximum(total, 1e-12), share))


def reserve_strike(
    att: SideArrays,
    dfn: SideArrays,
    weapons: Weapons,
    cf: Counterforce,
    dfn_tables: LayerTables,
    settings: ExchangeSettings,
    m_att: Multipliers,
    m_dfn: Multipliers,
) -> LaterStrike:
    """The attacker's remaining nuclear warheads on the victim's value.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (the first striker
    follows its counterforce strike with an attack on value).
    """
    later_ok = att.nuclear & can_reach_value(att, dfn)
    remaining = weapons.total - cf.shots.sum(axis=2) - weapons.held
    later = remaining * later_ok[None, :]
    flying = later * weapons.reliability
    intercepted, arrived, damage = strike_on_value(
        att,
        m_att,
        dfn,
        m_dfn,
        dfn_tables,
        flying,
        cf.interceptors_left,
        _mix_left(att, weapons, cf),
    )
    return LaterStrike(
        later=later,
        failed=later * (1.0 - weapons.reliability),
        intercepted=intercepted,
        arrived=arrived,
        unused=remaining - later + weapons.held,
        damage=damage,
    )

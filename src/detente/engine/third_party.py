"""What a striker holds back for the parties standing by.

With three or more sides, a side that strikes one of them first must still deter
the others afterwards. The rule (``exchange.third_party_reserve: threshold``,
the default): for each party standing by whose nuclear weapons can reach the
striker's value, the striker holds back the same share ``h`` of every one of its
nuclear systems that can reach that party's value, the smallest share whose
warheads, flying with their reliability through that party's defences, would
destroy ``damage`` of its value (``exchange.third_party_damage``, by default the
unacceptable-damage threshold of second-strike sufficiency). If its whole force
cannot do that, it holds back all of it that reaches. A party with no deployed
nuclear launcher that reaches the striker's value calls for no reserve. The reserves for several
parties add up; on each system the striker holds back the larger of this reserve
and the share Kent & Thaler's striker keeps out of the exchange anyway
(``survivable_share_used``), and commits the rest as before.

References
----------
Congressional Commission on the Strategic Posture of the United States (2023).
*America's Strategic Posture*, executive summary (the United States must be able
to deter two nuclear-armed adversaries at once; read as: an exchange with one
must leave enough to deter the other).
Enthoven, A. C. & Smith, K. W. (1971). *How Much Is Enough?*, p. 207
(unacceptable damage as a share of an adversary's value).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from detente.engine.defense import layer_tables
from detente.engine.params import Multipliers
from detente.engine.retaliation import can_reach_value
from detente.engine.rows import distinct_rows
from detente.engine.sides import SideArrays
from detente.engine.value import lethal_area_km2, strike_on_value
from detente.engine.weapons import Weapons, ready_weapons
from detente.model.scenario import ExchangeSettings

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

BISECTION_STEPS = 40
"""Halvings of the reserve share: the share is found to within 2**-40 of the exact root."""


@dataclass(frozen=True)
class Bystanders:
    """The parties standing by an exchange, and the damage the striker keeps for each."""

    sides: tuple[SideArrays, ...]
    mults: tuple[Multipliers, ...]
    damage: float
    """Share of each bystander's value the reserve must be able to destroy (0: no reserve)."""

    def take(self, rows: npt.NDArray[np.int64]) -> Bystanders:
        """The given rows of every bystander."""
        return Bystanders(
            tuple(s.take(rows) for s in self.sides),
            tuple(m.take(rows) for m in self.mults),
            self.damage,
        )


def threatens(shooter: SideArrays, m_shooter: Multipliers, target: SideArrays) -> BoolArray:
    """(B,) whether ``shooter`` has deployed nuclear launchers that can reach ``target``'s value.

    Launchers, not loaded warheads: a force whose warheads are kept in storage and
    mated when generated (China's) threatens as much as one kept loaded.
    """
    launchers = shooter.launchers * m_shooter.launchers
    reach = can_reach_value(shooter, target) & shooter.nuclear
    return np.asarray(np.where(reach[None, :], launchers, 0.0).sum(axis=1) > 0.0, dtype=bool)


def reserve_share(
    att: SideArrays,
    m_att: Multipliers,
    weapons: Weapons,
    bystander: SideArrays,
    m_by: Multipliers,
    damage: float,
) -> FloatArray:
    """(B,) smallest share ``h`` of each reaching system whose warheads destroy ``damage``
    of ``bystander``'s value through its defences (1 where the whole force falls short,
    0 where the bystander does not threaten the striker or ``damage`` is 0).

    Damage grows with ``h`` (more warheads arrive and the defences saturate), so the
    root is found by bisection to within ``2**-BISECTION_STEPS``, once for each
    distinct row of inputs.
    """
    nb = m_att.size
    reach = (att.nuclear & can_reach_value(att, bystander)).astype(np.float64)
    needed = threatens(bystander, m_by, att) & (damage > 0.0)
    if bystander.value_index < 0 or not needed.any():
        return np.zeros(nb)
    base = weapons.total * weapons.reliability * reach[None, :]
    interceptors = bystander.interceptors * m_by.interceptors
    key = np.concatenate(
        [
            base,
            interceptors,
            m_att.yield_kt,
            m_by.interceptor_pk,
            m_by.value_area,
            needed.astype(np.float64)[:, None],
        ],
        axis=1,
    )
    first, inverse = distinct_rows(key)
    share = _bisect(
        att, m_att.take(first), base[first], bystander.take(first), m_by.take(first), damage
    )
    return np.asarray(np.where(needed, share[inverse], 0.0), dtype=np.float64)


def _bisect(
    att: SideArrays,
    m_att: Multipliers,
    base: FloatArray,
    bystander: SideArrays,
    m_by: Multipliers,
    damage: float,
) -> FloatArray:
    """The reserve share of each row (see :func:`reserve_share`), by bisection."""
    nb = m_att.size
    tables = layer_tables(bystander, m_by)
    interceptors = bystander.interceptors * m_by.interceptors
    area = lethal_area_km2(att, m_att, float(bystander.hardness_psi[bystander.value_index]))

    def dealt(h: FloatArray) -> FloatArray:
        flying = base * h[:, None]
        _, _, d = strike_on_value(
            att, m_att, bystander, m_by, tables, flying, interceptors, area_per_warhead=area
        )
        return d

    full = dealt(np.ones(nb))
    lo, hi = np.zeros(nb), np.ones(nb)
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        enough = dealt(mid) >= damage
        hi = np.where(enough, mid, hi)
        lo = np.where(enough, lo, mid)
    return np.asarray(np.where(full >= damage, hi, 1.0), dtype=np.float64)


def hold_for_bystanders(
    att: SideArrays, m_att: Multipliers, weapons: Weapons, bystanders: Bystanders | None
) -> tuple[Weapons, FloatArray]:
    """The striker's weapons with the reserve for the bystanders held back, and the
    reserve (B, S) in warheads: what is kept for the others (it may include the share
    held out of the exchange anyway)."""
    nb = weapons.total.shape[0]
    if bystanders is None or not bystanders.sides or bystanders.damage <= 0.0:
        return weapons, np.zeros_like(weapons.total)
    reserved = np.zeros_like(weapons.total)
    for side, mult in zip(bystanders.sides, bystanders.mults, strict=True):
        reach = (att.nuclear & can_reach_value(att, side)).astype(np.float64)
        h = reserve_share(att, m_att, weapons, side, mult, bystanders.damage)
        reserved = reserved + weapons.total * h.reshape(nb, 1) * reach[None, :]
    reserved = np.minimum(reserved, weapons.total)
    held = np.maximum(weapons.held, reserved)
    usable_before = weapons.total - weapons.held
    usable_after = weapons.total - held
    safe = np.where(usable_before > 0.0, usable_before, 1.0)
    keep = np.where(usable_before > 0.0, usable_after / safe, 0.0)
    pool = weapons.pool * keep
    return replace(weapons, pool=pool, held=held), reserved


def ready_and_held(
    att: SideArrays, m_att: Multipliers, settings: ExchangeSettings, bystanders: Bystanders | None
) -> tuple[Weapons, FloatArray]:
    """The striker's ready weapons (:func:`~detente.engine.weapons.ready_weapons`) with its
    reserve for the bystanders held back, and that reserve (B, S)."""
    return hold_for_bystanders(att, m_att, ready_weapons(att, m_att, settings), bystanders)

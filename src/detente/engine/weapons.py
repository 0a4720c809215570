"""Step 1 of the exchange, the attacker's side: which warheads are ready for a first strike.

A system's warheads are ``launchers x load`` (per draw, with build-up
multipliers); its *ready* share is the alert share; the *counterforce pool* is
the ready share of time-urgent weapons, minus the reserve the doctrine holds
back. Conventional precision strike keeps no reserve and has its own, longer
time limit (see ``docs/methodology.md`` §2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.params import Multipliers
from detente.engine.rows import distinct_rows
from detente.engine.sides import BASING_SILO, SideArrays
from detente.model.scenario import ExchangeSettings
from detente.physics.lethality import sspk, sspk_of_radius

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Weapons:
    """The attacker's warheads per draw (axis 0) and system (axis 1)."""

    total: FloatArray
    """Warheads on deployed launchers (stored warheads mated on generation included)."""
    ready: FloatArray
    """The alert share of ``total``: usable in a first strike."""
    pool: FloatArray
    """Ready, time-urgent warheads the striker uses: what a counterforce strike may commit."""
    held: FloatArray
    """Warheads held back from the whole exchange (the unused part of survivable forces)."""
    reliability: FloatArray
    """Launch and flight reliability (capped at 1)."""

    def take(self, rows: npt.NDArray[np.int64]) -> Weapons:
        """The given rows."""
        return Weapons(
            self.total[rows],
            self.ready[rows],
            self.pool[rows],
            self.held[rows],
            self.reliability[rows],
        )


def ready_weapons(att: SideArrays, m_att: Multipliers, settings: ExchangeSettings) -> Weapons:
    """The attacker's warheads, ready share and counterforce pool.

    The striker uses all of its silo-based and conventional forces and
    ``survivable_share_used`` of the rest; the pool is the ready, time-urgent
    part of what it uses. How much of the pool a strike commits to
    counterforce is its plan (:mod:`detente.engine.plans`).

    Parameters
    ----------
    att
        The attacker, compiled (:func:`~detente.engine.sides.side_rows`).
    m_att
        The attacker's per-draw multipliers.
    settings
        Doctrine: reserve share, time-urgent limits.

    Returns
    -------
    Weapons
        Per-draw, per-system warheads.

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (only forces on alert take
    part in a first strike; the striker uses all of its fixed and 90% of its
    survivable forces, p. 34).
    """
    total = att.launchers * att.load * m_att.launchers * m_att.load
    ready = total * att.alert
    flight = att.flight_time_min[None, :] * m_att.flight_time
    urgent = (flight <= settings.time_urgent_max_min) | att.torpedo[None, :]
    urgent = urgent | (att.conventional[None, :] & (flight <= settings.conventional_time_limit_min))
    fixed = (att.basing == BASING_SILO) | att.conventional
    use = np.where(fixed, 1.0, settings.survivable_share_used)
    pool = ready * use[None, :] * urgent
    held = total * (1.0 - use)[None, :]
    reliability = np.minimum(1.0, att.reliability[None, :] * m_att.reliability)
    return Weapons(total=total, ready=ready, pool=pool, held=held, reliability=reliability)


@dataclass(frozen=True)
class WarheadTypes:
    """A side's warheads by type (index ``x``): each system's loads, one entry per type.

    A system with one warhead type is one entry of share 1; Trident II with W76-1,
    W88 and W76-2 is three. The counterforce allocation works on types, so a
    striker can aim its high-yield warheads at hard targets.
    """

    system: npt.NDArray[np.int64]
    """(X,) the system each type belongs to."""
    slot: npt.NDArray[np.int64]
    """(X,) the type's column in the side's (S, T) load tables."""
    share: FloatArray
    """(X,) the type's share of its system's warheads."""
    yield_kt: FloatArray
    """(X,) the type's yield."""
    single: bool
    """Whether every system has one type (types and systems coincide)."""

    def split(self, per_system: FloatArray) -> FloatArray:
        """(B, X) warheads of each type from (B, S) warheads of each system."""
        if self.single:
            return per_system
        return np.asarray(per_system[:, self.system] * self.share[None, :])

    def per_system(self, per_type: FloatArray, n_systems: int) -> FloatArray:
        """(B, S, ...) sums over each system's types of (B, X, ...) values."""
        if self.single:
            return per_type
        out = np.zeros((n_systems, per_type.shape[0], *per_type.shape[2:]))
        np.add.at(out, self.system, np.moveaxis(per_type, 1, 0))
        return np.moveaxis(out, 0, 1)

    def per_slot(self, per_type: FloatArray, side: SideArrays) -> FloatArray:
        """(B, S, T) values of each type placed in the side's load tables."""
        out = np.zeros((per_type.shape[0], *side.load_share.shape))
        out[:, self.system, self.slot] = per_type
        return out


def warhead_types(side: SideArrays) -> WarheadTypes:
    """Every warhead type of ``side`` with a share above 0, system by system."""
    system, slot = np.nonzero(side.load_share > 0)
    return WarheadTypes(
        system=system.astype(np.int64),
        slot=slot.astype(np.int64),
        share=side.load_share[system, slot],
        yield_kt=side.load_yield_kt[system, slot],
        single=bool(side.load_share.shape[1] == 1),
    )


def sspk_matrix(
    shooter: SideArrays,
    m: Multipliers,
    hardness_psi: FloatArray,
    conventional_radius_m: float,
    types: WarheadTypes,
) -> FloatArray:
    """(B, X, J) single-shot kill probability of each warhead type against each hardness.

    Nuclear warheads use :func:`detente.physics.lethality.sspk` (cookie-cutter
    lethal radius from yield and hardness, circular normal miss); conventional
    warheads destroy a soft aim point within ``conventional_radius_m``.
    """
    owner = types.system
    y = types.yield_kt[None, :, None] * m.per_item("yield_kt", owner)[:, :, None]
    cep = shooter.cep_m[owner][None, :, None] * m.per_item("cep", owner)[:, :, None]
    h = hardness_psi[:, None, :] if hardness_psi.ndim == 2 else hardness_psi[None, None, :]
    nuclear = shooter.nuclear[owner][None, :, None]
    y, cep, h = np.broadcast_arrays(np.where(nuclear, y, 1.0), cep, h)
    p_nuc = _distinct_sspk(y, cep, h)
    p_conv = sspk_of_radius(conventional_radius_m, cep)
    return np.asarray(np.where(nuclear, p_nuc, p_conv), dtype=np.float64)


def _distinct_sspk(y: FloatArray, cep: FloatArray, h: FloatArray) -> FloatArray:
    """:func:`sspk` of (B, X, J) arrays, each distinct row of inputs computed once.

    Rows repeat (the readings and build-ups of one draw share its yields, CEPs and
    hardnesses) and the blast ranges behind SSPK cost a bisection each; a row's
    numbers do not depend on the other rows, so computing each distinct row once
    gives the same numbers.
    """
    nb = y.shape[0]
    if nb <= 1:
        return sspk(y, cep, h)
    key = np.concatenate([a.reshape(nb, -1) for a in (y, cep, h)], axis=1)
    first, inverse = distinct_rows(key)
    if first.size == nb:
        return sspk(y, cep, h)
    return np.asarray(sspk(y[first], cep[first], h[first])[inverse])

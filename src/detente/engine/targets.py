"""Step 1 of the exchange, the victim's side: where its forces sit and what is worth striking.

The victim's military aim points are its target classes plus one "found in the
field" class per system (mobile launchers out of garrison that the attacker's
sensors find). Each class holds some of the victim's warheads; its *worth* is
the warheads one aim point of it houses, which the counterforce allocation
maximises destroying. Basing follows the home class (``docs/methodology.md`` §1):
silos always at home; the alert share of sea-based forces at sea, of bombers on
strip alert, of land-mobile forces dispersed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.params import Multipliers
from detente.engine.sides import BASING_LAND, BASING_SILO, SideArrays

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TargetGrid:
    """The victim's warheads and aim points as the attacker sees them.

    Index ``j`` runs over the victim's target classes, then one "found in the
    field" class per system.
    """

    warheads: FloatArray
    """(B, S) the victim's nuclear warheads per system."""
    alert: FloatArray
    """(B, S) alert share per system (out of its home class)."""
    housed: FloatArray
    """(B, S, J) warheads of system s sitting in class j."""
    found: FloatArray
    """(B, S) warheads of dispersed mobile systems the attacker finds."""
    detect_sea: FloatArray
    """(B, 1) chance the attacker finds an SSBN at sea."""
    aim: FloatArray
    """(B, J) aim points per class (value excluded)."""
    worth: FloatArray
    """(B, J) warheads one aim point of the class houses."""
    hardness_psi: FloatArray
    standoff_km: FloatArray
    coastal: BoolArray

    @property
    def n_classes(self) -> int:
        """Number of the victim's own target classes (before the found-in-field ones)."""
        return int(self.aim.shape[1] - self.warheads.shape[1])


def victim_targets(
    att: SideArrays, dfn: SideArrays, m_att: Multipliers, m_dfn: Multipliers
) -> TargetGrid:
    """Where the victim's warheads sit and how many aim points hold them.

    A silo field presents ``max(count, deployed silo launchers)`` aim points
    (empty silos cannot be told from loaded ones); the alert share of a land
    mobile system is an aim point of its own only where the attacker's sensors
    find it (``detect_mobile_dispersed``).
    """
    nb = m_att.size
    n_t, n_sd = len(dfn.target_ids), dfn.n_systems
    n_j = n_t + n_sd
    w_dfn = dfn.launchers * dfn.load * m_dfn.launchers[:, None] * m_dfn.load[:, None]
    w_dfn = w_dfn * dfn.nuclear[None, :]
    f = np.broadcast_to(dfn.alert, w_dfn.shape)
    det_mobile = np.minimum(1.0, att.factors.detect_mobile_dispersed * m_att.detection)[:, None]
    det_sea = np.minimum(1.0, att.factors.detect_ssbn_at_sea * m_att.detection)[:, None]
    silo = dfn.basing == BASING_SILO
    land = dfn.basing == BASING_LAND
    at_home = np.where(silo[None, :], w_dfn, (1.0 - f) * w_dfn)
    found = np.where(land[None, :], f * w_dfn * det_mobile, 0.0)
    housed = np.zeros((nb, n_sd, n_j))
    sys_idx = np.arange(n_sd)
    housed[:, sys_idx, dfn.home] = at_home
    housed[:, sys_idx, n_t + sys_idx] = found

    launchers_d = dfn.launchers * m_dfn.launchers[:, None]
    aim = np.zeros((nb, n_j))
    aim[:, :n_t] = dfn.target_count[None, :]
    for t in range(n_t):
        if dfn.target_kind[t] == "silo_field":
            homed = (launchers_d * (silo & (dfn.home == t))[None, :]).sum(axis=1)
            aim[:, t] = np.maximum(aim[:, t], homed)
    if dfn.value_index >= 0:
        aim[:, dfn.value_index] = 0.0
    aim[:, n_t:] = np.where(land[None, :], f * launchers_d * det_mobile, 0.0)
    worth = housed.sum(axis=1) / np.where(aim > 1e-12, aim, 1.0)
    return TargetGrid(
        warheads=w_dfn,
        alert=f,
        housed=housed,
        found=found,
        detect_sea=det_sea,
        aim=aim,
        worth=worth,
        hardness_psi=np.concatenate([dfn.hardness_psi, dfn.hardness_psi[dfn.home]]),
        standoff_km=np.concatenate([dfn.standoff_km, dfn.standoff_km[dfn.home]]),
        coastal=np.concatenate([dfn.coastal, dfn.coastal[dfn.home]]),
    )

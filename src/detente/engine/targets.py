"""Step 1 of the exchange, the victim's side: where its forces sit and what is worth striking.

The victim's military aim points are its target classes plus one "found in the
field" class per land-mobile system that the attacker's sensors can find out of
garrison. Each class holds some of the victim's warheads; its *worth* is
the warheads one aim point of it houses, which the counterforce allocation
maximises destroying. Basing follows the home class (``docs/methodology.md`` §1):
silos always at home; the alert share of sea-based forces at sea, of bombers on
strip alert, of land-mobile forces dispersed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from detente.engine.params import Multipliers
from detente.engine.sides import BASING_LAND, BASING_SILO, SideArrays

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TargetGrid:
    """The victim's warheads and aim points as the attacker sees them.

    Column ``j`` runs over the victim's target classes, then one "found in the
    field" column per land-mobile system the attacker may find.
    """

    warheads: FloatArray
    """(B, S) the victim's nuclear warheads per system."""
    alert: FloatArray
    """(B, S) alert share per system (out of its home class)."""
    found: FloatArray
    """(B, S) warheads of dispersed mobile systems the attacker finds."""
    found_column: IntArray
    """(S,) column of each system's found-in-field class, -1 where it has none."""
    classes: IntArray
    """(J,) the victim's target class behind each column."""
    detect_sea: FloatArray
    """(B, 1) chance the attacker finds an SSBN at sea."""
    aim: FloatArray
    """(B, J) aim points per column (value excluded)."""
    worth: FloatArray
    """(B, J) warheads one aim point of the column houses."""
    hardness_psi: FloatArray
    """(J,) the shipped hardness of each column."""
    hardness_drawn: FloatArray
    """(B, J) the hardness of each column in each row (the shipped one x the draw's factor)."""
    standoff_km: FloatArray
    coastal: BoolArray

    def take(self, rows: npt.NDArray[np.int64]) -> TargetGrid:
        """The given rows (the per-column fields stay as they are)."""
        return replace(
            self,
            warheads=self.warheads[rows],
            alert=self.alert[rows],
            found=self.found[rows],
            detect_sea=self.detect_sea[rows],
            aim=self.aim[rows],
            worth=self.worth[rows],
            hardness_drawn=self.hardness_drawn[rows],
        )

    @property
    def n_classes(self) -> int:
        """Number of the victim's own target classes (before the found-in-field ones)."""
        return int(self.classes.shape[0] - np.count_nonzero(self.found_column >= 0))


def victim_targets(
    att: SideArrays, dfn: SideArrays, m_att: Multipliers, m_dfn: Multipliers
) -> TargetGrid:
    """Where the victim's warheads sit and how many aim points hold them.

    A silo field presents ``max(count, deployed silo launchers)`` aim points
    (empty silos cannot be told from loaded ones); the alert share of a land
    mobile system is an aim point of its own only where the attacker's sensors
    find it (``detect_mobile_dispersed``).

    References
    ----------
    Kent, G. A. & Thaler, D. E. (1989). *First-Strike Stability: A Methodology for
    Evaluating Strategic Forces*. RAND R-3765-AF (the counterforce first strike on
    the victim's forces at their bases: missile silos, submarine ports, bomber bases).
    The aggregation into target classes of identical aim points, the empty silos
    and the finding of dispersed mobile forces are this model's own, set out in
    ``docs/methodology.md`` §1.
    """
    n_t = len(dfn.target_ids)
    w = dfn.launchers * dfn.load * m_dfn.launchers * m_dfn.load
    w = w * dfn.nuclear[None, :]
    f = np.broadcast_to(dfn.alert, w.shape)
    det_mobile = np.minimum(1.0, att.factors.detect_mobile_dispersed * m_att.detection)
    det_sea = np.minimum(1.0, att.factors.detect_ssbn_at_sea * m_att.detection)
    silo = dfn.basing == BASING_SILO
    land = dfn.basing == BASING_LAND
    mobile = np.flatnonzero(land) if att.factors.detect_mobile_dispersed > 0 else np.zeros(0, int)
    found_column = np.full(dfn.n_systems, -1, dtype=np.int64)
    found_column[mobile] = n_t + np.arange(mobile.size)
    at_home = np.where(silo[None, :], w, (1.0 - f) * w)
    found = np.where(land[None, :], f * w * det_mobile, 0.0)
    launchers = dfn.launchers * m_dfn.launchers

    housed = np.zeros((w.shape[0], n_t + mobile.size))
    for t in range(n_t):  # explicit sums: a row's result must not depend on its batch
        housed[:, t] = np.where((dfn.home == t)[None, :], at_home, 0.0).sum(axis=1)
    housed[:, n_t:] = found[:, mobile]
    aim = np.zeros_like(housed)
    aim[:, :n_t] = dfn.target_count[None, :] * m_dfn.aim_points
    for t in range(n_t):
        if dfn.target_kind[t] == "silo_field":
            homed = (launchers * (silo & (dfn.home == t))[None, :]).sum(axis=1)
            aim[:, t] = np.maximum(aim[:, t], homed)
    if dfn.value_index >= 0:
        aim[:, dfn.value_index] = 0.0
    aim[:, n_t:] = f[:, mobile] * launchers[:, mobile] * det_mobile
    classes = np.concatenate([np.arange(n_t), dfn.home[mobile]])
    return TargetGrid(
        warheads=w,
        alert=f,
        found=found,
        found_column=found_column,
        classes=classes,
        detect_sea=det_sea,
        aim=aim,
        worth=housed / np.where(aim > 1e-12, aim, 1.0),
        hardness_psi=dfn.hardness_psi[classes],
        hardness_drawn=dfn.hardness_psi[classes][None, :] * m_dfn.per_item("hardness", classes),
        standoff_km=dfn.standoff_km[classes],
        coastal=dfn.coastal[classes],
    )

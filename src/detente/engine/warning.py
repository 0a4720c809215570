"""Step 3 of the exchange: warning, launch on warning, bomber escape, and what is lost.

The victim sees each incoming weapon for a share of its flight time
(satellites see ballistic launches, ground radars only the late part, glide
vehicles fly below radar horizons until late). A target class has as warning the shortest lead
time among the weapons aimed at it. Alert silo ICBMs threatened with warning longer
than the decision time launch (the policy's share); alert bombers escape if
warned for longer than ``bomber_escape_min``. Everything else in a struck class
is lost with the class's aim points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.counterforce import Counterforce
from detente.engine.sides import (
    BASING_AIR,
    BASING_SEA,
    BASING_SILO,
    DELIVERIES,
    SideArrays,
)
from detente.engine.targets import TargetGrid
from detente.model.scenario import ExchangeSettings
from detente.physics.detection import share_destroyed_hidden

FloatArray = npt.NDArray[np.float64]
_BALLISTIC = (DELIVERIES.index("ballistic_rv"), DELIVERIES.index("aeroballistic"))
_HGV = DELIVERIES.index("hgv")


@dataclass(frozen=True)
class Losses:
    """The victim's warheads per draw and system after the counterforce strike."""

    launched_on_warning: FloatArray
    destroyed: FloatArray
    destroyed_ready: FloatArray
    """The part of ``destroyed`` that was on alert (ready to launch, at sea, dispersed)."""
    survived: FloatArray
    warning_min: FloatArray
    """(B, S) warning of the strike on each system's home class (inf: not struck)."""


def warning_factor(att: SideArrays, dfn: SideArrays, settings: ExchangeSettings) -> FloatArray:
    """(I,) share of each attacker weapon's flight time the victim sees as warning."""
    sats = dfn.factors.early_warning_satellites
    radars = dfn.factors.early_warning_radars
    factor = np.zeros(att.n_systems)
    if not (sats or radars):
        return factor
    ballistic = np.isin(att.delivery, _BALLISTIC)
    factor[ballistic] = 1.0 if sats else settings.radar_only_warning_fraction
    factor[att.delivery == _HGV] = settings.hgv_warning_fraction
    return factor


def launch_on_warning(
    att: SideArrays,
    dfn: SideArrays,
    grid: TargetGrid,
    cf: Counterforce,
    settings: ExchangeSettings,
) -> Losses:
    """Launch on warning, bomber escape, and the warheads the strike destroys.

    References
    ----------
    Blair, B. G. (1993). *The Logic of Accidental Nuclear War*. Brookings
    (launch on warning as a race between warning and decision time).
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (alert bombers escape
    on warning; launch under attack of the fixed force).
    """
    f, w = grid.alert, grid.warheads
    silo = dfn.basing == BASING_SILO
    sea = dfn.basing == BASING_SEA
    air = dfn.basing == BASING_AIR
    lead = att.flight_time_min * warning_factor(att, dfn, settings)
    used = cf.shots > 1e-9
    warn = np.where(used, lead[None, :, None], np.inf).min(axis=1, initial=np.inf)  # (B, J)
    warn_home = warn[:, dfn.home]  # (B, S)
    warned = (warn_home >= dfn.decision_time_min) & np.isfinite(warn_home)
    share = np.broadcast_to(dfn.launch_on_warning, (w.shape[0],))[:, None]
    launched = np.where(silo[None, :] & warned, share * f * w, 0.0)
    caught = air[None, :] & (warn_home < settings.bomber_escape_min)

    kill_home = 1.0 - cf.survival[:, dfn.home]
    has_found = grid.found_column >= 0
    kill_found = np.where(has_found, 1.0 - cf.survival[:, np.maximum(grid.found_column, 0)], 0.0)
    not_ready = (1.0 - f) * w * kill_home  # in garrison, in port, on base; idle silos
    ready = np.where(silo[None, :], (f * w - launched) * kill_home, 0.0)
    # SSBNs found at sea are lost to anti-submarine forces (kill if found = 1, no warheads)
    ready += np.where(sea[None, :], f * w * share_destroyed_hidden(grid.detect_sea, 1.0), 0.0)
    ready += np.where(caught, f * w * kill_home, 0.0)
    ready += grid.found * kill_found
    destroyed = not_ready + ready
    return Losses(
        launched_on_warning=launched,
        destroyed=destroyed,
        destroyed_ready=ready,
        survived=w - destroyed,
        warning_min=warn_home,
    )


def silo_warning(dfn: SideArrays, losses: Losses) -> FloatArray:
    """(B,) the shortest warning the victim had of the strike on its silos (inf: none)."""
    nb = losses.warning_min.shape[0]
    if not dfn.n_systems:
        return np.full(nb, np.inf)
    silo = dfn.basing == BASING_SILO
    warn = losses.warning_min
    return np.asarray(
        np.where(np.isfinite(warn) & silo[None, :], warn, np.inf).min(axis=1, initial=np.inf),
        dtype=np.float64,
    )

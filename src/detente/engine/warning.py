"""Step 3 of the exchange: warning, launch on warning, bomber escape, and what is lost.

Warning comes from the attack's own timeline. Each nuclear weapon type of the
counterforce strike is launched at a planned time (all at once, or timed so
that all arrive together: ``exchange.launch_timing``); a conventional wave is
launched ahead, to arrive as the nuclear launches begin. A weapon is detected
some time after launch: a ballistic launch at once by early-warning satellites, or late
in flight by ground radars alone; a glide vehicle late in its flight; cruise
missiles, torpedoes and bombs only when they arrive. The victim's clock starts
at the first detection of a nuclear weapon of the strike (a conventional wave
is the attack on what it strikes, not warning of a nuclear one), and it
decides to launch ``c2.decision_time_min`` later.

Each aim point's fate then turns on when the first weapon reaches *it*: alert
silo missiles whose aim point is struck before the launch is decided are
caught; the rest launch (the policy's share), and so do road-mobile launchers in
their shelters and SSBNs at the pier where the system can fire from home
(``launch_from_home``). Alert bombers escape over time
(none before ``bomber_escape_start_min`` of warning, all after
``bomber_escape_all_min``). Within a class the weapon types are spread over its
aim points at random, so the share of aim points first reached by a type
follows from the shots; one more weapon changes the fate of about one aim
point, not of a whole class. Everything not ready in a struck class is lost
with the class's aim points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.counterforce import Counterforce
from detente.engine.params import Multipliers
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


def detection_share(att: SideArrays, dfn: SideArrays, settings: ExchangeSettings) -> FloatArray:
    """(I,) share of each attacker weapon's flight time left when the victim detects it.

    1: detected at launch (a ballistic or aeroballistic launch seen by early-warning
    satellites); ``radar_only_warning_fraction`` for those seen by ground radars
    alone; ``hgv_warning_fraction`` for a glide vehicle, recognised late; 0 (detected
    on arrival) for cruise missiles, torpedoes and bombs, or with no sensors at all.
    """
    sats = dfn.factors.early_warning_satellites
    radars = dfn.factors.early_warning_radars
    share = np.zeros(att.n_systems)
    if not (sats or radars):
        return share
    ballistic = np.isin(att.delivery, _BALLISTIC)
    share[ballistic] = 1.0 if sats else settings.radar_only_warning_fraction
    share[att.delivery == _HGV] = settings.hgv_warning_fraction
    return share


@dataclass(frozen=True)
class Timeline:
    """When each weapon type of a strike arrives and how much warning that leaves."""

    arrival_min: FloatArray
    """(B, I) each type's arrival, minutes after the nuclear launches begin."""
    warning_min: FloatArray
    """(B, I) minutes from the victim's first detection of a nuclear weapon to each type's
    arrival: negative for a conventional wave that arrives first, -inf when no nuclear
    weapon was detected, inf for a type not fired."""
    detected: npt.NDArray[np.bool_]
    """(B,) whether the victim saw a nuclear strike coming at all."""


def strike_timeline(
    att: SideArrays,
    dfn: SideArrays,
    shots: FloatArray,
    settings: ExchangeSettings,
    flight_time: FloatArray | None = None,
) -> Timeline:
    """Launch, detection and arrival of every weapon type fired, per row.

    ``flight_time`` (B, I) overrides the attacker's shipped flight times per row.
    """
    fired = shots.sum(axis=2) > 1e-9  # (B, I)
    flight = np.broadcast_to(
        att.flight_time_min if flight_time is None else flight_time, fired.shape
    )
    nuclear = fired & ~att.conventional[None, :]
    if settings.launch_timing == "simultaneous_arrival":
        last = np.where(nuclear, flight, 0.0).max(axis=1, initial=0.0)[:, None]
        launch = np.where(nuclear, last - flight, 0.0)
    else:
        launch = np.zeros(fired.shape)
    # the conventional wave goes first: launched to arrive as the nuclear launches begin
    launch = np.where(att.conventional[None, :], -flight, launch)
    arrival = launch + flight
    seen = launch + (1.0 - detection_share(att, dfn, settings))[None, :] * flight
    # the clock starts at the first nuclear weapon detected: a conventional wave is the
    # attack on what it strikes, not warning of a nuclear one
    first_seen = np.where(nuclear, seen, np.inf).min(axis=1, initial=np.inf)  # (B,)
    detected = np.isfinite(first_seen)
    warning = np.where(fired, arrival - first_seen[:, None], np.inf)  # -inf: never warned
    return Timeline(arrival_min=arrival, warning_min=warning, detected=detected)


def first_arrivals(shots: FloatArray, aim: FloatArray, arrival: FloatArray) -> FloatArray:
    """(B, I, J) share of class j's aim points whose first weapon is of type i.

    A type covers the share ``min(1, shots / aim points)`` of a class's aim points,
    types spread at random over them; an aim point's first weapon is the earliest
    type among those that cover it.
    """
    # only the types and classes some row fires at take part: the others cover nothing,
    # multiply the untouched share by exactly 1 and come first at no aim point
    types = np.flatnonzero((shots > 0).any(axis=(0, 2)))
    classes = np.flatnonzero((shots > 0).any(axis=(0, 1)))
    if types.size < shots.shape[1] or classes.size < shots.shape[2]:
        first = np.zeros(shots.shape)
        if types.size and classes.size:
            sub = shots[:, types][:, :, classes]
            first[:, types[:, None], classes[None, :]] = first_arrivals(
                sub, aim[:, classes], arrival[:, types]
            )
        return first
    cover = np.clip(shots / np.where(aim > 1e-12, aim, np.inf)[:, None, :], 0.0, 1.0)
    order = np.argsort(arrival, axis=1, kind="stable")  # (B, I) earliest first
    sorted_cover = np.take_along_axis(cover, order[:, :, None], axis=1)
    untouched = np.cumprod(1.0 - sorted_cover, axis=1)
    before = np.concatenate([np.ones_like(untouched[:, :1]), untouched[:, :-1]], axis=1)
    place = np.empty_like(order)  # where each type sits in the arrival order
    np.put_along_axis(place, order, np.arange(order.shape[1])[None, :], axis=1)
    return np.take_along_axis(sorted_cover * before, place[:, :, None], axis=1)


def launch_on_warning(
    att: SideArrays,
    dfn: SideArrays,
    grid: TargetGrid,
    cf: Counterforce,
    settings: ExchangeSettings,
    m_att: Multipliers,
    m_dfn: Multipliers,
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
    flight = att.flight_time_min[None, :] * m_att.flight_time
    timeline = strike_timeline(att, dfn, cf.shots, settings, flight)
    first = first_arrivals(cf.shots, grid.aim, timeline.arrival_min)  # (B, I, J)
    struck = first.sum(axis=1)  # share of each class's aim points struck at all
    kill = 1.0 - cf.survival
    kill_struck = np.where(struck > 1e-12, kill / np.where(struck > 1e-12, struck, 1.0), 0.0)
    decision = dfn.decision_time_min * m_dfn.decision_time  # (B, 1)
    early = timeline.warning_min < decision  # (B, I): arrives before the launch
    caught_early = (first * early[:, :, None]).sum(axis=1)  # (B, J)
    span = max(settings.bomber_escape_all_min - settings.bomber_escape_start_min, 1e-9)
    escaped = np.clip((timeline.warning_min - settings.bomber_escape_start_min) / span, 0, 1)
    caught_on_base = (first * (1.0 - escaped)[:, :, None]).sum(axis=1)

    home = dfn.home
    policy = np.minimum(
        1.0, np.broadcast_to(dfn.launch_on_warning, (w.shape[0],))[:, None] * m_dfn.launch_fraction
    )
    launches = policy * timeline.detected[:, None]
    # at home and able to launch on warning: alert silo missiles, and the launchers in
    # shelters or at the pier where the system can fire from there (launch_from_home)
    at_home_ready = np.where(silo[None, :], f * w, dfn.launch_from_home[None, :] * (1.0 - f) * w)
    stuck = np.where(silo[None, :], (1.0 - f) * w, (1.0 - f) * w - at_home_ready)
    launched = launches * at_home_ready * (1.0 - caught_early[:, home])
    kill_home = kill[:, home]
    has_found = grid.found_column >= 0
    kill_found = np.where(has_found, kill[:, np.maximum(grid.found_column, 0)], 0.0)
    fate = (1.0 - launches) * kill_home + launches * caught_early[:, home] * kill_struck[:, home]
    # in garrison, in port, on base, idle silos; home launchers not on alert
    not_ready = stuck * kill_home + np.where(silo[None, :], 0.0, at_home_ready * fate)
    ready = np.where(silo[None, :], at_home_ready * fate, 0.0)
    # SSBNs found at sea are lost to anti-submarine forces (kill if found = 1, no warheads)
    ready += np.where(sea[None, :], f * w * share_destroyed_hidden(grid.detect_sea, 1.0), 0.0)
    ready += np.where(air[None, :], f * w * caught_on_base[:, home] * kill_struck[:, home], 0.0)
    ready += grid.found * kill_found
    destroyed = not_ready + ready
    first_warning = np.where(first > 1e-12, timeline.warning_min[:, :, None], np.inf)
    return Losses(
        launched_on_warning=launched,
        destroyed=destroyed,
        destroyed_ready=ready,
        survived=w - destroyed,
        warning_min=first_warning.min(axis=1, initial=np.inf)[:, home],
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

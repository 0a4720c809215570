"""The exchange on arrays: one attacker strikes first, the defender answers.

Everything carries a leading batch axis ``B`` (one row per parameter draw), so
one call evaluates many variants; a single exchange is a batch of one. The
steps follow DESIGN.md:

1. counterforce first strike by the attacker's ready, time-urgent weapons,
   minus a reserve, allocated to the defender's military aim points through
   the defender's defences (:mod:`detente.engine.aggregate`);
2. launch on warning of threatened alert silo ICBMs where the defender has
   warning longer than its decision time and the policy; alert bombers escape
   if warned in time;
3. retaliation by the defender's surviving warheads, scaled by C2 execution
   and reliability, through the attacker's defences, on the attacker's value;
4. the attacker's later strike (reserve, unused and non-alert forces) on the
   defender's value through the defender's remaining interceptors;
5. damage to value from the arriving warheads (:mod:`detente.engine.value`).

See ``docs/methodology.md`` for every modelling choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from detente.engine.aggregate import Allocation, allocate_exact, allocate_fast
from detente.engine.params import Multipliers
from detente.engine.sides import (
    BASING_AIR,
    BASING_LAND,
    BASING_SEA,
    BASING_SILO,
    DELIVERIES,
    SideArrays,
)
from detente.engine.value import damage_fraction
from detente.model.defense import Doctrine
from detente.model.scenario import ExchangeSettings
from detente.physics.defense import interceptors_per_engagement, layer_leak_probability
from detente.physics.detection import share_destroyed_hidden
from detente.physics.lethality import sspk

FloatArray = npt.NDArray[np.float64]
_BALLISTIC = (DELIVERIES.index("ballistic_rv"), DELIVERIES.index("aeroballistic"))
_HGV = DELIVERIES.index("hgv")


@dataclass(frozen=True)
class BatchFlows:
    """Flows of one exchange direction, per draw (axis 0) and per system (axis 1)."""

    attacker_total: FloatArray
    attacker_ready: FloatArray
    attacker_counterforce: FloatArray
    attacker_cf_failed: FloatArray
    attacker_cf_intercepted: FloatArray
    attacker_cf_arrived: FloatArray
    attacker_later: FloatArray
    attacker_later_failed: FloatArray
    attacker_later_intercepted: FloatArray
    attacker_later_arrived: FloatArray
    attacker_unused: FloatArray
    defender_total: FloatArray
    defender_destroyed: FloatArray
    defender_launched_on_warning: FloatArray
    defender_survived: FloatArray
    defender_withheld: FloatArray
    defender_failed_c2: FloatArray
    defender_failed_reliability: FloatArray
    defender_intercepted: FloatArray
    defender_arrived: FloatArray
    damage_to_attacker: FloatArray
    damage_to_defender: FloatArray
    retaliation_potential: FloatArray
    """(B,) warheads of the defender that would arrive had nothing been destroyed."""
    warning_min: FloatArray
    """(B,) shortest warning the defender had of the strike on its silos (inf: none hit)."""
    gap: float

    @classmethod
    def concat(cls, parts: Sequence[BatchFlows]) -> BatchFlows:
        """Rows of several batches, in order (the worst allocation gap is kept)."""
        arrays = {
            f.name: np.concatenate([getattr(p, f.name) for p in parts])
            for f in fields(cls)
            if f.name != "gap"
        }
        return cls(**arrays, gap=max(p.gap for p in parts))


def _warning_factor(att: SideArrays, dfn: SideArrays, settings: ExchangeSettings) -> FloatArray:
    """Share of each attacker weapon's flight time the defender sees as warning."""
    sats = dfn.factors.early_warning_satellites
    radars = dfn.factors.early_warning_radars
    factor = np.zeros(att.n_systems)
    if not (sats or radars):
        return factor
    ballistic = np.isin(att.delivery, _BALLISTIC)
    factor[ballistic] = 1.0 if sats else settings.radar_only_warning_fraction
    factor[att.delivery == _HGV] = settings.hgv_warning_fraction
    return factor


@dataclass(frozen=True)
class LayerTables:
    """A side's defence layers against every delivery kind, per draw.

    ``leak[b, l, d]``: chance an engaged warhead of delivery kind ``d`` passes layer
    ``l``; ``per[b, l, d]``: interceptors one engagement spends. They depend only on
    the layers and the draw's interceptor-pk multiplier, so they are computed once
    per side and batch.
    """

    leak: FloatArray
    per: FloatArray


def layer_tables(side: SideArrays, m: Multipliers) -> LayerTables:
    """Leak and cost per engagement of each of ``side``'s layers, for each delivery kind."""
    nb, n_l = m.size, len(side.layer_ids)
    pk = np.minimum(1.0, side.layer_pk[None, :, :] * m.interceptor_pk[:, None, None])
    leak = np.ones((nb, n_l, len(DELIVERIES)))
    per = np.ones((nb, n_l, len(DELIVERIES)))
    doctrines: tuple[tuple[Doctrine, npt.NDArray[np.bool_]], ...] = (
        ("salvo", ~side.layer_slsh),
        ("shoot_look_shoot", side.layer_slsh),
    )
    for doctrine, group in doctrines:
        if not group.any():
            continue
        shots = side.layer_shots[group][None, :, None]
        leak[:, group] = layer_leak_probability(
            pk[:, group],
            shots,
            doctrine,
            side.layer_reliability[group][None, :, None],
            side.layer_discrimination[group][None, :, None],
        )
        per[:, group] = interceptors_per_engagement(pk[:, group], shots, doctrine)
    return LayerTables(leak=leak, per=per)


def _layer_penetration(
    side: SideArrays,
    tables: LayerTables,
    delivery: npt.NDArray[np.int64],
    evasion: FloatArray,
    salvo: FloatArray,
    interceptors: FloatArray,
    covers: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Penetration per weapon type through each of ``side``'s layers, and their cost.

    Parameters
    ----------
    side, tables
        The defending side and its layer tables (:func:`layer_tables`).
    delivery, evasion
        (I,) delivery kind and defence evasion of each weapon type.
    salvo
        (B, L) warheads each layer faces (it saturates on its inventory).
    interceptors
        (B, L) interceptors left in each layer.
    covers
        (L,) or broadcastable mask: whether a layer takes part at all.

    Returns
    -------
    (pen, per_layer)
        pen (B, L, I): chance a weapon of type i passes layer l; per_layer (B, L):
        interceptors one engagement costs (the dearest among the deliveries the
        layer can engage in this salvo).
    """
    nb, n_l = salvo.shape
    if n_l == 0:
        return np.ones((nb, 0, len(delivery))), np.ones((nb, 0))
    leak = tables.leak[:, :, delivery]
    engages = side.layer_pk[:, delivery] > 0  # (L, I)
    per = np.where(engages[None, :, :], tables.per[:, :, delivery], -np.inf)
    per_layer = per.max(axis=2, initial=-np.inf)
    per_layer = np.where(np.isfinite(per_layer), per_layer, side.layer_shots[None, :])
    capacity = interceptors / np.maximum(per_layer, 1e-12)
    engaged = np.where(salvo > 0, np.minimum(1.0, capacity / np.maximum(salvo, 1e-12)), 0.0)
    engaged = engaged * covers
    pen = 1.0 - engaged[:, :, None] * (1.0 - leak) * (1.0 - evasion)[None, None, :]
    return pen, per_layer


def _spent(
    salvo: FloatArray, interceptors: FloatArray, per_layer: FloatArray, covers: FloatArray
) -> FloatArray:
    """(B, L) interceptors a layer spends on the warheads that actually come at it."""
    capacity = interceptors / np.maximum(per_layer, 1e-12)
    return np.asarray(np.minimum(salvo, capacity) * per_layer * covers, dtype=np.float64)


def _engaged_salvo(
    dfn: SideArrays, delivery: npt.NDArray[np.int64], flying: FloatArray
) -> FloatArray:
    """(B, L) warheads each layer can engage: those of deliveries it has a pk against."""
    if not dfn.layer_ids:
        return np.zeros((flying.shape[0], 0))
    can = dfn.layer_pk[:, delivery] > 0  # (L, I)
    return np.asarray(flying @ can.T.astype(np.float64), dtype=np.float64)


def _strike_on_value(
    shooter: SideArrays,
    m_shooter: Multipliers,
    target: SideArrays,
    target_tables: LayerTables,
    flying: FloatArray,
    interceptors: FloatArray,
    max_per_point: int,
    *,
    with_damage: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Warheads ``flying`` (B, I) at ``target``'s value: (intercepted, arrived, damage)."""
    nb = flying.shape[0]
    v = target.value_index
    if v < 0:
        zeros = np.zeros_like(flying)
        return zeros, flying.copy(), np.zeros(nb)
    covers = target.layer_defends[:, v].astype(np.float64)[None, :]
    salvo = _engaged_salvo(target, shooter.delivery, flying)
    pen, _ = _layer_penetration(
        target, target_tables, shooter.delivery, shooter.evasion, salvo, interceptors, covers
    )
    pass_all = pen.prod(axis=1) if pen.shape[1] else np.ones_like(flying)
    arrived = flying * pass_all
    intercepted = flying - arrived
    if not with_damage:
        return intercepted, arrived, np.zeros(nb)
    kill = _sspk_matrix(shooter, m_shooter, np.array([target.hardness_psi[v]]), conventional_r=0.0)
    total = arrived.sum(axis=1)
    mean_kill = np.where(
        total > 0, (arrived * kill[:, :, 0]).sum(axis=1) / np.maximum(total, 1e-12), 0.0
    )
    damage = damage_fraction(total, mean_kill, target.value_shares, max_per_point)
    return intercepted, arrived, damage


def _sspk_matrix(
    shooter: SideArrays, m: Multipliers, hardness: FloatArray, conventional_r: float
) -> FloatArray:
    """(B, I, J) single-shot kill probability of each weapon type against each hardness."""
    y = shooter.yield_kt[None, :, None] * m.yield_kt[:, None, None]
    cep = shooter.cep_m[None, :, None] * m.cep[:, None, None]
    h = hardness[None, None, :]
    nuclear = shooter.nuclear[None, :, None]
    p_nuc = sspk(np.where(nuclear, y, 1.0), cep, h)
    p_conv = -np.expm1(-np.log(2.0) * (conventional_r / cep) ** 2) if conventional_r > 0 else 0.0
    return np.asarray(np.where(nuclear, p_nuc, p_conv), dtype=np.float64)


def _distinct_rows(
    table: FloatArray,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Indices of the first of each distinct row, and each row's distinct index."""
    seen: dict[bytes, int] = {}
    first: list[int] = []
    inverse = np.empty(table.shape[0], dtype=np.int64)
    for i, row in enumerate(np.ascontiguousarray(table)):
        key = row.tobytes()
        if key not in seen:
            seen[key] = len(first)
            first.append(i)
        inverse[i] = seen[key]
    return np.asarray(first, dtype=np.int64), inverse


def _allocate(
    kill: FloatArray,
    pool: FloatArray,
    aim: FloatArray,
    worth: FloatArray,
    settings: ExchangeSettings,
) -> tuple[FloatArray, FloatArray, float]:
    """One allocation wave: (shots (B, I, J), survival (B, J), proven gap).

    Only classes worth striking in some row and weapons that reach one of them
    enter the solver; rows whose inputs coincide (e.g. a build-up that only
    changes the attacker's defences) are solved once.
    """
    nb = kill.shape[0]
    shots = np.zeros_like(kill)
    surv = np.ones(aim.shape)
    armed = np.flatnonzero((pool > 0).any(axis=0))
    cols = np.flatnonzero((aim * worth > 0).any(axis=0) & (kill[:, armed] > 0).any(axis=(0, 1)))
    types = armed[(kill[:, armed][:, :, cols] > 0).any(axis=(0, 2))]
    if not (cols.size and types.size):
        return shots, surv, 0.0
    sub = (kill[:, types][:, :, cols], pool[:, types], aim[:, cols], worth[:, cols])
    first, inverse = _distinct_rows(np.concatenate([a.reshape(nb, -1) for a in sub], axis=1))
    u_kill, u_pool, u_aim, u_worth = (a[first] for a in sub)
    allocate = allocate_exact if settings.allocator == "exact" else allocate_fast
    alloc: Allocation = allocate(u_kill, u_pool, u_aim, u_worth, settings.max_shots_per_aim_point)
    shots[np.ix_(np.arange(nb), types, cols)] = alloc.shots[inverse]
    surv[:, cols] = alloc.survival[inverse]
    return shots, surv, alloc.gap


def exchange_batch(
    att: SideArrays,
    dfn: SideArrays,
    settings: ExchangeSettings,
    m_att: Multipliers,
    m_dfn: Multipliers,
) -> BatchFlows:
    """Run one exchange direction for every draw in the multipliers.

    Parameters
    ----------
    att, dfn
        Attacker and defender compiled by :func:`~detente.engine.sides.side_arrays`.
    settings
        Exchange doctrine (reserve, shots per aim point, allocator, warning shares).
    m_att, m_dfn
        Per-draw multipliers of each side; both of the same size ``B``.

    Returns
    -------
    BatchFlows
        Per-draw, per-system flows and the damage on each side.
    """
    nb = m_att.size
    n_t = len(dfn.target_ids)
    n_sd = dfn.n_systems
    n_j = n_t + n_sd  # target classes, then one "found in the field" class per system

    # --- attacker weapons -------------------------------------------------------------
    w_att = att.launchers * att.load * m_att.launchers[:, None] * m_att.load[:, None]
    ready = w_att * att.alert
    urgent = (att.flight_time_min <= settings.time_urgent_max_min) | att.torpedo
    urgent = urgent | (
        att.conventional & (att.flight_time_min <= settings.conventional_time_limit_min)
    )
    reserve = np.where(att.conventional, 0.0, settings.reserve_fraction)
    pool = ready * (1.0 - reserve)[None, :] * urgent[None, :]
    rel_att = np.minimum(1.0, att.reliability[None, :] * m_att.reliability[:, None])

    # --- defender forces and where they sit -------------------------------------------
    w_dfn = dfn.launchers * dfn.load * m_dfn.launchers[:, None] * m_dfn.load[:, None]
    w_dfn = w_dfn * dfn.nuclear[None, :]
    f = np.broadcast_to(dfn.alert, w_dfn.shape)
    det_mobile = np.minimum(1.0, att.factors.detect_mobile_dispersed * m_att.detection)[:, None]
    det_sea = np.minimum(1.0, att.factors.detect_ssbn_at_sea * m_att.detection)[:, None]
    silo = dfn.basing == BASING_SILO
    sea = dfn.basing == BASING_SEA
    air = dfn.basing == BASING_AIR
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

    hardness = np.concatenate([dfn.hardness_psi, dfn.hardness_psi[dfn.home]])
    standoff = np.concatenate([dfn.standoff_km, dfn.standoff_km[dfn.home]])
    coastal = np.concatenate([dfn.coastal, dfn.coastal[dfn.home]])
    reach = att.range_km[:, None] >= standoff[None, :]
    reach &= ~att.torpedo[:, None] | coastal[None, :]
    reach &= (
        ~att.conventional[:, None] | (hardness <= settings.conventional_max_hardness_psi)[None, :]
    )

    # --- counterforce through the defender's defences ---------------------------------
    intercept_d = dfn.interceptors * m_dfn.interceptors[:, None]
    covers_j = np.concatenate([dfn.layer_defends, dfn.layer_defends[:, dfn.home]], axis=1)  # (L, J)
    # The defender plans against the salvo it can expect: the weapons of each delivery it
    # can engage, but no more than the shots its defended aim points worth striking can
    # draw. What it spends is counted after the allocation, on the shots actually fired.
    salvo = _engaged_salvo(dfn, att.delivery, pool)
    worth_aims = np.where(worth > 0, aim, 0.0) @ covers_j.T.astype(np.float64)  # (B, L)
    salvo = np.minimum(salvo, settings.max_shots_per_aim_point * worth_aims)
    layer_active = np.asarray(covers_j.any(axis=1), dtype=np.float64).reshape(1, -1)
    dfn_tables = layer_tables(dfn, m_dfn)
    pen_l, per_cf = _layer_penetration(
        dfn, dfn_tables, att.delivery, att.evasion, salvo, intercept_d, layer_active
    )
    # pen through every layer covering class j: (B, I, J)
    if pen_l.shape[1]:
        log_pen = np.log(np.maximum(pen_l, 1e-300))  # (B, L, I)
        pen = np.exp(np.einsum("bli,lj->bij", log_pen, covers_j.astype(np.float64)))
    else:
        pen = np.ones((nb, att.n_systems, n_j))
    kill = _sspk_matrix(att, m_att, hardness, settings.conventional_lethal_radius_m)
    kill = kill * reach[None, :, :] * rel_att[:, :, None] * pen

    # Conventional precision strike goes first, on what it can reach; nuclear weapons
    # follow on the value left standing (Moscow's concern is exactly such a
    # conventional first wave). Each wave has its own shot limit per aim point.
    conv = att.conventional[None, :]
    shots_c, surv_c, gap_c = _allocate(kill, np.where(conv, pool, 0.0), aim, worth, settings)
    shots_n, surv_n, gap_n = _allocate(
        kill, np.where(conv, 0.0, pool), aim, worth * surv_c, settings
    )
    shots = shots_c + shots_n
    surv = surv_c * surv_n
    gap = max(gap_c, gap_n)
    if dfn.layer_ids:
        engages = (dfn.layer_pk[:, att.delivery] > 0).astype(np.float64)  # (L, I)
        fired = np.einsum("bij,li,lj->bl", shots, engages, covers_j.astype(np.float64))
        spent = _spent(fired, intercept_d, per_cf, layer_active)
    else:
        spent = np.zeros_like(intercept_d)

    # --- warning, launch on warning, bomber escape ------------------------------------
    lead = att.flight_time_min * _warning_factor(att, dfn, settings)
    used = shots > 1e-9
    warn = np.where(used, lead[None, :, None], np.inf).min(axis=1, initial=np.inf)  # (B, J)
    warn_home = warn[:, dfn.home]  # (B, S_d)
    low_ok = dfn.low_enabled & (warn_home >= dfn.decision_time_min) & np.isfinite(warn_home)
    launched = np.where(silo[None, :] & low_ok, dfn.low_fraction * f * w_dfn, 0.0)
    caught = air[None, :] & (warn_home < settings.bomber_escape_min)

    kill_home = 1.0 - surv[:, dfn.home]
    kill_found = 1.0 - surv[:, n_t + sys_idx]
    destroyed = np.where(
        silo[None, :], (w_dfn - launched) * kill_home, (1.0 - f) * w_dfn * kill_home
    )
    # SSBNs found at sea are lost to anti-submarine forces (kill if found = 1, no warheads)
    destroyed += np.where(sea[None, :], f * w_dfn * share_destroyed_hidden(det_sea, 1.0), 0.0)
    destroyed += np.where(caught, f * w_dfn * kill_home, 0.0)
    destroyed += found * kill_found
    survived = w_dfn - destroyed

    # --- retaliation on the attacker's value ------------------------------------------
    intercept_a = att.interceptors * m_att.interceptors[:, None]
    if att.value_index >= 0:
        v = att.value_index
        can_reach = (dfn.range_km >= att.standoff_km[v]) & (~dfn.torpedo | att.coastal[v])
    else:
        can_reach = np.zeros(n_sd, dtype=bool)
    execute = dfn.execution_probability * (1.0 - dfn.factors.cyber_c2_degradation)
    rel_dfn = np.minimum(1.0, dfn.reliability[None, :] * m_dfn.reliability[:, None])
    withheld = survived * ~can_reach[None, :]
    pool_ret = survived - withheld
    failed_c2 = pool_ret * (1.0 - execute)
    launched_ret = pool_ret * execute
    failed_rel = launched_ret * (1.0 - rel_dfn)
    flying = launched_ret * rel_dfn
    max_pp = settings.max_shots_per_aim_point
    att_tables = layer_tables(att, m_att)
    intercepted, arrived, damage_att = _strike_on_value(
        dfn, m_dfn, att, att_tables, flying, intercept_a, max_pp
    )
    potential_flying = w_dfn * can_reach[None, :] * execute * rel_dfn
    _, potential_arrived, _ = _strike_on_value(
        dfn, m_dfn, att, att_tables, potential_flying, intercept_a, max_pp, with_damage=False
    )

    # --- the attacker's later strike on the defender's value --------------------------
    cf_used = shots.sum(axis=2)
    cf_pen = np.where(cf_used > 0, (shots * pen).sum(axis=2) / np.maximum(cf_used, 1e-12), 1.0)
    cf_failed = cf_used * (1.0 - rel_att)
    cf_intercepted = cf_used * rel_att * (1.0 - cf_pen)
    cf_arrived = cf_used * rel_att * cf_pen
    if dfn.value_index >= 0:
        v = dfn.value_index
        later_ok = (
            att.nuclear & (att.range_km >= dfn.standoff_km[v]) & (~att.torpedo | dfn.coastal[v])
        )
    else:
        later_ok = np.zeros(att.n_systems, dtype=bool)
    remaining_w = w_att - cf_used
    later = remaining_w * later_ok[None, :]
    unused = remaining_w - later
    later_failed = later * (1.0 - rel_att)
    later_flying = later * rel_att
    left_d = np.maximum(intercept_d - spent, 0.0)
    later_intercepted, later_arrived, damage_dfn = _strike_on_value(
        att, m_att, dfn, dfn_tables, later_flying, left_d, max_pp
    )

    return BatchFlows(
        attacker_total=w_att,
        attacker_ready=ready,
        attacker_counterforce=cf_used,
        attacker_cf_failed=cf_failed,
        attacker_cf_intercepted=cf_intercepted,
        attacker_cf_arrived=cf_arrived,
        attacker_later=later,
        attacker_later_failed=later_failed,
        attacker_later_intercepted=later_intercepted,
        attacker_later_arrived=later_arrived,
        attacker_unused=unused,
        defender_total=w_dfn,
        defender_destroyed=destroyed,
        defender_launched_on_warning=launched,
        defender_survived=survived,
        defender_withheld=withheld,
        defender_failed_c2=failed_c2,
        defender_failed_reliability=failed_rel,
        defender_intercepted=intercepted,
        defender_arrived=arrived,
        damage_to_attacker=damage_att,
        damage_to_defender=damage_dfn,
        retaliation_potential=potential_arrived.sum(axis=1),
        warning_min=np.where(np.isfinite(warn_home) & silo[None, :], warn_home, np.inf).min(
            axis=1, initial=np.inf
        )
        if n_sd
        else np.full(nb, np.inf),
        gap=gap,
    )

"""Step 2 of the exchange: the counterforce strike, allocated through the victim's defences.

Conventional precision strike goes first, as a wave of its own, on what it can
reach; the nuclear wave follows against the warheads still standing. Each wave
is a weapon-target allocation over classes of identical aim points
(:mod:`detente.engine.allocation.classes`) that maximises the victim's
warheads destroyed, with at most ``max_shots_per_aim_point`` weapons per aim
point. Interceptors are spent on the shots actually fired.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.allocation.classes import allocate_classes
from detente.engine.defense import (
    LayerTables,
    engaged_salvo,
    interceptors_spent,
    layer_penetration,
    row_sums,
)
from detente.engine.params import Multipliers
from detente.engine.rows import distinct_rows
from detente.engine.sides import SideArrays
from detente.engine.targets import TargetGrid
from detente.engine.weapons import Weapons, sspk_matrix, warhead_types
from detente.model.scenario import ExchangeSettings

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Counterforce:
    """What the counterforce strike fired and what it left standing."""

    shots: FloatArray
    """(B, I, J) weapons of system i fired at class j (both waves)."""
    fired_by_type: FloatArray
    """(B, I, T) weapons of system i fired, by warhead type (the side's load tables)."""
    survival: FloatArray
    """(B, J) expected surviving share of class j's aim points."""
    penetration: FloatArray
    """(B, I, J) chance a weapon of type i passes every layer covering class j."""
    interceptors_left: FloatArray
    """(B, L) the victim's interceptors left after the strike."""
    gap: float
    """Worst proven optimality gap of the two waves (0 for the greedy allocator)."""


@dataclass(frozen=True)
class CounterforceFlows:
    """The attacker's counterforce warheads per draw and system, by fate."""

    used: FloatArray
    failed: FloatArray
    intercepted: FloatArray
    arrived: FloatArray


def reach(att: SideArrays, grid: TargetGrid, settings: ExchangeSettings) -> BoolArray:
    """(I, J) whether weapon type i can strike class j at all.

    Range must cover the class's stand-off distance; torpedoes reach only
    coastal classes; conventional weapons only classes no harder than
    ``conventional_max_hardness_psi``.
    """
    ok = att.range_km[:, None] >= grid.standoff_km[None, :]
    ok &= ~att.torpedo[:, None] | grid.coastal[None, :]
    soft = grid.hardness_psi <= settings.conventional_max_hardness_psi
    ok &= ~att.conventional[:, None] | soft[None, :]
    return np.asarray(ok, dtype=bool)


def _penetration(
    att: SideArrays,
    dfn: SideArrays,
    tables: LayerTables,
    pool: FloatArray,
    grid: TargetGrid,
    interceptors: FloatArray,
    max_shots: IntArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Penetration (B, I, J) of each weapon type to each class, per-engagement cost and covers.

    The victim plans against the salvo it can expect: the weapons of each
    delivery it can engage that the strike may spend, but no more than the
    shots its defended aim points worth striking can draw.
    """
    nb = pool.shape[0]
    covers_j = dfn.layer_defends[:, grid.classes]
    salvo = engaged_salvo(dfn, att.delivery, pool)
    worth_aims = row_sums(np.where(grid.worth > 0, grid.aim, 0.0), covers_j)
    salvo = np.minimum(salvo, max_shots[:, None] * worth_aims)
    active = np.asarray(covers_j.any(axis=1), dtype=np.float64).reshape(1, -1)
    pen_l, per = layer_penetration(
        dfn, tables, att.delivery, att.evasion, salvo, interceptors, active
    )
    pen = np.ones((nb, att.n_systems, grid.aim.shape[1]))
    if pen_l.shape[1]:
        log_pen = np.log(np.maximum(pen_l, 1e-300))  # (B, L, I)
        # classes covered by the same layers share a column: each distinct cover once,
        # its layers added in order (explicit, so chunking cannot change it)
        patterns, which = np.unique(covers_j.T, axis=0, return_inverse=True)
        for k, pattern in enumerate(patterns):
            total = np.zeros((nb, att.n_systems))
            for layer in np.flatnonzero(pattern):
                total += log_pen[:, layer, :]
            pen[:, :, np.asarray(which).reshape(-1) == k] = np.exp(total)[:, :, None]
    return pen, per, covers_j.astype(np.float64)


def allocate_wave(
    kill: FloatArray,
    pool: FloatArray,
    aim: FloatArray,
    worth: FloatArray,
    settings: ExchangeSettings,
    max_shots: IntArray,
    common_mode: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, float]:
    """One allocation wave: (shots (B, I, J), survival (B, J), proven gap).

    Only classes worth striking in some row and weapons that reach one of them
    enter the solver; rows whose inputs coincide (e.g. a build-up that only
    changes the attacker's defences) are solved once. ``common_mode`` (B, I) is
    each type's chance that its salvo on one aim point fails together;
    ``settings.fratricide_loss`` degrades every shot after the first.
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
    key = [a.reshape(nb, -1) for a in sub] + [max_shots[:, None].astype(np.float64)]
    common = None
    if common_mode is not None and np.any(common_mode[:, types] > 0.0):
        common = np.ascontiguousarray(common_mode[:, types])
        key.append(common)
    first, inverse = distinct_rows(np.concatenate(key, axis=1))
    u_kill, u_pool, u_aim, u_worth = (a[first] for a in sub)
    alloc = allocate_classes(
        settings.allocator,
        u_kill,
        u_pool,
        u_aim,
        u_worth,
        max_shots[first],
        fratricide=settings.fratricide_loss,
        common_mode=None if common is None else common[first],
    )
    shots[np.ix_(np.arange(nb), types, cols)] = alloc.shots[inverse]
    surv[:, cols] = alloc.survival[inverse]
    return shots, surv, alloc.gap


def lethality(
    att: SideArrays,
    grid: TargetGrid,
    weapons: Weapons,
    settings: ExchangeSettings,
    m_att: Multipliers,
) -> FloatArray:
    """(B, X, J) chance one launched warhead of type x kills an aim point of column j,
    before defences: reliability x SSPK where its system can reach, else 0."""
    types = warhead_types(att)
    kill = sspk_matrix(
        att, m_att, grid.hardness_drawn, settings.conventional_lethal_radius_m, types
    )
    owner = types.system
    return np.asarray(
        kill * reach(att, grid, settings)[owner][None, :, :] * weapons.reliability[:, owner, None]
    )


def counterforce_strike(
    att: SideArrays,
    dfn: SideArrays,
    weapons: Weapons,
    grid: TargetGrid,
    tables: LayerTables,
    lethal: FloatArray,
    settings: ExchangeSettings,
    m_dfn: Multipliers,
    plan: tuple[FloatArray, IntArray],
) -> Counterforce:
    """The conventional wave, then the nuclear wave, through the victim's defences.

    ``plan`` gives each row its strike: the share of each ready nuclear system
    committed to counterforce and the most warheads per aim point. The
    conventional wave commits all it has. The allocation works on warhead types
    (``lethal``, from :func:`lethality`); a committed system's warheads are split
    over its types by their shares.

    References
    ----------
    den Broeder, G. G., Ellison, R. E. & Emerling, L. (1959). On optimum target
    assignments. *Operations Research* 7(3), 322-326 (maximum marginal return).
    Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (counterforce first strike
    against the opponent's retaliatory forces; the striker's stop rule).
    """
    share, max_shots = plan
    types = warhead_types(att)
    interceptors = dfn.interceptors * m_dfn.interceptors
    conv = att.conventional[None, :]
    committed = np.where(conv, weapons.pool, weapons.pool * share[:, None])
    pen, per, covers_j = _penetration(att, dfn, tables, committed, grid, interceptors, max_shots)
    kill = lethal * (pen if types.single else pen[:, types.system])
    conv_t = conv if types.single else conv[:, types.system]
    committed_t = types.split(committed)
    common = None
    if settings.common_mode_share > 0.0:
        common = settings.common_mode_share * (1.0 - weapons.reliability[:, types.system])
    shots_c, surv_c, gap_c = allocate_wave(
        kill, np.where(conv_t, committed_t, 0.0), grid.aim, grid.worth, settings, max_shots, common
    )
    shots_n, surv_n, gap_n = allocate_wave(
        kill,
        np.where(conv_t, 0.0, committed_t),
        grid.aim,
        grid.worth * surv_c,
        settings,
        max_shots,
        common,
    )
    shots_t = shots_c + shots_n
    shots = types.per_system(shots_t, att.n_systems)
    if dfn.layer_ids:
        active = np.asarray(covers_j.any(axis=1), dtype=np.float64).reshape(1, -1)
        engages = (dfn.layer_pk[:, att.delivery] > 0).astype(np.float64)  # (L, I)
        fired = np.stack(
            [
                (shots * (engages[layer][:, None] * covers_j[layer][None, :])).sum(axis=(1, 2))
                for layer in range(len(dfn.layer_ids))
            ],
            axis=1,
        )
        spent = interceptors_spent(fired, interceptors, per, active)
    else:
        spent = np.zeros_like(interceptors)
    return Counterforce(
        shots=shots,
        fired_by_type=types.per_slot(shots_t.sum(axis=2), att),
        survival=surv_c * surv_n,
        penetration=pen,
        interceptors_left=np.maximum(interceptors - spent, 0.0),
        gap=max(gap_c, gap_n),
    )


def counterforce_flows(cf: Counterforce, weapons: Weapons) -> CounterforceFlows:
    """The attacker's counterforce warheads by fate: failed, intercepted, arrived."""
    used = cf.shots.sum(axis=2)
    mean_pen = np.where(
        used > 0, (cf.shots * cf.penetration).sum(axis=2) / np.maximum(used, 1e-12), 1.0
    )
    rel = weapons.reliability
    return CounterforceFlows(
        used=used,
        failed=used * (1.0 - rel),
        intercepted=used * rel * (1.0 - mean_pen),
        arrived=used * rel * mean_pen,
    )

"""Coalition exchanges: several sides striking one together, one side striking several.

Two cases beyond the bilateral exchange of :mod:`detente.engine.exchange`:

- **many strike one** (:func:`many_strike_one`): the strikers' ready weapons are
  allocated jointly against the victim's aim points (one allocation over the
  weapon types of all of them, :mod:`detente.engine.merge`), under one plan (the
  share of each ready system committed and the most warheads per aim point); the
  victim's warning and launch on warning follow the joint strike; its survivors
  answer, split between the strikers so that each suffers the same share of its
  value destroyed as far as the weapons' reach allows (:func:`split_on_value`);
  the strikers' later strike falls on the victim's value together.
- **one strikes many** (:func:`one_strikes_many`): the striker's ready weapons are
  allocated jointly against the aim points of all its victims; each victim
  sees the part of the strike aimed at it and launches on its own warning; the
  victims' answers fall on the striker's value together, through its defences;
  the striker's later strike is split between the victims as above.

Every plan is evaluated for every row; :func:`choose_plans` keeps the one the
strikers prefer: the least cost to the most reluctant striker (a coalition goes
first only if each member would), ties broken by the most cost to the victims.
Nothing is held back for a third party: every side takes part.

References
----------
Kent, G. A. & Thaler, D. E. (1989). RAND R-3765-AF (the striker's stop rule, the
cost of an outcome), extended here to camps of several sides.
"Mathematical Models of a Three-Nation Arms Race", *Journal of Conflict
Resolution* 24(2), 1980 (each party's fear that the other two act together).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.engine.counterforce import (
    Counterforce,
    counterforce_strike,
    lethality,
)
from detente.engine.defense import LayerTables, layer_tables
from detente.engine.merge import Layout, layout, merge_sides, uniform_groups
from detente.engine.params import Multipliers
from detente.engine.plans import StrikePlans, strike_plans
from detente.engine.reserve import mix_left, reserve_strike
from detente.engine.retaliation import can_reach_value
from detente.engine.rows import distinct_rows
from detente.engine.sides import SideArrays
from detente.engine.targets import TargetGrid, victim_targets
from detente.engine.value import lethal_area_km2, strike_on_value
from detente.engine.warning import Losses, launch_on_warning
from detente.engine.weapons import ready_weapons
from detente.errors import InvalidArgumentError
from detente.model.scenario import ExchangeSettings

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Party = tuple[SideArrays, Multipliers]
Cost = Callable[[FloatArray, FloatArray], FloatArray]
TIE = 1e-12
SPLIT_STEPS = 24
"""Halvings of the split between two targets: the share is within 2**-24 (6e-8) of the
equal-damage split."""
CELL_BUDGET = 2_000_000


@dataclass(frozen=True)
class CoalitionFlows:
    """One coalition case, per row: what each party suffers and keeps.

    ``damage`` and ``potential`` have one (B,) array per party; ``total``,
    ``left`` and the victims' flows one (B, S) array per party (its own systems).
    """

    strikers: tuple[str, ...]
    victims: tuple[str, ...]
    damage: dict[str, FloatArray]
    """Share of each party's value destroyed (strikers: by the answer; victims: by the
    strikers' later strike)."""
    potential: dict[str, FloatArray]
    """For each striker, the damage the victims' whole forces would do to its value had
    the first strike destroyed nothing."""
    total: dict[str, FloatArray]
    left: dict[str, FloatArray]
    """Warheads each party still has after the case: the strikers' unfired warheads, the
    victims' survivors that could not reach a striker."""
    destroyed: dict[str, FloatArray]
    ready: dict[str, FloatArray]
    ready_destroyed: dict[str, FloatArray]
    launched_on_warning: dict[str, FloatArray]
    strike_share: FloatArray
    strike_shots: FloatArray
    gap: float

    _PER_PARTY = (
        "damage",
        "potential",
        "total",
        "left",
        "destroyed",
        "ready",
        "ready_destroyed",
        "launched_on_warning",
    )

    @property
    def size(self) -> int:
        """Rows."""
        return int(self.strike_share.shape[0])

    def take(self, rows: IntArray) -> CoalitionFlows:
        """The given rows."""
        per = {f: {k: v[rows] for k, v in getattr(self, f).items()} for f in self._PER_PARTY}
        return CoalitionFlows(
            self.strikers,
            self.victims,
            **per,
            strike_share=self.strike_share[rows],
            strike_shots=self.strike_shots[rows],
            gap=self.gap,
        )

    @classmethod
    def concat(cls, parts: Sequence[CoalitionFlows]) -> CoalitionFlows:
        """Rows of several batches, in order."""
        if len(parts) == 1:
            return parts[0]
        first = parts[0]
        per = {
            f: {k: np.concatenate([getattr(p, f)[k] for p in parts]) for k in getattr(first, f)}
            for f in cls._PER_PARTY
        }
        return cls(
            first.strikers,
            first.victims,
            **per,
            strike_share=np.concatenate([p.strike_share for p in parts]),
            strike_shots=np.concatenate([p.strike_shots for p in parts]),
            gap=max(p.gap for p in parts),
        )


@dataclass(frozen=True)
class Target:
    """A side struck on its value: its arrays, multipliers, layer tables and interceptors."""

    side: SideArrays
    mult: Multipliers
    tables: LayerTables
    interceptors: FloatArray

    @classmethod
    def of(cls, side: SideArrays, mult: Multipliers) -> Target:
        """A target with all its interceptors."""
        return cls(side, mult, layer_tables(side, mult), side.interceptors * mult.interceptors)

    def take(self, rows: IntArray) -> Target:
        """The given rows."""
        return Target(
            self.side.take(rows),
            self.mult.take(rows),
            LayerTables(self.tables.leak[rows], self.tables.per[rows]),
            self.interceptors[rows],
        )


@dataclass(frozen=True)
class OnValue:
    """Warheads flying at several targets' value: per target, (B, S) and (B,)."""

    intercepted: list[FloatArray]
    arrived: list[FloatArray]
    damage: list[FloatArray]


def split_on_value(
    shooter: SideArrays,
    m_shooter: Multipliers,
    flying: FloatArray,
    targets: Sequence[Target],
    mix: FloatArray | None = None,
) -> OnValue:
    """Warheads ``flying`` (B, S) at the value of one or two targets, split between them.

    A system that reaches one target's value only flies at that one; the systems that
    reach both are split in the same share, the one that leaves both targets with the
    same share of value destroyed (or all to one target if even that leaves it the
    less damaged). Damage rises with the share sent, so the split is found by bisection.
    ``mix`` (B, S, T) is the share of each warhead type flying (default: the loads).
    """
    if not 1 <= len(targets) <= 2:
        raise ValueError(
            f"a strike on value is split between one or two targets, not {len(targets)}"
        )
    reach = [can_reach_value(shooter, t.side).astype(np.float64) for t in targets]
    areas = [
        lethal_area_km2(shooter, m_shooter, float(t.side.hardness_psi[t.side.value_index]), mix)
        if t.side.value_index >= 0
        else None
        for t in targets
    ]

    def at(k: int, share: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        t = targets[k]
        only = reach[k] * (1.0 - reach[1 - k]) if len(targets) == 2 else reach[k]
        both = reach[k] * reach[1 - k] if len(targets) == 2 else np.zeros_like(reach[k])
        part = flying * (only[None, :] + both[None, :] * share[:, None])
        return strike_on_value(
            shooter,
            m_shooter,
            t.side,
            t.mult,
            t.tables,
            part,
            t.interceptors,
            area_per_warhead=areas[k],
        )

    nb = flying.shape[0]
    if len(targets) == 1:
        out = at(0, np.ones(nb))
        return OnValue([out[0]], [out[1]], [out[2]])
    lo, hi = np.zeros(nb), np.ones(nb)
    for _ in range(SPLIT_STEPS):
        mid = 0.5 * (lo + hi)
        more_to_first = at(0, mid)[2] < at(1, 1.0 - mid)[2]
        lo = np.where(more_to_first, mid, lo)
        hi = np.where(more_to_first, hi, mid)
    share = 0.5 * (lo + hi)
    first, second = at(0, share), at(1, 1.0 - share)
    return OnValue([first[0], second[0]], [first[1], second[1]], [first[2], second[2]])


def _answer(
    shooter: SideArrays,
    m_shooter: Multipliers,
    survived: FloatArray,
    targets: Sequence[Target],
) -> tuple[OnValue, FloatArray]:
    """A victim's answer with ``survived`` (B, S) on the strikers' value: (the strike on
    value, the survivors withheld because they reach no striker). With all its warheads
    as ``survived``, the answer had the first strike destroyed nothing."""
    reach = np.zeros(shooter.n_systems, dtype=bool)
    for t in targets:
        reach |= can_reach_value(shooter, t.side)
    execute = shooter.execution_probability * (1.0 - shooter.factors.cyber_c2_degradation)
    rel = np.minimum(1.0, shooter.reliability[None, :] * m_shooter.reliability)
    withheld = survived * ~reach[None, :]
    flying = (survived - withheld) * execute * rel
    return split_on_value(shooter, m_shooter, flying, targets), withheld


def _plan_rows(nb: int, plans: StrikePlans) -> tuple[IntArray, tuple[FloatArray, IntArray]]:
    rows = np.repeat(np.arange(nb), plans.size)
    return rows, plans.for_rows(nb)


def many_strike_one(
    strikers: Sequence[Party], victim: Party, settings: ExchangeSettings, plans: StrikePlans
) -> CoalitionFlows:
    """Every plan of every row of ``strikers`` striking ``victim`` together (rows x plans).

    The strikers' multipliers must be uniform per folded field (see
    :func:`detente.engine.merge.merge_sides`); :func:`coalition_chunks` groups rows so.
    """
    v, m_v = victim
    nb = m_v.size
    merged = merge_sides(strikers, "+".join(s.actor for s, _ in strikers))
    ones = Multipliers.ones(nb)
    weapons = ready_weapons(merged, ones, settings)
    grid = victim_targets(merged, v, ones, m_v)
    lethal = lethality(merged, grid, weapons, settings, ones)
    targets = [Target.of(s, m) for s, m in strikers]
    potential, _ = _answer(v, m_v, grid.warheads, targets)  # the plan changes nothing here
    rows, plan = _plan_rows(nb, plans)
    merged_r, v_r, ones_r, m_v_r = merged.take(rows), v.take(rows), ones.take(rows), m_v.take(rows)
    weapons, grid, lethal = weapons.take(rows), grid.take(rows), lethal[rows]
    v_tables = layer_tables(v_r, m_v_r)
    cf = counterforce_strike(merged_r, v_r, weapons, grid, v_tables, lethal, settings, m_v_r, plan)
    losses = launch_on_warning(merged_r, v_r, grid, cf, settings, ones_r, m_v_r)
    answer, withheld = _answer(v_r, m_v_r, losses.survived, [t.take(rows) for t in targets])
    later = reserve_strike(merged_r, v_r, weapons, cf, v_tables, settings, ones_r, m_v_r)
    d_victim = later.damage
    lay = layout([s for s, _ in strikers])
    left = later.unused
    names = lay.actors
    return CoalitionFlows(
        strikers=names,
        victims=(v.actor,),
        damage={**{a: answer.damage[k] for k, a in enumerate(names)}, v.actor: d_victim},
        potential={a: potential.damage[k][rows] for k, a in enumerate(names)},
        total={
            **{a: weapons.total[:, lay.systems[k]] for k, a in enumerate(names)},
            v.actor: grid.warheads,
        },
        left={**{a: left[:, lay.systems[k]] for k, a in enumerate(names)}, v.actor: withheld},
        destroyed={v.actor: losses.destroyed},
        ready={v.actor: grid.alert * grid.warheads},
        ready_destroyed={v.actor: losses.destroyed_ready},
        launched_on_warning={v.actor: losses.launched_on_warning},
        strike_share=plan[0],
        strike_shots=plan[1].astype(np.float64),
        gap=cf.gap,
    )


def _columns(whole: TargetGrid, own: TargetGrid, systems: slice, targets: slice) -> IntArray:
    """Columns of the merged grid ``whole`` in the order of one victim's own grid ``own``."""
    n_t = targets.stop - targets.start
    cols = list(range(targets.start, targets.stop))
    found = own.found_column
    order = np.argsort(np.where(found >= 0, found, np.iinfo(np.int64).max), kind="stable")
    for s in order[: int(np.count_nonzero(found >= 0))]:
        cols.append(int(whole.found_column[systems.start + s]))
    assert len(cols) == n_t + int(np.count_nonzero(found >= 0))
    return np.asarray(cols, dtype=np.int64)


def _victim_part(cf: Counterforce, cols: IntArray, layers: slice) -> Counterforce:
    """The part of a joint strike aimed at one victim (its columns and layers)."""
    shots = cf.shots[:, :, cols]
    fired, all_fired = shots.sum(axis=2), cf.shots.sum(axis=2)
    share = np.where(all_fired > 0, fired / np.where(all_fired > 0, all_fired, 1.0), 0.0)
    return Counterforce(
        shots=shots,
        fired_by_type=cf.fired_by_type * share[:, :, None],
        survival=cf.survival[:, cols],
        penetration=cf.penetration[:, :, cols],
        interceptors_left=cf.interceptors_left[:, layers],
        gap=cf.gap,
    )


def one_strikes_many(
    striker: Party, victims: Sequence[Party], settings: ExchangeSettings, plans: StrikePlans
) -> CoalitionFlows:
    """Every plan of every row of ``striker`` striking all of ``victims`` at once."""
    a, m_a = striker
    nb = m_a.size
    merged = merge_sides(victims, "+".join(s.actor for s, _ in victims))
    ones = Multipliers.ones(nb)
    weapons = ready_weapons(a, m_a, settings)
    grid = victim_targets(a, merged, m_a, ones)
    own = [victim_targets(a, s, m_a, m) for s, m in victims]
    lethal = lethality(a, grid, weapons, settings, m_a)
    rows, plan = _plan_rows(nb, plans)
    a_r, m_a_r, merged_r, ones_r = a.take(rows), m_a.take(rows), merged.take(rows), ones.take(rows)
    weapons, grid, lethal = weapons.take(rows), grid.take(rows), lethal[rows]
    tables = layer_tables(merged_r, ones_r)
    cf = counterforce_strike(a_r, merged_r, weapons, grid, tables, lethal, settings, ones_r, plan)
    lay = layout([s for s, _ in victims])
    grids, losses = _warnings(a_r, m_a_r, victims, own, grid, cf, lay, rows, settings)
    shooters = [(s.take(rows), m.take(rows)) for s, m in victims]
    target = Target.of(a, m_a).take(rows)
    d_striker, p_striker, withheld = _joint_answer(shooters, grids, losses, target)
    fired = cf.shots.sum(axis=2)
    remaining = weapons.total - fired - weapons.held
    reach = np.zeros(a.n_systems, dtype=bool)
    for s, _ in victims:
        reach |= can_reach_value(a, s)
    later = remaining * (a.nuclear & reach)[None, :]
    targets = [
        Target(
            s.take(rows),
            m.take(rows),
            layer_tables(s.take(rows), m.take(rows)),
            cf.interceptors_left[:, lay.layers[k]],
        )
        for k, (s, m) in enumerate(victims)
    ]
    on_value = split_on_value(
        a_r, m_a_r, later * weapons.reliability, targets, mix_left(a_r, weapons, cf)
    )
    names = lay.actors
    return CoalitionFlows(
        strikers=(a.actor,),
        victims=names,
        damage={a.actor: d_striker, **{v: on_value.damage[k] for k, v in enumerate(names)}},
        potential={a.actor: p_striker},
        total={a.actor: weapons.total, **{v: grids[k].warheads for k, v in enumerate(names)}},
        left={a.actor: weapons.total - fired - later, **dict(zip(names, withheld, strict=True))},
        destroyed={v: losses[k].destroyed for k, v in enumerate(names)},
        ready={v: grids[k].alert * grids[k].warheads for k, v in enumerate(names)},
        ready_destroyed={v: losses[k].destroyed_ready for k, v in enumerate(names)},
        launched_on_warning={v: losses[k].launched_on_warning for k, v in enumerate(names)},
        strike_share=plan[0],
        strike_shots=plan[1].astype(np.float64),
        gap=cf.gap,
    )


def _warnings(
    striker: SideArrays,
    m_striker: Multipliers,
    victims: Sequence[Party],
    own: Sequence[TargetGrid],
    grid: TargetGrid,
    cf: Counterforce,
    lay: Layout,
    rows: IntArray,
    settings: ExchangeSettings,
) -> tuple[list[TargetGrid], list[Losses]]:
    """Each victim's own grid and losses: it sees the part of the joint strike aimed at it."""
    grids: list[TargetGrid] = []
    losses: list[Losses] = []
    for k, (s, m) in enumerate(victims):
        g = own[k].take(rows)
        cols = _columns(grid, own[k], lay.systems[k], lay.targets[k])
        part = _victim_part(cf, cols, lay.layers[k])
        losses.append(
            launch_on_warning(striker, s.take(rows), g, part, settings, m_striker, m.take(rows))
        )
        grids.append(g)
    return grids, losses


def _joint_answer(
    shooters: Sequence[Party], grids: Sequence[TargetGrid], losses: Sequence[Losses], target: Target
) -> tuple[FloatArray, FloatArray, list[FloatArray]]:
    """Several victims answer one striker together: (damage, damage had nothing been
    destroyed, each victim's withheld survivors). Their warheads meet the striker's
    defences as one salvo."""
    flying, potential, withheld = [], [], []
    for (s, m), g, lost in zip(shooters, grids, losses, strict=True):
        reach = can_reach_value(s, target.side)
        execute = s.execution_probability * (1.0 - s.factors.cyber_c2_degradation)
        rel = np.minimum(1.0, s.reliability[None, :] * m.reliability)
        held = lost.survived * ~reach[None, :]
        withheld.append(held)
        flying.append((lost.survived - held) * execute * rel)
        potential.append(g.warheads * reach[None, :] * execute * rel)
    merged = merge_sides(shooters, "+".join(s.actor for s, _ in shooters))
    ones = Multipliers.ones(target.mult.size)
    both = np.concatenate(flying, axis=1)
    _, _, damage = strike_on_value(
        merged, ones, target.side, target.mult, target.tables, both, target.interceptors
    )
    all_out = np.concatenate(potential, axis=1)
    _, _, full = strike_on_value(
        merged, ones, target.side, target.mult, target.tables, all_out, target.interceptors
    )
    return damage, full, withheld


def choose_plans(flows: CoalitionFlows, plans: int, cost: Cost) -> CoalitionFlows:
    """For each row, the plan whose cost to the most reluctant striker is least (ties: the
    most cost to the victims); one row per row."""
    n = flows.size // plans

    def camp_cost(mine: tuple[str, ...], theirs: tuple[str, ...]) -> FloatArray:
        other = np.min(np.stack([flows.damage[t] for t in theirs]), axis=0)
        worst = np.max(np.stack([cost(flows.damage[p], other) for p in mine]), axis=0)
        return np.asarray(worst, dtype=np.float64)

    own = camp_cost(flows.strikers, flows.victims).reshape(n, plans)
    victims = camp_cost(flows.victims, flows.strikers).reshape(n, plans)
    best = own.min(axis=1, keepdims=True)
    pick = np.where(own <= best + TIE, victims, -np.inf).argmax(axis=1)
    return flows.take(np.arange(n) * plans + pick)


def coalition_chunks(
    strikers: Sequence[Party],
    victims: Sequence[Party],
    settings: ExchangeSettings,
    cost: Cost,
    plans: StrikePlans | None = None,
) -> CoalitionFlows:
    """A coalition case for every row, each row's strikers taking the plan they prefer.

    ``strikers`` strike ``victims``: two strike one or one strikes two. A camp of two
    or more striking a camp of two or more (``a+b|c+d``), and a camp of three or more
    on either side, are refused (:func:`_check_camps`).
    Rows whose inputs coincide are computed once; the rest are grouped so that each
    side's per-system multipliers are the same within a group, and cut so that no
    call holds more than ``CELL_BUDGET`` cells; results come back in row order and
    do not depend on the grouping.
    """
    _check_camps(strikers, victims)
    _check_multipliers(strikers, victims)
    parties = [*strikers, *victims]
    n = parties[0][1].size
    first, inverse = distinct_rows(_row_inputs(parties, n))
    if first.size < n:
        unique = coalition_chunks(
            [(s.take(first), m.take(first)) for s, m in strikers],
            [(s.take(first), m.take(first)) for s, m in victims],
            settings,
            cost,
            plans,
        )
        return unique.take(inverse)
    plans = plans or strike_plans(settings)
    nb = n
    width = sum(s.n_systems for s, _ in parties) * sum(
        len(s.target_ids) + s.n_systems + 1 for s, _ in parties
    )
    per_chunk = max(1, CELL_BUDGET // max(1, plans.size * width))
    parts: list[CoalitionFlows] = []
    order: list[IntArray] = []
    for group in uniform_groups([m for _, m in parties]):
        for lo in range(0, group.size, per_chunk):
            rows = group[lo : lo + per_chunk]
            take = [(s.take(rows), m.take(rows)) for s, m in parties]
            mine, theirs = take[: len(strikers)], take[len(strikers) :]
            if len(mine) == 1 and len(theirs) > 1:
                batch = one_strikes_many(mine[0], theirs, settings, plans)
            else:
                batch = many_strike_one(mine, theirs[0], settings, plans)
            parts.append(choose_plans(batch, plans.size, cost) if plans.size > 1 else batch)
            order.append(rows)
    flows = CoalitionFlows.concat(parts)
    where = np.empty(nb, dtype=np.int64)
    where[np.concatenate(order)] = np.arange(nb)
    return flows.take(where)


def standing_threat(
    shooter: SideArrays, m_shooter: Multipliers, left: FloatArray, target: Target
) -> FloatArray:
    """(B,) share of ``target``'s value the warheads ``shooter`` has ``left`` (B, S) could
    destroy through its full defences: what a party still standing after an exchange
    holds over another. Reliability and reach apply; C2 is taken to work."""
    rel = np.minimum(1.0, shooter.reliability[None, :] * m_shooter.reliability)
    reach = (shooter.nuclear & can_reach_value(shooter, target.side))[None, :]
    flying = left * reach * rel
    _, _, damage = strike_on_value(
        shooter, m_shooter, target.side, target.mult, target.tables, flying, target.interceptors
    )
    return damage


_NOT_JOINED = ("flight_time", "execution")
"""Multipliers the joint strike and the joint answer do not read (merged sides run with
multipliers of 1, and answers use each member's C2 as compiled)."""


def _check_camps(strikers: Sequence[Party], victims: Sequence[Party]) -> None:
    """Refuse the coalition cases this module does not model: several strikers against
    several victims (there is no joint exchange of two camps: no allocation of merged
    strikers over merged victims, no answer of merged victims split between strikers),
    and more than two parties in a camp (:func:`split_on_value` splits a strike on
    value between one or two targets). Scenarios hold at most three sides, so neither
    arises from one; a four-sided alignment ``a+b|c+d`` would need both."""
    names = ["+".join(s.actor for s, _ in camp) for camp in (strikers, victims)]
    if len(strikers) > 1 and len(victims) > 1:
        raise InvalidArgumentError(
            f"coalition case {names[0]}|{names[1]}: a camp of several sides striking a camp "
            "of several sides is not modelled; a coalition case has one striker or one victim"
        )
    if len(strikers) > 2 or len(victims) > 2:
        raise InvalidArgumentError(
            f"coalition case {names[0]}|{names[1]}: a camp of more than two sides is not "
            "modelled (the strike on value is split between one or two targets)"
        )


def _check_multipliers(strikers: Sequence[Party], victims: Sequence[Party]) -> None:
    """Refuse multipliers a coalition case would not apply, rather than drop them."""
    unused = list(_NOT_JOINED)
    if len(victims) > 1:
        unused += ["hardness", "aim_points"]  # the joint grid of merged victims
    for side, m in [*strikers, *victims]:
        for name in unused:
            if np.any(np.asarray(getattr(m, name)) != 1.0):
                raise InvalidArgumentError(
                    f"coalition cases do not apply the {name!r} multiplier ({side.actor}); "
                    "evaluate them without it, or leave coalitions out of the outcomes"
                )


def _row_inputs(parties: Sequence[Party], n: int) -> FloatArray:
    """(n, K): every per-row input of every party, for finding rows that coincide."""
    cols: list[FloatArray] = []
    for side, m in parties:
        for a in (side.launchers, side.load, side.alert, side.interceptors):
            cols.append(np.broadcast_to(a, (n, a.shape[1])) if a.shape[0] == 1 else a)
        low = side.launch_on_warning.reshape(-1, 1)
        cols.append(np.broadcast_to(low, (n, 1)) if low.shape[0] == 1 else low)
        cols += [np.broadcast_to(getattr(m, f), (n, getattr(m, f).shape[1])) for f in m.names()]
    return np.concatenate(cols, axis=1)


__all__ = [
    "CoalitionFlows",
    "Target",
    "choose_plans",
    "coalition_chunks",
    "many_strike_one",
    "one_strikes_many",
    "split_on_value",
    "standing_threat",
]

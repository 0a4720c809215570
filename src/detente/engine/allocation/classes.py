"""Weapon-target allocation in aggregated form: weapon types x classes of aim points.

An exchange has a few dozen weapon types, each with hundreds of identical
warheads, against a dozen classes of identical aim points (silos, garrisons,
ports, bases). Each class ``j`` has ``n_j`` aim points, each worth ``w_j``
(the retaliatory warheads it houses); a weapon of type ``i`` kills an aim
point with probability ``p_ij``; at most ``S`` weapons go to one aim point.

Two solvers sit behind one signature:

- :func:`allocate_greedy_layers` — maximum marginal return over *layers*: a layer puts
  one more weapon on every aim point of a class, possibly mixing types within
  the layer (a share ``phi_ij`` of the aim points gets type ``i``). Under a
  random matching of types to aim points within each layer the expected
  surviving share is exactly ``prod_layers (1 - sum_i phi_ij p_ij)``. Greedy
  steps are vectorised over the batch axis.
- :func:`allocate_exact_patterns` — an integer programme over *shot patterns*: for
  each class, how many aim points receive each multiset of at most ``S``
  weapon types; objective and constraints are linear in the pattern counts, so
  HiGHS solves the problem exactly (one batch row at a time).

References
----------
den Broeder, G. G., Ellison, R. E. & Emerling, L. (1959). On optimum target
assignments. *Operations Research* 7(3), 322-326 (maximum marginal return).
Manne, A. S. (1958). A target-assignment problem. *Operations Research* 6(3),
346-351 (integer programming form of the allocation).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.engine.allocation.highs import new_highs
from detente.errors import AllocationTooLargeError, SolverError

ClassMethod = Literal["greedy", "exact"]
Shots = int | npt.NDArray[np.int64]
"""Most weapons per aim point: one number, or one per batch row."""
"""How the exchange allocates: greedy layers or the exact pattern MILP."""

MAX_PATTERN_COLUMNS = 200_000
"""Most integer columns the exact pattern MILP builds for one batch row.

A class with ``u`` useful weapon types and at most ``S`` shots per aim point has
``C(u + S, S) - 1`` patterns; beyond this many the programme would take minutes
and gigabytes, so the exact allocator refuses and names the way out."""

MAX_BATCH_PATTERN_COLUMNS = 500_000
"""Most integer columns the exact pattern MILP builds over all the rows of one batch.

Each row is its own programme, built in Python and solved by HiGHS at some tens of
microseconds a column: this bounds one call (one allocation wave of one chunk) to
well under a minute. The Geneva baseline's largest call builds about 91,000; with six
shots per aim point and a chosen strike (61 plans a row) one call would build about
21 million and run for hours, so it is refused."""

EXACT_TIME_LIMIT_S = 30.0
"""Default time limit of the exact pattern MILP per batch row (the gap is reported)."""

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-9


@dataclass(frozen=True)
class Allocation:
    """Result of an aggregated allocation (arrays carry a leading batch axis ``B``)."""

    shots: FloatArray
    """(B, I, J) weapons of type i aimed at class j."""
    survival: FloatArray
    """(B, J) expected surviving share of the aim points of class j."""
    destroyed_value: FloatArray
    """(B,) expected value destroyed, ``sum_j n_j w_j (1 - survival_j)``."""
    gap: float = 0.0
    """Proven relative optimality gap (exact solver); 0 for the fast solver."""


def _check(
    kill: FloatArray, weapons: FloatArray, aim_points: FloatArray, value: FloatArray
) -> None:
    if kill.ndim != 3:
        raise ValueError(f"kill must be (batch, types, classes), got shape {kill.shape}")
    b, i, j = kill.shape
    if weapons.shape != (b, i) or aim_points.shape != (b, j) or value.shape != (b, j):
        raise ValueError(
            f"shapes disagree: kill {kill.shape}, weapons {weapons.shape}, "
            f"aim_points {aim_points.shape}, value {value.shape}"
        )


def allocate_greedy_layers(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: Shots,
    *,
    fratricide: float = 0.0,
    common_mode: FloatArray | None = None,
) -> Allocation:
    """Greedy layered allocation (maximum marginal return), vectorised over the batch.

    Parameters
    ----------
    kill
        (B, I, J) kill probability of one weapon of type i on one aim point of class j.
    weapons
        (B, I) weapons of each type available (may be fractional expectations).
    aim_points
        (B, J) aim points per class (may be fractional).
    value
        (B, J) value of one aim point (e.g. warheads it houses).
    max_shots
        Most weapons aimed at one aim point (one number, or one per row).
    fratricide
        Loss ``f`` in [0, 1]: every layer after the first (the first warhead to
        arrive) kills with ``1 - f`` times its probabilities; the gains see it.
    common_mode
        (B, I) chance ``q_i`` that type i's weapons at one aim point fail together
        (``None`` or 0: independent). Layers are chosen as if failures were
        independent; :func:`common_mode_survival` gives their exact survival.

    Returns
    -------
    Allocation
        Shots, expected survival per class and expected value destroyed.
    """
    _check(kill, weapons, aim_points, value)
    _check_options(fratricide, common_mode, kill)
    kill = np.ascontiguousarray(kill, dtype=np.float64)
    cap = np.broadcast_to(np.asarray(max_shots, dtype=np.int64), (kill.shape[0],))[:, None]
    record = common_mode is not None and bool(np.any(common_mode > 0.0))
    shots, final, layer_share = _greedy_layers(
        kill, weapons, aim_points, value, cap, fratricide, record
    )
    if record and common_mode is not None:
        final = common_mode_survival(kill, layer_share, common_mode, fratricide)
    worth = np.where(aim_points > _EPS, value, 0.0)
    destroyed = (aim_points * worth * (1.0 - final)).sum(axis=1)
    return Allocation(shots=shots, survival=final, destroyed_value=destroyed)


def _greedy_layers(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    cap: npt.NDArray[np.int64],
    fratricide: float,
    record: bool,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The greedy steps: shots, independent survival and (if ``record``) layer shares."""
    nb, ni, nj = kill.shape
    remaining = weapons.astype(np.float64).copy()
    shots = np.zeros_like(kill)
    survival = np.ones((nb, nj))
    open_fill = np.zeros((nb, nj))
    open_kill = np.zeros((nb, nj))
    layers = np.zeros((nb, nj), dtype=np.int64)
    rows = np.arange(nb)
    safe_points = np.where(aim_points > _EPS, aim_points, 1.0)
    worth = np.where(aim_points > _EPS, value, 0.0)
    gain = np.empty_like(kill)
    flat_gain = gain.reshape(nb, ni * nj)
    flat_kill = kill.reshape(nb, ni * nj)
    degrade = fratricide > 0.0
    top = max(int(cap.max(initial=0)), 1) - 1
    layer_share = np.zeros((nb, ni, nj, top + 1) if record else (0, 0, 0, 0))
    for _ in range(ni + nj * int(cap.max(initial=0)) + 1):
        # gain per weapon of one more shot of type i at class j: w_j q_j p_ij (g_l p_ij)
        base = worth * survival * (layers < cap)
        base = base * _kept(layers, fratricide) if degrade else base
        np.multiply(kill, base[:, None, :], out=gain)
        gain *= (remaining > _EPS)[:, :, None]
        flat = flat_gain.argmax(axis=1)
        best_gain = flat_gain[rows, flat]
        live = best_gain > _EPS
        if not live.any():
            break
        best_i, best_j = np.divmod(flat, nj)
        slots = (1.0 - open_fill[rows, best_j]) * aim_points[rows, best_j]
        amount = np.where(live, np.minimum(remaining[rows, best_i], slots), 0.0)
        shots[rows, best_i, best_j] += amount
        remaining[rows, best_i] -= amount
        share = amount / safe_points[rows, best_j]
        shot_kill = flat_kill[rows, flat]
        if degrade:
            shot_kill = shot_kill * _kept(layers[rows, best_j], fratricide)
        if record:
            layer_share[rows, best_i, best_j, np.minimum(layers[rows, best_j], top)] += share
        open_fill[rows, best_j] += share
        open_kill[rows, best_j] += share * shot_kill
        done = live & (open_fill[rows, best_j] >= 1.0 - 1e-12)
        if done.any():
            dr, dj = rows[done], best_j[done]
            survival[dr, dj] *= 1.0 - open_kill[dr, dj]
            open_fill[dr, dj] = 0.0
            open_kill[dr, dj] = 0.0
            layers[dr, dj] += 1
    return shots, survival * (1.0 - open_kill), layer_share


def _kept(layers: npt.NDArray[np.int64], fratricide: float) -> FloatArray:
    """Share of its kill probability a shot keeps in each layer: 1 first, ``1 - f`` after."""
    return np.where(layers >= 1, 1.0 - fratricide, 1.0)


def _check_options(fratricide: float, common_mode: FloatArray | None, kill: FloatArray) -> None:
    if not 0.0 <= fratricide <= 1.0:
        raise ValueError(f"fratricide must lie in [0, 1], got {fratricide}")
    if common_mode is None:
        return
    if common_mode.shape != kill.shape[:2]:
        raise ValueError(
            f"common_mode must be (batch, types) {kill.shape[:2]}, got {common_mode.shape}"
        )
    if common_mode.size and not (common_mode.min() >= 0.0 and common_mode.max() <= 1.0):
        raise ValueError("common_mode must hold probabilities in [0, 1]")


def common_mode_survival(
    kill: FloatArray,
    layer_share: FloatArray,
    common_mode: FloatArray,
    fratricide: float = 0.0,
) -> FloatArray:
    """(B, J) surviving share of each class when failures are partly common to a salvo.

    Model: each weapon type ``i`` has a probability ``q_i`` (``common_mode``) that
    all of its weapons aimed at one aim point fail together (a systemic fault),
    independently of other types; otherwise each of its weapons kills on its own
    with ``p'_ij = p_ij / (1 - q_i)``. One weapon still kills with ``p_ij``;
    ``n`` weapons of one type kill with ``(1 - q_i) (1 - (1 - p'_ij)^n)``, at most
    ``1 - q_i``. The layers of the greedy allocation give type ``i`` to a share
    ``phi_ijl`` of class ``j``'s aim points in layer ``l``, matched at random and
    independently from layer to layer, each layer after the first degraded by
    ``g_l = 1 - f`` (fratricide; ``g_0 = 1``). With ``x_il = phi_ijl g_l p'_ij``
    and ``F`` the set of types that failed together,

    ``S_j = E_F prod_l (1 - sum_{i not in F} x_il)
         = sum_{disjoint A_i} prod_{i: A_i nonempty} (1 - q_i) prod_{l in A_i} (-x_il)``

    (expand the product over layers: each layer takes the 1 or one type's
    ``-x_il``; the term survives the expectation when none of its types failed
    together). The sum over disjoint layer sets ``A_i`` is a dynamic programme
    over the types on the set of layers already taken (``2^L`` states, ``L`` the
    most shots per aim point), so ``S_j`` is exact for the model, not a
    truncation. With every ``q_i = 0`` it is ``prod_l (1 - sum_i x_il)``, the
    independent survival.

    Parameters
    ----------
    kill
        (B, I, J) kill probability of one weapon, reliability included.
    layer_share
        (B, I, J, L) share of class j's aim points given type i in layer l.
    common_mode
        (B, I) probability ``q_i`` of a common failure of type i at one aim point.
    fratricide
        Loss ``f`` of every shot after the first on an aim point.

    Returns
    -------
    numpy.ndarray
        (B, J) expected surviving share of each class.

    References
    ----------
    Bunn, M. & Tsipis, K. (1983). The uncertainties of a preemptive nuclear
    attack. *Scientific American* 249(5), 38-47 (failures and errors shared by
    the warheads of one attack make two-on-one kills fall short of the
    independent product).
    """
    nb, _, nj, n_layers = layer_share.shape
    keep = np.ones(n_layers)
    keep[1:] = 1.0 - fratricide
    q = common_mode[:, :, None]
    alive = q < 1.0
    p_each = np.where(alive, kill / np.where(alive, 1.0 - q, 1.0), 0.0)
    x = layer_share * p_each[..., None] * keep  # (B, I, J, L)
    states = 1 << n_layers
    bits = (np.arange(states)[:, None] >> np.arange(n_layers)[None, :]) & 1  # (2^L, L)
    dp = np.zeros((nb, nj, states))
    dp[:, :, 0] = 1.0
    for i in np.flatnonzero(x.any(axis=(0, 2, 3))):
        # w[A]: (1 - q_i) prod_{l in A} (-x_il) for A nonempty, 1 for A empty
        neg = -x[:, i]  # (B, J, L)
        w = np.prod(np.where(bits[None, None] == 1, neg[:, :, None, :], 1.0), axis=-1)
        w[:, :, 1:] *= (1.0 - common_mode[:, i])[:, None, None]
        new = dp.copy()  # A empty
        for taken in range(1, states):
            free = np.flatnonzero((np.arange(states) & taken) == 0)
            new[:, :, free + taken] += dp[:, :, free] * w[:, :, taken : taken + 1]
        dp = new
    return np.asarray(np.clip(dp.sum(axis=-1), 0.0, 1.0), dtype=np.float64)


def _patterns(useful: list[int], max_shots: int) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for k in range(1, max_shots + 1):
        out.extend(itertools.combinations_with_replacement(useful, k))
    return out


def _check_pattern_count(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    caps: npt.NDArray[np.int64],
) -> None:
    """Refuse a programme too large to solve before building any of it: one row over
    :data:`MAX_PATTERN_COLUMNS`, or the batch over :data:`MAX_BATCH_PATTERN_COLUMNS`."""
    batch = 0
    for b in range(kill.shape[0]):
        live = (aim_points[b] >= 1.0 - _EPS) & (value[b] > 0)
        armed = weapons[b] >= 1.0 - _EPS
        useful = ((kill[b] > 0) & armed[:, None] & live[None, :]).sum(axis=0)
        max_shots = int(caps[b])
        total = sum(math.comb(int(u) + max_shots, max_shots) - 1 for u in useful)
        if total > MAX_PATTERN_COLUMNS:
            raise AllocationTooLargeError(
                f"the exact allocator would build {total:,} shot patterns "
                f"({int(useful.max())} weapon types on one class, up to {max_shots} shots per "
                f"aim point; the limit is {MAX_PATTERN_COLUMNS:,}); lower "
                "exchange.max_shots_per_aim_point or use exchange.allocator: greedy"
            )
        batch += total
        if batch > MAX_BATCH_PATTERN_COLUMNS:
            raise AllocationTooLargeError(
                f"the exact allocator would build more than {MAX_BATCH_PATTERN_COLUMNS:,} shot "
                f"patterns over the {kill.shape[0]:,} rows of one batch (up to "
                f"{int(caps.max())} shots per aim point, every strike the attacker may choose); "
                "lower exchange.max_shots_per_aim_point, fix the strike with "
                "exchange.reserve_fraction, or use exchange.allocator: greedy"
            )


def allocate_classes(
    method: ClassMethod,
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: Shots,
    *,
    fratricide: float = 0.0,
    common_mode: FloatArray | None = None,
) -> Allocation:
    """Allocate with ``method`` (``"greedy"`` or ``"exact"``); arguments as in the solvers."""
    if method == "exact":
        return allocate_exact_patterns(
            kill,
            weapons,
            aim_points,
            value,
            max_shots,
            fratricide=fratricide,
            common_mode=common_mode,
        )
    return allocate_greedy_layers(
        kill, weapons, aim_points, value, max_shots, fratricide=fratricide, common_mode=common_mode
    )


Column = tuple[int, tuple[int, ...], float]
"""(class, pattern of weapon types, kill probability of the pattern)."""


def pattern_kill(
    kill: FloatArray, pattern: tuple[int, ...], fratricide: float, common_mode: FloatArray
) -> float:
    """Kill probability of one aim point struck by ``pattern`` (weapon types, one per shot).

    The shots arrive best first; every shot after the first kills with ``1 - f``
    times its probability (fratricide). Type ``i``'s shots fail together with
    probability ``q_i`` (``common_mode``), else each kills with
    ``p'_i = p_i / (1 - q_i)``, independently of other types:
    ``P = 1 - prod_i (q_i + (1 - q_i) prod_{k: type i} (1 - g_k p'_i))`` with
    ``g_1 = 1`` and ``g_k = 1 - f`` after. With ``f = 0`` and ``q = 0`` this is
    ``1 - prod_k (1 - p_k)``.

    References
    ----------
    Bunn, M. & Tsipis, K. (1983). *Scientific American* 249(5), 38-47.
    """
    order = sorted(pattern, key=lambda i: -float(kill[i]))
    spared: dict[int, float] = {}
    for k, i in enumerate(order):
        q = float(common_mode[i])
        p_each = float(kill[i]) / (1.0 - q) if q < 1.0 else 0.0
        g = 1.0 if k == 0 else 1.0 - fratricide
        spared[i] = spared.get(i, 1.0) * (1.0 - g * p_each)
    survive = 1.0
    for i, h in spared.items():
        q = float(common_mode[i])
        survive *= q + (1.0 - q) * h
    return 1.0 - survive


def _pattern_columns(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: int,
    fratricide: float = 0.0,
    common_mode: FloatArray | None = None,
) -> list[Column]:
    """Every pattern worth a column, for one batch row."""
    ni, nj = kill.shape
    plain = fratricide == 0.0 and (common_mode is None or not np.any(common_mode > 0.0))
    common = np.zeros(ni) if common_mode is None else common_mode
    columns: list[Column] = []
    for j in range(nj):
        if aim_points[j] < 1.0 - _EPS or value[j] <= 0:
            continue
        useful = [i for i in range(ni) if kill[i, j] > 0 and weapons[i] >= 1.0 - _EPS]
        for pat in _patterns(useful, max_shots):
            if plain:
                pk = 1.0 - float(np.prod([1.0 - kill[i, j] for i in pat]))
            else:
                pk = pattern_kill(kill[:, j], pat, fratricide, common)
            columns.append((j, pat, pk))
    return columns


def _solve_patterns(
    columns: list[Column],
    aim_points: FloatArray,
    weapons: FloatArray,
    value: FloatArray,
    time_limit_s: float,
) -> tuple[FloatArray, float]:
    """Pattern counts maximising value destroyed (HiGHS), and the proven gap."""
    import highspy

    nj = aim_points.shape[0]
    h = new_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    inf = highspy.kHighsInf
    for upper in (*aim_points, *weapons):  # classes, then weapon types
        h.addRow(-inf, float(np.floor(upper + 1e-9)), 0, np.array([], dtype=np.int32), np.array([]))
    for j, pat, pk in columns:
        kinds = sorted(set(pat))
        rows_idx = [j] + [nj + i for i in kinds]
        coefs = [1.0] + [float(pat.count(i)) for i in kinds]
        h.addCol(
            -value[j] * pk,
            0.0,
            inf,
            len(rows_idx),
            np.array(rows_idx, dtype=np.int32),
            np.array(coefs),
        )
    h.changeColsIntegrality(
        len(columns),
        np.arange(len(columns), dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * len(columns)),
    )
    h.run()
    status = h.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        raise SolverError(f"HiGHS returned {h.modelStatusToString(status)}")
    gap = float(h.getInfo().mip_gap)
    return np.asarray(h.getSolution().col_value), gap if np.isfinite(gap) else 1.0


def allocate_exact_patterns(
    kill: FloatArray,
    weapons: FloatArray,
    aim_points: FloatArray,
    value: FloatArray,
    max_shots: Shots,
    *,
    time_limit_s: float | None = None,
    fratricide: float = 0.0,
    common_mode: FloatArray | None = None,
) -> Allocation:
    """Exact allocation by an integer programme over shot patterns (HiGHS).

    For class ``j`` and pattern ``P`` (a multiset of at most ``S`` weapon
    types) the integer variable ``z_jP`` counts aim points receiving exactly
    ``P``. Maximise ``sum_jP w_j (1 - prod_{i in P} (1 - p_ij)) z_jP`` subject
    to ``sum_P z_jP <= n_j`` and ``sum_jP mult_i(P) z_jP <= c_i``. The kill of a
    pattern is a constant, so the programme is linear and its optimum exact
    (for whole aim points; fractional ``n_j`` are floored by integrality).

    Parameters
    ----------
    kill, weapons, aim_points, value, max_shots
        As in :func:`allocate_greedy_layers`.
    time_limit_s
        Time limit per batch row (default :data:`EXACT_TIME_LIMIT_S`); the
        proven gap is reported.
    fratricide, common_mode
        As in :func:`allocate_greedy_layers`; a pattern's kill is then
        :func:`pattern_kill`, exact for the model, and the programme optimises it.

    Raises
    ------
    AllocationTooLargeError
        If a row would need more than :data:`MAX_PATTERN_COLUMNS` patterns.

    Returns
    -------
    Allocation
        Shots, expected survival and value destroyed, with the worst proven gap.
    """
    _check(kill, weapons, aim_points, value)
    _check_options(fratricide, common_mode, kill)
    nb, _, nj = kill.shape
    shots = np.zeros_like(kill)
    survival = np.ones((nb, nj))
    destroyed = np.zeros(nb)
    worst_gap = 0.0
    caps = np.broadcast_to(np.asarray(max_shots, dtype=np.int64), (nb,))
    _check_pattern_count(kill, weapons, aim_points, value, caps)
    limit = EXACT_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    for b in range(nb):
        columns = _pattern_columns(
            kill[b],
            weapons[b],
            aim_points[b],
            value[b],
            int(caps[b]),
            fratricide,
            None if common_mode is None else common_mode[b],
        )
        if not columns:
            continue
        z, gap = _solve_patterns(columns, aim_points[b], weapons[b], value[b], limit)
        worst_gap = max(worst_gap, gap)
        kill_sum = np.zeros(nj)
        for (j, pat, pk), count in zip(columns, z, strict=True):
            if count <= 0.5:
                continue
            count = round(count)
            kill_sum[j] += count * pk
            for i in pat:
                shots[b, i, j] += count
        points = np.where(aim_points[b] > 0, aim_points[b], 1.0)
        survival[b] = 1.0 - kill_sum / points
        destroyed[b] = float((value[b] * kill_sum).sum())
    return Allocation(shots=shots, survival=survival, destroyed_value=destroyed, gap=worst_gap)

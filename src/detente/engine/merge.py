"""Several sides as one, for a joint allocation: systems, targets and layers side by side.

A coalition that strikes together allocates the weapon types of all its members
against the victim's aim points in one allocation; a side that strikes two others
allocates its weapons against the aim points of both at once. Both are the
single-side allocation of :mod:`detente.engine.counterforce` run on a *merged*
side: the members' systems (or targets and defence layers) concatenated, each
member's multipliers folded into its own columns so the merged side runs with
multipliers of 1.

A merged side carries no value class and no C2: damage to value, warning and
retaliation are computed on each member's own arrays
(:mod:`detente.engine.coalition`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from detente.engine.params import Multipliers
from detente.engine.sides import SideArrays

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

FOLDED = ("cep", "yield_kt", "reliability", "interceptor_pk", "detection")
"""Multipliers that scale a side's per-system numbers: one value per merged batch."""

_PER_ROW_SYSTEM = ("launchers", "load", "alert")
_PER_SYSTEM = (
    "nuclear",
    "conventional",
    "strategic",
    "yield_kt",
    "cep_m",
    "reliability",
    "flight_time_min",
    "range_km",
    "delivery",
    "torpedo",
    "evasion",
    "basing",
    "launch_from_home",
)
_PER_TARGET = ("target_count", "hardness_psi", "standoff_km", "coastal")
_PER_LAYER = (
    "layer_pk",
    "layer_shots",
    "layer_slsh",
    "layer_reliability",
    "layer_discrimination",
)
_OTHER = (
    "actor",
    "system_ids",
    "load_yield_kt",
    "load_share",
    "home",
    "target_ids",
    "target_kind",
    "value_index",
    "value_curve",
    "layer_ids",
    "interceptors",
    "launch_on_warning",
    "layer_defends",
    "execution_probability",
    "decision_time_min",
    "factors",
)
KNOWN_FIELDS = frozenset(_PER_ROW_SYSTEM + _PER_SYSTEM + _PER_TARGET + _PER_LAYER + _OTHER)
"""Every field of :class:`SideArrays` that :func:`merge_sides` knows how to join."""


@dataclass(frozen=True)
class Layout:
    """Where each member's systems, targets and layers sit in a merged side."""

    actors: tuple[str, ...]
    systems: tuple[slice, ...]
    targets: tuple[slice, ...]
    layers: tuple[slice, ...]


def uniform_groups(parts: Sequence[Multipliers]) -> list[IntArray]:
    """Rows grouped so that every part's folded multipliers are the same within a group.

    Rows come back in order within each group; groups in order of first row.
    """
    n = parts[0].size
    if n == 0:
        return []
    table = np.concatenate([np.asarray(getattr(m, f)) for m in parts for f in FOLDED], axis=1)
    _, first, inverse = np.unique(table, axis=0, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    order = np.argsort(first, kind="stable")
    return [np.flatnonzero(inverse == g) for g in order]


def _rows(a: FloatArray, n: int) -> FloatArray:
    return np.broadcast_to(a, (n, *a.shape[1:])) if a.shape[0] == 1 else a


def _scalar(m: Multipliers, name: str) -> FloatArray:
    """The multiplier ``name`` of every row, one value per item (or one for the side)."""
    values = np.asarray(getattr(m, name))
    if values.size and not np.all(values == values[:1]):
        raise ValueError(f"multiplier {name!r} differs between rows; merge row groups apart")
    return values[0] if values.size else np.ones(1)


def _per_row(parts: Sequence[tuple[SideArrays, Multipliers]], n: int) -> dict[str, FloatArray]:
    """Launchers, loads, alert shares and interceptors of every part, ``n`` rows, scaled by
    the part's row multipliers and joined side by side."""
    rows = [
        {
            "launchers": _rows(s.launchers, n) * m.launchers,
            "load": _rows(s.load, n) * m.load,
            "alert": _rows(s.alert, n),
            "interceptors": _rows(s.interceptors, n) * m.interceptors,
        }
        for s, m in parts
    ]
    return {k: np.concatenate([r[k] for r in rows], axis=1) for k in rows[0]}


def _defends(sides: Sequence[SideArrays]) -> npt.NDArray[np.bool_]:
    """(layers, targets) of the merged side: each member's layers cover its own targets."""
    t_off = np.cumsum([0] + [len(s.target_ids) for s in sides])
    n_l = sum(len(s.layer_ids) for s in sides)
    defends = np.zeros((n_l, int(t_off[-1])), dtype=bool)
    row = 0
    for k, s in enumerate(sides):
        defends[row : row + len(s.layer_ids), t_off[k] : t_off[k + 1]] = s.layer_defends
        row += len(s.layer_ids)
    return defends


def _per_system(
    sides: Sequence[SideArrays], folded: list[dict[str, FloatArray]]
) -> dict[str, object]:
    """Per-system, per-target and per-layer arrays joined, folded multipliers applied."""
    out: dict[str, object] = {
        name: np.concatenate([np.asarray(getattr(s, name)) for s in sides])
        for name in _PER_SYSTEM + _PER_TARGET + _PER_LAYER
    }
    pairs = list(zip(sides, folded, strict=True))
    for name, mult in (("cep_m", "cep"), ("yield_kt", "yield_kt"), ("reliability", "reliability")):
        out[name] = np.concatenate([getattr(s, name) * f[mult] for s, f in pairs])
    out["layer_pk"] = np.concatenate(
        [np.minimum(1.0, s.layer_pk * f["interceptor_pk"][:, None]) for s, f in pairs]
    ).reshape(-1, sides[0].layer_pk.shape[1])
    width = max(s.load_yield_kt.shape[1] for s in sides)

    def pad(a: FloatArray) -> FloatArray:
        return np.pad(a, ((0, 0), (0, width - a.shape[1])))

    out["load_yield_kt"] = np.concatenate(
        [pad(s.load_yield_kt) * f["yield_kt"][:, None] for s, f in pairs]
    )
    out["load_share"] = np.concatenate([pad(s.load_share) for s in sides])
    return out


def merge_sides(parts: Sequence[tuple[SideArrays, Multipliers]], actor: str) -> SideArrays:
    """One side whose systems, targets and layers are those of ``parts``, in order.

    Per-row numbers (launchers, loads, alert shares, interceptors) are scaled by each
    part's row multipliers; per-system numbers (CEP, yield, reliability, interceptor
    kill probability, detection) by each part's multiplier, which must be the same on
    every row (group rows with :func:`uniform_groups`). The merged side has ``B`` rows
    (the multipliers' size) and is run with :meth:`Multipliers.ones`. Its sensors are
    the best of its members' (they share what they find); it has no value class, no
    launch-on-warning policy and the C2 of its first member, none of which the joint
    allocation reads.
    """
    unknown = {f.name for f in fields(SideArrays)} - KNOWN_FIELDS
    if unknown:
        raise TypeError(f"merge_sides does not know SideArrays fields {sorted(unknown)}")
    n = parts[0][1].size
    sides = [s for s, _ in parts]
    folded = [{f: _scalar(m, f) for f in FOLDED} for _, m in parts]
    t_off = np.cumsum([0] + [len(s.target_ids) for s in sides])
    factors = sides[0].factors.model_copy(
        update={
            key: max(
                min(1.0, float(getattr(s.factors, key)) * float(f["detection"][0]))
                for s, f in zip(sides, folded, strict=True)
            )
            for key in ("detect_mobile_dispersed", "detect_ssbn_at_sea")
        }
    )
    return SideArrays(
        actor=actor,
        system_ids=tuple(i for s in sides for i in s.system_ids),
        home=np.concatenate([s.home + t_off[k] for k, s in enumerate(sides)]),
        target_ids=tuple(i for s in sides for i in s.target_ids),
        target_kind=tuple(i for s in sides for i in s.target_kind),
        value_index=-1,
        value_curve=None,
        layer_ids=tuple(i for s in sides for i in s.layer_ids),
        launch_on_warning=np.zeros(n),
        layer_defends=_defends(sides),
        execution_probability=sides[0].execution_probability,
        decision_time_min=sides[0].decision_time_min,
        factors=factors,
        **_per_row(parts, n),  # type: ignore[arg-type]
        **_per_system(sides, folded),  # type: ignore[arg-type]
    )


def layout(sides: Sequence[SideArrays]) -> Layout:
    """Where each of ``sides`` sits in the side :func:`merge_sides` makes of them."""

    def spans(counts: list[int]) -> tuple[slice, ...]:
        edges = np.cumsum([0, *counts])
        return tuple(slice(int(a), int(b)) for a, b in itertools.pairwise(edges))

    return Layout(
        actors=tuple(s.actor for s in sides),
        systems=spans([s.n_systems for s in sides]),
        targets=spans([len(s.target_ids) for s in sides]),
        layers=spans([len(s.layer_ids) for s in sides]),
    )

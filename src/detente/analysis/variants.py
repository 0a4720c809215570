"""Variants of one scenario evaluated together, in one exchange batch per chunk.

A sweep changes a scenario by field path; most levers (interceptor
inventories, alert shares, launchers, loads) change only numbers the engine
holds one row per case (:data:`~detente.engine.sides.PER_ROW`). Variants that
agree on everything else have the same *structure*: their compiled sides can
be stacked row by row and run as one batch, as multiplier draws are, instead
of one evaluation per variant. The engine computes every row from its own
inputs, so the result of a variant does not depend on which others share its
batch (tested against one evaluation per variant, bit for bit).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from detente.analysis.cases import CaseGrid, run_chunk
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.outcomes import Outcomes
from detente.engine.sides import PER_ROW, SideArrays
from detente.model.scenario import Scenario


def _feed(h: Any, value: Any) -> None:
    """Feed ``value`` into the hash ``h`` unambiguously (arrays by dtype, shape and bytes)."""
    if isinstance(value, np.ndarray):
        h.update(f"a{value.dtype.str}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"d{type(value).__name__}".encode())
        for f in dataclasses.fields(value):
            h.update(f.name.encode())
            _feed(h, getattr(value, f.name))
    elif hasattr(value, "model_dump_json"):
        h.update(f"m{type(value).__name__}".encode())
        h.update(value.model_dump_json().encode())
    elif isinstance(value, tuple | list):
        h.update(f"t{len(value)}".encode())
        for v in value:
            _feed(h, v)
    else:
        h.update(f"v{type(value).__name__}:{value!r};".encode())


def structure(side: SideArrays) -> bytes:
    """Digest of everything of ``side`` but its per-row numbers."""
    h = hashlib.blake2b(digest_size=16)
    for f in dataclasses.fields(side):
        if f.name not in PER_ROW:
            h.update(f.name.encode())
            _feed(h, getattr(side, f.name))
    return h.digest()


def stack_sides(parts: Sequence[SideArrays]) -> SideArrays:
    """Rows of several compiled sides of one structure, in order.

    Raises
    ------
    ValueError
        If the parts differ in anything but their per-row numbers.
    """
    first = parts[0]
    key = structure(first)
    if any(structure(p) != key for p in parts[1:]):
        raise ValueError("compiled sides of different structure cannot share a batch")
    if len(parts) == 1:
        return first
    stacked: dict[str, Any] = {f: np.concatenate([getattr(p, f) for p in parts]) for f in PER_ROW}
    return dataclasses.replace(first, **stacked)


def concat_experiments(parts: Sequence[Experiments]) -> Experiments:
    """Rows of several experiment tables with the same columns, in order."""
    names = list(parts[0].columns)
    return Experiments(
        {k: np.concatenate([p.columns[k] for p in parts]) for k in names},
        sum(p.size for p in parts),
    )


@dataclasses.dataclass(frozen=True)
class Variant:
    """One scenario variant and the experiments to evaluate it at."""

    scenario: Scenario
    experiments: Experiments


def _group_key(v: Variant, grid: CaseGrid, compiled: dict[str, SideArrays]) -> tuple[Any, ...]:
    return (
        grid,
        v.scenario.exchange,
        v.scenario.stability,
        tuple(sorted(v.experiments.columns)),
        tuple(structure(compiled[a]) for a in grid.sides),
    )


def evaluate_variants(
    variants: Sequence[Variant], spec: OutcomeSpec
) -> list[tuple[list[int], Outcomes]]:
    """Outcomes of every variant, variants of one structure in one batch.

    Parameters
    ----------
    variants
        Scenarios with their experiments (multiplier settings or draws).
    spec
        Which outcomes to compute.

    Returns
    -------
    list
        ``(indices of the variants, their outcomes)`` per group of variants
        that share a structure; the outcomes hold the experiments of those
        variants in that order, each variant's experiments together.
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    grids: list[CaseGrid] = []
    compiled: list[dict[str, SideArrays]] = []
    for i, v in enumerate(variants):
        grid = CaseGrid.for_scenario(v.scenario, spec)
        grids.append(grid)
        compiled.append({a: grid.compile(v.scenario, a) for a in grid.sides})
        groups.setdefault(_group_key(v, grid, compiled[i]), []).append(i)
    out: list[tuple[list[int], Outcomes]] = []
    for members in groups.values():
        first = members[0]
        grid = grids[first]
        experiments = concat_experiments([variants[i].experiments for i in members])
        sides = {
            actor: stack_sides(
                [compiled[i][actor].tile(variants[i].experiments.size) for i in members]
            )
            for actor in grid.sides
        }
        out.append((members, run_chunk(variants[first].scenario, grid, spec, experiments, sides)))
    return out


__all__ = [
    "Variant",
    "concat_experiments",
    "evaluate_variants",
    "stack_sides",
    "structure",
]

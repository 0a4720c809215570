"""Per-draw multipliers on a side's parameters, for batch, sensitivity and uncertainty runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

PER_SYSTEM = ("cep", "yield_kt", "reliability", "launchers", "load", "flight_time")
PER_LAYER = ("interceptor_pk", "interceptors")
PER_TARGET = ("hardness", "aim_points")
PER_SIDE = ("detection", "decision_time", "execution", "launch_fraction", "value_area")
POSITIVE = ("cep", "yield_kt", "flight_time", "hardness", "value_area")
"""Multipliers that must stay above 0 (the physics is undefined at 0); the rest may be 0."""


@dataclass(frozen=True)
class Multipliers:
    """Multipliers on one side's numbers, one row per draw; 1 leaves a number as shipped.

    Each field has shape ``(B, 1)`` (the same factor on every item of the side) or
    ``(B, K)`` with one column per item: per system for ``cep``, ``yield_kt`` (every
    warhead type of the system), ``reliability`` (capped at 1), ``launchers``,
    ``load`` (warheads per launcher) and ``flight_time``; per missile-defence layer
    for ``interceptor_pk`` (capped at 1) and ``interceptors``; per target class for
    ``hardness`` and ``aim_points``. ``detection`` scales the side's ability to find
    adversary mobile and sea-based forces, ``decision_time`` its launch decision
    time, ``execution`` its execution probability and ``launch_fraction`` its
    launch-on-warning share (both capped at 1), ``value_area`` the area of its value
    points (a larger area takes more lethal area to destroy).
    """

    cep: FloatArray
    yield_kt: FloatArray
    reliability: FloatArray
    launchers: FloatArray
    load: FloatArray
    flight_time: FloatArray
    interceptor_pk: FloatArray
    interceptors: FloatArray
    hardness: FloatArray
    aim_points: FloatArray
    detection: FloatArray
    decision_time: FloatArray
    execution: FloatArray
    launch_fraction: FloatArray
    value_area: FloatArray

    @property
    def size(self) -> int:
        """Number of draws."""
        return int(self.cep.shape[0])

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The multiplier names."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def ones(cls, n: int) -> Multipliers:
        """``n`` draws with every multiplier at 1."""
        return cls(**{name: np.ones((n, 1)) for name in cls.names()})

    @classmethod
    def from_mapping(cls, values: Mapping[str, npt.ArrayLike], n: int | None = None) -> Multipliers:
        """Build from ``{name: scalar, (B,) or (B, K) array}``; missing names are 1.

        A scalar or ``(B,)`` array is one factor for the whole side. Raises
        ``ValueError`` on an unknown name, a non-positive or non-finite value, or
        arrays of different lengths.
        """
        unknown = set(values) - set(cls.names())
        if unknown:
            raise ValueError(
                f"unknown multiplier(s) {sorted(unknown)}; expected some of {list(cls.names())}"
            )
        arrays = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
        arrays = {k: a.reshape(-1, 1) if a.ndim < 2 else a for k, a in arrays.items()}
        lengths = {a.shape[0] for a in arrays.values() if a.shape[0] != 1}
        if len(lengths) > 1:
            raise ValueError(f"multiplier arrays have different lengths: {sorted(lengths)}")
        size = n if n is not None else (lengths.pop() if lengths else 1)
        out: dict[str, FloatArray] = {}
        for name in cls.names():
            a = arrays.get(name, np.ones((1, 1)))
            bad = a <= 0 if name in POSITIVE else a < 0
            if a.ndim != 2 or not np.all(np.isfinite(a)) or np.any(bad):
                want = "> 0" if name in POSITIVE else ">= 0"
                raise ValueError(f"multiplier {name!r} must be finite and {want}")
            out[name] = np.broadcast_to(a, (size, a.shape[1])).astype(np.float64)
        return cls(**out)

    def per_item(self, name: str, index: npt.NDArray[np.int64]) -> FloatArray:
        """(B, len(index)) factor of each listed item (system, layer or target class)."""
        a: FloatArray = getattr(self, name)
        if a.shape[1] == 1:
            return np.broadcast_to(a, (a.shape[0], index.shape[0]))
        return np.asarray(a[:, index])

    def take(self, rows: npt.NDArray[np.int64]) -> Multipliers:
        """The draws at ``rows``, as a batch of their own."""
        return Multipliers(**{n: getattr(self, n)[rows] for n in self.names()})

    def broadcast(self, n: int) -> Multipliers:
        """A batch of ``n`` rows from a batch of one (or of ``n``)."""
        if self.size == n:
            return self
        if self.size != 1:
            raise ValueError(f"cannot broadcast {self.size} rows to {n}")
        return Multipliers(**{k: np.repeat(getattr(self, k), n, axis=0) for k in self.names()})

    def repeat(self, k: int) -> Multipliers:
        """Each row ``k`` times in a row (``[a, a, b, b]`` for ``k = 2``)."""
        return Multipliers(**{n: np.repeat(getattr(self, n), k, axis=0) for n in self.names()})

    def tile(self, k: int) -> Multipliers:
        """The whole batch ``k`` times over (``[a, b, a, b]`` for ``k = 2``)."""
        return Multipliers(**{n: np.tile(getattr(self, n), (k, 1)) for n in self.names()})

    def times(self, other: Multipliers) -> Multipliers:
        """Row-wise product with ``other`` (same size)."""
        return Multipliers(**{k: getattr(self, k) * getattr(other, k) for k in self.names()})

    @classmethod
    def stack(cls, parts: list[Multipliers]) -> Multipliers:
        """Rows of several batches, in order (per-item columns where any part has them)."""
        out: dict[str, FloatArray] = {}
        for k in cls.names():
            arrays = [getattr(p, k) for p in parts]
            width = max(a.shape[1] for a in arrays)
            out[k] = np.concatenate([np.broadcast_to(a, (a.shape[0], width)) for a in arrays])
        return cls(**out)

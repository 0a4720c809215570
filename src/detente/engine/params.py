"""Per-draw multipliers on a side's parameters, for batch and sensitivity runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Multipliers:
    """Multipliers (shape ``(B,)``) on one side's numbers; 1 leaves a number as shipped.

    ``cep``, ``yield_kt`` and ``reliability`` scale every system of the side
    (reliability is capped at 1); ``interceptor_pk`` scales its interceptors'
    kill probabilities (capped at 1); ``detection`` scales its ability to find
    adversary mobile and sea-based forces; ``launchers``, ``load`` and
    ``interceptors`` scale deployed launchers, warheads per launcher and
    interceptor inventories (for build-up and arms-race studies).
    """

    cep: FloatArray
    yield_kt: FloatArray
    reliability: FloatArray
    interceptor_pk: FloatArray
    detection: FloatArray
    launchers: FloatArray
    load: FloatArray
    interceptors: FloatArray

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
        return cls(**{name: np.ones(n) for name in cls.names()})

    @classmethod
    def from_mapping(cls, values: Mapping[str, npt.ArrayLike], n: int | None = None) -> Multipliers:
        """Build from ``{name: array or scalar}``; missing names are 1.

        Raises ``ValueError`` on an unknown name, a non-positive or non-finite
        value, or arrays of different lengths.
        """
        unknown = set(values) - set(cls.names())
        if unknown:
            raise ValueError(
                f"unknown multiplier(s) {sorted(unknown)}; expected some of {list(cls.names())}"
            )
        arrays = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in values.items()}
        lengths = {a.shape[0] for a in arrays.values() if a.shape[0] != 1}
        if len(lengths) > 1:
            raise ValueError(f"multiplier arrays have different lengths: {sorted(lengths)}")
        size = n if n is not None else (lengths.pop() if lengths else 1)
        out: dict[str, FloatArray] = {}
        for name in cls.names():
            a = arrays.get(name, np.ones(1))
            if a.ndim != 1 or not np.all(np.isfinite(a)) or np.any(a <= 0):
                raise ValueError(f"multiplier {name!r} must be finite and > 0")
            out[name] = np.broadcast_to(a, (size,)).astype(np.float64)
        return cls(**out)

    def take(self, rows: npt.NDArray[np.int64]) -> Multipliers:
        """The draws at ``rows``, as a batch of their own."""
        return Multipliers(**{n: getattr(self, n)[rows] for n in self.names()})

    def broadcast(self, n: int) -> Multipliers:
        """A batch of ``n`` rows from a batch of one (or of ``n``)."""
        if self.size == n:
            return self
        if self.size != 1:
            raise ValueError(f"cannot broadcast {self.size} rows to {n}")
        return Multipliers(**{k: np.repeat(getattr(self, k), n) for k in self.names()})

    def repeat(self, k: int) -> Multipliers:
        """Each row ``k`` times in a row (``[a, a, b, b]`` for ``k = 2``)."""
        return Multipliers(**{n: np.repeat(getattr(self, n), k) for n in self.names()})

    def tile(self, k: int) -> Multipliers:
        """The whole batch ``k`` times over (``[a, b, a, b]`` for ``k = 2``)."""
        return Multipliers(**{n: np.tile(getattr(self, n), k) for n in self.names()})

    def times(self, other: Multipliers) -> Multipliers:
        """Row-wise product with ``other`` (same size)."""
        return Multipliers(**{k: getattr(self, k) * getattr(other, k) for k in self.names()})

    @classmethod
    def stack(cls, parts: list[Multipliers]) -> Multipliers:
        """Rows of several batches, in order."""
        return cls(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in cls.names()})

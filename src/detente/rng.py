"""The one place that makes random generators (after SALib's ``handle_seed``)."""

from __future__ import annotations

import numpy as np

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``seed``.

    A Generator passed in is used as is (the caller owns its stream); an int,
    SeedSequence or None makes a fresh PCG64 generator.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def spawn(seed: SeedLike, n: int) -> list[np.random.Generator]:
    """Return ``n`` independent child generators for parallel work."""
    return as_generator(seed).spawn(n)

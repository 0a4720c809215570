"""Optional stage timings for analyses (read by the benchmarks)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

Timings = dict[str, float]
"""Stage name -> seconds, accumulated."""


@contextmanager
def stage(timings: Timings | None, name: str) -> Iterator[None]:
    """Add the wall time of the enclosed block to ``timings[name]`` (no-op without timings)."""
    if timings is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started

"""Shared pieces of the benchmarks: run sizes, timers and the result types."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict


class Config(BaseModel):
    """How large and how often each benchmark runs."""

    model_config = ConfigDict(frozen=True)

    quick: bool
    seed: int = 20210616
    assess_runs: int
    exact_runs: int
    profile_runs: int
    batch_sizes: tuple[int, ...]
    batch_repeats: int
    loop_draws: int
    wta_sizes: tuple[int, ...]
    wta_instances: int
    wta_repeats: int
    exact_time_limit_s: float
    literature_limit: int | None
    cold_runs: int
    cold_warmup: bool = True
    memory_draws: int
    versus_rounds: int
    versus_assess_reps: int
    versus_draws: int
    versus_draw_reps: int
    uncertainty_draws: int
    uncertainty_rounds: int
    uncertainty_reps: int
    uncertainty_big_draws: int
    uncertainty_sobol_top: int
    uncertainty_sobol_n: int
    uncertainty_trajectories: int
    uncertainty_dask_draws: int


FULL = Config(
    quick=False,
    assess_runs=30,
    exact_runs=5,
    profile_runs=20,
    batch_sizes=(1_000, 10_000, 100_000),
    batch_repeats=3,
    loop_draws=300,
    wta_sizes=(5, 10, 20, 50, 100, 200),
    wta_instances=3,
    wta_repeats=5,
    exact_time_limit_s=10.0,
    literature_limit=None,
    cold_runs=7,
    memory_draws=100_000,
    versus_rounds=5,
    versus_assess_reps=20,
    versus_draws=5_000,
    versus_draw_reps=3,
    uncertainty_draws=200,
    uncertainty_rounds=3,
    uncertainty_reps=2,
    uncertainty_big_draws=10_000,
    uncertainty_sobol_top=20,
    uncertainty_sobol_n=1024,
    uncertainty_trajectories=10,
    uncertainty_dask_draws=100_000,
)
"""Sizes of ``make bench``."""

QUICK = Config(
    quick=True,
    assess_runs=3,
    exact_runs=1,
    profile_runs=1,
    batch_sizes=(20, 40),
    batch_repeats=1,
    loop_draws=4,
    wta_sizes=(5, 10),
    wta_instances=1,
    wta_repeats=1,
    exact_time_limit_s=2.0,
    literature_limit=1,
    cold_runs=1,
    cold_warmup=False,
    memory_draws=50,
    versus_rounds=1,
    versus_assess_reps=2,
    versus_draws=20,
    versus_draw_reps=1,
    uncertainty_draws=10,
    uncertainty_rounds=1,
    uncertainty_reps=1,
    uncertainty_big_draws=40,
    uncertainty_sobol_top=2,
    uncertainty_sobol_n=4,
    uncertainty_trajectories=2,
    uncertainty_dask_draws=200,
)
"""Tiny sizes, for ``--quick`` and the smoke test."""


class Table(BaseModel):
    """A table of formatted cells."""

    model_config = ConfigDict(frozen=True)

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


class Target(BaseModel):
    """A goal, the figure measured against it, and whether it is met."""

    model_config = ConfigDict(frozen=True)

    name: str
    goal: str
    measured: str
    met: bool


class Section(BaseModel):
    """What one benchmark measured: method, tables, targets and raw figures."""

    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    method: str
    tables: tuple[Table, ...]
    targets: tuple[Target, ...] = ()
    figures: dict[str, float]
    """Raw numbers (seconds, ratios, gaps) by name, for checks."""


def median(values: list[float]) -> float:
    """Median of a non-empty list."""
    return float(statistics.median(values))


def time_call(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def fmt_s(seconds: float) -> str:
    """Seconds in a readable unit (µs, ms or s), three significant figures."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def fmt_x(ratio: float) -> str:
    """A ratio as ``12.3x``."""
    return f"{ratio:,.3g}x" if ratio < 1000 else f"{ratio:,.0f}x"


def fmt_pct(fraction: float) -> str:
    """A fraction as a percentage with enough digits to see small gaps."""
    if fraction == 0.0:
        return "0%"
    if abs(fraction) < 1e-6:
        return f"{fraction * 100:.1e}%"
    return f"{fraction * 100:.3g}%"

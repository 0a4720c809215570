"""Throughput of many parameter draws: the vectorised batch against a loop of single assessments."""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt
import pandas as pd

from benchmarks.common import Config, Section, Table, Target, fmt_s, fmt_x, median, time_call
from detente.analysis.batch import assess_draws
from detente.engine.exchange import run_exchange_batch
from detente.examples import geneva_2021
from detente.model.scenario import Scenario

TARGET_RATIO = 50.0
"""Goal: batch throughput at least this many times the single-assessment loop."""

DISTRIBUTIONS = {
    "cep": (0.7, 1.3),
    "reliability": (0.85, 1.1),
    "interceptor_pk": (0.5, 1.5),
}
"""Uniform multiplier ranges drawn independently for each side (1 = as shipped)."""

Draws = dict[str, dict[str, npt.NDArray[np.float64]]]


def make_draws(actors: tuple[str, ...], n: int, seed: int) -> Draws:
    """``n`` seeded draws of :data:`DISTRIBUTIONS` for each actor, in actor then name order."""
    rng = np.random.default_rng(seed)
    return {
        actor: {name: rng.uniform(low, high, n) for name, (low, high) in DISTRIBUTIONS.items()}
        for actor in actors
    }


def subset(draws: Draws, start: int, stop: int) -> Draws:
    """Draws ``start:stop`` of every array."""
    return {a: {k: v[start:stop] for k, v in d.items()} for a, d in draws.items()}


def _pair(scenario: Scenario) -> tuple[str, str]:
    return scenario.sides[0].actor, scenario.sides[1].actor


def _batch_times(scenario: Scenario, config: Config) -> dict[int, float]:
    times: dict[int, float] = {}
    for n in config.batch_sizes:
        draws = make_draws(_pair(scenario), n, config.seed)
        repeats = config.batch_repeats if n <= 10_000 else 1
        times[n] = median([_time_assess(scenario, draws) for _ in range(repeats)])
    return times


def _time_assess(scenario: Scenario, draws: Draws) -> float:
    return time_call(lambda: assess_draws(scenario, draws))


def _time_exchange(scenario: Scenario, pair: tuple[str, str], draws: Draws) -> float:
    return time_call(
        lambda: run_exchange_batch(
            scenario, *pair, attacker_draws=draws[pair[0]], defender_draws=draws[pair[1]]
        )
    )


def run(config: Config) -> Section:
    """Batch vs loop throughput of ``assess_draws`` and of ``run_exchange_batch``."""
    scenario = geneva_2021()
    pair = _pair(scenario)
    largest = max(config.batch_sizes)
    draws = make_draws(pair, largest, config.seed)
    assess_draws(scenario, subset(draws, 0, 10))  # warm-up
    batch = _batch_times(scenario, config)

    k = min(config.loop_draws, largest)
    loop_frames: list[pd.DataFrame] = []
    loop_seconds = 0.0
    for i in range(k):
        one = subset(draws, i, i + 1)
        started = time.perf_counter()
        loop_frames.append(assess_draws(scenario, one))
        loop_seconds += time.perf_counter() - started
    loop_per_draw = loop_seconds / k
    batch_frame = assess_draws(scenario, subset(draws, 0, k))
    looped = pd.concat(loop_frames, ignore_index=True)
    agreement = float(np.max(np.abs(looped.to_numpy() - batch_frame.to_numpy())))

    _time_exchange(scenario, pair, subset(draws, 0, 10))  # warm-up
    ex_batch = _time_exchange(scenario, pair, draws)
    ex_loop = sum(_time_exchange(scenario, pair, subset(draws, i, i + 1)) for i in range(k)) / k

    scaling_rows = []
    smallest = min(batch)
    for n, t in batch.items():
        per = t / n
        scaling_rows.append(
            (
                f"{n:,}",
                fmt_s(t),
                fmt_s(per),
                f"{n / t:,.0f}",
                fmt_x(loop_per_draw / per),
                f"{per / (batch[smallest] / smallest):.2f}",
            )
        )
    ratios = {n: loop_per_draw / (t / n) for n, t in batch.items()}
    worst = min(ratios[n] for n in batch if n >= min(10_000, largest))
    exchange_rows = (
        (f"batch of {largest:,}", fmt_s(ex_batch / largest), f"{largest / ex_batch:,.0f}", "1x"),
        (
            f"loop of {k} single draws",
            fmt_s(ex_loop),
            f"{1 / ex_loop:,.0f}",
            fmt_x(ex_loop / (ex_batch / largest)),
        ),
    )
    share = (ex_batch * 2) / batch[largest]
    return Section(
        key="batch_throughput",
        title="Batch throughput",
        method=(
            "`detente.analysis.batch.assess_draws(geneva_2021(), draws)` (full perspective, "
            "each side's own alert level, both first strikes, the four one-case definitions). "
            "Draws are seeded (seed "
            f"{config.seed}), independent per side: "
            + ", ".join(f"{n} x U({lo}, {hi})" for n, (lo, hi) in DISTRIBUTIONS.items())
            + f". Batches of 10,000 draws or fewer: median of {config.batch_repeats} runs; "
            f"larger: one run. The loop calls `assess_draws` with one draw at a time on the "
            f"first {k} draws and is scaled per draw; its values equal the batch's "
            f"(largest difference {agreement:.1e})."
        ),
        tables=(
            Table(
                title="assess_draws: batch against a loop of single assessments",
                columns=(
                    "draws",
                    "batch time",
                    "per draw",
                    "assessments/s",
                    "speed-up over loop",
                    "per draw vs smallest batch",
                ),
                rows=tuple(scaling_rows),
                note=f"Loop of single assessments: {fmt_s(loop_per_draw)} per draw "
                f"({1 / loop_per_draw:,.0f} assessments/s). A last column near 1 means cost "
                "is linear in draws.",
            ),
            Table(
                title="run_exchange_batch (one direction): raw exchange throughput",
                columns=("call", "per draw", "exchanges/s", "speed-up over loop"),
                rows=exchange_rows,
                note=f"The two exchange directions are about {share:.0%} of the "
                f"{largest:,}-draw assess_draws time; the rest is the per-draw definitions "
                "and frame building.",
            ),
        ),
        targets=(
            Target(
                name="batch throughput vs single-assessment loop",
                goal=f">= {TARGET_RATIO:.0f}x",
                measured=fmt_x(worst) + " (lowest at >= 10,000 draws)",
                met=worst >= TARGET_RATIO,
            ),
        ),
        figures={f"batch_s.{n}": t for n, t in batch.items()}
        | {f"ratio.{n}": r for n, r in ratios.items()}
        | {
            "loop_per_draw_s": loop_per_draw,
            "loop_batch_agreement": agreement,
            "exchange_batch_s": ex_batch,
            "exchange_loop_per_draw_s": ex_loop,
        },
    )

"""Latency of one full assessment of the 2021 baseline, by stage and against the exact allocator."""

from __future__ import annotations

import cProfile
import pstats
import time

from benchmarks.common import (
    Config,
    Section,
    Table,
    Target,
    fmt_s,
    fmt_x,
    median,
    time_call,
)
from detente.analysis.assess import assess
from detente.examples import geneva_2021
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS

TARGET_S = 0.005
"""Goal for one full assessment, in process."""

STAGES = (
    "compile sides",
    "exchange batches",
    "definitions",
    "results",
    "treaty view",
)
"""Stages ``assess`` reports through its ``timings`` argument."""


def exact_variant(scenario: Scenario) -> Scenario:
    """The same scenario with the exact (HiGHS) allocator."""
    exchange = scenario.exchange.model_copy(update={"allocator": "exact"})
    return scenario.model_copy(update={"exchange": exchange})


def staged_assess(scenario: Scenario) -> tuple[float, dict[str, float]]:
    """One timed ``assess`` call and the wall time of each of its stages."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    assess(scenario, timings=timings)
    return time.perf_counter() - started, timings


def _assess_values(scenario: Scenario) -> dict[tuple[str, str, str], float]:
    return {k: v.value for k, v in assess(scenario).results.items()}


def profile_rows(scenario: Scenario, runs: int, top: int = 10) -> tuple[tuple[str, ...], ...]:
    """cProfile of ``runs`` assessments: functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        assess(scenario)
    profiler.disable()
    raw = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    ranked = sorted(raw.items(), key=lambda item: -item[1][2])[:top]
    rows = []
    for (path, line, func), (_cc, calls, own, cumulative, _callers) in ranked:
        where = path.split("site-packages/")[-1].split("src/")[-1]
        rows.append(
            (
                f"{where}:{line}({func})",
                f"{calls / runs:,.0f}",
                f"{own / total:.1%}",
                f"{cumulative / total:.1%}",
            )
        )
    return tuple(rows)


def run(config: Config) -> Section:
    """Median latency of ``assess(geneva_2021())``, its stages, and the exact allocator."""
    scenario = geneva_2021()
    exact = exact_variant(scenario)
    fast_values = _assess_values(scenario)  # warm-up: caches, imports, first calls
    fast_times: list[float] = []
    exact_times: list[float] = []
    per_stage: dict[str, list[float]] = {name: [] for name in STAGES}
    staged_totals: list[float] = []
    exact_values: dict[tuple[str, str, str], float] = {}
    for i in range(config.assess_runs):
        fast_times.append(time_call(lambda: assess(scenario)))
        staged_total, stages = staged_assess(scenario)
        staged_totals.append(staged_total)
        for name in STAGES:
            per_stage[name].append(stages[name])
        if i < config.exact_runs:
            started = time.perf_counter()
            exact_values = _assess_values(exact)
            exact_times.append(time.perf_counter() - started)
    t_fast, t_exact = median(fast_times), median(exact_times)
    stage_medians = {name: median(v) for name, v in per_stage.items()}
    stage_sum = sum(stage_medians.values())
    stage_table = Table(
        title="Stages of one assessment (median of each stage, as `assess(..., timings=)` "
        "reports them)",
        columns=("stage", "median", "share of stages"),
        rows=(
            *((n, fmt_s(s), f"{s / stage_sum:.0%}") for n, s in stage_medians.items()),
            ("sum of stages", fmt_s(stage_sum), "100%"),
        ),
    )
    diffs = {
        name: max(abs(fast_values[k] - exact_values[k]) for k in fast_values if k[0] == name)
        for name in DEFINITIONS
    }
    diff_table = Table(
        title="Fast vs exact allocator: largest |difference| of each definition's value "
        "(over perspectives and alert cases)",
        columns=("definition", "max |fast - exact|"),
        rows=tuple((name, f"{d:.2e}") for name, d in diffs.items()),
    )
    summary = Table(
        title="One full assessment (3 perspectives x 4 alert cases, every definition)",
        columns=("allocator", "runs", "median", "min", "ratio to fast"),
        rows=(
            ("greedy", str(len(fast_times)), fmt_s(t_fast), fmt_s(min(fast_times)), "1x"),
            (
                "exact (HiGHS)",
                str(len(exact_times)),
                fmt_s(t_exact),
                fmt_s(min(exact_times)),
                fmt_x(t_exact / t_fast),
            ),
        ),
    )
    profile = Table(
        title=f"cProfile of {config.profile_runs} assessments: top functions by own time",
        columns=("function", "calls per assessment", "own time", "cumulative"),
        rows=profile_rows(scenario, config.profile_runs),
        note="Profiling overhead inflates many small calls; read shares, not absolute times.",
    )
    figures = {
        "assess_median_s": t_fast,
        "exact_median_s": t_exact,
        "exact_over_fast": t_exact / t_fast,
        "stage_sum_s": stage_sum,
        "staged_total_s": median(staged_totals),
    } | {f"diff.{name}": d for name, d in diffs.items()}
    return Section(
        key="assess_latency",
        title="Assessment latency",
        method=(
            "`detente.analysis.assess.assess(geneva_2021())`: both sides striking first, every "
            "build-up variant, 3 perspectives x 4 alert cases, every definition and the treaty "
            f"view. One warm-up call, then {config.assess_runs} timed calls; a call with stage "
            "timings runs between them (exchange outcomes for reports are built on first use "
            "and are not part of an assessment). The exact allocator is timed in the same "
            "loop, alternating with the fast one."
        ),
        tables=(summary, stage_table, diff_table, profile),
        targets=(
            Target(
                name="full assessment in process",
                goal=f"< {fmt_s(TARGET_S)}",
                measured=fmt_s(t_fast),
                met=t_fast < TARGET_S,
            ),
        ),
        figures=figures,
    )

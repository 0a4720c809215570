"""Latency of one full assessment of the 2021 baseline, by stage and against the exact allocator."""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import time
from collections.abc import Sequence

import numpy as np

from benchmarks.common import (
    Config,
    Section,
    StageTimer,
    Table,
    Target,
    fmt_s,
    fmt_x,
    median,
    time_call,
)
from detente.analysis.assess import assess
from detente.analysis.cases import alert_cases, strike_of
from detente.analysis.treaty_view import treaty_view
from detente.engine.core import exchange_batch
from detente.engine.exchange import outcome_from_batch
from detente.engine.params import Multipliers
from detente.engine.sides import side_rows
from detente.examples import geneva_2021
from detente.model.perspective import BUILT_IN_PERSPECTIVES, Perspective
from detente.model.scenario import Scenario
from detente.stability import BUILD_UPS, DEFINITIONS, Case, Strike

TARGET_S = 0.005
"""Goal for one full assessment, in process."""

_MULTIPLIER_OF = {"warheads": "load", "launchers": "launchers", "interceptors": "interceptors"}

STAGES = (
    "compile sides (side_rows)",
    "build-up multipliers",
    "exchange batches (exchange_batch)",
    "strikes and cases (strike_of)",
    "outcomes (outcome_from_batch)",
    "definitions (DEFINITIONS)",
    "treaty view (treaty_view)",
)


def exact_variant(scenario: Scenario) -> Scenario:
    """The same scenario with the exact (HiGHS) allocator."""
    exchange = scenario.exchange.model_copy(update={"allocator": "exact"})
    return scenario.model_copy(update={"exchange": exchange})


def staged_assess(
    scenario: Scenario,
    timer: StageTimer,
    perspectives: Sequence[Perspective] = BUILT_IN_PERSPECTIVES,
) -> dict[tuple[str, str, str], float]:
    """Do the work of ``assess`` through its public pieces, timing each stage.

    Returns every definition's value keyed ``(definition, perspective, case)``,
    so that a caller can check the stages reproduce ``assess``.
    """
    pair = (scenario.sides[0].actor, scenario.sides[1].actor)
    step = scenario.stability.build_up_step
    variants: list[tuple[str | None, str | None]] = [(None, None)]
    variants += [(side, kind) for side in pair for kind in BUILD_UPS]
    cases = [(p, alerts) for p in perspectives for alerts in alert_cases(pair)]
    n_var = len(variants)
    with timer.stage(STAGES[0]):
        arrays = {
            actor: side_rows(
                scenario.side(actor).posture,
                scenario.side(actor).factors,
                [(p, alerts[actor]) for p, alerts in cases for _ in range(n_var)],
            )
            for actor in pair
        }
    with timer.stage(STAGES[1]):
        mults = {}
        for actor in pair:
            values = {name: np.ones(n_var * len(cases)) for name in _MULTIPLIER_OF.values()}
            for row, (side, kind) in enumerate(variants * len(cases)):
                if side == actor and kind is not None:
                    values[_MULTIPLIER_OF[kind]][row] = 1.0 + step
            mults[actor] = Multipliers.from_mapping(values)
    other = {pair[0]: pair[1], pair[1]: pair[0]}
    with timer.stage(STAGES[2]):
        flows = {
            a: exchange_batch(
                arrays[a], arrays[other[a]], scenario.exchange, mults[a], mults[other[a]]
            )
            for a in pair
        }
    by_perspective: dict[str, dict[str, Case]] = {}
    with timer.stage(STAGES[3]):
        for c, (persp, alerts) in enumerate(cases):
            base = c * n_var
            first = {a: strike_of(flows[a], base, a, other[a]) for a in pair}
            build: dict[tuple[str, str], dict[str, Strike]] = {}
            for v, (side, kind) in enumerate(variants[1:], start=1):
                assert side is not None and kind is not None
                build[(side, kind)] = {a: strike_of(flows[a], base + v, a, other[a]) for a in pair}
            case = Case(
                sides=pair, alerts=alerts, perspective=persp.id, first=first, build_ups=build
            )
            by_perspective.setdefault(persp.id, {})[case.key] = case
    with timer.stage(STAGES[4]):
        for c, (persp, alerts) in enumerate(cases):
            for a in pair:
                outcome_from_batch(
                    flows[a],
                    arrays[a],
                    arrays[other[a]],
                    (alerts[a], alerts[other[a]]),
                    persp.id,
                    row=c * n_var,
                )
    results: dict[tuple[str, str, str], float] = {}
    with timer.stage(STAGES[5]):
        for pid, same in by_perspective.items():
            for name, fn in DEFINITIONS.items():
                for key, case in same.items():
                    results[(name, pid, key)] = fn(case, scenario.stability, same).value
    with timer.stage(STAGES[6]):
        treaty_view(scenario, dt.date.fromisoformat(scenario.date) if scenario.date else None)
    return results


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
    staged_values = staged_assess(scenario, StageTimer())
    fast_times: list[float] = []
    exact_times: list[float] = []
    per_stage: dict[str, list[float]] = {name: [] for name in STAGES}
    exact_values: dict[tuple[str, str, str], float] = {}
    for i in range(config.assess_runs):
        fast_times.append(time_call(lambda: assess(scenario)))
        staged_timer = StageTimer()
        staged_assess(scenario, staged_timer)
        for name in STAGES:
            per_stage[name].append(staged_timer.seconds[name])
        if i < config.exact_runs:
            started = time.perf_counter()
            exact_values = _assess_values(exact)
            exact_times.append(time.perf_counter() - started)
    t_fast, t_exact = median(fast_times), median(exact_times)
    stage_medians = {name: median(v) for name, v in per_stage.items()}
    stage_sum = sum(stage_medians.values())
    stage_table = Table(
        title="Stages of one assessment (median of each stage; public functions timed separately)",
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
            ("fast", str(len(fast_times)), fmt_s(t_fast), fmt_s(min(fast_times)), "1x"),
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
    mismatch = max(abs(staged_values[k] - fast_values[k]) for k in fast_values)
    figures = {
        "assess_median_s": t_fast,
        "exact_median_s": t_exact,
        "exact_over_fast": t_exact / t_fast,
        "stage_sum_s": stage_sum,
        "staged_mismatch": mismatch,
        "staged_keys_match": float(staged_values.keys() == fast_values.keys()),
    } | {f"diff.{name}": d for name, d in diffs.items()}
    return Section(
        key="assess_latency",
        title="Assessment latency",
        method=(
            "`detente.analysis.assess.assess(geneva_2021())`: both sides striking first, every "
            "build-up variant, 3 perspectives x 4 alert cases, every definition and the treaty "
            f"view. One warm-up call, then {config.assess_runs} timed calls; the staged "
            "re-run (the same public functions `assess` calls, timed one by one) runs between "
            "them and reproduces its values "
            f"(largest difference {mismatch:.1e}). The exact allocator is timed in the same "
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

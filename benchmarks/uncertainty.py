"""The uncertainty path, timed: cost per draw, the issue's one-minute analysis, Dask.

Three questions. What one draw of ``explore`` costs on the 2021 baseline, against
the same exploration on the tree before its speed-up and against the reference
revision's ``assess_draws`` (fresh interpreters, alternating, as in
:mod:`benchmarks.versus`). Whether 10,000 draws plus Sobol' indices of the top
20 parameters (N = 1,024) finish within a minute on two processes. And what a
Dask ``LocalCluster`` of two workers gains over serial on 100,000 cheap draws.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import Config, Section, Table, Target, fmt_s, fmt_x, median
from benchmarks.versus import REFERENCE, extract, workloads
from benchmarks.versus import _times as times_in
from detente.analysis.executors import ProcessExecutor, SerialExecutor, tune_allocator
from detente.analysis.experiments import OutcomeSpec
from detente.analysis.explore import explore
from detente.analysis.uncertainty import analyse_uncertainty
from detente.examples import geneva_2021
from detente.model.perspective import FULL

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "5f28fb6"
"""The last commit before the draw path was made faster: explore's cost per draw then."""

_EXPLORE = (
    "from detente.examples import geneva_2021\n"
    "from detente.analysis.explore import explore\n"
    "scenario = geneva_2021()\n"
)
CHEAP = OutcomeSpec(definitions=("first_strike",), perspectives=(FULL,), alert_cases="own")
"""The Dask workload: first-strike stability only, full reading, own alert levels."""


def _per_draw(config: Config) -> tuple[list[tuple[str, ...]], dict[str, float]]:
    """explore per draw today and before, the reference's assess_draws, one assess call."""
    n = config.uncertainty_draws
    reps = config.uncertainty_reps
    today_src = ROOT / "src"
    (assess_setup, assess_call, _, _), (ref_setup, ref_call, _, ref_n) = workloads(config).values()
    explore_call = f"explore(scenario, {n})"
    got: dict[str, list[float]] = {k: [] for k in ("today", "before", "reference", "assess")}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("before", "reference"):
            (Path(tmp) / name).mkdir()
        before = extract(BEFORE, Path(tmp) / "before")
        reference = extract(REFERENCE, Path(tmp) / "reference")
        for _ in range(config.uncertainty_rounds):
            got["today"].append(median(times_in(today_src, _EXPLORE, explore_call, reps)) / n)
            if before is not None:
                got["before"].append(median(times_in(before, _EXPLORE, explore_call, reps)) / n)
            if reference is not None:
                got["reference"].append(
                    median(times_in(reference, ref_setup, ref_call, reps)) / ref_n
                )
            got["assess"].append(median(times_in(today_src, assess_setup, assess_call, reps)))
    figures = {f"{k}_s": median(v) for k, v in got.items() if v}
    today = figures["today_s"]
    rows = [("explore, this tree", fmt_s(today), "1x")]
    if "before_s" in figures:
        figures["speedup_vs_before"] = figures["before_s"] / today
        rows.append(
            (
                f"explore, before the speed-up (`{BEFORE}`)",
                fmt_s(figures["before_s"]),
                fmt_x(figures["speedup_vs_before"]),
            )
        )
    if "reference_s" in figures:
        rows.append(
            (
                f"assess_draws at `{REFERENCE}` (3 multipliers a side, one case)",
                fmt_s(figures["reference_s"]),
                fmt_x(figures["reference_s"] / today),
            )
        )
    rows.append(
        (
            "one full `assess` call, this tree",
            fmt_s(figures["assess_s"]),
            fmt_x(figures["assess_s"] / today),
        )
    )
    return rows, figures


def _analysis(config: Config) -> tuple[float, int]:
    """Wall seconds of the draws plus Morris, Sobol' and knife-edges on two processes."""
    scenario = geneva_2021()
    with ProcessExecutor(2) as pool:
        explore(scenario, 8, executor=pool, chunk_size=1)  # every worker started and warm
        started = time.perf_counter()
        done = analyse_uncertainty(
            scenario,
            config.uncertainty_big_draws,
            sobol_top=config.uncertainty_sobol_top,
            sobol_samples=config.uncertainty_sobol_n,
            trajectories=config.uncertainty_trajectories,
            executor=pool,
        )
        seconds = time.perf_counter() - started
    return seconds, len(done.sobol_parameters)


def _dask(config: Config) -> tuple[float, float]:
    """(serial seconds, Dask seconds) of the cheap exploration; results checked equal."""
    from detente.scale.dask_executor import DaskExecutor

    # the serial run gets the allocator settings the workers get (and the detente command
    # gives itself), so that the ratio measures the cluster, not the allocator
    tune_allocator()
    scenario = geneva_2021()
    n = config.uncertainty_dask_draws
    started = time.perf_counter()
    serial = explore(scenario, n, outcomes=CHEAP, executor=SerialExecutor())
    serial_s = time.perf_counter() - started
    dask = DaskExecutor(workers=2)
    try:
        # every worker up and warm: one draw per chunk, a chunk or more per worker
        explore(scenario, 8, outcomes=CHEAP, executor=dask, chunk_size=1)
        started = time.perf_counter()
        spread = explore(scenario, n, outcomes=CHEAP, executor=dask)
        dask_s = time.perf_counter() - started
    finally:
        dask.close()
    a = serial.values("first_strike", "full", next(iter(serial.results.outcomes.definitions))[2])
    b = spread.values("first_strike", "full", next(iter(spread.results.outcomes.definitions))[2])
    if a.tobytes() != b.tobytes():
        raise AssertionError("Dask and serial explorations differ")
    return serial_s, dask_s


def run(config: Config) -> Section:
    """The three measurements, with their targets."""
    rows, figures = _per_draw(config)
    analysis_s, top = _analysis(config)
    serial_s, dask_s = _dask(config)
    speedup = serial_s / dask_s
    figures.update({"analysis_s": analysis_s, "serial_s": serial_s, "dask_s": dask_s})
    figures["dask_speedup"] = speedup
    n_big, n_dask = config.uncertainty_big_draws, config.uncertainty_dask_draws
    targets = []
    if "speedup_vs_before" in figures:
        targets.append(
            Target(
                name="explore cost per draw vs before the speed-up",
                goal=">= 3x faster",
                measured=fmt_x(figures["speedup_vs_before"]),
                met=figures["speedup_vs_before"] >= 3.0,
            )
        )
    targets.append(
        Target(
            name=f"{n_big:,} draws + Sobol' top {config.uncertainty_sobol_top}, "
            f"N={config.uncertainty_sobol_n}, 2 processes",
            goal="< 60 s",
            measured=fmt_s(analysis_s),
            met=analysis_s < 60.0,
        )
    )
    targets.append(
        Target(
            name=f"Dask, 2 workers, vs serial on {n_dask:,} draws",
            goal=">= 1.8x",
            measured=fmt_x(speedup),
            met=speedup >= 1.8,
        )
    )
    return Section(
        key="uncertainty",
        title="Uncertainty: cost per draw, the one-minute analysis, Dask",
        method=(
            "Per draw: `explore(geneva_2021(), "
            f"{config.uncertainty_draws})` with its default outcomes (every definition, three "
            "readings, own alert levels, arms-race build-ups included), in fresh interpreters "
            f"on this tree and on `{BEFORE}` (before the draw path was made faster), "
            f"alternating with the reference revision `{REFERENCE}`'s `assess_draws` (the "
            "workload of the reference section, far less per draw) and one `assess` call, "
            f"{config.uncertainty_rounds} round(s) of {config.uncertainty_reps} timed call(s) "
            "after a warm-up, medians. Analysis: `analyse_uncertainty` with "
            f"{n_big:,} draws, Morris screening ({config.uncertainty_trajectories} "
            "trajectories over every parameter) to pick the top "
            f"{config.uncertainty_sobol_top}, Sobol' indices with N = "
            f"{config.uncertainty_sobol_n} (N x (D + 2) runs of every definition under the "
            "full reading) and the knife-edges, on a `ProcessExecutor(2)` whose workers were "
            "started before the clock; one run, wall time. Dask: "
            f"`explore` of {n_dask:,} draws computing first-strike stability only, full "
            "reading, own alert levels, serially and on a Dask `LocalCluster` of two "
            "single-thread workers (started and warmed before the clock); the two results "
            "are checked equal bit for bit; one run each, wall time."
        ),
        tables=(
            Table(
                title="Cost per draw of explore on the 2021 baseline",
                columns=("workload", "time per draw (per call for assess)", "ratio to today"),
                rows=tuple(rows),
                note="Ratio = that row's time / today's explore per draw.",
            ),
            Table(
                title="Uncertainty analysis on two processes, and Dask against serial",
                columns=("run", "wall time"),
                rows=(
                    (
                        f"{n_big:,} draws + Morris + Sobol' top {top} "
                        f"(N={config.uncertainty_sobol_n}) + knife-edges, ProcessExecutor(2)",
                        fmt_s(analysis_s),
                    ),
                    (f"{n_dask:,} first-strike draws, serial", fmt_s(serial_s)),
                    (
                        f"{n_dask:,} first-strike draws, Dask LocalCluster(2)",
                        f"{fmt_s(dask_s)} ({fmt_x(speedup)})",
                    ),
                ),
            ),
        ),
        targets=tuple(targets),
        figures=figures,
    )
